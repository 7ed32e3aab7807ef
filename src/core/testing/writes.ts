/**
 * Holds every call a test makes to its declaration in src/shared/contract/effects.ts: temporary
 * triggers (on this connection only, never in the file) note each table a call writes, and a call
 * that writes a table outside the topics it declares fails the test that made it. So every unit
 * test that goes through createTestCore also checks the effects of the methods it calls.
 */
import { effects } from '../../shared/contract/effects';
import type { MethodName } from '../../shared/contract/index';
import { FieldbookError } from '../../shared/errors';
import type { Core } from '../core';
import type { Database as Db } from 'better-sqlite3';
import { BOOKKEEPING_TABLES, TOPIC_TABLES } from '../store/topics';

export interface WriteRecorder {
  /** Before a call: watch the open project's connection and start a fresh record. */
  begin(): void;
  /** After a call (null: it failed): throws when it wrote a table its declaration does not cover. */
  end(method: MethodName | null): void;
}

export function recordWrites(core: Core): WriteRecorder {
  const watched = new WeakSet<Db>();
  let inFlight = 0;
  // Calls that ran at the same time cannot be told apart in the record: neither is judged.
  let overlapped = false;

  const watch = (db: Db) => {
    if (watched.has(db)) return;
    watched.add(db);
    db.exec('CREATE TEMP TABLE IF NOT EXISTS fb_written (name TEXT PRIMARY KEY) WITHOUT ROWID');
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%_fts_%'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(
          `CREATE TEMP TRIGGER IF NOT EXISTS fb_written_${table}_${event.toLowerCase()} AFTER ${event} ON main."${table}" BEGIN INSERT OR IGNORE INTO fb_written (name) VALUES ('${table}'); END`,
        );
      }
    }
  };

  const current = (): Db | null => {
    const project = core.currentProject();
    if (!project || !project.db.open) return null;
    watch(project.db);
    return project.db;
  };

  return {
    begin() {
      if (inFlight > 0) overlapped = true;
      inFlight += 1;
      if (inFlight === 1) {
        overlapped = false;
        current()?.exec('DELETE FROM fb_written');
      }
    },
    end(method) {
      inFlight -= 1;
      const db = current();
      if (!db) return;
      if (overlapped || method === null) {
        if (inFlight === 0) db.exec('DELETE FROM fb_written');
        return;
      }
      const written = db.prepare('SELECT name FROM fb_written ORDER BY name').pluck().all() as string[];
      db.exec('DELETE FROM fb_written');
      const allowed = new Set([...BOOKKEEPING_TABLES, ...effects[method].changes.flatMap((topic) => TOPIC_TABLES[topic])]);
      const outside = written.filter((table) => !allowed.has(table));
      if (outside.length > 0) {
        throw new FieldbookError(
          'INTERNAL',
          `${method} wrote ${outside.join(', ')}, outside the topics it declares (${effects[method].changes.join(', ') || 'none'}): fix src/shared/contract/effects.ts or the handler.`,
        );
      }
    },
  };
}
