import { requestRebuild, type Migration } from './types';

/**
 * Each search chunk records where its last turn ends and whether its text is ASCII, so a search can
 * look for its words in the chunk's text at once and fetch only the turns where they start (see
 * transcripts/search.ts).
 * Every document is indexed again (projects from before 0072 arrive with an empty chunk index), by
 * today's indexer once the schema is current (store/rebuilds.ts).
 */
export const migration0073: Migration = {
  version: 73,
  name: 'chunk-end',
  up(db) {
    // ascii = 1: the chunk's text is plain ASCII, where one case-blind pattern finds a term.
    db.exec(`
      ALTER TABLE search_chunk ADD COLUMN end_char INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE search_chunk ADD COLUMN ascii INTEGER NOT NULL DEFAULT 0;
    `);
    requestRebuild(db, 'search-index');
  },
};
