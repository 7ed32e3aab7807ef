import type { Migration } from './types';
import { createSearchIndex, indexDocumentTurns } from '../../transcripts/search-index';

/**
 * Full-text search over every speaker turn (see transcripts/search-index.ts for the tokenizer
 * measurement), and the lookups the reading view and participant grid need. Documents imported
 * before this version are indexed on the way.
 */
export const migration0030: Migration = {
  version: 30,
  name: 'transcripts',
  up(db) {
    createSearchIndex(db);
    db.exec(`
      CREATE INDEX IF NOT EXISTS speaker_participant ON speaker(participant_id);
      CREATE INDEX IF NOT EXISTS document_participant ON document(participant_id);
      CREATE INDEX IF NOT EXISTS participant_respondent ON participant(dataset_id, respondent_key);
    `);
    const ids = db.prepare('SELECT id FROM document ORDER BY id').pluck().all() as number[];
    for (const id of ids) indexDocumentTurns(db, id);
  },
};
