import type { Database as Db } from 'better-sqlite3';
import { z } from 'zod';
import type { BuilderVariable, BuilderVariables, TableSource } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { decodeColumn, I32_MISSING, U8_MISSING, type Column } from '../survey/columns';
import { DOCUMENT_ENCODING, documentColumn } from '../survey/store';
import { orderWaves, waveRows } from '../survey/wave-order';
import { parseCodeRef, singleAxis, type Axis, type Category, type CodedSegment, type Frame, type MultiAxis, type NumericAxis, type SingleAxis, type UnitInfo } from './frame';

/** Beyond this many different answers a text variable is not a category (tabulate it after coding). */
const MAX_TEXT_CATEGORIES = 500;

interface VariableRow {
  id: number;
  dataset_id: number;
  position: number;
  name: string;
  label: string;
  type: string;
  question_group: string | null;
  group_label: string | null;
  option_label: string | null;
  missing: string;
  concept: string | null;
}

interface DatasetRow {
  id: number;
  name: string;
  wave: string;
  row_count: number;
}

/**
 * Reads one variable's answers. Same format as survey/store.ts loadColumn; kept here so the
 * analysis reads blobs without an extra copy when SQLite hands back an aligned buffer.
 */
export function readColumn(db: Db, variableId: number): Column | null {
  const row = readRaw(db, variableId);
  if (!row) return null;
  // Open answers live in their survey_text document (see survey/columns.ts).
  return row.encoding === DOCUMENT_ENCODING ? documentColumn(db, variableId) : decodeRaw(row.encoding, row.data, variableId);
}

function readRaw(db: Db, variableId: number): { encoding: string; data: Buffer } | undefined {
  return db.prepare('SELECT encoding, data FROM variable_data WHERE variable_id = ?').get(variableId) as { encoding: string; data: Buffer } | undefined;
}

function decodeRaw(encoding: string, data: Buffer, variableId: number): Column {
  switch (encoding) {
    case 'i32':
    case 'f64': {
      const size = encoding === 'i32' ? 4 : 8;
      const aligned = data.byteOffset % size === 0 ? data : Uint8Array.prototype.slice.call(data);
      return encoding === 'i32'
        ? { encoding: 'i32', values: new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4) }
        : { encoding: 'f64', values: new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8) };
    }
    case 'u8':
      return { encoding: 'u8', values: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    case 'c8':
      // Choice codes stored a byte each (see survey/columns.ts): widened back to 'i32'.
      return decodeColumn(encoding, data);
    case 'text': {
      const parsed = z.array(z.string().nullable()).safeParse(JSON.parse(data.toString('utf8')));
      if (!parsed.success) throw new FieldbookError('PARSE_ERROR', `The stored answers of variable ${variableId} are damaged.`, { record: variableId });
      return { encoding: 'text', values: parsed.data };
    }
    default:
      throw new FieldbookError('PARSE_ERROR', `The stored answers of variable ${variableId} use an unknown encoding (${encoding}).`, { record: variableId });
  }
}

/**
 * Dictionary-encoded answers, kept between tables: a table is re-run on every change in the
 * builder, and encoding a million answers costs more than the cross-tab itself. An entry is
 * used only while the stored bytes, labels and missing codes are exactly the same (a byte
 * comparison of the blob, far cheaper than encoding), so changed data is always re-read.
 */
interface CachedAxis {
  raw: Buffer;
  meta: string;
  axis: Axis;
  bytes: number;
  /** analysis_generation when last checked: while it stands still, nothing needs re-reading. */
  generation: number;
}
const axisCache = new Map<string, CachedAxis>();
const AXIS_CACHE_BYTES = 512 * 1024 * 1024;
let axisCacheBytes = 0;

function cachedAxis(key: string, raw: Buffer, meta: string, generation: number, build: () => Axis): Axis {
  const hit = axisCache.get(key);
  if (hit && hit.meta === meta && hit.raw.equals(raw)) {
    axisCache.delete(key);
    axisCache.set(key, hit);
    hit.generation = generation;
    return hit.axis;
  }
  if (hit) {
    axisCache.delete(key);
    axisCacheBytes -= hit.bytes;
  }
  const axis = build();
  const bytes = raw.byteLength + (axis.kind === 'numeric' ? axis.values.byteLength : axis.kind === 'multi' ? 0 : axis.index.byteLength);
  axisCache.set(key, { raw, meta, axis, bytes, generation });
  axisCacheBytes += bytes;
  for (const [k, entry] of axisCache) {
    if (axisCacheBytes <= AXIS_CACHE_BYTES) break;
    axisCache.delete(k);
    axisCacheBytes -= entry.bytes;
  }
  return axis;
}

/** Which project file this is (a file re-created at the same path is another project) and its data generation. */
function cacheIdentity(db: Db): { generation: number; projectKey: string } {
  const created = db.prepare("SELECT value FROM meta WHERE key = 'created_at'").get() as { value: string } | undefined;
  const row = db.prepare('SELECT value FROM analysis_generation WHERE id = 1').get() as { value: number } | undefined;
  // Without the counter (never expected after migration 60) every lookup re-checks the bytes.
  return { generation: row?.value ?? -1 - Math.random(), projectKey: `${db.name}#${created?.value ?? ''}` };
}

/** Forgets every cached encoding (benchmarks of the first table after opening a project). */
export function clearAxisCache(): void {
  axisCache.clear();
  axisCacheBytes = 0;
}

const missingSchema = z.union([
  z.array(z.union([z.number(), z.string()])),
  z.object({ values: z.array(z.union([z.number(), z.string()])).default([]), range: z.object({ low: z.number(), high: z.number() }).optional() }),
]);

