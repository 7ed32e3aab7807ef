import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/index';
import { BulkInsert } from './bulk';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('BulkInsert', () => {
  it('writes every row, in order, whether or not they fill the last statement', () => {
    const db = new Database(path.join(temp.dir, 'bulk.db'));
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b TEXT) STRICT');
      for (const count of [0, 1, 63, 64, 65, 200]) {
        db.exec('DELETE FROM t');
        const rows = Array.from({ length: count }, (_, i) => [i * 3, i % 5 === 0 ? null : `row ${i}`] as const);
        const bulk = new BulkInsert(db, 't', ['a', 'b']);
        db.transaction(() => {
          for (const [a, b] of rows) bulk.add(a, b);
          bulk.flush();
        })();
        const back = db.prepare('SELECT a, b FROM t ORDER BY id').raw().all();
        expect(back).toEqual(rows.map((r) => [...r]));
      }
    } finally {
      db.close();
    }
  });
});
