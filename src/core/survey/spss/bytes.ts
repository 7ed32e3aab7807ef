import { FieldbookError } from '../../../shared/errors';

/**
 * A cursor over the file's bytes in the file's own byte order. Every read checks the length first
 * so a cut-off file becomes a PARSE_ERROR naming the record, never a RangeError.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  /** The record being read (1 = the file header), for error messages. */
  record = 0;
  /** What is being read, in plain words ("variable record", "value labels"...). */
  what = 'file header';
  /** The bytes are only the start of a longer file: running out means "read more", not "truncated". */
  partial = false;

  constructor(
    bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly file: string,
    start = 0,
  ) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(message: string, offset = this.pos): never {
    throw new FieldbookError('PARSE_ERROR', message, { file: this.file, record: this.record, offset });
  }

  need(n: number): void {
    if (n >= 0 && this.partial && this.pos + n > this.bytes.length) throw new NeedMoreBytes();
    if (n < 0 || this.pos + n > this.bytes.length) {
      this.fail(
        `${this.file} ends too early: it stops at byte ${this.bytes.length} while reading the ${this.what} (record ${this.record}). The file is probably truncated or only partly copied.`,
      );
    }
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  /** 64-bit integers in the zsav header and trailer; offsets beyond 2^53 are refused as corrupt. */
  i64(): number {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, this.littleEndian);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`${this.file} has an impossible 64-bit value in the ${this.what}.`, this.pos - 8);
    return Number(v);
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Thrown while parsing the start of a file that continues on disk; the caller reads more and retries. */
export class NeedMoreBytes extends Error {
  /** True when only the whole file will do (data that are not bytecode-compressed). */
  readonly whole: boolean;
  constructor(whole = false) {
    super('more bytes needed');
    this.whole = whole;
  }
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
