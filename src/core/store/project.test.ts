import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { createTestCore, failure, tempDir } from '../testing/index';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';
import { FIELDBOOK_APPLICATION_ID, migrate, openProject, PAGE_SIZE } from './project';

function sha(file: string): string {
  return fs.readFileSync(file).toString('base64');
}

function expectRefusal(fn: () => unknown, code: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FieldbookError);
  expect((caught as FieldbookError).code).toBe(code);
  expect((caught as FieldbookError).message).toMatch(pattern);
}

describe('project file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('creates a WAL, foreign-keyed, versioned project with the Fieldbook application id', () => {
    const file = path.join(dir, 'a.fieldbook');
    const project = openProject(file, { create: true });
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(project.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(project.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(project.db.pragma('application_id', { simple: true })).toBe(FIELDBOOK_APPLICATION_ID);
    const strict = project.db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'").all();
    expect(strict).toEqual([]);
    expect(project.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    project.close();
    const again = openProject(file);
    expect(again.meta('created_at')).toMatch(/^\d{4}-/);
    expect(again.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    again.close();
  });

  it('refuses to create over an existing file', () => {
    const file = path.join(dir, 'a.fieldbook');
    openProject(file, { create: true }).close();
    expectRefusal(() => openProject(file, { create: true }), 'ALREADY_EXISTS', /already exists/);
  });

  it('refuses a file that is not SQLite, and leaves it unchanged', () => {
    const file = path.join(dir, 'notes.fieldbook');
    fs.writeFileSync(file, 'just some text, not a database\n'.repeat(10));
    const before = sha(file);
    expectRefusal(() => openProject(file), 'NOT_SQLITE', /not an SQLite database/);
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses an SQLite file that is not a Fieldbook project, and leaves it unchanged', () => {
    const file = path.join(dir, 'other.db');
    const other = new Database(file);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    other.close();
    const before = sha(file);
    expectRefusal(() => openProject(file), 'NOT_A_PROJECT', /not a Fieldbook project/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a project from a newer Fieldbook, and leaves it unchanged', () => {
    const file = path.join(dir, 'future.fieldbook');
    openProject(file, { create: true }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha(file);
    expectRefusal(() => openProject(file), 'NEWER_VERSION', /newer Fieldbook/);
    expect(sha(file)).toBe(before);
  });

  it('gives a clear message when another process has the project open', () => {
    const file = path.join(dir, 'shared.fieldbook');
    const project = openProject(file, { create: true });
    project.db.prepare("INSERT INTO code (name) VALUES ('kept')").run();
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)}, { timeout: 0 });
      try { db.pragma('locking_mode = EXCLUSIVE'); db.pragma('user_version'); console.log('opened'); }
      catch (e) { console.log(e.code); }
    `;
    const other = spawnSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(other.stdout.trim()).toBe('SQLITE_BUSY');
    project.close();
    const reopened = openProject(file);
    expect(reopened.db.prepare('SELECT name FROM code').all()).toEqual([{ name: 'kept' }]);
    reopened.close();
  });

  it('refuses a second open in another process through openProject itself', () => {
    const file = path.join(dir, 'locked.fieldbook');
    const project = openProject(file, { create: true });
    const tsx = path.resolve('node_modules/.bin/tsx');
    const script = `
      import { openProject } from ${JSON.stringify(path.resolve('src/core/store/project.ts'))};
      try { openProject(${JSON.stringify(file)}); console.log('opened'); }
      catch (e) { console.log(e.code + ': ' + e.message); }
    `;
    const other = spawnSync(tsx, ['--eval', script], { encoding: 'utf8' });
    expect(other.stdout.trim()).toMatch(/^PROJECT_LOCKED: locked.fieldbook is open in another Fieldbook window/);
    project.close();
  });

  it('overwrite takes the lock first: a project held open elsewhere is refused, not deleted', () => {
    const file = path.join(dir, 'held.fieldbook');
    const held = openProject(file, { create: true });
    held.db.prepare("INSERT INTO code (name) VALUES ('kept')").run();
    const before = { main: sha(file), wal: sha(`${file}-wal`) };
    expectRefusal(() => openProject(file, { create: true, overwrite: true }), 'PROJECT_LOCKED', /held\.fieldbook is open in another Fieldbook window/);
    expect({ main: sha(file), wal: sha(`${file}-wal`) }).toEqual(before);
    held.db.prepare("INSERT INTO code (name) VALUES ('still writing')").run();
    held.close();
    const reopened = openProject(file);
    expect(reopened.db.prepare('SELECT name FROM code ORDER BY id').pluck().all()).toEqual(['kept', 'still writing']);
    reopened.close();
  });

  it('overwrite of a file nobody holds gives exactly a new project, whatever the old one held', () => {
    const fresh = openProject(path.join(dir, 'fresh.fieldbook'), { create: true });
    const schemaOf = (db: Database.Database) => db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
    const freshSchema = schemaOf(fresh.db);
    fresh.close();
    // An old project: 4 KB pages, data, full-text rows, a table of its own and a view.
    const file = path.join(dir, 'old.fieldbook');
    const old = openProject(file, { create: true });
    old.db.prepare("INSERT INTO code (name) VALUES ('old')").run();
    old.db.exec("CREATE TABLE extra (x); INSERT INTO extra VALUES (1); CREATE VIEW v AS SELECT * FROM extra;");
    old.close();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('page_size = 4096');
    raw.exec('VACUUM');
    raw.close();
    const replaced = openProject(file, { create: true, overwrite: true });
    expect(schemaOf(replaced.db)).toEqual(freshSchema);
    expect(replaced.db.prepare('SELECT count(*) FROM code').pluck().get()).toBe(0);
    expect(replaced.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(replaced.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(replaced.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(replaced.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    replaced.close();
    // A file that is not SQLite at all is simply replaced.
    const text = path.join(dir, 'text.fieldbook');
    fs.writeFileSync(text, 'not a database');
    openProject(text, { create: true, overwrite: true }).close();
    expect(fs.readFileSync(text).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

});

describe('a damaged or mislabelled project', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  /** A closed project with rows in several tables (so it spans many pages), in rollback mode. */
  function projectWithData(name: string): string {
    const file = path.join(dir, name);
    const project = openProject(file, { create: true });
    const insert = project.db.prepare('INSERT INTO code (name, definition) VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) insert.run(`code ${i}`, 'a definition long enough to fill pages '.repeat(8));
    project.close();
    return file;
  }
  const leftovers = (file: string) => fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith(path.basename(file)) && f !== path.basename(file));

  it('a truncated project is refused with words naming the file, and left as it was', () => {
    const file = projectWithData('cut.fieldbook');
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const before = sha(file);
    expectRefusal(() => openProject(file), 'DAMAGED', /^cut\.fieldbook is damaged/);
    expect(sha(file)).toBe(before);
    expect(leftovers(file)).toEqual([]);
  });

  it('damaged pages are named, with the file, when a call reaches them: not "Something went wrong"', async () => {
    const file = projectWithData('pages.fieldbook');
    const raw = new Database(file, { readonly: true });
    const root = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'code'").pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    // Scribble over the code table's root page: its b-tree no longer parses.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    fs.closeSync(fd);
    const t = createTestCore();
    try {
      let error = await failure(
        t.call('project.open', { path: file }).then(() => t.call('codes.list', {})),
      );
      expect(error.code).toBe('DAMAGED');
      expect(error.message).toMatch(/^pages\.fieldbook is damaged/);
      expect(error.message).not.toMatch(/Something went wrong/);
      expect(error.details?.file).toBe(file);
      // Its schema page damaged instead: the open itself says so.
      t.core.close();
      const fd2 = fs.openSync(file, 'r+');
      fs.writeSync(fd2, Buffer.alloc(pageSize - 100, 0x5a), 0, pageSize - 100, 100);
      fs.closeSync(fd2);
      error = await failure(t.call('project.open', { path: file }));
      expect(error.code).toBe('DAMAGED');
      expect(error.message).toMatch(/^pages\.fieldbook is damaged/);
    } finally {
      t.cleanup();
    }
  });

  it('a file labelled a Fieldbook project whose tables are missing is refused by name, unchanged, with no backup left', () => {
    for (const version of [LATEST_SCHEMA_VERSION, migrations[0]!.version]) {
      const file = path.join(dir, `label-${version}.fieldbook`);
      const raw = new Database(file);
      raw.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
      raw.pragma(`user_version = ${version}`);
      raw.exec('CREATE TABLE notes (x)');
      raw.close();
      const before = sha(file);
      expectRefusal(() => openProject(file), 'NOT_A_PROJECT', new RegExp(`^label-${version}\\.fieldbook says it is a Fieldbook project .*tables are missing: .*\\bcode\\b`));
      expect(sha(file)).toBe(before);
      expect(leftovers(file)).toEqual([]);
    }
  });

  it('a migration that fails leaves the project as it was and no backup behind', () => {
    // A project at the first schema that already has a table a later step creates: that step fails.
    const first = migrations[0]!.version;
    const later = migrations.find((m) => m.version > first);
    if (!later) return;
    const file = path.join(dir, 'old.fieldbook');
    const raw = new Database(file);
    migrate(raw, 0, first);
    raw.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
    raw.prepare("INSERT INTO code (name) VALUES ('kept')").run();
    const scratch = new Database(':memory:');
    migrate(scratch, 0, later.version);
    const added = scratch.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    scratch.close();
    const existing = new Set(raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    const clash = added.find((name) => !existing.has(name))!;
    raw.exec(`CREATE TABLE "${clash}" (x)`);
    // As Fieldbook leaves a project: in WAL mode (closing checkpoints the WAL into the file).
    raw.pragma('journal_mode = WAL');
    raw.close();
    const before = sha(file);
    let backup = '';
    expect(() => openProject(file, { onBackup: (p) => (backup = p) })).toThrow();
    expect(sha(file)).toBe(before);
    expect(backup === '' || !fs.existsSync(backup)).toBe(true);
    expect(leftovers(file)).toEqual([]);
  });
});
