import { describe, expect, it } from 'vitest';
import { decodeColumn, encodeColumn, I32_MISSING, U8_MISSING, type Column } from './columns';

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
});
