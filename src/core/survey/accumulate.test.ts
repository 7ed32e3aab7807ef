import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from './accumulate';

/** Cells with an empty one every seventh row, so the empty mark is read back in both code widths. */
function cells(prefix: string, distinct: number, rows: number): string[] {
  return Array.from({ length: rows }, (_, r) => (r % 7 === 3 ? '' : `${prefix}${r % distinct}`));
}

function filled(values: string[]): ColumnAccumulator {
  const acc = new ColumnAccumulator(16);
  for (const value of values) acc.push(value);
  return acc;
}

const asRead = (values: string[]) => values.map((v) => (v === '' ? null : v));

describe('ColumnAccumulator codes', () => {
  it('keeps every answer when its dictionary outgrows one-byte codes', () => {
    const values = cells('answer ', 600, 5000);
    const acc = filled(values);
    expect(acc.values()).toEqual(asRead(values));
    expect(acc.distinct()?.size).toBe(600);
    const table = acc.codeTable((value) => Number(value.slice(7)))!;
    expect(acc.coveredBy(table)).toBe(true);
    expect([...acc.codesFrom(table)]).toEqual(values.map((v) => (v === '' ? Number.NaN : Number(v.slice(7)))));
  });

  it('merges two halves whose dictionaries only together outgrow one-byte codes', () => {
    const first = cells('A', 200, 3000);
    const second = cells('B', 200, 3000);
    const acc = filled(first);
    acc.append(ColumnAccumulator.fromState(filled(second).state()));
    expect(acc.values()).toEqual(asRead([...first, ...second]));
    expect(acc.distinct()?.size).toBe(400);
    expect(acc.length).toBe(6000);
  });

  it('merges one-byte codes into four-byte ones and back into a column with room', () => {
    const wide = cells('W', 300, 2000);
    const narrow = cells('N', 5, 2000);
    for (const [a, b] of [
      [wide, narrow],
      [narrow, wide],
    ] as const) {
      const acc = new ColumnAccumulator(8000);
      for (const value of a) acc.push(value);
      acc.append(ColumnAccumulator.fromState(filled(b).state()));
      expect(acc.values()).toEqual(asRead([...a, ...b]));
    }
  });
});
