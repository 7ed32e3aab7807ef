import fs from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import { tableSpecSchema, type TableResult, type TableSpecInput } from '../../shared/contract/tables';
import { sharedData, sharedDataAvailable } from '../testing/index';
import { computeTable } from './crosstab';
import { arrayFrame, singleAxis, type Axis, type Category } from './frame';
import { chiSquare, significantSet } from './stats';

/** A small deterministic generator, so the data (not the expected values) is fixed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cats = (...labels: string[]): Category[] => labels.map((label, i) => ({ key: String(i + 1), label }));

function spec(input: Omit<TableSpecInput, 'source'>) {
  return tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds: [1] }, ...input });
}

function cell(result: TableResult, group: number, rowKey: string, columnKey: string) {
  const g = result.groups[group]!;
  const r = g.rows.find((x) => x.key === rowKey);
  const c = result.columns.findIndex((x) => x.key === columnKey);
  if (!r || c < 0) throw new Error(`no cell ${rowKey} / ${columnKey}`);
  return { cell: r.cells[c]!, base: g.bases[c]! };
}

/** Expands a contingency table into one unit per count. */
function unitsFromTable(observed: number[][]): { row: Int32Array; col: Int32Array; n: number } {
  const rows: number[] = [];
  const cols: number[] = [];
  observed.forEach((line, r) => line.forEach((count, c) => {
    for (let k = 0; k < count; k++) {
      rows.push(r);
      cols.push(c);
    }
  }));
  return { row: Int32Array.from(rows), col: Int32Array.from(cols), n: rows.length };
}

describe.skipIf(!sharedDataAvailable)('chi-square against the SciPy reference', () => {
  let ref: { data: { observed: number[][] }; expected: { chi2: number; p: number; dof: number; expected_counts: number[][]; cramers_v: number } };
  // Read when the suite runs, not when it is collected: a skipped suite's body still runs.
  beforeAll(() => {
    ref = JSON.parse(fs.readFileSync(sharedData('stats/chisq_scipy_docstring_2x3.json'), 'utf8')) as typeof ref;
  });

  it('matches chi2, p, dof, expected counts and Cramér V directly', () => {
    const result = chiSquare(ref.data.observed)!;
    expect(result.chi2).toBeCloseTo(ref.expected.chi2, 10);
    expect(result.p).toBeCloseTo(ref.expected.p, 8);
    expect(result.df).toBe(ref.expected.dof);
    expect(result.cramersV).toBeCloseTo(ref.expected.cramers_v, 10);
    result.expected.forEach((line, r) => line.forEach((e, c) => expect(e).toBeCloseTo(ref.expected.expected_counts[r]![c]!, 10)));
  });

  it('gives the same values through a whole table built from respondents', () => {
    const { row, col, n } = unitsFromTable(ref.data.observed);
    const frame = arrayFrame(n, [singleAxis('Q1', 'Row question', cats('a', 'b'), row), singleAxis('Q2', 'Banner question', cats('x', 'y', 'z'), col)]);
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['Q2'] }));
    const chi = result.groups[0]!.chiSquare[0]!;
    expect(chi.chi2).toBeCloseTo(ref.expected.chi2, 10);
    expect(chi.p).toBeCloseTo(ref.expected.p, 8);
    expect(chi.df).toBe(ref.expected.dof);
    expect(chi.cramersV).toBeCloseTo(ref.expected.cramers_v, 10);
    expect(chi.lowExpectedCells).toBe(0);
    expect(chi.warning).toBeUndefined();
    // The counts themselves come back in the right cells.
    expect(cell(result, 0, 'cat:1', 'Q2=3').cell.count).toBe(ref.data.observed[0]![2]);
    expect(cell(result, 0, 'cat:2', 'total').cell.count).toBe(60);
    expect(result.method).toContain('Chi-square');
  });
});

