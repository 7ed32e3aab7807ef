import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FieldbookError } from '../../../shared/errors';
import { sharedData, sharedDataAvailable } from '../../testing';
import { readSpss, readSpssFile } from './index';
import { caught, fixture, nums, strs, variable } from './test-helpers';



describe.skipIf(!sharedDataAvailable)('SPSS portable files from pyreadstat', () => {
  it('sample.por equals sample.csv and the same file as .sav', () => {
    const por = readSpssFile(sharedData('survey/spss/pyreadstat_sample.por'));
    const sav = readSpssFile(sharedData('survey/spss/pyreadstat_sample.sav'));
    expect(por.format).toBe('por');
    expect(por.rowCount).toBe(5);
    expect(por.spss.product).toBe('IBM SPSS Statistics 25.0');
    expect(por.spss.documents).toEqual(sav.spss.documents);
    for (const v of sav.variables) {
      const p = variable(por, v.name, { ignoreCase: true });
      expect(p.label, v.name).toBe(v.label);
      expect(p.valueLabels, v.name).toEqual(v.valueLabels);
      expect(p.meta?.format, v.name).toBe(v.meta?.format);
      if (v.values.kind === 'string') expect(strs(p)).toEqual(strs(v));
      else nums(p).forEach((x, i) => (Number.isNaN(nums(v)[i]!) ? expect(x).toBeNaN() : expect(x).toBeCloseTo(nums(v)[i]!, 6)));
    }
    // The CSV's values, spelled out: base-30 "1.3/" is 1.1, "*." is system-missing.
    expect(nums(variable(por, 'mynum', { ignoreCase: true }))).toEqual([1.1, 1.2, -1000.3, -1.4, 1000.3].map((x) => expect.closeTo(x, 9)));
    expect(new Date(nums(variable(por, 'mydate', { ignoreCase: true }))[1]!).toISOString().slice(0, 10)).toBe('1880-05-06');
    expect(nums(variable(por, 'mytime', { ignoreCase: true }))[4]).toBeNaN();
  });
});

describe('SPSS portable files written by GNU PSPP (fixtures/make-pspp-por.sps)', () => {
  it('labels, missing values, weights, dates and UTF-8 text', () => {
    const s = readSpssFile(fixture('pspp_utf8.por'));
    expect(s.encoding).toBe('UTF-8');
    expect(s.rowCount).toBe(4);
    expect(s.spss.weightVariable).toBe('WEIGHTVA');
    expect(variable(s, 'weightva', { ignoreCase: true }).type).toBe('weight');
    expect(strs(variable(s, 'city', { ignoreCase: true }))).toEqual(['Zürich café', 'naïve résumé', null, 'plain']);
    const sat = variable(s, 'satisfac', { ignoreCase: true });
    expect(sat.label).toBe('How satisfied are you – overall?');
    expect(sat.missing).toEqual({ values: [9] });
    expect(sat.valueLabels.at(-1)).toEqual({ code: 9, label: 'Refused', missing: true });
    expect(nums(variable(s, 'visited', { ignoreCase: true })).map((x) => (Number.isNaN(x) ? null : new Date(x).toISOString().slice(0, 10)))).toEqual(['2024-03-15', '2023-12-31', null, '1999-01-01']);
    expect(nums(variable(s, 'spent', { ignoreCase: true }))).toEqual([37800, 86399, 1, NaN]);
    const code = variable(s, 'longcode', { ignoreCase: true });
    expect(code.missing).toEqual({ values: ['refused'] });
    expect(strs(code)).toEqual(['alpha-beta', 'gamma-delta', 'refused', 'alpha-beta']);
  });

  it('a PSPP export of a windows-1252 file: UTF-8 labels and windows-1252 data, each read right', () => {
    const s = readSpssFile(fixture('pspp_w1252.por'));
    expect(strs(variable(s, 'name', { ignoreCase: true }))).toEqual(['Müller', 'Gérard', 'Æsop']);
    expect(variable(s, 'name', { ignoreCase: true }).label).toBe('Nom de famille – naïf');
    expect(variable(s, 'score', { ignoreCase: true }).missing).toEqual({ values: [99], range: { low: 1, high: 5 } });
    expect(variable(s, 'score', { ignoreCase: true }).valueLabels).toEqual([{ code: 10.5, label: 'dix et demi €' }]);
    const forced = readSpssFile(fixture('pspp_w1252.por'), { encoding: 'windows-1252' });
    expect(forced.encoding).toBe('windows-1252');
    expect(strs(variable(forced, 'name', { ignoreCase: true }))[0]).toBe('Müller');
  });

  it('every prefix is refused with PARSE_ERROR and a line and column', () => {
    const full = fs.readFileSync(fixture('pspp_utf8.por'));
    // The data end with a run of "Z" (and line breaks); any cut before that run loses data.
    let lastData = full.length - 1;
    while (lastData > 0 && [0x5a, 0x0d, 0x0a].includes(full[lastData]!)) lastData--;
    for (let n = 0; n <= lastData; n += 5) {
      const err = caught(() => readSpss(full.subarray(0, n), 'cut.por'));
      expect(err.code, `cut at ${n}`).toBe('PARSE_ERROR');
      expect(err.details?.file).toBe('cut.por');
    }
    const err = caught(() => readSpss(full.subarray(0, full.length - 200), 'cut.por'));
    expect(err.details?.line).toBeGreaterThan(6);
    expect(err.details?.column).toBeGreaterThanOrEqual(1);
  });

  it('damaged bytes give PARSE_ERROR (or a result), never an exception of another kind', () => {
    const full = fs.readFileSync(fixture('pspp_utf8.por'));
    let seed = 99;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const copy = new Uint8Array(full);
      for (let k = 0; k < 3; k++) copy[464 + rand(copy.length - 464)] = 0x20 + rand(0x5f);
      try {
        readSpss(copy, 'damaged.por');
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(FieldbookError);
        expect((e as FieldbookError).code).toBe('PARSE_ERROR');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
