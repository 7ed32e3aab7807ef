import type { Database } from 'better-sqlite3';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import fs from 'node:fs';
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
import { decodeText } from './parse/decode';
import { isZip, verifyZip } from '../zip/safe-zip';
import { OFFICE_ZIP_LIMITS } from './parse/office';

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

export function setValues(db: Database, participantId: number, values: Record<string, AttributeValue>): void {
  const upsert = db.prepare(
    `INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)
     ON CONFLICT (participant_id, attribute_id) DO UPDATE SET value = excluded.value`,
  );
  const clear = db.prepare('DELETE FROM participant_attribute WHERE participant_id = ? AND attribute_id = ?');
  for (const [key, raw] of Object.entries(values)) {
    const attr = attribute(db, Number(key));
    const value = coerce(attr, raw);
    if (value === null) clear.run(participantId, attr.id);
    else upsert.run(participantId, attr.id, value);
  }
}

export function createParticipant(db: Database, name: string, values: Record<string, AttributeValue> = {}): number {
  uniqueName(db, name);
  const id = Number(db.prepare('INSERT INTO participant (name) VALUES (?)').run(name).lastInsertRowid);
  setValues(db, id, values);
  return id;
}

export function updateParticipant(
  db: Database,
  input: {
    id: number;
    name?: string | undefined;
    datasetId?: number | null | undefined;
    respondentKey?: string | null | undefined;
    values?: Record<string, AttributeValue> | undefined;
  },
): void {
  participantInfo(db, input.id);
  if (input.name !== undefined) {
    uniqueName(db, input.name, input.id);
    db.prepare('UPDATE participant SET name = ? WHERE id = ?').run(input.name, input.id);
  }
  if (input.datasetId !== undefined) {
    if (input.datasetId !== null && !db.prepare('SELECT 1 FROM dataset WHERE id = ?').get(input.datasetId)) {
      throw new FieldbookError('NOT_FOUND', `There is no survey dataset ${input.datasetId} in this project.`, { record: input.datasetId });
    }
    db.prepare('UPDATE participant SET dataset_id = ? WHERE id = ?').run(input.datasetId, input.id);
  }
  if (input.respondentKey !== undefined) {
    const key = input.respondentKey === null || input.respondentKey.trim() === '' ? null : input.respondentKey.trim();
    db.prepare('UPDATE participant SET respondent_key = ? WHERE id = ?').run(key, input.id);
  }
  if (input.values) setValues(db, input.id, input.values);
}

export function createAttribute(db: Database, name: string, type: 'text' | 'number'): number {
  if (db.prepare('SELECT 1 FROM attribute WHERE name = ?').get(name)) {
    throw new FieldbookError('ALREADY_EXISTS', `There is already an attribute called "${name}".`, { field: 'name' });
  }
  const position = (db.prepare('SELECT coalesce(max(position) + 1, 0) FROM attribute').pluck().get() as number) ?? 0;
  return Number(db.prepare('INSERT INTO attribute (name, type, position) VALUES (?, ?, ?)').run(name, type, position).lastInsertRowid);
}

export function updateAttribute(
  db: Database,
  input: { id: number; name?: string | undefined; type?: 'text' | 'number' | undefined; position?: number | undefined },
): void {
  const attr = attribute(db, input.id);
  if (input.name !== undefined && input.name !== attr.name) {
    if (db.prepare('SELECT 1 FROM attribute WHERE name = ?').get(input.name)) {
      throw new FieldbookError('ALREADY_EXISTS', `There is already an attribute called "${input.name}".`, { field: 'name' });
    }
    db.prepare('UPDATE attribute SET name = ? WHERE id = ?').run(input.name, input.id);
  }
  if (input.type !== undefined && input.type !== attr.type) {
    const values = db.prepare('SELECT participant_id AS pid, value FROM participant_attribute WHERE attribute_id = ?').all(input.id) as {
      pid: number;
      value: AttributeValue;
    }[];
    const converted = { ...attr, type: input.type };
    const update = db.prepare('UPDATE participant_attribute SET value = ? WHERE participant_id = ? AND attribute_id = ?');
    // Converting text → number refuses if any value is not a number: nothing changes then.
    for (const v of values) update.run(coerce(converted, v.value), v.pid, input.id);
    db.prepare('UPDATE attribute SET type = ? WHERE id = ?').run(input.type, input.id);
  }
  if (input.position !== undefined) db.prepare('UPDATE attribute SET position = ? WHERE id = ?').run(input.position, input.id);
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
  const bytes = fs.readFileSync(filePath);
  const ext = path.extname(filePath).toLowerCase();
  let table: string[][];
  if (ext === '.xlsx') {
    if (!isZip(bytes)) throw new FieldbookError('PARSE_ERROR', `${file} is not a real Excel workbook (.xlsx): it is not a zip archive.`, { file });
    verifyZip(bytes, file, OFFICE_ZIP_LIMITS);
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
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
 * an attribute (number when every value is a number). All or nothing: call inside a transaction.
 */
export function writeSheet(
  db: Database,
  sheet: Sheet,
  options: { file: string; keyColumn: string; respondentColumn?: string | undefined; datasetId?: number | undefined },
): SheetImportResult {
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
      attributeIds.set(index, createAttribute(db, column, numeric ? 'number' : 'text'));
      result.attributesCreated.push(column);
    }
  });
  for (const row of sheet.rows) {
    const name = row[keyIndex] ?? '';
    let id = db.prepare('SELECT id FROM participant WHERE name = ?').pluck().get(name) as number | undefined;
    if (id === undefined) {
      id = Number(db.prepare('INSERT INTO participant (name) VALUES (?)').run(name).lastInsertRowid);
      result.created++;
    } else result.updated++;
    const values: Record<string, AttributeValue> = {};
    for (const [index, attributeId] of attributeIds) {
      const v = row[index] ?? '';
      if (v !== '') values[String(attributeId)] = v;
    }
    setValues(db, id, values);
    if (respondentIndex >= 0) {
      const key = row[respondentIndex] ?? '';
      if (key !== '') {
        db.prepare('UPDATE participant SET respondent_key = ?, dataset_id = coalesce(?, dataset_id) WHERE id = ?').run(key, options.datasetId ?? null, id);
        result.linked++;
      }
    }
  }
  return result;
}
