import { sigmoid, trainDenseLogistic, trainLogistic, type LinearModel } from './linear';
import { seededRandom, shuffled } from './random';
import { Vectorizer, type SparseVector, type VectorizerState } from './tfidf';
import { featureTerms, tokenize, type Token } from './tokenize';

/** A code as the engine sees it: a key (the code id in a project, the name in a CSV). */
export interface CodeSpec {
  key: string;
  name: string;
  definition?: string;
  keywords?: readonly string[];
}

/** A coded passage to learn from. `group` (the document) keeps folds honest in evaluation. */
export interface TrainingPassage {
  text: string;
  codes: readonly string[];
  group?: string;
  /** Where it came from (a segment id in a project), carried into evidence. */
  ref?: number;
  tokens?: readonly Token[];
}

export interface Evidence {
  /** Words and phrases that pushed the score up, strongest first. */
  terms: string[];
  /** The most similar passage already coded with this code. */
  similar: { text: string; ref: number | null; similarity: number } | null;
  /** Keywords of the code found in the passage. */
  keywords: string[];
  /** The parts of the score (for people who want to see the machinery). */
  parts: { classifier: number; similarity: number; keyword: number };
}

export interface CodeScore {
  key: string;
  /** Calibrated probability that the code applies. */
  score: number;
  evidence: Evidence;
}

export interface SuggesterOptions {
  seed: number;
  /** Inner folds for calibration; 0 skips calibration (fixed weights). */
  calibrationFolds: number;
  lambda: number;
  epochs: number;
  /** Class balance of each code's classifier: positive weight = (negatives/positives)^balance. */
  balance: number;
  /** Terms (1- and 2-grams) seen in fewer training passages are left out. */
  minDf: number;
}

export const DEFAULT_OPTIONS: SuggesterOptions = { seed: 7, calibrationFolds: 3, lambda: 1e-4, epochs: 12, balance: 0.5, minDf: 1 };

const FEATURES = 8;

interface CodeModel {
  spec: CodeSpec;
  linear: LinearModel | null;
  keywordStems: string[];
  keywordVector: SparseVector;
  positives: number;
}

/** The calibrator's features for one (passage, code) pair. */
function featureRow(m: number, sim: number, sim3: number, kwHit: number, kwCos: number, prior: number): Float64Array {
  // The last two are filled in once every code is scored: distance to the best code's margin and
  // similarity. Most passages carry one code, so "best of all codes" says more than the raw value.
  return Float64Array.of(m, sim, sim3, kwHit, kwCos, prior, 0, 0);
}

function addRelative(rows: { features: Float64Array }[]): void {
  let maxM = -Infinity;
  let maxS = 0;
  for (const r of rows) {
    maxM = Math.max(maxM, r.features[0]!);
    maxS = Math.max(maxS, r.features[1]!);
  }
  for (const r of rows) {
    r.features[6] = r.features[0]! - maxM;
    r.features[7] = r.features[1]! - maxS;
  }
}

/**
 * Inverted index over training vectors: similarity by accumulating postings, not all pairs.
 * Typed arrays and one reused accumulator keep scoring 10,000 passages free of garbage.
 */
class SimilarityIndex {
  private readonly docs: (Int32Array | undefined)[];
  private readonly vals: (Float64Array | undefined)[];
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;

  constructor(vectors: readonly SparseVector[], dim: number) {
    this.acc = new Float64Array(vectors.length);
    this.touched = new Int32Array(vectors.length);
    const df = new Int32Array(dim);
    for (const v of vectors) for (let k = 0; k < v.idx.length; k++) df[v.idx[k]!]!++;
    this.docs = new Array<Int32Array | undefined>(dim);
    this.vals = new Array<Float64Array | undefined>(dim);
    const fill = new Int32Array(dim);
    // Terms in more than 40% of passages say little about which quote is alike (their idf is near
    // the floor) but make up most of the work: similarity leaves them out. Measured on the Taguette
    // corpus: same F1 to the third decimal; the 10,000-passage bench scores ~2x faster.
    const cap = Math.max(20, vectors.length * 0.4);
    for (let t = 0; t < dim; t++) {
      if (df[t]! > cap) df[t] = 0;
      if (df[t]! > 0) {
        this.docs[t] = new Int32Array(df[t]!);
        this.vals[t] = new Float64Array(df[t]!);
      }
    }
    vectors.forEach((v, doc) => {
      for (let k = 0; k < v.idx.length; k++) {
        const t = v.idx[k]!;
        if (df[t] === 0) continue;
        const at = fill[t]!++;
        this.docs[t]![at] = doc;
        this.vals[t]![at] = v.val[k]!;
      }
    });
  }

