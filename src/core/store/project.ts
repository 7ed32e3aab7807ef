import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';
import { nativeBindingOption } from './native';

/** PRAGMA application_id of every Fieldbook project ("FBK1"). */
export const FIELDBOOK_APPLICATION_ID = 0x46424b31;
export const PROJECT_EXTENSION = '.fieldbook';
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenOptions {
  /** Create the file if it does not exist (refuses to replace an existing file unless `overwrite`). */
  create?: boolean;
  overwrite?: boolean;
  /** Called with the backup's path when an older project is copied before migrating. */
  onBackup?: (backupPath: string) => void;
}

/** An open project: one SQLite connection that holds the file's lock until close(). */
export class Project {
  readonly db: Db;
  readonly path: string;
  private closed = false;

  constructor(db: Db, filePath: string) {
    this.db = db;
    this.path = filePath;
  }

  get name(): string {
    return path.basename(this.path, PROJECT_EXTENSION);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** Runs fn in one transaction: all of it lands, or none of it. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function lockedError(filePath: string): FieldbookError {
  return new FieldbookError(
    'PROJECT_LOCKED',
    `${path.basename(filePath)} is open in another Fieldbook window or program. Close it there, then try again.`,
    { file: filePath },
  );
}

function readHeader(filePath: string): Buffer {
  const fd = fs.openSync(filePath, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = fs.readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens (or creates) a project file. Refuses, without writing a byte, a file that is not SQLite,
 * an SQLite file that is not a Fieldbook project, a project from a newer Fieldbook, and a project
 * that another process holds open. An older project is backed up, then migrated in one
 * transaction per step.
 */
export function openProject(filePath: string, options: OpenOptions = {}): Project {
  const absolute = path.resolve(filePath);
  const exists = fs.existsSync(absolute);
  if (exists && options.create && !options.overwrite) {
    throw new FieldbookError('ALREADY_EXISTS', `${path.basename(absolute)} already exists. Choose another name or open it.`, {
      file: absolute,
    });
  }
  if (!exists && !options.create) {
    throw new FieldbookError('NOT_FOUND', `There is no project at ${absolute}.`, { file: absolute });
  }
  if (exists && options.create && options.overwrite) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(absolute + suffix, { force: true });
  }
  const isNew = !fs.existsSync(absolute);
  if (!isNew) {
    if (fs.statSync(absolute).isDirectory()) {
      throw new FieldbookError('NOT_SQLITE', `${absolute} is a folder, not a Fieldbook project file.`, { file: absolute });
    }
    const header = readHeader(absolute);
    if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
      throw new FieldbookError(
        'NOT_SQLITE',
        `${path.basename(absolute)} is not a Fieldbook project: it is not an SQLite database file.`,
        { file: absolute },
      );
    }
  } else {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
  }

  const db = new Database(absolute, { fileMustExist: !isNew, timeout: 0, ...nativeBindingOption() });
  try {
    // Exclusive locking: the OS lock is held while the project is open and released even if the
    // process dies, so a second process gets SQLITE_BUSY instead of a shared, corruptible file.
    db.pragma('locking_mode = EXCLUSIVE');
    let applicationId: number;
    let version: number;
    try {
      applicationId = db.pragma('application_id', { simple: true }) as number;
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (error) {
      if (isBusy(error)) throw lockedError(absolute);
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new FieldbookError('NOT_SQLITE', `${path.basename(absolute)} is not a Fieldbook project: the file is damaged or not SQLite.`, {
          file: absolute,
        });
      }
      throw error;
    }

    if (!isNew) {
      const tableCount = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
      if (applicationId !== FIELDBOOK_APPLICATION_ID && !(applicationId === 0 && tableCount === 0 && version === 0)) {
        throw new FieldbookError(
          'NOT_A_PROJECT',
          `${path.basename(absolute)} is an SQLite database, but not a Fieldbook project. Fieldbook did not change it.`,
          { file: absolute },
        );
      }
      if (version > LATEST_SCHEMA_VERSION) {
        throw new FieldbookError(
          'NEWER_VERSION',
          `${path.basename(absolute)} was saved by a newer Fieldbook (schema ${version}; this one knows up to ${LATEST_SCHEMA_VERSION}). Update Fieldbook to open it. The file was not changed.`,
          { file: absolute, schemaVersion: version, supportedVersion: LATEST_SCHEMA_VERSION },
        );
      }
    }

    try {
      db.pragma('journal_mode = WAL');
      // Take the write lock now, so "open elsewhere" is found at open time, not at the first edit.
      db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (error) {
      if (isBusy(error)) throw lockedError(absolute);
      throw error;
    }
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');

    if (version < LATEST_SCHEMA_VERSION) {
      if (!isNew && version > 0) {
        const backupPath = backupName(absolute, version);
        db.exec(`VACUUM INTO '${backupPath.replaceAll("'", "''")}'`);
        options.onBackup?.(backupPath);
      }
      migrate(db, version);
    }
    if (isNew || version === 0) {
      db.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
    }
    return new Project(db, absolute);
  } catch (error) {
    db.close();
    if (isNew) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(absolute + suffix, { force: true });
    throw error;
  }
}

function backupName(filePath: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `${filePath}.v${version}-${stamp}.backup`;
}

/** Applies every migration above `from`, each in its own transaction with its user_version. */
export function migrate(db: Db, from: number, to: number = LATEST_SCHEMA_VERSION): void {
  for (const step of migrations) {
    if (step.version <= from || step.version > to) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
}
