import iconv from 'iconv-lite';
import { FieldbookError } from '../../../shared/errors';

/**
 * Turns the bytes of SPSS strings (names, labels, data) into JavaScript strings. SPSS pads every
 * string with spaces, so decoders drop trailing spaces and NULs before decoding.
 */
export interface TextDecoderFn {
  /** The canonical name shown to the user ("UTF-8", "windows-1252"). */
  readonly name: string;
  decode(bytes: Uint8Array, start: number, end: number): string;
}

/** Windows code page numbers found in the machine-integer record (7.3) and their iconv-lite names. */
export function codePageToEncoding(codePage: number): string | undefined {
  if (codePage === 65001) return 'UTF-8';
  // 2 and 3 are "7-bit" and "8-bit ASCII"; 8-bit ASCII files from old SPSS releases are in practice Windows-1252.
  if (codePage === 2 || codePage === 20127) return 'US-ASCII';
  if (codePage === 3) return 'windows-1252';
  if (codePage >= 1250 && codePage <= 1258) return `windows-${codePage}`;
  if (codePage >= 28591 && codePage <= 28606) return `ISO-8859-${codePage - 28590}`;
  if (codePage === 10000) return 'macintosh';
  if (codePage === 20866) return 'KOI8-R';
  if (codePage === 932) return 'Shift_JIS';
  if (codePage === 936) return 'GBK';
  if (codePage === 949) return 'cp949';
  if (codePage === 950) return 'Big5';
  const name = `cp${codePage}`;
  return iconv.encodingExists(name) ? name : undefined;
}

function isUtf8(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return n === 'utf8';
}

function isAscii(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return n === 'usascii' || n === 'ascii';
}

/** Last index (exclusive) after dropping the trailing spaces and NULs SPSS pads with. */
export function trimEnd(bytes: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const b = bytes[end - 1];
    if (b !== 0x20 && b !== 0) break;
    end--;
  }
  return end;
}

/**
 * SPSS cuts strings at a byte width, which can split the last UTF-8 character (SPSS 27 does this
 * to Telugu text); drop the fragment rather than show a replacement character.
 */
function dropCutCharacter(bytes: Uint8Array, start: number, end: number): number {
  let lead = end - 1;
  while (lead > start && lead > end - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  const b = bytes[lead]!;
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return end - lead < need ? lead : end;
}

function allAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Hot loops pass Buffers, so this allocates only for the odd plain Uint8Array. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function makeDecoder(encoding: string, file?: string): TextDecoderFn {
  if (isUtf8(encoding)) {
    return {
      name: 'UTF-8',
      decode(bytes, start, end) {
        end = trimEnd(bytes, start, end);
        if (end === start) return '';
        const buf = asBuffer(bytes);
        // ASCII is by far the common case and latin1 slicing of Buffers is several times faster.
        if (allAscii(bytes, start, end)) return buf.toString('latin1', start, end);
        return buf.toString('utf8', start, dropCutCharacter(bytes, start, end));
      },
    };
  }
  const iconvName = isAscii(encoding) ? 'windows-1252' : encoding;
  if (!iconv.encodingExists(iconvName)) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `The character encoding "${encoding}" is not one Fieldbook can read. Choose another encoding.`, {
      file,
      field: 'encoding',
    });
  }
  return {
    name: encoding,
    decode(bytes, start, end) {
      end = trimEnd(bytes, start, end);
      if (end === start) return '';
      const buf = asBuffer(bytes);
      if (allAscii(bytes, start, end)) return buf.toString('latin1', start, end);
      return iconv.decode(buf.subarray(start, end), iconvName);
    },
  };
}

/** Names in files come as "UTF-8", "windows-1252", "CP1252", "ISO_8859-1"...: accept what iconv-lite knows. */
export function normaliseEncodingName(raw: string): string | undefined {
  const name = raw.trim();
  if (!name) return undefined;
  if (isUtf8(name)) return 'UTF-8';
  const lower: string = name.toLowerCase();
  const m = /^(?:cp|windows-?)(\d+)$/.exec(lower);
  if (m) return codePageToEncoding(Number(m[1]));
  const dashed: string = lower.replace(/_/g, '-');
  for (const candidate of [lower, dashed]) if (iconv.encodingExists(candidate)) return candidate === lower ? name : candidate;
  return undefined;
}
