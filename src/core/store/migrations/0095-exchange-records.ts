import type { Migration } from './types';

const TRIGGERED = ['coder', 'code', 'document', 'segment', 'coding', 'participant', 'attribute', 'memo'] as const;

/**
 * REFI-QDA identities become rows the undo log can name (an `id`), so importing another coder's
 * .qdpx is one undoable operation that takes its GUIDs with it and brings them back on redo.
 * `extra` keeps what the other tool wrote that has no column of ours (a code's isCodable, a
 * source's creator and dates, the GUIDs of quotes merged into one), written back on export.
 * REFI sets (groups of codes and sources) are kept in exchange_set, members by local id.
 */
export const migration0095: Migration = {
  version: 95,
  name: 'exchange-records',
  up(db) {
    for (const table of TRIGGERED) db.exec(`DROP TRIGGER IF EXISTS exchange_guid_forget_${table}`);
    db.exec(`
      CREATE TABLE exchange_guid_next (
        id       INTEGER PRIMARY KEY,
        kind     TEXT NOT NULL CHECK (kind IN
                   ('project','coder','code','document','segment','coding','participant','attribute','memo','set')),
        local_id INTEGER NOT NULL,
        guid     TEXT NOT NULL,
        extra    TEXT NOT NULL DEFAULT '{}',
        UNIQUE (kind, local_id)
      ) STRICT;
      INSERT INTO exchange_guid_next (kind, local_id, guid) SELECT kind, local_id, guid FROM exchange_guid ORDER BY kind, local_id;
      DROP TABLE exchange_guid;
      ALTER TABLE exchange_guid_next RENAME TO exchange_guid;
      CREATE UNIQUE INDEX exchange_guid_guid ON exchange_guid(kind, guid);
      CREATE TABLE exchange_set (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        members     TEXT NOT NULL DEFAULT '[]'
      ) STRICT;
    `);
    for (const table of [...TRIGGERED, 'exchange_set']) {
      const kind = table === 'exchange_set' ? 'set' : table;
      db.exec(`
        CREATE TRIGGER exchange_guid_forget_${table} AFTER DELETE ON ${table} BEGIN
          DELETE FROM exchange_guid WHERE kind = '${kind}' AND local_id = old.id;
        END;
      `);
    }
  },
};
