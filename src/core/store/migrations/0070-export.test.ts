import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0070 (REFI-QDA identities)', () => {
  const temp = tempDir();

  it('keeps existing rows and adds a GUID table that refuses a GUID used twice for one kind', () => {
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 69);
      db.prepare("INSERT INTO code (name) VALUES ('Trust')").run();
      migrate(db, 69, 70);
      expect(db.prepare('SELECT name FROM code').all()).toEqual([{ name: 'Trust' }]);
      const insert = db.prepare('INSERT INTO exchange_guid (kind, local_id, guid) VALUES (?, ?, ?)');
      insert.run('code', 1, 'AD68FBE7-E1EE-4A82-A279-23CC698C89EB');
      expect(() => insert.run('code', 2, 'AD68FBE7-E1EE-4A82-A279-23CC698C89EB')).toThrow(/UNIQUE/);
      // The same GUID may name objects of different kinds (tools reuse them for a source and its case).
      insert.run('participant', 1, 'AD68FBE7-E1EE-4A82-A279-23CC698C89EB');
      expect(() => insert.run('widget', 1, 'x')).toThrow(/CHECK/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
