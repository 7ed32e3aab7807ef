import type { Migration } from './types';

/**
 * REFI-QDA identities. Other tools (NVivo, ATLAS.ti, MAXQDA) recognise a code, source or case by
 * its GUID; keeping the GUID a project was imported with (and the one we minted on the first
 * export) means a re-export updates the same objects in the other tool instead of duplicating them.
 */
export const migration0070: Migration = {
  version: 70,
  name: 'export',
  up(db) {
    db.exec(`
      CREATE TABLE exchange_guid (
        kind     TEXT NOT NULL CHECK (kind IN
                   ('project','coder','code','document','segment','coding','participant','attribute','memo')),
        local_id INTEGER NOT NULL,
        guid     TEXT NOT NULL,
        PRIMARY KEY (kind, local_id)
      ) STRICT;
      CREATE UNIQUE INDEX exchange_guid_guid ON exchange_guid(kind, guid);
    `);
  },
};
