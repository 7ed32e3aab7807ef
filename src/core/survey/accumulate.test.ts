import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from './accumulate';
import { BYTE_NO_ANSWER, byteCodedNumbers } from './columns';
import { firstDuplicate } from './reader';

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

/** The cells fed as a byte reader feeds them: each cell's UTF-8 bytes within one buffer. */
function fedAsBytes(values: string[], textAsBytes = false): ColumnAccumulator {
  const acc = new ColumnAccumulator(16, textAsBytes);
  const buf = Buffer.from(values.join('\u0001'), 'utf8');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let start = 0;
  for (const value of values) {
    const end = start + Buffer.byteLength(value, 'utf8');
    acc.pushBytes(buf, view, start, end, false);
    start = end + 1;
  }
  return acc;
}

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

describe('ColumnAccumulator text kept as bytes', () => {
  it('reads back the same text as strings would, ASCII or not, across the thread boundary', () => {
    const values = Array.from({ length: 4000 }, (_, r) =>
      r % 9 === 0 ? '' : r % 5 === 0 ? `  padded ${r}  ` : r % 7 === 0 ? `Café ${r} 日本 😀` : `answer number ${r}, said twice`,
    );
    const expected = fedAsBytes(values, false).values();
    // More distinct answers than a dictionary keeps: the column is plain text, held as bytes.
    expect(fedAsBytes(values, true).values()).toEqual(expected);
    const crossed = ColumnAccumulator.fromState(fedAsBytes(values, true).state());
    expect(crossed.values()).toEqual(expected);
    expect(crossed.samples(3)).toEqual(expected.filter((v) => v !== null).slice(0, 3));
    expect(expected[5]).toBe('padded 5');
    expect(expected[7]).toBe('Café 7 日本 😀');
  });

  it('appends a half held as bytes to a half held as strings', () => {
    const first = Array.from({ length: 3000 }, (_, r) => `first ${r}`);
    const second = Array.from({ length: 3000 }, (_, r) => (r % 4 === 0 ? '' : `second ${r} ü`));
    const acc = fedAsBytes(first, false);
    acc.append(ColumnAccumulator.fromState(fedAsBytes(second, true).state()));
    expect(acc.values()).toEqual(asRead([...first, ...second]));
  });
});

describe('firstDuplicate (respondent ids)', () => {
  it('finds the first repeated id, in increasing ids or not, and none where there is none', () => {
    const increasing = Array.from({ length: 5000 }, (_, r) => `R${String(r).padStart(6, '0')}`);
    expect(firstDuplicate(increasing, increasing.length)).toBeNull();
    expect(firstDuplicate([...increasing, null, 'R000017'], increasing.length + 2)).toEqual([17, 5001]);
    const shuffled = increasing.map((_, r) => increasing[(r * 7919) % increasing.length]!);
    expect(new Set(shuffled).size).toBe(increasing.length);
    expect(firstDuplicate(shuffled, shuffled.length)).toBeNull();
    expect(firstDuplicate(['b', null, 'a', 'c', 'a', 'b'], 6)).toEqual([2, 4]);
    expect(firstDuplicate(['a', 'b', 'b'], 3)).toEqual([1, 2]);
  });
});

describe('pushBytes and trim()', () => {
  it('keeps or trims every cell exactly as push() of its text does, Unicode spaces included', () => {
    const spaces: string[] = [' ', '\t'];
    for (let c = 0x80; c < 0x110000; c++) {
      if (c >= 0xd800 && c < 0xe000) continue;
      const ch = String.fromCodePoint(c);
      if (ch.trim() === '') spaces.push(ch);
    }
    expect(spaces.length).toBeGreaterThan(15);
    const values = spaces.flatMap((ch) => [`${ch}Agree`, `Agree${ch}`, `${ch}日本${ch}`, ` 日本${ch}`, `${ch}Agree `, '日本', 'Agree']);
    const asText = new ColumnAccumulator(16);
    for (const value of values) asText.push(value);
    const asBytes = fedAsBytes(values);
    expect(asBytes.values()).toEqual(asText.values());
    expect(asBytes.distinct()).toEqual(asText.distinct());
    // An ASCII space at an end starts the trim, which then takes the Unicode space too.
    expect(asBytes.values()[spaces.indexOf('\u3000') * 7 + 3]).toBe('日本');
  });
});

describe('ColumnAccumulator.codeBytes', () => {
  it('gives the same answers as codesFrom, a byte each, whatever the codes start at', () => {
    const values = cells('answer ', 40, 3000);
    const acc = filled(values);
    for (const first of [0, 1, -5, 200]) {
      const table = acc.codeTable((value) => first + Number(value.slice(7)))!;
      const coded = acc.codeBytes(table)!;
      expect(byteCodedNumbers(coded).values).toEqual(acc.codesFrom(table));
      expect(coded.bytes.every((b) => b >= 1 && b <= 251 || b === BYTE_NO_ANSWER)).toBe(true);
    }
    // Codes spread wider than a byte holds, or not whole: the numbers are made instead.
    expect(acc.codeBytes(acc.codeTable((value) => Number(value.slice(7)) * 10)!)).toBeNull();
    expect(acc.codeBytes(acc.codeTable((value) => Number(value.slice(7)) + 0.5)!)).toBeNull();
  });
});
