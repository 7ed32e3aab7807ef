import type { Migration } from './types';

/**
 * Suggestions belong to the coder who asked for them: each team member reviews their own queue, and
 * one coder's reject does not hide a passage from another (in blind coding it must not even be
 * visible). Rows from before this version (coder_id NULL) stay visible to everyone.
 */
export const migration0051: Migration = {
  version: 51,
  name: 'suggest-coder',
  up(db) {
    db.exec(`
      ALTER TABLE suggestion ADD COLUMN coder_id INTEGER REFERENCES coder(id) ON DELETE CASCADE;
      CREATE INDEX suggestion_coder ON suggestion(coder_id, status);
    `);
  },
};