  /**
   * Cosine with every training passage sharing a term (vectors are unit length). Returns how many
   * passages were touched; their ids are touched[0..n) and their similarities acc[id]. Call reset(n).
   */
  query(x: SparseVector): number {
    const acc = this.acc;
    const touched = this.touched;
    let n = 0;
    for (let k = 0; k < x.idx.length; k++) {
      const term = x.idx[k]!;
      if (term >= this.docs.length) continue;
      const docs = this.docs[term];
      if (!docs) continue;
      const vals = this.vals[term]!;
      const xv = x.val[k]!;
      for (let j = 0; j < docs.length; j++) {
        const d = docs[j]!;
        if (acc[d] === 0) touched[n++] = d;
        acc[d]! += xv * vals[j]!;
      }
    }
    return n;
  }

  get similarities(): Float64Array {
    return this.acc;
  }

  get touchedDocs(): Int32Array {
    return this.touched;
  }

  reset(n: number): void {
    for (let i = 0; i < n; i++) this.acc[this.touched[i]!] = 0;
  }
}

function keywordStems(spec: CodeSpec): string[] {
  const stems = new Set<string>();
  for (const t of tokenize([spec.name, ...(spec.keywords ?? [])].join(' \n '))) stems.add(t.stem);
  return [...stems];
}

/** Components trained on one set of passages: vectorizer, one classifier per code, similarity index. */
class Components {
  readonly vectorizer: Vectorizer;
  readonly codes: CodeModel[];
  readonly passages: readonly TrainingPassage[];
  readonly vectors: SparseVector[];
  readonly labels: number[][];
  private readonly index: SimilarityIndex;
  readonly total: number;
  /**
   * Every code's weights, term-major (W[term * codes + code]): one passage's margins for all
   * codes read a few contiguous cache lines per term instead of one random line per code.
   */
  private readonly termMajor: Float64Array;
  private readonly biases: Float64Array;

  constructor(
    vectorizer: Vectorizer,
    codes: CodeModel[],
    passages: readonly TrainingPassage[],
    vectors: SparseVector[],
  ) {
    this.vectorizer = vectorizer;
    this.codes = codes;
    this.passages = passages;
    this.vectors = vectors;
    const position = new Map(codes.map((c, i) => [c.spec.key, i]));
    this.labels = passages.map((p) => p.codes.map((k) => position.get(k)).filter((i): i is number => i !== undefined));
    this.index = new SimilarityIndex(vectors, vectorizer.size);
    const k = codes.length;
    this.termMajor = new Float64Array(vectorizer.size * k);
    this.biases = new Float64Array(k);
    codes.forEach((code, c) => {
      if (!code.linear) return;
      this.biases[c] = code.linear.b;
      const w = code.linear.w;
      for (let t = 0; t < w.length; t++) this.termMajor[t * k + c] = w[t]!;
    });
    this.total = passages.length;
  }

  static train(
    passages: readonly TrainingPassage[],
    codes: readonly CodeSpec[],
    tokens: readonly (readonly Token[])[],
    options: SuggesterOptions,
  ): Components {
    const vectorizer = Vectorizer.fit(tokens, options.minDf ?? 1);
    const vectors = tokens.map((t) => vectorizer.transform(t));
    const models: CodeModel[] = codes.map((spec, c) => {
      const y = passages.map((p) => (p.codes.includes(spec.key) ? 1 : 0));
      const positives = y.reduce<number>((a, b) => a + b, 0);
      const negatives = y.length - positives;
      // Balance rare codes partly (square root): full balancing floods the queue with false hits.
      const linear =
        positives > 0 && negatives > 0
          ? trainLogistic(vectors, y, vectorizer.size, {
              lambda: options.lambda,
              epochs: options.epochs,
              seed: options.seed + c,
              positiveWeight: (negatives / positives) ** (options.balance ?? 0.5),
            })
          : null;
      const description = tokenize([spec.name, spec.definition ?? '', ...(spec.keywords ?? [])].join(' \n '));
      return {
        spec,
        linear,
        keywordStems: keywordStems(spec),
        keywordVector: vectorizer.transform(description),
        positives,
      };
    });
    return new Components(vectorizer, models, passages, vectors);
  }

