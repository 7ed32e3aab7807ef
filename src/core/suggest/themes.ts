import type { ThemeGroup, ThemePassage, ThemePhrase, ThemesResult } from '../../shared/contract/suggest';
import type { Job } from '../context';
import type { Project } from '../store/project';
import { seededRandom } from './engine/random';
import { sparseDot, Vectorizer, type SparseVector } from './engine/tfidf';
import { tokenize } from './engine/tokenize';
import { codeSpecs } from './service';
import { codedSpans, overlaps, passagesOf, type Passage, type Scope } from './passages';

// Talk that fills every conversation (and negations, which classifiers keep but which name no
// theme): never offered as a theme's phrase or a group's label.
const FILLER = new Set(
  tokenize(
    `okay ok yeah yes yep no not t s just let know think like go going get got really actually um uh
     well mean thing things can will would also one see say said want maybe sure right oh good so
     look looks looking bit lot kind sort guess probably now here there first next time try trying
     way much something anything everything use used using make made need don stuff`,
  ).map((t) => t.stem),
);
FILLER.add('t');
FILLER.add('not');
FILLER.add('no');

function isFiller(term: string): boolean {
  const stems = term.split(' ');
  return stems.every((s) => FILLER.has(s)) || FILLER.has(stems[0]!) || FILLER.has(stems[stems.length - 1]!);
}

function asTheme(p: Passage): ThemePassage {
  return { documentId: p.documentId, documentName: p.documentName, start: p.start, end: p.end, text: p.text };
}

/**
 * Candidate themes in what nobody has coded yet: distinctive key phrases (frequent across uncoded
 * passages, rare overall, not already a code's words) and groups of similar passages (spherical
 * k-means on TF-IDF, seeded), each with examples.
 */
export async function discoverThemes(project: Project, scope: Scope, limit: number, job: Job): Promise<ThemesResult> {
  job.progress(0, null, 'Reading passages');
  const all = passagesOf(project, scope, 'turn');
  const coded = codedSpans(project);
  const uncoded = all.filter((p) => !(coded.get(p.documentId) ?? []).some((c) => overlaps(c, p)));
  if (uncoded.length === 0) return { uncodedPassages: 0, phrases: [], groups: [] };
  const tokens = uncoded.map((p) => tokenize(p.text));
  const vectorizer = Vectorizer.fit(tokens, Math.min(2, uncoded.length));
  const vectors = tokens.map((t) => vectorizer.transform(t));
  await job.checkpoint();

  const known = new Set(codeSpecs(project).flatMap((c) => tokenize([c.name, ...(c.keywords ?? [])].join(' ')).map((t) => t.stem)));
  const df = new Float64Array(vectorizer.size);
  const mass = new Float64Array(vectorizer.size);
  vectors.forEach((v) => {
    for (let k = 0; k < v.idx.length; k++) {
      df[v.idx[k]!]!++;
      mass[v.idx[k]!]! += v.val[k]!;
    }
  });
  const minDf = Math.min(3, Math.max(1, Math.floor(uncoded.length / 20)));
  const candidates: { i: number; weight: number }[] = [];
  for (let i = 0; i < vectorizer.size; i++) {
    if (df[i]! < minDf || df[i]! > uncoded.length * 0.5) continue;
    const stems = vectorizer.terms[i]!.split(' ');
    if (stems.every((s) => known.has(s)) || isFiller(vectorizer.terms[i]!)) continue;
    // Phrases of two words read as themes more often than single words: a mild preference.
    candidates.push({ i, weight: mass[i]! * (stems.length > 1 ? 1.5 : 1) });
  }
  candidates.sort((a, b) => b.weight - a.weight || a.i - b.i);
  const phrases: ThemePhrase[] = [];
  const taken = new Set<string>();
  for (const { i, weight } of candidates) {
    if (phrases.length >= limit) break;
    const stems = vectorizer.terms[i]!.split(' ');
    // A unigram already inside a chosen bigram adds nothing.
    if (stems.length === 1 && taken.has(stems[0]!)) continue;
    stems.forEach((s) => taken.add(s));
    const holders = vectors
      .map((v, n) => ({ n, w: weightOf(v, i) }))
      .filter((x) => x.w > 0)
      .sort((a, b) => b.w - a.w || a.n - b.n);
    phrases.push({
      phrase: vectorizer.phraseFor(i, tokens[holders[0]?.n ?? 0]),
      passages: df[i]!,
      weight: Math.round(weight * 100) / 100,
      examples: holders.slice(0, 3).map((h) => asTheme(uncoded[h.n]!)),
    });
  }
  job.progress(1, 2, 'Grouping similar passages');
  await job.checkpoint();

  const groups = cluster(vectors, vectorizer, uncoded, tokens.length >= 6 ? Math.max(2, Math.min(limit, Math.round(Math.sqrt(uncoded.length / 2)))) : 1);
  job.progress(2, 2, 'Done');
  return { uncodedPassages: uncoded.length, phrases, groups };
}

