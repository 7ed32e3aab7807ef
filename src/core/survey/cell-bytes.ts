/**
 * Cells as bytes, for the CSV reader that reads a file's bytes (bytes.ts): the table that finds an
 * answer already seen from its bytes, the plain decimal number read from its digits, and a column
 * of text kept as UTF-8 bytes until it is read (see ColumnAccumulator.pushBytes).
 */
import { isAscii } from 'node:buffer';

/**
 * Keys ByteKeys takes at most: a dictionary keeps up to 2,000 answers (accumulate.ts), and only
 * bytes that are not UTF-8 could map more keys to one answer; past this many, those go the slow way.
 */
const MAX_KEYS = 4000;

/** A typed array twice as long (or `atLeast` long), with the same values first. */
export function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, atLeast = 0): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

/** TextBytes as plain data (the pool and the lengths are transferred, not copied). */
export interface TextBytesState {
  pool: Uint8Array;
  used: number;
  lengths: Int32Array;
  count: number;
}

/** Pieces of decoded text stay well below V8's longest string (2^29 - 24 characters). */
const PIECE_BYTES = 64 * 1024 * 1024;

/**
 * A column of text as its cells' UTF-8 bytes, one after another, and each cell's byte length (-1:
 * empty). What a worker sends back for half a survey's open answers: no string per cell is made
 * on the worker, nothing is copied on the way, and the caller decodes all of it at once.
 */
export class TextBytes {
  private constructor(
    private pool: Uint8Array,
    private used: number,
    private lengths: Int32Array,
    private count: number,
  ) {}

  static empty(): TextBytes {
    return new TextBytes(new Uint8Array(1 << 16), 0, new Int32Array(1024), 0);
  }

  static fromStrings(strings: (string | null)[]): TextBytes {
    const text = TextBytes.empty();
    for (const value of strings) text.addString(value);
    return text;
  }

  static fromState(state: TextBytesState): TextBytes {
    return new TextBytes(state.pool, state.used, state.lengths, state.count);
  }

  state(): TextBytesState {
    return { pool: this.pool.slice(0, this.used), used: this.used, lengths: this.lengths.slice(0, this.count), count: this.count };
  }

