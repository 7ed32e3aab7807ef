import type { Database } from 'better-sqlite3';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import path from 'node:path';
import type {
  AttributeInfo,
  AttributeValue,
  ParticipantGrid,
  ParticipantInfo,
  SheetImportResult,
  SheetPreview,
} from '../../shared/contract/transcripts';
import { FieldbookError } from '../../shared/errors';
import { decodeText, isZip, OFFICE_ZIP_LIMITS, readUntrustedFile, verifyZipForLibrary } from '../intake';
import type { Recorder } from '../history/history';

export function listAttributes(db: Database): AttributeInfo[] {
  return db.prepare('SELECT id, name, type, position FROM attribute ORDER BY position, id').all() as AttributeInfo[];
}

function attribute(db: Database, id: number): AttributeInfo {
  const row = db.prepare('SELECT id, name, type, position FROM attribute WHERE id = ?').get(id) as AttributeInfo | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no attribute ${id} in this project.`, { record: id });
  return row;
}

export function listParticipants(db: Database): ParticipantGrid {
  const attributes = listAttributes(db);
  const rows = db
    .prepare(
      `SELECT p.id, p.name, p.dataset_id AS datasetId, p.respondent_key AS respondentKey,
              (SELECT count(*) FROM document d WHERE d.participant_id = p.id) +
              (SELECT count(DISTINCT s.document_id) FROM speaker s WHERE s.participant_id = p.id
                 AND NOT EXISTS (SELECT 1 FROM document d WHERE d.id = s.document_id AND d.participant_id = p.id)) AS documents
       FROM participant p ORDER BY p.name COLLATE NOCASE, p.id`,
    )
    .all() as Omit<ParticipantInfo, 'values'>[];
  const values = db.prepare('SELECT participant_id AS pid, attribute_id AS aid, value FROM participant_attribute').all() as {
    pid: number;
    aid: number;
    value: AttributeValue;
  }[];
  const byParticipant = new Map<number, Record<string, AttributeValue>>();
  for (const v of values) {
    let record = byParticipant.get(v.pid);
    if (!record) byParticipant.set(v.pid, (record = {}));
    record[String(v.aid)] = v.value;
  }
  return { attributes, participants: rows.map((row) => ({ ...row, values: byParticipant.get(row.id) ?? {} })) };
}

export function participantInfo(db: Database, id: number): ParticipantInfo {
  const found = listParticipants(db).participants.find((p) => p.id === id);
  if (!found) throw new FieldbookError('NOT_FOUND', `There is no participant ${id} in this project.`, { record: id });
  return found;
}

function uniqueName(db: Database, name: string, exceptId?: number): void {
  const other = db.prepare('SELECT id FROM participant WHERE name = ?').pluck().get(name) as number | undefined;
  if (other !== undefined && other !== exceptId) {
    throw new FieldbookError('ALREADY_EXISTS', `There is already a participant called "${name}".`, { field: 'name' });
  }
}

/**
 * "1200", "-3.5", "1,200" (thousands) and "3,5" (decimal comma) as numbers; anything else is NaN.
 * A lone comma followed by exactly three digits is read as thousands, as spreadsheets show them.
 */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(t)) return Number(t.replaceAll(',', ''));
  if (/^-?\d+,\d+$/.test(t)) return Number(t.replace(',', '.'));
  return Number.NaN;
}

function coerce(attr: AttributeInfo, value: AttributeValue): AttributeValue {
  if (value === null || value === '') return null;
  if (attr.type === 'number') {
    const n = typeof value === 'number' ? value : parseNumber(String(value));
    if (!Number.isFinite(n)) {
      throw new FieldbookError('INVALID_INPUT', `"${value}" is not a number, and ${attr.name} holds numbers.`, { field: attr.name });
    }
    return n;
  }
  return String(value);
}

/*
 * Every change below goes through the undo log's Recorder (src/core/history/history.ts): callers
 * wrap it in `runOperation(project, label, (rec) => ...)`, one undo step per user action.
 */

export function setValues(rec: Recorder, participantId: number, values: Record<string, AttributeValue>): void {
  const db = rec.db;
  const current = db.prepare('SELECT 1 FROM participant_attribute WHERE participant_id = ? AND attribute_id = ?');
  for (const [key, raw] of Object.entries(values)) {
    const attr = attribute(db, Number(key));
    const value = coerce(attr, raw);
    const rowKey = { participant_id: participantId, attribute_id: attr.id };
    if (value === null) rec.remove('participant_attribute', rowKey);
    else if (current.get(participantId, attr.id)) rec.update('participant_attribute', rowKey, { value });
    else rec.insert('participant_attribute', { ...rowKey, value });
  }
}

export function createParticipant(rec: Recorder, name: string, values: Record<string, AttributeValue> = {}): number {
  uniqueName(rec.db, name);
  const id = rec.insert('participant', { name });
  setValues(rec, id, values);
  return id;
}

export interface ParticipantEdit {
  id: number;
  name?: string | undefined;
  datasetId?: number | null | undefined;
  respondentKey?: string | null | undefined;
  values?: Record<string, AttributeValue> | undefined;
}

function respondentKeyOf(input: ParticipantEdit): string | null | undefined {
  if (input.respondentKey === undefined) return undefined;
  return input.respondentKey === null || input.respondentKey.trim() === '' ? null : input.respondentKey.trim();
}

export function updateParticipant(rec: Recorder, input: ParticipantEdit): void {
  const db = rec.db;
  participantInfo(db, input.id);
  const set: Record<string, unknown> = {};
  if (input.name !== undefined) {
    uniqueName(db, input.name, input.id);
    set.name = input.name;
  }
  if (input.datasetId !== undefined) {
    if (input.datasetId !== null && !db.prepare('SELECT 1 FROM dataset WHERE id = ?').get(input.datasetId)) {
      throw new FieldbookError('NOT_FOUND', `There is no survey dataset ${input.datasetId} in this project.`, { record: input.datasetId });
    }
    set.dataset_id = input.datasetId;
  }
  const respondentKey = respondentKeyOf(input);
  if (respondentKey !== undefined) set.respondent_key = respondentKey;
  rec.update('participant', input.id, set);
  if (input.values) setValues(rec, input.id, input.values);
}

function shown(value: AttributeValue): string {
  return typeof value === 'number' ? String(value) : `“${value}”`;
}

/** The undo-list label of a participant edit: what the user did, in their words. */
export function participantEditLabel(db: Database, input: ParticipantEdit): string {
  const before = participantInfo(db, input.id);
  const parts: string[] = [];
  if (input.name !== undefined && input.name !== before.name) parts.push(`Rename participant ${before.name} → ${input.name}`);
  const respondentKey = respondentKeyOf(input);
  if (respondentKey !== undefined || input.datasetId !== undefined) {
    const key = respondentKey === undefined ? before.respondentKey : respondentKey;
    parts.push(key === null ? `Unlink ${before.name} from their survey respondent` : `Link ${before.name} to respondent ${key}`);
  }
  for (const [key, raw] of Object.entries(input.values ?? {})) {
    const attr = attribute(db, Number(key));
    const cleared = raw === null || raw === '';
    parts.push(cleared ? `Clear ${attr.name} of ${before.name}` : `Set ${attr.name} of ${before.name} to ${shown(raw)}`);
  }
  if (parts.length === 1) return parts[0]!;
  return `Edit participant ${before.name}`;
}

/** Deletes a participant with their attribute values; their transcripts and speakers stay, unassigned. */
export function deleteParticipant(rec: Recorder, id: number): boolean {
  const db = rec.db;
  const values = db.prepare('SELECT attribute_id FROM participant_attribute WHERE participant_id = ? ORDER BY attribute_id').pluck().all(id) as number[];
  for (const attributeId of values) rec.remove('participant_attribute', { participant_id: id, attribute_id: attributeId });
  for (const documentId of db.prepare('SELECT id FROM document WHERE participant_id = ? ORDER BY id').pluck().all(id) as number[]) {
    rec.update('document', documentId, { participant_id: null });
  }
  for (const speakerId of db.prepare('SELECT id FROM speaker WHERE participant_id = ? ORDER BY id').pluck().all(id) as number[]) {
    rec.update('speaker', speakerId, { participant_id: null });
  }
  return rec.remove('participant', id);
}

export function participantName(db: Database, id: number): string | undefined {
  return db.prepare('SELECT name FROM participant WHERE id = ?').pluck().get(id) as string | undefined;
}

export function createAttribute(rec: Recorder, name: string, type: 'text' | 'number'): number {
  const db = rec.db;
  if (db.prepare('SELECT 1 FROM attribute WHERE name = ?').get(name)) {
    throw new FieldbookError('ALREADY_EXISTS', `There is already an attribute called "${name}".`, { field: 'name' });
  }
  const position = (db.prepare('SELECT coalesce(max(position) + 1, 0) FROM attribute').pluck().get() as number) ?? 0;
  return rec.insert('attribute', { name, type, position });
}

export interface AttributeEdit {
  id: number;
  name?: string | undefined;
  type?: 'text' | 'number' | undefined;
  position?: number | undefined;
}

export function updateAttribute(rec: Recorder, input: AttributeEdit): void {
  const db = rec.db;
  const attr = attribute(db, input.id);
  if (input.name !== undefined && input.name !== attr.name) {
    if (db.prepare('SELECT 1 FROM attribute WHERE name = ?').get(input.name)) {
      throw new FieldbookError('ALREADY_EXISTS', `There is already an attribute called "${input.name}".`, { field: 'name' });
    }
    rec.update('attribute', input.id, { name: input.name });
  }
  if (input.type !== undefined && input.type !== attr.type) {
    const values = db.prepare('SELECT participant_id AS pid, value FROM participant_attribute WHERE attribute_id = ? ORDER BY participant_id').all(input.id) as {
      pid: number;
      value: AttributeValue;
    }[];
    const converted = { ...attr, type: input.type };
    // Converting text → number refuses if any value is not a number: the operation rolls back then.
    for (const v of values) rec.update('participant_attribute', { participant_id: v.pid, attribute_id: input.id }, { value: coerce(converted, v.value) });
    rec.update('attribute', input.id, { type: input.type });
  }
  if (input.position !== undefined) rec.update('attribute', input.id, { position: input.position });
}

export function attributeEditLabel(db: Database, input: AttributeEdit): string {
  const attr = attribute(db, input.id);
  const parts: string[] = [];
  if (input.name !== undefined && input.name !== attr.name) parts.push(`Rename attribute ${attr.name} → ${input.name}`);
  if (input.type !== undefined && input.type !== attr.type) parts.push(`Make attribute ${attr.name} ${input.type === 'number' ? 'a number' : 'text'}`);
  if (input.position !== undefined && input.position !== attr.position) parts.push(`Move attribute ${attr.name}`);
  return parts.length === 1 ? parts[0]! : `Edit attribute ${attr.name}`;
}

/** Deletes an attribute with every participant's value of it. */
export function deleteAttribute(rec: Recorder, id: number): boolean {
  const participants = rec.db.prepare('SELECT participant_id FROM participant_attribute WHERE attribute_id = ? ORDER BY participant_id').pluck().all(id) as number[];
  for (const participantId of participants) rec.remove('participant_attribute', { participant_id: participantId, attribute_id: id });
  return rec.remove('attribute', id);
}

export function attributeName(db: Database, id: number): string | undefined {
  return db.prepare('SELECT name FROM attribute WHERE id = ?').pluck().get(id) as string | undefined;
}

// ---- attribute sheets (CSV / XLSX) ----

interface Sheet {
  columns: string[];
  rows: string[][];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

export async function readSheet(filePath: string): Promise<Sheet> {
  const file = path.basename(filePath);
  const bytes = readUntrustedFile(filePath, 'participants');
  const ext = path.extname(filePath).toLowerCase();
  let table: string[][];
  if (ext === '.xlsx') {
    if (!isZip(bytes)) throw new FieldbookError('PARSE_ERROR', `${file} is not a real Excel workbook (.xlsx): it is not a zip archive.`, { file });
    // Checked against zip bombs; a ZIP64 workbook comes back as a plain zip exceljs can read.
    const readable = verifyZipForLibrary(bytes, file, OFFICE_ZIP_LIMITS);
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(Buffer.from(readable) as unknown as ArrayBuffer);
    } catch (error) {
      throw new FieldbookError('PARSE_ERROR', `${file} could not be read as an Excel workbook: ${(error as Error).message}`, { file });
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new FieldbookError('PARSE_ERROR', `${file} has no worksheet.`, { file });
    table = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) values.push(cellText(row.getCell(c).value).trim());
      table[rowNumber - 1] = values;
    });
    table = Array.from(table, (r) => r ?? []);
  } else if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
    const { text } = decodeText(bytes, file);
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimiter: ext === '.tsv' ? '\t' : '' });
    const fatal = parsed.errors.find((e) => e.type === 'Quotes');
    if (fatal) {
      throw new FieldbookError('PARSE_ERROR', `${file}, record ${(fatal.row ?? 0) + 1}: ${fatal.message}.`, { file, record: (fatal.row ?? 0) + 1 });
    }
    table = parsed.data.map((r) => r.map((c) => c.trim()));
  } else {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file}: attribute sheets are read from .csv, .tsv or .xlsx files.`, { file });
  }
  const header = table[0];
  if (!header || header.every((c) => c === '')) throw new FieldbookError('PARSE_ERROR', `${file} is empty: the first row should name the columns.`, { file, line: 1 });
  const columns = header.map((c, i) => c || `Column ${i + 1}`);
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c)) throw new FieldbookError('PARSE_ERROR', `${file}: the column name "${c}" appears twice in the first row.`, { file, line: 1, column: i + 1 });
    seen.add(c);
  });
  const rows = table.slice(1).filter((r) => r.some((c) => c !== ''));
  return { columns, rows: rows.map((r) => columns.map((_, i) => r[i] ?? '')) };
}

