import type { Database, Statement } from 'better-sqlite3';
import { cached } from '../store/statements';
import type { HistoryState, HistoryStep, OperationEntry } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { indexDocumentTurns } from '../store/search-index';
import { restoreImport, stashImport, type ImportRoots, type ImportStep } from './imports';

/**
 * The undo log. Every codebook and coding change is recorded as row-level steps (insert, delete,
 * update with the values before and after) in the `operation` table, inside the same transaction
 * as the change itself. Undo replays the inverse steps in reverse order, redo the steps in order.
 * Inserts keep their ids on redo, so later operations that point at those rows stay valid. Because
 * the log lives in the project file, undo survives closing the app.
 *
 * Other areas make their own changes undoable by calling `runOperation` and using the recorder
 * (e.g. accepting a suggestion = `applyCodingWith(rec, ...)` + `rec.update('suggestion', ...)`).
 * Participants, attributes and their values, speakers, turns and documents are logged the same
 * way, so the researcher has one undo history for the project. The search index is not logged: an
 * operation that removes or restores a document's turns names the document (`reindex`), and replay
 * rebuilds its index from the restored rows.
 */

/** Tables the log may touch. Undo data is read back from the file, so it is checked against this. */
export const LOGGED_TABLES = [
  'code',
  'segment',
  'coding',
  'memo',
  'suggestion',
  'participant',
  'attribute',
  'participant_attribute',
  'speaker',
  'turn',
  'document',
  'dataset',
  'variable',
  'value_label',
  'variable_data',
  'coder',
  'exchange_guid',
  'exchange_set',
  'report',
  'finding',
  'finding_slot',
  'finding_quote',
] as const;
export type LoggedTable = (typeof LOGGED_TABLES)[number];

/**
 * Tables without an `id` column are named by their primary key. Their rows are found by those
 * columns, never by rowid, which VACUUM may renumber.
 */
const KEY_COLUMNS: Partial<Record<LoggedTable, readonly string[]>> = {
  participant_attribute: ['participant_id', 'attribute_id'],
  value_label: ['variable_id', 'code'],
  variable_data: ['variable_id'],
};
/** Key columns whose values may be text as well as whole numbers (an SPSS string code). */
const TEXT_KEYS = new Set(['code']);
const ID_KEY = ['id'] as const;

function keyColumns(table: LoggedTable): readonly string[] {
  return KEY_COLUMNS[table] ?? ID_KEY;
}

/** A row's key: its id, or for a keyed table the values of its primary-key columns. */
export type RowKey = number | Record<string, number | string>;

type Row = Record<string, unknown>;

export type Step =
  | { kind: 'insert'; table: LoggedTable; row: Row }
  | { kind: 'delete'; table: LoggedTable; row: Row }
  | { kind: 'update'; table: LoggedTable; id: number; before: Record<string, unknown>; after: Record<string, unknown> }
  | { kind: 'update'; table: LoggedTable; key: Record<string, number | string>; before: Record<string, unknown>; after: Record<string, unknown> }
  | { kind: 'reindex'; documentId: number }
  | ImportStep;

/** A blob (a survey column's answers) in the log: JSON has no bytes, so it is kept as base64. */
interface LoggedBlob {
  $blob: string;
}

function logged(value: unknown): unknown {
  return value instanceof Uint8Array ? { $blob: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value;
}

function loggedRow(row: Row): Row {
  if (!Object.values(row).some((v) => v instanceof Uint8Array)) return row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = logged(v);
  return out;
}

/** The values as they are written back: logged blobs become bytes again. */
function restored(values: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'object' && v !== null && typeof (v as LoggedBlob).$blob === 'string') {
      out ??= { ...values };
      out[k] = Buffer.from((v as LoggedBlob).$blob, 'base64');
    }
  }
  return out ?? values;
}

const columnCache = new WeakMap<Database, Map<string, Set<string>>>();

function columnsOf(db: Database, table: LoggedTable): Set<string> {
  let map = columnCache.get(db);
  if (!map) {
    map = new Map();
    columnCache.set(db, map);
  }
  let columns = map.get(table);
  if (!columns) {
    const info = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    columns = new Set(info.map((c) => c.name));
    map.set(table, columns);
  }
  return columns;
}