  /** Raw parts for every code: calibrator features plus what evidence needs. */
  raw(tokens: readonly Token[], exclude = -1) {
    const x = this.vectorizer.transform(tokens);
    const codeCount = this.codes.length;
    const best = new Float64Array(codeCount);
    const bestDoc = new Int32Array(codeCount).fill(-1);
    // The three highest similarities per code, kept sorted by hand (no allocation per passage).
    const top = new Float64Array(codeCount * 3);
    const n = this.index.query(x);
    const acc = this.index.similarities;
    const touched = this.index.touchedDocs;
    for (let i = 0; i < n; i++) {
      const d = touched[i]!;
      if (d === exclude) continue;
      const s = acc[d]!;
      for (const c of this.labels[d]!) {
        if (s > best[c]!) {
          best[c] = s;
          bestDoc[c] = d;
        }
        const o = c * 3;
        if (s > top[o + 2]!) {
          if (s > top[o]!) {
            top[o + 2] = top[o + 1]!;
            top[o + 1] = top[o]!;
            top[o] = s;
          } else if (s > top[o + 1]!) {
            top[o + 2] = top[o + 1]!;
            top[o + 1] = s;
          } else top[o + 2] = s;
        }
      }
    }
    this.index.reset(n);
    const margins = Float64Array.from(this.biases);
    for (let j = 0; j < x.idx.length; j++) {
      const base = x.idx[j]! * codeCount;
      const v = x.val[j]!;
      for (let c = 0; c < codeCount; c++) margins[c]! += this.termMajor[base + c]! * v;
    }
    // Stem -> the word as written in this passage, so evidence reads "money", not "monei".
    const written = new Map<string, string>();
    for (const t of tokens) if (!written.has(t.stem)) written.set(t.stem, t.surface);
    const rows = this.codes.map((code, c) => {
      const m = code.linear ? margins[c]! : 0;
      const hits = code.keywordStems.filter((s) => written.has(s)).map((s) => written.get(s)!);
      // Saturating: one keyword found is strong evidence, each further one adds less; a long
      // keyword list must not dilute a clear hit.
      const kwHit = 1 - 0.5 ** hits.length;
      let kwCos = 0;
      {
        const a = x;
        const b = code.keywordVector;
        let i = 0;
        let j = 0;
        while (i < a.idx.length && j < b.idx.length) {
          if (a.idx[i] === b.idx[j]) kwCos += a.val[i++]! * b.val[j++]!;
          else if (a.idx[i]! < b.idx[j]!) i++;
          else j++;
        }
      }
      const prior = Math.log((code.positives + 1) / (this.total + 2));
      return {
        features: featureRow(m, best[c]!, (top[c * 3]! + top[c * 3 + 1]! + top[c * 3 + 2]!) / 3, kwHit, kwCos, prior),
        x,
        bestDoc: bestDoc[c]!,
        hits,
      };
    });
    addRelative(rows);
    return rows;
  }
}

export interface SuggesterState {
  format: 1;
  codes: CodeSpec[];
  passages: { text: string; codes: string[]; ref: number | null }[];
  calibrator: { w: number[]; b: number };
  decision: { threshold: number; forceTop: boolean };
  options: SuggesterOptions;
  /** The highest score held-out data supports (states saved before it existed: UNSUPPORTED_CEILING). */
  ceiling?: number;
}

/** With nothing held out to check against (keywords and a few quotes), no score goes past this. */
export const UNSUPPORTED_CEILING = 0.8;
/** Held-out rows scored at least this much form the top bin whose hit rate bounds every score. */
const TOP_BIN = 0.8;

