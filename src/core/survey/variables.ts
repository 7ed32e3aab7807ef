import type { Database } from 'better-sqlite3';
import type { SurveyVariableType } from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import type { Recorder } from '../history/history';
import { indexDocumentTurns } from '../store/search-index';
import { encodeCodesC8, encodeColumn, U8_MISSING, type Column } from './columns';
import { countColumn } from './counts';
import type { MissingSpec } from './model';
import { kindOf, retypeColumn, toFlags, type Answer, type Typed } from './retype';
import { DOCUMENT_ENCODING, encodeTextColumn, loadColumn } from './store';

/**
 * Changes to a variable after the import (the Data page, `fieldbook variable`): its type, the
 * order and wording of its answers, which answers are missing or non-substantive, merged
 * answers, its question text and its question group. Each is one undoable operation: every row
 * it touches (variable, value_label, variable_data, an open-answer document and its turns) goes
 * through the recorder, and the tables follow because the data generation moves with them.
 */

/** An answer named by its stored code or by its label (the CLI passes text). */
export type AnswerRef = number | string;

export interface VariableEdit {
  variableId: number;
  type?: SurveyVariableType | undefined;
  label?: string | undefined;
  order?: AnswerRef[] | undefined;
  missing?: AnswerRef[] | undefined;
  nonsubstantive?: AnswerRef[] | undefined;
  merge?: { answers: AnswerRef[]; label?: string | undefined } | undefined;
}

interface VariableRecord {
  id: number;
  dataset_id: number;
  name: string;
  label: string;
  type: SurveyVariableType;
  question_group: string | null;
  group_label: string | null;
  option_label: string | null;
  missing: string;
  meta: string;
}

/** A variable as it is being changed: its row's fields and its answers, decoded. */
export interface Working extends Typed {
  row: VariableRecord;
  type: SurveyVariableType;
  text: string;
  group: string | null;
  groupLabel: string | null;
  optionLabel: string | null;
  dataChanged: boolean;
  /** The stored codes are the file's own numbers (SPSS), not ones the importer gave text answers. */
  codesAreValues: boolean;
}

const SPSS_FORMATS = new Set(['sav', 'zsav', 'por']);

