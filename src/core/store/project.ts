import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';
import { runPendingRebuilds } from './rebuilds';
import { nativeBindingOption } from './native';

/** Page size of a new project file (see openProject). */
export const PAGE_SIZE = 16384;

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

/**
 * The gate between an import being saved and everything else on the same connection.
 *
 * - An ordinary call holds a share of its project while it runs (Project.enterCall), so a write
 *   never opens in the middle of one; new calls wait while a write is open or queued.
 * - A job holds no share (it may run for minutes): it waits at its checkpoints instead
 *   (Project.writesDone), which is where long work touches the project between batches.
 * - writeAsync opens once no share is held and no other write is open.
 *
 * `call` is the share of the running call, if any; `write` is the open write the running code
 * belongs to (the import's own statements and checkpoints). Every dispatched call starts with a
 * store of its own (see outsideWrites), even one made from an event listener mid-write.
 */
interface CallShare {
  project: Project;
  held: boolean;
}
interface WriteScope {
  write: symbol | null;
  call: CallShare | null;
}
const writeScope = new AsyncLocalStorage<WriteScope>();

/** Runs fn as a call of its own that belongs to no open write (core.run wraps every call in it). */
export function outsideWrites<T>(fn: () => T): T {
  return writeScope.run({ write: null, call: null }, fn);
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An open project: one SQLite connection that holds the file's lock until close(). */
export class Project {
  readonly db: Db;
  readonly path: string;
  private closed = false;
  private openWrite: symbol | null = null;
  private calls = 0;
  private writersWaiting = 0;
  private waiters: (() => void)[] = [];

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
    if (this.openWrite && !this.insideOpenWrite()) {
      // Only reachable by code that touched the project after an await other than a checkpoint:
      // its rows would land in (and roll back with) someone else's import.
      throw new FieldbookError('CONFLICT', 'An import is still being saved to this project. Try again when it has finished.');
    }
    return this.db.transaction(fn)();
  }

  /** True while an async write (an import being saved) is open and not finished. */
  get writing(): boolean {
    return this.openWrite !== null;
  }

  private insideOpenWrite(): boolean {
    return this.openWrite !== null && writeScope.getStore()?.write === this.openWrite;
  }

  private gateChanged(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Waits while an import is being saved (or waits to be), then holds a share of the project
   * until the returned release is called. core.run takes one for every call that is not a job.
   */
  async enterCall(): Promise<() => void> {
    while (this.openWrite !== null || this.writersWaiting > 0) await this.gateChanged();
    // Taken in the same tick as the check: a write cannot open in between.
    this.calls++;
    const share: CallShare = { project: this, held: true };
    const store = writeScope.getStore();
    if (store) store.call = share;
    return () => {
      if (!share.held) return;
      share.held = false;
      this.calls--;
      this.wakeWaiters();
    };
  }

  /**
   * Resolves once no async write is open, so a job sees the project before or after an import,
   * never half of one. Code running inside the open write does not wait for itself.
   */
  async writesDone(): Promise<void> {
    while (this.openWrite !== null && !this.insideOpenWrite()) await this.gateChanged();
  }

  /**
   * One transaction that may span awaits: fn writes a batch, awaits (a job checkpoint, so a cancel
   * can arrive), writes the next. All of it lands, or, when fn throws (CANCELLED included), none.
   * Writes queue behind each other and behind running calls; while one is open, other calls wait
   * (enterCall, writesDone), because they share this connection and would see or add to its rows.
   *
   * `bulk`: the write adds hundreds of megabytes (a million-row survey). In WAL mode every page
   * would be written twice, once to the WAL and again when the WAL is checkpointed into the file
   * (0.85 s of a 470 MB import). A rollback journal only keeps the pages that existed before the
   * transaction, and new pages go straight into the file, so the write switches to one for its
   * duration (the connection is exclusive, so nobody else sees the switch). Commit and rollback
   * stay atomic: SQLite truncates the appended pages on rollback.
   */
  async writeAsync<T>(fn: () => Promise<T>, options: { bulk?: boolean } = {}): Promise<T> {
    // A nested write is part of the one already open.
    if (this.insideOpenWrite()) return fn();
    // The caller's own share must not keep its write waiting; it is taken again afterwards.
    const share = writeScope.getStore()?.call;
    const ownShare = share && share.project === this && share.held ? share : null;
    if (ownShare) {
      ownShare.held = false;
      this.calls--;
      this.wakeWaiters();
    }
    const token = Symbol('write');
    this.writersWaiting++;
    try {
      for (;;) {
        if (this.openWrite !== null || this.calls > 0) {
          await this.gateChanged();
          continue;
        }
        // A job let through a checkpoint resumes on microtasks: let it reach its next await
        // before the first batch is written, so it never reads a half-written import.
        await nextMacrotask();
        if (this.openWrite === null && this.calls === 0) break;
      }
    } finally {
      this.writersWaiting--;
    }
    try {
      if (this.closed) throw new FieldbookError('NO_PROJECT', 'The project was closed before the import could be saved.');
      if (this.db.inTransaction) throw new FieldbookError('INTERNAL', 'An async write was started inside another transaction.');
      this.openWrite = token;
      const bulk = options.bulk === true && this.db.pragma('journal_mode', { simple: true }) === 'wal';
      if (bulk) {
        this.db.pragma('journal_mode = DELETE');
        // The journal is synced before the file is touched, and the file before the journal goes.
        this.db.pragma('synchronous = FULL');
      }
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await writeScope.run({ write: token, call: null }, fn);
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (bulk && this.db.open) {
          this.db.pragma('journal_mode = WAL');
          this.db.pragma('synchronous = NORMAL');
        }
      }
    } finally {
      if (this.openWrite === token) this.openWrite = null;
      this.wakeWaiters();
      if (ownShare) {
        // The rest of the caller runs as before: holding a share, after any write queued meanwhile.
        while (this.openWrite !== null || this.writersWaiting > 0) await this.gateChanged();
        this.calls++;
        ownShare.held = true;
      }
    }
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

/** SQLite's words for a file that is not a database or whose pages are damaged. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
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

function isSqliteHeader(header: Buffer): boolean {
  return header.length >= 100 && header.subarray(0, 16).equals(SQLITE_MAGIC);
}

/**
 * For "create, replacing the file there": takes the file's lock *before* anything is removed. A
 * project another window or program holds is refused (deleting it would leave that window writing
 * into a deleted file, and its work would be gone). Holding the lock, the old contents are dropped
 * and vacuumed away, and the same connection, never unlocked, becomes the new project.
 *
 * Returns null when the file is not SQLite (nothing can hold it as a project): it is removed and
 * created anew. A damaged SQLite file that cannot be emptied in place is removed the same way once
 * its lock showed nobody has it open.
 */
function claimForReplacement(absolute: string): Db | null {
  const removeFile = () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(absolute + suffix, { force: true });
  };
  if (fs.statSync(absolute).isDirectory()) {
    throw new FieldbookError('NOT_SQLITE', `${absolute} is a folder, not a Fieldbook project file.`, { file: absolute });
  }
  if (!isSqliteHeader(readHeader(absolute))) {
    removeFile();
    return null;
  }
  const db = new Database(absolute, { fileMustExist: true, timeout: 0, ...nativeBindingOption() });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // In exclusive locking mode the lock taken here is kept until the connection closes.
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw lockedError(absolute);
    if (!isDamage(error)) throw error;
    // Not readable as SQLite past its header: nothing can have it open as a project.
    removeFile();
    return null;
  }
  try {
    emptyDatabase(db);
    db.exec('COMMIT');
    // Vacuumed with the new page size, in rollback mode (WAL cannot change the page size).
    db.pragma('journal_mode = DELETE');
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.exec('VACUUM');
    return db;
  } catch {
    // Damaged pages or a virtual table of a module this SQLite lacks: the lock showed nobody holds it.
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    removeFile();
    return null;
  }
}