/**
 * The highest probability held-out data supports: the hit rate of the held-out rows the
 * calibrator scored ≥ TOP_BIN, with add-one smoothing, so 100% needs an unbroken run of held-out
 * hits and is only ever approached. Nothing in the top bin: the calibrator's own best held-out score.
 */
export function supportedCeiling(probs: readonly number[], ys: readonly number[]): number {
  let n = 0;
  let hits = 0;
  let best = 0;
  probs.forEach((p, i) => {
    best = Math.max(best, p);
    if (p >= TOP_BIN) {
      n++;
      hits += ys[i]!;
    }
  });
  return n === 0 ? Math.min(best, UNSUPPORTED_CEILING) : (hits + 1) / (n + 2);
}

/**
 * Bends scores above three quarters of the ceiling so that 1 maps to the ceiling: strictly
 * increasing, so the ranking and the held-out decisions stay exactly as they were.
 */
export function capScore(p: number, ceiling: number): number {
  const knee = 0.75 * ceiling;
  return p <= knee ? p : knee + ((p - knee) * (ceiling - knee)) / (1 - knee);
}

function foldsOf(passages: readonly TrainingPassage[], k: number, seed: number): number[] {
  const groups = new Map<string, number[]>();
  passages.forEach((p, i) => {
    const g = p.group ?? `#${i}`;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  });
  const fold = new Array<number>(passages.length).fill(0);
  if (groups.size >= k) {
    // Largest groups first into the lightest fold (scikit-learn's GroupKFold), ties by name.
    const sizes = new Array<number>(k).fill(0);
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [, members] of ordered) {
      let f = 0;
      for (let j = 1; j < k; j++) if (sizes[j]! < sizes[f]!) f = j;
      sizes[f]! += members.length;
      for (const i of members) fold[i] = f;
    }
  } else {
    const order = shuffled(
      passages.map((_, i) => i),
      seededRandom(seed),
    );
    order.forEach((i, n) => (fold[i] = n % k));
  }
  return fold;
}

export { foldsOf };

/** Default weights when there is too little coding to calibrate: keywords and similarity only. */
const UNCALIBRATED = { w: [1, 4, 2, 4, 3, 0, 0.5, 2], b: -3 };

/**
 * One calibrated score per code from three sources: a logistic classifier per code over TF-IDF
 * (1-2 grams), similarity to passages already coded with that code, and the code's name, definition
 * and keywords. A small logistic calibrator learned on held-out folds of the training data (Platt
 * scaling generalised to several inputs) turns them into one probability.
 */
export class Suggester {
  private readonly components: Components;
  readonly calibrator: { w: Float64Array; b: number };
  readonly decision: { threshold: number; forceTop: boolean };
  readonly options: SuggesterOptions;
  readonly codes: readonly CodeSpec[];
  readonly ceiling: number;

  private constructor(
    components: Components,
    calibrator: { w: Float64Array; b: number },
    decision: { threshold: number; forceTop: boolean },
    options: SuggesterOptions,
    ceiling: number,
  ) {
    this.ceiling = ceiling;
    this.components = components;
    this.calibrator = calibrator;
    this.decision = decision;
    this.options = options;
    this.codes = components.codes.map((c) => c.spec);
  }

