import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { tempDir } from '../testing/index';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { FIELDBOOK_APPLICATION_ID, openProject, PAGE_SIZE } from './project';

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
});
