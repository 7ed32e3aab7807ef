import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0071 (GUIDs leave with their rows)', () => {
  it('drops GUIDs of rows already gone, and forgets a GUID when its row is deleted', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 70);
      const code = Number(db.prepare("INSERT INTO code (name) VALUES ('Trust')").run().lastInsertRowid);
      const guid = db.prepare('INSERT INTO exchange_guid (kind, local_id, guid) VALUES (?, ?, ?)');
      guid.run('code', code, 'A0000000-0000-4000-8000-000000000001');
      guid.run('code', 99, 'A0000000-0000-4000-8000-000000000002');
      guid.run('memo', 0, 'A0000000-0000-4000-8000-000000000003');
      migrate(db, 70, 71);
      const rows = () => db.prepare('SELECT kind, local_id FROM exchange_guid ORDER BY kind, local_id').all();
      expect(rows()).toEqual([
        { kind: 'code', local_id: code },
        { kind: 'memo', local_id: 0 },
      ]);
      db.prepare('DELETE FROM code WHERE id = ?').run(code);
      expect(rows()).toEqual([{ kind: 'memo', local_id: 0 }]);
      // The next code may reuse the id; it starts without a GUID of its own.
      const next = Number(db.prepare("INSERT INTO code (name) VALUES ('Cost')").run().lastInsertRowid);
      expect(next).toBe(code);
      expect(db.prepare("SELECT count(*) AS n FROM exchange_guid WHERE kind = 'code'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
