import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0095 (exchange records with ids, extras and sets)', () => {
  it('keeps every GUID, gives each an id, and still forgets a GUID with its row', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 94);
      const code = Number(db.prepare("INSERT INTO code (name) VALUES ('Trust')").run().lastInsertRowid);
      const guid = db.prepare('INSERT INTO exchange_guid (kind, local_id, guid) VALUES (?, ?, ?)');
      guid.run('code', code, 'a0000000-0000-4000-8000-000000000001');
      guid.run('memo', 0, 'A0000000-0000-4000-8000-000000000003');
      migrate(db, 94, 95);
      expect(db.prepare('SELECT id, kind, local_id, guid, extra FROM exchange_guid ORDER BY id').all()).toEqual([
        { id: 1, kind: 'code', local_id: code, guid: 'a0000000-0000-4000-8000-000000000001', extra: '{}' },
        { id: 2, kind: 'memo', local_id: 0, guid: 'A0000000-0000-4000-8000-000000000003', extra: '{}' },
      ]);
      const set = Number(db.prepare("INSERT INTO exchange_set (name, members) VALUES ('Core', ?)").run(JSON.stringify([{ kind: 'code', id: code }])).lastInsertRowid);
      guid.run('set', set, 'B0000000-0000-4000-8000-000000000001');
      db.prepare('DELETE FROM code WHERE id = ?').run(code);
      db.prepare('DELETE FROM exchange_set WHERE id = ?').run(set);
      expect(db.prepare('SELECT kind FROM exchange_guid').pluck().all()).toEqual(['memo']);
      expect(() => guid.run('memo', 0, 'C0000000-0000-4000-8000-000000000003')).toThrow(/UNIQUE/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
