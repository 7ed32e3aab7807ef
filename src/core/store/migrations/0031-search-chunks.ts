import type { Migration } from './types';
import { createSearchIndex } from '../../transcripts/search-index';

/**
 * The search index moves from one FTS5 row per turn to one per chunk of turns (see
 * transcripts/search-index.ts for why), and Thai, Lao, Khmer and Myanmar become searchable inside
 * a sentence (0032 indexes every document again).
 */
export const migration0031: Migration = {
  version: 31,
  name: 'search-chunks',
  up(db) {
    db.exec('DROP TRIGGER IF EXISTS turn_fts_delete; DROP TABLE IF EXISTS turn_fts;');
    createSearchIndex(db);
    // Every document is indexed by 0032, which completes the chunk table.
  },
};
