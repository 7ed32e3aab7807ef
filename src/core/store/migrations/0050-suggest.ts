import type { Migration } from './types';

/**
 * Suggestions: the sentiment of the passage (a review filter; NULL where the language is not
 * supported), and lookups by span so a rejected (passage, code) is never suggested again.
 */
export const migration0050: Migration = {
  version: 50,
  name: 'suggest',
  up(db) {
    db.exec(`
      ALTER TABLE suggestion ADD COLUMN sentiment REAL;
      CREATE INDEX suggestion_span ON suggestion(document_id, start_char, end_char, code_id);
      CREATE INDEX suggestion_document ON suggestion(document_id, status);
    `);
  },
};
