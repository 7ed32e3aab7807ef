import type { Database, Statement } from 'better-sqlite3';

const statementCache = new WeakMap<Database, Map<string, Statement>>();

/**
 * A prepared statement, made once per connection: preparing costs ~20 µs, which adds up when an
 * importer writes a thousand files or a coding step touches thousands of rows.
 */
export function cached(db: Database, sql: string): Statement {
  let map = statementCache.get(db);
  if (!map) {
    map = new Map();
    statementCache.set(db, map);
  }
  let statement = map.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    map.set(sql, statement);
  }
  return statement;
}
