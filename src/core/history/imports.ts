import type { Database } from 'better-sqlite3';
import { FieldbookError } from '../../shared/errors';
import { cached } from '../store/statements';

/**
 * An import in the undo log. An import writes up to millions of rows with its own fast
 * statements, so the log does not copy them: it names what the import added (its datasets,
 * documents and the participants it created). Undo moves those rows, and everything hanging off
 * them, into `operation_stash` and deletes them; redo inserts them back with the same ids (later
 * operations point at them) and rebuilds the documents' search index. The stash belongs to the
 * operation, so it goes when the operation leaves the redo list.
 */
export interface ImportRoots {
  datasets: number[];
  documents: number[];
  participants: number[];
}
export type ImportStep = (ImportRoots & { kind: 'import' }) | (ImportRoots & { kind: 'unimport' });

/** What an import's rows are, in the order they are put back (parents before children). */
const STASHED: { table: string; where: string }[] = [
  { table: 'participant', where: 'id IN (SELECT value FROM json_each(:participants))' },
  { table: 'dataset', where: 'id IN (SELECT value FROM json_each(:datasets))' },
  { table: 'variable', where: 'dataset_id IN (SELECT value FROM json_each(:datasets))' },
  { table: 'value_label', where: 'variable_id IN (SELECT id FROM variable WHERE dataset_id IN (SELECT value FROM json_each(:datasets)))' },
  { table: 'variable_data', where: 'variable_id IN (SELECT id FROM variable WHERE dataset_id IN (SELECT value FROM json_each(:datasets)))' },
  { table: 'document', where: `id IN (${DOCUMENTS()})` },
  { table: 'speaker', where: `document_id IN (${DOCUMENTS()})` },
  { table: 'turn', where: `document_id IN (${DOCUMENTS()})` },
];
const STASHED_TABLES = new Set(STASHED.map((s) => s.table));

function DOCUMENTS(): string {
  return 'SELECT value FROM json_each(:documents) UNION SELECT id FROM document WHERE dataset_id IN (SELECT value FROM json_each(:datasets))';
}

/** Rows per stash entry: large enough that a million turns are a few hundred entries. */
const ROWS_PER_ENTRY = 5000;

function ids(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new FieldbookError('INTERNAL', 'The undo log holds a damaged import step.');
  }
  return value as number[];
}

function params(step: ImportRoots): Record<string, string> {
  return {
    datasets: JSON.stringify(ids(step.datasets)),
    documents: JSON.stringify(ids(step.documents)),
    participants: JSON.stringify(ids(step.participants)),
  };
}

function conflict(what: string): FieldbookError {
  return new FieldbookError('CONFLICT', `This step can no longer be undone or redone: ${what}`);
}

/** Undo: moves the import's rows into the stash and deletes them. */
export function stashImport(db: Database, operationId: number, step: ImportStep): void {
  const p = params(step);
  const count = (sql: string): number => cached(db, sql).pluck().get(p) as number;
  if (count('SELECT count(*) FROM dataset WHERE id IN (SELECT value FROM json_each(:datasets))') !== step.datasets.length) {
    throw conflict('a dataset it added was deleted since.');
  }
  if (count('SELECT count(*) FROM document WHERE id IN (SELECT value FROM json_each(:documents))') !== step.documents.length) {
    throw conflict('a document it added was deleted since.');
  }
  // Quotes coded by an operation were taken back before this one; any left came from elsewhere and would be lost.
  if (count(`SELECT count(*) FROM segment WHERE document_id IN (${DOCUMENTS()})`) > 0) {
    throw conflict('quotes were coded in what it added; remove them first.');
  }
  cached(db, 'DELETE FROM operation_stash WHERE operation_id = ?').run(operationId);
  const insert = cached(db, 'INSERT INTO operation_stash (operation_id, seq, table_name, rows, blob) VALUES (?, ?, ?, ?, ?)');
  let seq = 0;
  for (const { table, where } of STASHED) {
    // Read a page at a time (a statement may not write while another is being read): a row with
    // bytes, a column's answers, is a page and an entry of its own, its bytes beside the JSON.
    const blobs = table === 'variable_data';
    const page = cached(db, `SELECT rowid AS stash_rowid, * FROM ${table} WHERE (${where}) AND rowid > :after ORDER BY rowid LIMIT ${blobs ? 1 : ROWS_PER_ENTRY}`);
    for (let after = -1; ; ) {
      const rows = page.all({ ...p, after }) as Record<string, unknown>[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.stash_rowid as number;
      const columns = Object.keys(rows[0]!).filter((c) => c !== 'stash_rowid');
      const blobColumn = blobs ? 'data' : undefined;
      const values = rows.map((row) => columns.map((c) => (c === blobColumn ? null : row[c])));
      insert.run(operationId, seq++, table, JSON.stringify({ columns, rows: values, ...(blobColumn ? { blob: blobColumn } : {}) }), blobColumn ? rows[0]![blobColumn] : null);
    }
  }
  // Deleting documents takes their turns, speakers and search rows; datasets their variables and answers.
  cached(db, `DELETE FROM document WHERE id IN (${DOCUMENTS()})`).run(p);
  cached(db, 'DELETE FROM dataset WHERE id IN (SELECT value FROM json_each(:datasets))').run(p);
  cached(db, 'DELETE FROM participant WHERE id IN (SELECT value FROM json_each(:participants))').run(p);
}

interface StashEntry {
  table_name: string;
  rows: string;
  blob: Buffer | null;
}

/** Redo: puts the stashed rows back with their ids; returns the documents to index again. */
export function restoreImport(db: Database, operationId: number, step: ImportStep): number[] {
  const seqs = cached(db, 'SELECT seq FROM operation_stash WHERE operation_id = ? ORDER BY seq').pluck().all(operationId) as number[];
  const read = cached(db, 'SELECT table_name, rows, blob FROM operation_stash WHERE operation_id = ? AND seq = ?');
  const documents: number[] = [];
  for (const seq of seqs) {
    const entry = read.get(operationId, seq) as StashEntry;
    if (!STASHED_TABLES.has(entry.table_name)) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged import step.');
    const { columns, rows, blob } = JSON.parse(entry.rows) as { columns: string[]; rows: unknown[][]; blob?: string };
    if (!columns.every((c) => /^[a-z_]+$/.test(c))) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged import step.');
    const statement = cached(db, `INSERT INTO ${entry.table_name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const blobAt = blob === undefined ? -1 : columns.indexOf(blob);
    try {
      for (const row of rows) {
        if (blobAt >= 0) row[blobAt] = entry.blob;
        statement.run(row);
        if (entry.table_name === 'document') documents.push(row[columns.indexOf('id')] as number);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CONSTRAINT')) throw conflict(`a row it adds back clashes with one made since (${entry.table_name}).`);
      throw error;
    }
  }
  if (seqs.length === 0 && step.datasets.length + step.documents.length + step.participants.length > 0) {
    throw new FieldbookError('INTERNAL', 'The undo log has lost the rows of an import it undid.');
  }
  cached(db, 'DELETE FROM operation_stash WHERE operation_id = ?').run(operationId);
  return documents;
}
