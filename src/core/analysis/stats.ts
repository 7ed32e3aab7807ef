import jStat from 'jstat';

/** Pearson chi-square test of independence on a table of (possibly weighted) counts. */
export interface ChiSquare {
  chi2: number;
  df: number;
  p: number;
  cramersV: number;
  n: number;
  expected: number[][];
  lowExpectedCells: number;
}

export function chiSquare(observed: number[][]): ChiSquare | null {
  const r = observed.length;
  const c = observed[0]?.length ?? 0;
  if (r < 2 || c < 2) return null;
  const rowSums = observed.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = new Array<number>(c).fill(0);
  for (const row of observed) for (let j = 0; j < c; j++) colSums[j]! += row[j]!;
  const n = rowSums.reduce((a, b) => a + b, 0);
  if (!(n > 0)) return null;
  let chi2 = 0;
  let lowExpectedCells = 0;
  const expected = observed.map((row, i) =>
    row.map((o, j) => {
      const e = (rowSums[i]! * colSums[j]!) / n;
      if (e < 5) lowExpectedCells++;
      if (e > 0) chi2 += ((o - e) * (o - e)) / e;
      return e;
    }),
  );
  const df = (r - 1) * (c - 1);
  const p = chiSquareSurvival(chi2, df);
  const cramersV = Math.sqrt(chi2 / (n * Math.min(r - 1, c - 1)));
  return { chi2, df, p, cramersV, n, expected, lowExpectedCells };
}

/** P(X >= x) for X ~ chi-square(df). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return Math.max(0, 1 - jStat.chisquare.cdf(x, df));
}

/** Two-sided p of a standard normal statistic. */
export function normalTwoSided(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return 2 * jStat.normal.cdf(-Math.abs(z), 0, 1);
}

/** Two-sided p of a Student t statistic. */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? 1 : 0;
  if (!(df > 0)) return 1;
  return 2 * (1 - jStat.studentt.cdf(Math.abs(t), df));
}

/**
 * Two-proportion z test with the pooled proportion. p1, p2 are (weighted) proportions; n1, n2 the
 * (effective) bases. Null when it cannot be computed (empty base, or everyone/no one in both).
 */
export function twoProportionZ(p1: number, n1: number, p2: number, n2: number): number | null {
  if (!(n1 > 0) || !(n2 > 0)) return null;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return null;
  return (p1 - p2) / Math.sqrt(variance);
}

/** Welch's t for two means with their standard deviations and (effective) bases. */
export function welchT(m1: number, s1: number, n1: number, m2: number, s2: number, n2: number): { t: number; df: number } | null {
  if (!(n1 > 1) || !(n2 > 1)) return null;
  const v1 = (s1 * s1) / n1;
  const v2 = (s2 * s2) / n2;
  const se2 = v1 + v2;
  if (!(se2 > 0)) return null;
  const df = (se2 * se2) / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  return { t: (m1 - m2) / Math.sqrt(se2), df };
}

/** Kish effective sample size. */
export function kishEffectiveBase(sumW: number, sumW2: number): number {
  return sumW2 > 0 ? (sumW * sumW) / sumW2 : 0;
}

/**
 * Which of a family of p values are significant at alpha: as they are, with Bonferroni
 * (p·m < alpha), or with Benjamini-Hochberg false discovery rate control.
 */
export function significantSet(pValues: (number | null)[], alpha: number, correction: 'none' | 'bonferroni' | 'fdr'): boolean[] {
  const tested = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  const m = tested.length;
  const out = pValues.map(() => false);
  if (m === 0) return out;
  if (correction === 'none') {
    for (const { p, i } of tested) out[i] = p < alpha;
  } else if (correction === 'bonferroni') {
    for (const { p, i } of tested) out[i] = p * m < alpha;
  } else {
    const sorted = [...tested].sort((a, b) => a.p - b.p);
    let cut = -1;
    sorted.forEach(({ p }, k) => {
      if (p <= ((k + 1) / m) * alpha) cut = k;
    });
    for (let k = 0; k <= cut; k++) out[sorted[k]!.i] = true;
  }
  return out;
}

/** A, B, ..., Z, AA, AB, ... */
export function columnLetter(index: number): string {
  let s = '';
  let k = index;
  do {
    s = String.fromCharCode(65 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}