  static train(
    passages: readonly TrainingPassage[],
    codes: readonly CodeSpec[],
    options: Partial<SuggesterOptions> = {},
  ): Suggester {
    const o = { ...DEFAULT_OPTIONS, ...options };
    const tokens = passages.map((p) => p.tokens ?? tokenize(p.text));
    let calibrator: { w: Float64Array; b: number } = { w: Float64Array.from(UNCALIBRATED.w), b: UNCALIBRATED.b };
    let decision = { threshold: 0.5, forceTop: false };
    let ceiling = UNSUPPORTED_CEILING;
    const positives = codes.map((c) => passages.filter((p) => p.codes.includes(c.key)).length);
    const canCalibrate = o.calibrationFolds >= 2 && passages.length >= 10 && positives.some((n) => n >= 2);
    if (canCalibrate) {
      const k = o.calibrationFolds;
      const fold = foldsOf(passages, k, o.seed);
      const rows: Float64Array[] = [];
      const ys: number[] = [];
      const perPassage: { rows: number[]; truth: Set<number> }[] = [];
      for (let f = 0; f < k; f++) {
        const trainIdx = passages.map((_, i) => i).filter((i) => fold[i] !== f);
        const testIdx = passages.map((_, i) => i).filter((i) => fold[i] === f);
        if (trainIdx.length === 0 || testIdx.length === 0) continue;
        const inner = Components.train(
          trainIdx.map((i) => passages[i]!),
          codes,
          trainIdx.map((i) => tokens[i]!),
          // The held-out models only have to produce margins the calibrator can learn from:
          // half the epochs save ~30% of training time; F1 on the Taguette corpus moved by < 0.01.
          { ...o, epochs: Math.max(4, Math.ceil(o.epochs / 2)) },
        );
        for (const i of testIdx) {
          const raw = inner.raw(tokens[i]!);
          const entry = { rows: [] as number[], truth: new Set<number>() };
          raw.forEach((r, c) => {
            entry.rows.push(rows.length);
            rows.push(r.features);
            const y = passages[i]!.codes.includes(codes[c]!.key) ? 1 : 0;
            ys.push(y);
            if (y) entry.truth.add(c);
          });
          perPassage.push(entry);
        }
      }
      if (rows.length > 0 && ys.some((y) => y > 0)) {
        calibrator = trainDenseLogistic(rows, ys);
        const probs = rows.map((r) => calibrate(calibrator, r));
        ceiling = supportedCeiling(probs, ys);
        const chosen = chooseDecision(perPassage, probs, codes.length);
        // Scores are capped on the way out: the threshold goes through the same bend.
        decision = { ...chosen, threshold: capScore(chosen.threshold, ceiling) };
      }
    }
    const components = Components.train(passages, codes, tokens, o);
    return new Suggester(components, calibrator, decision, o, ceiling);
  }

  /**
   * Scores for every code, best first. Words-and-phrases evidence is worked out for the best
   * `explain` codes only (the rest get the similar quote and keywords, which cost nothing).
   */
  score(text: string, tokens: readonly Token[] = tokenize(text), explain = 5): CodeScore[] {
    const raw = this.components.raw(tokens);
    const probabilities = raw.map((r) => capScore(calibrate(this.calibrator, r.features), this.ceiling));
    const explained = new Set(
      probabilities
        .map((p, c) => ({ p, c }))
        .sort((a, b) => b.p - a.p || a.c - b.c)
        .slice(0, explain)
        .map((x) => x.c),
    );
    // Readable phrases come from the passage itself, looked up once per passage and only when asked.
    let phrases: Map<string, string> | null = null;
    const vectorizer = this.components.vectorizer;
    const phrase = (i: number): string => {
      if (!phrases) {
        phrases = new Map();
        for (const f of featureTerms(tokens)) if (!phrases.has(f.term)) phrases.set(f.term, f.phrase);
      }
      return phrases.get(vectorizer.terms[i]!) ?? vectorizer.phrases[i]!;
    };
    const out = raw.map((r, c): CodeScore => {
      const code = this.components.codes[c]!;
      const terms: { i: number; weight: number }[] = [];
      if (code.linear && explained.has(c)) {
        for (let k = 0; k < r.x.idx.length; k++) {
          const i = r.x.idx[k]!;
          const contribution = code.linear.w[i]! * r.x.val[k]!;
          if (contribution > 0) terms.push({ i, weight: contribution });
        }
      }
      terms.sort((a, b) => b.weight - a.weight || a.i - b.i);
      const similarPassage = r.bestDoc >= 0 ? this.components.passages[r.bestDoc]! : null;
      return {
        key: code.spec.key,
        score: probabilities[c]!,
        evidence: {
          terms: terms.slice(0, 6).map((t) => phrase(t.i)),
          similar: similarPassage
            ? { text: similarPassage.text, ref: similarPassage.ref ?? null, similarity: round(r.features[1]!) }
            : null,
          keywords: r.hits,
          parts: { classifier: round(sigmoid(r.features[0]!)), similarity: round(r.features[1]!), keyword: round(r.features[4]!) },
        },
      };
    });
    return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
  }

