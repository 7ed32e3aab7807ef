import fs from 'node:fs';
import type { ColumnAccumulator } from './accumulate';
import type { CellDecoder } from './encoding';
import { decodeEscaped } from './cell-bytes';

/**
 * Reading the data rows of a UTF-8 CSV/TSV straight from its bytes into the column accumulators.
 *
 * Why not the text parser (papaparse over decoded chunks) for a large file: it makes a string for
 * every cell and an array for every row, 40 million strings for a 1M-row, 40-column export, which
 * the garbage collector then spends more time on than the parsing itself. Here a cell is a byte
 * range; the accumulator turns it into a code or a number without a string whenever it can (see
 * ColumnAccumulator.pushBytes).
 *
 * This reader only takes the plain, well-formed shape of a CSV file: quotes open a cell and close
 * it, a doubled quote inside is a quote, rows end in the file's line break. At anything else (a
 * quote inside an unquoted cell, a quote never closed, a stray carriage return, a row of the wrong
 * width) it throws IrregularCsv, and the caller reads the range again with the text parser, which
 * either accepts the oddity or names the line and column of the damage. The result is the same
 * either way; the text parser is just slower.
 */

/** The bytes are not the plain shape this reader takes: read them with the text parser instead. */
export class IrregularCsv extends Error {
  constructor(readonly byte: number) {
    super(`Irregular CSV at byte ${byte}`);
  }
}

/** Where the rows go: RowSink implements it. */
export interface ByteRowSink {
  readonly width: number;
  readonly accs: ColumnAccumulator[];
  /** Per cell position in a row, the accumulator it feeds, or -1. */
  readonly targets: Int32Array;
  rowCount: number;
  /** Records the line the next row starts on (called once per row, before its cells). */
  addRow(line: number): void;
  /** How a cell is decoded (the file's encoding). */
  readonly decode: CellDecoder;
  /** The first rows as text, for the preview; true while it wants more. */
  wantsRows(): boolean;
  keepRow(row: string[]): void;
}

export interface ByteRange {
  file: string;
  /** A row start, and the byte after the last row (the file size or a row boundary). */
  start: number;
  end: number;
  /** The file line the range starts on. */
  firstLine: number;
  /** The delimiter, one ASCII byte. */
  delimiter: number;
  /** Rows end in CR LF (else LF). */
  crlf: boolean;
}

