import type { Migration } from './types';

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
    // The chunk tables as they shipped in this step (store/search-index.ts explains the design);
    // 0073 completes search_chunk and asks for every document to be indexed.
    db.exec(`
      CREATE TABLE search_chunk (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        -- The chunk holds the turns of its document whose start_char lies in [start_char, last_start].
        start_char  INTEGER NOT NULL,
        last_start  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX search_chunk_document ON search_chunk(document_id);
      CREATE VIRTUAL TABLE chunk_fts USING fts5(body, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
      INSERT INTO chunk_fts (chunk_fts, rank) VALUES ('hashsize', 16777216);
      CREATE TRIGGER search_chunk_delete AFTER DELETE ON search_chunk BEGIN
        DELETE FROM chunk_fts WHERE rowid = old.id;
      END;
    `);
  },
};