  /** The codes this model would assign, by the rule chosen on held-out folds. */
  predict(scores: readonly CodeScore[]): string[] {
    const picked = scores.filter((s) => s.score >= this.decision.threshold).map((s) => s.key);
    if (this.decision.forceTop && picked.length === 0 && scores[0]) picked.push(scores[0].key);
    return picked;
  }

  state(): SuggesterState {
    return {
      format: 1,
      codes: this.codes.map((c) => ({ ...c })),
      passages: this.components.passages.map((p) => ({ text: p.text, codes: [...p.codes], ref: p.ref ?? null })),
      calibrator: { w: Array.from(this.calibrator.w), b: this.calibrator.b },
      decision: this.decision,
      options: this.options,
      ceiling: this.ceiling,
    };
  }

  /** Rebuilds from saved state: the classifiers are retrained (milliseconds) rather than stored. */
  static restore(state: SuggesterState): Suggester {
    const passages: TrainingPassage[] = state.passages.map((p) =>
      p.ref === null ? { text: p.text, codes: p.codes } : { text: p.text, codes: p.codes, ref: p.ref },
    );
    const tokens = passages.map((p) => tokenize(p.text));
    const components = Components.train(passages, state.codes, tokens, state.options);
    return new Suggester(
      components,
      { w: Float64Array.from(state.calibrator.w), b: state.calibrator.b },
      // A state saved before scores were capped: its threshold takes the same bend as the scores.
      state.ceiling === undefined ? { ...state.decision, threshold: capScore(state.decision.threshold, UNSUPPORTED_CEILING) } : state.decision,
      state.options,
      state.ceiling ?? UNSUPPORTED_CEILING,
    );
  }
}

export type { VectorizerState };

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function calibrate(c: { w: Float64Array; b: number }, x: Float64Array): number {
  let z = c.b;
  for (let k = 0; k < FEATURES; k++) z += c.w[k]! * x[k]!;
  return sigmoid(z);
}

/** Threshold (and whether to always keep the best code) that maximise F1 on held-out rows. */
function chooseDecision(
  perPassage: { rows: number[]; truth: Set<number> }[],
  probs: number[],
  codeCount: number,
): { threshold: number; forceTop: boolean } {
  let best = { threshold: 0.5, forceTop: false, f1: -1 };
  for (const forceTop of [false, true]) {
    for (let t = 0.1; t <= 0.9001; t += 0.025) {
      const tp = new Float64Array(codeCount);
      const fp = new Float64Array(codeCount);
      const fn = new Float64Array(codeCount);
      for (const p of perPassage) {
        let top = 0;
        p.rows.forEach((r, c) => {
          if (probs[r]! > probs[p.rows[top]!]!) top = c;
        });
        let any = false;
        p.rows.forEach((r, c) => {
          const yes = probs[r]! >= t;
          any ||= yes;
          if (yes && p.truth.has(c)) tp[c]!++;
          else if (yes) fp[c]!++;
          else if (p.truth.has(c)) fn[c]!++;
        });
        if (forceTop && !any) {
          if (p.truth.has(top)) {
            tp[top]!++;
            fn[top]!--;
          } else fp[top]!++;
        }
      }
      let sum = 0;
      let n = 0;
      let TP = 0;
      let FP = 0;
      let FN = 0;
      for (let c = 0; c < codeCount; c++) {
        TP += tp[c]!;
        FP += fp[c]!;
        FN += fn[c]!;
        if (tp[c]! + fn[c]! === 0) continue;
        sum += f1(tp[c]!, fp[c]!, fn[c]!);
        n++;
      }
      // Rare codes matter to researchers as much as common ones (macro) but so does the overall
      // hit rate (micro): the rule balances both.
      const objective = ((n ? sum / n : 0) + f1(TP, FP, FN)) / 2;
      if (objective > best.f1 + 1e-12) best = { threshold: Math.round(t * 1000) / 1000, forceTop, f1: objective };
    }
  }
  return { threshold: best.threshold, forceTop: best.forceTop };
}

export function f1(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
