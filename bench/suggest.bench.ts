import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { Suggester, type CodeSpec, type TrainingPassage } from '../src/core/suggest/engine/model';
import { seededRandom } from '../src/core/suggest/engine/random';
import { defineRows } from './harness';

const CODES = 22;
const TRAIN = 2_000;
const SCORE = 10_000;

// Interview-like passages: each code has its own topical words, mixed with shared talk and
// filler, 10-60 words long (the Taguette corpus' quotes are 3-1,012 characters, median 100).
const filler = 'so i think well the it was and then we you know just like this that really maybe okay um'.split(' ');
const shared = 'page button data click screen query results table export search option window time'.split(' ');
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'se', 'di', 'pa', 'go', 'fe'];

function word(random: () => number): string {
  let w = '';
  const n = 2 + Math.floor(random() * 2);
  for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
  return w;
}

export function corpus(): { train: TrainingPassage[]; score: string[]; codes: CodeSpec[] } {
  const random = seededRandom(2024);
  const topical = Array.from({ length: CODES }, () => Array.from({ length: 25 }, () => word(random)));
  const codes: CodeSpec[] = topical.map((words, c) => ({ key: String(c + 1), name: `${words[0]} ${words[1]}` }));
  const passage = (): { text: string; codes: string[] } => {
    const c = Math.floor(random() ** 1.5 * CODES);
    const second = random() < 0.07 ? Math.floor(random() * CODES) : -1;
    const length = 10 + Math.floor(random() * 50);
    const out: string[] = [];
    for (let i = 0; i < length; i++) {
      const r = random();
      const pool = r < 0.25 ? topical[c]! : second >= 0 && r < 0.35 ? topical[second]! : r < 0.55 ? shared : filler;
      out.push(pool[Math.floor(random() * pool.length)]!);
    }
    return { text: out.join(' '), codes: [...new Set([String(c + 1), ...(second >= 0 ? [String(second + 1)] : [])])] };
  };
  const train = Array.from({ length: TRAIN }, (_, i) => ({ ...passage(), group: `doc${i % 40}` }));
  const score = Array.from({ length: SCORE }, () => passage().text);
  return { train, score, codes };
}

let data: ReturnType<typeof corpus> | null = null;

export const rows = defineRows([
  {
    name: `suggest: train on ${TRAIN.toLocaleString('en')} coded passages (${CODES} codes) + score ${SCORE.toLocaleString('en')} new ones`,
    baseline: "natural's BayesClassifier, same data",
    target: '< 5 s together, < 500 MB',
    repeat: 3,
    setup() {
      data = corpus();
    },
    ours() {
      const { train, score, codes } = data!;
      const model = Suggester.train(train, codes);
      let top = 0;
      for (const text of score) if (model.score(text)[0]!.score > 0.5) top++;
      if (top === 0) throw new Error('no confident suggestion at all: the benchmark data is broken');
    },
    base() {
      const { train, score } = data!;
      const bayes = new BayesClassifier();
      for (const p of train) bayes.addDocument(p.text, p.codes[0]!);
      bayes.train();
      let n = 0;
      for (const text of score) if (bayes.getClassifications(text).length > 0) n++;
      if (n !== score.length) throw new Error('Bayes gave no classification');
    },
  },
]);