export async function previewSheet(filePath: string): Promise<SheetPreview> {
  const sheet = await readSheet(filePath);
  const key = sheet.columns.find((_, i) => {
    const values = sheet.rows.map((r) => r[i] ?? '');
    return values.every((v) => v !== '') && new Set(values).size === values.length;
  });
  return { path: filePath, columns: sheet.columns, rows: sheet.rows.slice(0, 20), rowCount: sheet.rows.length, suggestedKeyColumn: key ?? null };
}

/**
 * One participant per row (matched by name in `keyColumn`, created when new), every other column
 * an attribute (number when every value is a number). All or nothing: call inside `runOperation`,
 * so the whole sheet is one undo step.
 */
export function writeSheet(
  rec: Recorder,
  sheet: Sheet,
  options: { file: string; keyColumn: string; respondentColumn?: string | undefined; datasetId?: number | undefined },
): SheetImportResult {
  const db = rec.db;
  const keyIndex = sheet.columns.indexOf(options.keyColumn);
  if (keyIndex < 0) {
    throw new FieldbookError('INVALID_INPUT', `${options.file} has no column "${options.keyColumn}".`, { file: options.file, field: options.keyColumn });
  }
  const respondentIndex = options.respondentColumn ? sheet.columns.indexOf(options.respondentColumn) : -1;
  if (options.respondentColumn && respondentIndex < 0) {
    throw new FieldbookError('INVALID_INPUT', `${options.file} has no column "${options.respondentColumn}".`, { file: options.file, field: options.respondentColumn });
  }
  if (options.datasetId !== undefined && !db.prepare('SELECT 1 FROM dataset WHERE id = ?').get(options.datasetId)) {
    throw new FieldbookError('NOT_FOUND', `There is no survey dataset ${options.datasetId} in this project.`, { record: options.datasetId });
  }
  const seen = new Map<string, number>();
  sheet.rows.forEach((row, i) => {
    const name = row[keyIndex] ?? '';
    if (name === '') {
      throw new FieldbookError('PARSE_ERROR', `${options.file}, row ${i + 2}: the participant name ("${options.keyColumn}") is empty.`, {
        file: options.file,
        line: i + 2,
        column: keyIndex + 1,
      });
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new FieldbookError('PARSE_ERROR', `${options.file}, row ${i + 2}: "${name}" is listed twice (also in row ${before}).`, {
        file: options.file,
        line: i + 2,
        column: keyIndex + 1,
      });
    }
    seen.set(name, i + 2);
  });
  const result: SheetImportResult = { created: 0, updated: 0, attributesCreated: [], linked: 0 };
  const attributeIds = new Map<number, number>();
  sheet.columns.forEach((column, index) => {
    if (index === keyIndex || index === respondentIndex) return;
    const values = sheet.rows.map((r) => r[index] ?? '').filter((v) => v !== '');
    const numeric = values.length > 0 && values.every((v) => Number.isFinite(parseNumber(v)));
    const existing = db.prepare('SELECT id, type FROM attribute WHERE name = ?').get(column) as { id: number; type: string } | undefined;
    if (existing) attributeIds.set(index, existing.id);
    else {
      attributeIds.set(index, createAttribute(rec, column, numeric ? 'number' : 'text'));
      result.attributesCreated.push(column);
    }
  });
  const findParticipant = db.prepare('SELECT id, dataset_id FROM participant WHERE name = ?');
  for (const row of sheet.rows) {
    const name = row[keyIndex] ?? '';
    const found = findParticipant.get(name) as { id: number; dataset_id: number | null } | undefined;
    let id: number;
    if (found === undefined) {
      id = rec.insert('participant', { name });
      result.created++;
    } else {
      id = found.id;
      result.updated++;
    }
    const values: Record<string, AttributeValue> = {};
    for (const [index, attributeId] of attributeIds) {
      const v = row[index] ?? '';
      if (v !== '') values[String(attributeId)] = v;
    }
    setValues(rec, id, values);
    if (respondentIndex >= 0) {
      const key = row[respondentIndex] ?? '';
      if (key !== '') {
        rec.update('participant', id, { respondent_key: key, dataset_id: options.datasetId ?? found?.dataset_id ?? null });
        result.linked++;
      }
    }
  }
  return result;
}
