import type { Database } from 'better-sqlite3';
import type { RebuildName } from './migrations/types';
import { indexDocumentTurns } from './search-index';

/**
 * Work a migration asked for that needs today's code, done once the schema is current: migrations
 * are frozen SQL, but an index is built by the indexer the app runs now.
 */
const rebuilds: Record<RebuildName, (db: Database) => void> = {
  'search-index'(db) {
    const ids = db.prepare('SELECT id FROM document ORDER BY id').pluck().all() as number[];
    for (const id of ids) indexDocumentTurns(db, id);
  },
};

/** Runs (in one transaction) every rebuild a migration recorded in `meta`, and forgets it. */
export function runPendingRebuilds(db: Database): void {
  const pending = db.prepare("SELECT key FROM meta WHERE key LIKE 'rebuild:%' ORDER BY key").pluck().all() as string[];
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const key of pending) {
      const name = key.slice('rebuild:'.length) as RebuildName;
      const rebuild = rebuilds[name];
      // A rebuild this Fieldbook does not know came from a newer one; opening refuses such files.
      if (!rebuild) continue;
      rebuild(db);
      db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    }
  })();
}
