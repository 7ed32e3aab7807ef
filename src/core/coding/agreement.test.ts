import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData, sharedDataAvailable } from '../testing/index';
import { agreementStats, cohensKappa, fleissKappa, krippendorffAlphaNominal, percentAgreement } from './agreement';

function readJson(relative: string): { data: Record<string, unknown>; expected: Record<string, unknown> } {
  return JSON.parse(fs.readFileSync(sharedData(relative), 'utf8'));
}

describe.skipIf(!sharedDataAvailable)('agreement statistics equal the published reference values', () => {
  it("Cohen's κ equals SAS PROC FREQ on the 3×3 table", () => {
    const ref = readJson('stats/cohens_kappa_sas_3x3.json');
    const table = ref.data.table as number[][];
    const expected = (ref.expected.unweighted as { kappa: number }).kappa;
    const kappa = cohensKappa(table);
    expect(kappa).not.toBeNull();
    expect(kappa!).toBeCloseTo(expected, 4);
  });

  it("Krippendorff's α (nominal) equals Krippendorff 2011, with missing data", () => {
    const ref = readJson('stats/krippendorff_alpha_2011_example_4coders_12units.json');
    const data = ref.data.reliability_data as (number | null)[][];
    const alpha = krippendorffAlphaNominal(data);
    expect(alpha!).toBeCloseTo(ref.expected.nominal as number, 3);
    const precise = (ref as unknown as { expected_full_precision_local_recompute: { nominal: number } }).expected_full_precision_local_recompute;
    expect(alpha!).toBeCloseTo(precise.nominal, 6);
    // The same data as strings (the published string variant) gives the same α.
    const mapping = (ref.data.string_variant as { mapping: Record<string, string> }).mapping;
    const strings = data.map((row) => row.map((v) => (v === null ? null : mapping[String(v)]!)));
    expect(krippendorffAlphaNominal(strings)!).toBeCloseTo(ref.expected.string_variant_nominal as number, 3);
  });

  it("Fleiss' κ equals the Wikipedia / statsmodels example", () => {
    const ref = readJson('stats/fleiss_kappa_wikipedia_10subjects_14raters.json');
    const result = fleissKappa(ref.data.counts as number[][]);
    expect(result!.kappa!).toBeCloseTo(ref.expected.kappa as number, 3);
    expect(result!.pBar).toBeCloseTo(ref.expected.P_bar as number, 3);
    expect(result!.peBar).toBeCloseTo(ref.expected.P_e_bar as number, 3);
  });
});

describe('agreement on binary unit data', () => {
  it('percent agreement ignores units judged by fewer than two coders', () => {
    expect(percentAgreement([[1, 0, 1, null], [1, 1, 1, 0]])).toBeCloseTo(2 / 3, 10);
  });

  it('two coders in perfect agreement get κ = α = 1', () => {
    const stats = agreementStats([
      [1, 0, 0, 1, 0],
      [1, 0, 0, 1, 0],
    ]);
    expect(stats).toEqual({ units: 5, percentAgreement: 1, cohensKappa: 1, krippendorffAlpha: 1, fleissKappa: 1 });
  });

  it("Cohen's κ from unit data matches the 2×2 table it implies", () => {
    const a: (0 | 1)[] = [1, 1, 1, 0, 0, 0, 1, 0, 1, 0];
    const b: (0 | 1)[] = [1, 1, 0, 0, 0, 1, 1, 0, 0, 0];
    // table: a=1,b=1: 3; a=1,b=0: 2; a=0,b=1: 1; a=0,b=0: 4 → po=.7, pe=.5*.4+.5*.6=.5, κ=.4
    const stats = agreementStats([a, b]);
    expect(stats.cohensKappa!).toBeCloseTo(0.4, 10);
    expect(stats.percentAgreement!).toBeCloseTo(0.7, 10);
  });
});
