import { seededRandom, shuffled } from './random';
import { denseDot, type SparseVector } from './tfidf';

export interface LinearModel {
  w: Float64Array;
  b: number;
}

export interface LogisticOptions {
  /** L2 strength per example. */
  lambda: number;
  epochs: number;
  seed: number;
  /** Weight of a positive example relative to a negative one (class balance). */
  positiveWeight: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { lambda: 1e-4, epochs: 12, seed: 7, positiveWeight: 1 };

/**
 * L2-regularised logistic regression by plain SGD over sparse TF-IDF rows, with the weight vector
 * stored as scale × v so the L2 shrink costs O(1) per step (Bottou's trick). natural's
 * LogisticRegressionClassifier takes ~12 s on 1,600 texts for ONE model and we need one per code,
 * retrained on every accept/reject; this takes milliseconds per code. Deterministic: the order of
 * examples comes from a seeded shuffle.
 */
export function trainLogistic(
  rows: readonly SparseVector[],
  labels: ArrayLike<number>,
  dim: number,
  options: Partial<LogisticOptions> = {},
): LinearModel {
  const o = { ...DEFAULT_LOGISTIC, ...options };
  const v = new Float64Array(dim);
  let scale = 1;
  let b = 0;
  const random = seededRandom(o.seed);
  const order = rows.map((_, i) => i);
  // eta_t = 1 / (lambda (t0 + t)); t0 puts the first step at ~0.5, a safe size for unit-norm rows.
  const t0 = 1 / (o.lambda * 0.5);
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const x = rows[i]!;
      const y = labels[i]! > 0 ? 1 : -1;
      const weight = y > 0 ? o.positiveWeight : 1;
      const eta = 1 / (o.lambda * (t0 + t));
      t++;
      scale *= 1 - eta * o.lambda;
      const margin = scale * denseDot(v, x) + b;
      // d/dmargin of log(1 + exp(-y m)) = -y / (1 + exp(y m))
      const g = (-y * weight) / (1 + Math.exp(y * margin));
      const step = (-eta * g) / scale;
      for (let k = 0; k < x.idx.length; k++) v[x.idx[k]!]! += step * x.val[k]!;
      b -= eta * g * 0.1;
      if (scale < 1e-9) {
        for (let k = 0; k < dim; k++) v[k]! *= scale;
        scale = 1;
      }
    }
  }
  for (let k = 0; k < dim; k++) v[k]! *= scale;
  return { w: v, b };
}

export function margin(model: LinearModel, x: SparseVector): number {
  return denseDot(model.w, x) + model.b;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Dense logistic regression by Newton-free gradient descent, for the few-feature calibrator that
 * turns (classifier margin, similarity, keyword score, prior) into one probability.
 */
export function trainDenseLogistic(
  rows: readonly Float64Array[],
  labels: ArrayLike<number>,
  options: { lambda?: number; iterations?: number } = {},
): { w: Float64Array; b: number } {
  const lambda = options.lambda ?? 1e-3;
  const iterations = options.iterations ?? 150;
  const dim = rows[0]?.length ?? 0;
  const w = new Float64Array(dim);
  let b = 0;
  const n = rows.length;
  if (n === 0) return { w, b };
  // Adam on the full batch: few features, a few thousand rows, converges in a few hundred steps.
  const m = new Float64Array(dim + 1);
  const s = new Float64Array(dim + 1);
  const lr = 0.05;
  for (let it = 1; it <= iterations; it++) {
    const grad = new Float64Array(dim + 1);
    for (let i = 0; i < n; i++) {
      const x = rows[i]!;
      let z = b;
      for (let k = 0; k < dim; k++) z += w[k]! * x[k]!;
      const err = sigmoid(z) - (labels[i]! > 0 ? 1 : 0);
      for (let k = 0; k < dim; k++) grad[k]! += err * x[k]!;
      grad[dim]! += err;
    }
    for (let k = 0; k <= dim; k++) {
      let g = grad[k]! / n;
      if (k < dim) g += lambda * w[k]!;
      m[k] = 0.9 * m[k]! + 0.1 * g;
      s[k] = 0.999 * s[k]! + 0.001 * g * g;
      const mh = m[k]! / (1 - 0.9 ** it);
      const sh = s[k]! / (1 - 0.999 ** it);
      const delta = (lr * mh) / (Math.sqrt(sh) + 1e-8);
      if (k < dim) w[k]! -= delta;
      else b -= delta;
    }
  }
  return { w, b };
}
