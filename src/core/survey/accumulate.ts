/**
 * Collects one column's cells as they stream by, in the most compact form that still holds them:
 * numbers in a Float64Array while every cell is a number, a dictionary of distinct values while
 * there are few of them, plain text only when neither works (as strings, or as UTF-8 bytes when
 * read from a file's bytes: see cell-bytes.ts). A million-row column of answer labels is then a
 * megabyte, not a million strings.
 */
import { formatDate } from './display';
import { BYTE_NO_ANSWER, type ByteCodes } from './columns';
import { ByteKeys, decodeEscaped, grow, parseAsciiNumber, TextBytes, type TextBytesState } from './cell-bytes';
import { decodeUtf8, type CellDecoder } from './encoding';
import { fastIsoDateBytes, parseDate } from './infer';

const DICT_LIMIT = 2000;

/**
 * A copy of a cell that does not keep the parser's whole chunk alive: V8 makes substrings of 13+
 * characters as views into their parent, so one kept cell would pin 4 MB of file text.
 */
function detach(value: string): string {
  return value.length >= 13 ? (' ' + value).slice(1) : value;
}

export function parseNumber(text: string): number {
  const c = text.charCodeAt(0);
  // Only text starting like a number is worth Number(): digits, sign, or a decimal point.
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return Number.NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) return Number.NaN;
  // Number() also reads "0x1f" and "1_000"-free forms; refuse hex so ids like "0x1f" stay text.
  if (text.length > 1 && (text[1] === 'x' || text[1] === 'X')) return Number.NaN;
  return value;
}

export class ColumnAccumulator {
  length = 0;
  nonEmpty = 0;
  private nums: Float64Array | null;
  allIntegers = true;
  private dict: Map<string, number> | null = new Map();
  private dictValues: string[] = [];
  private dictCounts: number[] = [];
  /**
   * Per row, the answer's dictionary code. One byte while the dictionary has fewer than 255
   * entries (255 marks an empty cell there), four once it grows past (-1 marks it): most columns
   * of a survey are a handful of answers, and a million rows of them are then 1 MB, not 4.
   */
  private codes: Codes | null;
  private strings: (string | null)[] | null = null;
  /** Instead of `strings`, when made with textAsBytes: the cells' UTF-8 bytes (see TextBytes). */
  private text: TextBytes | null = null;
  /** Timestamps while every non-numeric answer is a date: a date column never needs its strings. */
  private dates: Float64Array | null;
  maxLength = 0;
  /**
   * Per dictionary code, what push() would work out from the value again: its number, its date,
   * its length. With the bytes-to-code table they let pushBytes() take a known answer without
   * making its string (a million-row column of "Agree" is then no string at all).
   */
  private dictNums: number[] = [];
  private dictDates: number[] = [];
  private dictLengths: number[] = [];
  private byteKeys: ByteKeys | null = new ByteKeys();

  /**
   * `capacity`: the rows expected (from the file size), so the arrays rarely need to grow.
   * `textAsBytes`: once the column is plain text, keep its cells as UTF-8 bytes, not strings (a
   * worker reading half a file: the bytes cross to the caller without a copy and make no garbage).
   */
  constructor(
    capacity = 1024,
    private readonly textAsBytes = false,
    /** How pushBytes() decodes a cell it needs as text (the file's encoding; UTF-8 by default). */
    private readonly decode: CellDecoder = decodeUtf8,
  ) {
    this.nums = new Float64Array(capacity);
    this.codes = new Uint8Array(capacity);
    // Dates are rare and given up at the first cell that is not one: they start small.
    this.dates = new Float64Array(1024);
  }

