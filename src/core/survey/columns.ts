/**
 * How answers are stored: one blob per variable in `variable_data`, so a cross-tab of a million
 * respondents is a loop over typed arrays, not a million-row join.
 *
 *  encoding | array        | missing value        | used for
 *  ---------|--------------|----------------------|-----------------------------------------------
 *  'i32'    | Int32Array   | I32_MISSING          | single, ordinal: the value's code (value_label.code)
 *  'u8'     | Uint8Array   | U8_MISSING           | multi: 1 chosen, 0 not chosen, missing = not asked
 *  'f64'    | Float64Array | NaN                  | numeric, weight, date (ms since 1970-01-01 UTC)
 *  'text'   | string[]     | null                 | id, metadata (JSON array of string | null)
 *  'c8' (stored only): an 'i32' column whose codes all lie in 0..254, one byte per answer, 255 for
 *             missing; decodeColumn gives it back as 'i32'. A survey's choice columns are mostly
 *             this, and a quarter of the bytes is a quarter of the pages to write and read.
 *  'document' (empty blob): open answers (type text), stored once as the turns of their survey_text
 *             document; loadColumn rebuilds them as a 'text' column (store.ts documentColumn).
 *
 * Row i of every column of a dataset is the same respondent.
 */
export const I32_MISSING = -2147483648;
export const U8_MISSING = 255;
/** The byte of a missing answer in a stored 'c8' column. */
export const C8_MISSING = 255;

export type Column =
  | { encoding: 'i32'; values: Int32Array }
  | { encoding: 'u8'; values: Uint8Array }
  | { encoding: 'f64'; values: Float64Array }
  | { encoding: 'text'; values: (string | null)[] };

export type ColumnEncoding = Column['encoding'];

export function encodeColumn(column: Column): Buffer {
  switch (column.encoding) {
    case 'i32':
    case 'u8':
    case 'f64':
      // Typed arrays are stored in the machine's byte order; every supported platform is little-endian.
      return Buffer.from(column.values.buffer, column.values.byteOffset, column.values.byteLength);
    case 'text':
      return Buffer.from(JSON.stringify(column.values), 'utf8');
  }
}

/**
 * The 'c8' form of an 'i32' column, or null when a code lies outside 0..254. `codes` says which
 * codes occur when the encoder counted them (index = code): then no answer needs checking first.
 */
export function encodeCodesC8(values: Int32Array, codes?: Int32Array): Buffer | null {
  if (codes) {
    if (codes.length > 256 || (codes.length === 256 && codes[255]! > 0)) return null;
  } else {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x !== I32_MISSING && (x < 0 || x > 254)) return null;
    }
  }
  const out = Buffer.allocUnsafe(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    out[i] = x === I32_MISSING ? C8_MISSING : x;
  }
  return out;
}

/** 'c8' codes as 'i32' codes, in an array of `length` (at least the codes'; the rest is 0). */
export function widenC8(data: Uint8Array, length = data.byteLength): Int32Array {
  const values = new Int32Array(length);
  for (let i = 0; i < data.byteLength; i++) {
    const x = data[i]!;
    values[i] = x === C8_MISSING ? I32_MISSING : x;
  }
  return values;
}

export function decodeColumn(encoding: string, data: Buffer | Uint8Array): Column {
  if (encoding === 'c8') return { encoding: 'i32', values: widenC8(data) };
  // Copy into a fresh, aligned buffer: SQLite blobs may start at any byte offset.
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(data);
  switch (encoding) {
    case 'i32':
      return { encoding, values: new Int32Array(bytes.buffer, 0, bytes.byteLength / 4) };
    case 'u8':
      return { encoding, values: bytes };
    case 'f64':
      return { encoding, values: new Float64Array(bytes.buffer, 0, bytes.byteLength / 8) };
    case 'text':
      return { encoding, values: JSON.parse(Buffer.from(bytes).toString('utf8')) as (string | null)[] };
    default:
      throw new Error(`Unknown column encoding: ${encoding}`);
  }
}

export function columnLength(column: Column): number {
  return column.values.length;
}

/**
 * Whole-number answers a reader keeps a byte each because its file stores them so (the SPSS
 * bytecode: byte b for the number b - bias, 1 ≤ b ≤ 251; 255 for no answer). The numbers
 * themselves are made only when something reads `values`; the importer asks byteCodesOf() first
 * and codes choice questions straight from the bytes.
 */
export interface ByteCodes {
  bytes: Uint8Array;
  bias: number;
}

/** The byte of an answer that is missing in ByteCodes. */
export const BYTE_NO_ANSWER = 255;

const byteCoded = new WeakMap<object, ByteCodes>();

/** The numbers of `codes` as a reader's RawValues: a Float64Array made on first read, NaN for no answer. */
export function byteCodedNumbers(codes: ByteCodes): { kind: 'number'; readonly values: Float64Array } {
  let numbers: Float64Array | undefined;
  const raw = {
    kind: 'number' as const,
    get values(): Float64Array {
      if (!numbers) {
        const { bytes, bias } = codes;
        numbers = new Float64Array(bytes.length);
        for (let i = 0; i < bytes.length; i++) {
          const b = bytes[i]!;
          numbers[i] = b === BYTE_NO_ANSWER ? Number.NaN : b - bias;
        }
        // Once the numbers exist, they are the answers (whoever holds them may change them).
        byteCoded.delete(raw);
      }
      return numbers;
    },
  };
  byteCoded.set(raw, codes);
  return raw;
}

/** The bytes behind a reader's numbers, while nothing has read them as numbers. */
export function byteCodesOf(values: object): ByteCodes | undefined {
  return byteCoded.get(values);
}
