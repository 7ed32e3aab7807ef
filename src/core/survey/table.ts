import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { FieldbookError } from '../../shared/errors';
import { chooseEncoding, createDecoder, type DetectedEncoding } from './encoding';

/** Rows of cells as read, with the 1-based line each row starts on (for error messages). */
export interface RowBatch {
  rows: string[][];
  lines: number[];
}

/** A file seen as a table of text cells, read batch by batch so a 500 MB file never sits in memory. */
export interface TableSource {
  kind: 'csv' | 'tsv' | 'xlsx';
  file: string;
  encoding: DetectedEncoding;
  delimiter: string;
  /** Sheet names (xlsx) and the one being read. */
  sheets?: string[];
  sheet?: string;
  /** Size in bytes, for progress. */
  size: number;
  batches(options?: BatchOptions): AsyncGenerator<RowBatch>;
  /** Delimited text only: the byte at which a line ends, '\n' (also for CRLF) or '\r'. */
  newlineCode?: number;
  /** Delimited text only: the line break the file uses. */
  newline?: '\r\n' | '\n' | '\r';
  /** What the opening found that the user should hear about (an Excel formula with no saved result). */
  warnings?: string[];
}

export interface BatchOptions {
  maxRows?: number;
  onBytes?: (bytes: number) => void;
  /** Read only the bytes [start, end): a range of whole rows (see rowBoundaryAfter). */
  start?: number;
  end?: number;
  /** The file line the range starts on (for messages). */
  firstLine?: number;
  /** Called at the end with the line after the last one read. */
  onEnd?: (nextLine: number) => void;
  /** Awaited while a long row is still being gathered: lets a cancel arrive. */
  checkpoint?: () => Promise<void>;
}

const SAMPLE_BYTES = 64 * 1024;
// Small chunks: the rows parsed from one chunk die young (cheap minor GCs) instead of being promoted.
const CHUNK_BYTES = 512 * 1024;

export type FileKind = 'text' | 'xlsx' | 'sav' | 'zsav' | 'por' | 'xls' | 'binary';

/** What the file is, by its first bytes (the extension only breaks ties). */
export function sniffFileKind(file: string): FileKind {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(512);
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const bytes = head.subarray(0, read);
  const ascii = bytes.subarray(0, 4).toString('latin1');
  if (ascii === '$FL2') return 'sav';
  if (ascii === '$FL3') return 'zsav';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  if (path.extname(file).toLowerCase() === '.por' || bytes.includes(Buffer.from('SPSSPORT'))) {
    if (bytes.subarray(0, 512).toString('latin1').includes('SPSS')) return 'por';
  }
  // Text may be UTF-16 (zero bytes in every other position); other zero bytes mean binary.
  let zeros = 0;
  for (const b of bytes) if (b === 0) zeros++;
  if (zeros > 0) {
    const utf16ish = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || zeros >= read * 0.3;
    if (!utf16ish) return 'binary';
  }
  let control = 0;
  for (const b of bytes) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  if (zeros === 0 && control > read * 0.05) return 'binary';
  return 'text';
}

function detectDelimiter(text: string, file: string): string {
  if (path.extname(file).toLowerCase() === '.tsv' || path.extname(file).toLowerCase() === '.tab') return '\t';
  const lines = text.split(/\r\n|\n|\r/).slice(0, 30).filter((line) => line.length > 0);
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop();
  let best = ',';
  let bestScore = 0;
  for (const candidate of [',', '\t', ';', '|']) {
    const counts = lines.map((line) => countOutsideQuotes(line, candidate));
    const nonZero = counts.filter((c) => c > 0).length;
    if (nonZero === 0) continue;
    const first = counts[0] ?? 0;
    const consistent = counts.filter((c) => c === first).length;
    // A delimiter appears on every line, the same number of times (quoted newlines aside).
    const score = nonZero * 1000 + consistent * 10 + Math.min(first, 9);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, char: string): number {
  let inQuote = false;
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === char && !inQuote) count++;
  }
  return count;
}

function detectNewline(text: string): '\r\n' | '\n' | '\r' {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (crlf >= 0 && crlf <= lf) return '\r\n';
  if (lf >= 0) return '\n';
  if (cr >= 0) return '\r';
  return '\n';
}