  /** `fresh`: the string was just made for this cell (no parser's chunk behind it to detach from). */
  push(raw: string | undefined, fresh = false): void {
    // trim() only when an end is whitespace: most cells have none, and this runs for every cell.
    const value = raw === undefined ? '' : raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
    const i = this.length++;
    if (value.length > this.maxLength) this.maxLength = value.length;
    if (value !== '') this.nonEmpty++;

    if (this.nums) {
      if (i >= this.nums.length) this.nums = grow(this.nums);
      if (value === '') this.nums[i] = Number.NaN;
      else {
        const n = parseNumber(value);
        if (Number.isNaN(n)) this.dropNumbers();
        else {
          this.nums[i] = n;
          if (this.allIntegers && !Number.isInteger(n)) this.allIntegers = false;
        }
      }
    }
    if (this.dates) {
      if (i >= this.dates.length) this.dates = grow(this.dates);
      if (value === '') this.dates[i] = Number.NaN;
      else {
        const t = this.nums ? Number.NaN : parseDate(value);
        if (Number.isNaN(t)) this.dropDates();
        else this.dates[i] = t;
      }
    }
    if (this.dict && this.codes) {
      if (i >= this.codes.length) this.codes = grow(this.codes);
      // -1 is stored as 255 in the one-byte form: the empty mark either way.
      if (value === '') this.codes[i] = -1;
      else {
        let code = this.dict.get(value);
        if (code === undefined) {
          code = this.dictValues.length;
          if (code >= DICT_LIMIT) {
            this.dropDictionary();
          } else {
            if (code === NARROW_EMPTY && this.codes instanceof Uint8Array) this.codes = widen(this.codes, i);
            const kept = fresh ? value : detach(value);
            this.dict.set(kept, code);
            this.dictValues.push(kept);
            this.dictCounts.push(0);
            this.remember(kept);
          }
        }
        if (this.dict) {
          this.codes![i] = code;
          this.dictCounts[code]!++;
        }
      }
    }
    if (this.strings) this.strings.push(value === '' ? null : fresh ? value : detach(value));
    else if (this.text) this.text.addString(value === '' ? null : value);
  }

  private remember(value: string): void {
    this.dictNums.push(this.nums ? parseNumber(value) : Number.NaN);
    this.dictDates.push(this.dates ? parseDate(value) : Number.NaN);
    this.dictLengths.push(value.length);
  }

  /**
   * One cell as bytes [start, end) of buf in the file's encoding (UTF-8 or one byte a character),
   * which `view` also spans (a quoted cell without its quotes; `escaped`: it
   * holds doubled quotes). The same result as push() of the decoded text, without making the
   * string when the answer is already in the dictionary or is a plain decimal number. Anything
   * else (whitespace at an end, which trim() would remove, an escape) goes through push() itself.
   */
  pushBytes(buf: Buffer, view: DataView, start: number, end: number, escaped: boolean): void {
    if (end === start) {
      this.push('');
      return;
    }
    const first = buf[start]!;
    const last = buf[end - 1]!;
    // push() trims a cell only when an end is ASCII whitespace (or a control character).
    if (escaped || first <= 32 || last <= 32) {
      this.push(escaped ? decodeEscaped(buf, start, end, this.decode) : this.decode(buf, start, end), true);
      return;
    }
    if (this.dict !== null) {
      const keys = this.byteKeys!;
      const code = keys.get(buf, view, start, end);
      if (code >= 0) {
        this.pushCode(code);
        return;
      }
      const i = this.length;
      this.push(this.decode(buf, start, end), true);
      if (this.dict !== null) keys.set(buf, view, start, end, this.codes![i]!);
      return;
    }
    if (this.dates !== null && this.nums === null && this.strings === null) {
      const t = fastIsoDateBytes(buf, start, end);
      if (!Number.isNaN(t)) {
        const i = this.answered(end - start);
        if (i >= this.dates.length) this.dates = grow(this.dates);
        this.dates[i] = t;
        return;
      }
    }
    if (this.nums !== null && this.dates === null && this.strings === null) {
      const n = parseAsciiNumber(buf, start, end);
      if (!Number.isNaN(n)) {
        const i = this.answered(end - start);
        if (i >= this.nums.length) this.nums = grow(this.nums);
        this.nums[i] = n;
        if (this.allIntegers && !Number.isInteger(n)) this.allIntegers = false;
        return;
      }
    }
    if (this.text !== null) {
      // Plain text kept as bytes. maxLength counts bytes here: it only matters while there is a
      // dictionary, and a column in this form has none.
      this.answered(end - start);
      this.text.addBytes(buf, start, end);
      return;
    }
    this.push(this.decode(buf, start, end), true);
  }

  /** A non-empty answer of `length` characters takes the next row: its index. */
  private answered(length: number): number {
    if (length > this.maxLength) this.maxLength = length;
    this.nonEmpty++;
    return this.length++;
  }

