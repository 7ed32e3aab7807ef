import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0090 (wave order)', () => {
  it('leaves every existing wave without an order of its own, accepts a place from 1, refuses 0', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 74);
      const insert = db.prepare("INSERT INTO dataset (name, wave, source_file, format) VALUES (?, ?, 's.csv', 'csv')");
      insert.run('Survey 2025', '2025');
      insert.run('Survey 2024', '2024');
      migrate(db, 74, 90);
      expect(db.prepare('SELECT name, wave, wave_order FROM dataset ORDER BY id').all()).toEqual([
        { name: 'Survey 2025', wave: '2025', wave_order: null },
        { name: 'Survey 2024', wave: '2024', wave_order: null },
      ]);
      db.prepare("UPDATE dataset SET wave_order = 2 WHERE name = 'Survey 2025'").run();
      expect(() => db.prepare("UPDATE dataset SET wave_order = 0 WHERE name = 'Survey 2024'").run()).toThrow(/CHECK/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