export function loadWorking(db: Database, variableId: number): Working {
  const row = db.prepare('SELECT id, dataset_id, name, label, type, question_group, group_label, option_label, missing, meta FROM variable WHERE id = ?').get(variableId) as
    | VariableRecord
    | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no variable ${variableId} in this project.`, { record: variableId });
  const labels = (
    db.prepare('SELECT code, label, is_missing, nonsubstantive FROM value_label WHERE variable_id = ? ORDER BY position, code').all(variableId) as {
      code: number | string;
      label: string;
      is_missing: number;
      nonsubstantive: number;
    }[]
  ).map((l) => ({ code: l.code, label: l.label, missing: l.is_missing === 1, nonsubstantive: l.nonsubstantive === 1 }));
  return {
    row,
    type: row.type,
    text: row.label,
    group: row.question_group,
    groupLabel: row.group_label,
    optionLabel: row.option_label,
    column: loadColumn(db, variableId),
    labels,
    missing: JSON.parse(row.missing) as MissingSpec,
    dataChanged: false,
    codesAreValues: SPSS_FORMATS.has(db.prepare('SELECT format FROM dataset WHERE id = ?').pluck().get(row.dataset_id) as string),
  };
}

/** What saveWorking compares against: the type and answers as loaded. */
export interface Snapshot {
  type: SurveyVariableType;
  labels: Answer[];
}

export function snapshot(w: Working): Snapshot {
  return { type: w.type, labels: w.labels.map((l) => ({ ...l })) };
}

function findAnswer(w: Working, ref: AnswerRef): Answer {
  const found =
    w.labels.find((l) => l.code === ref) ??
    w.labels.find((l) => l.label === ref) ??
    w.labels.find((l) => String(l.code) === String(ref));
  if (!found) {
    const known = w.labels.map((l) => `"${l.label}"`).join(', ');
    throw new FieldbookError('INVALID_INPUT', `${w.row.name} has no answer "${ref}"${known ? `; its answers are ${known}` : ''}.`, { field: w.row.name });
  }
  return found;
}

function requireChoice(w: Working, what: string): void {
  if (kindOf(w.type) !== 'choice') {
    throw new FieldbookError('INVALID_INPUT', `${w.row.name} is ${w.type}: only a single-choice or ordinal question has answers to ${what}.`, { field: w.row.name });
  }
}

/** Applies the edit to the working copy (no writes). */
export function applyEdit(w: Working, edit: VariableEdit): void {
  if (edit.type !== undefined && edit.type !== w.type) {
    const typed = retypeColumn(w.row.name, w, w.type, edit.type, w.codesAreValues);
    if (typed !== w) {
      Object.assign(w, typed);
      w.dataChanged = true;
    }
    w.type = edit.type;
  }
  if (edit.label !== undefined) w.text = edit.label;
  if (edit.merge) mergeAnswers(w, edit.merge.answers, edit.merge.label);
  if (edit.order) {
    requireChoice(w, 'order');
    const first = edit.order.map((ref) => findAnswer(w, ref));
    w.labels = [...new Set(first), ...w.labels.filter((l) => !first.includes(l))];
  }
  if (edit.missing) setMissing(w, edit.missing);
  if (edit.nonsubstantive) {
    requireChoice(w, 'mark non-substantive');
    const chosen = new Set(edit.nonsubstantive.map((ref) => findAnswer(w, ref)));
    for (const l of w.labels) {
      l.nonsubstantive = chosen.has(l);
      if (l.nonsubstantive && l.missing) {
        throw new FieldbookError('INVALID_INPUT', `"${l.label}" cannot be both missing and non-substantive in ${w.row.name}.`, { field: w.row.name });
      }
    }
  }
}

function setMissing(w: Working, refs: AnswerRef[]): void {
  const kind = kindOf(w.type);
  if (kind === 'numbers') {
    const values = refs.map((ref) => {
      const x = typeof ref === 'number' ? ref : Number(ref.trim());
      if (typeof ref === 'string' && ref.trim() === '') throw new FieldbookError('INVALID_INPUT', `A missing value of ${w.row.name} is empty.`, { field: w.row.name });
      if (!Number.isFinite(x)) throw new FieldbookError('INVALID_INPUT', `${w.row.name} is numeric: "${ref}" is not a number to mark missing.`, { field: w.row.name });
      return x;
    });
    w.missing = { values };
    return;
  }
  requireChoice(w, 'mark missing');
  const chosen = new Set(refs.map((ref) => findAnswer(w, ref)));
  for (const l of w.labels) {
    l.missing = chosen.has(l);
    if (l.missing) l.nonsubstantive = false;
  }
  w.missing = { values: [] };
}

function mergeAnswers(w: Working, refs: AnswerRef[], label: string | undefined): void {
  requireChoice(w, 'merge');
  const answers = [...new Set(refs.map((ref) => findAnswer(w, ref)))];
  if (answers.length < 2) throw new FieldbookError('INVALID_INPUT', `Name two or more different answers of ${w.row.name} to merge.`, { field: w.row.name });
  const [into, ...rest] = answers as [Answer, ...Answer[]];
  const from = new Set(rest.map((l) => Number(l.code)));
  const target = Number(into.code);
  const values = (w.column as Extract<Column, { encoding: 'i32' }>).values.slice();
  for (let r = 0; r < values.length; r++) if (from.has(values[r]!)) values[r] = target;
  w.column = { encoding: 'i32', values };
  w.labels = w.labels.filter((l) => !rest.includes(l));
  if (label !== undefined && label.trim() !== '') into.label = label.trim();
  w.dataChanged = true;
}

const VALUE_LABEL_COLUMNS = ['variable_id', 'code', 'label', 'position', 'is_missing', 'nonsubstantive'] as const;

/** Writes the working copy back through the recorder: only what changed is logged. */
export function saveWorking(rec: Recorder, db: Database, w: Working, before: Snapshot): void {
  const id = w.row.id;
  const wasDocument = before.type === 'text';
  const isDocument = w.type === 'text';
  if (w.dataChanged || wasDocument !== isDocument) {
    if (wasDocument && !isDocument) removeDocument(rec, db, id, w.row.name);
    if (isDocument && !wasDocument) {
      createDocument(rec, db, w);
      rec.update('variable_data', { variable_id: id }, { encoding: DOCUMENT_ENCODING, data: Buffer.alloc(0) });
    } else if (!isDocument) {
      const { encoding, data } = stored(w.column);
      rec.update('variable_data', { variable_id: id }, { encoding, data });
    }
  }
  const oldCodes = new Map(before.labels.map((l) => [l.code, l]));
  const newCodes = new Set(w.labels.map((l) => l.code));
  for (const l of before.labels) if (!newCodes.has(l.code)) rec.remove('value_label', { variable_id: id, code: l.code });
  w.labels.forEach((l, position) => {
    const values = { label: l.label, position, is_missing: l.missing ? 1 : 0, nonsubstantive: l.nonsubstantive ? 1 : 0 };
    if (oldCodes.has(l.code)) rec.update('value_label', { variable_id: id, code: l.code }, values);
    else rec.insertValues('value_label', VALUE_LABEL_COLUMNS, [id, l.code, l.label, position, values.is_missing, values.nonsubstantive]);
  });
  const meta = { ...(JSON.parse(w.row.meta) as Record<string, unknown>) };
  meta.counts = countColumn(
    w.column,
    w.labels.map((l) => ({ code: l.code, missing: l.missing })),
    w.missing,
  );
  rec.update('variable', id, {
    type: w.type,
    label: w.text,
    question_group: w.group,
    group_label: w.groupLabel,
    option_label: w.optionLabel,
    missing: JSON.stringify(w.missing),
    meta: JSON.stringify(meta),
  });
}

function stored(column: Column): { encoding: string; data: Buffer } {
  if (column.encoding === 'i32') {
    const c8 = encodeCodesC8(column.values);
    if (c8) return { encoding: 'c8', data: c8 };
  }
  if (column.encoding === 'text') return { encoding: 'text', data: encodeTextColumn(column.values) };
  return { encoding: column.encoding, data: encodeColumn(column) };
}

const TURN_COLUMNS = ['document_id', 'position', 'respondent_row', 'start_char', 'end_char'] as const;

/** Open answers become searchable and codable: one survey_text document, a turn per answer. */
function createDocument(rec: Recorder, db: Database, w: Working): void {
  const values = (w.column as Extract<Column, { encoding: 'text' }>).values;
  const parts: string[] = [];
  const rows: number[] = [];
  values.forEach((answer, row) => {
    if (answer === null || answer.trim() === '') return;
    parts.push(answer);
    rows.push(row);
  });
  if (parts.length === 0) return;
  const dataset = db.prepare('SELECT name, wave, source_file, format FROM dataset WHERE id = ?').get(w.row.dataset_id) as {
    name: string;
    wave: string;
    source_file: string;
    format: string;
  };
  const title = w.text && w.text !== w.row.name ? `${w.row.name}: ${w.text}` : w.row.name;
  const documentId = rec.insert('document', {
    kind: 'survey_text',
    name: `${dataset.name}${dataset.wave ? ` (${dataset.wave})` : ''} — ${title}`,
    source_file: dataset.source_file,
    format: dataset.format,
    text: parts.join('\n\n'),
    dataset_id: w.row.dataset_id,
    variable_id: w.row.id,
    meta: JSON.stringify({ wave: dataset.wave, variable: w.row.name }),
  });
  let offset = 0;
  parts.forEach((answer, i) => {
    rec.insertValues('turn', TURN_COLUMNS, [documentId, i, rows[i], offset, offset + answer.length]);
    offset += answer.length + 2;
  });
  indexDocumentTurns(db, documentId);
  rec.reindex(documentId);
}

function removeDocument(rec: Recorder, db: Database, variableId: number, name: string): void {
  const doc = db.prepare("SELECT id FROM document WHERE variable_id = ? AND kind = 'survey_text'").pluck().get(variableId) as number | undefined;
  if (doc === undefined) return;
  const quotes = db.prepare('SELECT count(*) FROM segment WHERE document_id = ?').pluck().get(doc) as number;
  if (quotes > 0) {
    throw new FieldbookError('CONFLICT', `${name}'s answers have ${quotes} coded quote${quotes === 1 ? '' : 's'}; remove them (Coding view) before changing its type.`, { field: name });
  }
  for (const id of db.prepare('SELECT id FROM suggestion WHERE document_id = ?').pluck().all(doc) as number[]) rec.remove('suggestion', id);
  for (const id of db.prepare('SELECT id FROM turn WHERE document_id = ? ORDER BY id').pluck().all(doc) as number[]) rec.remove('turn', id);
  rec.remove('document', doc);
  rec.reindex(doc);
}

