import type { CellStat, SlotSource } from '../../shared/contract/findings';
import type { SavedTableInfo, TableResult, TableRowGroup } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { computeTable } from '../analysis/crosstab';
import { frameFor } from '../analysis/data';
import { getSavedTable } from '../analysis/saved';
import { PARTICIPANT_KEY_SQL, SEGMENT_TURN_SQL, subtreeIds } from '../coding/codebook';
import type { Project } from '../store/project';
import { codeFingerprint, tableFingerprint } from './fingerprint';

/** A saved table computed once per report read (a report points at a few tables many times). */
export interface ComputedTable {
  saved: SavedTableInfo;
  result: TableResult;
  fingerprint: string;
}

/** What a slot reads to now. */
export interface SlotReading {
  value: number | null;
  label: string;
  fingerprint: string;
  base: number | null;
  baseText: string | null;
  error: string | null;
  /** The table the number comes from (for the appendix and the "open the table" link). */
  tableId: number | null;
}

const STAT_WORDS: Record<CellStat, string> = {
  colPct: 'column %',
  rowPct: 'row %',
  totalPct: 'total %',
  count: 'count',
  weightedCount: 'weighted count',
  mean: 'mean',
};

export class TableCache {
  private readonly tables = new Map<number, ComputedTable | FieldbookError>();
  constructor(private readonly project: Project) {}

  get(id: number): ComputedTable {
    let entry = this.tables.get(id);
    if (!entry) {
      try {
        const db = this.project.db;
        const saved = getSavedTable(db, id);
        const result = computeTable(frameFor(db, saved.spec.source), saved.spec);
        entry = { saved, result, fingerprint: tableFingerprint(db, JSON.stringify(saved.spec), saved.spec.source) };
      } catch (error) {
        if (!(error instanceof FieldbookError)) throw error;
        entry = error.code === 'NOT_FOUND' ? new FieldbookError('NOT_FOUND', `Saved table ${id} was deleted.`) : error;
      }
      this.tables.set(id, entry);
    }
    if (entry instanceof FieldbookError) throw entry;
    return entry;
  }
}

function groupOf(table: ComputedTable, index: number): TableRowGroup {
  const group = table.result.groups[index];
  if (!group) throw new FieldbookError('NOT_FOUND', `The table "${table.saved.name}" no longer has row question ${index + 1}.`);
  return group;
}

function columnOf(table: ComputedTable, key: string): { index: number; label: string } {
  const index = table.result.columns.findIndex((c) => c.key === key);
  if (index < 0) throw new FieldbookError('NOT_FOUND', `The table "${table.saved.name}" no longer has the column ${key.replace(/^.*=/, '')}.`);
  const column = table.result.columns[index]!;
  const block = table.result.blocks.find((b) => b.key === column.block);
  const label = column.key === 'total' ? 'Total' : block && !block.isWave ? `${block.label}: ${column.label}` : column.label;
  return { index, label };
}

function rowOf(table: ComputedTable, group: TableRowGroup, key: string) {
  const row = group.rows.find((r) => r.key === key);
  if (!row) throw new FieldbookError('NOT_FOUND', `The table "${table.saved.name}" no longer has the answer ${key} under ${group.label}.`);
  return row;
}

function baseWords(table: ComputedTable, group: TableRowGroup, columnLabel: string, n: number): string {
  const unit = table.result.unit;
  const filter = table.result.filterText ? `, ${table.result.filterText}` : '';
  return `Base: ${unit} who answered ${group.label}${columnLabel === 'Total' ? '' : ` (${columnLabel})`}${filter}, n = ${n}`;
}

function readTableSlot(source: Exclude<SlotSource, { kind: 'code' }>, table: ComputedTable): Omit<SlotReading, 'fingerprint' | 'error' | 'tableId'> {
  const group = groupOf(table, source.group);
  if (source.kind === 'base') {
    const column = columnOf(table, source.column);
    const base = group.bases[column.index]!;
    const value = source.weighted ? base.weighted : base.unweighted;
    return { value, label: `${table.saved.name}: base of ${group.label}, ${column.label}`, base: null, baseText: null };
  }
  const row = rowOf(table, group, source.row);
  if (source.kind === 'change') {
    const from = columnOf(table, source.from);
    const to = columnOf(table, source.to);
    const a = row.cells[from.index]!.colPct;
    const b = row.cells[to.index]!.colPct;
    const value = a === null || b === null ? null : b - a;
    const n = group.bases[to.index]!.unweighted;
    return {
      value,
      label: `${table.saved.name}: ${group.label} = ${row.label}, change ${from.label} → ${to.label}, points of column %`,
      base: n,
      baseText: `${baseWords(table, group, from.label, group.bases[from.index]!.unweighted)}; ${to.label}, n = ${n}`,
    };
  }
  const column = columnOf(table, source.column);
  const cell = row.cells[column.index]!;
  const value = source.stat === 'mean' ? (cell.mean ?? null) : cell[source.stat];
  const n = group.bases[column.index]!.unweighted;
  return {
    value,
    label: `${table.saved.name}: ${group.label} = ${row.label}, ${column.label}, ${STAT_WORDS[source.stat]}`,
    base: n,
    baseText: baseWords(table, group, column.label, n),
  };
}

function readCodeSlot(project: Project, source: Extract<SlotSource, { kind: 'code' }>): Omit<SlotReading, 'error' | 'tableId'> {
  const code = project.db.prepare('SELECT name FROM code WHERE id = ?').get(source.codeId) as { name: string } | undefined;
  if (!code) throw new FieldbookError('NOT_FOUND', `Code ${source.codeId} was deleted.`);
  const ids = source.includeSubcodes ? subtreeIds(project, source.codeId) : [source.codeId];
  const marks = ids.map(() => '?').join(',');
  const expression = source.count === 'quotes' ? 's.id' : source.count === 'documents' ? 's.document_id' : PARTICIPANT_KEY_SQL;
  const value = (
    project.db
      .prepare(
        `SELECT count(DISTINCT ${expression}) AS n FROM coding c
           JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id
           LEFT JOIN turn t ON t.id = ${SEGMENT_TURN_SQL} LEFT JOIN speaker sp ON sp.id = t.speaker_id
          WHERE c.code_id IN (${marks})`,
      )
      .get(...ids) as { n: number }
  ).n;
  const what = source.count === 'participants' ? 'participants and respondents' : source.count;
  return {
    value,
    label: `${what} whose text carries "${code.name}"${source.includeSubcodes && ids.length > 1 ? ' (with its sub-codes)' : ''}`,
    fingerprint: codeFingerprint(project.db, ids),
    base: null,
    baseText: null,
  };
}

/** Reads a slot's number now. A source that went away is a reading with an error, never a throw. */
export function readSlot(project: Project, tables: TableCache, source: SlotSource): SlotReading {
  try {
    if (source.kind === 'code') return { ...readCodeSlot(project, source), error: null, tableId: null };
    const table = tables.get(source.tableId);
    return { ...readTableSlot(source, table), fingerprint: table.fingerprint, error: null, tableId: source.tableId };
  } catch (error) {
    if (!(error instanceof FieldbookError)) throw error;
    return { value: null, label: 'source not found', fingerprint: '', base: null, baseText: null, error: error.message, tableId: source.kind === 'code' ? null : source.tableId };
  }
}
