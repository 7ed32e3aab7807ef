import type { Database } from 'better-sqlite3';

/**
 * A numbered step of the schema. A migration is frozen once it ships: it holds its own SQL and
 * imports nothing but this file (a lint rule checks), so a later change of domain code can never
 * change what an old step does. Work that needs today's code (rebuilding the search index from
 * the documents) is requested by name through `rebuild` in the `meta` table, in the same
 * transaction, and done by store/rebuilds.ts once the schema is at the latest version.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** The rebuilds a migration may request (store/rebuilds.ts does them). */
export type RebuildName = 'search-index';

/** Records, inside the migration's transaction, that a rebuild must run once the schema is current. */
export function requestRebuild(db: Database, name: RebuildName): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`rebuild:${name}`, '1');
}
