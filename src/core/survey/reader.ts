import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';
import { BYTE_NO_ANSWER, byteCodedNumbers, byteCodesOf } from './columns';
import { ColumnAccumulator, parseNumber, type AccumulatorState } from './accumulate';
import { formatDate } from './display';
import { collectGarbage, garbageEvery } from './memory';
import { columnHeads, detectFormat, formatMismatch, headerRowsOf, type ColumnHead, type CsvFormat } from './formats';
import { flagsOf, labelsFor, naturalCompare, packedOptions, parseDate, scaleOf, splitPacked } from './infer';
import { decideType, flagsReason, labelsFromValues, multiSelectCluster, NOT_CHOSEN, otherTextMember, scaleReason, type Decision } from './guess';
import { applyGroupOverrides, checkGroupLabels, checkOverrideColumns, flagLabels, numericMissing, overrideNotes, reorderLabels, type ReadOverrides } from './overrides';
import { dichotomyLabels, type ParsedSurvey, type ParsedVariable, type RawValues, type SurveyFormat, type ValueLabel, type VariableType } from './model';
import { categoricalStrings } from './spss/categorical';
import { readSpssFile } from './spss/index';
import { asciiSafe, cellDecoder, decodeUtf8, type CellDecoder } from './encoding';
import { openDelimited, rowBoundaryAfter, sniffFileKind, type RowBatch, type TableSource } from './table';
import { findStrayQuote, IrregularCsv, readDelimitedBytes, type ByteRowSink } from './bytes';
import type { WorkerPool } from '../workers/pool';

export type { ReadOverrides } from './overrides';

export interface ReadOptions {
  encoding?: string | undefined;
  sheet?: string | undefined;
  format?: SurveyFormat | 'auto' | undefined;
  /** Read only this many data rows (the preview). */
  maxRows?: number;
  overrides?: ReadOverrides | undefined;
  onProgress?: (done: number, total: number | null, message: string) => void;
  /** Called between batches: lets a cancel arrive (throws to stop). */
  checkpoint?: () => Promise<void>;
  /**
   * Large delimited files are read in two halves at once, the second on a worker thread. Only
   * files of at least `minBytes` (default PARALLEL_MIN_BYTES) in UTF-8 or a one-byte encoding.
   */
  parallel?: { pool: WorkerPool; minBytes?: number } | undefined;
  /**
   * 'text': read every row with the text parser, never from the bytes (see bytes.ts). For tests
   * that hold the two readings to the same result.
   */
  parser?: 'auto' | 'text';
}

/** From this size a delimited file is read in two halves at once (a worker thread reads the second). */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** From this many rows a read ends with a garbage collection (see readTable). */
const LARGE_READ_ROWS = 400_000;

/** The share of the data rows this thread reads when a worker reads the rest (see readInHalves). */
const FIRST_SHARE = 0.5;

/** One column of the file as the preview shows it (before multi-selects are split into options). */
export interface SourceColumn {
  name: string;
  label: string;
  type: VariableType;
  questionGroup?: string;
  groupLabel?: string;
  optionLabel?: string;
  valueLabels: ValueLabel[];
  samples: string[];
  nonEmpty: number;
  /** Why it was given its type (and order, flags, group), in plain words; "chosen by you" when overridden. */
  reason: string;
}

export interface ReadResult {
  survey: ParsedSurvey;
  /** For SPSS files made on first read: read it before importSurvey lets the answers go. */
  columns: SourceColumn[];
  headerText: string[][];
  firstRows: string[][];
  encodingReason: string;
  delimiter: string;
  sheets: string[];
  sheet: string | null;
  /** True when only the first rows were read (preview). */
  truncated: boolean;
  /** Delimited text: the data rows (or the first half of them) were read from the bytes, not by the text parser. */
  fromBytes?: boolean;
}

const CSV_FORMATS = new Set<string>(['qualtrics', 'qualtrics-legacy', 'surveymonkey', 'surveymonkey-flat', 'google-forms', 'csv', 'tsv', 'xlsx']);

export async function readSurvey(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const display = path.basename(file);
  const kind = sniffFileKind(file);
  if (kind === 'sav' || kind === 'zsav' || kind === 'por') return readSpss(file, options);
  if (kind === 'xls') {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${display} is an old Excel 97-2003 workbook (.xls). Save it as .xlsx or CSV in Excel, then import that.`, {
      file,
    });
  }
  if (kind === 'binary') {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${display} is not a survey file Fieldbook can read: it is neither text (CSV, TSV) nor an Excel .xlsx or SPSS .sav/.zsav/.por file.`,
      { file },
    );
  }
  refuseStructuredText(file, display);
  if (options.format && options.format !== 'auto' && !CSV_FORMATS.has(options.format)) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${display} is not an SPSS file, so it cannot be read as ${options.format}.`, { file });
  }
  // exceljs loads only for workbooks: a worker reading half a CSV starts 0.3 s sooner without it.
  const source = kind === 'xlsx' ? await (await import('./xlsx')).openXlsx(file, { sheet: options.sheet }) : openDelimited(file, { encoding: options.encoding });
  try {
    return await readTable(source, options);
  } catch (error) {
    throw strayQuoteInstead(error, source);
  }
}

/**
 * A quote error from the text parser, when the file has a quote inside an unquoted cell, is that
 * quote's doing (see findStrayQuote): the message then names it, not where the parser lost count.
 */
function strayQuoteInstead(error: unknown, source: TableSource): unknown {
  if (!(error instanceof FieldbookError) || error.code !== 'PARSE_ERROR' || !/quote/.test(error.message)) return error;
  if (source.kind === 'xlsx' || source.delimiter.length !== 1 || !asciiSafe(source.encoding.encoding)) return error;
  const at = findStrayQuote(source.file, source.encoding.bomLength, source.delimiter.charCodeAt(0), source.encoding.encoding !== 'utf-8');
  if (!at) return error;
  const display = path.basename(source.file);
  return new FieldbookError(
    'PARSE_ERROR',
    `${display}, line ${at.line}, column ${at.column}: a quote inside a cell that does not start with one. Put the whole cell in quotes and write each quote inside it twice.`,
    { file: source.file, line: at.line, column: at.column },
  );
}

/** JSON is text but not a table: a Qualtrics .qsf in particular is the questionnaire, not the answers. */
function refuseStructuredText(file: string, display: string): void {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(256);
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const start = head.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{"SurveyEntry"') || (start.startsWith('{') && start.includes('"SurveyEntry"'))) {
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${display} is a Qualtrics survey definition (.qsf): it holds the questionnaire, not the answers. In Qualtrics, use Data & Analysis → Export data → CSV, and import that file.`,
      { file },
    );
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${display} looks like JSON, not a table of answers. Export the survey's responses as CSV, Excel or SPSS.`, { file });
  }
}