function weightOf(v: SparseVector, i: number): number {
  let lo = 0;
  let hi = v.idx.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = v.idx[mid]!;
    if (x === i) return v.val[mid]!;
    if (x < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

function cluster(vectors: SparseVector[], vectorizer: Vectorizer, passages: Passage[], k: number): ThemeGroup[] {
  const usable = vectors.map((v, i) => ({ v, i })).filter((x) => x.v.idx.length > 0);
  if (usable.length < 3) return [];
  const dim = vectorizer.size;
  const random = seededRandom(11);
  // k-means++ seeding with a seeded generator: the same text gives the same groups.
  const centroids: Float64Array[] = [];
  const toDense = (v: SparseVector) => {
    const d = new Float64Array(dim);
    for (let k2 = 0; k2 < v.idx.length; k2++) d[v.idx[k2]!] = v.val[k2]!;
    return d;
  };
  const simTo = (c: Float64Array, v: SparseVector) => {
    let s = 0;
    for (let k2 = 0; k2 < v.idx.length; k2++) s += c[v.idx[k2]!]! * v.val[k2]!;
    return s;
  };
  centroids.push(toDense(usable[Math.floor(random() * usable.length)]!.v));
  while (centroids.length < Math.min(k, usable.length)) {
    const d = usable.map((x) => 1 - Math.max(...centroids.map((c) => simTo(c, x.v))));
    const total = d.reduce((a, b) => a + b, 0);
    let r = random() * total;
    let pick = 0;
    for (; pick < d.length - 1; pick++) {
      r -= d[pick]!;
      if (r <= 0) break;
    }
    centroids.push(toDense(usable[pick]!.v));
  }
  let assign = new Int32Array(usable.length);
  for (let iter = 0; iter < 15; iter++) {
    const next = new Int32Array(usable.length);
    usable.forEach((x, n) => {
      let best = 0;
      let bestSim = -1;
      centroids.forEach((c, j) => {
        const s = simTo(c, x.v);
        if (s > bestSim) {
          bestSim = s;
          best = j;
        }
      });
      next[n] = best;
    });
    const same = next.every((a, n) => a === assign[n]);
    assign = next;
    centroids.forEach((c, j) => {
      c.fill(0);
      usable.forEach((x, n) => {
        if (assign[n] !== j) return;
        for (let k2 = 0; k2 < x.v.idx.length; k2++) c[x.v.idx[k2]!]! += x.v.val[k2]!;
      });
      const norm = Math.sqrt(c.reduce((a, b) => a + b * b, 0));
      if (norm > 0) for (let k2 = 0; k2 < dim; k2++) c[k2]! /= norm;
    });
    if (same && iter > 0) break;
  }
  const groups: ThemeGroup[] = [];
  centroids.forEach((c, j) => {
    const members = usable.map((x, n) => ({ x, n })).filter(({ n }) => assign[n] === j);
    if (members.length < 2) return;
    const top = [...c.keys()]
      .filter((t) => c[t]! > 0 && !isFiller(vectorizer.terms[t]!))
      .sort((a, b) => c[b]! - c[a]! || a - b)
      .slice(0, 4);
    const phrases = top.map((t) => vectorizer.phrases[t]!);
    const examples = members
      .map(({ x }) => ({ i: x.i, s: simTo(c, x.v) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, 3)
      .map((m) => asTheme(passages[m.i]!));
    groups.push({ label: phrases.slice(0, 3).join(' · '), phrases, size: members.length, examples });
  });
  return groups.sort((a, b) => b.size - a.size || (a.label < b.label ? -1 : 1));
}

export { sparseDot };