/**
 * Puts columns into one question group (a multi-select: one 0/1 option each; a matrix: rows of
 * one question, answers kept) or takes them out of any (group null: a multi-select's options
 * become single 0/1 questions). A multi-select's respondent who chose none of its options has
 * not answered it; one who chose some did not choose the others.
 */
export function regroupWorking(items: Working[], group: string | null, groupLabel: string | undefined, as: 'multi' | 'matrix'): void {
  if (group === null) {
    for (const w of items) {
      if (w.type === 'multi') {
        w.type = 'single';
        Object.assign(w, retypeColumn(w.row.name, w, 'multi', 'single'));
        w.labels = w.labels.map((l) => ({ ...l }));
        w.dataChanged = true;
        if (w.optionLabel && (w.text === '' || w.text === w.row.name)) w.text = `${w.groupLabel ?? ''}${w.groupLabel ? ' — ' : ''}${w.optionLabel}`;
      }
      w.group = null;
      w.groupLabel = null;
    }
    return;
  }
  const text = groupLabel ?? items.find((w) => w.groupLabel)?.groupLabel ?? items[0]!.text;
  for (const w of items) {
    w.group = group;
    w.groupLabel = text;
    if (as === 'matrix') continue;
    if (w.type !== 'multi') {
      // A one-column-per-option export holds the option's text where it was chosen.
      const chosen = w.labels.filter((l) => !l.missing);
      w.optionLabel ??= chosen.length === 1 ? chosen[0]!.label : w.text || w.row.name;
      Object.assign(w, toFlags(w));
      w.type = 'multi';
      w.dataChanged = true;
    }
  }
  if (as === 'matrix') return;
  const rows = items[0]!.column.values.length;
  for (let r = 0; r < rows; r++) {
    const answered = items.some((w) => (w.column.values as Uint8Array)[r] === 1);
    if (!answered) continue;
    for (const w of items) {
      const values = w.column.values as Uint8Array;
      if (values[r] === U8_MISSING) {
        values[r] = 0;
        w.dataChanged = true;
      }
    }
  }
}