interface MissingRule {
  values: Set<string>;
  low: number;
  high: number;
}

function parseMissing(text: string): MissingRule {
  let raw: unknown = [];
  try {
    raw = JSON.parse(text);
  } catch {
    raw = [];
  }
  const parsed = missingSchema.safeParse(raw);
  if (!parsed.success) return { values: new Set(), low: Infinity, high: -Infinity };
  const spec = Array.isArray(parsed.data) ? { values: parsed.data, range: undefined } : parsed.data;
  return { values: new Set(spec.values.map(String)), low: spec.range?.low ?? Infinity, high: spec.range?.high ?? -Infinity };
}

const isMissingCode = (rule: MissingRule, key: string): boolean => {
  if (rule.values.has(key)) return true;
  const v = Number(key);
  return Number.isFinite(v) && v >= rule.low && v <= rule.high;
};

interface LabelRow {
  code: number | string;
  label: string;
  is_missing: number;
  nonsubstantive?: number;
}

function numericKey(v: number): string {
  return String(v);
}

/** Dictionary-encodes a column as categories: value labels first (in their order), then unlabelled codes. */
function categorical(ref: string, label: string, kind: 'single' | 'ordinal', column: Column, labels: LabelRow[], missing: MissingRule): SingleAxis {
  const categories: Category[] = [];
  const byKey = new Map<string, number>();
  const missingKeys = new Set<string>();
  for (const l of labels) {
    const key = typeof l.code === 'number' ? numericKey(l.code) : l.code;
    if (l.is_missing || isMissingCode(missing, key)) {
      missingKeys.add(key);
      continue;
    }
    if (byKey.has(key)) continue;
    byKey.set(key, categories.length);
    categories.push(l.nonsubstantive ? { key, label: l.label, nonsubstantive: true } : { key, label: l.label });
  }
  const n = column.values.length;
  const index = new Int32Array(n).fill(-1);
  // Declared missing codes mark respondents who saw the question (the "shown" base).
  const declaresMissing = missingKeys.size > 0 || missing.values.size > 0 || missing.low <= missing.high;
  const userMissing = declaresMissing ? new Uint8Array(n) : null;
  if (column.encoding === 'i32' || column.encoding === 'u8') {
    const values = column.values;
    const missingValue = column.encoding === 'i32' ? I32_MISSING : U8_MISSING;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v === missingValue) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min <= max) {
      if (max - min <= 1 << 22) {
        // A lookup table over the code range, filled as codes turn up: one pass over the answers.
        const lut = new Int32Array(max - min + 1).fill(-2);
        const fresh: number[] = [];
        const resolve = (v: number): number => {
          const key = numericKey(v);
          if (missingKeys.has(key) || isMissingCode(missing, key)) return -3;
          const known = byKey.get(key);
          if (known !== undefined) return known;
          fresh.push(v);
          byKey.set(key, categories.length);
          categories.push({ key, label: key });
          return categories.length - 1;
        };
        const labelled = categories.length;
        for (let i = 0; i < n; i++) {
          const v = values[i]!;
          if (v === missingValue) {
            index[i] = -1;
            continue;
          }
          let k = lut[v - min]!;
          if (k === -2) {
            k = resolve(v);
            lut[v - min] = k;
          }
          if (k === -3) {
            index[i] = -1;
            userMissing![i] = 1;
          } else index[i] = k;
        }
        // Unlabelled codes are listed in numeric order, not in the order they first appeared.
        const sorted = [...fresh].sort((a, b) => a - b);
        if (sorted.some((v, k) => v !== fresh[k])) {
          const remap = new Int32Array(categories.length);
          for (let k = 0; k < labelled; k++) remap[k] = k;
          sorted.forEach((v, k) => {
            remap[byKey.get(numericKey(v))!] = labelled + k;
          });
          const reordered = categories.slice(0, labelled).concat(sorted.map((v) => ({ key: numericKey(v), label: numericKey(v) })));
          sorted.forEach((v, k) => byKey.set(numericKey(v), labelled + k));
          categories.splice(0, categories.length, ...reordered);
          for (let i = 0; i < n; i++) if (index[i]! >= 0) index[i] = remap[index[i]!]!;
        }
      } else {
        mapByKey(n, (i) => (values[i] === missingValue ? null : numericKey(values[i]!)), categories, byKey, missingKeys, missing, index, true, userMissing);
      }
    }
  } else if (column.encoding === 'f64') {
    const values = column.values;
    mapByKey(n, (i) => (values[i] !== values[i] ? null : numericKey(values[i]!)), categories, byKey, missingKeys, missing, index, true, userMissing);
  } else {
    const values = column.values;
    mapByKey(n, (i) => {
      const v = values[i];
      return v === null || v === undefined || v.trim() === '' ? null : v;
    }, categories, byKey, missingKeys, missing, index, false, userMissing);
  }
  if (categories.length > MAX_TEXT_CATEGORIES) {
    throw new FieldbookError(
      'INVALID_INPUT',
      `${ref} has ${categories.length} different answers, too many to list in a table. Code this question first: Codebook → Open answers, choose ${ref} and code its answers (or fieldbook code on the command line), then tabulate its codes (codes:ID,ID in Rows).`,
      { field: ref },
    );
  }
  return { ...singleAxis(ref, label, categories, index, kind), userMissing };
}

