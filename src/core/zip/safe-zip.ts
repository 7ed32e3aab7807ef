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
 *
 * ZIP64 archives are read too: some tools write ZIP64 records for every archive, and large projects
 * need them. Their 64-bit counts, sizes and offsets go through exactly the same checks, and a ZIP64
 * record that contradicts the classic one or points outside the file is reported as damage.
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
   * The code of a refusal (zip bomb, escaping path, spanned archive, encryption, unknown compression). Callers
   * differ: a .qdpx import reports it as a parse error, a transcript import as an unsupported format.
   */
  refusalCode: Extract<ErrorCode, 'PARSE_ERROR' | 'UNSUPPORTED_FORMAT'>;
}

/** Office files are small XML zips: 256 MB unpacked or a ratio past 200:1 is no real document. */
export const OFFICE_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  refusalCode: 'UNSUPPORTED_FORMAT',
};

/** A whole project with its sources can be large, so the bounds are wider than for one document. */
export const QDPX_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntries: 20_000,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024,
  refusalCode: 'PARSE_ERROR',
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDirectory: boolean;
  crc32: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
/** The extra field holding an entry's 64-bit sizes and offset (APPNOTE 4.5.3). */
const ZIP64_EXTRA_ID = 0x0001;
/** A classic field holding this value says "the real value is in the ZIP64 record". */
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
/** Small pieces, so a forged header is caught after at most one piece's expansion. */
const INFLATE_STEP = 16 * 1024;

/** A zip starts with a local file header, or (when it holds nothing) with its end record, classic or ZIP64. */
export function isZip(data: Uint8Array): boolean {
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b) return false;
  return (data[2] === 3 && data[3] === 4) || (data[2] === 5 && data[3] === 6) || (data[2] === 6 && data[3] === 6);
}

function damaged(file: string, why: string, entry?: string): FieldbookError {
  return new FieldbookError('PARSE_ERROR', `${file} is damaged: ${why}.`, { file, ...(entry === undefined ? {} : { field: entry, entry }) });
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

/**
 * A 64-bit field as a number. Past 2^53 the number is inexact, which is harmless: every value is
 * compared with limits and file lengths far below that, and such a value fails those checks anyway.
 */
function uint64(view: DataView, at: number): number {
  return Number(view.getBigUint64(at, true));
}

interface DirectoryEnd {
  count: number;
  dirSize: number;
  dirOffset: number;
  /** Where the central directory must have ended: the classic end record, or the ZIP64 one before it. */
  limit: number;
  zip64: boolean;
}

/** Reads the end-of-central-directory record, and the ZIP64 one when its locator sits just before it. */
function readDirectoryEnd(view: DataView, data: Uint8Array, file: string, limits: ZipLimits): DirectoryEnd {
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
  const locator = eocd - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) {
    // Info-ZIP's `zip -fz` writing to a pipe marks the directory's offset as ZIP64 but writes no ZIP64
    // record. With no ZIP64 record in between, the directory ends where the end record starts, so
    // its size alone places it; it is only taken when a directory record really starts there.
    const inferred = eocd - dirSize;
    if (count !== U16_MAX && dirSize !== U32_MAX && dirOffset === U32_MAX && count > 0 && inferred >= 0 && view.getUint32(inferred, true) === CENTRAL_SIGNATURE) {
      return { count, dirSize, dirOffset: inferred, limit: eocd, zip64: true };
    }
    if (count === U16_MAX || dirSize === U32_MAX || dirOffset === U32_MAX) {
      throw damaged(file, 'its end record says the zip directory is described in a ZIP64 record, but there is none (a cut-off or damaged ZIP64 archive?)');
    }
    return { count, dirSize, dirOffset, limit: eocd, zip64: false };
  }

  if (view.getUint32(locator + 4, true) !== 0 || view.getUint32(locator + 16, true) > 1) {
    throw refused(limits, file, 'it is one part of a zip split over several files (a spanned archive), which Fieldbook does not open. Join the parts into one zip first.');
  }
  const record = uint64(view, locator + 8);
  if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) {
    throw damaged(file, 'its ZIP64 end record is not where the ZIP64 locator says (a cut-off or damaged ZIP64 archive?)');
  }
  // The record's own size field counts what follows its first 12 bytes: at least 44 fixed bytes.
  const recordSize = uint64(view, record + 4);
  if (recordSize < 44 || record + 12 + recordSize > locator) throw damaged(file, 'its ZIP64 end record is cut short or overlaps the ZIP64 locator');
  if (view.getUint32(record + 16, true) !== 0 || view.getUint32(record + 20, true) !== 0) {
    throw refused(limits, file, 'it is one part of a zip split over several files (a spanned archive), which Fieldbook does not open. Join the parts into one zip first.');
  }
  const wide = { onDisk: uint64(view, record + 24), count: uint64(view, record + 32), dirSize: uint64(view, record + 40), dirOffset: uint64(view, record + 48) };
  // A classic field either says "see ZIP64" (all ones) or repeats the ZIP64 value; anything else
  // means the two records disagree and there is no telling which one is right.
  const agrees = (classic: number, full: number, max: number) => classic === max || classic === full;
  if (wide.onDisk !== wide.count || !agrees(count, wide.count, U16_MAX) || !agrees(dirSize, wide.dirSize, U32_MAX) || !agrees(dirOffset, wide.dirOffset, U32_MAX)) {
    throw damaged(
      file,
      `its ZIP64 end record (${wide.count} files, directory of ${wide.dirSize} bytes at ${wide.dirOffset}) contradicts its classic end record (${count} files, ${dirSize} bytes at ${dirOffset})`,
    );
  }
  return { count: wide.count, dirSize: wide.dirSize, dirOffset: wide.dirOffset, limit: record, zip64: true };
}

