import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { FieldbookError } from '../../shared/errors';

/** The encodings a survey file may be read in (names as iconv-lite knows them). */
export const SUPPORTED_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'macintosh', 'iso-8859-1'] as const;

export interface DetectedEncoding {
  encoding: string;
  /** Bytes to skip at the start (a byte order mark). */
  bomLength: number;
  /** Why we chose it, for the preview. */
  reason: string;
  /** For a file mixing UTF-8 and Windows-1252: the lines (from 1) of the sample that are not UTF-8. */
  otherLines?: number[];
}

/**
 * UTF-8 with some lines in Windows-1252: a file edited or appended to by two programs. Each line
 * (each cell, in the byte reader) is read in the encoding it is valid in, instead of one of the
 * two turning into mojibake.
 */
export const MIXED_UTF8_1252 = 'utf-8+windows-1252';

/** The lines of the sample that are not UTF-8, when others hold UTF-8 beyond ASCII; else null. */
function mixedLines(sample: Uint8Array, complete: boolean): number[] | null {
  const bytes = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  const other: number[] = [];
  let utf8 = false;
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    let end = bytes.indexOf(10, start);
    // The sample may stop inside the last line: judge only whole lines then.
    if (end < 0 && !complete) break;
    if (end < 0) end = bytes.length;
    const piece = bytes.subarray(start, end);
    if (!isUtf8(piece)) other.push(line);
    else if (piece.some((b) => b >= 0x80)) utf8 = true;
    start = end + 1;
  }
  return utf8 && other.length > 0 ? other : null;
}

export function normalizeEncoding(name: string): string {
  const lower = name.trim().toLowerCase().replace(/_/g, '-');
  if (lower === 'utf8') return 'utf-8';
  if (lower === 'cp1252' || lower === 'windows1252') return 'windows-1252';
  if (lower === 'macroman' || lower === 'mac-roman' || lower === 'x-mac-roman') return 'macintosh';
  if (lower === 'latin1' || lower === 'latin-1') return 'iso-8859-1';
  if (lower === 'utf16le' || lower === 'utf-16') return 'utf-16le';
  if (lower === 'utf16be') return 'utf-16be';
  return lower;
}

function bomOf(sample: Uint8Array): { encoding: string; length: number } | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM: text of mostly ASCII has a zero byte in every other position. */
function utf16WithoutBom(sample: Uint8Array): string | null {
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

function isValidUtf8(sample: Uint8Array, complete: boolean): boolean {
  let end = sample.length;
  if (!complete) {
    // The sample may stop inside a multi-byte character: drop that last partial character.
    let back = 0;
    while (back < 4 && end - back - 1 >= 0 && (sample[end - back - 1]! & 0xc0) === 0x80) back++;
    const lead = sample[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

const LETTER = /\p{L}/u;

/**
 * Windows-1252 and MacRoman put different characters on the same high bytes: 0x80-0x9F are
 * punctuation in 1252 but accented letters in MacRoman. A high byte between two ASCII letters is
 * almost always a letter, so we count which reading makes those bytes letters.
 */
function windowsOrMac(sample: Uint8Array): 'windows-1252' | 'macintosh' {
  let win = 0;
  let mac = 0;
  const isAsciiLetter = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x80) continue;
    const inWord = isAsciiLetter(sample[i - 1]) || isAsciiLetter(sample[i + 1]);
    const w = iconv.decode(Buffer.from([b]), 'windows-1252');
    const m = iconv.decode(Buffer.from([b]), 'macintosh');
    if (inWord) {
      if (LETTER.test(w)) win++;
      if (LETTER.test(m)) mac++;
    } else {
      if (!LETTER.test(w)) win++;
      if (!LETTER.test(m)) mac++;
    }
  }
  return mac > win ? 'macintosh' : 'windows-1252';
}

/**
 * Picks the encoding of a text file from its first bytes: a BOM wins, then UTF-16 by its zero
 * bytes, then strict UTF-8, then chardet's guess among the single-byte encodings we support.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): DetectedEncoding {
  const bom = bomOf(sample);
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, reason: 'byte order mark' };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0, reason: 'zero bytes of UTF-16 text' };
  if (isValidUtf8(sample, complete)) return { encoding: 'utf-8', bomLength: 0, reason: 'valid UTF-8' };
  const mixed = mixedLines(sample, complete);
  if (mixed) {
    const shown = mixed.slice(0, 5).join(', ') + (mixed.length > 5 ? ', …' : '');
    return { encoding: MIXED_UTF8_1252, bomLength: 0, reason: `UTF-8, except line${mixed.length > 1 ? 's' : ''} ${shown} in Windows-1252: each line read in its own`, otherLines: mixed };
  }
  // chardet tells single-byte from multi-byte text well (Shift_JIS, GBK); among the Western
  // single-byte code pages it cannot tell MacRoman, so that choice is ours.
  const top = chardet.analyse(sample)[0];
  if (top && /^(shift_jis|gb18030|big5|euc-jp|euc-kr)$/i.test(top.name) && top.confidence >= 50 && iconv.encodingExists(top.name)) {
    return { encoding: top.name.toLowerCase(), bomLength: 0, reason: `not valid UTF-8; looks like ${top.name}` };
  }
  return { encoding: windowsOrMac(sample), bomLength: 0, reason: 'not valid UTF-8; single-byte Western text' };
}

/** The encoding to read with: the user's choice when given (its BOM still skipped), else detected. */
export function chooseEncoding(sample: Uint8Array, complete: boolean, override: string | undefined, file: string): DetectedEncoding {
  if (override) {
    const encoding = normalizeEncoding(override);
    if (encoding !== MIXED_UTF8_1252 && !iconv.encodingExists(encoding)) {
      throw new FieldbookError('INVALID_INPUT', `Fieldbook cannot read the encoding "${override}". Try utf-8, utf-16le, windows-1252 or macintosh.`, {
        file,
      });
    }
    const bom = bomOf(sample);
    return { encoding, bomLength: bom && bom.encoding === encoding ? bom.length : 0, reason: 'chosen by you' };
  }
  return detectEncoding(sample, complete);
}

/** A streaming decoder: feed bytes, get text; never splits a character between chunks. */
export interface TextChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: string): TextChunkDecoder {
  if (encoding === MIXED_UTF8_1252) return mixedDecoder();
  if (encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8');
    return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
  }
  const decoder = iconv.getDecoder(encoding);
  return { write: (bytes) => decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), end: () => decoder.end() ?? '' };
}

