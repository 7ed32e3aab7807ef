import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../../shared/errors';
import type { ParsedVariable } from '../model';
import type { SpssParsedSurvey } from './dictionary';
import { readPor } from './por';
import { NeedMoreBytes } from './bytes';
import { readSav } from './sav';

export type { SpssParsedSurvey, SpssFileInfo } from './dictionary';

export interface SpssReadOptions {
  /** Overrides the encoding the file declares ("windows-1252", "UTF-8", "cp850"...). */
  encoding?: string;
  signal?: AbortSignal;
}

/** True when the bytes look like an SPSS system file (.sav, .zsav) or portable file (.por). */
export function looksLikeSpss(bytes: Uint8Array): 'sav' | 'zsav' | 'por' | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4)).toString('latin1');
  if (head === '$FL2') return 'sav';
  if (head === '$FL3') return 'zsav';
  if (isPortable(bytes)) return 'por';
  return undefined;
}

function isPortable(bytes: Uint8Array): boolean {
  // The 200-byte vanity splash, then a 256-byte character table, then "SPSSPORT" in the file's own
  // alphabet; line breaks every 80 columns may sit anywhere in between, so look for the signature.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return /ASCII SPSS PORT FILE|SPSS PORT FILE/i.test(head.slice(0, 200)) || head.replace(/\r?\n/g, '').slice(456, 464) === 'SPSSPORT';
}

/** Reads SPSS bytes already in memory; `fileName` names the file in messages. */
export function readSpss(buffer: Uint8Array, fileName: string, options: SpssReadOptions = {}): SpssParsedSurvey {
  const kind = looksLikeSpss(buffer);
  if (kind === 'sav' || kind === 'zsav') return readSav(buffer, fileName, options);
  if (kind === 'por') return readPor(buffer, fileName, options);
  if (buffer.length === 0) throw new FieldbookError('PARSE_ERROR', `${fileName} is empty.`, { file: fileName, record: 1 });
  throw new FieldbookError('PARSE_ERROR', `${fileName} is not an SPSS file: a .sav starts with "$FL2", a .zsav with "$FL3", and a .por with the portable-file header.`, {
    file: fileName,
    record: 1,
    offset: 0,
  });
}

/** Below this a file is read whole; above it, bytecode-compressed cases stream through a window. */
const WINDOW = 1 << 20;

export function readSpssFile(filePath: string, options: SpssReadOptions = {}): SpssParsedSurvey {
  const name = path.basename(filePath);
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FieldbookError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `Could not read ${name}: ${err.message}`, { file: filePath });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const readHead = (n: number): Buffer => {
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const k = fs.readSync(fd, buf, got, n - got, got);
        if (k === 0) break;
        got += k;
      }
      return got === n ? buf : buf.subarray(0, got);
    };
    let headSize = WINDOW;
    while (size > headSize) {
      const head = readHead(headSize);
      if (looksLikeSpss(head) !== 'sav') break;
      try {
        return readSav(head, name, options, { fd, size });
      } catch (e) {
        // The dictionary did not fit, or the data are not bytecode-compressed: read more.
        if (!(e instanceof NeedMoreBytes)) throw e;
        if (e.whole || headSize * 4 >= size) break;
        headSize *= 4;
      }
    }
    return readSpss(readHead(size), name, options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!(e instanceof FieldbookError) && typeof err.syscall === 'string') {
      throw new FieldbookError('IO_ERROR', `Could not read ${name}: ${err.message}`, { file: filePath });
    }
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Which rows hold a user-missing value of this variable (what SPSS, haven and pyreadstat turn into
 * NA by default). The reader keeps the values themselves so the user can decide.
 */
export function userMissingMask(variable: ParsedVariable): Uint8Array {
  const { values, missing } = variable;
  const mask = new Uint8Array(values.values.length);
  if (missing.values.length === 0 && !missing.range) return mask;
  if (values.kind === 'number') {
    const nums = missing.values.filter((v): v is number => typeof v === 'number');
    const low = missing.range?.low ?? Infinity;
    const high = missing.range?.high ?? -Infinity;
    const a = values.values;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if ((v >= low && v <= high) || nums.includes(v)) mask[i] = 1;
    }
  } else {
    const strs = new Set(missing.values.filter((v): v is string => typeof v === 'string'));
    values.values.forEach((v, i) => {
      if (v !== null && strs.has(v)) mask[i] = 1;
    });
  }
  return mask;
}