/** A member of a multiple-response set is shown with the 0/1 labels it is stored with (see dichotomyLabels). */
function previewLabels(v: ParsedVariable): ValueLabel[] {
  const counted = v.meta?.countedValue;
  return v.type === 'multi' && (typeof counted === 'number' || typeof counted === 'string') ? dichotomyLabels(v.valueLabels, counted) : v.valueLabels;
}

function readSpss(file: string, options: ReadOptions): ReadResult {
  const survey: ParsedSurvey = readSpssFile(file, options.encoding ? { encoding: options.encoding } : {});
  for (const v of survey.variables) categoricalStrings(v);
  applyOverridesToParsed(survey, options.overrides, file);
  // Samples and answered counts are for the preview: an import never reads them, so they are
  // made on first use (a pass over every answer of every variable, ~10 ms per 100k rows).
  let columns: SourceColumn[] | undefined;
  const describeColumns = (): SourceColumn[] =>
    survey.variables.map((v) => ({
      name: v.name,
      label: v.label,
      type: v.type,
      ...(v.questionGroup ? { questionGroup: v.questionGroup } : {}),
      ...(v.groupLabel ? { groupLabel: v.groupLabel } : {}),
      ...(v.optionLabel ? { optionLabel: v.optionLabel } : {}),
      valueLabels: previewLabels(v),
      samples: sampleOf(v, 5),
      nonEmpty: countNonEmpty(v),
      reason: `${options.overrides?.types?.[v.name] ? 'chosen by you' : 'as the SPSS file declares it'}${overrideNotes(v.name, options.overrides)}`,
    }));
  const firstRows: string[][] = [];
  for (let r = 0; r < Math.min(20, survey.rowCount); r++) firstRows.push(survey.variables.map((v) => cellOf(v, r)));
  return {
    survey,
    get columns() {
      columns ??= describeColumns();
      return columns;
    },
    headerText: [survey.variables.map((v) => v.name)],
    firstRows,
    encodingReason: 'declared by the SPSS file',
    delimiter: '',
    sheets: [],
    sheet: null,
    truncated: false,
  };
}

function cellOf(v: ParsedVariable, r: number): string {
  if (v.values.kind === 'number') {
    // Byte-coded answers (see columns.ts) are read as they are: the preview must not make them numbers.
    const codes = byteCodesOf(v.values);
    if (codes) {
      const b = codes.bytes[r]!;
      return b === BYTE_NO_ANSWER ? '' : String(b - codes.bias);
    }
    const x = v.values.values[r]!;
    if (Number.isNaN(x)) return '';
    // Dates are milliseconds since 1970: the preview shows them as the dates they are.
    return v.type === 'date' ? formatDate(x) : String(x);
  }
  return v.values.values[r] ?? '';
}

function sampleOf(v: ParsedVariable, limit: number): string[] {
  const seen = new Set<string>();
  const rows = byteCodesOf(v.values)?.bytes.length ?? v.values.values.length;
  for (let r = 0; r < rows && seen.size < limit; r++) {
    const cell = cellOf(v, r);
    if (cell !== '') seen.add(cell);
  }
  return [...seen];
}

function countNonEmpty(v: ParsedVariable): number {
  let n = 0;
  const codes = byteCodesOf(v.values);
  if (codes) {
    const a = codes.bytes;
    for (let r = 0; r < a.length; r++) if (a[r] !== BYTE_NO_ANSWER) n++;
  } else if (v.values.kind === 'number') {
    const a = v.values.values;
    for (let r = 0; r < a.length; r++) if (a[r] === a[r]) n++;
  } else {
    const a = v.values.values;
    for (let r = 0; r < a.length; r++) if (a[r] !== null && a[r] !== '') n++;
  }
  return n;
}

function applyOverridesToParsed(survey: ParsedSurvey, overrides: ReadOverrides | undefined, file: string): void {
  if (!overrides) return;
  const display = path.basename(file);
  checkOverrideColumns(survey.variables, overrides, display, file);
  for (const v of survey.variables) {
    const label = overrides.labels?.[v.name];
    if (label !== undefined) v.label = label;
    if (overrides.idColumn === v.name) v.type = 'id';
    if (overrides.weightColumn === v.name) v.type = 'weight';
    const type = overrides.types?.[v.name];
    if (type) v.type = type;
    // The file's codes stay: only the labels' order and flags change.
    v.valueLabels = reorderLabels(v.valueLabels, overrides.order?.[v.name], false);
    const missing = overrides.missing?.[v.name];
    if (missing && v.valueLabels.length === 0) v.missing = numericMissing(v.name, missing, display, file);
    else v.valueLabels = flagLabels(v.valueLabels, missing, overrides.nonsubstantive?.[v.name]);
    const group = overrides.groups?.[v.name];
    if (group !== undefined) {
      if (group.trim() === '') {
        delete v.questionGroup;
        delete v.groupLabel;
      } else {
        v.questionGroup = group.trim();
        v.groupLabel ??= v.label;
      }
    }
  }
  checkGroupLabels(new Set(survey.variables.map((v) => v.questionGroup).filter((g): g is string => g !== undefined)), overrides, display, file);
  for (const v of survey.variables) {
    const text = v.questionGroup ? overrides.groupLabels?.[v.questionGroup] : undefined;
    if (text !== undefined) v.groupLabel = text;
  }
}

/**
 * The format to read with: detected from the first rows, or the user's, which must fit them (a
 * respondent read as a header row would be lost: refused; a header row read as a respondent: a warning).
 */
function formatFor(forced: CsvFormat | null, first: RowBatch, plain: 'csv' | 'tsv' | 'xlsx', display: string, file: string, warnings: string[]): CsvFormat {
  const rows = first.rows.slice(0, 3);
  if (!forced) return detectFormat(rows, plain);
  const mismatch = formatMismatch(forced, rows, first.lines, display, file);
  if (mismatch.error) throw mismatch.error;
  if (mismatch.warning) warnings.push(mismatch.warning);
  return forced;
}

/** Rows to expect, from the first batch's bytes per row and the file size (a little over, capped). */
function expectedRows(batch: { rows: string[][] }, size: number): number {
  let chars = 0;
  const sample = batch.rows.slice(0, 2000);
  for (const row of sample) for (const cell of row) chars += cell.length + 1;
  const perRow = Math.max(1, chars / Math.max(1, sample.length));
  return Math.min(50_000_000, Math.max(1024, Math.ceil((size / perRow) * 1.02)));
}

