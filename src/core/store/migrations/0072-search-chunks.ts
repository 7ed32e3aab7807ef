import type { Migration } from './types';
import { createSearchIndex } from '../../transcripts/search-index';

/**
 * The search index moves from one FTS5 row per turn to one per chunk of turns (see
 * transcripts/search-index.ts for why), and Thai, Lao, Khmer and Myanmar become searchable inside
 * a sentence (0073 indexes every document again). Numbered after 71, not in the transcripts'
 * 30s: projects already at 71 must still run it.
 */
export const migration0072: Migration = {
  version: 72,
  name: 'search-chunks',
  up(db) {
    // A development build briefly numbered these steps 31 and 32: a file it made has the chunk tables
    // already. They go too; 0073 rebuilds the index from the documents either way.
    db.exec(`
      DROP TRIGGER IF EXISTS turn_fts_delete; DROP TABLE IF EXISTS turn_fts;
      DROP TRIGGER IF EXISTS search_chunk_delete; DROP TABLE IF EXISTS chunk_fts; DROP TABLE IF EXISTS search_chunk;
    `);
    createSearchIndex(db);
    // Every document is indexed by 0073, which completes the chunk table.
  },
};
