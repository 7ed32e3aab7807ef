import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData, sharedDataAvailable } from '../../testing';
import type { ParsedSurvey } from '../model';
import { readSpssFile, userMissingMask } from './index';
import { nums as numbers, strs as strings, variable } from './test-helpers';

/**
 * Every .sav/.zsav in ../shared/data/survey/spss against the values pyreadstat and haven publish
 * for them (the expected CSVs shipped beside the files, and the facts in MANIFEST.md).
 */
const spss = (name: string): string => sharedData(`survey/spss/${name}`);

/** pyreadstat's CSVs: a header row, comma-separated, no quoting needed for these files. */
function readCsv(name: string): Record<string, string>[] {
  const text = fs.readFileSync(spss(name), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

const isNull = (cell: string): boolean => cell === '' || cell === '#NULL!' || cell === 'NaN';
const date = (cell: string): number => (isNull(cell) ? NaN : Date.parse(`${cell.slice(0, 23)}Z`.replace(/^(\d{4}-\d{2}-\d{2})Z$/, '$1T00:00:00Z')));
const clock = (cell: string): number => {
  if (isNull(cell)) return NaN;
  const [h, m, s] = cell.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};
const num = (cell: string): number => (isNull(cell) ? NaN : Number(cell));

function expectSampleMatches(s: ParsedSurvey, rows: Record<string, string>[]): void {
  expect(s.rowCount).toBe(rows.length);
  expect(strings(variable(s, 'mychar'))).toEqual(rows.map((r) => (r.mychar === '' ? null : r.mychar)));
  for (const [name, conv] of [
    ['mynum', num],
    ['mydate', date],
    ['dtime', date],
    ['mylabl', num],
    ['myord', num],
    ['mytime', clock],
  ] as const) {
    const got = numbers(variable(s, name));
    const want = rows.map((r) => conv(r[name]!));
    got.forEach((g, i) => {
      if (Number.isNaN(want[i]!)) expect(g, `${name}[${i}]`).toBeNaN();
      else expect(g, `${name}[${i}]`).toBeCloseTo(want[i]!, 6);
    });
  }
}

describe.skipIf(!sharedDataAvailable)('SPSS files from pyreadstat and haven', () => {
  it('sample.sav equals pyreadstat sample.csv, with types, labels and formats', () => {
    const s = readSpssFile(spss('pyreadstat_sample.sav'));
    expect(s.format).toBe('sav');
    expect(s.encoding).toBe('windows-1252');
    expectSampleMatches(s, readCsv('pyreadstat_sample.csv'));
    expect(s.variables.map((v) => [v.name, v.type])).toEqual([
      ['mychar', 'text'],
      ['mynum', 'numeric'],
      ['mydate', 'date'],
      ['dtime', 'date'],
      ['mylabl', 'single'],
      ['myord', 'ordinal'],
      ['mytime', 'numeric'],
    ]);
    expect(variable(s, 'mylabl').valueLabels).toEqual([
      { code: 1, label: 'Male' },
      { code: 2, label: 'Female' },
    ]);
    expect(variable(s, 'myord').valueLabels.map((l) => l.label)).toEqual(['low', 'medium', 'high']);
    expect(variable(s, 'mynum').label).toBe('numeric');
    expect(variable(s, 'mydate').meta).toMatchObject({ format: 'EDATE10', measure: 'scale' });
    expect(variable(s, 'mytime').meta).toMatchObject({ format: 'TIME8', unit: 'seconds' });
    expect(s.spss.documents[0]).toBe('some test text as notes');
  });

  it('sample.zsav (zlib) reads the same values as sample.sav', () => {
    const z = readSpssFile(spss('pyreadstat_sample.zsav'));
    expect(z.format).toBe('zsav');
    expect(z.spss.compression).toBe('zlib');
    expectSampleMatches(z, readCsv('pyreadstat_sample.csv'));
    const s = readSpssFile(spss('pyreadstat_sample.sav'));
    expect(z.variables.map((v) => [v.name, v.type, v.valueLabels])).toEqual(s.variables.map((v) => [v.name, v.type, v.valueLabels]));
  });

  it('sample_missing.sav keeps user-missing values (sample_missing_user.csv) and flags them (sample_missing.csv)', () => {
    const s = readSpssFile(spss('pyreadstat_sample_missing.sav'));
    expectSampleMatches(s, readCsv('pyreadstat_sample_missing_user.csv'));
    const mynum = variable(s, 'mynum');
    expect(mynum.missing.range).toEqual({ low: 2000, high: 3000 });
    expect(variable(s, 'mylabl').valueLabels.find((l) => l.code === -1)).toEqual({ code: -1, label: 'undetermined', missing: true });

    // With user-missing turned into NA, the values must be those of sample_missing.csv.
    const masked = readCsv('pyreadstat_sample_missing.csv');
    for (const name of ['mynum', 'mylabl', 'myord']) {
      const v = variable(s, name);
      const mask = userMissingMask(v);
      const got = numbers(v).map((x, i) => (mask[i] ? NaN : x));
      masked.forEach((row, i) => {
        const want = num(row[name]!);
        if (Number.isNaN(want)) expect(got[i], `${name}[${i}]`).toBeNaN();
        else expect(got[i], `${name}[${i}]`).toBeCloseTo(want, 6);
      });
    }
  });

  it('missing_test.sav: discrete user-missing value, formatted, unformatted and labelled', () => {
    const s = readSpssFile(spss('pyreadstat_missing_test.sav'));
    const v = variable(s, 'var1');
    const raw = numbers(v);
    expect(raw).toEqual(readCsv('pyreadstat_missing_sav_formatted.csv').map((r) => num(r.var1!)));
    const mask = userMissingMask(v);
    const unformatted = readCsv('pyreadstat_missing_sav_unformatted.csv').map((r) => num(r.var1!));
    raw.forEach((x, i) => (Number.isNaN(unformatted[i]!) ? expect(mask[i]).toBe(1) : expect(x).toBe(unformatted[i])));
    const labelled = readCsv('pyreadstat_missing_sav_labeled.csv').map((r) => r.var1);
    const shown = raw.map((x) => v.valueLabels.find((l) => l.code === x)?.label ?? String(x));
    expect(shown).toEqual(labelled);
    expect(v.valueLabels[0]!.missing).toBe(true);
  });

  it('missing_char.sav: a string user-missing value "Z"', () => {
    const s = readSpssFile(spss('pyreadstat_missing_char.sav'));
    const v = variable(s, 'mychar');
    expect(strings(v)).toEqual(['Z', 'a']);
    expect(v.missing.values).toEqual(['Z']);
    expect(Array.from(userMissingMask(v))).toEqual([1, 0]);
  });

  it('haven: labelled numerics, user-missing, string labels, variable labels', () => {
    const na = readSpssFile(spss('haven_labelled-num-na.sav'));
    const v = na.variables[0]!;
    expect(Array.from(userMissingMask(v))).toEqual([0, 1]);

    const one = readSpssFile(spss('haven_labelled-num.sav')).variables[0]!;
    expect(one.valueLabels).toEqual([{ code: 1, label: 'This is one' }]);
    expect(numbers(one)).toEqual([1]);

    const str = readSpssFile(spss('haven_labelled-str.sav')).variables[0]!;
    expect(str.type).toBe('single');
    expect(strings(str)).toEqual(['M', 'F']);
    expect(Object.fromEntries(str.valueLabels.map((l) => [l.label, l.code]))).toEqual({ Female: 'F', Male: 'M' });

    const sex = variable(readSpssFile(spss('haven_variable-label.sav')), 'sex');
    expect(sex.label).toBe('Gender');
  });

  it('haven umlauts.sav: UTF-8 labels', () => {
    const s = readSpssFile(spss('haven_umlauts.sav'));
    expect(s.encoding).toBe('UTF-8');
    const v = s.variables[0]!;
    expect(v.label).toBe('This is an ä-umlaut');
    expect(v.valueLabels[0]!.label).toBe('the ä umlaut');
  });

  it('haven datetime.sav: DATE, DATETIME and TIME', () => {
    const s = readSpssFile(spss('haven_datetime.sav'));
    expect(variable(s, 'date').type).toBe('date');
    expect(new Date(numbers(variable(s, 'date'))[0]!).toISOString()).toBe('2014-09-22T00:00:00.000Z');
    expect(new Date(numbers(variable(s, 'date.posix'))[1]!).toISOString()).toBe('2014-09-23T15:59:20.000Z');
    const time = variable(s, 'time');
    expect(time.type).toBe('numeric');
    expect(numbers(time)[0]).toBeCloseTo(43870, 0);
  });

  it('tegulu.sav: a UTF-8 very long string (512 bytes in 3 segments), cut mid-character by SPSS', () => {
    const s = readSpssFile(spss('pyreadstat_tegulu.sav'));
    expect(s.variables).toHaveLength(2);
    const v = s.variables[1]!;
    expect(v.meta?.width).toBe(512);
    expect(strings(v)[0]).toBe('నేను గతంలో వాడిన బ');
  });

  it('ordered_category.sav: value labels with an ordinal measure become an ordinal question', () => {
    const v = readSpssFile(spss('pyreadstat_ordered_category.sav')).variables[0]!;
    expect(v.type).toBe('ordinal');
    expect(v.valueLabels.map((l) => l.label)).toEqual(['high', 'low', 'medium']);
  });

  it('simple_alltypes.sav: multiple response sets, dichotomy and category', () => {
    const s = readSpssFile(spss('pyreadstat_simple_alltypes.sav'));
    expect(s.multipleResponseSets).toEqual([
      { name: 'categorical_array', label: '', kind: 'category', variables: ['ca_subvar_1', 'ca_subvar_2', 'ca_subvar_3'] },
      { name: 'mymrset', label: 'My multiple response set', kind: 'dichotomy', countedValue: 1, variables: ['bool1', 'bool2', 'bool3'] },
    ]);
    const bool1 = variable(s, 'bool1');
    expect(bool1).toMatchObject({ type: 'multi', questionGroup: 'mymrset', groupLabel: 'My multiple response set', optionLabel: 'Response #1' });
    expect(variable(s, 'ca_subvar_2').questionGroup).toBe('categorical_array');
    const z = variable(s, 'z');
    expect(z.missing).toEqual({ values: [999], range: { low: -999, high: 0 } });
    expect(variable(s, 'x').valueLabels.map((l) => l.label)).toEqual(['red', 'green', 'blue']);
    expect(strings(variable(s, 'str'))[2]).toBe('reg-green-blue-whatever');
  });
});
