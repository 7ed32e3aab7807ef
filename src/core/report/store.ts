import { slotSourceSchema, type ReportSettings, type ReportSettingsPatch, type SlotFormat, type SlotSource } from '../../shared/contract/findings';
import type { ChartOptionsInput } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { runOperation, type Recorder } from '../history/history';
import type { Project } from '../store/project';
import { formatSlotValue } from './format';
import { readSlot, TableCache } from './slots';

/**
 * Every change to the report goes through the undo log (one operation per user action), so
 * Ctrl+Z undoes a moved finding, an accepted number or a removed quote like any coding.
 */

export interface FindingRow {
  id: number;
  position: number;
  headline: string;
  body: string;
  chart_table_id: number | null;
  chart: string;
  memo_id: number | null;
}

export interface SlotRow {
  id: number;
  finding_id: number;
  key: string;
  source: string;
  format: SlotFormat;
  value: number | null;
  text: string;
  fingerprint: string;
  accepted_at: string;
}

export interface QuoteRefRow {
  id: number;
  finding_id: number;
  position: number;
  segment_id: number | null;
  turn_id: number | null;
}

export function findingRow(project: Project, id: number): FindingRow {
  const row = project.db.prepare('SELECT * FROM finding WHERE id = ?').get(id) as FindingRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no finding number ${id}. It may have been deleted.`, { record: id });
  return row;
}

function findingIds(project: Project): number[] {
  return project.db.prepare('SELECT id FROM finding ORDER BY position, id').pluck().all() as number[];
}

/** Writes positions 0..n-1 in the given order, logging only the rows that moved. */
function renumber(rec: Recorder, table: 'finding' | 'finding_quote', ids: number[]): void {
  ids.forEach((id, position) => rec.update(table, id, { position }));
}

const now = () => new Date().toISOString();

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function createFinding(project: Project, input: { headline: string; body: string; position?: number | undefined }): number {
  return runOperation(project, 'Add a finding', (rec) => {
    const ids = findingIds(project);
    const at = Math.min(input.position ?? ids.length, ids.length);
    const id = rec.insert('finding', { position: ids.length, headline: input.headline, body: input.body, chart: '{}' });
    ids.splice(at, 0, id);
    renumber(rec, 'finding', ids);
    return id;
  });
}

export function updateFinding(
  project: Project,
  input: { id: number; headline?: string | undefined; body?: string | undefined; chartTableId?: number | null | undefined; chart?: Partial<ChartOptionsInput> | undefined },
): void {
  const row = findingRow(project, input.id);
  runOperation(project, 'Edit a finding', (rec) => {
    const values: Record<string, unknown> = {};
    if (input.headline !== undefined) values.headline = input.headline;
    if (input.body !== undefined) values.body = input.body;
    if (input.chartTableId !== undefined) {
      if (input.chartTableId !== null && !project.db.prepare('SELECT 1 FROM saved_table WHERE id = ?').get(input.chartTableId)) {
        throw new FieldbookError('NOT_FOUND', `There is no saved table with id ${input.chartTableId}.`, { field: 'chartTableId' });
      }
      values.chart_table_id = input.chartTableId;
    }
    if (input.chart !== undefined) values.chart = JSON.stringify({ ...(JSON.parse(row.chart) as object), ...input.chart });
    if (Object.keys(values).length > 0) rec.update('finding', input.id, { ...values, updated_at: now() });
  });
}

export function deleteFinding(project: Project, id: number): boolean {
  if (!project.db.prepare('SELECT 1 FROM finding WHERE id = ?').get(id)) return false;
  runOperation(project, 'Delete a finding', (rec) => {
    // Children first, each logged, so undo brings the finding back whole.
    for (const slot of project.db.prepare('SELECT id FROM finding_slot WHERE finding_id = ?').pluck().all(id) as number[]) rec.remove('finding_slot', slot);
    for (const quote of project.db.prepare('SELECT id FROM finding_quote WHERE finding_id = ?').pluck().all(id) as number[]) rec.remove('finding_quote', quote);
    rec.remove('finding', id);
    renumber(rec, 'finding', findingIds(project));
  });
  return true;
}

export function moveFinding(project: Project, id: number, position: number): void {
  findingRow(project, id);
  runOperation(project, 'Move a finding', (rec) => {
    const ids = findingIds(project).filter((x) => x !== id);
    ids.splice(Math.min(position, ids.length), 0, id);
    renumber(rec, 'finding', ids);
  });
}

export function setSlot(project: Project, input: { findingId: number; key: string; source: SlotSource; format: SlotFormat }): void {
  findingRow(project, input.findingId);
  const reading = readSlot(project, new TableCache(project), input.source);
  // A slot is only created on a number that exists now; a source that later goes away is flagged instead.
  if (reading.error) throw new FieldbookError('NOT_FOUND', reading.error, { field: 'source' });
  const values = {
    source: JSON.stringify(input.source),
    format: input.format,
    value: reading.value,
    text: formatSlotValue(reading.value, input.format),
    fingerprint: reading.fingerprint,
    accepted_at: now(),
  };
  runOperation(project, `Set the number {${input.key}}`, (rec) => {
    const existing = project.db.prepare('SELECT id FROM finding_slot WHERE finding_id = ? AND key = ?').pluck().get(input.findingId, input.key) as number | undefined;
    if (existing === undefined) rec.insert('finding_slot', { finding_id: input.findingId, key: input.key, ...values });
    else rec.update('finding_slot', existing, values);
    rec.update('finding', input.findingId, { updated_at: now() });
  });
}

export function removeSlot(project: Project, findingId: number, key: string): void {
  const existing = project.db.prepare('SELECT id FROM finding_slot WHERE finding_id = ? AND key = ?').pluck().get(findingId, key) as number | undefined;
  if (existing === undefined) throw new FieldbookError('NOT_FOUND', `The finding has no number {${key}}.`, { field: 'key' });
  runOperation(project, `Remove the number {${key}}`, (rec) => rec.remove('finding_slot', existing));
}

/** Takes today's numbers as the accepted ones (of one finding, or all); returns how many slots moved. */
export function acceptSlots(project: Project, findingId: number | undefined): number {
  if (findingId !== undefined) findingRow(project, findingId);
  const slots = (
    findingId === undefined
      ? project.db.prepare('SELECT * FROM finding_slot ORDER BY id').all()
      : project.db.prepare('SELECT * FROM finding_slot WHERE finding_id = ? ORDER BY id').all(findingId)
  ) as SlotRow[];
  const tables = new TableCache(project);
  const changes: { id: number; values: Record<string, unknown> }[] = [];
  for (const slot of slots) {
    const parsed = slotSourceSchema.safeParse(safeJson(slot.source));
    if (!parsed.success) continue;
    const reading = readSlot(project, tables, parsed.data);
    if (reading.error) continue;
    const text = formatSlotValue(reading.value, slot.format);
    if (text === slot.text && reading.fingerprint === slot.fingerprint && reading.value === slot.value) continue;
    changes.push({ id: slot.id, values: { value: reading.value, text, fingerprint: reading.fingerprint, accepted_at: now() } });
  }
  if (changes.length > 0) {
    runOperation(project, changes.length === 1 ? 'Accept a changed number' : `Accept ${changes.length} changed numbers`, (rec) => {
      for (const change of changes) rec.update('finding_slot', change.id, change.values);
    });
  }
  return changes.length;
}

export function addQuote(project: Project, findingId: number, ref: { segmentId?: number | undefined; turnId?: number | undefined }): void {
  findingRow(project, findingId);
  const db = project.db;
  if (ref.segmentId !== undefined && !db.prepare('SELECT 1 FROM segment WHERE id = ?').get(ref.segmentId)) {
    throw new FieldbookError('NOT_FOUND', `There is no quote number ${ref.segmentId}.`, { field: 'segmentId' });
  }
  if (ref.turnId !== undefined && !db.prepare('SELECT 1 FROM turn WHERE id = ?').get(ref.turnId)) {
    throw new FieldbookError('NOT_FOUND', `There is no answer or turn number ${ref.turnId}.`, { field: 'turnId' });
  }
  const segmentId = ref.segmentId ?? null;
  const turnId = ref.turnId ?? null;
  if (db.prepare('SELECT 1 FROM finding_quote WHERE finding_id = ? AND segment_id IS ? AND turn_id IS ?').get(findingId, segmentId, turnId)) {
    throw new FieldbookError('INVALID_INPUT', 'This quote is already in the finding.');
  }
  runOperation(project, 'Add a quote to a finding', (rec) => {
    const position = (db.prepare('SELECT count(*) FROM finding_quote WHERE finding_id = ?').pluck().get(findingId) as number) ?? 0;
    rec.insert('finding_quote', { finding_id: findingId, position, segment_id: segmentId, turn_id: turnId });
  });
}

function quoteIds(project: Project, findingId: number): number[] {
  return project.db.prepare('SELECT id FROM finding_quote WHERE finding_id = ? ORDER BY position, id').pluck().all(findingId) as number[];
}

export function removeQuote(project: Project, findingId: number, quoteId: number): void {
  if (!quoteIds(project, findingId).includes(quoteId)) throw new FieldbookError('NOT_FOUND', 'That quote is not in the finding.', { field: 'quoteId' });
  runOperation(project, 'Remove a quote from a finding', (rec) => {
    rec.remove('finding_quote', quoteId);
    renumber(rec, 'finding_quote', quoteIds(project, findingId));
  });
}

export function moveQuote(project: Project, findingId: number, quoteId: number, position: number): void {
  const ids = quoteIds(project, findingId);
  if (!ids.includes(quoteId)) throw new FieldbookError('NOT_FOUND', 'That quote is not in the finding.', { field: 'quoteId' });
  runOperation(project, 'Move a quote', (rec) => {
    const rest = ids.filter((x) => x !== quoteId);
    rest.splice(Math.min(position, rest.length), 0, quoteId);
    renumber(rec, 'finding_quote', rest);
  });
}

export function bodyFromMemo(project: Project, findingId: number, memoId: number): void {
  findingRow(project, findingId);
  const memo = project.db.prepare('SELECT title, body FROM memo WHERE id = ?').get(memoId) as { title: string; body: string } | undefined;
  if (!memo) throw new FieldbookError('NOT_FOUND', `There is no memo number ${memoId}.`, { field: 'memoId' });
  runOperation(project, 'Use a memo as a finding’s text', (rec) => rec.update('finding', findingId, { body: memo.body, memo_id: memoId, updated_at: now() }));
}

export function readSettings(project: Project): { title: string; settings: unknown } {
  const row = project.db.prepare('SELECT title, settings FROM report WHERE id = 1').get() as { title: string; settings: string } | undefined;
  let settings: unknown = {};
  try {
    settings = JSON.parse(row?.settings ?? '{}');
  } catch {
    settings = {};
  }
  return { title: row?.title ?? '', settings };
}

export function writeSettings(project: Project, title: string | undefined, settings: ReportSettings | undefined): void {
  runOperation(project, 'Change the report settings', (rec) => {
    const values: Record<string, unknown> = {};
    if (title !== undefined) values.title = title;
    if (settings !== undefined) values.settings = JSON.stringify(settings);
    rec.update('report', 1, values);
  });
}

/** Applies a change of some settings; what the change leaves out stays, and a null attribution list means every attribute. */
export function mergeSettings(current: ReportSettings, patch: ReportSettingsPatch): ReportSettings {
  const next: ReportSettings = { ...current };
  if (patch.verbatimAnswers !== undefined) next.verbatimAnswers = patch.verbatimAnswers;
  if (patch.pseudonyms !== undefined) next.pseudonyms = patch.pseudonyms;
  if (patch.redact !== undefined) next.redact = patch.redact;
  if (patch.attributionAttributes === null) delete next.attributionAttributes;
  else if (patch.attributionAttributes !== undefined) next.attributionAttributes = patch.attributionAttributes;
  return next;
}
