import type { Database, Statement } from 'better-sqlite3';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { ChunkIndexer } from '../store/search-index';
import { BYTE_NO_ANSWER, byteCodesOf, C8_MISSING, decodeColumn, encodeCodesC8, encodeColumn, I32_MISSING, U8_MISSING, widenC8, type ByteCodes, type Column } from './columns';
import { dichotomyLabels, type ParsedSurvey, type ParsedVariable, type ValueLabel, type VariableType } from './model';
import { countColumn, type CodeTally } from './counts';
import { collectGarbage } from './memory';
import { dropLonelyConcepts, matchWaves } from './waves';
import { recordOperation } from '../history/history';

/** The answers of one variable, decoded (see columns.ts for the encodings). */
export function loadColumn(db: Database, variableId: number): Column {
  const row = db.prepare('SELECT encoding, data FROM variable_data WHERE variable_id = ?').get(variableId) as
    | { encoding: string; data: Buffer }
    | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `Variable ${variableId} has no stored answers.`, { record: variableId });
  return row.encoding === DOCUMENT_ENCODING ? documentColumn(db, variableId) : decodeColumn(row.encoding, row.data);
}

/**
 * Open answers are stored once, as the turns of their survey_text document (variable_data holds
 * only the marker encoding): this rebuilds the column, null where a respondent wrote nothing.
 */
export function documentColumn(db: Database, variableId: number): Column {
  const rowCount = (db
    .prepare('SELECT d.row_count FROM variable v JOIN dataset d ON d.id = v.dataset_id WHERE v.id = ?')
    .pluck()
    .get(variableId) ?? 0) as number;
  const values: (string | null)[] = new Array<string | null>(rowCount).fill(null);
  const doc = db.prepare("SELECT id, text FROM document WHERE variable_id = ? AND kind = 'survey_text'").get(variableId) as
    | { id: number; text: string }
    | undefined;
  if (doc) {
    const turns = db.prepare('SELECT respondent_row AS row, start_char AS start, end_char AS end FROM turn WHERE document_id = ?').raw();
    for (const [row, start, end] of turns.iterate(doc.id) as IterableIterator<[number, number, number]>) values[row] = doc.text.slice(start, end);
  }
  return { encoding: 'text', values };
}

export interface ImportSettings {
  name: string;
  wave: string;
  sourceFile: string;
  /** What the user chose in the preview, kept so a re-import can repeat it. */
  options: Record<string, unknown>;
}

export interface ImportProgress {
  progress(done: number, total: number | null, message: string): void;
  checkpoint(): Promise<void>;
}

export interface ImportedDataset {
  datasetId: number;
  variableCount: number;
  rowCount: number;
  documentIds: number[];
  matched: number;
}

/** A column's stored bytes when they are not encodeColumn(column): choice codes a byte each. */
export interface StoredColumn {
  encoding: 'c8';
  data: Buffer;
}

/** What encodeVariable makes of one variable's answers. */
export interface EncodedVariable {
  column: Column;
  labels: ValueLabel[];
  tally?: CodeTally;
  stored?: StoredColumn;
}

interface Prepared extends EncodedVariable {
  variable: ParsedVariable;
}

