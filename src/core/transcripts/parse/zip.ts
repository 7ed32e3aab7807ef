import { Inflate } from 'fflate';
import { FieldbookError } from '../../../shared/errors';

/**
 * A bounded zip reader for .docx, .odt and .xlsx. Office files are zips, and a zip can unpack to
 * far more than it weighs (a "zip bomb"). Every size is checked in the central directory before
 * anything is inflated, and inflation itself stops the moment an entry outgrows what its header
 * declared, so a forged header cannot sneak past the first check either.
 */
export interface ZipLimits {
  /** Largest total of unpacked bytes across all entries. */
  maxTotalBytes: number;
  /** Largest unpacked:packed ratio allowed for an entry bigger than 1 MB (text XML is ~5-20×). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 256 * 1024 * 1024, maxRatio: 200 };

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5) && (data[3] === 4 || data[3] === 6);
}

function damaged(file: string, why: string): FieldbookError {
  return new FieldbookError('PARSE_ERROR', `${file} is damaged: ${why}`, { file });
}

/** Lists the entries from the central directory, refusing archives that would unpack too big. */
export function readZipDirectory(data: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment (≤ 64 KB).
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged(file, 'the zip directory at its end is missing (a cut-off download?).');
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is a ZIP64 archive, which no office document needs; it was not opened.`, { file });
  }
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > data.length || view.getUint32(p, true) !== CENTRAL_SIGNATURE) {
      throw damaged(file, `zip directory entry ${i + 1} is unreadable.`);
    }
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(data.subarray(p + 46, p + 46 + nameLength));
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new FieldbookError(
        'UNSUPPORTED_FORMAT',
        `${file} would unpack to more than ${Math.round(limits.maxTotalBytes / 1048576)} MB (it looks like a "zip bomb"), so it was not opened.`,
        { file, entry: name },
      );
    }
    if (size > 1024 * 1024 && size > Math.max(compressedSize, 1) * limits.maxRatio) {
      throw new FieldbookError(
        'UNSUPPORTED_FORMAT',
        `${file} contains "${name}", which would unpack ${Math.round(size / Math.max(compressedSize, 1))} times bigger than it is stored (it looks like a "zip bomb"), so it was not opened.`,
        { file, entry: name },
      );
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Unpacks one entry, never producing more bytes than its header declared. */
export function readZipEntry(data: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const p = entry.localOffset;
  if (p + 30 > data.length || view.getUint32(p, true) !== LOCAL_SIGNATURE) {
    throw damaged(file, `the entry "${entry.name}" cannot be found where the directory says.`);
  }
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const packed = data.subarray(start, start + entry.compressedSize);
  if (packed.length < entry.compressedSize) throw damaged(file, `the entry "${entry.name}" is cut off.`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged(file, `the entry "${entry.name}" has inconsistent sizes.`);
    return packed;
  }
  if (entry.method !== 8) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} uses a zip compression method (${entry.method}) office files never use.`, { file });
  }
  const out = new Uint8Array(entry.size);
  let written = 0;
  let overflow = false;
  const inflate = new Inflate((chunk) => {
    if (overflow) return;
    if (written + chunk.length > entry.size) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  // Feed in small pieces so a forged header is caught after at most one piece's expansion.
  const step = 16 * 1024;
  try {
    for (let i = 0; i < packed.length && !overflow; i += step) {
      inflate.push(packed.subarray(i, Math.min(packed.length, i + step)), i + step >= packed.length);
    }
  } catch {
    throw damaged(file, `the entry "${entry.name}" cannot be unpacked.`);
  }
  if (overflow) {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${file} contains "${entry.name}", which unpacks to more than its header declares (it looks like a "zip bomb"), so it was not opened.`,
      { file, entry: entry.name },
    );
  }
  if (written !== entry.size) throw damaged(file, `the entry "${entry.name}" is shorter than declared.`);
  return out;
}

/**
 * Checks a whole archive (directory and every entry) within the limits. Run it before handing the
 * bytes to a library (mammoth, exceljs) that would inflate without bounds.
 */
export function verifyZip(data: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const entries = readZipDirectory(data, file, limits);
  for (const entry of entries) {
    if (entry.size > 0) readZipEntry(data, entry, file);
  }
  return entries;
}

export function zipEntryText(data: Uint8Array, entries: ZipEntry[], name: string, file: string): string | null {
  const entry = entries.find((e) => e.name === name);
  if (!entry) return null;
  return new TextDecoder('utf-8').decode(readZipEntry(data, entry, file));
}