/**
 * The text of an unfinished row held between chunks, and how far it has been scanned for a row
 * boundary. Each chunk's text is scanned once, carrying the quote parity over from the chunks
 * before it, and the pieces are joined only when a boundary is found: a row of one 50 MB quoted
 * cell costs one pass, not a rescan of everything held on every chunk (that made a long quoted
 * cell with "" quadratic, minutes for a few MB).
 */
export class RowCarry {
  private pieces: string[] = [];
  /** Quote parity at the end of what is held (the held text starts at a row boundary: outside quotes). */
  private inQuote = false;

  constructor(private readonly newlineCode: number) {}

  /**
   * Adds a chunk's text; returns the text of every whole row held so far (up to and including the
   * last line break outside quotes), or null when there is none yet.
   */
  push(piece: string): string | null {
    let inQuote = this.inQuote;
    let cut = -1;
    // Quotes and line breaks found with indexOf (native); only their order matters.
    const nl = String.fromCharCode(this.newlineCode);
    let q = piece.indexOf('"');
    let n = piece.indexOf(nl);
    while (n >= 0) {
      if (q >= 0 && q < n) {
        inQuote = !inQuote;
        q = piece.indexOf('"', q + 1);
        continue;
      }
      if (!inQuote) cut = n + 1;
      n = piece.indexOf(nl, n + 1);
    }
    while (q >= 0) {
      inQuote = !inQuote;
      q = piece.indexOf('"', q + 1);
    }
    this.inQuote = inQuote;
    if (cut < 0) {
      this.pieces.push(piece);
      return null;
    }
    this.pieces.push(piece.slice(0, cut));
    const rows = this.pieces.join('');
    const rest = piece.slice(cut);
    this.pieces = rest === '' ? [] : [rest];
    return rows;
  }

  /** Everything held, and nothing after. */
  take(): string {
    const rest = this.pieces.join('');
    this.pieces = [];
    this.inQuote = false;
    return rest;
  }
}

/** Where the last quote that opens and never closes sits, or 0. */
function unclosedQuote(text: string): number {
  let inQuote = false;
  let opened = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 34) {
      inQuote = !inQuote;
      if (inQuote) opened = i;
    }
  }
  return inQuote ? opened : 0;
}

