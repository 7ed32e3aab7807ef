import { Inflate, zipSync, type Zippable } from 'fflate';
import { FieldbookError } from '../../../shared/errors';

/**
 * A small, defensive zip reader for .qdpx files. fflate's unzipSync trusts the sizes a file
 * declares and inflates everything into memory at once, so a crafted archive (a "zip bomb")
 * could exhaust memory before we notice. Here the central directory is read first, declared
 * sizes and compression ratios are checked, and every entry is inflated in bounded chunks that
 * stop as soon as the real output passes what the entry declared.
 */
export interface ZipLimits {
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Highest uncompressed/compressed ratio accepted for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntries: 20_000,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDirectory: boolean;
}

function damaged(file: string, why: string): FieldbookError {
  return new FieldbookError('PARSE_ERROR', `${file} is not a readable .qdpx (zip) file: ${why}.`, { file });
}

/** Refuses names that could land outside the folder they are unpacked into. */
export function checkEntryName(name: string, file: string): void {
  const escapes =
    name.startsWith('/') ||
    name.startsWith('\\') ||
    /^[a-zA-Z]:/.test(name) ||
    name.includes('\0') ||
    name.split(/[\\/]/).some((part) => part === '..');
  if (escapes) {
    throw new FieldbookError(
      'PARSE_ERROR',
      `${file} was refused: it contains the path "${name}", which points outside the project folder. A .qdpx from a QDA program never does this; the file may be malicious.`,
      { file, field: name },
    );
  }
}

export function listZip(data: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment (<64 KiB).
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged(file, 'the zip directory is missing (the file is not a zip, or it is cut short)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw damaged(file, 'ZIP64 archives are not supported');
  if (count > limits.maxEntries) {
    throw new FieldbookError('PARSE_ERROR', `${file} was refused: it lists ${count} files, more than ${limits.maxEntries}.`, { file });
  }
  if (dirOffset + dirSize > eocd) throw damaged(file, 'the zip directory points past the end of the file');

  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || view.getUint32(at, true) !== 0x02014b50) throw damaged(file, `directory record ${n + 1} is broken`);
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

    checkEntryName(name, file);
    if (size > limits.maxEntryBytes) {
      throw new FieldbookError(
        'PARSE_ERROR',
        `${file} was refused: "${name}" would unpack to ${size} bytes, more than the ${limits.maxEntryBytes} allowed for one file.`,
        { file, field: name },
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new FieldbookError(
        'PARSE_ERROR',
        `${file} was refused: it would unpack to more than ${limits.maxTotalBytes} bytes in total (a "zip bomb" or a far larger project than expected).`,
        { file },
      );
    }
    if (size > limits.ratioFloorBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
      throw new FieldbookError(
        'PARSE_ERROR',
        `${file} was refused: "${name}" is compressed ${Math.round(size / Math.max(1, compressedSize))} to 1, which real documents never are; it looks like a "zip bomb".`,
        { file, field: name },
      );
    }
    if (flags & 1) throw damaged(file, `"${name}" is encrypted (password-protected zips are not supported)`);
    if (method !== 0 && method !== 8) throw damaged(file, `"${name}" uses compression method ${method} (only stored and deflate are supported)`);
    entries.push({ name, method, compressedSize, size, localOffset, isDirectory: name.endsWith('/') });
  }
  return entries;
}

/** Inflates one entry, never producing more than it declared. */
export function readZipEntry(data: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = entry.localOffset;
  if (at + 30 > data.length || view.getUint32(at, true) !== 0x04034b50) throw damaged(file, `the header of "${entry.name}" is broken`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > data.length) throw damaged(file, `"${entry.name}" is cut short`);
  const raw = data.subarray(start, end);
  if (entry.method === 0) {
    if (raw.length !== entry.size) throw damaged(file, `"${entry.name}" has the wrong size`);
    return raw;
  }

  const out = new Uint8Array(entry.size);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > entry.size) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  const step = 64 * 1024;
  try {
    for (let offset = 0; offset < raw.length && !overflow; offset += step) {
      inflater.push(raw.subarray(offset, Math.min(raw.length, offset + step)), offset + step >= raw.length);
    }
  } catch (error) {
    throw damaged(file, `"${entry.name}" cannot be decompressed (${(error as Error).message})`);
  }
  if (overflow) {
    throw new FieldbookError(
      'PARSE_ERROR',
      `${file} was refused: "${entry.name}" unpacks to more than the ${entry.size} bytes it declares; it looks like a "zip bomb".`,
      { file, field: entry.name },
    );
  }
  if (written !== entry.size) throw damaged(file, `"${entry.name}" unpacks to ${written} bytes, not the ${entry.size} it declares`);
  return out;
}

export function writeZip(files: Record<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) zippable[name] = [content, { level: 6 }];
  return zipSync(zippable);
}