  /** push() of the dictionary's value `code`, from what remember() kept of it. */
  private pushCode(code: number): void {
    const i = this.answered(this.dictLengths[code]!);
    if (this.nums) {
      if (i >= this.nums.length) this.nums = grow(this.nums);
      const n = this.dictNums[code]!;
      if (Number.isNaN(n)) this.dropNumbers();
      else {
        this.nums[i] = n;
        if (this.allIntegers && !Number.isInteger(n)) this.allIntegers = false;
      }
    }
    if (this.dates) {
      if (i >= this.dates.length) this.dates = grow(this.dates);
      const t = this.nums ? Number.NaN : this.dictDates[code]!;
      if (Number.isNaN(t)) this.dropDates();
      else this.dates[i] = t;
    }
    if (i >= this.codes!.length) this.codes = grow(this.codes!);
    this.codes![i] = code;
    this.dictCounts[code]!++;
    if (this.strings) this.strings.push(this.dictValues[code]!);
  }

  /** The cells before this one as text, rebuilt from whichever compact form still holds them. */
  private rebuildStrings(upTo: number, nums: Float64Array | null, codes: Codes | null, values: string[], dates: Float64Array | null): void {
    const out: (string | null)[] = [];
    const empty = codes ? emptyMark(codes) : -1;
    for (let r = 0; r < upTo; r++) {
      if (codes) {
        const code = codes[r]!;
        out.push(code === empty ? null : values[code]!);
      } else if (nums) out.push(Number.isNaN(nums[r]!) ? null : String(nums[r]));
      else if (dates) out.push(Number.isNaN(dates[r]!) ? null : formatDate(dates[r]!));
      else out.push(null);
    }
    if (this.textAsBytes) this.text = TextBytes.fromStrings(out);
    else this.strings = out;
  }

  private forgetCaches(): void {
    this.dictNums = [];
    this.dictDates = [];
    this.dictLengths = [];
    this.byteKeys = null;
  }

  /** The caches of pushBytes, worked out again for a dictionary put together elsewhere. */
  private rebuildCaches(): void {
    this.forgetCaches();
    if (!this.dict) return;
    this.byteKeys = new ByteKeys();
    for (const value of this.dictValues) this.remember(value);
  }

  /** Only when no compact form is left do the cells become strings. */
  private needStrings(): boolean {
    return !this.nums && !this.dict && !this.dates && !this.strings && !this.text;
  }

  private dropNumbers(): void {
    const nums = this.nums;
    this.nums = null;
    this.allIntegers = false;
    if (this.needStrings()) this.rebuildStrings(this.length - 1, nums, null, [], null);
  }

  private dropDictionary(): void {
    const codes = this.codes;
    const values = this.dictValues;
    this.dict = null;
    this.codes = null;
    this.dictValues = [];
    this.dictCounts = [];
    this.forgetCaches();
    if (this.needStrings()) this.rebuildStrings(this.length - 1, this.nums, codes, values, this.dates);
  }

  private dropDates(): void {
    const dates = this.dates;
    this.dates = null;
    if (this.needStrings()) this.rebuildStrings(this.length - 1, this.nums, null, [], dates);
  }

  /** Every non-empty cell so far is a date (and not a plain number). */
  get isDates(): boolean {
    return this.dates !== null && this.nums === null && this.nonEmpty > 0;
  }

  dateValues(): Float64Array | null {
    return this.dates ? this.dates.subarray(0, this.length) : null;
  }

  get isNumeric(): boolean {
    return this.nums !== null;
  }

  /** Distinct non-empty values and their counts, or null when there were too many to keep. */
  distinct(): Map<string, number> | null {
    if (!this.dict) return null;
    const out = new Map<string, number>();
    this.dictValues.forEach((value, code) => out.set(value, this.dictCounts[code]!));
    return out;
  }

  numbers(): Float64Array | null {
    return this.nums ? this.nums.subarray(0, this.length) : null;
  }

  /** Every cell as text (null = empty). Dictionary values are shared, not copied. */
  values(): (string | null)[] {
    if (this.strings) return this.strings;
    if (this.text) {
      // From here on as strings: a second call must not decode again.
      this.strings = this.text.strings();
      this.text = null;
      return this.strings;
    }
    const out: (string | null)[] = new Array<string | null>(this.length);
    if (this.codes) {
      const empty = emptyMark(this.codes);
      for (let r = 0; r < this.length; r++) {
        const code = this.codes[r]!;
        out[r] = code === empty ? null : this.dictValues[code]!;
      }
      return out;
    }
    if (this.nums) {
      const nums = this.nums;
      for (let r = 0; r < this.length; r++) out[r] = Number.isNaN(nums[r]!) ? null : String(nums[r]);
      return out;
    }
    const dates = this.dates!;
    for (let r = 0; r < this.length; r++) out[r] = Number.isNaN(dates[r]!) ? null : formatDate(dates[r]!);
    return out;
  }