/** One cell's bytes [start, end) of a buffer as text, in the file's encoding. */
export type CellDecoder = (buf: Buffer, start: number, end: number) => string;

export const decodeUtf8: CellDecoder = (buf, start, end) => buf.toString('utf8', start, end);

const decodeMixed: CellDecoder = (buf, start, end) => {
  const piece = buf.subarray(start, end);
  return isUtf8(piece) ? piece.toString('utf8') : iconv.decode(piece, 'windows-1252');
};

/** Text a line at a time, each line in UTF-8 when it is valid UTF-8, else in Windows-1252. */
function mixedDecoder(): TextChunkDecoder {
  // The unfinished line, in pieces: joined once its line break comes (a long line is not re-copied per chunk).
  let held: Buffer[] = [];
  const decodeLines = (bytes: Buffer, last: number): string => {
    let out = '';
    for (let start = 0; start < last; ) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 || nl >= last ? last : nl + 1;
      out += decodeMixed(bytes, start, end);
      start = end;
    }
    return out;
  };
  return {
    write(chunk) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const last = bytes.lastIndexOf(10) + 1;
      if (last === 0) {
        held.push(Buffer.from(bytes));
        return '';
      }
      const whole = Buffer.concat([...held, bytes.subarray(0, last)]);
      held = last < bytes.length ? [Buffer.from(bytes.subarray(last))] : [];
      return decodeLines(whole, whole.length);
    },
    end() {
      const rest = Buffer.concat(held);
      held = [];
      return decodeLines(rest, rest.length);
    },
  };
}

/** Encodings whose every character is one byte, so a quote, a delimiter or a line break is never part of another character. */
const SINGLE_BYTE = /^(ascii|us-ascii|windows-125\d|iso-8859-\d+|macintosh|macroman|latin1)$/i;

/** UTF-8 or a single-byte encoding: a quote and a line break are one byte that is never part of another character. */
export function asciiSafe(encoding: string): boolean {
  return encoding === 'utf-8' || encoding === MIXED_UTF8_1252 || oneByteCharacters(encoding);
}

function oneByteCharacters(encoding: string): boolean {
  return SINGLE_BYTE.test(encoding);
}

/**
 * The cell decoder for the byte reader (survey/bytes.ts), or null when the encoding is not one it
 * can read (UTF-16, or a multi-byte encoding whose bytes may look like a delimiter). A single-byte
 * cell in ASCII is a latin1 slice; otherwise iconv decodes it, as the text parser's decoder does.
 */
export function cellDecoder(encoding: string): CellDecoder | null {
  if (encoding === 'utf-8') return decodeUtf8;
  if (encoding === MIXED_UTF8_1252) return decodeMixed;
  if (!oneByteCharacters(encoding)) return null;
  return (buf, start, end) => {
    for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return iconv.decode(buf.subarray(start, end), encoding);
    return buf.toString('latin1', start, end);
  };
}