describe('cross-tab engine', () => {
  const n = 3000;
  const rand = rng(7);
  const q1 = new Int32Array(n);
  const q2 = new Int32Array(n);
  const score = new Float64Array(n);
  const weight = new Float64Array(n);
  const opts = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  for (let i = 0; i < n; i++) {
    q2[i] = Math.floor(rand() * 3);
    // Row answers depend on the banner, so some column differences are real.
    const shift = q2[i] === 2 ? 0.25 : 0;
    const u = rand();
    q1[i] = rand() < 0.03 ? -1 : u < 0.2 + shift ? 4 : u < 0.45 ? 3 : u < 0.7 ? 2 : u < 0.85 ? 1 : 0;
    score[i] = rand() < 0.05 ? Number.NaN : Math.round(rand() * 100) / 10;
    weight[i] = 0.3 + rand() * 2.5;
    // One in five skipped the multi-select question (all options 0).
    if (rand() > 0.2) {
      let any = false;
      for (const o of opts) {
        if (rand() < 0.45) {
          o[i] = 1;
          any = true;
        }
      }
      if (!any) opts[0]![i] = 1;
    }
  }
  const likert = cats('Decrease a lot', 'Decrease somewhat', 'Stay the same', 'Increase somewhat', 'Increase a lot');
  const frame = arrayFrame(n, [
    singleAxis('Q1', 'Expected change', likert, q1, 'ordinal'),
    singleAxis('Q2', 'Industry', cats('Retail', 'Health', 'Telecom'), q2),
    { kind: 'multi', ref: 'Q3', label: 'Where you run workloads', categories: cats('Cloud', 'Edge', 'On premises'), options: opts, answered: null },
    { kind: 'numeric', ref: 'AGE', label: 'Score', values: score },
    { kind: 'numeric', ref: 'W', label: 'Weight', values: weight },
  ] satisfies Axis[]);

  it('counts and percentages equal a direct count', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['Q2'], cells: ['count', 'colPct', 'rowPct', 'totalPct'] }));
    for (let b = 0; b < 3; b++) {
      let base = 0;
      let inCell = 0;
      let inRow = 0;
      let all = 0;
      for (let i = 0; i < n; i++) {
        if (q1[i]! < 0) continue;
        all++;
        if (q1[i] === 4) inRow++;
        if (q2[i] !== b) continue;
        base++;
        if (q1[i] === 4) inCell++;
      }
      const { cell: c, base: cb } = cell(result, 0, 'cat:5', `Q2=${b + 1}`);
      expect(c.count).toBe(inCell);
      expect(cb.unweighted).toBe(base);
      expect(c.colPct).toBeCloseTo((100 * inCell) / base, 12);
      expect(c.rowPct).toBeCloseTo((100 * inCell) / inRow, 12);
      expect(c.totalPct).toBeCloseTo((100 * inCell) / all, 12);
    }
  });

  it('weighted counts equal a straightforward sum of weights, with the Kish effective base', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['Q2'], weight: 'W', cells: ['weightedCount', 'colPct'] }));
    expect(result.weighted).toBe(true);
    for (let b = 0; b < 3; b++) {
      let sw = 0;
      let sw2 = 0;
      let swCell = 0;
      for (let i = 0; i < n; i++) {
        if (q1[i]! < 0 || q2[i] !== b) continue;
        sw += weight[i]!;
        sw2 += weight[i]! * weight[i]!;
        if (q1[i] === 2) swCell += weight[i]!;
      }
      const { cell: c, base } = cell(result, 0, 'cat:3', `Q2=${b + 1}`);
      expect(c.weightedCount).toBeCloseTo(swCell, 9);
      expect(base.weighted).toBeCloseTo(sw, 9);
      expect(base.effective).toBeCloseTo((sw * sw) / sw2, 9);
      expect(base.effective).toBeLessThan(base.unweighted);
      expect(c.colPct).toBeCloseTo((100 * swCell) / sw, 9);
    }
    expect(result.method).toMatch(/Kish effective base/);
  });

  it('column-proportion z values equal an independent two-proportion z, with letters where significant', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['Q2'] }));
    const count = (b: number, r: number) => {
      let x = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (q1[i]! < 0 || q2[i] !== b) continue;
        m++;
        if (q1[i] === r) x++;
      }
      return { x, m };
    };
    let lettersSeen = 0;
    for (let r = 0; r < 5; r++) {
      for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
        const A = count(a, r);
        const B = count(b, r);
        const p1 = A.x / A.m;
        const p2 = B.x / B.m;
        const p = (A.x + B.x) / (A.m + B.m);
        const z = (p1 - p2) / Math.sqrt(p * (1 - p) * (1 / A.m + 1 / B.m));
        const ca = cell(result, 0, `cat:${r + 1}`, `Q2=${a + 1}`).cell;
        const cb = cell(result, 0, `cat:${r + 1}`, `Q2=${b + 1}`).cell;
        const la = String.fromCharCode(65 + a);
        const lb = String.fromCharCode(65 + b);
        expect(ca.z![lb]).toBeCloseTo(z, 10);
        expect(cb.z![la]).toBeCloseTo(-z, 10);
        // 1.959964 is the two-sided 95% critical value.
        const significant = Math.abs(z) > 1.959964;
        expect(ca.letters.includes(lb)).toBe(significant && z > 0);
        expect(cb.letters.includes(la)).toBe(significant && z < 0);
        if (significant) lettersSeen++;
      }
    }
    // The data was built with a real difference for Telecom (C).
    expect(lettersSeen).toBeGreaterThan(0);
    expect(cell(result, 0, 'cat:5', 'Q2=3').cell.letters).toEqual(['A', 'B']);
  });

  it('Bonferroni and FDR corrections only ever remove letters, and 99% removes more than 95%', () => {
    const letters = (tests: object) => {
      const r = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['Q2'], tests }));
      return r.groups[0]!.rows.flatMap((row) => row.cells.flatMap((c) => c.letters)).length;
    };
    const none = letters({ correction: 'none' });
    const bonf = letters({ correction: 'bonferroni' });
    const fdr = letters({ correction: 'fdr' });
    const strict = letters({ level: 0.99 });
    expect(bonf).toBeLessThanOrEqual(fdr);
    expect(fdr).toBeLessThanOrEqual(none);
    expect(strict).toBeLessThanOrEqual(none);
    // Benjamini-Hochberg on a known family.
    expect(significantSet([0.01, 0.04, 0.03, 0.2], 0.05, 'fdr')).toEqual([true, false, false, false]);
    expect(significantSet([0.01, 0.02, 0.03, 0.2], 0.05, 'fdr')).toEqual([true, true, true, false]);
    // Pairs that cannot be tested do not count in the family size.
    expect(significantSet([0.01, 0.03, null], 0.05, 'bonferroni')).toEqual([true, false, false]);
    expect(significantSet([0.01, 0.02, null], 0.05, 'bonferroni')).toEqual([true, true, false]);
  });

  it('multi-select: percent of respondents who answered (never of answers), with the >100% note', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q3', nets: [{ label: 'Cloud or edge', members: ['1', '2'] }] }], banner: ['Q2'] }));
    const g = result.groups[0]!;
    let answered = 0;
    let responses = 0;
    let edge = 0;
    let cloudOrEdge = 0;
    for (let i = 0; i < n; i++) {
      const chosen = opts.reduce((s, o) => s + o[i]!, 0);
      if (chosen === 0) continue;
      answered++;
      responses += chosen;
      if (opts[1]![i]) edge++;
      if (opts[0]![i] || opts[1]![i]) cloudOrEdge++;
    }
    expect(answered).toBeLessThan(n);
    expect(responses).toBeGreaterThan(answered);
    const total = g.bases[0]!;
    expect(total.unweighted).toBe(answered);
    expect(cell(result, 0, 'cat:2', 'total').cell.colPct).toBeCloseTo((100 * edge) / answered, 12);
    // A net of a multi-select question counts people who chose any member, not the sum.
    expect(cell(result, 0, 'net:0', 'total').cell.count).toBe(cloudOrEdge);
    expect(g.rows.find((r) => r.key === 'net:0')!.members).toEqual(['Cloud', 'Edge']);
    const sum = g.rows.filter((r) => r.kind === 'category').reduce((s, r) => s + r.cells[0]!.colPct!, 0);
    expect(sum).toBeGreaterThan(100);
    expect(g.notes.join(' ')).toMatch(/more than 100%/);
    expect(g.chiSquare).toEqual([]);
  });

  it('a multi-select banner puts a respondent in every column they chose', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q2' }], banner: ['Q3'] }));
    for (let o = 0; o < 3; o++) {
      let base = 0;
      for (let i = 0; i < n; i++) if (opts[o]![i]) base++;
      expect(cell(result, 0, 'cat:1', `Q3=${o + 1}`).base.unweighted).toBe(base);
    }
    expect(result.blocks[1]!.overlapping).toBe(true);
  });

  it('nets of a scale: members summed, top-2 and bottom-2 boxes', () => {
    const result = computeTable(
      frame,
      spec({
        rows: [{ ref: 'Q1', nets: [{ label: 'Increase (net)', members: ['Increase a lot', '4'] }, { box: 'bottom2' }, { box: 'top2' }] }],
        banner: ['Q2'],
      }),
    );
    const g = result.groups[0]!;
    const inc = cell(result, 0, 'net:0', 'Q2=1').cell;
    const parts = ['cat:4', 'cat:5'].map((k) => cell(result, 0, k, 'Q2=1').cell);
    expect(inc.count).toBe(parts[0]!.count + parts[1]!.count);
    expect(inc.colPct).toBeCloseTo(parts[0]!.colPct! + parts[1]!.colPct!, 10);
    expect(g.rows[0]!.members).toEqual(['Increase a lot', 'Increase somewhat']);
    expect(g.rows[1]!.label).toBe('Bottom 2 box (net)');
    expect(g.rows[1]!.members).toEqual(['Decrease a lot', 'Decrease somewhat']);
    expect(cell(result, 0, 'net:2', 'total').cell.count).toBe(cell(result, 0, 'net:0', 'total').cell.count);
    // Nets only.
    const only = computeTable(frame, spec({ rows: [{ ref: 'Q1', nets: [{ box: 'top2' }], showCategories: false }] }));
    expect(only.groups[0]!.rows.map((r) => r.kind)).toEqual(['net']);
  });

  it('a filter makes the base those asked', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'Q1' }], filter: [{ ref: 'Q3', op: 'in', values: ['Edge'] }] }));
    let base = 0;
    for (let i = 0; i < n; i++) if (opts[1]![i] && q1[i]! >= 0) base++;
    expect(result.groups[0]!.bases[0]!.unweighted).toBe(base);
    expect(result.filterText).toBe('Q3 is Edge');
    expect(result.method).toContain('Q3 is Edge');
    expect(() => computeTable(frame, spec({ rows: [{ ref: 'Q1' }], filter: [{ ref: 'Q2', values: ['Mining'] }] }))).toThrow(/Mining/);
  });

  it('the filter text reads as the builder offers it: none of, at least, at most, between', () => {
    const run = (filter: TableSpecInput['filter']) => computeTable(frame, spec({ rows: [{ ref: 'Q1' }], filter }));
    const count = (keep: (i: number) => boolean) => {
      let base = 0;
      for (let i = 0; i < n; i++) if (q1[i]! >= 0 && keep(i)) base++;
      return base;
    };
    const neither = run([{ ref: 'Q2', op: 'notIn', values: ['Retail', 'Telecom'] }]);
    expect(neither.filterText).toBe('Q2 is neither Retail nor Telecom');
    expect(neither.groups[0]!.bases[0]!.unweighted).toBe(count((i) => q2[i] === 1));
    expect(run([{ ref: 'Q2', op: 'notIn', values: ['Retail'] }]).filterText).toBe('Q2 is not Retail');
    expect(run([{ ref: 'Q1', op: 'notIn', values: ['Decrease a lot', 'Decrease somewhat', 'Stay the same'] }]).filterText).toBe(
      'Q1 is none of Decrease a lot, Decrease somewhat or Stay the same',
    );
    const atLeast = run([{ ref: 'AGE', op: 'between', min: 4.5 }]);
    expect(atLeast.filterText).toBe('AGE at least 4.5');
    expect(atLeast.groups[0]!.bases[0]!.unweighted).toBe(count((i) => score[i]! >= 4.5));
    const atMost = run([{ ref: 'AGE', op: 'between', max: 2 }]);
    expect(atMost.filterText).toBe('AGE at most 2');
    expect(atMost.groups[0]!.bases[0]!.unweighted).toBe(count((i) => score[i]! <= 2));
    const both = run([{ ref: 'AGE', op: 'between', min: 2, max: 4.5 }, { ref: 'Q2', op: 'in', values: ['Retail', 'Health'] }]);
    expect(both.filterText).toBe('AGE between 2 and 4.5 and Q2 is Retail or Health');
    expect(both.groups[0]!.bases[0]!.unweighted).toBe(count((i) => score[i]! >= 2 && score[i]! <= 4.5 && q2[i] !== 2));
  });

  it('means of a numeric row, weighted, with the standard deviation', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'AGE' }], banner: ['Q2'], weight: 'W', cells: ['mean'] }));
    let sw = 0;
    let sx = 0;
    for (let i = 0; i < n; i++) {
      if (q2[i] !== 1 || score[i] !== score[i]) continue;
      sw += weight[i]!;
      sx += weight[i]! * score[i]!;
    }
    const mean = cell(result, 0, 'mean', 'Q2=2').cell;
    expect(mean.mean).toBeCloseTo(sx / sw, 10);
    expect(mean.sd).toBeGreaterThan(2);
    expect(result.groups[0]!.kind).toBe('numeric');
  });

  it('mean rows are tested with Welch t between columns', () => {
    const result = computeTable(frame, spec({ rows: [{ ref: 'AGE' }], banner: ['Q2'] }));
    const stats = [0, 1, 2].map((b) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) if (q2[i] === b && score[i] === score[i]) xs.push(score[i]!);
      const m = xs.reduce((a, x) => a + x, 0) / xs.length;
      const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
      return { m, v, n: xs.length };
    });
    const [a, b] = [stats[0]!, stats[2]!];
    const t = (a.m - b.m) / Math.sqrt(a.v / a.n + b.v / b.n);
    const mean = cell(result, 0, 'mean', 'Q2=1').cell;
    expect(mean.mean).toBeCloseTo(a.m, 10);
    expect(mean.sd).toBeCloseTo(Math.sqrt(a.v), 10);
    expect(mean.z!.C).toBeCloseTo(t, 10);
  });

  it('flags bases under 30 and warns about expected counts under 5', () => {
    const small = arrayFrame(40, [
      singleAxis('A', 'A', cats('yes', 'no', 'maybe'), Int32Array.from({ length: 40 }, (_, i) => (i < 3 ? 2 : i % 2))),
      singleAxis('B', 'B', cats('x', 'y'), Int32Array.from({ length: 40 }, (_, i) => (i < 25 ? 0 : 1))),
    ]);
    const result = computeTable(small, spec({ rows: [{ ref: 'A' }], banner: ['B'] }));
    const g = result.groups[0]!;
    expect(g.bases.map((b) => b.low)).toEqual([false, true, true]);
    expect(g.chiSquare[0]!.warning).toMatch(/expected counts under 5/);
    expect(g.notes.join(' ')).toMatch(/under 30/);
  });

  it('waves: change in percentage points against the previous wave, and whether it is significant', () => {
    // Wave 1: 38% of 500 chose yes; wave 2: 50% of 600.
    const make = (yes: number, total: number) => Array.from({ length: total }, (_, i) => (i < yes ? 0 : 1));
    const answers = [...make(190, 500), ...make(300, 600)];
    const waves = [...new Array(500).fill(0), ...new Array(600).fill(1)];
    const wf = arrayFrame(1100, [
      singleAxis('EDGE', 'Edge in production', cats('Yes', 'No'), Int32Array.from(answers)),
      singleAxis('wave', 'Wave', [{ key: '2024', label: '2024' }, { key: '2025', label: '2025' }], Int32Array.from(waves)),
    ]);
    const result = computeTable(wf, spec({ rows: [{ ref: 'EDGE' }] }));
    expect(result.blocks[1]!.isWave).toBe(true);
    const c = cell(result, 0, 'cat:1', 'wave=2025').cell;
    expect(c.colPct).toBeCloseTo(50, 10);
    expect(c.change!.pp).toBeCloseTo(12, 10);
    const p = (190 + 300) / 1100;
    const z = (0.5 - 0.38) / Math.sqrt(p * (1 - p) * (1 / 500 + 1 / 600));
    expect(c.z!.A).toBeCloseTo(z, 10);
    expect(c.change!.significant).toBe(true);
    expect(c.change!.p).toBeLessThan(0.001);
    expect(cell(result, 0, 'cat:1', 'wave=2024').cell.change).toBeUndefined();
  });

  it('Total counts everyone who answered the row, also those the banner question missed (weighted or not, filtered or not)', () => {
    const m = 500;
    const r = Int32Array.from({ length: m }, (_, i) => i % 3);
    const b = Int32Array.from({ length: m }, (_, i) => (i % 7 === 0 ? -1 : i % 2));
    const w = Float64Array.from({ length: m }, (_, i) => 1 + (i % 4));
    const f = arrayFrame(m, [singleAxis('R', 'R', cats('a', 'b', 'c'), r), singleAxis('B', 'B', cats('x', 'y'), b), { kind: 'numeric', ref: 'W', label: 'W', values: w }]);
    for (const weight of [undefined, 'W']) {
      for (const filter of [[], [{ ref: 'R', op: 'notIn' as const, values: ['3'] }]]) {
        const result = computeTable(f, spec({ rows: [{ ref: 'R' }], banner: ['B'], filter, ...(weight ? { weight } : {}) }));
        let count = 0;
        let sw = 0;
        let inBanner = 0;
        for (let i = 0; i < m; i++) {
          if (r[i] !== 1 || (filter.length && r[i] === 2)) continue;
          count++;
          sw += w[i]!;
          if (b[i]! >= 0) inBanner++;
        }
        const total = cell(result, 0, 'cat:2', 'total');
        expect(total.cell.count).toBe(count);
        expect(total.cell.weightedCount).toBeCloseTo(weight ? sw : count, 10);
        expect(inBanner).toBeLessThan(count);
        expect(cell(result, 0, 'cat:2', 'B=1').cell.count + cell(result, 0, 'cat:2', 'B=2').cell.count).toBe(inBanner);
      }
    }
  });

  it('refuses a numeric banner and a non-numeric weight in plain words', () => {
    expect(() => computeTable(frame, spec({ rows: [{ ref: 'Q1' }], banner: ['AGE'] }))).toThrow(/holds numbers/);
    expect(() => computeTable(frame, spec({ rows: [{ ref: 'Q1' }], weight: 'Q2' }))).toThrow(/cannot be a weight/);
    expect(() => computeTable(frame, spec({ rows: [{ ref: 'NOPE' }] }))).toThrow(/NOPE/);
    expect(() => computeTable(frame, spec({ rows: [{ ref: 'Q3', nets: [{ box: 'top2' }] }] }))).toThrow(/multi-select/);
  });
});
