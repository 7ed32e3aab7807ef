import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0074 (non-substantive answers)', () => {
  it('keeps every label as a substantive answer, accepts the flag, refuses other values and still moves the data generation', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 73);
      db.prepare("INSERT INTO dataset (name, source_file, format) VALUES ('S', 's.csv', 'csv')").run();
      db.prepare("INSERT INTO variable (dataset_id, position, name, type) VALUES (1, 0, 'Q1', 'ordinal')").run();
      const label = db.prepare('INSERT INTO value_label (variable_id, code, label, position, is_missing) VALUES (1, ?, ?, ?, ?)');
      label.run(1, 'Agree', 0, 0);
      label.run(9, "Don't know", 1, 1);
      migrate(db, 73, 74);
      expect(db.prepare('SELECT code, label, is_missing, nonsubstantive FROM value_label ORDER BY position').all()).toEqual([
        { code: 1, label: 'Agree', is_missing: 0, nonsubstantive: 0 },
        { code: 9, label: "Don't know", is_missing: 1, nonsubstantive: 0 },
      ]);
      const generation = () => (db.prepare('SELECT value FROM analysis_generation WHERE id = 1').get() as { value: number }).value;
      const before = generation();
      db.prepare('UPDATE value_label SET nonsubstantive = 1, is_missing = 0 WHERE code = 9').run();
      expect(generation()).toBeGreaterThan(before);
      expect(() => db.prepare('UPDATE value_label SET nonsubstantive = 2 WHERE code = 1').run()).toThrow(/CHECK/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