  /**
   * Per dictionary entry, codeOf(its value): the table codesFrom() reads. Null when the dictionary
   * was given up (too many distinct answers).
   */
  codeTable(codeOf: (value: string) => number): Float64Array | null {
    if (!this.dict) return null;
    return Float64Array.from(this.dictValues, codeOf);
  }

  /** Whether every answer given has a code in `table` (no answered row would come out NaN). */
  coveredBy(table: Float64Array): boolean {
    return this.dictCounts.every((count, code) => count === 0 || !Number.isNaN(table[code]!));
  }

  /**
   * The column as a byte per answer, `code + bias` (BYTE_NO_ANSWER when empty), when every code in
   * `table` is a whole number and they span at most 250 (bytes 1..251, as ByteCodes has them); else null.
   */
  codeBytes(table: Float64Array): ByteCodes | null {
    let min = Infinity;
    let max = -Infinity;
    for (const code of table) {
      if (Number.isNaN(code)) continue;
      if (!Number.isInteger(code)) return null;
      min = Math.min(min, code);
      max = Math.max(max, code);
    }
    if (max - min > 250) return null;
    const bias = min === Infinity ? 1 : 1 - min;
    const byCode = Uint8Array.from(table, (code) => (Number.isNaN(code) ? BYTE_NO_ANSWER : code + bias));
    const codes = this.codes!;
    const empty = emptyMark(codes);
    const bytes = new Uint8Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      bytes[r] = code === empty ? BYTE_NO_ANSWER : byCode[code]!;
    }
    return { bytes, bias };
  }

  /** The column as answer codes (NaN when empty), straight from the dictionary: no string per row. */
  codesFrom(table: Float64Array): Float64Array {
    const codes = this.codes!;
    const empty = emptyMark(codes);
    const out = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      out[r] = code === empty ? Number.NaN : table[code]!;
    }
    return out;
  }

  state(): AccumulatorState {
    return {
      length: this.length,
      nonEmpty: this.nonEmpty,
      allIntegers: this.allIntegers,
      maxLength: this.maxLength,
      nums: this.nums ? this.nums.slice(0, this.length) : null,
      dates: this.dates ? this.dates.slice(0, this.length) : null,
      codes: this.dict && this.codes ? this.codes.slice(0, this.length) : null,
      dictValues: this.dict ? this.dictValues : null,
      dictCounts: this.dictCounts,
      text: this.text ? this.text.state() : this.strings ? TextBytes.fromStrings(this.strings).state() : null,
    };
  }

  static fromState(state: AccumulatorState): ColumnAccumulator {
    const acc = new ColumnAccumulator(1);
    acc.length = state.length;
    acc.nonEmpty = state.nonEmpty;
    acc.allIntegers = state.allIntegers;
    acc.maxLength = state.maxLength;
    acc.nums = state.nums;
    acc.dates = state.dates;
    acc.codes = state.codes;
    acc.dictValues = state.dictValues ?? [];
    acc.dictCounts = state.dictValues ? state.dictCounts : [];
    acc.dict = state.dictValues ? new Map(state.dictValues.map((v, i) => [v, i])) : null;
    acc.text = state.text ? TextBytes.fromState(state.text) : null;
    acc.rebuildCaches();
    return acc;
  }

  /**
   * Adds the rows another accumulator read after this one's (a worker read the second half of the
   * file): the result is what one accumulator reading both halves in turn holds. A compact form
   * survives only if it survived in both; text is rebuilt only when none survives.
   */
  append(other: ColumnAccumulator): void {
    const aLength = this.length;
    const bLength = other.length;
    const keepNums = this.nums !== null && other.nums !== null;
    const keepDates = this.dates !== null && other.dates !== null;
    // The merged dictionary: this one's codes stay, the other's are renumbered.
    let remap: Int32Array | null = null;
    let values = this.dictValues;
    let counts = this.dictCounts;
    if (this.dict && other.dict) {
      values = [...this.dictValues];
      counts = [...this.dictCounts];
      const index = new Map(this.dict);
      remap = new Int32Array(other.dictValues.length);
      other.dictValues.forEach((value, code) => {
        let mine = index.get(value);
        if (mine === undefined) {
          mine = values.length;
          index.set(value, mine);
          values.push(value);
          counts.push(0);
        }
        remap![code] = mine;
        counts[mine]! += other.dictCounts[code]!;
      });
      if (values.length > DICT_LIMIT) remap = null;
    }
    const keepDict = remap !== null;
    let strings: (string | null)[] | null = null;
    let text: TextBytes | null = null;
    if (!keepNums && !keepDates && !keepDict) {
      if (this.text && other.text) {
        // Both halves as bytes: their bytes follow each other, decoded once when read.
        text = this.text;
        text.append(other.text);
      } else {
        // Appended in place: a million-element spread would copy twice.
        strings = this.values();
        const theirs = other.values();
        for (let r = 0; r < bLength; r++) strings.push(theirs[r] ?? null);
      }
    }

    this.nums = keepNums ? concat(this.nums!, aLength, other.nums!, bLength) : null;
    this.dates = keepDates ? concat(this.dates!, aLength, other.dates!, bLength) : null;
    if (keepDict) {
      // In place when this column has room (it was made for the whole file): no second copy.
      let codes = this.codes!;
      if (values.length >= NARROW_EMPTY && codes instanceof Uint8Array) codes = widen(codes, aLength);
      if (codes.length < aLength + bLength) {
        const bigger = new (codes.constructor as new (n: number) => Codes)(aLength + bLength);
        bigger.set(codes.subarray(0, aLength));
        codes = bigger;
      }
      const theirs = other.codes!;
      const theirEmpty = emptyMark(theirs);
      for (let r = 0; r < bLength; r++) {
        const code = theirs[r]!;
        codes[aLength + r] = code === theirEmpty ? -1 : remap![code]!;
      }
      this.codes = codes;
      this.dictValues = values;
      this.dictCounts = counts;
      this.dict = new Map(values.map((v, i) => [v, i]));
    } else {
      this.codes = null;
      this.dict = null;
      this.dictValues = [];
      this.dictCounts = [];
    }
    this.strings = strings;
    this.text = text;
    this.length = aLength + bLength;
    this.nonEmpty += other.nonEmpty;
    this.maxLength = Math.max(this.maxLength, other.maxLength);
    this.allIntegers = keepNums && this.allIntegers && other.allIntegers;
    this.rebuildCaches();
  }

  /** The first few distinct non-empty values, for the preview. */
  samples(limit: number): string[] {
    if (this.dict) return this.dictValues.slice(0, limit);
    // Without materializing the whole column: the first few cells are enough.
    const seen = new Set<string>();
    for (let r = 0; r < this.length && seen.size < limit; r++) {
      const v = this.cell(r);
      if (v !== null) seen.add(v);
    }
    return [...seen];
  }

  private cell(r: number): string | null {
    if (this.strings) return this.strings[r] ?? null;
    // Decoded once, then kept as strings: cell by cell from the bytes would be quadratic.
    if (this.text) return this.values()[r] ?? null;
    if (this.nums) return Number.isNaN(this.nums[r]!) ? null : String(this.nums[r]);
    if (this.dates) return Number.isNaN(this.dates[r]!) ? null : formatDate(this.dates[r]!);
    return null;
  }
}