/** The undo list's words for an edit. */
export function editLabel(name: string, edit: VariableEdit): string {
  const parts: string[] = [];
  if (edit.type !== undefined) parts.push(`retype ${name} as ${edit.type}`);
  if (edit.label !== undefined) parts.push(`edit the question text of ${name}`);
  if (edit.merge) parts.push(`merge ${edit.merge.answers.length} answers of ${name}`);
  if (edit.order) parts.push(`reorder the answers of ${name}`);
  if (edit.missing) parts.push(`mark missing answers of ${name}`);
  if (edit.nonsubstantive) parts.push(`mark non-substantive answers of ${name}`);
  const text = parts.join(', ') || `edit ${name}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One undoable edit of one variable. */
export function editVariable(rec: Recorder, db: Database, edit: VariableEdit): void {
  const w = loadWorking(db, edit.variableId);
  const before = snapshot(w);
  applyEdit(w, edit);
  saveWorking(rec, db, w, before);
}

/** One undoable regroup of columns of one dataset. */
export function regroupVariables(rec: Recorder, db: Database, variableIds: number[], group: string | null, groupLabel: string | undefined, as: 'multi' | 'matrix'): void {
  const items = [...new Set(variableIds)].map((id) => loadWorking(db, id));
  if (new Set(items.map((w) => w.row.dataset_id)).size > 1) {
    throw new FieldbookError('INVALID_INPUT', 'Only columns of one dataset can form a question group.');
  }
  const befores = items.map(snapshot);
  if (group !== null && as === 'multi') {
    const bad = items.find((w) => w.type === 'text' || w.type === 'id' || w.type === 'weight' || w.type === 'date');
    if (bad) throw new FieldbookError('INVALID_INPUT', `${bad.row.name} is ${bad.type}: it cannot be an option of a multi-select.`, { field: bad.row.name });
  }
  regroupWorking(items, group, groupLabel, as);
  items.forEach((w, i) => saveWorking(rec, db, w, befores[i]!));
}
