import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0085 (operation stash)', () => {
  it('keeps the undo log, and a stash goes with its operation', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 0, 84);
      db.prepare("INSERT INTO operation (label, forward, backward) VALUES ('Import survey a.csv', '[]', '[]')").run();
      migrate(db, 84, 85);
      expect(db.prepare('SELECT id, label FROM operation').all()).toEqual([{ id: 1, label: 'Import survey a.csv' }]);
      const stash = db.prepare('INSERT INTO operation_stash (operation_id, seq, table_name, rows, blob) VALUES (?, ?, ?, ?, ?)');
      stash.run(1, 0, 'dataset', '{"columns":["id"],"rows":[[1]]}', null);
      stash.run(1, 1, 'variable_data', '{"columns":["variable_id"],"rows":[[1]],"blob":"data"}', Buffer.from([1, 2, 3]));
      expect(() => stash.run(1, 1, 'turn', '{}', null)).toThrow(/UNIQUE|PRIMARY/);
      expect(() => stash.run(2, 0, 'turn', '{}', null)).toThrow(/FOREIGN KEY/);
      expect((db.prepare('SELECT blob FROM operation_stash WHERE seq = 1').get() as { blob: Buffer }).blob).toEqual(Buffer.from([1, 2, 3]));
      db.prepare('DELETE FROM operation WHERE id = 1').run();
      expect(db.prepare('SELECT count(*) AS n FROM operation_stash').get()).toEqual({ n: 0 });
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
