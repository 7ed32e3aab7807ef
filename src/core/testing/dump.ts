import type { Database } from 'better-sqlite3';

/**
 * Every row of every table of a project (FTS shadow tables, sqlite_sequence and the schema
 * included), blobs as base64: two equal dumps mean the project's contents did not change.
 */
export function dumpProject(db: Database): string {
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all() as { name: string; sql: string | null }[];
  const out: Record<string, unknown> = {
    schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all(),
    userVersion: db.pragma('user_version', { simple: true }),
  };
  for (const { name, sql } of tables) {
    // A virtual table's rows live in its shadow tables, which are dumped as tables of their own.
    if (sql?.startsWith('CREATE VIRTUAL TABLE')) continue;
    out[name] = (db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).raw().all() as unknown[][]).map((row) =>
      row.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v)),
    );
  }
  return JSON.stringify(out);
}

/** How many rows a table has now (inside an open write: the uncommitted ones too). */
export function rowCount(db: Database, table: string): number {
  return db.prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`).pluck().get() as number;
}
