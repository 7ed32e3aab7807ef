import { Inflate, zipSync, type Zippable } from 'fflate';
import { FieldbookError, type ErrorCode } from '../../shared/errors';

/**
 * A bounded zip reader for the zips Fieldbook opens (.qdpx projects, .docx/.odt/.xlsx files).
 * fflate's unzipSync, and the libraries built on it (mammoth, exceljs), trust the sizes a file
 * declares and inflate everything into memory at once, so a crafted archive (a "zip bomb") could
 * exhaust memory before anyone notices. Here the central directory is read first, names, counts,
 * declared sizes and compression ratios are checked, and every entry is inflated in small chunks
 * that stop the moment the real output passes what the entry declared, so a forged header cannot
 * sneak past the first check either.
 */
export interface ZipLimits {
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Highest uncompressed:compressed ratio accepted for entries above `ratioFloorBytes` (text XML is ~5-20×). */
  maxRatio: number;
  ratioFloorBytes: number;
  /**
   * The code of a refusal (zip bomb, escaping path, ZIP64, encryption, unknown compression). Callers
   * differ: a .qdpx import reports it as a parse error, a transcript import as an unsupported format.
   */
  refusalCode: Extract<ErrorCode, 'PARSE_ERROR' | 'UNSUPPORTED_FORMAT'>;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDirectory: boolean;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Small pieces, so a forged header is caught after at most one piece's expansion. */
const INFLATE_STEP = 16 * 1024;

/** A zip starts with a local file header, or (when it holds nothing) with its end record. */
export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && ((data[2] === 3 && data[3] === 4) || (data[2] === 5 && data[3] === 6));
}

function damaged(file: string, why: string): FieldbookError {
  return new FieldbookError('PARSE_ERROR', `${file} is damaged: ${why}.`, { file });
}

function refused(limits: ZipLimits, file: string, why: string, entry?: string): FieldbookError {
  return new FieldbookError(limits.refusalCode, `${file} was refused: ${why}`, { file, ...(entry === undefined ? {} : { field: entry, entry }) });
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MB`;
}

/** Refuses names that could land outside the folder they are unpacked into. */
export function checkEntryName(name: string, file: string, limits: ZipLimits): void {
  const escapes =
    name.startsWith('/') ||
    name.startsWith('\\') ||
    /^[a-zA-Z]:/.test(name) ||
    name.includes('\0') ||
    name.split(/[\\/]/).some((part) => part === '..');
  if (escapes) {
    throw refused(
      limits,
      file,
      `it contains the path "${name}", which points outside the project folder it would be unpacked into. Files written by real programs never do this; this one may be malicious.`,
      name,
    );
  }
}

/** Lists the entries from the central directory, refusing archives that would unpack too big or outside their folder. */
export function readZipDirectory(data: Uint8Array, file: string, limits: ZipLimits): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment (< 64 KiB).
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged(file, 'the zip directory at its end is missing (not a zip, or a cut-off download?)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw refused(limits, file, 'it is a ZIP64 archive, which Fieldbook does not open (no project or document it reads needs one).');
  }
  if (count > limits.maxEntries) throw refused(limits, file, `it lists ${count} files, more than ${limits.maxEntries}.`);
  if (dirOffset + dirSize > eocd) throw damaged(file, 'the zip directory points past the end of the file');

  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw damaged(file, `zip directory entry ${n + 1} is unreadable`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    const name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;

    checkEntryName(name, file, limits);
    if (size > limits.maxEntryBytes) {
      throw refused(limits, file, `"${name}" would unpack to ${size} bytes, more than the ${limits.maxEntryBytes} allowed for one file.`, name);
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw refused(limits, file, `it would unpack to more than ${megabytes(limits.maxTotalBytes)} in total (it looks like a "zip bomb"), so it was not opened.`, name);
    }
    const ratio = size / Math.max(1, compressedSize);
    if (size > limits.ratioFloorBytes && ratio > limits.maxRatio) {
      throw refused(
        limits,
        file,
        `"${name}" would unpack ${Math.round(ratio)} times bigger than it is stored, which real documents never do (it looks like a "zip bomb"), so it was not opened.`,
        name,
      );
    }
    if (flags & 1) throw refused(limits, file, `"${name}" is encrypted (password-protected zips are not supported).`, name);
    if (method !== 0 && method !== 8) {
      throw refused(limits, file, `"${name}" uses zip compression method ${method} (only stored and deflate are supported).`, name);
    }
    entries.push({ name, method, compressedSize, size, localOffset, isDirectory: name.endsWith('/') });
  }
  return entries;
}

/** Unpacks one entry, never producing more bytes than its header declared. */
export function readZipEntry(data: Uint8Array, entry: ZipEntry, file: string, limits: ZipLimits): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = entry.localOffset;
  if (at + 30 > data.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw damaged(file, `the entry "${entry.name}" cannot be found where the directory says`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const packed = data.subarray(start, start + entry.compressedSize);
  if (packed.length < entry.compressedSize) throw damaged(file, `the entry "${entry.name}" is cut off`);
  if (entry.method === 0) {
    if (packed.length !== entry.size) throw damaged(file, `the entry "${entry.name}" has inconsistent sizes`);
    return packed;
  }
  if (entry.method !== 8) throw refused(limits, file, `"${entry.name}" uses zip compression method ${entry.method} (only stored and deflate are supported).`, entry.name);

  const out = new Uint8Array(entry.size);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (overflow) return;
    if (written + chunk.length > entry.size) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let offset = 0; offset < packed.length && !overflow; offset += INFLATE_STEP) {
      inflater.push(packed.subarray(offset, Math.min(packed.length, offset + INFLATE_STEP)), offset + INFLATE_STEP >= packed.length);
    }
  } catch (error) {
    throw damaged(file, `the entry "${entry.name}" cannot be unpacked (${(error as Error).message})`);
  }
  if (overflow) {
    throw refused(
      limits,
      file,
      `"${entry.name}" unpacks to more than the ${entry.size} bytes it declares. An entry growing to more than its header declares is how a "zip bomb" hides, so it was not opened.`,
      entry.name,
    );
  }
  if (written !== entry.size) throw damaged(file, `the entry "${entry.name}" unpacks to ${written} bytes, not the ${entry.size} it declares`);
  return out;
}

/**
 * Checks a whole archive (directory and every entry) within the limits. Run it before handing the
 * bytes to a library (mammoth, exceljs) that would inflate without bounds.
 */
export function verifyZip(data: Uint8Array, file: string, limits: ZipLimits): ZipEntry[] {
  const entries = readZipDirectory(data, file, limits);
  for (const entry of entries) {
    if (entry.size > 0) readZipEntry(data, entry, file, limits);
  }
  return entries;
}

/** The UTF-8 text of the entry called `name`, or null when the archive has none. */
export function zipEntryText(data: Uint8Array, entries: ZipEntry[], name: string, file: string, limits: ZipLimits): string | null {
  const entry = entries.find((e) => e.name === name);
  if (!entry) return null;
  return new TextDecoder('utf-8').decode(readZipEntry(data, entry, file, limits));
}

export function writeZip(files: Record<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) zippable[name] = [content, { level: 6 }];
  return zipSync(zippable);
}
