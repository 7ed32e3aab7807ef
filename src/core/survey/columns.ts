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
 *  'document' (empty blob): open answers (type text), stored once as the turns of their survey_text
 *             document; loadColumn rebuilds them as a 'text' column (store.ts documentColumn).
 *
 * Row i of every column of a dataset is the same respondent.
 */
export const I32_MISSING = -2147483648;
export const U8_MISSING = 255;

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

export function decodeColumn(encoding: string, data: Buffer | Uint8Array): Column {
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
