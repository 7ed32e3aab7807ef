import fs from 'node:fs';
import path from 'node:path';
import type { TranscriptFormat } from '../../../shared/contract/transcripts';
import { FieldbookError } from '../../../shared/errors';
import { decodeText } from './decode';
import type { ParsedTranscript } from './model';
import { parseSbv, parseSrt, parseVtt } from './subtitles';
import { parsePlainText } from './text';
import type { ZipLimits } from '../../zip/safe-zip';

export type { ParsedTranscript, ParsedTurn } from './model';

/** Largest transcript file accepted: a 100,000-word transcript is ~600 KB; 64 MB is far beyond any. */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

const EXTENSIONS: Record<string, TranscriptFormat> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.docx': 'docx',
  '.vtt': 'vtt',
  '.webvtt': 'vtt',
  '.srt': 'srt',
  '.sbv': 'sbv',
  '.odt': 'odt',
};

export function formatOf(file: string): TranscriptFormat | null {
  return EXTENSIONS[path.extname(file).toLowerCase()] ?? null;
}

/** Parses bytes already in memory; `file` names them in messages. Pure apart from mammoth. */
export async function parseTranscriptBytes(bytes: Uint8Array, file: string, limits?: ZipLimits): Promise<ParsedTranscript> {
  const format = formatOf(file);
  if (format === null) {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${file}: Fieldbook reads transcripts as .txt, .md, .docx, .odt, .vtt, .srt or .sbv, not "${path.extname(file) || 'no extension'}".`,
      { file },
    );
  }
  // Office files need mammoth and an XML parser: loaded only when one comes along.
  if (format === 'docx') return (await import('./office')).parseDocx(bytes, file, limits);
  if (format === 'odt') return (await import('./office')).parseOdt(bytes, file, limits);
  const { text, encoding } = decodeText(bytes, file);
  if (format === 'vtt') return parseVtt(text, file, encoding);
  if (format === 'srt') return parseSrt(text, file, encoding);
  if (format === 'sbv') return parseSbv(text, file, encoding);
  // A .txt that is really WebVTT (some tools save captions as .txt) is read as what it is.
  if (/^\uFEFF?WEBVTT(?:[ \t\n]|$)/.test(text)) return { ...parseVtt(text, file, encoding), format };
  return parsePlainText(text, format, encoding);
}

export async function parseTranscriptFile(filePath: string, limits?: ZipLimits): Promise<ParsedTranscript> {
  const name = path.basename(filePath);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    throw new FieldbookError('IO_ERROR', `${name} cannot be found at ${filePath}.`, { file: filePath });
  }
  if (stat.isDirectory()) throw new FieldbookError('IO_ERROR', `${name} is a folder, not a file.`, { file: filePath });
  if (stat.size > MAX_TRANSCRIPT_BYTES) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${name} is ${Math.round(stat.size / 1048576)} MB, too big to be a transcript (limit 64 MB).`, {
      file: filePath,
    });
  }
  const bytes = fs.readFileSync(filePath);
  try {
    return await parseTranscriptBytes(bytes, name, limits);
  } catch (error) {
    // Messages name the file by its short name; details carry the full path for tools.
    if (error instanceof FieldbookError) {
      throw new FieldbookError(error.code, error.message, { ...error.details, file: filePath });
    }
    throw error;
  }
}