async function readTable(source: TableSource, options: ReadOptions): Promise<ReadResult> {
  const file = source.file;
  const display = path.basename(file);
  const maxRows = options.maxRows;
  const plain = source.kind;
  let format: CsvFormat | null = options.format && options.format !== 'auto' ? (options.format as CsvFormat) : null;
  let headerRows = 0;
  let heads: ColumnHead[] = [];
  let width = 0;
  const headerText: string[][] = [];
  let sink: RowSink | null = null;
  let pending: { rows: string[][]; lines: number[] } | null = null;
  // Set when the data rows are read on their own after the header rows (from the bytes, or in two halves).
  let plan: DataPlan | null = null;
  const warnings: string[] = [];
  warnings.push(...(source.warnings ?? []));
  const otherLines = source.encoding.otherLines;
  if (otherLines) {
    const shown = otherLines.slice(0, 5).join(', ') + (otherLines.length > 5 ? ' and others' : '');
    warnings.push(
      `${display} mixes two encodings: line${otherLines.length > 1 ? 's' : ''} ${shown} ${otherLines.length > 1 ? 'are' : 'is'} Windows-1252 (Latin-1), the rest UTF-8. Each line was read in its own encoding; check those lines.`,
    );
  }
  const collect = garbageEvery(64 * 1024 * 1024);
  const iterator = source.batches({
    ...(maxRows !== undefined ? { maxRows: maxRows + 3 } : {}),
    onBytes: (bytes) => {
      options.onProgress?.(bytes, source.size, `Reading ${display}`);
      collect(bytes);
    },
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  // Halves are worth it only on a second thread (tasks run inline when there is none).
  const threaded = options.parallel && maxRows === undefined ? await options.parallel.pool.threaded() : false;
  // A file large enough for halves: the worker loads its reader while this thread reads the header.
  if (threaded && source.size >= (options.parallel!.minBytes ?? PARALLEL_MIN_BYTES)) void options.parallel!.pool.run('loadSurveyReader', undefined).catch(() => {});
  const consume = async (batch: RowBatch, from: number): Promise<void> => {
    sink!.consume(batch, from);
    if (options.checkpoint) await options.checkpoint();
  };

  for await (const batch of iterator) {
    let start = 0;
    if (headerRows === 0 && heads.length === 0) {
      // The header rows must all be in hand before we know the format; they are in the first batch
      // except in a file of only a few rows split oddly, which we then gather first.
      pending = pending ? { rows: [...pending.rows, ...batch.rows], lines: [...pending.lines, ...batch.lines] } : batch;
      if (pending.rows.length < 4 && batch.rows.length > 0) continue;
      const b = pending;
      pending = null;
      format = formatFor(format, b, plain, display, file, warnings);
      headerRows = headerRowsOf(format);
      if (b.rows.length < headerRows) break;
      for (let r = 0; r < headerRows; r++) headerText.push(b.rows[r]!);
      heads = columnHeads(format, headerText);
      width = Math.max(...headerText.map((row) => row.length));
      const capacity = expectedRows(b, source.size);
      plan = maxRows === undefined ? dataPlan(source, options, b, headerRows, capacity, threaded === true) : null;
      // With halves, this thread's columns are made for the whole file: the worker's rows are appended in place.
      const utf8 = source.encoding.encoding === 'utf-8';
      sink = new RowSink(heads, width, capacity, display, file, plan !== null && utf8, cellDecoder(source.encoding.encoding) ?? decodeUtf8);
      if (plan && (plan.halves || bytesReadable(source, sink, options))) break;
      plan = null;
      start = headerRows;
      await consume(b, start);
      continue;
    }
    await consume(batch, 0);
  }
  if (plan?.halves) await readInHalves(source, plan, sink!, options, display);
  else if (plan) {
    await readRange(source, sink!, { start: plan.dataStart, end: source.size, firstLine: plan.dataLine }, {
      onBytes: (bytes) => options.onProgress?.(bytes, source.size, `Reading ${display}`),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      ...(options.parser ? { parser: options.parser } : {}),
    });
  }
  if (pending) {
    format = formatFor(format, pending, plain, display, file, warnings);
    headerRows = headerRowsOf(format);
    if (pending.rows.length >= headerRows) {
      for (let r = 0; r < headerRows; r++) headerText.push(pending.rows[r]!);
      heads = columnHeads(format, headerText);
      width = Math.max(...headerText.map((row) => row.length));
      sink = new RowSink(heads, width, 1024, display, file);
      await consume(pending, headerRows);
    }
  }
  if (!format || heads.length === 0 || !sink) {
    throw new FieldbookError('PARSE_ERROR', `${display} has no header row with column names: there is nothing to import.`, { file });
  }
  const { rowCount, firstRows, accs } = sink;
  const rowLines = sink.rowLines;
  if (rowCount === 0 && maxRows === undefined) {
    throw new FieldbookError('PARSE_ERROR', `${display} has column names but no answers (no rows after the ${headerRows === 1 ? 'header row' : `${headerRows} header rows`}).`, {
      file,
    });
  }

  keepUnnamedLast(heads, accs, warnings);
  options.onProgress?.(source.size, source.size, `Read ${rowCount} rows; working out question types`);
  const built = await buildVariables(format, heads, accs, rowCount, options.overrides, (row) => rowLines[row] ?? 0, display, file, options.checkpoint);
  // The text columns were just decoded from their bytes, and columns that gave up a form left its
  // array behind: a large file's garbage is collected now, before the importer adds its own.
  if (rowCount >= LARGE_READ_ROWS) collectGarbage();
  const survey: ParsedSurvey = {
    format,
    encoding: source.encoding.encoding,
    headerRows,
    rowCount,
    variables: built.variables,
    warnings: [...warnings, ...built.warnings],
  };
  return {
    survey,
    columns: built.columns,
    headerText,
    firstRows,
    encodingReason: source.encoding.reason,
    delimiter: source.delimiter,
    sheets: source.sheets ?? [],
    sheet: source.sheet ?? null,
    truncated: maxRows !== undefined && rowCount >= maxRows,
    fromBytes: sink.fromBytes,
  };
}

/** Rows of a delimited file turned into column accumulators: the whole file, or one range of it. */
export class RowSink implements ByteRowSink {
  rowLines = new Int32Array(1024);
  rowCount = 0;
  firstRows: string[][] = [];
  accs: ColumnAccumulator[];
  readonly targets: Int32Array;
  /** The rows came from readDelimitedBytes. */
  fromBytes = false;

  constructor(
    readonly heads: ColumnHead[],
    readonly width: number,
    private readonly capacity: number,
    private readonly display: string,
    private readonly file: string,
    /** Plain-text columns as UTF-8 bytes (read from a UTF-8 file's bytes: see ColumnAccumulator). */
    private readonly textAsBytes = false,
    /** How a cell read from the bytes is decoded (the file's encoding). */
    readonly decode: CellDecoder = decodeUtf8,
  ) {
    this.accs = heads.map(() => new ColumnAccumulator(capacity, textAsBytes, decode));
    this.targets = new Int32Array(width).fill(-1);
    heads.forEach((head, c) => {
      if (head.index < width && this.targets[head.index] === -1) this.targets[head.index] = c;
    });
  }

  /** Each column is fed by its own cell, so a row's cells can go straight to their columns. */
  get oneCellEach(): boolean {
    return this.heads.every((head, c) => this.targets[head.index] === c);
  }

  /** Back to no rows (the range is read again another way). */
  reset(): void {
    this.accs = this.heads.map(() => new ColumnAccumulator(this.capacity, this.textAsBytes, this.decode));
    this.rowLines = new Int32Array(1024);
    this.rowCount = 0;
    this.firstRows = [];
  }

  addRow(line: number): void {
    if (this.rowCount >= this.rowLines.length) {
      const bigger = new Int32Array(this.rowLines.length * 2);
      bigger.set(this.rowLines);
      this.rowLines = bigger;
    }
    this.rowLines[this.rowCount++] = line;
  }

  wantsRows(): boolean {
    return this.firstRows.length < 20;
  }

  keepRow(row: string[]): void {
    this.firstRows.push(row);
  }

  consume(batch: RowBatch, from: number): void {
    const { rows, lines } = batch;
    const { heads, width, accs } = this;
    for (let r = from; r < rows.length; r++) {
      const row = rows[r]!;
      if (row.length !== width) {
        // A trailing delimiter adds one empty cell; anything else is a broken row.
        const tolerable = row.length > width && row.slice(width).every((c) => c === '');
        if (!tolerable) {
          const line = lines[r]!;
          throw new FieldbookError(
            'PARSE_ERROR',
            `${this.display}, line ${line}: this row has ${row.length} cells but the header has ${width}. A delimiter or quote is probably missing or extra.`,
            { file: this.file, line, record: this.rowCount + 1 },
          );
        }
      }
      this.addRow(lines[r]!);
      if (this.wantsRows()) this.keepRow(row);
      for (let c = 0; c < heads.length; c++) accs[c]!.push(row[heads[c]!.index]);
    }
  }
}

/** Whether the data rows can be read from the bytes (readDelimitedBytes): UTF-8 or a one-byte encoding, one-byte delimiter, LF or CRLF. */
function bytesReadable(source: TableSource, sink: RowSink, options: { parser?: 'auto' | 'text' }): boolean {
  return (
    options.parser !== 'text' &&
    source.kind !== 'xlsx' &&
    asciiSafe(source.encoding.encoding) &&
    (source.newline === '\n' || source.newline === '\r\n') &&
    source.delimiter.length === 1 &&
    source.delimiter.charCodeAt(0) < 0x80 &&
    source.delimiter !== '"' &&
    sink.oneCellEach
  );
}

/**
 * Reads the data rows in [start, end) into an empty sink: from the bytes when the file allows,
 * else with the text parser, which also takes over when the bytes turn out irregular (and then
 * either reads them or names the damage). Returns the line after the last row.
 */
async function readRange(
  source: TableSource,
  sink: RowSink,
  range: { start: number; end: number; firstLine: number },
  hooks: {
    onBytes?: (bytes: number) => void;
    checkpoint?: () => Promise<void>;
    parser?: 'auto' | 'text';
    /** The range must end at a row boundary, which the bytes reader checks: IrregularCsv goes to the caller. */
    exactEnd?: boolean;
  },
): Promise<number> {
  if (sink.rowCount === 0 && bytesReadable(source, sink, hooks)) {
    try {
      const delimiter = source.delimiter.charCodeAt(0);
      const next = await readDelimitedBytes({ file: source.file, ...range, delimiter, crlf: source.newline === '\r\n' }, sink, hooks);
      sink.fromBytes = true;
      return next;
    } catch (error) {
      if (!(error instanceof IrregularCsv) || hooks.exactEnd) throw error;
      sink.reset();
    }
  }
  return readText(source, sink, range, hooks);
}

async function readText(
  source: TableSource,
  sink: RowSink,
  range: { start: number; end: number; firstLine: number },
  hooks: { onBytes?: (bytes: number) => void; checkpoint?: () => Promise<void> },
): Promise<number> {
  let next = range.firstLine;
  const collect = garbageEvery(64 * 1024 * 1024);
  for await (const batch of source.batches({
    start: range.start,
    ...(range.end < source.size ? { end: range.end } : {}),
    firstLine: range.firstLine,
    onBytes: (bytes) => {
      hooks.onBytes?.(bytes);
      collect(bytes);
    },
    onEnd: (line) => (next = line),
    ...(hooks.checkpoint ? { checkpoint: hooks.checkpoint } : {}),
  })) {
    sink.consume(batch, 0);
    if (hooks.checkpoint) await hooks.checkpoint();
  }
  return next;
}

/** What a worker sends back for the second half of a file (accumulator arrays are transferred). */
export interface PartResult {
  states: AccumulatorState[];
  rowLines: Int32Array;
  rowCount: number;
}

export interface PartRequest {
  file: string;
  encoding: string;
  delimiter: string;
  start: number;
  heads: ColumnHead[];
  width: number;
  capacity: number;
  parser?: 'auto' | 'text';
}

/** The worker's side: reads rows from `start` to the end of the file; lines count from 1 there. */
export async function readDelimitedPart(request: PartRequest): Promise<PartResult> {
  const source = openDelimited(request.file, { encoding: request.encoding, delimiter: request.delimiter });
  const display = path.basename(request.file);
  const utf8 = request.encoding === 'utf-8';
  const sink = new RowSink(request.heads, request.width, request.capacity, display, request.file, utf8, cellDecoder(request.encoding) ?? decodeUtf8);
  await readRange(source, sink, { start: request.start, end: source.size, firstLine: 1 }, request.parser ? { parser: request.parser } : {});
  return { states: sink.accs.map((acc) => acc.state()), rowLines: sink.rowLines.slice(0, sink.rowCount), rowCount: sink.rowCount };
}

/** The byte just past the first line break at or after `from` (within 1 MB), or -1. */
function lineBreakAfter(file: string, from: number, newlineCode: number): number {
  const fd = fs.openSync(file, 'r');
  try {
    const window = Buffer.allocUnsafe(1024 * 1024);
    const read = fs.readSync(fd, window, 0, window.length, from);
    const at = window.subarray(0, read).indexOf(newlineCode);
    return at < 0 ? -1 : from + at + 1;
  } finally {
    fs.closeSync(fd);
  }
}

interface DataPlan {
  /** The byte and line where the data rows start. */
  dataStart: number;
  dataLine: number;
  capacity: number;
  /** Read in two halves at once (a worker reads the second). */
  halves: boolean;
}

/**
 * Where the data rows start, when the header rows are plain lines (so the byte after them is
 * known), or null to read the file in one pass with the text parser. `halves` when the file is
 * large and a second thread is there.
 */
function dataPlan(source: TableSource, options: ReadOptions, first: RowBatch, headerRows: number, capacity: number, threaded: boolean): DataPlan | null {
  if (source.kind === 'xlsx' || source.newlineCode === undefined) return null;
  const dataLine = first.lines[headerRows];
  if (dataLine === undefined) return null;
  // Header rows as physical lines: with a blank line among them, rows and line ends part ways.
  let headerLines = 0;
  for (let r = 0; r < headerRows; r++) for (const cell of first.rows[r]!) headerLines += cell.split('\n').length - 1;
  if (dataLine !== headerRows + headerLines + 1) return null;
  if (!asciiSafe(source.encoding.encoding)) return null;
  const dataStart = rowBoundaryAfter(source.file, source.encoding.bomLength, 0, headerRows, source.newlineCode);
  if (dataStart < 0) return null;
  const parallel = options.parallel;
  const halves = threaded && parallel !== undefined && source.size >= (parallel.minBytes ?? PARALLEL_MIN_BYTES);
  return { dataStart, dataLine, capacity, halves };
}

/**
 * Reads the data rows in two halves at once: a worker thread reads from the row boundary nearest
 * the middle to the end, while this thread reads the first half. The worker's columns are then
 * appended to ours; its lines, counted from its own start, are shifted to the file's. If the worker
 * fails (a broken row in the second half), the second half is read again here, so the message
 * names the right line, exactly as a single pass would.
 */
async function readInHalves(source: TableSource, plan: DataPlan, sink: RowSink, options: ReadOptions, display: string): Promise<void> {
  // Half each: the worker starts a little later, but this thread reads its first blocks before
  // they are optimised, and merging is its work too.
  const middle = plan.dataStart + Math.floor((source.size - plan.dataStart) * FIRST_SHARE);
  // From the bytes, this thread's reading proves a guessed cut (its rows must end exactly there),
  // so the cut need not be found by counting every quote before the middle (0.3 s for 500 MB).
  const guessed = bytesReadable(source, sink, options);
  const cut = guessed ? lineBreakAfter(source.file, middle, source.newlineCode!) : rowBoundaryAfter(source.file, plan.dataStart, middle, 1, source.newlineCode!);
  const pool = options.parallel!.pool;
  const second =
    cut > 0 && cut < source.size
      ? pool.run('readSurveyPart', {
          file: source.file,
          encoding: source.encoding.encoding,
          delimiter: source.delimiter,
          start: cut,
          heads: sink.heads,
          width: sink.width,
          capacity: Math.ceil(plan.capacity * (1 - FIRST_SHARE) * 1.05) + 1024,
          ...(options.parser ? { parser: options.parser } : {}),
        })
      : null;
  second?.catch(() => {});
  // Let the task go out before this thread starts reading: its first block, not yet optimised,
  // would otherwise hold it back 0.15 s.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const half = cut > 0 ? cut : source.size;
  const hooks = {
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(options.parser ? { parser: options.parser } : {}),
  };
  let nextLine: number;
  try {
    nextLine = await readRange(source, sink, { start: plan.dataStart, end: half, firstLine: plan.dataLine }, {
      ...hooks,
      // The worker reads the other half at about the same pace.
      onBytes: (bytes) => options.onProgress?.(Math.min(source.size, plan.dataStart + (bytes - plan.dataStart) * 2), source.size, `Reading ${display}`),
      exactEnd: guessed && second !== null,
    });
  } catch (error) {
    if (!(error instanceof IrregularCsv)) throw error;
    // The guessed cut fell inside a quoted cell (or the file is irregular): one pass here instead.
    sink.reset();
    await readRange(source, sink, { start: plan.dataStart, end: source.size, firstLine: plan.dataLine }, {
      ...hooks,
      onBytes: (bytes) => options.onProgress?.(bytes, source.size, `Reading ${display}`),
    });
    return;
  }
  if (!second) return;
  let part: PartResult;
  try {
    part = await second;
  } catch {
    // The rows so far stay: the text parser reads on from the cut and names the broken line.
    await readRange(source, sink, { start: cut, end: source.size, firstLine: nextLine }, options.checkpoint ? { checkpoint: options.checkpoint } : {});
    return;
  }
  // The worker's rows are all here now: end it, so its heap does not add to ours while we merge.
  options.parallel!.pool.retireIdle();
  const offset = nextLine - 1;
  const states: (AccumulatorState | null)[] = part.states;
  states.forEach((state, c) => {
    sink.accs[c]!.append(ColumnAccumulator.fromState(state!));
    // Each half column goes as soon as it is merged.
    states[c] = null;
  });
  const lines = new Int32Array(sink.rowCount + part.rowCount);
  lines.set(sink.rowLines.subarray(0, sink.rowCount));
  for (let r = 0; r < part.rowCount; r++) lines[sink.rowCount + r] = part.rowLines[r]! + offset;
  sink.rowLines = lines;
  sink.rowCount += part.rowCount;
  // Both halves' arrays were copied into whole columns: let them go before the next stage grows.
  collectGarbage();
}

interface Built {
  variables: ParsedVariable[];
  columns: SourceColumn[];
  warnings: string[];
}

/**
 * The nameless last column: dropped when empty (a trailing delimiter), kept with a warning when it
 * holds answers, so no data goes missing because its header cell was left blank.
 */
function keepUnnamedLast(heads: ColumnHead[], accs: ColumnAccumulator[], warnings: string[]): void {
  const at = heads.findIndex((h) => h.unnamedLast);
  if (at < 0) return;
  const head = heads[at]!;
  delete head.unnamedLast;
  if (accs[at]!.nonEmpty === 0) {
    heads.splice(at, 1);
    accs.splice(at, 1);
    return;
  }
  warnings.push(`The last column (column ${head.index + 1}) has no name in the header row but holds answers: it is kept as ${head.name}.`);
}

/** How many rows a loop takes between two cancellation checkpoints. */
const ROWS_PER_CHECKPOINT = 65_536;

async function buildVariables(
  format: CsvFormat,
  heads: ColumnHead[],
  accs: ColumnAccumulator[],
  rowCount: number,
  overrides: ReadOverrides | undefined,
  lineOf: (row: number) => number,
  display: string,
  file: string,
  checkpoint?: () => Promise<void>,
): Promise<Built> {
  const variables: ParsedVariable[] = [];
  const columns: SourceColumn[] = [];
  const warnings: string[] = [];
  const forcedType = (name: string): VariableType | undefined => {
    if (overrides?.idColumn === name) return 'id';
    if (overrides?.weightColumn === name) return 'weight';
    return overrides?.types?.[name];
  };
  checkOverrideColumns(heads, overrides, display, file);
  applyGroupOverrides(heads, overrides);
  markOtherText(heads, accs, format, rowCount, overrides);

  // Columns of one option each: a cluster whose every column holds at most one distinct answer.
  const clusterOf = (h: ColumnHead) => h.cluster ?? h.group;
  const multiClusters = new Map<string, string>();
  const matrixReasons = new Map<string, string>();
  const clusters = new Map<string, number[]>();
  heads.forEach((h, i) => {
    const key = clusterOf(h);
    if (!key || h.textFor || h.hint) return;
    const list = clusters.get(key) ?? [];
    list.push(i);
    clusters.set(key, list);
  });
  for (const [key, members] of clusters) {
    if (members.length < 2) continue;
    const forced = members.map((i) => forcedType(heads[i]!.name));
    if (forced.some((t) => t && t !== 'multi')) continue;
    if (forced.every((t) => t === 'multi')) {
      multiClusters.set(key, 'multi-select: chosen by you');
      continue;
    }
    const verdict = multiSelectCluster(members, heads, accs, rowCount);
    if (verdict?.multi) multiClusters.set(key, verdict.reason);
    else if (verdict) matrixReasons.set(key, verdict.reason);
  }
  // A group guessed from a blank header name stands only as a multi-select.
  for (const head of heads) {
    if (!head.tentative) continue;
    const key = clusterOf(head);
    if (key && multiClusters.has(key)) continue;
    delete head.group;
    delete head.groupLabel;
    delete head.tentative;
    if (head.textFor) {
      delete head.textFor;
      delete head.hint;
      delete head.hintReason;
    }
  }
  checkGroupLabels(new Set(heads.map((h) => h.group).filter((g): g is string => g !== undefined)), overrides, display, file);
  // Per cluster: which rows answered none of its options (not asked or skipped: missing, not "no").
  // A written "other" answer is an answer to the question.
  const noneAnswered = new Map<string, Uint8Array>();
  for (const key of multiClusters.keys()) {
    const none = new Uint8Array(rowCount).fill(1);
    const written = heads.flatMap((h, i) => (h.textFor && h.group === key && !h.cluster ? [i] : []));
    for (const i of [...clusters.get(key)!, ...written]) {
      const vals = accs[i]!.values();
      for (let r = 0; r < rowCount; r++) if (vals[r] !== null) none[r] = 0;
    }
    noneAnswered.set(key, none);
  }

  // Decide every column first, so the rows of one matrix question can share one set of labels.
  const decisions = heads.map((head, i) => {
    const cluster = clusterOf(head);
    if (cluster && multiClusters.has(cluster) && !head.textFor && !head.hint) return null;
    return decideType(head, accs[i]!, format, forcedType(head.name));
  });
  for (const [key, members] of clusters) {
    const matrix = matrixReasons.get(key);
    if (matrix) for (const i of members) if (decisions[i] && !forcedType(heads[i]!.name)) decisions[i]!.reason += `; ${matrix}`;
    const choice = members.filter((i) => {
      const d = decisions[i];
      return d && (d.type === 'single' || d.type === 'ordinal') && !accs[i]!.isNumeric;
    });
    if (choice.length < 2) continue;
    const union = new Set<string>();
    for (const i of choice) for (const v of accs[i]!.distinct()?.keys() ?? []) union.add(v);
    const values = [...union];
    const scale = scaleOf(values);
    const labels = labelsFor(scale?.order ?? values.sort(naturalCompare));
    const shared = `one row of a matrix of ${choice.length}, sharing one set of answers`;
    const reason = scale ? `${scaleReason(scale, labels)}; ${shared}` : `single choice: ${labels.length} different answers${flagsReason(labels)}; ${shared}`;
    for (const i of choice) decisions[i] = { type: scale ? 'ordinal' : decisions[i]!.type, labels, reason: forcedType(heads[i]!.name) ? 'chosen by you' : reason };
  }
  // The user's order of the answers.
  heads.forEach((head, i) => {
    const decision = decisions[i];
    const order = overrides?.order?.[head.name];
    if (decision && order) decision.labels = reorderLabels(decision.labels, order, !accs[i]!.isNumeric);
  });

  for (let i = 0; i < heads.length; i++) {
    if (checkpoint) await checkpoint();
    const head = heads[i]!;
    const acc = accs[i]!;
    const label = overrides?.labels?.[head.name] ?? head.label;
    const groupLabel = (group: string | undefined, fallback: string | undefined) => (group !== undefined ? overrides?.groupLabels?.[group] : undefined) ?? fallback;
    const notes = overrideNotes(head.name, overrides);
    const base = {
      name: head.name,
      label,
      ...(head.group ? { questionGroup: head.group } : {}),
      ...(head.group && groupLabel(head.group, head.groupLabel) ? { groupLabel: groupLabel(head.group, head.groupLabel)! } : {}),
      ...(head.optionLabel ? { optionLabel: head.optionLabel } : {}),
      missing: { values: [] },
      meta: {
        source: head.name,
        ...(head.importId ? { importId: head.importId } : {}),
        ...(head.textFor ? { textFor: head.textFor } : {}),
      },
    };
    const cluster = clusterOf(head);
    if (cluster && multiClusters.has(cluster) && !head.textFor && !head.hint) {
      const none = noneAnswered.get(cluster)!;
      const vals = acc.values();
      const out = new Float64Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const cell = vals[r];
        out[r] = none[r] ? Number.NaN : cell !== null && cell !== undefined && !NOT_CHOSEN.has(cell) ? 1 : 0;
      }
      // The option's own text when the column holds it (SurveyMonkey), else the column's label:
      // a mark every option shares ("1", "yes", "x") names none of them.
      const chosen = chosenMark(acc);
      const shared = clusters.get(cluster)!.filter((k) => k !== i).some((k) => chosenMark(accs[k]!) === chosen);
      const optionLabel = head.optionLabel ?? (chosen && chosen !== '1' && !shared ? chosen : head.label);
      const group = head.group ?? cluster;
      variables.push({
        ...base,
        optionLabel,
        groupLabel: groupLabel(group, head.groupLabel ?? head.label)!,
        questionGroup: group,
        type: 'multi',
        valueLabels: [
          { code: 0, label: 'Not selected' },
          { code: 1, label: 'Selected' },
        ],
        values: { kind: 'number', values: out },
      });
      columns.push(sourceColumn(variables[variables.length - 1]!, acc, `${multiClusters.get(cluster)!}${notes}`));
      continue;
    }
    const decision = decisions[i]!;
    if (decision.type === 'multi') {
      // One cell holding several answers: one 0/1 variable per option.
      const packed = decision.packed ?? packedOptions(acc.distinct() ?? new Map(acc.values().filter((v): v is string => v !== null).map((v) => [v, 1])), format);
      const options = decision.labels.length ? decision.labels.map((l) => l.label) : (packed?.options ?? []);
      const separator = packed?.separator ?? /,\s*/;
      const known = new Set(options);
      const index = new Map(options.map((o, k) => [o, k]));
      const outs = options.map(() => new Float64Array(rowCount));
      const vals = acc.values();
      for (let r = 0; r < rowCount; r++) {
        if (checkpoint && r % ROWS_PER_CHECKPOINT === ROWS_PER_CHECKPOINT - 1) await checkpoint();
        const v = vals[r];
        if (v === null || v === undefined) {
          for (const o of outs) o[r] = Number.NaN;
          continue;
        }
        for (const piece of splitPacked(v, known, separator)) {
          const k = index.get(piece);
          if (k !== undefined) outs[k]![r] = 1;
        }
      }
      const group = overrides?.groups?.[head.name] || head.name;
      options.forEach((option, k) => {
        variables.push({
          ...base,
          name: `${head.name}_${k + 1}`,
          questionGroup: group,
          groupLabel: groupLabel(group, label)!,
          optionLabel: option,
          type: 'multi',
          valueLabels: [
            { code: 0, label: 'Not selected' },
            { code: 1, label: 'Selected' },
          ],
          values: { kind: 'number', values: outs[k]! },
        });
      });
      const reason = decision.reason === 'chosen by you' && packed ? `multi-select: chosen by you (${options.length} options in comma-joined lists)` : decision.reason;
      columns.push(sourceColumn({ ...base, type: 'multi', valueLabels: labelsFor(options), values: { kind: 'number', values: new Float64Array() } }, acc, `${reason}${notes}`));
      continue;
    }
    let variable: ParsedVariable;
    let reason = decision.reason;
    try {
      variable = materialize(head, acc, decision, base, rowCount, lineOf, display, file);
    } catch (error) {
      // A type we guessed from a sample that a later answer contradicts: keep the answers as text.
      if (forcedType(head.name) || decision.type !== 'date') throw error;
      variable = materialize(head, acc, { type: 'text', labels: [], reason: '' }, base, rowCount, lineOf, display, file);
      reason = 'open text: looked like dates, but not every answer is one';
      warnings.push(`${head.name} looked like dates but is not all dates; it was kept as text.`);
    }
    const missing = overrides?.missing?.[head.name];
    if (missing && (variable.type === 'numeric' || variable.type === 'weight')) variable.missing = numericMissing(head.name, missing, display, file);
    else variable.valueLabels = flagLabels(variable.valueLabels, missing, overrides?.nonsubstantive?.[head.name]);
    variables.push(variable);
    columns.push(sourceColumn(variable, acc, `${reason}${notes}`));
  }

  // Variable names must be unique once multi-selects are split ("Q3_1" may already exist).
  const seen = new Set<string>();
  for (const v of variables) {
    let name = v.name;
    let n = 2;
    while (seen.has(name.toLowerCase())) name = `${v.name}_${n++}`;
    if (name !== v.name) warnings.push(`Column ${v.name} appears twice; the second is named ${name}.`);
    v.name = name;
    seen.add(name.toLowerCase());
  }
  return { variables, columns, warnings };
}

/** The answer a one-column-per-option column holds when chosen, or undefined. */
function chosenMark(acc: ColumnAccumulator): string | undefined {
  return acc.samples(3).find((x) => !NOT_CHOSEN.has(x));
}

/**
 * In a group the header layout only suggests (SurveyMonkey with one header row, blank names), the
 * last column may hold the written answers of "Other (please specify)": it becomes open text tied
 * to the question, when the other columns are then one multi-select.
 */
function markOtherText(heads: ColumnHead[], accs: ColumnAccumulator[], format: CsvFormat, rowCount: number, overrides: ReadOverrides | undefined): void {
  const groups = new Map<string, number[]>();
  heads.forEach((h, i) => {
    if (!h.group || h.textFor || h.hint || h.cluster || !(h.tentative || format === 'surveymonkey-flat')) return;
    if (overrides?.types?.[h.name] || overrides?.groups?.[h.name] !== undefined) return;
    const list = groups.get(h.group) ?? [];
    list.push(i);
    groups.set(h.group, list);
  });
  for (const [group, members] of groups) {
    const last = otherTextMember(members, accs);
    if (last === null || !multiSelectCluster(members.slice(0, -1), heads, accs, rowCount)?.multi) continue;
    const head = heads[last]!;
    head.hint = 'text';
    head.hintReason = 'written answers beside one-option columns: "Other (please specify)"';
    head.textFor = group;
    head.optionLabel ??= 'Other (written in)';
  }
}

function sourceColumn(v: Omit<ParsedVariable, 'values'> & { values: ParsedVariable['values'] }, acc: ColumnAccumulator, reason: string): SourceColumn {
  return {
    name: typeof v.meta?.source === 'string' ? v.meta.source : v.name,
    label: v.label,
    type: v.type,
    ...(v.questionGroup ? { questionGroup: v.questionGroup } : {}),
    ...(v.groupLabel ? { groupLabel: v.groupLabel } : {}),
    ...(v.optionLabel ? { optionLabel: v.optionLabel } : {}),
    valueLabels: v.valueLabels,
    samples: acc.samples(5),
    nonEmpty: acc.nonEmpty,
    reason,
  };
}

function cannotHold(display: string, file: string, head: ColumnHead, type: string, row: number, line: number, value: string): FieldbookError {
  return new FieldbookError(
    'PARSE_ERROR',
    `${display}, line ${line}, column ${head.index + 1} (${head.name}): "${value.length > 40 ? `${value.slice(0, 40)}…` : value}" is not ${type}. Choose another type for ${head.name}, or fix the file.`,
    { file, line, column: head.index + 1, record: row + 1, field: head.name },
  );
}

function materialize(
  head: ColumnHead,
  acc: ColumnAccumulator,
  decision: Decision,
  base: Omit<ParsedVariable, 'type' | 'valueLabels' | 'values'>,
  rowCount: number,
  lineOf: (row: number) => number,
  display: string,
  file: string,
): ParsedVariable {
  const { type } = decision;
  if (type === 'numeric' || type === 'weight') {
    let nums = acc.numbers();
    if (!nums) {
      const vals = acc.values();
      nums = new Float64Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const v = vals[r];
        if (v === null || v === undefined) {
          nums[r] = Number.NaN;
          continue;
        }
        const n = parseNumber(v);
        if (Number.isNaN(n)) throw cannotHold(display, file, head, 'a number', r, lineOf(r), v);
        nums[r] = n;
      }
    }
    if (type === 'weight') {
      for (let r = 0; r < rowCount; r++) {
        if (nums[r]! < 0) throw cannotHold(display, file, head, 'a weight (weights cannot be negative)', r, lineOf(r), String(nums[r]));
      }
    }
    // A view, not a copy: the accumulator is gone after reading, its array lives on here.
    return { ...base, type, valueLabels: [], values: { kind: 'number', values: nums } };
  }
  if (type === 'date') {
    const dates = acc.dateValues();
    if (dates && acc.isDates) return { ...base, type, valueLabels: [], values: { kind: 'number', values: dates } };
    const vals = acc.values();
    const out = new Float64Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      const v = vals[r];
      if (v === null || v === undefined) {
        out[r] = Number.NaN;
        continue;
      }
      const t = parseDate(v);
      if (Number.isNaN(t)) throw cannotHold(display, file, head, 'a date', r, lineOf(r), v);
      out[r] = t;
    }
    return { ...base, type, valueLabels: [], values: { kind: 'number', values: out } };
  }
  if (type === 'single' || type === 'ordinal') {
    if (acc.isNumeric) {
      const nums = acc.numbers()!;
      for (let r = 0; r < rowCount; r++) {
        const x = nums[r]!;
        if (!Number.isNaN(x) && !Number.isInteger(x)) throw cannotHold(display, file, head, 'a whole-number answer code', r, lineOf(r), String(x));
      }
      return { ...base, type, valueLabels: decision.labels, values: { kind: 'number', values: nums } };
    }
    const labels = decision.labels.length ? decision.labels : labelsFromValues(acc, acc.distinct() ? [...acc.distinct()!.keys()] : null, type);
    if (labels.length > 5000) {
      throw new FieldbookError('PARSE_ERROR', `${display}, column ${head.index + 1} (${head.name}) has ${labels.length} different answers: too many for a choice question. Import it as text.`, {
        file,
        column: head.index + 1,
        field: head.name,
      });
    }
    const valueLabels = labels.map((l) => ({ ...flagsOf(l.label), ...l }));
    // Answers become their label's code here, from the dictionary, so no string per respondent is made.
    const codeOfLabel = new Map(valueLabels.map((l) => [l.label, l.code]));
    const allNumeric = valueLabels.every((l) => typeof l.code === 'number');
    const table = allNumeric ? acc.codeTable((value) => (codeOfLabel.get(value) as number | undefined) ?? Number.NaN) : null;
    if (table && acc.coveredBy(table)) return withLazyCodes({ ...base, type, valueLabels }, acc, table);
    return { ...base, type, valueLabels, values: { kind: 'string', values: acc.values() } };
  }
  if (type === 'id') {
    const vals = acc.values();
    const duplicate = firstDuplicate(vals, rowCount);
    if (duplicate) {
      const [earlier, r] = duplicate;
      const line = lineOf(r);
      throw new FieldbookError(
        'CONFLICT',
        `${display}, line ${line}: respondent id "${vals[r]}" in ${head.name} was already used on line ${lineOf(earlier)}. Respondent ids must be unique; choose another id column or fix the file.`,
        { file, line, column: head.index + 1, record: r + 1, field: head.name, firstLine: lineOf(earlier) },
      );
    }
    return { ...base, type, valueLabels: [], values: { kind: 'string', values: vals } };
  }
  return { ...base, type, valueLabels: [], values: { kind: 'string', values: acc.values() } };
}

