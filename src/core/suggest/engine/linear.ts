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
 * Dense logistic regression by Newton's method (IRLS) with a small L2 penalty, for the few-feature
 * calibrator that turns (classifier margin, similarity, keyword score, prior...) into one
 * probability. A handful of exact steps over tens of thousands of rows: faster and more precise
 * than hundreds of gradient steps, and deterministic.
 */
export function trainDenseLogistic(
  rows: readonly Float64Array[],
  labels: ArrayLike<number>,
  options: { lambda?: number; iterations?: number } = {},
): { w: Float64Array; b: number } {
  const lambda = options.lambda ?? 1e-3;
  const iterations = options.iterations ?? 12;
  const dim = rows[0]?.length ?? 0;
  const p = dim + 1; // the last parameter is the bias
  const beta = new Float64Array(p);
  const n = rows.length;
  if (n === 0) return { w: new Float64Array(dim), b: 0 };
  const x = new Float64Array(p);
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      for (let k = 0; k < dim; k++) x[k] = row[k]!;
      x[dim] = 1;
      let z = 0;
      for (let k = 0; k < p; k++) z += beta[k]! * x[k]!;
      const mu = sigmoid(z);
      const err = mu - (labels[i]! > 0 ? 1 : 0);
      const wgt = Math.max(mu * (1 - mu), 1e-9);
      for (let a = 0; a < p; a++) {
        grad[a]! += err * x[a]!;
        const xa = wgt * x[a]!;
        for (let b = a; b < p; b++) hess[a * p + b]! += xa * x[b]!;
      }
    }
    for (let a = 0; a < p; a++) {
      grad[a] = grad[a]! / n + (a < dim ? lambda * beta[a]! : 0);
      for (let b = a; b < p; b++) {
        const v = hess[a * p + b]! / n + (a === b && a < dim ? lambda : 0) + (a === b ? 1e-9 : 0);
        hess[a * p + b] = v;
        hess[b * p + a] = v;
      }
    }
    const step = solve(hess, grad, p);
    let size = 0;
    for (let k = 0; k < p; k++) {
      beta[k]! -= step[k]!;
      size = Math.max(size, Math.abs(step[k]!));
    }
    if (size < 1e-7) break;
  }
  return { w: beta.slice(0, dim), b: beta[dim]! };
}

/** Solves A x = y (A symmetric positive definite, p x p) by Gaussian elimination with pivoting. */
function solve(a: Float64Array, y: Float64Array, p: number): Float64Array {
  const m = Float64Array.from(a);
  const v = Float64Array.from(y);
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(m[r * p + col]!) > Math.abs(m[pivot * p + col]!)) pivot = r;
    if (pivot !== col) {
      for (let k = 0; k < p; k++) {
        const tmp = m[col * p + k]!;
        m[col * p + k] = m[pivot * p + k]!;
        m[pivot * p + k] = tmp;
      }
      const tmp = v[col]!;
      v[col] = v[pivot]!;
      v[pivot] = tmp;
    }
    const d = m[col * p + col]!;
    if (Math.abs(d) < 1e-15) continue;
    for (let r = col + 1; r < p; r++) {
      const f = m[r * p + col]! / d;
      if (f === 0) continue;
      for (let k = col; k < p; k++) m[r * p + k]! -= f * m[col * p + k]!;
      v[r]! -= f * v[col]!;
    }
  }
  const out = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let k = r + 1; k < p; k++) s -= m[r * p + k]! * out[k]!;
    const d = m[r * p + r]!;
    out[r] = Math.abs(d) < 1e-15 ? 0 : s / d;
  }
  return out;
}