function lineAndColumn(text: string, index: number, baseLine: number): { line: number; column: number } {
  let line = baseLine;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function countNewlines(cell: string): number {
  let n = 0;
  let at = cell.indexOf('\n');
  while (at >= 0) {
    n++;
    at = cell.indexOf('\n', at + 1);
  }
  return n;
}

export function openDelimited(file: string, options: { encoding?: string | undefined; delimiter?: string | undefined } = {}): TableSource {
  const size = fs.statSync(file).size;
  const display = path.basename(file);
  if (size === 0) throw new FieldbookError('PARSE_ERROR', `${display} is empty: there is nothing to import.`, { file });
  const fd = fs.openSync(file, 'r');
  const sample = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
  try {
    fs.readSync(fd, sample, 0, sample.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const encoding = chooseEncoding(sample, sample.length === size, options.encoding, file);
  const sampleText = createDecoder(encoding.encoding).write(sample.subarray(encoding.bomLength));
  if (sampleText.trim() === '') throw new FieldbookError('PARSE_ERROR', `${display} has no rows: there is nothing to import.`, { file });
  const delimiter = options.delimiter ?? detectDelimiter(sampleText, file);
  const newline = detectNewline(sampleText);
  const newlineCode = newline === '\r' ? 13 : 10;

  async function* batches(batchOptions: BatchOptions = {}): AsyncGenerator<RowBatch> {
    const maxRows = batchOptions.maxRows ?? Infinity;
    const start = batchOptions.start ?? encoding.bomLength;
    const stream = fs.createReadStream(file, {
      highWaterMark: CHUNK_BYTES,
      start,
      ...(batchOptions.end !== undefined ? { end: batchOptions.end - 1 } : {}),
    });
    const decoder = createDecoder(encoding.encoding);
    const carry = new RowCarry(newlineCode);
    let line = batchOptions.firstLine ?? 1;
    let rowsOut = 0;
    let bytes = start;

    const parsePiece = (text: string, final: boolean): RowBatch => {
      const result = Papa.parse<string[]>(text, { delimiter, newline, header: false, skipEmptyLines: false });
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        // Papa's index points past the damage; the quote that never closed is where the reader needs to look.
        const at = lineAndColumn(text, quoteError.code === 'MissingQuotes' ? unclosedQuote(text) : (quoteError.index ?? 0), line);
        const what =
          quoteError.code === 'MissingQuotes'
            ? 'a quoted cell is never closed (a " without its closing ")'
            : 'a quote sits in the middle of a quoted cell';
        throw new FieldbookError('PARSE_ERROR', `${display}, line ${at.line}, column ${at.column}: ${what}.`, {
          file,
          line: at.line,
          column: at.column,
        });
      }
      const rows: string[][] = [];
      const lines: number[] = [];
      // Only when a quoted cell holds a line break do rows and lines part ways: count those cells then.
      const hasQuotes = text.includes('"') && countNewlines(text) !== result.data.length - 1;
      const data = result.data;
      for (let r = 0; r < data.length; r++) {
        const row = data[r]!;
        // Papa reports an empty row after the final line break: it is no line of the file.
        if (r === data.length - 1 && row.length === 1 && row[0] === '') break;
        const startLine = line;
        if (hasQuotes) for (const cell of row) line += countNewlines(cell);
        line += 1;
        // A blank line is no respondent (and the empty row Papa reports after the last line break).
        if (row.length === 1 && row[0] === '') continue;
        rows.push(row);
        lines.push(startLine);
      }
      void final;
      return { rows, lines };
    };

    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        const text = carry.push(decoder.write(chunk));
        if (text === null) {
          // A long row still coming: let a cancel in, since no batch goes out meanwhile.
          await batchOptions.checkpoint?.();
          continue;
        }
        const batch = parsePiece(text, false);
        batchOptions.onBytes?.(bytes);
        if (rowsOut + batch.rows.length >= maxRows) {
          const keep = maxRows - rowsOut;
          yield { rows: batch.rows.slice(0, keep), lines: batch.lines.slice(0, keep) };
          return;
        }
        rowsOut += batch.rows.length;
        yield batch;
      }
      const rest = carry.take() + decoder.end();
      if (rest.length > 0) {
        const batch = parsePiece(rest, true);
        const keep = Math.max(0, Math.min(batch.rows.length, maxRows - rowsOut));
        yield { rows: batch.rows.slice(0, keep), lines: batch.lines.slice(0, keep) };
      }
      batchOptions.onBytes?.(bytes);
      batchOptions.onEnd?.(line);
    } finally {
      stream.destroy();
    }
  }

  return { kind: delimiter === '\t' ? 'tsv' : 'csv', file, encoding, delimiter, size, batches, newlineCode, newline };
}

/**
 * Scans the file's bytes from `from` (a row start), keeping track of quotes: a line break counts
 * as a row end when an even number of quotes came since `from`. Returns the byte just past the
 * `rows`-th row end at or after `atLeast`, or -1 when the file ends first. Works for UTF-8 and
 * single-byte encodings, where '"' and line breaks are single bytes that never occur inside a
 * character.
 */
export function rowBoundaryAfter(file: string, from: number, atLeast: number, rows: number, newlineCode: number): number {
  const fd = fs.openSync(file, 'r');
  const block = Buffer.allocUnsafe(1024 * 1024);
  let inQuote = false;
  let found = 0;
  try {
    for (let position = from; ; ) {
      const read = fs.readSync(fd, block, 0, block.length, position);
      if (read <= 0) return -1;
      let i = 0;
      // Before atLeast only the quote parity matters: jump from quote to quote.
      while (position + i < atLeast) {
        const q = block.indexOf(34, i);
        const stop = Math.min(read, atLeast - position);
        if (q < 0 || q >= stop) {
          i = stop;
          break;
        }
        inQuote = !inQuote;
        i = q + 1;
      }
      for (; i < read; i++) {
        const b = block[i];
        if (b === 34) inQuote = !inQuote;
        else if (b === newlineCode && !inQuote && ++found === rows) return position + i + 1;
      }
      position += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}