function mapByKey(
  n: number,
  keyAt: (i: number) => string | null,
  categories: Category[],
  byKey: Map<string, number>,
  missingKeys: Set<string>,
  missing: MissingRule,
  index: Int32Array,
  numeric: boolean,
  userMissing: Uint8Array | null,
): void {
  const fresh: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const key = keyAt(i);
    if (key === null || byKey.has(key) || seen.has(key) || missingKeys.has(key)) continue;
    seen.add(key);
    if (!isMissingCode(missing, key)) fresh.push(key);
  }
  fresh.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b));
  for (const key of fresh) {
    byKey.set(key, categories.length);
    categories.push({ key, label: key });
  }
  for (let i = 0; i < n; i++) {
    const key = keyAt(i);
    if (key === null) continue;
    const k = byKey.get(key);
    index[i] = k === undefined ? -1 : k;
    if (k === undefined && userMissing) userMissing[i] = 1;
  }
}

function numeric(ref: string, label: string, column: Column, missing?: MissingRule): Axis {
  const n = column.values.length;
  if (column.encoding === 'f64') {
    if (!missing || (missing.values.size === 0 && missing.low > missing.high)) return { kind: 'numeric', ref, label, values: column.values };
    // Declared missing numbers (SPSS user-missing, or marked after the import) are out of means and bases.
    const values = column.values.slice();
    for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!) && isMissingCode(missing, numericKey(values[i]!))) values[i] = Number.NaN;
    return { kind: 'numeric', ref, label, values };
  }
  const values = new Float64Array(n);
  if (column.encoding === 'i32') for (let i = 0; i < n; i++) values[i] = column.values[i] === I32_MISSING ? Number.NaN : column.values[i]!;
  else if (column.encoding === 'u8') for (let i = 0; i < n; i++) values[i] = column.values[i] === U8_MISSING ? Number.NaN : column.values[i]!;
  else for (let i = 0; i < n; i++) {
    const text = column.values[i];
    const v = text === null || text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    values[i] = Number.isFinite(v) ? v : Number.NaN;
  }
  return { kind: 'numeric', ref, label, values };
}

function notFound(ref: string, where: string): FieldbookError {
  return new FieldbookError('NOT_FOUND', `There is no question or variable called ${ref} in ${where}.`, { field: ref });
}

// ---------------------------------------------------------------------------------------------
// Codes as variables

interface CodeRow {
  id: number;
  name: string;
}

function codeList(db: Db, ids: number[] | 'all'): CodeRow[] {
  const all = db.prepare('SELECT id, name FROM code ORDER BY position, id').all() as CodeRow[];
  if (ids === 'all') return all;
  return ids.map((id) => {
    const code = all.find((c) => c.id === id);
    if (!code) throw new FieldbookError('NOT_FOUND', `There is no code with id ${id}.`, { field: `code:${id}` });
    return code;
  });
}

interface SegmentLink {
  code_id: number;
  segment_id: number;
  document_id: number;
  document_name: string;
  text: string;
  participant_id: number | null;
  respondent_row: number | null;
  dataset_id: number | null;
  root_id: number;
}

/** Every coded quote of these codes with who it belongs to: a participant, a respondent, or both. */
/**
 * Every coded quote under these codes, with who it belongs to: a participant, a respondent, or
 * both. A code stands for its whole branch: a quote coded with a sub-code counts for its parents
 * (root_id says which requested code a quote is counted for).
 */
/** The quotes behind a code cell: each coded segment once per unit (respondent or participant) it counts for. */
function codedSegmentsOf(
  db: Db,
  codeIds: number[],
  unitsOf: (link: SegmentLink) => number[],
  participantOf: (link: SegmentLink, unit: number) => string | null,
): CodedSegment[] {
  const names = new Map(codeList(db, 'all').map((c) => [c.id, c.name]));
  return segmentLinks(db, codeIds).flatMap((link) =>
    unitsOf(link).map((unit) => ({
      unit,
      segmentId: link.segment_id,
      documentId: link.document_id,
      documentName: link.document_name,
      codeId: link.code_id,
      matchedCodeId: link.root_id,
      codeName: names.get(link.code_id) ?? '',
      text: link.text,
      participant: participantOf(link, unit),
      respondentRow: link.respondent_row,
    })),
  );
}

function segmentLinks(db: Db, codeIds: number[]): SegmentLink[] {
  if (codeIds.length === 0) return [];
  const tree = db.prepare('SELECT id, parent_id FROM code').all() as { id: number; parent_id: number | null }[];
  const children = new Map<number, number[]>();
  for (const c of tree) if (c.parent_id !== null) children.set(c.parent_id, [...(children.get(c.parent_id) ?? []), c.id]);
  const roots = new Map<number, number[]>();
  for (const root of codeIds) {
    const stack = [root];
    const seen = new Set<number>();
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      roots.set(id, [...(roots.get(id) ?? []), root]);
      stack.push(...(children.get(id) ?? []));
    }
  }
  return rawSegmentLinks(db, [...roots.keys()]).flatMap((link) => (roots.get(link.code_id) ?? []).map((root_id) => ({ ...link, root_id })));
}

function rawSegmentLinks(db: Db, codeIds: number[]): Omit<SegmentLink, 'root_id'>[] {
  return db
    .prepare(
      `WITH codes(id) AS (SELECT value FROM json_each(?))
       SELECT c.code_id, s.id AS segment_id, d.id AS document_id, d.name AS document_name, s.text,
              d.participant_id, NULL AS respondent_row, NULL AS dataset_id
         FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id
        WHERE c.code_id IN (SELECT id FROM codes) AND d.participant_id IS NOT NULL
       UNION
       SELECT c.code_id, s.id, d.id, d.name, s.text, sp.participant_id, NULL, NULL
         FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id
         JOIN turn t ON t.document_id = d.id AND s.start_char < t.end_char AND s.end_char > t.start_char
         JOIN speaker sp ON sp.id = t.speaker_id AND sp.participant_id IS NOT NULL
        WHERE c.code_id IN (SELECT id FROM codes)
       UNION
       SELECT c.code_id, s.id, d.id, d.name, s.text, NULL, t.respondent_row, d.dataset_id
         FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id AND d.kind = 'survey_text'
         JOIN turn t ON t.document_id = d.id AND t.respondent_row IS NOT NULL AND s.start_char < t.end_char AND s.end_char > t.start_char
        WHERE c.code_id IN (SELECT id FROM codes)`,
    )
    .all(JSON.stringify(codeIds)) as Omit<SegmentLink, 'root_id'>[];
}