/** Where the ZIP64 extra field's data starts and how long it is, or null when the entry has none. */
function findZip64Extra(view: DataView, start: number, length: number): { at: number; length: number } | null {
  let at = start;
  const end = start + length;
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (at + 4 + size > end) return null;
    if (id === ZIP64_EXTRA_ID) return { at: at + 4, length: size };
    at += 4 + size;
  }
  return null;
}

interface Directory {
  entries: ZipEntry[];
  zip64: boolean;
}

function readDirectory(data: Uint8Array, file: string, limits: ZipLimits): Directory {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const { count, dirSize, dirOffset, limit, zip64 } = readDirectoryEnd(view, data, file, limits);
  if (count > limits.maxEntries) throw refused(limits, file, `it lists ${count} files, more than ${limits.maxEntries}.`);
  if (dirOffset + dirSize > limit) throw damaged(file, 'the zip directory points past the end of the file');

  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  let wideEntries = false;
  for (let n = 0; n < count; n++) {
    if (at + 46 > limit || view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw damaged(file, `zip directory entry ${n + 1} of ${count} is unreadable`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const diskStart = view.getUint16(at + 34, true);
    let localOffset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength + extraLength + commentLength > limit) throw damaged(file, `zip directory entry ${n + 1} of ${count} runs past the directory`);
    const name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));

    // The extra field holds, in this order, only the values whose classic field is all ones.
    const needed = (size === U32_MAX ? 8 : 0) + (compressedSize === U32_MAX ? 8 : 0) + (localOffset === U32_MAX ? 8 : 0) + (diskStart === U16_MAX ? 4 : 0);
    if (needed > 0) {
      const extra = findZip64Extra(view, at + 46 + nameLength, extraLength);
      if (!extra || extra.length < needed) {
        throw damaged(file, `the ZIP64 sizes of "${name}" are missing or cut short in the zip directory`, name);
      }
      let field = extra.at;
      if (size === U32_MAX) {
        size = uint64(view, field);
        field += 8;
      }
      if (compressedSize === U32_MAX) {
        compressedSize = uint64(view, field);
        field += 8;
      }
      if (localOffset === U32_MAX) localOffset = uint64(view, field);
      wideEntries = true;
    }
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
    if (localOffset + 30 + compressedSize > dirOffset) {
      throw damaged(file, `the directory places "${name}" (${compressedSize} bytes at ${localOffset}) past the start of the zip directory`, name);
    }
    entries.push({ name, method, compressedSize, size, localOffset, isDirectory: name.endsWith('/'), crc32 });
  }
  return { entries, zip64: zip64 || wideEntries };
}

/** Lists the entries from the central directory, refusing archives that would unpack too big or outside their folder. */
export function readZipDirectory(data: Uint8Array, file: string, limits: ZipLimits): ZipEntry[] {
  return readDirectory(data, file, limits).entries;
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
  return verifyDirectory(data, file, limits).entries;
}

function verifyDirectory(data: Uint8Array, file: string, limits: ZipLimits): Directory {
  const directory = readDirectory(data, file, limits);
  for (const entry of directory.entries) {
    if (entry.size > 0) readZipEntry(data, entry, file, limits);
  }
  return directory;
}

/**
 * Checks the archive like `verifyZip` and returns bytes any zip library reads: the same bytes, or,
 * for a ZIP64 archive, an ordinary zip of the same entries. JSZip (inside mammoth and exceljs) misreads
 * a ZIP64 archive whose classic end record is not all ones, as Python's zipfile writes it: it takes the
 * ZIP64 records for bytes prepended to the archive and finds no entries. The entries are copied as
 * they are stored, not packed again; the limits keep every size well inside what a classic zip holds.
 */
export function verifyZipForLibrary(data: Uint8Array, file: string, limits: ZipLimits): Uint8Array {
  const { entries, zip64 } = verifyDirectory(data, file, limits);
  if (!zip64) return data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const at = entry.localOffset;
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const packed = data.subarray(start, start + entry.compressedSize);
    const name = encoder.encode(entry.name);
    if (entries.length > U16_MAX || offset + 30 + name.length + packed.length > U32_MAX) {
      throw refused(limits, file, 'it is a ZIP64 archive too large to pass on as an ordinary zip.');
    }
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL_SIGNATURE, true);
    lv.setUint16(4, 20, true);
    // Names were read as UTF-8, so they are written as UTF-8 and flagged so; no data descriptor follows.
    lv.setUint16(6, 0x0800, true);
    lv.setUint16(8, entry.method, true);
    lv.setUint16(12, 0x21, true);
    lv.setUint32(14, entry.crc32, true);
    lv.setUint32(18, entry.compressedSize, true);
    lv.setUint32(22, entry.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const record = new Uint8Array(46 + name.length);
    const cv = new DataView(record.buffer);
    cv.setUint32(0, CENTRAL_SIGNATURE, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, entry.method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, entry.crc32, true);
    cv.setUint32(20, entry.compressedSize, true);
    cv.setUint32(24, entry.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    record.set(name, 46);
    parts.push(local, packed);
    central.push(record);
    offset += local.length + packed.length;
  }
  const dirSize = central.reduce((sum, r) => sum + r.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, EOCD_SIGNATURE, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let position = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, position);
    position += part.length;
  }
  return out;
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