/** A ColumnAccumulator as plain data, to cross from a worker thread (its arrays are transferred). */
export interface AccumulatorState {
  length: number;
  nonEmpty: number;
  allIntegers: boolean;
  maxLength: number;
  nums: Float64Array | null;
  dates: Float64Array | null;
  codes: Codes | null;
  dictValues: string[] | null;
  dictCounts: number[];
  text: TextBytesState | null;
}

function concat<T extends Float64Array | Int32Array>(a: T, aLength: number, b: T, bLength: number): T {
  if (a.length >= aLength + bLength) {
    a.set(b.subarray(0, bLength), aLength);
    return a;
  }
  const out = new (a.constructor as new (n: number) => T)(Math.max(1024, aLength + bLength));
  out.set(a.subarray(0, aLength));
  out.set(b.subarray(0, bLength), aLength);
  return out;
}

type Codes = Uint8Array | Int32Array;

/** The code of an empty cell in the one-byte form (and the dictionary size that ends that form). */
const NARROW_EMPTY = 255;

function emptyMark(codes: Codes): number {
  return codes instanceof Uint8Array ? NARROW_EMPTY : -1;
}

/** The first `length` one-byte codes as four-byte ones (empty cells: -1). */
function widen(codes: Uint8Array, length: number): Int32Array {
  const wide = new Int32Array(codes.length);
  for (let r = 0; r < length; r++) {
    const code = codes[r]!;
    wide[r] = code === NARROW_EMPTY ? -1 : code;
  }
  return wide;
}