/** Participants who have text to code (a document of their own, or turns as a linked speaker). */
function participantsWithText(db: Db): Set<number> {
  const rows = db
    .prepare(
      `SELECT participant_id AS id FROM document WHERE participant_id IS NOT NULL
       UNION SELECT participant_id FROM speaker WHERE participant_id IS NOT NULL`,
    )
    .all() as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

const CODED: Category[] = [
  { key: '1', label: 'Coded' },
  { key: '0', label: 'Not coded' },
];

function codeAxes(ref: string, codes: CodeRow[], n: number, hasText: Uint8Array, unitsOf: (link: SegmentLink) => number[], links: SegmentLink[], single: boolean): Axis {
  const options = codes.map(() => new Uint8Array(n));
  const position = new Map(codes.map((c, i) => [c.id, i]));
  for (const link of links) {
    const k = position.get(link.root_id);
    if (k === undefined) continue;
    for (const unit of unitsOf(link)) options[k]![unit] = 1;
  }
  if (single) {
    const code = codes[0]!;
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) index[i] = hasText[i] === 1 || options[0]![i] === 1 ? (options[0]![i] === 1 ? 0 : 1) : -1;
    return singleAxis(ref, `Code: ${code.name}`, CODED, index);
  }
  const answered = new Uint8Array(n);
  for (let i = 0; i < n; i++) answered[i] = hasText[i]!;
  for (const opt of options) for (let i = 0; i < n; i++) if (opt[i] === 1) answered[i] = 1;
  const axis: MultiAxis = {
    kind: 'multi',
    ref,
    label: codes.length === 1 ? `Code: ${codes[0]!.name}` : 'Codes',
    categories: codes.map((c) => ({ key: String(c.id), label: c.name })),
    options,
    answered,
  };
  return axis;
}

// ---------------------------------------------------------------------------------------------
// Respondent frames (one dataset, or several stacked as waves)

interface Part {
  dataset: DatasetRow;
  offset: number;
  variables: VariableRow[];
  byName: Map<string, VariableRow>;
}

function datasetRows(db: Db, ids: number[]): DatasetRow[] {
  return ids.map((id) => {
    const row = db.prepare('SELECT id, name, wave, row_count FROM dataset WHERE id = ?').get(id) as DatasetRow | undefined;
    if (!row) throw new FieldbookError('NOT_FOUND', `There is no dataset with id ${id} in this project.`, { field: 'source.datasetIds' });
    return row;
  });
}

function waveLabel(d: DatasetRow): string {
  return d.wave.trim() || d.name;
}

