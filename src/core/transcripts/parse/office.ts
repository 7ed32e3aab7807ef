import mammoth from 'mammoth';
import { FieldbookError } from '../../../shared/errors';
import type { ParsedTranscript } from './model';
import { parsePlainText } from './text';
import { isZip, OFFICE_ZIP_LIMITS, parseXml, readZipDirectory, verifyZip, verifyZipForLibrary, zipEntryText, type ZipLimits } from '../../intake';

function notZip(file: string, kind: string): FieldbookError {
  return new FieldbookError('PARSE_ERROR', `${file} is not a real ${kind}: it is not a zip archive (perhaps a renamed or damaged file).`, {
    file,
    line: 1,
    column: 1,
  });
}

/** .docx through mammoth's raw text, after the archive passed the bounded check. */
export async function parseDocx(bytes: Uint8Array, file: string, limits: ZipLimits = OFFICE_ZIP_LIMITS): Promise<ParsedTranscript> {
  if (bytes.length === 0) throw new FieldbookError('PARSE_ERROR', `${file} is empty.`, { file });
  if (!isZip(bytes)) throw notZip(file, 'Word document (.docx)');
  const entries = verifyZip(bytes, file, limits);
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new FieldbookError('PARSE_ERROR', `${file} is a zip archive but not a Word document (it has no word/document.xml).`, { file });
  }
  // mammoth reads zips through JSZip, which finds no entries in some ZIP64 files: hand it a plain zip.
  const readable = verifyZipForLibrary(bytes, file, limits);
  let raw: string;
  try {
    raw = (await mammoth.extractRawText({ buffer: Buffer.from(readable) })).value;
  } catch (error) {
    throw new FieldbookError('PARSE_ERROR', `${file} could not be read as a Word document: ${(error as Error).message}`, { file });
  }
  if (raw.trim() === '') throw new FieldbookError('PARSE_ERROR', `${file} has no text in it.`, { file });
  return parsePlainText(raw.replace(/\r\n?/g, '\n'), 'docx', 'utf-8');
}

type XmlNode = Record<string, unknown>;

/** Flattens ODF text content: paragraphs/headings become lines, spans and links are inlined. */
function odfText(nodes: unknown, paragraphs: string[], inline: { text: string } | null): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as XmlNode[]) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      if (key === '#text') {
        if (inline) inline.text += String(value);
        continue;
      }
      switch (key) {
        case 'text:p':
        case 'text:h': {
          const para = { text: '' };
          odfText(value, paragraphs, para);
          paragraphs.push(para.text);
          break;
        }
        case 'text:s': {
          const attrs = (node[':@'] ?? {}) as Record<string, unknown>;
          const count = Number(attrs['@_text:c'] ?? 1);
          if (inline) inline.text += ' '.repeat(Number.isFinite(count) && count > 0 && count < 1000 ? count : 1);
          break;
        }
        case 'text:tab':
          if (inline) inline.text += '\t';
          break;
        case 'text:line-break':
          if (inline) inline.text += '\n';
          break;
        case 'office:annotation':
        case 'text:note':
        case 'text:tracked-changes':
        case 'text:sequence-decls':
        case 'office:forms':
          break;
        default:
          odfText(value, paragraphs, inline);
      }
    }
  }
}

/** .odt: content.xml read from the bounded zip, paragraphs through the plain-text speaker rules. */
export function parseOdt(bytes: Uint8Array, file: string, limits: ZipLimits = OFFICE_ZIP_LIMITS): ParsedTranscript {
  if (bytes.length === 0) throw new FieldbookError('PARSE_ERROR', `${file} is empty.`, { file });
  if (!isZip(bytes)) throw notZip(file, 'OpenDocument text (.odt)');
  const entries = readZipDirectory(bytes, file, limits);
  const xml = zipEntryText(bytes, entries, 'content.xml', file, limits);
  if (xml === null) throw new FieldbookError('PARSE_ERROR', `${file} is a zip archive but not an OpenDocument text (no content.xml).`, { file });
  const tree = parseXml<unknown>(xml, { preserveOrder: true, ignoreAttributes: false, trimValues: false, processEntities: true, htmlEntities: false }, { file, entry: 'content.xml' });
  const paragraphs: string[] = [];
  odfText(tree, paragraphs, null);
  // A paragraph's leading tab or spaces are kept, as in a plain-text transcript.
  const text = paragraphs
    .map((p) => p.replace(/^(?:[ \t]*\n)+/, '').trimEnd())
    .filter((p) => p.trim() !== '')
    .join('\n\n');
  if (text === '') throw new FieldbookError('PARSE_ERROR', `${file} has no text in it.`, { file });
  return parsePlainText(text, 'odt', 'utf-8');
}