/** Drops every table, view, index and trigger, and zeroes the header's version fields. */
function emptyDatabase(db: Db): void {
  db.pragma('foreign_keys = OFF');
  const objects = () =>
    db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const view of objects().filter((o) => o.type === 'view')) db.exec(`DROP VIEW ${quote(view.name)}`);
  // Virtual tables first: their shadow tables go with them.
  for (const table of objects().filter((o) => /^CREATE\s+VIRTUAL\s/i.test(o.sql ?? ''))) db.exec(`DROP TABLE ${quote(table.name)}`);
  for (const table of objects()) db.exec(`DROP TABLE IF EXISTS ${quote(table.name)}`);
  const internal = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4')").pluck().all() as string[];
  for (const name of internal) db.exec(name === 'sqlite_sequence' ? 'DELETE FROM sqlite_sequence' : `DROP TABLE ${name}`);
  db.pragma('user_version = 0');
  db.pragma('application_id = 0');
}

/**
 * Opens (or creates) a project file. Refuses, without writing a byte, a file that is not SQLite,
 * an SQLite file that is not a Fieldbook project, a project from a newer Fieldbook, and a project
 * that another process holds open; a damaged one (cut short, unreadable pages) or one labelled a
 * project whose tables are missing, with words naming the file. An older project is backed up,
 * then migrated in one transaction; if the open fails after all, the backup is removed.
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
  const claimed = exists && options.create && options.overwrite ? claimForReplacement(absolute) : null;
  const isNew = claimed !== null || !fs.existsSync(absolute);
  if (!isNew) {
    if (fs.statSync(absolute).isDirectory()) {
      throw new FieldbookError('NOT_SQLITE', `${absolute} is a folder, not a Fieldbook project file.`, { file: absolute });
    }
    const header = readHeader(absolute);
    if (!isSqliteHeader(header)) {
      throw new FieldbookError(
        'NOT_SQLITE',
        `${path.basename(absolute)} is not a Fieldbook project: it is not an SQLite database file.`,
        { file: absolute },
      );
    }
    const expected = expectedLength(header);
    if (expected !== null && fs.statSync(absolute).size < expected) {
      throw damaged(absolute, 'it is shorter than its own header says (cut off while it was copied or saved?)');
    }
  } else if (!claimed) {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
  }

  const db = claimed ?? new Database(absolute, { fileMustExist: !isNew, timeout: 0, ...nativeBindingOption() });
  let backupPath: string | null = null;
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
      if (isDamage(error) && (error as { code?: string }).code !== 'SQLITE_NOTADB') throw damaged(absolute, (error as Error).message);
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
      if (version > 0) {
        const present = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
        const missing = tablesAt(version).filter((name) => !present.has(name));
        if (missing.length > 0) {
          throw new FieldbookError(
            'NOT_A_PROJECT',
            `${path.basename(absolute)} says it is a Fieldbook project (schema ${version}), but its tables are missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''}. It is damaged or was not written by Fieldbook. Fieldbook did not change it.`,
            { file: absolute, schemaVersion: version, missing },
          );
        }
      }
    }

    // 16 KB pages, not SQLite's 4 KB: a project is mostly large values (answer columns, transcript
    // texts, index segments), and bigger pages mean fewer overflow pages to write and read
    // (1,000-transcript import: 1.47 → 1.20 s). Only a new file can choose; older ones keep theirs.
    if (isNew) db.pragma(`page_size = ${PAGE_SIZE}`);
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
        backupPath = backupName(absolute, version);
        db.exec(`VACUUM INTO '${backupPath.replaceAll("'", "''")}'`);
      }
      migrate(db, version);
    } else {
      runPendingRebuilds(db);
    }
    if (isNew || version === 0) {
      db.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
    }
    if (backupPath) options.onBackup?.(backupPath);
    return new Project(db, absolute);
  } catch (error) {
    db.close();
    if (isNew) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(absolute + suffix, { force: true });
    // The migrations are one transaction, so a failed open left the project as it was: a backup
    // of it would only be a stray copy beside it.
    if (backupPath) fs.rmSync(backupPath, { force: true });
    throw explainDamage(error, absolute);
  }
}

/** The file length its header promises (page size × page count), when the header vouches for it. */
function expectedLength(header: Buffer): number | null {
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The in-header size counts only when the change counter and its "valid for" copy agree.
  if (pages === 0 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return null;
  return pages * pageSize;
}

function damaged(filePath: string, reason: string): FieldbookError {
  return new FieldbookError(
    'DAMAGED',
    `${path.basename(filePath)} is damaged: ${reason.replace(/\.$/, '')}. Fieldbook did not change it; open a copy from your backups (or a ${PROJECT_EXTENSION}.v…backup file beside it).`,
    { file: filePath },
  );
}

/** SQLite's "database disk image is malformed" and kin, said in words that name the project file. */
export function explainDamage(error: unknown, filePath: string): unknown {
  if (error instanceof FieldbookError || !isDamage(error)) return error;
  return damaged(filePath, `SQLite could not read part of it (${(error as Error).message})`);
}

const tablesByVersion = new Map<number, string[]>();

/** The tables a project at this schema version has (its migrations replayed in memory, once). */
function tablesAt(version: number): string[] {
  let tables = tablesByVersion.get(version);
  if (!tables) {
    const scratch = new Database(':memory:', nativeBindingOption());
    try {
      migrate(scratch, 0, version);
      tables = scratch.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    } finally {
      scratch.close();
    }
    tablesByVersion.set(version, tables);
  }
  return tables;
}

function backupName(filePath: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `${filePath}.v${version}-${stamp}.backup`;
}

/**
 * Applies every migration above `from`, all in one transaction: a step that fails leaves the
 * project at `from`, exactly as it was (so the backup taken before can go). At the latest version,
 * the rebuilds the steps requested (store/rebuilds.ts) run in the same transaction.
 */
export function migrate(db: Db, from: number, to: number = LATEST_SCHEMA_VERSION): void {
  db.transaction(() => {
    for (const step of migrations) {
      if (step.version <= from || step.version > to) continue;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }
    if (to === LATEST_SCHEMA_VERSION) runPendingRebuilds(db);
  })();
}
