import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';
import { tempDir } from '../../testing/index';

describe('migration 0030 (the first full-text index and the transcript lookups)', () => {
  it('keeps documents, speakers and turns, indexes turns written after it, and forgets a deleted turn', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 10);
      db.prepare("INSERT INTO participant (name) VALUES ('P04')").run();
      db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', 'P04', 'txt', 'Sites go offline.', 1)").run();
      db.prepare("INSERT INTO speaker (document_id, label, display_name, participant_id) VALUES (1, 'P04', 'Maria', 1)").run();
      db.prepare('INSERT INTO turn (document_id, position, speaker_id, start_char, end_char) VALUES (1, 0, 1, 0, 17)').run();
      migrate(db, 10, 30);

      expect(db.prepare('SELECT name, participant_id FROM document').all()).toEqual([{ name: 'P04', participant_id: 1 }]);
      expect(db.prepare('SELECT display_name FROM speaker').pluck().all()).toEqual(['Maria']);
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN ('speaker_participant', 'document_participant', 'participant_respondent') ORDER BY name").pluck().all();
      expect(indexes).toEqual(['document_participant', 'participant_respondent', 'speaker_participant']);
      // The index was filled by the importers of that version, row by turn: a row in, then the turn gone.
      db.prepare('INSERT INTO turn_fts (rowid, body) VALUES (1, ?)').run('Sites go offline.');
      expect(db.prepare('SELECT rowid FROM turn_fts WHERE turn_fts MATCH ?').pluck().all('offline')).toEqual([1]);
      db.prepare('DELETE FROM turn WHERE id = 1').run();
      expect(db.prepare('SELECT rowid FROM turn_fts WHERE turn_fts MATCH ?').pluck().all('offline')).toEqual([]);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
