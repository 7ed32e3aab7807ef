import chardet from 'chardet';
import iconv from 'iconv-lite';
import { FieldbookError } from '../../shared/errors';

/**
 * The encoding rules every text importer follows (survey CSV/TSV, transcripts, codebooks,
 * participant sheets): a byte order mark decides; UTF-16 without one is known by its zero bytes;
 * then strict UTF-8; then a confident guess; anything else is refused naming the first byte that
 * could not be read, never imported as mojibake.
 */

/** A byte order mark at the start, and how long it is. */
export function bomOf(sample: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number } | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM: text of mostly ASCII has a zero byte in every other position. */
export function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(sample.length - (sample.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

export interface DecodedText {
  text: string;
  encoding: string;
}

/** chardet's confidence (0-100) below which a guess is no better than noise (random bytes score ~3). */
const MIN_CONFIDENCE = 10;

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (perhaps a Word or OpenDocument file with the wrong extension)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old binary Office file (.doc)' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
];

/** Line and column (1-based) of a byte offset, counting LF line ends. */
export function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Bytes → text, refusing what is not text. Order: byte-order marks, then strict UTF-8 (right for
 * nearly every modern export), then chardet's best guess when it is confident; anything else is
 * refused with the place of the first byte that could not be read, rather than imported as mojibake.
 */
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  if (bytes.length === 0) throw new FieldbookError('PARSE_ERROR', `${file} is empty.`, { file });
  const bom = bomOf(bytes);
  if (bom) return finish(new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length)), bom.encoding, bytes, file);
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return finish(new TextDecoder(utf16).decode(bytes), utf16, bytes, file);
  for (const signature of SIGNATURES) {
    if (startsWith(bytes, signature.bytes)) {
      throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is not a text file: it is ${signature.what}.`, { file, line: 1, column: 1 });
    }
  }
  const sample = bytes.subarray(0, 64 * 1024);
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a BOM has a NUL in every other byte of ASCII text; chardet recognises it.
    const guess = chardet.analyse(sample)[0];
    if (guess && /^UTF-16/i.test(guess.name) && guess.confidence >= MIN_CONFIDENCE) {
      return finish(iconv.decode(Buffer.from(bytes), guess.name), guess.name.toLowerCase(), bytes, file);
    }
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is not a text file: it contains binary data (first at ${describe(bytes, nul)}).`, {
      file,
      ...placeOfByte(bytes, nul),
    });
  }
  try {
    return finish(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8', bytes, file);
  } catch {
    // Not UTF-8: fall through to detection.
  }
  const firstHigh = bytes.findIndex((b) => b >= 0x80);
  const guess = chardet.analyse(sample)[0];
  if (!guess || guess.confidence < MIN_CONFIDENCE || !iconv.encodingExists(guess.name)) {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${file} is in a character encoding Fieldbook cannot recognise (first unreadable byte at ${describe(bytes, firstHigh)}). Save it as UTF-8 and import it again.`,
      { file, ...placeOfByte(bytes, Math.max(0, firstHigh)) },
    );
  }
  const decoded = iconv.decode(Buffer.from(bytes), guess.name);
  if (decoded.includes('\uFFFD')) {
    // Bytes that mean nothing in the best guess: the guess is wrong, and so would be the text.
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${file} is in a character encoding Fieldbook cannot recognise (first unreadable byte at ${describe(bytes, firstHigh)}; the closest guess, ${guess.name}, does not fit). Save it as UTF-8 and import it again.`,
      { file, ...placeOfByte(bytes, Math.max(0, firstHigh)) },
    );
  }
  return finish(decoded, guess.name.toLowerCase(), bytes, file);
}

function describe(bytes: Uint8Array, offset: number): string {
  const { line, column } = placeOfByte(bytes, Math.max(0, offset));
  return `line ${line}, column ${column}`;
}

function finish(text: string, encoding: string, bytes: Uint8Array, file: string): DecodedText {
  // A decoder accepts nearly any bytes; text with many control characters is still binary.
  let control = 0;
  const n = Math.min(text.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (n > 0 && control / n > 0.05) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is not a text file: it is mostly binary data.`, { file, ...placeOfByte(bytes, 0) });
  }
  if (!/\S/.test(text)) throw new FieldbookError('PARSE_ERROR', `${file} has no text in it (only blank space).`, { file });
  return { text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text, encoding };
}
