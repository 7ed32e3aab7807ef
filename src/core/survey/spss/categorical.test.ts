import { describe, expect, it } from 'vitest';
import { labelsFor, naturalCompare, orderedScale } from '../infer';
import type { ParsedVariable } from '../model';
import { categoricalStrings } from './categorical';
import { xorshift32 } from '../../testing/random';

/** The rule as first written, with a Set and a regular expression: the fast version must decide the same. */
function reference(v: ParsedVariable): void {
  if (v.type !== 'text' || v.values.kind !== 'string' || v.valueLabels.length > 0) return;
  const distinct = new Set<string>();
  const answers = v.values.values;
  let answered = 0;
  let spaced = false;
  for (let r = 0; r < answers.length; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    answered++;
    if (s.length > 80) return;
    const before = distinct.size;
    distinct.add(s);
    if (distinct.size !== before) {
      if (!spaced && /\s/.test(s)) spaced = true;
    } else if (before > 60) return;
  }
  if (distinct.size > 60 && distinct.size < answered) return;
  if (distinct.size === 0) return;
  if (distinct.size >= answered) {
    if (answered >= answers.length * 0.9 && answered > 20 && !spaced) v.type = 'id';
    return;
  }
  const values = [...distinct];
  const scale = orderedScale(values);
  v.type = scale ? 'ordinal' : 'single';
  v.valueLabels = labelsFor(scale ?? values.sort(naturalCompare));
}

const variableOf = (values: (string | null)[]): ParsedVariable => ({
  name: 'v',
  label: '',
  type: 'text',
  valueLabels: [],
  missing: { values: [] },
  values: { kind: 'string', values },
});

describe('string variables without labels: choice, id or open text', () => {
  const next = xorshift32(2463534242);
  const spaces = [' ', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028'];
  const likert = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];
  const generators: Record<string, (r: number, n: number) => string | null> = {
    ids: (r) => `R${String(r).padStart(6, '0')}`,
    'ids, a few blank': (r) => (r % 15 === 0 ? null : `R${r}`),
    'ids, many blank': (r) => (r % 5 === 0 ? '' : `R${r}`),
    'ids with one repeat': (r, n) => `R${r === n - 1 ? 0 : r}`,
    'ids with a space somewhere': (r, n) => (r === (n >> 1) ? `R ${r}` : `R${r}`),
    'ids in order with a space somewhere': (r, n) => `R${String(r).padStart(6, '0')}${r === (n >> 1) ? ' x' : ''}`,
    'ids in order, then one out of order': (r, n) => `R${String(r === n - 1 ? 0 : r + 1).padStart(6, '0')}`,
    'ids in order, a long one': (r) => `R${String(r).padStart(6, '0')}${r === 3 ? 'y'.repeat(90) : ''}`,
    'ids in order, mostly blank': (r) => (r % 3 === 0 ? `R${String(r).padStart(6, '0')}` : null),
    'unique with odd white space': (r) => `a${spaces[r % spaces.length]}${r}`,
    likert: () => likert[next() % 5]!,
    'few words': () => ['tea', 'coffee', 'juice', 'water'][next() % 4]!,
    'exactly 60 words': (r) => `w${r % 60}`,
    '61 words': (r) => `w${r % 61}`,
    'many repeats': () => `note ${next() % 200}`,
    'a long answer': (r) => (r === 7 ? 'x'.repeat(81) : `w${r % 3}`),
    'an 80-character answer': (r) => (r === 7 ? 'x'.repeat(80) : `w${r % 3}`),
    'non-ASCII': () => ['é', 'ü', 'ñ', '中文', '😀'][next() % 5]!,
    'all blank': () => null,
  };
  for (const [name, make] of Object.entries(generators)) {
    for (const n of [1, 20, 21, 500, 5000]) {
      it(`${name}, ${n} rows`, () => {
        const values = Array.from({ length: n }, (_, r) => make(r, n));
        const fast = variableOf(values);
        const slow = variableOf(values);
        categoricalStrings(fast);
        reference(slow);
        expect(fast.type).toBe(slow.type);
        expect(fast.valueLabels).toEqual(slow.valueLabels);
      });
    }
  }

  it('the rule itself: ids, choices, scales and open text', () => {
    const decide = (values: (string | null)[]) => {
      const v = variableOf(values);
      categoricalStrings(v);
      return v;
    };
    expect(decide(Array.from({ length: 100 }, (_, r) => `R${r}`)).type).toBe('id');
    expect(decide(Array.from({ length: 100 }, (_, r) => `R ${r}`)).type).toBe('text');
    const scale = decide(Array.from({ length: 100 }, (_, r) => likert[r % 5]!));
    expect(scale.type).toBe('ordinal');
    expect(scale.valueLabels.map((l) => l.label)).toEqual(likert);
    const choice = decide(Array.from({ length: 100 }, (_, r) => ['tea', 'coffee'][r % 2]!));
    expect(choice.type).toBe('single');
    expect(choice.valueLabels.map((l) => l.label)).toEqual(['coffee', 'tea']);
    expect(decide(Array.from({ length: 100 }, (_, r) => `w${r % 61}`)).type).toBe('text');
  });
});
