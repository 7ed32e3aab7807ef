import { f1, foldsOf, Suggester, type CodeScore, type CodeSpec, type SuggesterOptions, type TrainingPassage } from './model';
import { seededRandom, shuffled } from './random';
import { tokenize, type Token } from './tokenize';

export interface EvalPassage {
  text: string;
  codes: string[];
  group: string;
}

export interface PerCode {
  code: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface MethodScores {
  method: string;
  macroF1: number;
  microF1: number;
  microPrecision: number;
  microRecall: number;
  top3: number;
}

/** One bin of the reliability table: suggestions scored in [from, to) and how often they were right. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanScore: number;
  /** Share of them the coders had applied (null for an empty bin). */
  observed: number | null;
}

export interface Calibration {
  /** Expected calibration error: the count-weighted mean gap between score and hit rate over 10 bins. */
  ece: number;
  /** The highest score given on the evaluation folds. */
  maxScore: number;
  bins: ReliabilityBin[];
}

/** 10 equal-width bins over every (passage, code) score of the evaluation folds. */
export function reliability(scores: readonly number[], truth: readonly number[], binCount = 10): Calibration {
  const count = new Float64Array(binCount);
  const sum = new Float64Array(binCount);
  const hits = new Float64Array(binCount);
  let maxScore = 0;
  scores.forEach((p, i) => {
    const b = Math.min(binCount - 1, Math.floor(p * binCount));
    count[b]!++;
    sum[b]! += p;
    hits[b]! += truth[i]!;
    maxScore = Math.max(maxScore, p);
  });
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const n = count[b]!;
    if (n > 0) ece += (n / scores.length) * Math.abs(hits[b]! / n - sum[b]! / n);
    bins.push({ from: b / binCount, to: (b + 1) / binCount, count: n, meanScore: n ? r3(sum[b]! / n) : 0, observed: n ? r3(hits[b]! / n) : null });
  }
  return { ece: r3(ece), maxScore: r3(maxScore), bins };
}

export interface EvalReport {
  passages: number;
  codes: number;
  documents: number;
  folds: number;
  grouped: boolean;
  /** Codes left out for having fewer than `minPassages` passages. */
  dropped: string[];
  minPassages: number;
  perCode: PerCode[];
  results: MethodScores[];
  learningCurve: { examplesPerCode: number; macroF1: number; microF1: number; top3: number }[];
  /** How well the scores on the evaluation folds match how often they were right. */
  calibration: Calibration;
  seconds: number;
}

export interface EvalOptions {
  folds?: number;
  minPassages?: number;
  seed?: number;
  learningCurve?: readonly number[];
  model?: Partial<SuggesterOptions>;
  onProgress?: (done: number, total: number, message: string) => void;
  checkpoint?: () => Promise<void>;
}

class Tally {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  hits = 0;
  n = 0;
  constructor(readonly codes: readonly string[]) {
    this.tp = new Float64Array(codes.length);
    this.fp = new Float64Array(codes.length);
    this.fn = new Float64Array(codes.length);
  }
  add(truth: readonly string[], predicted: readonly string[], ranked: readonly string[]): void {
    const t = new Set(truth);
    const p = new Set(predicted);
    this.codes.forEach((code, c) => {
      if (p.has(code) && t.has(code)) this.tp[c]!++;
      else if (p.has(code)) this.fp[c]!++;
      else if (t.has(code)) this.fn[c]!++;
    });
    this.n++;
    if (ranked.slice(0, 3).some((code) => t.has(code))) this.hits++;
  }
  scores(method: string): MethodScores {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let sum = 0;
    this.codes.forEach((_, c) => {
      tp += this.tp[c]!;
      fp += this.fp[c]!;
      fn += this.fn[c]!;
      sum += f1(this.tp[c]!, this.fp[c]!, this.fn[c]!);
    });
    return {
      method,
      macroF1: r3(sum / this.codes.length),
      microF1: r3(f1(tp, fp, fn)),
      microPrecision: r3(tp + fp ? tp / (tp + fp) : 0),
      microRecall: r3(tp + fn ? tp / (tp + fn) : 0),
      top3: r3(this.n ? this.hits / this.n : 0),
    };
  }
  perCode(): PerCode[] {
    return this.codes.map((code, c) => {
      const tp = this.tp[c]!;
      const fp = this.fp[c]!;
      const fn = this.fn[c]!;
      return {
        code,
        support: tp + fn,
        precision: r3(tp + fp ? tp / (tp + fp) : 0),
        recall: r3(tp + fn ? tp / (tp + fn) : 0),
        f1: r3(f1(tp, fp, fn)),
      };
    });
  }
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Keyword baseline: a code is predicted when a (stemmed, non-stop) word of its name occurs. */
function keywordBaseline(specs: readonly CodeSpec[]) {
  const stems = specs.map((s) => new Set(tokenize(s.name).map((t) => t.stem)));
  return (tokens: readonly Token[]) => {
    const have = new Set(tokens.map((t) => t.stem));
    const counts = specs.map((s, c) => ({ key: s.key, n: [...stems[c]!].filter((x) => have.has(x)).length }));
    const predicted = counts.filter((c) => c.n > 0).map((c) => c.key);
    const ranked = counts
      .filter((c) => c.n > 0)
      .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1))
      .map((c) => c.key);
    return { predicted, ranked };
  };
}