function checkTable(table: unknown): LoggedTable {
  if (typeof table !== 'string' || !(LOGGED_TABLES as readonly string[]).includes(table)) {
    throw new FieldbookError('INTERNAL', `The undo log names a table it may not touch: ${String(table)}.`);
  }
  return table as LoggedTable;
}

function checkColumns(db: Database, table: LoggedTable, values: Record<string, unknown>): string[] {
  const known = columnsOf(db, table);
  const keys = Object.keys(values);
  for (const key of keys) {
    if (!known.has(key)) throw new FieldbookError('INTERNAL', `The undo log names an unknown column ${table}.${key}.`);
  }
  return keys;
}

const insertCache = new WeakMap<Database, Map<string, Statement>>();

/** Inserts with positional parameters; statements are cached per table and column list (batches reuse one). */
function insertRow(db: Database, table: LoggedTable, values: Record<string, unknown>): number {
  const keys = Object.keys(values);
  const signature = `${table}|${keys.join(',')}`;
  let map = insertCache.get(db);
  if (!map) insertCache.set(db, (map = new Map()));
  let statement = map.get(signature);
  if (!statement) {
    checkColumns(db, table, values);
    statement = db.prepare(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`);
    map.set(signature, statement);
  }
  const params = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) params[i] = values[keys[i]!];
  return Number(statement.run(params).lastInsertRowid);
}

/** The key's values in the order of the table's key columns, checked (they may come from the file). */
function keyValues(table: LoggedTable, key: RowKey | Row): (number | string)[] {
  const source: Record<string, unknown> = typeof key === 'number' ? { id: key } : key;
  return keyColumns(table).map((column) => {
    const value = source[column];
    if (typeof value === 'string' && TEXT_KEYS.has(column)) return value;
    if (typeof value !== 'number' || (!Number.isInteger(value) && !TEXT_KEYS.has(column))) {
      throw new FieldbookError('INTERNAL', `The undo log holds a damaged step: ${table}.${column} is not a row key.`);
    }
    return value;
  });
}

function whereKey(table: LoggedTable): string {
  return keyColumns(table)
    .map((column) => `${column} = ?`)
    .join(' AND ');
}

function updateRow(db: Database, table: LoggedTable, key: (number | string)[], values: Record<string, unknown>): void {
  const keys = checkColumns(db, table, values);
  if (keys.length === 0) return;
  const sql = `UPDATE ${table} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE ${whereKey(table)}`;
  cached(db, sql).run([...keys.map((k) => values[k]), ...key]);
}

function readRow(db: Database, table: LoggedTable, key: (number | string)[]): Row | undefined {
  return cached(db, `SELECT * FROM ${table} WHERE ${whereKey(table)}`).get(key) as Row | undefined;
}

function deleteRow(db: Database, table: LoggedTable, key: (number | string)[]): boolean {
  return cached(db, `DELETE FROM ${table} WHERE ${whereKey(table)}`).run(key).changes > 0;
}

/**
 * One kind of inserted row inside an insert block: the table, the columns that vary per row, and
 * the columns every row of the operation shares (timestamps; constants found when the block is saved).
 */
interface InsertGroup {
  table: LoggedTable;
  columns: string[];
  fixed: Record<string, unknown>;
}

/**
 * Consecutive inserts, in order, stored flat: for each row its group index, its varying values and
 * its id as the difference from the previous id of that group (1 for rows inserted one after the
 * other). A 10,000-coding batch then logs no key names, no per-row arrays and no repeated timestamps.
 */
interface InsertBlock {
  kind: 'rows';
  groups: InsertGroup[];
  data: unknown[];
}

interface GroupState {
  group: InsertGroup;
  index: number;
  /** The statement with the varying columns first and the fixed ones last. */
  statement: Statement;
  /** Reused for every row: the varying values are copied in front of the fixed ones. */
  params: unknown[];
  lastId: number;
  /** The first row's values, and which columns have differed from them since. */
  first: unknown[] | null;
  varies: boolean[];
}

/** An insert block being recorded: its groups' states, in group order. */
interface OpenBlock {
  kind: 'rows';
  states: GroupState[];
  data: unknown[];
}

/** Records the steps of one operation while making them. */
export class Recorder {
  private readonly log: (Step | OpenBlock)[] = [];
  private block: OpenBlock | null = null;
  /** Per block: group state by table, then by the columns array (callers pass one array per call site). */
  private states = new Map<string, Map<readonly string[] | string, GroupState>>();
  constructor(readonly db: Database) {}

  /** One timestamp for the whole operation, in SQLite's own default format. */
  private readonly now = new Date().toISOString();

  /** Whether anything was recorded. */
  get isEmpty(): boolean {
    return this.log.length === 0;
  }

  private groupFor(table: LoggedTable, columns: readonly string[], key: readonly string[] | string): GroupState {
    let byColumns = this.states.get(table);
    if (!byColumns) this.states.set(table, (byColumns = new Map()));
    let state = byColumns.get(key);
    if (state) return state;
    if (!this.block) {
      this.block = { kind: 'rows', states: [], data: [] };
      this.log.push(this.block);
    }
    // Timestamps are given here rather than left to column defaults, so the logged row is the
    // stored row without reading it back (the other defaults are constants and redo gets them again).
    const known = columnsOf(this.db, table);
    const fixed: Record<string, unknown> = {};
    for (const stamp of ['created_at', 'updated_at']) if (known.has(stamp) && !columns.includes(stamp)) fixed[stamp] = this.now;
    const all = [...columns, ...Object.keys(fixed)];
    for (const column of all) {
      if (!known.has(column)) throw new FieldbookError('INTERNAL', `The undo log names an unknown column ${table}.${column}.`);
    }
    state = {
      group: { table, columns: [...columns], fixed },
      index: this.block.states.length,
      statement: cached(this.db, `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`),
      params: [...columns.map(() => null), ...Object.values(fixed)],
      lastId: 0,
      first: null,
      varies: columns.map(() => false),
    };
    this.block.states.push(state);
    byColumns.set(key, state);
    return state;
  }

  /**
   * Inserts a row given as values in the order of `columns` and logs it. For batches: pass the
   * same `columns` array every time (a module constant). Timestamp columns left out get the
   * operation's timestamp.
   */
  insertValues(table: LoggedTable, columns: readonly string[], values: unknown[]): number {
    return this.insertKeyed(table, columns, columns, values);
  }

  /** Inserts a row and logs it. */
  insert(table: LoggedTable, values: Record<string, unknown>): number {
    const columns = Object.keys(values);
    return this.insertKeyed(table, columns, columns.join(','), columns.map((c) => values[c]));
  }

  private insertKeyed(table: LoggedTable, columns: readonly string[], key: readonly string[] | string, values: unknown[]): number {
    const state = this.groupFor(table, columns, key);
    const width = columns.length;
    const first = state.first;
    if (first === null) state.first = values.slice(0, width);
    const params = state.params;
    for (let i = 0; i < width; i++) params[i] = values[i];
    const id = Number(state.statement.run(params).lastInsertRowid);
    const data = this.block!.data;
    const varies = state.varies;
    data.push(state.index);
    for (let i = 0; i < width; i++) {
      const value = values[i];
      data.push(logged(value));
      if (first !== null && !varies[i] && value !== first[i]) varies[i] = true;
    }
    data.push(id - state.lastId);
    state.lastId = id;
    return id;
  }

  /** Any other step ends the current insert block, so the log keeps the exact order of changes. */
  private push(step: Step): void {
    this.block = null;
    this.states = new Map();
    this.log.push(step);
  }

  /**
   * Deletes one row (by id, or by its key columns in a keyed table) and remembers all of it.
   * Callers delete dependent rows first and clear references to it (cascades are not logged).
   */
  remove(table: LoggedTable, key: RowKey): boolean {
    const values = keyValues(table, key);
    const row = readRow(this.db, table, values);
    if (!row) return false;
    deleteRow(this.db, table, values);
    this.push({ kind: 'delete', table, row: loggedRow(row) });
    return true;
  }

  /** Changes the given columns of one row; logs only what really changed. False when nothing did. */
  update(table: LoggedTable, key: RowKey, values: Record<string, unknown>): boolean {
    const keyed = keyValues(table, key);
    const row = readRow(this.db, table, keyed);
    if (!row) return false;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of checkColumns(this.db, table, values)) {
      if (row[key] === values[key]) continue;
      if (row[key] instanceof Uint8Array && values[key] instanceof Uint8Array && Buffer.compare(row[key], values[key]) === 0) continue;
      before[key] = logged(row[key]);
      after[key] = logged(values[key]);
    }
    if (Object.keys(after).length === 0) return false;
    updateRow(this.db, table, keyed, restored(after));
    this.push(
      typeof key === 'number' ? { kind: 'update', table, id: key, before, after } : { kind: 'update', table, key: { ...key }, before, after },
    );
    return true;
  }

  /**
   * Logs a change of one row that its caller already made with its own statement (an import's
   * cross-wave matching): `before` and `after` are the changed columns' values.
   */
  updated(table: LoggedTable, id: number, before: Record<string, unknown>, after: Record<string, unknown>): void {
    checkColumns(this.db, table, after);
    this.push({ kind: 'update', table, id, before, after });
  }

  /**
   * The search index of this document must be rebuilt whenever the operation is undone or redone
   * (its turns are removed or restored by the steps). The document's index is left to the caller now.
   */
  reindex(documentId: number): void {
    this.push({ kind: 'reindex', documentId });
  }

  /**
   * A whole import, written by its importer's own fast statements: undo moves what it added
   * (rows of these datasets, documents and participants) aside, redo puts it back (imports.ts).
   */
  imported(roots: ImportRoots): void {
    this.push({ kind: 'import', ...roots });
  }

  /** The log as stored (JSON.stringify calls this). */
  toJSON(): (Step | InsertBlock)[] {
    return this.log.map((entry) => (entry.kind === 'rows' ? closeBlock(entry) : entry));
  }
}

/**
 * A column with one value in every row of its group is stored once, in `fixed` (the code, coder
 * and source of a batch), so the rows keep only what differs.
 */
function closeBlock(block: OpenBlock): InsertBlock {
  const { states, data } = block;
  const groups = states.map(({ group, first, varies }) => {
    const fixed: Record<string, unknown> = {};
    group.columns.forEach((c, i) => {
      if (!varies[i]) fixed[c] = first![i];
    });
    return { table: group.table, columns: group.columns.filter((_, i) => varies[i]), fixed: Object.assign(fixed, group.fixed) };
  });
  if (states.every((s) => s.varies.every(Boolean))) return { kind: 'rows', groups, data };
  const out: unknown[] = [];
  for (let at = 0; at < data.length; ) {
    const g = data[at] as number;
    const varies = states[g]!.varies;
    const width = varies.length;
    out.push(g);
    for (let i = 0; i < width; i++) if (varies[i]) out.push(data[at + 1 + i]);
    out.push(data[at + 1 + width]);
    at += width + 2;
  }
  return { kind: 'rows', groups, data: out };
}

function invert(step: Step): Step {
  switch (step.kind) {
    case 'insert':
      return { kind: 'delete', table: step.table, row: step.row };
    case 'delete':
      return { kind: 'insert', table: step.table, row: step.row };
    case 'update':
      return 'key' in step
        ? { kind: 'update', table: step.table, key: step.key, before: step.after, after: step.before }
        : { kind: 'update', table: step.table, id: step.id, before: step.after, after: step.before };
    case 'reindex':
      return step;
    case 'import':
      return { ...step, kind: 'unimport' };
    case 'unimport':
      return { ...step, kind: 'import' };
  }
}

/** Applies one step; returns the documents whose search index must be rebuilt afterwards. */
function applyStep(db: Database, raw: unknown, operationId: number): number[] {
  if (typeof raw !== 'object' || raw === null) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged step.');
  const step = raw as Step;
  if (step.kind === 'reindex') return [checkId(step.documentId)];
  if (step.kind === 'import' || step.kind === 'unimport') {
    if (step.kind === 'import') return restoreImport(db, operationId, step);
    stashImport(db, operationId, step);
    return [];
  }
  const table = checkTable(step.table);
  try {
    if (step.kind === 'insert') {
      insertRow(db, table, restored(step.row));
    } else if (step.kind === 'delete') {
      if (!deleteRow(db, table, keyValues(table, step.row))) throw conflict(table);
    } else if (step.kind === 'update') {
      const key = keyValues(table, 'key' in step ? step.key : step.id);
      if (!readRow(db, table, key)) throw conflict(table);
      updateRow(db, table, key, restored(step.after));
    } else {
      throw new FieldbookError('INTERNAL', 'The undo log holds a step of an unknown kind.');
    }
  } catch (error) {
    if (error instanceof FieldbookError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CONSTRAINT')) throw conflict(table);
    throw error;
  }
  return [];
}

const TABLE_WORDS: Record<LoggedTable, string> = {
  code: 'a code',
  segment: 'a quote',
  coding: 'a quote',
  turn: 'a speaker turn',
  memo: 'a memo',
  suggestion: 'a suggestion',
  participant: 'a participant',
  attribute: 'an attribute',
  participant_attribute: 'a participant’s attribute value',
  speaker: 'a speaker',
  document: 'a document',
  dataset: 'a dataset',
  variable: 'a variable',
  value_label: 'an answer of a variable',
  variable_data: 'the answers of a variable',
  coder: 'a coder',
  exchange_guid: 'an imported item’s identity',
  exchange_set: 'an imported set',
  report: 'the report settings',
  finding: 'a finding',
  finding_slot: 'a number in a finding',
  finding_quote: 'a quote in a finding',
};

function checkId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged step.');
  return value;
}

function conflict(table: LoggedTable): FieldbookError {
  const what = TABLE_WORDS[table];
  return new FieldbookError(
    'CONFLICT',
    `This step can no longer be undone or redone: ${what} it touches was changed elsewhere (for example its document was removed).`,
  );
}

/**
 * Runs `fn` in one transaction and logs what it recorded as one undoable operation. A new
 * operation drops the redo stack, as in every editor. Nothing is logged when nothing changed.
 */
export function runOperation<T>(project: Project, label: string, fn: (rec: Recorder) => T): T {
  return project.transaction(() => recordOperation(project.db, label, fn));
}

/**
 * runOperation inside a transaction the caller already holds (an import's `writeAsync`): the
 * operation is logged with the rest of the write, or rolled back with it.
 */
export function recordOperation<T>(db: Database, label: string, fn: (rec: Recorder) => T): T {
  if (!db.inTransaction) throw new FieldbookError('INTERNAL', 'An undoable change was recorded outside a transaction.');
  const rec = new Recorder(db);
  const result = fn(rec);
  if (!rec.isEmpty) {
    cached(db, `DELETE FROM operation WHERE state = 'undone'`).run();
    // The backward steps are exactly the forward ones inverted and reversed; storing them twice
    // would double the log (a 10,000-coding batch writes megabytes), so `backward` names the rule.
    cached(db, 'INSERT INTO operation (label, forward, backward) VALUES (?, ?, ?)').run(label, JSON.stringify(rec), INVERSE_OF_FORWARD);
  }
  return result;
}

const INVERSE_OF_FORWARD = '{"inverseOf":"forward"}';

/** The earlier batch form, still read from older project files: a run of inserts into one table, keys written once. */
interface InsertRun {
  kind: 'inserts';
  table: LoggedTable;
  columns: string[];
  rows: unknown[][];
}

function expand(raw: unknown[]): Step[] {
  const out: Step[] = [];
  for (const item of raw) {
    const block = item as Partial<InsertBlock>;
    if (block && block.kind === 'rows' && Array.isArray(block.groups) && Array.isArray(block.data)) {
      expandBlock(block as InsertBlock, out);
      continue;
    }
    const run = item as Partial<InsertRun>;
    if (run && run.kind === 'inserts' && Array.isArray(run.columns) && Array.isArray(run.rows)) {
      const table = checkTable(run.table);
      for (const values of run.rows) {
        const row: Record<string, unknown> = {};
        run.columns.forEach((c, i) => (row[c] = (values as unknown[])[i]));
        out.push({ kind: 'insert', table, row: row as Row });
      }
    } else {
      out.push(item as Step);
    }
  }
  return out;
}

function expandBlock(block: InsertBlock, out: Step[]): void {
  const groups = block.groups.map((g) => {
    if (typeof g !== 'object' || g === null || !Array.isArray(g.columns) || typeof g.fixed !== 'object' || g.fixed === null) {
      throw new FieldbookError('INTERNAL', 'The undo log holds a damaged operation.');
    }
    const table = checkTable(g.table);
    return { table, columns: g.columns, fixed: g.fixed, lastId: 0, hasId: !KEY_COLUMNS[table] };
  });
  const data = block.data;
  for (let at = 0; at < data.length; ) {
    const group = groups[data[at] as number];
    if (!group) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged operation.');
    const width = group.columns.length;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) row[group.columns[i]!] = data[at + 1 + i];
    Object.assign(row, group.fixed);
    const delta = data[at + 1 + width];
    if (typeof delta !== 'number') throw new FieldbookError('INTERNAL', 'The undo log holds a damaged operation.');
    group.lastId += delta;
    // Keyed tables carry their key in their columns; the logged delta is of a rowid, unused.
    if (group.hasId) row.id = group.lastId;
    out.push({ kind: 'insert', table: group.table, row: row as Row });
    at += width + 2;
  }
}

function backwardSteps(op: OperationRow): Step[] {
  if (op.backward === INVERSE_OF_FORWARD) return parseSteps(op.forward).map(invert).reverse();
  return parseSteps(op.backward);
}

function parseSteps(json: string): Step[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new FieldbookError('INTERNAL', 'The undo log holds a damaged operation.');
  return expand(parsed);
}

interface OperationRow {
  id: number;
  label: string;
  forward: string;
  backward: string;
  state: 'done' | 'undone';
  created_at: string;
}

export function historyState(project: Project): HistoryState {
  const undo = cached(project.db, `SELECT label FROM operation WHERE state = 'done' ORDER BY id DESC LIMIT 1`).get() as
    | { label: string }
    | undefined;
  const redo = cached(project.db, `SELECT label FROM operation WHERE state = 'undone' ORDER BY id ASC LIMIT 1`).get() as
    | { label: string }
    | undefined;
  return { canUndo: !!undo, canRedo: !!redo, undoLabel: undo?.label ?? null, redoLabel: redo?.label ?? null };
}

/**
 * Something outside the log changed what an operation touched (its document was deleted, say):
 * that step can never be replayed. It leaves the list (undo: that operation; redo: the whole redo
 * stack, whose order depends on it) so the next Undo reaches further back instead of failing again.
 */
function dropAfterConflict(project: Project, op: OperationRow, direction: 'undo' | 'redo', error: FieldbookError): FieldbookError {
  if (direction === 'undo') cached(project.db, 'DELETE FROM operation WHERE id = ?').run(op.id);
  else cached(project.db, `DELETE FROM operation WHERE state = 'undone'`).run();
  return new FieldbookError(
    'CONFLICT',
    `“${op.label}” could not be ${direction === 'undo' ? 'undone' : 'redone'}: ${error.message.replace(/^This step can no longer be undone or redone: /, '')} It has been taken off the ${direction} list.`,
    { operation: op.id },
  );
}

function step(project: Project, direction: 'undo' | 'redo'): HistoryStep {
  const op = cached(
    project.db,
    direction === 'undo'
      ? `SELECT * FROM operation WHERE state = 'done' ORDER BY id DESC LIMIT 1`
      : `SELECT * FROM operation WHERE state = 'undone' ORDER BY id ASC LIMIT 1`,
  ).get() as OperationRow | undefined;
  if (!op) return { label: null, ...historyState(project) };
  try {
    project.transaction(() => {
      const reindex = new Set<number>();
      for (const s of direction === 'undo' ? backwardSteps(op) : parseSteps(op.forward)) {
        for (const documentId of applyStep(project.db, s, op.id)) reindex.add(documentId);
      }
      // After every row is back: a document that is gone has no index left to rebuild (0 turns).
      for (const documentId of reindex) indexDocumentTurns(project.db, documentId);
      cached(project.db, 'UPDATE operation SET state = ? WHERE id = ?').run(direction === 'undo' ? 'undone' : 'done', op.id);
    });
  } catch (error) {
    if (error instanceof FieldbookError && error.code === 'CONFLICT') throw dropAfterConflict(project, op, direction, error);
    throw error;
  }
  return { label: op.label, ...historyState(project) };
}

export function undo(project: Project): HistoryStep {
  return step(project, 'undo');
}

export function redo(project: Project): HistoryStep {
  return step(project, 'redo');
}

export function listHistory(project: Project, limit = 100): OperationEntry[] {
  const rows = cached(
    project.db,
    'SELECT id, label, state, created_at FROM operation ORDER BY id DESC LIMIT ?',
  ).all(limit) as Omit<OperationRow, 'forward' | 'backward'>[];
  return rows.map((r) => ({ id: r.id, label: r.label, state: r.state, createdAt: r.created_at }));
}
