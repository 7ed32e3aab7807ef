import type { Database as Db } from 'better-sqlite3';
import { tableSpecSchema, type SavedTableInfo, type TableSpec } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';

interface SavedRow {
  id: number;
  name: string;
  spec: string;
  created_at: string;
  updated_at: string;
}

/** Saved specs are re-validated on the way out: a file edited by hand or by an older build cannot feed bad input to the engine. */
function toInfo(row: SavedRow): SavedTableInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(row.spec);
  } catch {
    throw new FieldbookError('PARSE_ERROR', `The saved table "${row.name}" is damaged (its definition is not valid JSON).`, { record: row.id });
  }
  const parsed = tableSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FieldbookError('PARSE_ERROR', `The saved table "${row.name}" is damaged: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid definition'}.`, {
      record: row.id,
    });
  }
  return { id: row.id, name: row.name, spec: parsed.data, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function saveTable(db: Db, name: string, spec: TableSpec, id?: number): SavedTableInfo {
  const json = JSON.stringify(spec);
  let rowId: number;
  if (id !== undefined) {
    const result = db.prepare("UPDATE saved_table SET name = ?, spec = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(name, json, id);
    if (result.changes === 0) throw new FieldbookError('NOT_FOUND', `There is no saved table with id ${id}.`, { record: id });
    rowId = id;
  } else {
    rowId = Number(db.prepare('INSERT INTO saved_table (name, spec) VALUES (?, ?)').run(name, json).lastInsertRowid);
  }
  return getSavedTable(db, rowId);
}

export function getSavedTable(db: Db, id: number): SavedTableInfo {
  const row = db.prepare('SELECT id, name, spec, created_at, updated_at FROM saved_table WHERE id = ?').get(id) as SavedRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no saved table with id ${id}.`, { record: id });
  return toInfo(row);
}

export function listSavedTables(db: Db): SavedTableInfo[] {
  const rows = db.prepare('SELECT id, name, spec, created_at, updated_at FROM saved_table ORDER BY name COLLATE NOCASE, id').all() as SavedRow[];
  return rows.map(toInfo);
}

export function deleteSavedTable(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM saved_table WHERE id = ?').run(id).changes > 0;
}