/** Turns a reader's answers into the stored column for the variable's type. */
export function encodeVariable(variable: ParsedVariable, rowCount: number): EncodedVariable {
  const { type, values } = variable;
  // Byte-coded answers are counted from their bytes: reading `values` would make them numbers.
  const answers = byteCodesOf(values)?.bytes.length ?? values.values.length;
  if (answers !== rowCount) {
    throw new FieldbookError('INTERNAL', `Variable ${variable.name} has ${answers} answers for ${rowCount} respondents.`);
  }
  switch (type) {
    case 'multi': {
      const counted = variable.meta?.countedValue;
      if (typeof counted === 'number' || typeof counted === 'string') return encodeDichotomy(variable, counted, rowCount);
      const out = new Uint8Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        if (values.kind === 'number') {
          const x = values.values[r]!;
          out[r] = Number.isNaN(x) ? U8_MISSING : x === 1 ? 1 : 0;
        } else {
          const s = values.values[r];
          out[r] = s === null || s === undefined ? U8_MISSING : s === '0' || s === '' ? 0 : 1;
        }
      }
      const labels = variable.valueLabels.length ? variable.valueLabels : [
        { code: 0, label: 'Not selected' },
        { code: 1, label: 'Selected' },
      ];
      return { column: { encoding: 'u8', values: out }, labels };
    }
    case 'single':
    case 'ordinal':
      return encodeChoice(variable, rowCount);
    case 'numeric':
    case 'weight':
    case 'date': {
      if (values.kind === 'number') return { column: { encoding: 'f64', values: values.values }, labels: variable.valueLabels };
      const out = new Float64Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const s = values.values[r];
        out[r] = s === null || s === undefined || s.trim() === '' ? Number.NaN : Number(s);
        if (s && Number.isNaN(out[r]!)) {
          throw new FieldbookError('PARSE_ERROR', `${variable.name}, respondent ${r + 1}: "${s}" is not a number; choose another type for ${variable.name}.`, {
            record: r + 1,
            field: variable.name,
          });
        }
      }
      return { column: { encoding: 'f64', values: out }, labels: variable.valueLabels };
    }
    default: {
      // Readers that already give null for blanks (SPSS does) hand over their array as it is:
      // the importer lets the raw answers go once encoded, so nothing else holds it.
      const out: (string | null)[] =
        values.kind === 'string'
          ? values.values.every((s) => s !== undefined && s !== '')
            ? values.values
            : values.values.map((s) => (s === undefined || s === '' ? null : s))
          : Array.from(values.values, (x) => (Number.isNaN(x) ? null : String(x)));
      return { column: { encoding: 'text', values: out }, labels: variable.valueLabels };
    }
  }
}

/**
 * One option of an SPSS multiple-dichotomy set: 1 where the answer is the set's counted value
 * (a number, or a string such as "Yes"), 0 for any other answer, missing where SPSS has no answer
 * (system-missing, or a declared user-missing value). A blank string is an answer in SPSS, so it
 * is 0: string sets often mark a choice with "x" and leave the rest blank. The stored codes are
 * 0/1 whatever the file's codes were; code 1 takes the counted value's label.
 */
function encodeDichotomy(variable: ParsedVariable, counted: number | string, rowCount: number): { column: Column; labels: ValueLabel[] } {
  const out = new Uint8Array(rowCount);
  const { values, missing } = variable;
  if (values.kind === 'number') {
    const target = typeof counted === 'number' ? counted : Number(counted);
    const missingValues = missing.values.filter((v): v is number => typeof v === 'number');
    const low = missing.range?.low ?? Infinity;
    const high = missing.range?.high ?? -Infinity;
    const a = values.values;
    for (let r = 0; r < rowCount; r++) {
      const x = a[r]!;
      if (x === target) out[r] = 1;
      else if (x !== x || (x >= low && x <= high) || (missingValues.length > 0 && missingValues.includes(x))) out[r] = U8_MISSING;
      else out[r] = 0;
    }
  } else {
    // The reader drops trailing blanks from answers; the counted value is compared the same way.
    const target = String(counted).replace(/ +$/, '');
    const missingValues = new Set(missing.values.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/ +$/, '')));
    const a = values.values;
    for (let r = 0; r < rowCount; r++) {
      const s = a[r] ?? '';
      out[r] = s === target ? 1 : missingValues.has(s) ? U8_MISSING : 0;
    }
  }
  const labels = dichotomyLabels(variable.valueLabels, counted);
  return { column: { encoding: 'u8', values: out }, labels };
}

/**
 * Copies answers that are missing or whole numbers 0..254 into `bytes`, in the stored 'c8' form
 * (see columns.ts), counting each code, until the first other answer; returns its row (the length
 * when there is none). Its own function so the optimiser compiles just this loop on the first
 * column of an import.
 */
function encodeSmallCodes(a: Float64Array, bytes: Uint8Array, perCode: Int32Array): number {
  const n = a.length;
  for (let r = 0; r < n; r++) {
    const x = a[r]!;
    if (x !== x) {
      bytes[r] = C8_MISSING;
      continue;
    }
    const small = x | 0;
    if (small !== x || small < 0 || small >= C8_MISSING) return r;
    bytes[r] = small;
    perCode[small]!++;
  }
  return n;
}

