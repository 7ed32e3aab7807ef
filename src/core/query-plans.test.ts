import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from './testing/index';

/**
 * The hot lookups must find their rows through an index (lists of everything, such as the codes with
 * their counts, read every row by nature and are not checked here). Every statement the real handlers prepare
 * while serving the quotes view, a search, a document's segments and a transcript is captured and
 * explained; a full scan of a table that grows with the study (an index dropped or a query
 * rewritten past it) fails here instead of in a user's 5,000-quote project.
 */
const GROWING = ['segment', 'coding', 'turn', 'document', 'search_chunk', 'suggestion', 'speaker', 'memo', 'operation'];

let t: TestCore;
const captured = new Set<string>();
const originalPrepare = Database.prototype.prepare;

/** What the reading and quotes views prepare, and what a search prepares (captured once: statements are cached). */
let viewing: string[] = [];
let searching: string[] = [];

beforeAll(async () => {
  t = createTestCore();
  await t.call('project.openSample', { path: `${t.dir}/sample.fieldbook` });
  // The ids come from plain SQL, so the lists' own statements are first prepared while captured.
  const db = t.core.currentProject()!.db;
  const code = db.prepare("SELECT id FROM code WHERE name = 'Edge operations'").get() as { id: number };
  const doc = db.prepare("SELECT id FROM document WHERE kind = 'transcript' ORDER BY id").get() as { id: number };
  viewing = await statementsOf(async () => {
    await t.call('quotes.list', { codeId: code.id, includeSubcodes: true });
    await t.call('segments.list', { documentId: doc.id });
    await t.call('documents.get', { id: doc.id });
  });
  searching = await statementsOf(() => t.call('search.run', { query: '"model management" OR gpu*' }));
});
afterAll(() => {
  Database.prototype.prepare = originalPrepare;
  t.cleanup();
});

/** The statements a call prepares (the statement cache is per database, so each is seen once). */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  captured.clear();
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    captured.add(sql);
    return originalPrepare.call(this, sql);
  } as typeof Database.prototype.prepare;
  try {
    await run();
  } finally {
    Database.prototype.prepare = originalPrepare;
  }
  return [...captured].filter((sql) => /^\s*(WITH|SELECT)\b/i.test(sql));
}

const NOT_ALIASES = new Set(['on', 'where', 'join', 'left', 'inner', 'cross', 'natural', 'using', 'group', 'order', 'limit', 'union', 'as', 'set', 'values']);

/** The tables a statement names, by the names its plan uses (an alias, or the table's own name). */
function tablesByName(sql: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1]!.toLowerCase();
    names.set(table, table);
    const alias = m[2]?.toLowerCase();
    if (alias && !NOT_ALIASES.has(alias)) names.set(alias, table);
  }
  return names;
}

/** The plan steps that read a growing table whole (a SCAN, even through an index, is not a lookup). */
function fullScans(sql: string): string[] {
  const db = t.core.currentProject()!.db;
  const named = Object.fromEntries([...sql.matchAll(/[@$](\w+)/g)].map((m) => [m[1], 1]));
  const params = (sql.match(/\?/g) ?? []).map(() => 1);
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Object.keys(named).length ? statement.all(named) : statement.all(...params)) as { detail: string }[];
  const tables = tablesByName(sql);
  return rows
    .map((r) => r.detail)
    .filter((detail) => {
      const scan = /^SCAN (\w+)\b/.exec(detail);
      return scan !== null && GROWING.includes(tables.get(scan[1]!.toLowerCase()) ?? scan[1]!);
    });
}

describe('query plans of the hot reads', () => {
  it("the quotes view of a code, a document's segments and its text use indexes", () => {
    expect(viewing.length).toBeGreaterThan(2);
    expect(viewing.map((sql) => ({ sql, scans: fullScans(sql) })).filter((x) => x.scans.length)).toEqual([]);
  });

  it('a search finds its candidate chunks and turns through the index', () => {
    expect(searching.length).toBeGreaterThan(0);
    expect(searching.map((sql) => ({ sql, scans: fullScans(sql) })).filter((x) => x.scans.length)).toEqual([]);
  });

  it('fails when an index the quotes view and the reading view rely on is dropped', () => {
    const db = t.core.currentProject()!.db;
    for (const index of ['coding_code', 'segment_document', 'turn_document']) {
      const ddl = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(index) as string;
      db.exec(`DROP INDEX ${index}`);
      try {
        expect(viewing.flatMap(fullScans), index).not.toEqual([]);
      } finally {
        db.exec(ddl);
      }
    }
  });
});
