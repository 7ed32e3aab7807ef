import type { Migration } from './types';

/**
 * Imports become undoable. An import's rows are not copied into the undo log (a million-row
 * survey would be written twice); undoing it moves them here, under its operation, and redo puts
 * them back. `rows` is JSON ({columns, rows}); `blob` holds the bytes of a row that has them (a
 * survey column's answers). An operation that leaves the log takes its stash with it.
 */
export const migration0085: Migration = {
  version: 85,
  name: 'operation-stash',
  up(db) {
    db.exec(`
      CREATE TABLE operation_stash (
        operation_id INTEGER NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        table_name   TEXT NOT NULL,
        rows         TEXT NOT NULL,
        blob         BLOB,
        PRIMARY KEY (operation_id, seq)
      ) STRICT;
    `);
  },
};