export function datasetFrame(db: Db, datasetIds: number[]): Frame {
  // Waves stand in time order whatever order the table names them in: change is later − earlier.
  const rows = datasetRows(db, datasetIds);
  const timed = orderWaves(waveRows(db, rows.map((d) => d.id))).ordered;
  const datasets = timed.map((w) => rows.find((d) => d.id === w.id)!);
  const parts: Part[] = [];
  let offset = 0;
  for (const dataset of datasets) {
    const variables = db
      .prepare(
        'SELECT id, dataset_id, position, name, label, type, question_group, group_label, option_label, missing, concept FROM variable WHERE dataset_id = ? ORDER BY position',
      )
      .all(dataset.id) as VariableRow[];
    parts.push({ dataset, offset, variables, byName: new Map(variables.map((v) => [v.name, v])) });
    offset += dataset.row_count;
  }
  const n = offset;
  const waves = parts.length > 1;
  const where = waves ? 'these waves' : `dataset ${datasets[0]!.name}`;
  const cache = new Map<string, Axis>();
  const idColumns = new Map<number, (string | null)[] | null>();
  const { generation, projectKey } = cacheIdentity(db);

  /**
   * A part's variable for ref. Across waves the same question may carry another name (and a name
   * may mean another question), so once the named variable has a concept (the survey importer's
   * cross-wave match), the concept decides; the name is used only for variables without one.
   */
  const variableIn = (part: Part, ref: string): VariableRow | undefined => {
    const anchor = parts.map((p) => p.byName.get(ref)).find((v) => v !== undefined);
    if (!anchor) return undefined;
    if (anchor.concept) {
      const same = part.variables.find((v) => v.concept === anchor.concept);
      if (same) return same;
    }
    const named = part.byName.get(ref);
    if (named && (!named.concept || !anchor.concept || named.concept === anchor.concept)) return named;
    // Waves often name their weight differently; a wave with exactly one weight uses it.
    if (anchor.type === 'weight') {
      const weights = part.variables.filter((v) => v.type === 'weight');
      if (weights.length === 1) return weights[0];
    }
    return undefined;
  };
  /**
   * A part's options of the multi-select ref. Another wave may name the question and its options
   * differently (Q7_1.. against QID12_3..) and list them in another order: there the options
   * matched to ref's options (same concept) make up the question.
   */
  const groupIn = (part: Part, ref: string): VariableRow[] => {
    const own = part.variables.filter((v) => v.question_group === ref && v.type === 'multi');
    if (own.length > 0) return own;
    const anchor = parts.map((p) => p.variables.filter((v) => v.question_group === ref && v.type === 'multi')).find((g) => g.length > 0);
    const concepts = new Set((anchor ?? []).map((v) => v.concept).filter((c): c is string => c !== null));
    return concepts.size === 0 ? [] : part.variables.filter((v) => v.type === 'multi' && v.concept !== null && concepts.has(v.concept));
  };

  const labelsOf = (variableId: number): LabelRow[] =>
    db.prepare('SELECT code, label, is_missing, nonsubstantive FROM value_label WHERE variable_id = ? ORDER BY position, code').all(variableId) as LabelRow[];

  const loadColumn = (v: VariableRow, part: Part): Column => {
    const column = readColumn(db, v.id);
    if (!column) throw new FieldbookError('NOT_FOUND', `${v.name} has no stored answers in ${part.dataset.name}.`, { field: v.name });
    return checkLength(column, v, part);
  };
  const checkLength = (column: Column, v: VariableRow, part: Part): Column => {
    if (column.values.length !== part.dataset.row_count) {
      throw new FieldbookError('PARSE_ERROR', `${v.name} in ${part.dataset.name} has ${column.values.length} answers for ${part.dataset.row_count} respondents.`, { field: v.name });
    }
    return column;
  };

  const axisInPart = (part: Part, ref: string): Axis | null => {
    const v = variableIn(part, ref);
    if (v) {
      const cacheKey = `${projectKey}#${v.id}`;
      const unchanged = axisCache.get(cacheKey);
      if (unchanged && unchanged.generation === generation) return unchanged.axis.ref === ref ? unchanged.axis : { ...unchanged.axis, ref };
      const raw = readRaw(db, v.id);
      if (!raw) throw new FieldbookError('NOT_FOUND', `${v.name} has no stored answers in ${part.dataset.name}.`, { field: v.name });
      const labels = v.type === 'multi' || v.type === 'numeric' || v.type === 'weight' || v.type === 'date' ? [] : labelsOf(v.id);
      const meta = JSON.stringify([v.type, v.label, v.option_label, v.missing, raw.encoding, labels]);
      const axis = cachedAxis(cacheKey, raw.data, meta, generation, () => {
        // Open answers live in their survey_text document, not in the blob.
        const decoded = raw.encoding === DOCUMENT_ENCODING ? documentColumn(db, v.id) : decodeRaw(raw.encoding, raw.data, v.id);
        const column = checkLength(decoded, v, part);
        const label = v.label || v.option_label || v.name;
        if (v.type === 'date') return { ...(numeric(ref, label, column) as NumericAxis), date: true };
        if (v.type === 'numeric') return numeric(ref, label, column, parseMissing(v.missing));
        if (v.type === 'weight') return numeric(ref, label, column);
        if (v.type === 'multi') {
          return categorical(ref, label, 'single', column, [{ code: 1, label: 'Chosen', is_missing: 0 }, { code: 0, label: 'Not chosen', is_missing: 0 }], parseMissing(v.missing));
        }
        return categorical(ref, label, v.type === 'ordinal' ? 'ordinal' : 'single', column, labels, parseMissing(v.missing));
      });
      return axis.ref === ref ? axis : { ...axis, ref };
    }
    const group = groupIn(part, ref);
    if (group.length > 0) {
      const options = group.map((g) => {
        const column = loadColumn(g, part);
        if (column.encoding === 'u8') return column.values;
        const out = new Uint8Array(part.dataset.row_count);
        if (column.encoding === 'i32' || column.encoding === 'f64') for (let i = 0; i < out.length; i++) out[i] = column.values[i] === 1 ? 1 : 0;
        return out;
      });
      return {
        kind: 'multi',
        ref,
        label: group[0]!.group_label || ref,
        categories: group.map((g) => ({ key: g.name, label: g.option_label || g.label || g.name, ...(g.concept ? { concept: g.concept } : {}) })),
        options,
        answered: null,
      };
    }
    return null;
  };

  const hasTextMask = (): Uint8Array => {
    const mask = new Uint8Array(n);
    for (const part of parts) {
      const rows = db
        .prepare(
          `SELECT DISTINCT t.respondent_row AS row FROM turn t JOIN document d ON d.id = t.document_id
            WHERE d.dataset_id = ? AND d.kind = 'survey_text' AND t.respondent_row IS NOT NULL AND t.end_char > t.start_char`,
        )
        .all(part.dataset.id) as { row: number }[];
      for (const r of rows) if (r.row >= 0 && r.row < part.dataset.row_count) mask[part.offset + r.row] = 1;
    }
    const withText = participantsWithText(db);
    for (const [pid, unit] of linkedParticipants()) if (withText.has(pid)) mask[unit] = 1;
    return mask;
  };

  const idColumn = (part: Part): (string | null)[] | null => {
    if (idColumns.has(part.dataset.id)) return idColumns.get(part.dataset.id)!;
    const v = part.variables.find((x) => x.type === 'id');
    let values: (string | null)[] | null = null;
    if (v) {
      const column = readColumn(db, v.id);
      if (column) {
        if (column.encoding === 'text') values = column.values;
        else values = Array.from(column.values as ArrayLike<number>, (x) => (Number.isNaN(x) || x === I32_MISSING ? null : String(x)));
      }
    }
    idColumns.set(part.dataset.id, values);
    return values;
  };

  let linked: Map<number, number> | null = null;
  /** participant id → unit, through participant.dataset_id + respondent_key = the dataset's id variable. */
  const linkedParticipants = (): Map<number, number> => {
    if (linked) return linked;
    linked = new Map();
    for (const part of parts) {
      const keys = db
        .prepare('SELECT id, respondent_key FROM participant WHERE dataset_id = ? AND respondent_key IS NOT NULL')
        .all(part.dataset.id) as { id: number; respondent_key: string }[];
      if (keys.length === 0) continue;
      const ids = idColumn(part);
      if (!ids) continue;
      const rowOf = new Map<string, number>();
      ids.forEach((id, row) => {
        if (id !== null) rowOf.set(id.trim(), row);
      });
      for (const k of keys) {
        const row = rowOf.get(k.respondent_key.trim());
        if (row !== undefined) linked.set(k.id, part.offset + row);
      }
    }
    return linked;
  };

  const unitsOf = (link: SegmentLink): number[] => {
    const out: number[] = [];
    if (link.respondent_row !== null && link.dataset_id !== null) {
      const part = parts.find((p) => p.dataset.id === link.dataset_id);
      if (part && link.respondent_row >= 0 && link.respondent_row < part.dataset.row_count) out.push(part.offset + link.respondent_row);
    }
    if (link.participant_id !== null) {
      const unit = linkedParticipants().get(link.participant_id);
      if (unit !== undefined) out.push(unit);
    }
    return out;
  };

  const build = (ref: string): Axis => {
    if (ref === 'wave') {
      if (!waves) throw new FieldbookError('NOT_FOUND', 'The wave column needs a table over two or more datasets.', { field: ref });
      const index = new Int32Array(n);
      parts.forEach((p, k) => index.fill(k, p.offset, p.offset + p.dataset.row_count));
      return singleAxis('wave', 'Wave', parts.map((p) => ({ key: waveLabel(p.dataset), label: waveLabel(p.dataset) })), index);
    }
    const codeRef = parseCodeRef(ref);
    if (codeRef) {
      const codes = codeList(db, codeRef.ids);
      return codeAxes(ref, codes, n, hasTextMask(), unitsOf, segmentLinks(db, codes.map((c) => c.id)), codeRef.single);
    }
    if (ref.startsWith('attr:')) throw new FieldbookError('INVALID_INPUT', `${ref} is a participant attribute; tabulate it in a participants table.`, { field: ref });
    const perPart = parts.map((part) => axisInPart(part, ref));
    const present = perPart.filter((a): a is Axis => a !== null);
    if (present.length === 0) throw notFound(ref, where);
    if (perPart.length === 1) return present[0]!;
    const stacked = stackAxes(ref, parts, perPart, n);
    const notIn = parts.filter((_, k) => perPart[k] === null).map((p) => waveLabel(p.dataset));
    return notIn.length > 0 ? { ...stacked, notIn } : stacked;
  };

  return {
    n,
    unit: 'respondents',
    waves,
    expand(ref) {
      const key = ref.trim();
      if (parts.some((p) => p.byName.has(key))) return null;
      const part = parts.find((p) => p.variables.some((v) => v.question_group === key));
      if (!part) return null;
      const items = part.variables.filter((v) => v.question_group === key && (v.type === 'single' || v.type === 'ordinal'));
      return items.length > 0 && !part.variables.some((v) => v.question_group === key && v.type === 'multi') ? items.map((v) => v.name) : null;
    },
    axis(ref) {
      const key = ref.trim();
      let axis = cache.get(key);
      if (!axis) {
        axis = build(key);
        cache.set(key, axis);
      }
      return axis;
    },
    unitInfo(unit): UnitInfo {
      const part = parts.find((p) => unit >= p.offset && unit < p.offset + p.dataset.row_count);
      if (!part) throw new FieldbookError('NOT_FOUND', `There is no respondent ${unit}.`);
      const row = unit - part.offset;
      const ids = idColumn(part);
      let participantId: number | null = null;
      for (const [pid, u] of linkedParticipants()) if (u === unit) participantId = pid;
      const participantName = participantId === null ? null : ((db.prepare('SELECT name FROM participant WHERE id = ?').get(participantId) as { name: string } | undefined)?.name ?? null);
      return { datasetId: part.dataset.id, row, wave: waveLabel(part.dataset), id: ids?.[row] ?? null, participantId, participantName };
    },
    codedSegments(codeIds): CodedSegment[] {
      const pname = participantNames(db);
      return codedSegmentsOf(db, codeIds, unitsOf, (link) => (link.participant_id === null ? null : (pname.get(link.participant_id) ?? null)));
    },
  };
}

