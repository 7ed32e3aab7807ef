import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0105 (findings)', () => {
  it('adds an empty report, findings with slots and quotes, and project pseudonyms, leaving earlier rows alone', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 74);
      db.prepare("INSERT INTO saved_table (name, spec) VALUES ('T', '{}')").run();
      db.prepare("INSERT INTO participant (name) VALUES ('Ana')").run();
      migrate(db, 74, 105);
      expect(db.prepare('SELECT name FROM saved_table').all()).toEqual([{ name: 'T' }]);
      expect(db.prepare('SELECT id, title, settings FROM report').all()).toEqual([{ id: 1, title: '', settings: '{}' }]);
      expect(() => db.prepare('INSERT INTO report (id) VALUES (2)').run()).toThrow(/CHECK/);
      db.prepare("INSERT INTO finding (position, headline, chart_table_id) VALUES (0, '{a} of them', 1)").run();
      db.prepare("INSERT INTO finding_slot (finding_id, key, source, format, value, text, fingerprint) VALUES (1, 'a', '{}', 'percent', 41.5, '42%', 'abc')").run();
      expect(() => db.prepare("INSERT INTO finding_slot (finding_id, key, source, format, text, fingerprint) VALUES (1, 'a', '{}', 'percent', '', '')").run()).toThrow(/UNIQUE/);
      db.prepare('INSERT INTO finding_quote (finding_id, position, segment_id) VALUES (1, 0, 99)').run();
      expect(() => db.prepare('INSERT INTO finding_quote (finding_id, position, segment_id, turn_id) VALUES (1, 1, 1, 1)').run()).toThrow(/CHECK/);
      expect(() => db.prepare('INSERT INTO finding_quote (finding_id, position) VALUES (1, 1)').run()).toThrow(/CHECK/);
      db.prepare("INSERT INTO pseudonym (participant_id, alias) VALUES (1, 'P01')").run();
      expect(() => db.prepare("INSERT INTO pseudonym (participant_id, alias) VALUES (2, 'P01')").run()).toThrow(/UNIQUE/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