/**
 * Cross-validation grouped by document: a document's passages are never both trained on and
 * tested, as when a researcher codes some interviews and asks for suggestions in the next ones.
 * The model and both baselines run on the same folds.
 */
export async function evaluateSuggestions(all: readonly EvalPassage[], options: EvalOptions = {}): Promise<EvalReport> {
  const started = performance.now();
  const k = options.folds ?? 5;
  const minPassages = options.minPassages ?? 5;
  const seed = options.seed ?? 7;
  const curve = options.learningCurve ?? [5, 10, 20, 50];
  const support = new Map<string, number>();
  for (const p of all) for (const c of new Set(p.codes)) support.set(c, (support.get(c) ?? 0) + 1);
  const kept = [...support.keys()].filter((c) => support.get(c)! >= minPassages).sort();
  const dropped = [...support.keys()].filter((c) => support.get(c)! < minPassages).sort();
  const keptSet = new Set(kept);
  const passages = all
    .map((p) => ({ ...p, codes: [...new Set(p.codes)].filter((c) => keptSet.has(c)).sort() }))
    .filter((p) => p.codes.length > 0);
  const specs: CodeSpec[] = kept.map((c) => ({ key: c, name: c }));
  const tokens = passages.map((p) => tokenize(p.text));
  const groups = new Set(passages.map((p) => p.group));
  const grouped = groups.size >= k;
  const fold = foldsOf(
    passages.map((p) => (grouped ? { text: p.text, codes: p.codes, group: p.group } : { text: p.text, codes: p.codes })),
    k,
    seed,
  );
  const model = new Tally(kept);
  const keyword = new Tally(kept);
  const frequent = new Tally(kept);
  const kw = keywordBaseline(specs);
  const curveTallies = curve.map(() => new Tally(kept));
  const heldScores: number[] = [];
  const heldTruth: number[] = [];
  const totalSteps = k * (1 + curve.length);
  let step = 0;
  const progress = (message: string) => options.onProgress?.(++step, totalSteps, message);

  for (let f = 0; f < k; f++) {
    const trainIdx = passages.map((_, i) => i).filter((i) => fold[i] !== f);
    const testIdx = passages.map((_, i) => i).filter((i) => fold[i] === f);
    const training = (idx: readonly number[]): TrainingPassage[] =>
      idx.map((i) => ({ text: passages[i]!.text, codes: passages[i]!.codes, group: passages[i]!.group, tokens: tokens[i]! }));
    await options.checkpoint?.();
    const suggester = Suggester.train(training(trainIdx), specs, { seed, ...options.model });
    const counts = new Map<string, number>();
    for (const i of trainIdx) for (const c of passages[i]!.codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    const byFrequency = [...kept].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
    for (const i of testIdx) {
      const truth = passages[i]!.codes;
      const scores: CodeScore[] = suggester.score(passages[i]!.text, tokens[i]!);
      model.add(truth, suggester.predict(scores), scores.map((s) => s.key));
      for (const s of scores) {
        heldScores.push(s.score);
        heldTruth.push(truth.includes(s.key) ? 1 : 0);
      }
      const k2 = kw(tokens[i]!);
      keyword.add(truth, k2.predicted, k2.ranked);
      frequent.add(truth, byFrequency.slice(0, 1), byFrequency);
    }
    progress(`Fold ${f + 1} of ${k}`);

    // Learning curve: the same test fold, training cut to n passages per code (seeded sample).
    for (let ci = 0; ci < curve.length; ci++) {
      await options.checkpoint?.();
      const n = curve[ci]!;
      const random = seededRandom(seed * 1000 + f * 10 + ci);
      const chosen = new Set<number>();
      for (const code of kept) {
        const withCode = trainIdx.filter((i) => passages[i]!.codes.includes(code));
        for (const i of shuffled(withCode, random).slice(0, n)) chosen.add(i);
      }
      const subset = [...chosen].sort((a, b) => a - b);
      const small = Suggester.train(training(subset), specs, { seed, ...options.model });
      for (const i of testIdx) {
        const scores = small.score(passages[i]!.text, tokens[i]!);
        curveTallies[ci]!.add(passages[i]!.codes, small.predict(scores), scores.map((s) => s.key));
      }
      progress(`Fold ${f + 1} of ${k}: learning curve at ${n} per code`);
    }
  }

  return {
    passages: passages.length,
    codes: kept.length,
    documents: groups.size,
    folds: k,
    grouped,
    dropped,
    minPassages,
    perCode: model.perCode(),
    results: [model.scores('fieldbook'), keyword.scores('keyword match on code names'), frequent.scores('most frequent code')],
    learningCurve: curve.map((n, ci) => {
      const s = curveTallies[ci]!.scores(`${n}`);
      return { examplesPerCode: n, macroF1: s.macroF1, microF1: s.microF1, top3: s.top3 };
    }),
    calibration: reliability(heldScores, heldTruth),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