function participantNames(db: Db): Map<number, string> {
  return new Map((db.prepare('SELECT id, name FROM participant').all() as { id: number; name: string }[]).map((p) => [p.id, p.name]));
}

const size = (a: Axis | null): number => (a === null || a.kind === 'numeric' ? 0 : a.categories.length);

/** One axis over stacked waves: categories matched by label (codes may differ between waves). */
function stackAxes(ref: string, parts: Part[], perPart: (Axis | null)[], n: number): Axis {
  const kinds = new Set(perPart.filter((a): a is Axis => a !== null).map((a) => (a.kind === 'ordinal' ? 'single' : a.kind)));
  if (kinds.size > 1) throw new FieldbookError('INVALID_INPUT', `${ref} is not the same kind of question in every wave, so the waves cannot be compared.`, { field: ref });
  const first = perPart.find((a): a is Axis => a !== null)!;
  if (first.kind === 'numeric') {
    const values = new Float64Array(n).fill(Number.NaN);
    perPart.forEach((a, k) => {
      if (a?.kind === 'numeric') values.set(a.values, parts[k]!.offset);
    });
    return { kind: 'numeric', ref, label: first.label, values };
  }
  // The wave with the most answers sets the order; answers only other waves have come after.
  const order = perPart.map((a, p) => ({ a, p })).sort((x, y) => size(y.a) - size(x.a));
  const categories: Category[] = [];
  const byLabel = new Map<string, number>();
  const norm = (s: string) => s.trim().toLowerCase();
  // Options matched across waves (one concept) are one answer whatever their labels; other
  // answers meet by label. Every wave's own key stays an alias, so nets and filters written
  // against either wave's codes or option names find the answer.
  const mapCategories = (a: SingleAxis | MultiAxis) =>
    a.categories.map((c) => {
      const key = c.concept ? `concept:${c.concept}` : norm(c.label);
      let k = byLabel.get(key);
      if (k === undefined) {
        k = categories.length;
        byLabel.set(key, k);
        categories.push({ ...c, aliases: [] });
      } else if (categories[k]!.key !== c.key && !categories[k]!.aliases!.includes(c.key)) categories[k]!.aliases!.push(c.key);
      return k;
    });
  if (first.kind === 'multi') {
    const options: Uint8Array[] = [];
    order.forEach(({ a, p }) => {
      if (a?.kind !== 'multi') return;
      const map = mapCategories(a);
      a.options.forEach((opt, o) => {
        const k = map[o]!;
        // A wave without this option did not ask it (255), which the "shown" base tells apart from 0.
        while (options.length <= k) options.push(new Uint8Array(n).fill(255));
        options[k]!.set(opt, parts[p]!.offset);
      });
    });
    return { kind: 'multi', ref, label: first.label, categories, options, answered: null };
  }
  const index = new Int32Array(n).fill(-1);
  let userMissing: Uint8Array | null = null;
  order.forEach(({ a, p }) => {
    if (!a || a.kind === 'numeric' || a.kind === 'multi') return;
    const map = mapCategories(a);
    const offset = parts[p]!.offset;
    for (let i = 0; i < a.index.length; i++) {
      const r = a.index[i]!;
      if (r >= 0) index[offset + i] = map[r]!;
    }
    if (a.userMissing) (userMissing ??= new Uint8Array(n)).set(a.userMissing, offset);
  });
  return { ...singleAxis(ref, first.label, categories, index, first.kind), userMissing };
}