/**
 * An 'i32' column held as its stored one-byte codes: the 4-byte codes are made only if someone
 * reads the values. An import never does (the encoder counted the codes), so a survey's choice
 * columns cost a byte per answer, not five.
 */
function codesColumn(bytes: Uint8Array): Column {
  let values: Int32Array | undefined;
  return {
    encoding: 'i32',
    get values(): Int32Array {
      values ??= widenC8(bytes);
      return values;
    },
  };
}

/**
 * A choice question whose reader kept its answers as bytes (SPSS bytecodes, see columns.ts), coded
 * without making them numbers: each byte's stored one-byte form is worked out first (256 of them),
 * then one pass over the answers maps and counts. Exactly what the numeric path below gives; null
 * when some code falls outside 0..254 (or is not whole), which that path handles.
 */
function encodeByteCodes({ bytes, bias }: ByteCodes, labels: ValueLabel[]): EncodedVariable | null {
  // Each byte's stored form, decided before the answers are read: one pass then maps and counts.
  const toStored = new Uint8Array(256);
  for (let b = 1; b <= 251; b++) {
    const code = b - bias;
    toStored[b] = Number.isInteger(code) && code >= 0 && code < C8_MISSING ? code : C8_MISSING;
  }
  toStored[BYTE_NO_ANSWER] = C8_MISSING;
  const stored = Buffer.allocUnsafe(bytes.length);
  const perByte = mapBytes(bytes, toStored, stored);
  const perCode = new Int32Array(256);
  let absent = 0;
  for (let b = 0; b < 256; b++) {
    if (perByte[b] === 0) continue;
    if (b === BYTE_NO_ANSWER) absent = perByte[b]!;
    // A code outside 0..254 (or not whole): the numeric path decides, as for any file.
    else if (toStored[b] === C8_MISSING) return null;
    else perCode[toStored[b]!] = perByte[b]!;
  }
  const known = new Set(labels.map((l) => (typeof l.code === 'number' ? l.code : Number(l.code))));
  for (let code = 0; code < 256; code++) {
    if (perCode[code] === 0 || known.has(code)) continue;
    known.add(code);
    labels.push({ code, label: String(code) });
  }
  labels.sort((a, b) => Number(a.code) - Number(b.code));
  return { column: codesColumn(stored), labels, tally: { perCode, absent }, stored: { encoding: 'c8', data: stored } };
}

/** out[r] = map[bytes[r]] for every answer; returns how many answers had each byte. */
function mapBytes(bytes: Uint8Array, map: Uint8Array, out: Uint8Array): Int32Array {
  const counts = new Int32Array(1024);
  let r = mapFours(bytes, map, out, counts);
  for (; r < bytes.length; r++) {
    const b = bytes[r]!;
    counts[b]!++;
    out[r] = map[b]!;
  }
  for (let i = 0; i < 256; i++) counts[i] = counts[i]! + counts[256 + i]! + counts[512 + i]! + counts[768 + i]!;
  return counts.subarray(0, 256);
}

/**
 * The loop of mapBytes, four rows a step into four sets of counters: a survey column repeats its
 * few codes, and one counter bumped twice in a row waits for its own store (10 → 6 ms for 30
 * columns of 100k answers). Nothing after the loop: the optimiser compiles it mid-loop on the
 * first column, and code it had not seen run yet would throw that away. Returns the rows done.
 */
function mapFours(bytes: Uint8Array, map: Uint8Array, out: Uint8Array, counts: Int32Array): number {
  const n4 = bytes.length - (bytes.length % 4);
  for (let r = 0; r < n4; r += 4) {
    const a = bytes[r]!;
    const b = bytes[r + 1]!;
    const c = bytes[r + 2]!;
    const d = bytes[r + 3]!;
    counts[a]!++;
    counts[256 + b]!++;
    counts[512 + c]!++;
    counts[768 + d]!++;
    out[r] = map[a]!;
    out[r + 1] = map[b]!;
    out[r + 2] = map[c]!;
    out[r + 3] = map[d]!;
  }
  return n4;
}

