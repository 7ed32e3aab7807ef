import { featureKeys, featureTerms, type Token } from './tokenize';

/** A sparse vector: indices ascending, values aligned. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

export interface VectorizerState {
  terms: string[];
  idf: number[];
}

/**
 * TF-IDF over unigrams and bigrams (sublinear tf, smoothed idf, L2 norm), like scikit-learn's
 * TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True). natural's TfIdf keeps a dictionary per
 * document and answers one term at a time; classifiers need indexed sparse vectors, so this small
 * one is ours.
 */
export class Vectorizer {
  readonly terms: string[];
  readonly idf: Float64Array;
  private readonly index: Map<string, number>;
  /** A readable phrase per term (first seen), for evidence. */
  readonly phrases: string[];

  private constructor(terms: string[], idf: Float64Array, phrases: string[]) {
    this.terms = terms;
    this.idf = idf;
    this.phrases = phrases;
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.terms.length;
  }

  static fit(docs: readonly (readonly Token[])[], minDf = 1): Vectorizer {
    const df = new Map<string, number>();
    const phrase = new Map<string, string>();
    for (const tokens of docs) {
      const seen = new Set<string>();
      for (const { term, phrase: p } of featureTerms(tokens)) {
        if (seen.has(term)) continue;
        seen.add(term);
        df.set(term, (df.get(term) ?? 0) + 1);
        if (!phrase.has(term)) phrase.set(term, p);
      }
    }
    // Sorted so the same data always gives the same indices, whatever the insertion order.
    const terms = [...df.keys()].filter((t) => df.get(t)! >= minDf).sort();
    const n = docs.length;
    const idf = new Float64Array(terms.length);
    terms.forEach((t, i) => {
      idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1;
    });
    return new Vectorizer(terms, idf, terms.map((t) => phrase.get(t)!));
  }

  static restore(state: VectorizerState): Vectorizer {
    return new Vectorizer(state.terms, Float64Array.from(state.idf), state.terms.slice());
  }

  state(): VectorizerState {
    return { terms: this.terms, idf: Array.from(this.idf) };
  }

  transform(tokens: readonly Token[]): SparseVector {
    const counts = new Map<number, number>();
    for (const term of featureKeys(tokens)) {
      const i = this.index.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const v = (1 + Math.log(counts.get(i)!)) * this.idf[i]!;
      val[k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < val.length; k++) val[k]! /= norm;
    return { idx, val };
  }

  /** Readable phrases for evidence, taken from the passage itself when it has the term. */
  phraseFor(termIndex: number, tokens?: readonly Token[]): string {
    const term = this.terms[termIndex]!;
    if (tokens) {
      for (const f of featureTerms(tokens)) if (f.term === term) return f.phrase;
    }
    return this.phrases[termIndex]!;
  }
}

export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const ai = a.idx[i]!;
    const bj = b.idx[j]!;
    if (ai === bj) {
      sum += a.val[i]! * b.val[j]!;
      i++;
      j++;
    } else if (ai < bj) i++;
    else j++;
  }
  return sum;
}

export function denseDot(w: Float64Array, x: SparseVector): number {
  let sum = 0;
  for (let k = 0; k < x.idx.length; k++) sum += w[x.idx[k]!]! * x.val[k]!;
  return sum;
}
