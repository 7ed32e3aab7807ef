import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';

/**
 * The largest file each importer reads whole into memory. Past it the file is refused before a
 * byte is read, naming it and its size. (Survey CSV/TSV and .sav files are streamed, so their
 * size is bounded by the disk, not by this.)
 */
export const MAX_FILE_BYTES = {
  transcript: 64 * 1024 * 1024,
  codebook: 64 * 1024 * 1024,
  participants: 64 * 1024 * 1024,
  workbook: 512 * 1024 * 1024,
  qdpx: 1536 * 1024 * 1024,
} as const;

export type IntakeKind = keyof typeof MAX_FILE_BYTES;

const WHAT: Record<IntakeKind, string> = {
  transcript: 'a transcript',
  codebook: 'a codebook',
  participants: 'a participants sheet',
  workbook: 'a survey workbook',
  qdpx: 'a REFI-QDA project',
};

/** The size of a file that must exist and be a file, refused above the kind's limit. */
export function checkFile(filePath: string, kind: IntakeKind): number {
  const name = path.basename(filePath);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    throw new FieldbookError('NOT_FOUND', `${name} cannot be found at ${filePath}.`, { file: filePath });
  }
  if (stat.isDirectory()) throw new FieldbookError('IO_ERROR', `${name} is a folder, not a file.`, { file: filePath });
  const limit = MAX_FILE_BYTES[kind];
  if (stat.size > limit) {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${name} is ${Math.round(stat.size / 1048576)} MB, too big to be ${WHAT[kind]} (limit ${Math.round(limit / 1048576)} MB).`,
      { file: filePath },
    );
  }
  return stat.size;
}

/** Reads a whole untrusted file after checkFile. */
export function readUntrustedFile(filePath: string, kind: IntakeKind): Buffer {
  checkFile(filePath, kind);
  return fs.readFileSync(filePath);
}