// ---------------------------------------------------------------------------------------------
// Participant frames

export function participantFrame(db: Db): Frame {
  const participants = db.prepare('SELECT id, name FROM participant ORDER BY id').all() as { id: number; name: string }[];
  const n = participants.length;
  const unitOf = new Map(participants.map((p, i) => [p.id, i]));
  const cache = new Map<string, Axis>();
  const hasText = (): Uint8Array => {
    const mask = new Uint8Array(n);
    for (const id of participantsWithText(db)) {
      const u = unitOf.get(id);
      if (u !== undefined) mask[u] = 1;
    }
    return mask;
  };
  const unitsOf = (link: SegmentLink): number[] => {
    const u = link.participant_id === null ? undefined : unitOf.get(link.participant_id);
    return u === undefined ? [] : [u];
  };
  const build = (ref: string): Axis => {
    const codeRef = parseCodeRef(ref);
    if (codeRef) {
      const codes = codeList(db, codeRef.ids);
      return codeAxes(ref, codes, n, hasText(), unitsOf, segmentLinks(db, codes.map((c) => c.id)), codeRef.single);
    }
    const name = ref.startsWith('attr:') ? ref.slice(5).trim() : ref;
    const attribute = db.prepare('SELECT id, name, type FROM attribute WHERE name = ?').get(name) as { id: number; name: string; type: string } | undefined;
    if (!attribute) throw notFound(ref, 'the participants’ attributes');
    const values = db.prepare('SELECT participant_id, value FROM participant_attribute WHERE attribute_id = ?').all(attribute.id) as { participant_id: number; value: unknown }[];
    const column: (string | null)[] = new Array<string | null>(n).fill(null);
    for (const v of values) {
      const u = unitOf.get(v.participant_id);
      if (u !== undefined && v.value !== null && v.value !== undefined) column[u] = String(v.value);
    }
    if (attribute.type === 'number' && values.length > 0) {
      // Numbers with few distinct values (sizes, scores) tabulate as categories, in numeric order.
      const distinct = new Set(column.filter((x) => x !== null));
      if (distinct.size > 20) return numeric(ref, attribute.name, { encoding: 'text', values: column });
      const sorted = [...distinct].sort((a, b) => Number(a) - Number(b));
      return categorical(ref, attribute.name, 'single', { encoding: 'text', values: column }, sorted.map((s) => ({ code: s, label: s, is_missing: 0 })), { values: new Set(), low: Infinity, high: -Infinity });
    }
    return categorical(ref, attribute.name, 'single', { encoding: 'text', values: column }, [], { values: new Set(), low: Infinity, high: -Infinity });
  };
  return {
    n,
    unit: 'participants',
    waves: false,
    axis(ref) {
      const key = ref.trim();
      let axis = cache.get(key);
      if (!axis) {
        axis = build(key);
        cache.set(key, axis);
      }
      return axis;
    },
    unitInfo(unit) {
      const p = participants[unit];
      if (!p) throw new FieldbookError('NOT_FOUND', `There is no participant ${unit}.`);
      return { datasetId: 0, row: unit, wave: '', id: null, participantId: p.id, participantName: p.name };
    },
    codedSegments(codeIds) {
      // Refuses unknown codes, as a table does.
      codeList(db, codeIds);
      return codedSegmentsOf(db, codeIds, unitsOf, (_link, unit) => participants[unit]!.name);
    },
  };
}

export function frameFor(db: Db, source: TableSource): Frame {
  return source.kind === 'participants' ? participantFrame(db) : datasetFrame(db, source.datasetIds);
}

// ---------------------------------------------------------------------------------------------
// What the table builder offers