/**
 * A choice question's answers as whole-number codes. Numeric answers keep their codes (SPSS,
 * Qualtrics recodes); text answers get the code of their label, and answers without a label
 * get a new code and a label of their own.
 */
function encodeChoice(variable: ParsedVariable, rowCount: number): EncodedVariable {
  const labels: ValueLabel[] = variable.valueLabels.map((l) => ({ ...l }));
  const { values } = variable;
  const byteCoded = byteCodesOf(values);
  if (byteCoded) {
    const fromBytes = encodeByteCodes(byteCoded, labels);
    if (fromBytes) return fromBytes;
  }
  if (values.kind === 'number') {
    const known = new Set(labels.map((l) => (typeof l.code === 'number' ? l.code : Number(l.code))));
    const a = values.values;
    // Survey codes are small whole numbers: the usual column is encoded and counted in one pass
    // with no Set probe per answer (the variables list shows the counts, so none is made later).
    const perCode = new Int32Array(256);
    const bytes = Buffer.allocUnsafe(rowCount);
    const stop = encodeSmallCodes(a, bytes, perCode);
    let absent = stop;
    for (let code = 0; code < 256; code++) {
      if (perCode[code] === 0) continue;
      absent -= perCode[code]!;
      if (!known.has(code)) {
        known.add(code);
        labels.push({ code, label: String(code) });
      }
    }
    if (stop === rowCount) {
      labels.sort((a, b) => Number(a.code) - Number(b.code));
      return { column: codesColumn(bytes), labels, tally: { perCode, absent }, stored: { encoding: 'c8', data: bytes } };
    }
    // A code outside 0..254 (or a fraction, refused below): 4-byte codes, the general path from there on.
    const out = widenC8(bytes.subarray(0, stop), rowCount);
    for (let r = stop; r < rowCount; r++) {
      const x = a[r]!;
      if (x !== x) {
        out[r] = I32_MISSING;
        continue;
      }
      if (!Number.isInteger(x) || x <= I32_MISSING || x > 2147483647) {
        throw new FieldbookError('PARSE_ERROR', `${variable.name}, respondent ${r + 1}: ${x} is not a whole-number answer code; import ${variable.name} as numeric.`, {
          record: r + 1,
          field: variable.name,
        });
      }
      out[r] = x;
      if (!known.has(x)) {
        known.add(x);
        labels.push({ code: x, label: String(x) });
      }
    }
    labels.sort((a, b) => Number(a.code) - Number(b.code));
    return { column: { encoding: 'i32', values: out }, labels };
  }
  const out = new Int32Array(rowCount);
  // Text answers: string codes (SPSS "M"/"F") become numbers in label order; the text code stays as the label key.
  const byText = new Map<string, number>();
  let next = 1;
  const stored: ValueLabel[] = [];
  // A string code that is user-missing (SPSS "Z") stays missing once it is a number.
  const missingText = new Set(variable.missing.values.filter((v): v is string => typeof v === 'string'));
  for (const l of labels) {
    const code = typeof l.code === 'number' && Number.isInteger(l.code) ? l.code : next;
    next = Math.max(next, code + 1);
    stored.push({ ...l, code, ...(missingText.has(String(l.code)) ? { missing: true } : {}) });
    byText.set(l.label, code);
    byText.set(String(l.code), code);
  }
  for (let r = 0; r < rowCount; r++) {
    const s = values.values[r];
    if (s === null || s === undefined || s === '') {
      out[r] = I32_MISSING;
      continue;
    }
    let code = byText.get(s);
    if (code === undefined) {
      code = next++;
      byText.set(s, code);
      stored.push({ code, label: s, ...(missingText.has(s) ? { missing: true } : {}) });
    }
    out[r] = code;
  }
  return { column: { encoding: 'i32', values: out }, labels: stored };
}

const DOCUMENT_TYPES = new Set<VariableType>(['text']);
/** variable_data.encoding of a column whose answers live in its survey_text document. */
export const DOCUMENT_ENCODING = 'document';
/** From this size on, forced collections pay for themselves in peak memory (see memory.ts). */
const LARGE_IMPORT_ROWS = 400_000;
/** A text column of this many characters or more is written after a garbage collection. */
const LARGE_TEXT_CHARS = 32 * 1024 * 1024;

