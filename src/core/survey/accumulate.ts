/**
 * Collects one column's cells as they stream by, in the most compact form that still holds them:
 * numbers in a Float64Array while every cell is a number, a dictionary of distinct values while
 * there are few of them, plain strings only when neither works. A million-row column of answer
 * labels is then a few megabytes, not a million strings.
 */
const DICT_LIMIT = 2000;

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
  private nums: Float64Array | null = new Float64Array(1024);
  allIntegers = true;
  private dict: Map<string, number> | null = new Map();
  private dictValues: string[] = [];
  private dictCounts: number[] = [];
  private codes: Int32Array | null = new Int32Array(1024);
  private strings: (string | null)[] | null = null;
  maxLength = 0;

  push(raw: string | undefined): void {
    // trim() only when an end is whitespace: most cells have none, and this runs for every cell.
    const value = raw === undefined ? '' : raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
    const i = this.length++;
    if (value.length > this.maxLength) this.maxLength = value.length;
    if (value !== '') this.nonEmpty++;

    if (this.nums) {
      if (i >= this.nums.length) this.nums = grow(this.nums) as Float64Array;
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
    if (this.dict && this.codes) {
      if (i >= this.codes.length) this.codes = grow(this.codes) as Int32Array;
      if (value === '') this.codes[i] = -1;
      else {
        let code = this.dict.get(value);
        if (code === undefined) {
          code = this.dictValues.length;
          if (code >= DICT_LIMIT) {
            this.dropDictionary();
          } else {
            this.dict.set(value, code);
            this.dictValues.push(value);
            this.dictCounts.push(0);
          }
        }
        if (this.dict) {
          this.codes[i] = code;
          this.dictCounts[code]!++;
        }
      }
    }
    if (this.strings) this.strings.push(value === '' ? null : value);
    else if (!this.nums && !this.dict) {
      // Both compact forms just gave up on this cell: rebuild the earlier cells as strings.
      this.strings = [];
      this.strings.push(value === '' ? null : value);
    }
  }

  private dropNumbers(): void {
    const nums = this.nums;
    this.nums = null;
    this.allIntegers = false;
    if (!this.dict && nums && !this.strings) {
      this.strings = [];
      for (let r = 0; r < this.length - 1; r++) this.strings.push(Number.isNaN(nums[r]!) ? null : String(nums[r]));
    }
  }

  private dropDictionary(): void {
    const codes = this.codes;
    const values = this.dictValues;
    this.dict = null;
    this.codes = null;
    if (!this.nums && codes && !this.strings) {
      this.strings = [];
      for (let r = 0; r < this.length - 1; r++) {
        const code = codes[r]!;
        this.strings.push(code < 0 ? null : values[code]!);
      }
    }
    this.dictValues = [];
    this.dictCounts = [];
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
    const out: (string | null)[] = new Array<string | null>(this.length);
    if (this.codes) {
      for (let r = 0; r < this.length; r++) {
        const code = this.codes[r]!;
        out[r] = code < 0 ? null : this.dictValues[code]!;
      }
      return out;
    }
    const nums = this.nums!;
    for (let r = 0; r < this.length; r++) out[r] = Number.isNaN(nums[r]!) ? null : String(nums[r]);
    return out;
  }

  /** The first few distinct non-empty values, for the preview. */
  samples(limit: number): string[] {
    if (this.dict) return this.dictValues.slice(0, limit);
    const seen = new Set<string>();
    for (const v of this.values()) {
      if (v !== null) seen.add(v);
      if (seen.size >= limit) break;
    }
    return [...seen];
  }
}

function grow(array: Float64Array | Int32Array): Float64Array | Int32Array {
  const bigger = new (array.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(array.length * 2);
  bigger.set(array);
  return bigger;
}
