import type { Migration } from './types';

const TABLES = ['coder', 'code', 'document', 'segment', 'coding', 'participant', 'attribute', 'memo'] as const;

/**
 * A deleted row's GUID goes with it. SQLite may give a new row the id of a deleted one (the
 * largest id, without AUTOINCREMENT); without this, the new code or quote would inherit the old
 * one's REFI identity and another tool would take it for the old object.
 */
export const migration0071: Migration = {
  version: 71,
  name: 'export-guid-cleanup',
  up(db) {
    for (const table of TABLES) {
      db.exec(`
        CREATE TRIGGER exchange_guid_forget_${table} AFTER DELETE ON ${table} BEGIN
          DELETE FROM exchange_guid WHERE kind = '${table}' AND local_id = old.id;
        END;
      `);
    }
    // Rows deleted before this migration may have left GUIDs behind.
    for (const table of TABLES) {
      db.exec(`DELETE FROM exchange_guid WHERE kind = '${table}' AND local_id > 0 AND local_id NOT IN (SELECT id FROM ${table})`);
    }
  },
};