export interface ByteHooks {
  /** Bytes of the file read so far (absolute position), after each block. */
  onBytes?: (position: number) => void;
  /** Awaited between blocks: lets a cancel arrive. */
  checkpoint?: () => Promise<void>;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BLOCK = 4 * 1024 * 1024;

/** Reads the rows of `range` into `sink`; returns the line after the last one read. */
export async function readDelimitedBytes(range: ByteRange, sink: ByteRowSink, hooks: ByteHooks = {}): Promise<number> {
  const fd = fs.openSync(range.file, 'r');
  try {
    const scanner = new RowScanner(range, sink);
    let buf = Buffer.allocUnsafe(BLOCK);
    let filled = 0;
    // The file position of buf[0].
    let base = range.start;
    for (;;) {
      const want = Math.min(buf.length - filled, range.end - (base + filled));
      const read = want > 0 ? fs.readSync(fd, buf, filled, want, base + filled) : 0;
      filled += read;
      const atEnd = base + filled >= range.end || read === 0;
      const consumed = scanner.rows(buf, filled, atEnd, base);
      if (atEnd) {
        if (consumed < filled) throw new IrregularCsv(base + consumed);
        break;
      }
      hooks.onBytes?.(base + filled);
      if (hooks.checkpoint) await hooks.checkpoint();
      // A turn of the event loop per block: a worker's task posted just before this read goes
      // out now, not after it, and progress reaches the window.
      else await new Promise<void>((resolve) => setImmediate(resolve));
      // The unfinished row moves to the front; a row longer than the block makes the block bigger.
      const rest = filled - consumed;
      if (consumed === 0 && rest === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else buf.copy(buf, 0, consumed, filled);
      base += consumed;
      filled = rest;
    }
    hooks.onBytes?.(range.end);
    return scanner.line;
  } finally {
    fs.closeSync(fd);
  }
}

class RowScanner {
  line: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly escaped: Uint8Array;
  private readonly delimiter: number;
  private readonly crlf: boolean;
  /** 1 for the bytes that end an unquoted cell's text: the delimiter, CR, LF, and a quote. */
  private readonly stops = new Uint8Array(256);

  constructor(
    range: ByteRange,
    private readonly sink: ByteRowSink,
  ) {
    this.line = range.firstLine;
    this.delimiter = range.delimiter;
    this.crlf = range.crlf;
    this.starts = new Int32Array(sink.width);
    this.ends = new Int32Array(sink.width);
    this.escaped = new Uint8Array(sink.width);
    for (const b of [this.delimiter, LF, CR, QUOTE]) this.stops[b] = 1;
  }

  /**
   * Takes every whole row in buf[0, filled) (`atEnd`: the last row needs no line break); returns
   * where the first unfinished row starts. `base` is buf[0]'s file position, for errors.
   */
  rows(buf: Buffer, filled: number, atEnd: boolean, base: number): number {
    const { delimiter, crlf, starts, ends, escaped, sink, stops } = this;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const width = sink.width;
    let at = 0;
    rows: while (at < filled) {
      const rowStart = at;
      let cells = 0;
      let newlines = 0;
      let i = at;
      // One row: cell after cell until the line break.
      for (;;) {
        let start: number;
        let end: number;
        let escapes = 0;
        if (i < filled && buf[i] === QUOTE) {
          start = i + 1;
          let j = start;
          for (;;) {
            if (j >= filled) {
              if (atEnd) throw new IrregularCsv(base + i);
              return rowStart;
            }
            const b = buf[j]!;
            if (b === QUOTE) {
              if (j + 1 < filled && buf[j + 1] === QUOTE) {
                escapes = 1;
                j += 2;
                continue;
              }
              if (j + 1 >= filled && !atEnd) return rowStart;
              break;
            }
            if (b === LF) newlines++;
            j++;
          }
          end = j;
          i = j + 1;
        } else {
          start = i;
          let j = i;
          while (j < filled && stops[buf[j]!] === 0) j++;
          if (j < filled && buf[j] === QUOTE) throw new IrregularCsv(base + j);
          end = j;
          i = j;
        }
        if (cells < width) {
          starts[cells] = start;
          ends[cells] = end;
          escaped[cells] = escapes;
        } else if (end > start) throw new IrregularCsv(base + start);
        cells++;
        // What follows the cell: a delimiter, the line break, or the end of the range.
        if (i >= filled) {
          if (!atEnd) return rowStart;
          at = filled;
          break;
        }
        const b = buf[i]!;
        if (b === delimiter) {
          i++;
          continue;
        }
        if (b === LF && !crlf) {
          at = i + 1;
          break;
        }
        if (b === CR && crlf) {
          if (i + 1 >= filled) {
            if (!atEnd) return rowStart;
            throw new IrregularCsv(base + i);
          }
          if (buf[i + 1] !== LF) throw new IrregularCsv(base + i);
          at = i + 2;
          break;
        }
        throw new IrregularCsv(base + i);
      }
      const line = this.line;
      this.line += 1 + newlines;
      // A blank line is no respondent.
      if (cells === 1 && ends[0] === starts[0]) continue rows;
      if (cells < width) throw new IrregularCsv(base + rowStart);
      sink.addRow(line);
      if (sink.wantsRows()) {
        const row: string[] = [];
        for (let c = 0; c < width; c++) {
          row.push(escaped[c] ? decodeEscaped(buf, starts[c]!, ends[c]!, sink.decode) : sink.decode(buf, starts[c]!, ends[c]!));
        }
        // The empty cells after a trailing delimiter, as the text parser keeps them.
        for (let c = width; c < cells; c++) row.push('');
        sink.keepRow(row);
      }
      const { targets, accs } = sink;
      for (let c = 0; c < width; c++) {
        const target = targets[c]!;
        if (target >= 0) accs[target]!.pushBytes(buf, view, starts[c]!, ends[c]!, escaped[c] === 1);
      }
    }
    return at;
  }
}

/**
 * The first quote inside a cell that does not start with one (line and character column, from 1),
 * or null. The text parser takes such a quote as a character, unless a quoted line break further
 * on pairs with it; then it fails where it lost count, far from the cause. This finds the cause,
 * for the message. UTF-8 or a one-byte encoding (a quote and a line break are single bytes there).
 */
export function findStrayQuote(file: string, start: number, delimiter: number, oneByte = false): { line: number; column: number } | null {
  // Read a block at a time (the file may be 500 MB), in one of five states between bytes.
  const CELL_START = 0;
  const UNQUOTED = 1;
  const QUOTED = 2;
  const QUOTE_IN_QUOTED = 3;
  const CLOSED = 4;
  const fd = fs.openSync(file, 'r');
  const block = Buffer.allocUnsafe(1024 * 1024);
  let state = CELL_START;
  let line = 1;
  // Characters (UTF-16 units, as a column is counted elsewhere) before this byte on its line.
  let column = 0;
  try {
    for (let position = start; ; ) {
      const read = fs.readSync(fd, block, 0, block.length, position);
      if (read <= 0) return null;
      position += read;
      for (let i = 0; i < read; i++) {
        const b = block[i]!;
        // After a quote in a quoted cell: a second quote is a quote; else the cell has closed.
        if (state === QUOTE_IN_QUOTED) state = b === QUOTE ? QUOTED : b === delimiter ? CELL_START : CLOSED;
        else if (state === QUOTED) {
          if (b === QUOTE) state = QUOTE_IN_QUOTED;
        } else if (b === QUOTE) {
          if (state === UNQUOTED) return { line, column: column + 1 };
          if (state === CELL_START) state = QUOTED;
        } else if (b === delimiter) state = CELL_START;
        else if (b !== LF && state === CELL_START) state = UNQUOTED;
        if (b === LF) {
          line++;
          column = 0;
          if (state !== QUOTED) state = CELL_START;
        } else if (oneByte || (b & 0xc0) !== 0x80) column += b >= 0xf0 && !oneByte ? 2 : 1;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
