import type { Migration } from './types';

/**
 * The first full-text index: one FTS5 row per speaker turn (replaced by per-chunk rows in 0072,
 * which also indexes every document), and the lookups the reading view and participant grid need.
 * Kept as it shipped, so older projects migrate step by step.
 */
export const migration0030: Migration = {
  version: 30,
  name: 'transcripts',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE turn_fts USING fts5(body, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
      CREATE TRIGGER turn_fts_delete AFTER DELETE ON turn BEGIN
        DELETE FROM turn_fts WHERE rowid = old.id;
      END;
      CREATE INDEX IF NOT EXISTS speaker_participant ON speaker(participant_id);
      CREATE INDEX IF NOT EXISTS document_participant ON document(participant_id);
      CREATE INDEX IF NOT EXISTS participant_respondent ON participant(dataset_id, respondent_key);
    `);
  },
};
