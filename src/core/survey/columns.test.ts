import { describe, expect, it } from 'vitest';
import { C8_MISSING, decodeColumn, encodeCodesC8, encodeColumn, I32_MISSING, U8_MISSING, type Column } from './columns';

describe('column encoding', () => {
  const cases: Column[] = [
    { encoding: 'i32', values: Int32Array.from([1, 2, I32_MISSING, 5]) },
    { encoding: 'u8', values: Uint8Array.from([0, 1, U8_MISSING]) },
    { encoding: 'f64', values: Float64Array.from([1.5, Number.NaN, -3]) },
    { encoding: 'text', values: ['a', null, 'ü "quoted"'] },
  ];
  for (const column of cases) {
    it(`round-trips ${column.encoding}`, () => {
      const decoded = decodeColumn(column.encoding, encodeColumn(column));
      expect(decoded.encoding).toBe(column.encoding);
      expect(Array.from(decoded.values as ArrayLike<unknown>)).toEqual(Array.from(column.values as ArrayLike<unknown>));
    });
  }

  it('decodes from an unaligned buffer', () => {
    const raw = encodeColumn({ encoding: 'f64', values: Float64Array.from([7, 8]) });
    const shifted = Buffer.alloc(raw.length + 1);
    raw.copy(shifted, 1);
    const decoded = decodeColumn('f64', shifted.subarray(1));
    expect(Array.from(decoded.values as Float64Array)).toEqual([7, 8]);
  });

  it('refuses an unknown encoding', () => {
    expect(() => decodeColumn('zip', Buffer.alloc(0))).toThrow(/Unknown column encoding/);
  });

  it("stores choice codes 0..254 a byte each ('c8') and reads them back as 'i32'", () => {
    const values = Int32Array.from([0, 1, 254, I32_MISSING, 7, 7]);
    const stored = encodeCodesC8(values)!;
    expect(Array.from(stored)).toEqual([0, 1, 254, C8_MISSING, 7, 7]);
    const decoded = decodeColumn('c8', stored);
    expect(decoded.encoding).toBe('i32');
    expect(Array.from(decoded.values as Int32Array)).toEqual(Array.from(values));
    // From an odd offset, as a SQLite blob may come.
    const shifted = Buffer.alloc(stored.length + 1);
    stored.copy(shifted, 1);
    expect(Array.from(decodeColumn('c8', shifted.subarray(1)).values as Int32Array)).toEqual(Array.from(values));
  });

  it("keeps 4 bytes when a code does not fit a byte (255 is the missing mark, negatives, large codes)", () => {
    for (const code of [255, -1, 300, 2147483647]) expect(encodeCodesC8(Int32Array.from([1, code, I32_MISSING]))).toBeNull();
    // With the encoder's count of codes 0..255: a 255 among them keeps 4 bytes, none does not.
    const perCode = new Int32Array(256);
    perCode[3] = 2;
    expect(encodeCodesC8(Int32Array.from([3, 3]), perCode)).not.toBeNull();
    perCode[255] = 1;
    expect(encodeCodesC8(Int32Array.from([3, 3, 255]), perCode)).toBeNull();
  });
});