/**
 * The first row whose value an earlier row already had, as [earlier row, row], or null. A table of
 * our own string hashes (typed arrays) instead of a Map of a million ids: no entry objects, and
 * strings are compared only when their hashes meet.
 */
export function firstDuplicate(values: (string | null)[], rowCount: number): [number, number] | null {
  // Ids in increasing order (as many exports number them) are all different: no table needed.
  let previous: string | null = null;
  let increasing = true;
  for (let r = 0; r < rowCount && increasing; r++) {
    const v = values[r];
    if (v === null || v === undefined) continue;
    if (previous !== null && !(previous < v)) increasing = false;
    previous = v;
  }
  if (increasing) return null;
  let size = 1024;
  while (size < rowCount * 2) size *= 2;
  const mask = size - 1;
  const rows = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(size);
  for (let r = 0; r < rowCount; r++) {
    const v = values[r];
    if (v === null || v === undefined) continue;
    let h = 0x811c9dc5;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    let slot = h & mask;
    for (;;) {
      const other = rows[slot]!;
      if (other < 0) {
        rows[slot] = r;
        hashes[slot] = h;
        break;
      }
      if (hashes[slot] === h && values[other] === v) return [other, r];
      slot = (slot + 1) & mask;
    }
  }
  return null;
}

/**
 * A choice variable whose answer codes are made from the dictionary when first read, not now: the
 * import reads one variable's values at a time, encodes them and lets them go, so a 1M-row survey
 * never holds all its choice columns as 8-byte codes at once (31 columns: 250 MB less at the
 * peak). Assigning `values` replaces them (and lets the dictionary go).
 */
function withLazyCodes(variable: Omit<ParsedVariable, 'values'>, acc: ColumnAccumulator, table: Float64Array): ParsedVariable {
  let source: ColumnAccumulator | null = acc;
  let values: RawValues | null = null;
  const lazy = variable as ParsedVariable;
  Object.defineProperty(lazy, 'values', {
    enumerable: true,
    configurable: true,
    get(): RawValues {
      if (!values) {
        // A byte per answer when the codes allow (the importer codes them from the bytes, and makes
        // no 8-byte numbers); the numbers themselves otherwise.
        const bytes = source!.codeBytes(table);
        values = bytes ? byteCodedNumbers(bytes) : { kind: 'number', values: source!.codesFrom(table) };
      }
      source = null;
      return values;
    },
    set(next: RawValues) {
      values = next;
      source = null;
    },
  });
  return lazy;
}
