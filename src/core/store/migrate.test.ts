import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/index';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';
import { FIELDBOOK_APPLICATION_ID, migrate, openProject } from './project';

describe('the migration chain', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('has unique, increasing versions and reaches the latest', () => {
    const versions = migrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    const db = new Database(':memory:');
    migrate(db, 0);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });

  it('backs up an older project, then migrates it, keeping its rows', () => {
    const first = migrations[0]!;
    const file = path.join(dir, 'old.fieldbook');
    const raw = new Database(file);
    migrate(raw, 0, first.version);
    raw.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
    raw.prepare("INSERT INTO code (name) VALUES ('kept through migration')").run();
    raw.close();
    let backup = '';
    const project = openProject(file, { onBackup: (p) => (backup = p) });
    expect(project.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(project.db.prepare('SELECT name FROM code').all()).toEqual([{ name: 'kept through migration' }]);
    project.close();
    if (LATEST_SCHEMA_VERSION > first.version) {
      expect(fs.existsSync(backup)).toBe(true);
      const copy = new Database(backup, { readonly: true });
      expect(copy.pragma('user_version', { simple: true })).toBe(first.version);
      expect(copy.prepare('SELECT name FROM code').all()).toEqual([{ name: 'kept through migration' }]);
      copy.close();
    } else {
      expect(backup).toBe('');
    }
  });

  it('rolls a failing step back whole, leaving the previous version', () => {
    const db = new Database(':memory:');
    migrate(db, 0, migrations[0]!.version);
    const broken = { version: 9999, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') };
    (migrations as unknown as { version: number }[]).push(broken);
    try {
      expect(() => migrate(db, migrations[0]!.version, 9999)).toThrow(/no_such_table/);
    } finally {
      (migrations as unknown as unknown[]).pop();
    }
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(db.pragma('user_version', { simple: true })).not.toBe(9999);
  });
});
