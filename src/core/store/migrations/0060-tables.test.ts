import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0060 (tables: data generation counter)', () => {
  it('keeps saved tables and moves the counter on every change to answers, labels and variables', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 59);
      db.prepare("INSERT INTO saved_table (name, spec) VALUES ('Kept', '{}')").run();
      migrate(db, 59, 60);
      expect(db.prepare('SELECT name FROM saved_table').all()).toEqual([{ name: 'Kept' }]);
      const generation = () => (db.prepare('SELECT value FROM analysis_generation WHERE id = 1').get() as { value: number }).value;
      const g0 = generation();
      db.prepare("INSERT INTO dataset (name, source_file, format) VALUES ('S', 's.csv', 'csv')").run();
      const g1 = generation();
      expect(g1).toBeGreaterThan(g0);
      db.prepare("INSERT INTO variable (dataset_id, position, name, type) VALUES (1, 0, 'Q1', 'single')").run();
      db.prepare("INSERT INTO variable_data (variable_id, encoding, data) VALUES (1, 'i32', x'01000000')").run();
      const g2 = generation();
      expect(g2).toBeGreaterThan(g1);
      db.prepare("UPDATE variable_data SET data = x'02000000' WHERE variable_id = 1").run();
      const g3 = generation();
      expect(g3).toBeGreaterThan(g2);
      db.prepare("INSERT INTO value_label (variable_id, code, label, position) VALUES (1, 1, 'Yes', 0)").run();
      expect(generation()).toBeGreaterThan(g3);
      const g4 = generation();
      db.prepare("INSERT INTO code (name) VALUES ('Not survey data')").run();
      expect(generation()).toBe(g4);
      expect(() => db.prepare('INSERT INTO analysis_generation (id, value) VALUES (2, 0)').run()).toThrow(/CHECK/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