function textLength(values: (string | null)[]): number {
  let chars = 0;
  for (const value of values) chars += value?.length ?? 0;
  return chars;
}

/** From this many answers an import is written as a bulk write (see Project.writeAsync). */
const BULK_CELLS = 2_000_000;

/**
 * Writes a parsed survey as one dataset (a wave). Everything heavy is encoded first, with
 * checkpoints so a cancel can arrive; then one transaction writes it all, so a failure or a
 * cancel leaves the project exactly as it was.
 */
export async function importSurvey(project: Project, parsed: ParsedSurvey, settings: ImportSettings, job?: ImportProgress): Promise<ImportedDataset> {
  const prepared: (Prepared | null)[] = [];
  const total = parsed.variables.length;
  for (let i = 0; i < total; i++) {
    const variable = parsed.variables[i]!;
    const encoded = encodeVariable(variable, parsed.rowCount);
    // The raw answers are not needed once encoded: let them go (a 1M-row import is mostly answers).
    variable.values = { kind: 'number', values: new Float64Array(0) };
    prepared.push({ variable, ...encoded });
    job?.progress(i + 1, total, `Preparing ${variable.name}`);
    if (job && i % 4 === 3) await job.checkpoint();
  }
  await job?.checkpoint();
  job?.progress(total, total, 'Saving to the project');

  const db = project.db;
  // One transaction written a variable at a time, with checkpoints: a cancel while saving a
  // 1M-row survey arrives within a fraction of a second and rolls every row back.
  return project.writeAsync(async () => {
    const datasetId = Number(
      db
        .prepare('INSERT INTO dataset (name, wave, source_file, format, encoding, row_count, options) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(settings.name, settings.wave, settings.sourceFile, parsed.format, parsed.encoding, parsed.rowCount, JSON.stringify(settings.options))
        .lastInsertRowid,
    );
    const insertVariable = db.prepare(
      `INSERT INTO variable (dataset_id, position, name, label, type, question_group, group_label, option_label, missing, meta)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertLabel = db.prepare('INSERT OR REPLACE INTO value_label (variable_id, code, label, position, is_missing, nonsubstantive) VALUES (?, ?, ?, ?, ?, ?)');
    const insertData = db.prepare('INSERT INTO variable_data (variable_id, encoding, data) VALUES (?, ?, ?)');
    const insertDocument = db.prepare(
      `INSERT INTO document (kind, name, source_file, format, text, dataset_id, variable_id, meta)
       VALUES ('survey_text', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const documentIds: number[] = [];

    const writeVariable = async ({ variable, column, labels, tally, stored }: Prepared, position: number): Promise<void> => {
      const variableId = Number(
        insertVariable.run(
          datasetId,
          position,
          variable.name,
          variable.label,
          variable.type,
          variable.questionGroup ?? null,
          variable.groupLabel ?? null,
          variable.optionLabel ?? null,
          JSON.stringify(variable.missing),
          JSON.stringify({
            ...(variable.meta ?? {}),
            counts: countColumn(
              column,
              labels.map((l) => ({ code: l.code, missing: Boolean(l.missing) || isUserMissing(variable, l.code) })),
              variable.missing,
              tally,
            ),
          }),
        ).lastInsertRowid,
      );
      labels.forEach((label, i) => {
        const missing = label.missing || isUserMissing(variable, label.code) ? 1 : 0;
        insertLabel.run(variableId, label.code, label.label, i, missing, label.nonsubstantive ? 1 : 0);
      });
      const asDocument = DOCUMENT_TYPES.has(variable.type) && column.encoding === 'text';
      if (asDocument) insertData.run(variableId, DOCUMENT_ENCODING, Buffer.alloc(0));
      else {
        // A text column's JSON is as big as its answers: make room first when they are many
        // (a full collection costs ~0.1 s; a million short ids are no reason for one).
        if (column.encoding === 'text' && parsed.rowCount >= LARGE_IMPORT_ROWS && textLength(column.values) >= LARGE_TEXT_CHARS) collectGarbage();
        const c8 = stored?.data ?? (column.encoding === 'i32' ? encodeCodesC8(column.values, tally?.perCode) : null);
        if (c8) insertData.run(variableId, 'c8', c8);
        else insertData.run(variableId, column.encoding, column.encoding === 'text' ? encodeTextColumn(column.values) : encodeColumn(column));
      }

      if (asDocument) {
        // The columns written before this one (let go, but not yet collected) and the last
        // document's text and turns make room first: the document is the peak of a large import.
        if (parsed.rowCount >= LARGE_IMPORT_ROWS) collectGarbage();
        // Open answers become one document: one turn per respondent who wrote something.
        const parts: string[] = [];
        const rows: number[] = [];
        const answers = column.values;
        for (let row = 0; row < answers.length; row++) {
          const answer = answers[row];
          if (answer === null || answer === undefined || answer.trim() === '') continue;
          parts.push(answer);
          rows.push(row);
        }
        if (parts.length === 0) return;
        const title = variable.label && variable.label !== variable.name ? `${variable.name}: ${variable.label}` : variable.name;
        const text = parts.join('\n\n');
        const documentId = Number(
          insertDocument.run(
            `${settings.name}${settings.wave ? ` (${settings.wave})` : ''} — ${title}`,
            settings.sourceFile,
            parsed.format,
            text,
            datasetId,
            variableId,
            JSON.stringify({ wave: settings.wave, variable: variable.name }),
          ).lastInsertRowid,
        );
        // The answers are at hand: index them as they are written (the search index's fast path,
        // same result as indexDocumentTurns without reading the document back).
        const indexer = new ChunkIndexer(db, documentId, text);
        const turns = new TurnWriter(db, documentId);
        let offset = 0;
        for (let i = 0; i < parts.length; i++) {
          if (job && i % 20_000 === 19_999) {
            // A million open answers take seconds: the bar moves inside the column too.
            job.progress(position + i / parts.length, total, `Saving ${variable.name} (${position + 1} of ${total})`);
            await job.checkpoint();
          }
          const answer = parts[i]!;
          turns.add(i, rows[i]!, offset, offset + answer.length);
          indexer.add(offset, offset + answer.length);
          offset += answer.length + 2;
        }
        indexer.flush();
        turns.flush();
        documentIds.push(documentId);
      }
    };
    for (let position = 0; position < total; position++) {
      const item = prepared[position]!;
      // Once written, a column's answers go: on a 1M-row survey they are most of the memory held.
      prepared[position] = null;
      await writeVariable(item, position);
      job?.progress(position + 1, total, `Saving ${item.variable.name} (${position + 1} of ${total})`);
      await job?.checkpoint();
    }
    const earlier = conceptsOf(db, datasetId);
    const matched = matchWaves(db, datasetId);
    recordOperation(db, `Import survey ${settings.sourceFile}`, (rec) => {
      rec.imported({ datasets: [datasetId], documents: documentIds, participants: [] });
      // Matching may give earlier waves' variables a concept: undo takes that back too.
      const now = conceptsOf(db, datasetId);
      for (const [id, before] of earlier) {
        const after = now.get(id)!;
        const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
        if (changed.length > 0) rec.updated('variable', id, pick(before, changed), pick(after, changed));
      }
    });
    return { datasetId, variableCount: total, rowCount: parsed.rowCount, documentIds, matched };
  }, { bulk: parsed.rowCount * total >= BULK_CELLS });
}

/** The cross-wave fields of every variable of the other datasets (matchWaves may change them). */
function conceptsOf(db: Database, datasetId: number): Map<number, Record<string, unknown>> {
  const rows = db.prepare('SELECT id, concept, concept_confirmed, meta FROM variable WHERE dataset_id != ?').all(datasetId) as {
    id: number;
    concept: string | null;
    concept_confirmed: number;
    meta: string;
  }[];
  return new Map(rows.map(({ id, ...fields }) => [id, fields]));
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

/**
 * Writes the turns of one open-answer document, many rows per INSERT: each statement call costs
 * about as much as binding a whole row (in the real schema, with the turn index and foreign key,
 * 256 rows per statement measured ~20% faster than 64: 66k turns 46 → 36 ms). 1024 rows are no
 * faster than 256 but a quarter of the statements, and each statement first saves the pages it
 * changes (turn and index pages, 16 KB each) to SQLite's statement journal, a temporary file: the
 * 100k-row .sav import wrote 34 MB of it with 256 rows per statement, 21 MB with 1024.
 */
class TurnWriter {
  private static readonly ROWS = 1024;
  private readonly values: number[] = new Array<number>(TurnWriter.ROWS * 4).fill(0);
  private filled = 0;
  private readonly full: Statement;

  constructor(
    private readonly db: Database,
    private readonly documentId: number,
  ) {
    this.full = this.statement(TurnWriter.ROWS);
  }

  /** The document's id is written into the statement: a fifth fewer values to bind per row. */
  private statement(rows: number): Statement {
    const row = `(${Math.trunc(this.documentId)}, ?, ?, ?, ?)`;
    return this.db.prepare(`INSERT INTO turn (document_id, position, respondent_row, start_char, end_char) VALUES ${Array<string>(rows).fill(row).join(', ')}`);
  }

  add(position: number, respondentRow: number, start: number, end: number): void {
    const v = this.values;
    const at = this.filled * 4;
    v[at] = position;
    v[at + 1] = respondentRow;
    v[at + 2] = start;
    v[at + 3] = end;
    if (++this.filled === TurnWriter.ROWS) {
      this.full.run(v);
      this.filled = 0;
    }
  }

  flush(): void {
    if (this.filled === 0) return;
    this.statement(this.filled).run(this.values.slice(0, this.filled * 4));
    this.filled = 0;
  }
}

/**
 * The same bytes as encodeColumn for a text column (a JSON array), written straight into one
 * buffer: a large column never exists twice (string, then buffer) at the peak of an import. The
 * JSON is made a slice of answers at a time by the engine's own JSON.stringify (a slice's array
 * without its brackets is exactly that stretch of the whole array; per-answer stringify calls
 * cost six times as much), each slice once. The buffer is sized from the answers' lengths, which
 * is exact for ASCII answers without quotes or backslashes, and grows when a slice needs more.
 */
export function encodeTextColumn(values: (string | null)[]): Buffer {
  const SLICE = 8192;
  // "answer", or null, per answer: its length plus three.
  let size = 2;
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    size += (s === null || s === undefined ? 4 : s.length + 2) + 1;
  }
  let out = Buffer.allocUnsafe(size);
  let at = out.write('[', 0);
  for (let start = 0; start < values.length; start += SLICE) {
    const json = JSON.stringify(values.slice(start, start + SLICE));
    const piece = json.slice(1, json.length - 1);
    const need = Buffer.byteLength(piece) + 1;
    if (at + need > out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + need + 1));
      out.copy(bigger, 0, 0, at);
      out = bigger;
    }
    if (start > 0) out[at++] = 0x2c;
    at += out.write(piece, at);
  }
  if (at + 1 > out.length) {
    const bigger = Buffer.allocUnsafe(at + 1);
    out.copy(bigger, 0, 0, at);
    out = bigger;
  }
  at += out.write(']', at);
  return out.subarray(0, at);
}

function isUserMissing(variable: ParsedVariable, code: number | string): boolean {
  const spec = variable.missing;
  if (spec.values.some((v) => v === code)) return true;
  if (spec.range && typeof code === 'number') return code >= spec.range.low && code <= spec.range.high;
  return false;
}

/** Removes a dataset with its variables, answers and open-answer documents (and their codings). */
export function deleteDataset(project: Project, datasetId: number): void {
  project.transaction(() => {
    const found = project.db.prepare('SELECT id FROM dataset WHERE id = ?').get(datasetId);
    if (!found) throw new FieldbookError('NOT_FOUND', `There is no dataset ${datasetId} in this project.`, { record: datasetId });
    project.db.prepare('DELETE FROM document WHERE dataset_id = ?').run(datasetId);
    project.db.prepare('DELETE FROM dataset WHERE id = ?').run(datasetId);
    dropLonelyConcepts(project.db);
  });
}