export function builderVariables(db: Db, source: TableSource | undefined): BuilderVariables {
  const all = db.prepare('SELECT id, name, wave, row_count FROM dataset ORDER BY id').all() as DatasetRow[];
  // Earliest wave first, so "the latest" is the last one in time, not the last imported.
  const datasets = orderWaves(waveRows(db)).ordered.map((w) => all.find((d) => d.id === w.id)!).map((d) => ({ id: d.id, name: d.name, wave: d.wave, rows: d.row_count }));
  const variables: BuilderVariable[] = [];
  const codes = db.prepare('SELECT id, name FROM code ORDER BY position, id').all() as CodeRow[];
  const codeVariables: BuilderVariable[] = codes.map((c) => ({ ref: `code:${c.id}`, label: c.name, kind: 'code', categories: CODED.map((x) => ({ ...x, missing: false })), datasetIds: [] }));
  if (codes.length > 0) {
    codeVariables.unshift({ ref: 'codes:*', label: 'All codes', kind: 'multi', categories: codes.map((c) => ({ key: String(c.id), label: c.name, missing: false })), datasetIds: [] });
  }
  if (source?.kind === 'participants') {
    const attrs = db.prepare('SELECT id, name FROM attribute ORDER BY position, name').all() as { id: number; name: string }[];
    for (const a of attrs) {
      const values = db.prepare('SELECT DISTINCT value FROM participant_attribute WHERE attribute_id = ? AND value IS NOT NULL ORDER BY value').all(a.id) as { value: unknown }[];
      variables.push({ ref: `attr:${a.name}`, label: a.name, kind: 'attribute', categories: values.slice(0, 200).map((v) => ({ key: String(v.value), label: String(v.value), missing: false })), datasetIds: [] });
    }
    return { datasets, variables: [...variables, ...codeVariables] };
  }
  const ids = source?.kind === 'dataset' ? source.datasetIds : datasets.slice(0, 1).map((d) => d.id);
  const seen = new Map<string, BuilderVariable>();
  // A question matched across waves (one concept) is offered once, under its first wave's name.
  const byConcept = new Map<string, BuilderVariable>();
  for (const datasetId of ids) {
    const rows = db
      .prepare('SELECT id, name, label, type, question_group, group_label, option_label, concept FROM variable WHERE dataset_id = ? ORDER BY position')
      .all(datasetId) as VariableRow[];
    for (const v of rows) {
      const isOption = v.type === 'multi' && v.question_group;
      const ref = isOption ? v.question_group! : v.name;
      const matched = v.concept ? byConcept.get(v.concept) : undefined;
      if (matched && !seen.has(ref)) {
        if (!matched.datasetIds.includes(datasetId)) matched.datasetIds.push(datasetId);
        continue;
      }
      const existing = seen.get(ref);
      if (existing && v.concept && !byConcept.has(v.concept)) byConcept.set(v.concept, existing);
      if (existing) {
        if (!existing.datasetIds.includes(datasetId)) existing.datasetIds.push(datasetId);
        if (isOption && existing.datasetIds.length === 1 && datasetId === existing.datasetIds[0] && !existing.categories.some((c) => c.key === v.name)) {
          existing.categories.push({ key: v.name, label: v.option_label || v.label || v.name, missing: false });
        }
        continue;
      }
      if (v.type === 'id' || v.type === 'metadata') continue;
      let kind: BuilderVariable['kind'];
      let categories: BuilderVariable['categories'] = [];
      if (isOption) {
        kind = 'multi';
        categories = [{ key: v.name, label: v.option_label || v.label || v.name, missing: false }];
      } else if (v.type === 'numeric' || v.type === 'date') kind = 'numeric';
      else if (v.type === 'weight') kind = 'weight';
      else if (v.type === 'text') kind = 'text';
      else {
        kind = v.type === 'ordinal' ? 'ordinal' : 'single';
        categories = (db.prepare('SELECT code, label, is_missing FROM value_label WHERE variable_id = ? ORDER BY position, code').all(v.id) as LabelRow[]).map((l) => ({
          key: String(l.code),
          label: l.label,
          missing: l.is_missing === 1,
        }));
      }
      const entry: BuilderVariable = {
        ref,
        label: isOption ? v.group_label || ref : v.option_label && v.group_label ? `${v.group_label} – ${v.option_label}` : v.label || v.name,
        kind,
        categories,
        ...(v.type === 'date' ? { date: true } : {}),
        datasetIds: [datasetId],
        ...(v.question_group && !isOption ? { group: v.question_group, groupLabel: v.group_label ?? '' } : {}),
      };
      seen.set(ref, entry);
      if (v.concept) byConcept.set(v.concept, entry);
      variables.push(entry);
    }
  }
  // Grids (matrix questions): the whole grid as one choice, next to its items.
  const grids = new Map<string, BuilderVariable>();
  for (const v of variables) {
    if ((v.kind !== 'single' && v.kind !== 'ordinal') || !v.group) continue;
    if (seen.has(v.group) || grids.has(v.group)) continue;
    grids.set(v.group, { ref: v.group, label: `${v.groupLabel || v.group} (grid: every item)`, kind: 'grid', categories: v.categories, datasetIds: v.datasetIds });
  }
  const withGrids = variables.flatMap((v) => {
    const grid = v.group ? grids.get(v.group) : undefined;
    if (grid && v.group) {
      grids.delete(v.group);
      return [grid, v];
    }
    return [v];
  });
  variables.splice(0, variables.length, ...withGrids);
  if (ids.length > 1) variables.unshift({ ref: 'wave', label: 'Wave', kind: 'wave', categories: [], datasetIds: ids });
  return { datasets, variables: [...variables, ...codeVariables] };
}