  private room(bytes: number): void {
    if (this.count >= this.lengths.length) this.lengths = grow(this.lengths);
    if (this.used + bytes > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.used + bytes));
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
  }

  /** The cells of another column after these. */
  append(other: TextBytes): void {
    if (this.used + other.used > this.pool.length) {
      const bigger = new Uint8Array(this.used + other.used);
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
    this.pool.set(other.pool.subarray(0, other.used), this.used);
    this.used += other.used;
    if (this.count + other.count > this.lengths.length) {
      const longer = new Int32Array(this.count + other.count);
      longer.set(this.lengths.subarray(0, this.count));
      this.lengths = longer;
    }
    this.lengths.set(other.lengths.subarray(0, other.count), this.count);
    this.count += other.count;
  }

  addBytes(buf: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    // A short cell byte by byte; a longer one through a view (Buffer.copy checks its arguments
    // in JavaScript first, which measured three times slower per answer).
    const pool = this.pool;
    if (end - start <= 16) for (let i = start, j = this.used; i < end; i++, j++) pool[j] = buf[i]!;
    else pool.set(buf.subarray(start, end), this.used);
    this.used += end - start;
    this.lengths[this.count++] = end - start;
  }

  addString(value: string | null): void {
    if (value === null) {
      this.room(0);
      this.lengths[this.count++] = -1;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.room(bytes);
    Buffer.from(this.pool.buffer, this.pool.byteOffset, this.pool.length).write(value, this.used, 'utf8');
    this.used += bytes;
    this.lengths[this.count++] = bytes;
  }

  /**
   * Every cell as a string. ASCII text (most answers) is decoded a long piece at a time, and each
   * cell is a slice of its piece, which V8 makes without copying; other text cell by cell.
   */
  strings(): (string | null)[] {
    const out = new Array<string | null>(this.count);
    const bytes = Buffer.from(this.pool.buffer, this.pool.byteOffset, this.used);
    const ascii = isAscii(bytes);
    let at = 0;
    let piece = '';
    let pieceStart = 0;
    let pieceEnd = 0;
    for (let r = 0; r < this.count; r++) {
      const length = this.lengths[r]!;
      if (length < 0) {
        out[r] = null;
        continue;
      }
      if (!ascii) out[r] = bytes.toString('utf8', at, at + length);
      else {
        if (at + length > pieceEnd) {
          // A new piece from this cell on: whole cells only, at most PIECE_BYTES (or the one cell).
          let end = at;
          for (let k = r; k < this.count && (end - at + Math.max(0, this.lengths[k]!) <= PIECE_BYTES || end === at); k++) end += Math.max(0, this.lengths[k]!);
          piece = bytes.toString('latin1', at, end);
          pieceStart = at;
          pieceEnd = end;
        }
        out[r] = piece.slice(at - pieceStart, at - pieceStart + length);
      }
      at += length;
    }
    return out;
  }
}

/** 10^k for the decimals parseAsciiNumber reads (exact doubles up to 10^22). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The number in ASCII bytes of the plain form [-]digits[.digits] with at most 15 digits, or NaN
 * for any other form (parseNumber then decides). Exactly Number(text): the digits make an integer
 * below 2^53 and 10^k is exact, so the one division is correctly rounded, as strtod rounds
 * (Clinger's fast path).
 */
export function parseAsciiNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let point = false;
  for (; i < end; i++) {
    const b = buf[i]!;
    if (b >= 48 && b <= 57) {
      mantissa = mantissa * 10 + (b - 48);
      digits++;
      if (point) decimals++;
    } else if (b === 46 && !point) point = true;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

/**
 * Cell bytes to dictionary code, for answers already seen: an open-addressing table over a pool
 * of the keys' bytes (FNV-1a hashes), so a repeated answer costs no string and no Map lookup. The
 * table grows with the dictionary: forty columns of five answers each stay in the CPU's cache.
 */
export class ByteKeys {
  /** Per slot: the key's hash and its index + 1 (0 = empty), side by side. */
  private slots = new Int32Array(32);
  private pool = new Uint8Array(1024);
  private poolView = new DataView(this.pool.buffer);
  private used = 0;
  private count = 0;
  private starts = new Int32Array(16);
  private lengths = new Int32Array(16);
  private codes = new Int32Array(16);
  private hashes = new Int32Array(16);

  /** FNV-1a over 4-byte words, then the last bytes one by one: a quarter of the steps of a byte-wise hash. */
  private static hash(buf: Uint8Array, view: DataView, start: number, end: number): number {
    let h = 0x811c9dc5;
    let i = start;
    for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getInt32(i, true), 0x01000193);
    for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    return h;
  }

  get(buf: Uint8Array, view: DataView, start: number, end: number): number {
    const h = ByteKeys.hash(buf, view, start, end);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const k = slots[2 * slot + 1]! - 1;
      if (k < 0) return -1;
      if (slots[2 * slot] !== h || this.lengths[k] !== length) continue;
      if (this.sameBytes(this.starts[k]!, buf, view, start, end)) return this.codes[k]!;
    }
  }

  private sameBytes(at: number, buf: Uint8Array, view: DataView, start: number, end: number): boolean {
    const pool = this.pool;
    const poolView = this.poolView;
    let i = start;
    let j = at;
    for (; i + 4 <= end; i += 4, j += 4) if (poolView.getInt32(j, true) !== view.getInt32(i, true)) return false;
    for (; i < end; i++, j++) if (pool[j] !== buf[i]) return false;
    return true;
  }

  set(buf: Uint8Array, view: DataView, start: number, end: number, code: number): void {
    if (this.count >= MAX_KEYS) return;
    const length = end - start;
    if (this.used + length > this.pool.length) {
      this.pool = grow(this.pool, this.used + length);
      this.poolView = new DataView(this.pool.buffer);
    }
    this.pool.set(buf.subarray(start, end), this.used);
    const k = this.count++;
    if (k >= this.codes.length) {
      this.starts = grow(this.starts, k + 1);
      this.lengths = grow(this.lengths, k + 1);
      this.codes = grow(this.codes, k + 1);
      this.hashes = grow(this.hashes, k + 1);
    }
    this.starts[k] = this.used;
    this.lengths[k] = length;
    this.codes[k] = code;
    this.hashes[k] = ByteKeys.hash(buf, view, start, end);
    this.used += length;
    // At most half full, so a probe ends soon.
    if (this.count * 2 > this.slots.length >> 1) this.rehash(this.slots.length * 2);
    else this.place(k);
  }

  private place(k: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let slot = this.hashes[k]! & mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[2 * slot] = this.hashes[k]!;
    this.slots[2 * slot + 1] = k + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let k = 0; k < this.count; k++) this.place(k);
  }
}

/** Past this many bytes a quoted cell's doubled quotes are undone in its bytes (see decodeEscaped). */
const LONG_ESCAPED_CELL = 64 * 1024;

/**
 * A quoted cell's text with each doubled quote made single. A string replace of millions of `""`
 * in one long cell costs V8 seconds (a part per match); undoing them in the bytes first costs one
 * pass. A quote is one byte in UTF-8 and in every one-byte encoding this reader takes.
 */
export function decodeEscaped(buf: Buffer, start: number, end: number, decode: (buf: Buffer, start: number, end: number) => string): string {
  if (end - start < LONG_ESCAPED_CELL) return decode(buf, start, end).replaceAll('""', '"');
  const out = Buffer.allocUnsafe(end - start);
  let w = 0;
  let from = start;
  for (let q = buf.indexOf(34, from); q >= 0 && q < end; q = buf.indexOf(34, from)) {
    // Keep up to and including the first quote of the pair, skip the second.
    w += buf.copy(out, w, from, q + 1);
    from = q + 1 < end && buf[q + 1] === 34 ? q + 2 : q + 1;
  }
  w += buf.copy(out, w, from, end);
  return decode(out, 0, w);
}
