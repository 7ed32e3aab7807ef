import type { ValueLabel } from './model';

/**
 * Ordered answer scales and the answers that sit outside them. A column whose distinct answers all
 * lie on one scale is ordinal, and its labels take the scale's order (low to high), not the
 * alphabet's, so top-2 and bottom-2 boxes are right. Answers that take no position ("Don't know",
 * "N/A") are non-substantive: kept, in the base, placed after the scale's points.
 */

/** Scales whose exact wording is common enough to list (lower case, low to high). */
const KNOWN_SCALES: string[][] = [
  ['strongly disagree', 'disagree', 'somewhat disagree', 'slightly disagree', 'neither agree nor disagree', 'neutral', 'slightly agree', 'somewhat agree', 'agree', 'strongly agree'],
  ['very unfavorably', 'somewhat unfavorably', 'neither favorably nor unfavorably (neutral)', 'neither favorably nor unfavorably', 'somewhat favorably', 'very favorably'],
  ['very dissatisfied', 'dissatisfied', 'somewhat dissatisfied', 'neither satisfied nor dissatisfied', 'somewhat satisfied', 'satisfied', 'very satisfied'],
  ['very unlikely', 'unlikely', 'somewhat unlikely', 'neither likely nor unlikely', 'somewhat likely', 'likely', 'very likely'],
  ['decrease a lot', 'decrease a great deal', 'decrease', 'decrease somewhat', 'decrease a little', 'stay the same', 'no change', 'increase a little', 'increase somewhat', 'increase', 'increase a lot', 'increase a great deal'],
  ['never', 'rarely', 'sometimes', 'often', 'usually', 'very often', 'always'],
  ['very poor', 'poor', 'fair', 'average', 'good', 'very good', 'excellent'],
  ['not at all important', 'slightly important', 'moderately important', 'somewhat important', 'important', 'very important', 'extremely important'],
  ['not at all', 'a little', 'somewhat', 'moderately', 'quite a bit', 'very much', 'extremely'],
  ['very bad', 'bad', 'somewhat bad', 'neither good nor bad', 'somewhat good', 'good', 'very good'],
  ['not at all familiar', 'slightly familiar', 'somewhat familiar', 'moderately familiar', 'very familiar', 'extremely familiar'],
  ['very difficult', 'difficult', 'somewhat difficult', 'neither easy nor difficult', 'somewhat easy', 'easy', 'very easy'],
  ['rare', 'medium rare', 'medium', 'medium well', 'well'],
  ['非常不满意', '不满意', '比较不满意', '一般', '比较满意', '满意', '非常满意'],
  ['非常不同意', '不同意', '比较不同意', '中立', '比较同意', '同意', '非常同意'],
  ['从不', '很少', '有时', '经常', '总是'],
  ['非常差', '差', '一般', '好', '非常好'],
];

/**
 * Answers that take no position: kept as labels, in the base, flagged non-substantive (out of
 * nets, boxes and means), after the scale's points.
 */
const NONSUBSTANTIVE = new Set([
  "don't know", 'do not know', 'dont know', 'dk', "i don't know", 'i do not know', "i'm not sure", 'i am not sure', "don't know / not sure", "don't know/not sure", 'not sure', 'unsure', 'no opinion', "can't say", 'cannot say',
  'cant say', "can't answer", 'cannot answer', 'no idea', 'prefer not to say', 'prefer not to answer', "i'd rather not say", 'rather not say', 'would rather not say',
  'decline to answer', 'declined to answer', 'decline to say', 'n/a', 'na', 'n.a', 'not applicable', 'does not apply', "doesn't apply", 'not relevant',
  '不知道', '不确定', '不适用', '不愿透露', '说不清', '不清楚', '不好说', '无意见', '不愿回答',
]);

/** Answers that are no answer at all (out of the base): refusals and questions not asked. */
const MISSING = new Set(['refused', 'skipped', 'not asked', 'no answer', 'system missing', '拒绝回答']);

function normalize(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');
}

export function isNonsubstantiveAnswer(label: string): boolean {
  if (label.length > 60) return false;
  const n = normalize(label);
  if (NONSUBSTANTIVE.has(n)) return true;
  // "Unfamiliar (N/A)", "Not applicable - never used it", "Don't know / can't say".
  if (/\(n\/a\)$|^n\/a\b/.test(n)) return true;
  const parts = n.split(/\s*(?:\/|\bor\b| - )\s*/).filter(Boolean);
  return parts.length > 1 && parts.every((p) => NONSUBSTANTIVE.has(p));
}

export function isMissingAnswer(label: string): boolean {
  return label.length <= 40 && MISSING.has(normalize(label));
}

/** Non-substantive or missing: placed after a scale's points. */
export function isOffScale(label: string): boolean {
  return isNonsubstantiveAnswer(label) || isMissingAnswer(label);
}

/** How an order was found, for the preview's reason. */
export type ScaleRule = 'known' | 'meaning' | 'change' | 'bands' | 'numbered';

export interface Scale {
  /** The answers low to high, then the off-scale answers in their first-seen order. */
  order: string[];
  rule: ScaleRule;
}

/** Answers longer than this are not scale points; checking them would only cost time. */
const LONGEST_POINT = 80;

/** The labels in scale order when every value lies on one scale (off-scale answers last), else null. */
export function orderedScale(values: string[]): string[] | null {
  return scaleOf(values)?.order ?? null;
}

export function scaleOf(values: string[]): Scale | null {
  if (values.some((v) => v.length > LONGEST_POINT)) return null;
  const real = values.filter((v) => !isOffScale(v));
  const off = values.filter((v) => isOffScale(v));
  if (real.length < 2) return null;
  const done = (ordered: string[], rule: ScaleRule): Scale => ({ order: [...ordered, ...off], rule });
  for (const scale of KNOWN_SCALES) {
    const positions = real.map((v) => scale.indexOf(normalize(v)));
    if (positions.every((p) => p >= 0)) return done(sortBy(real, (v) => scale.indexOf(normalize(v))), 'known');
  }
  const meaning = meaningScale(real);
  if (meaning) return done(meaning, 'meaning');
  const change = changeScale(real);
  if (change) return done(change, 'change');
  const bands = rangeScale(real);
  if (bands) return done(bands, 'bands');
  const numbered = numberedScale(real);
  if (numbered) return done(numbered, 'numbered');
  return null;
}

function sortBy(values: string[], key: (v: string) => number): string[] {
  return [...values].sort((a, b) => key(a) - key(b));
}

// ---- Scales by meaning: a pole word with an intensity, or a word from an ordered list. ----

/** Per pole word: its dimension and side (-1 the low pole, +1 the high pole). */
const POLES = new Map<string, { dim: string; side: -1 | 1 }>();
function poles(dim: string, low: string[], high: string[]): void {
  for (const w of low) POLES.set(w, { dim, side: -1 });
  for (const w of high) POLES.set(w, { dim, side: 1 });
}
poles('agree', ['disagree'], ['agree']);
poles('satisfied', ['dissatisfied', 'unsatisfied'], ['satisfied']);
poles('likely', ['unlikely'], ['likely']);
poles('favorable', ['unfavorable', 'unfavourable', 'unfavorably', 'unfavourably', 'negatively'], ['favorable', 'favourable', 'favorably', 'favourably', 'positively']);
poles('important', ['unimportant'], ['important']);
poles('easy', ['difficult', 'hard'], ['easy']);
poles('good', ['bad'], ['good']);
poles('helpful', ['unhelpful'], ['helpful']);
poles('useful', ['useless'], ['useful']);
poles('positive', ['negative'], ['positive']);
poles('happy', ['unhappy'], ['happy']);
poles('comfortable', ['uncomfortable'], ['comfortable']);
poles('confident', ['unconfident'], ['confident']);
poles('interested', ['uninterested'], ['interested']);
poles('effective', ['ineffective'], ['effective']);
poles('acceptable', ['unacceptable'], ['acceptable']);
poles('appealing', ['unappealing'], ['appealing']);
poles('better', ['worse'], ['better']);
poles('clear', ['unclear'], ['clear']);
poles('familiar', ['unfamiliar'], ['familiar']);
poles('concerned', ['unconcerned'], ['concerned']);
poles('worried', [], ['worried']);
poles('safe', ['unsafe'], ['safe']);
poles('supportive', ['unsupportive'], ['supportive']);
poles('aware', ['unaware'], ['aware']);
poles('relevant', ['irrelevant'], ['relevant']);
poles('valuable', [], ['valuable']);
poles('engaged', ['disengaged'], ['engaged']);
poles('motivated', ['unmotivated'], ['motivated']);
poles('fair', ['unfair'], ['fair']);
poles('reliable', ['unreliable'], ['reliable']);
poles('secure', ['insecure'], ['secure']);

/** How strongly a modifier pulls its pole word (unmodified: 2). Equal strengths cannot be ordered. */
const INTENSITY = new Map<string, number>([
  ['slightly', 1], ['a little', 1], ['a bit', 1], ['mildly', 1], ['marginally', 1], ['a little bit', 1],
  ['somewhat', 1.5], ['moderately', 1.5], ['fairly', 1.5], ['rather', 1.5], ['kind of', 1.5], ['partly', 1.5], ['partially', 1.5], ['reasonably', 1.5], ['mostly', 1.5],
  ['quite', 2.5],
  ['very', 3], ['strongly', 3], ['highly', 3], ['really', 3], ['much', 3],
  ['extremely', 4], ['completely', 4], ['totally', 4], ['entirely', 4], ['absolutely', 4], ['fully', 4], ['very much', 4], ['incredibly', 4], ['exceptionally', 4],
]);

/** "not X" family, for a high pole word: where it lands (negative numbers are the low side). */
const NEGATIONS = new Map<string, number>([
  ['not at all', -4],
  ['not', -2],
  ['not very', -1],
  ['not too', -1],
  ['not so', -1],
  ['not particularly', -1],
]);

const NEUTRAL = /^(neither .+ nor .+|neutral|neither|mixed|in between|indifferent|neither\/nor)$/;

/** Ordered word lists with synonyms sharing a rank. */
const RANKED: Record<string, Record<string, number>> = {
  frequency: {
    never: 0, 'almost never': 1, 'hardly ever': 1, 'very rarely': 1, rarely: 2, seldom: 2, occasionally: 2.5, sometimes: 3, often: 4, frequently: 4, regularly: 4,
    'very often': 5, usually: 5, 'most of the time': 5, 'almost always': 6, always: 7, 'every time': 7,
  },
  period: {
    never: 0, 'less than once a year': 1, 'once a year': 2, yearly: 2, annually: 2, 'a few times a year': 3, 'several times a year': 3, 'less than once a month': 3.5,
    'once a month': 4, monthly: 4, 'a few times a month': 5, 'several times a month': 5, '2-3 times a month': 5, 'once a week': 6, weekly: 6,
    'a few times a week': 7, 'several times a week': 7, '2-3 times a week': 7, 'almost every day': 7.5, daily: 8, 'every day': 8, 'once a day': 8,
    'several times a day': 9, 'multiple times a day': 9, 'more than once a day': 9,
  },
  quality: {
    terrible: 0, awful: 0, 'very poor': 1, poor: 2, 'below average': 2.5, fair: 3, average: 3.5, ok: 3.5, okay: 3.5, satisfactory: 3.5, adequate: 3.5, good: 4,
    'above average': 4.5, 'very good': 5, excellent: 6, outstanding: 6, exceptional: 6,
  },
  amount: {
    none: 0, 'none at all': 0, 'very little': 1, 'a little': 1.5, some: 2, 'a moderate amount': 2, 'quite a bit': 3, 'a lot': 3, 'a great deal': 4,
  },
};

interface Point {
  dim: string;
  score: number;
}

/** One answer as a point on a pole word's dimension, or null. Neutral answers have dim '*'. */
function polarPoint(text: string): Point | null {
  const n = normalize(text).replace(/\s*\((?:neutral|neither)\)$/, '');
  if (NEUTRAL.test(n)) return { dim: '*', score: 0 };
  const words = n.split(' ');
  const last = words[words.length - 1]!;
  const first = words[0]!;
  // Pole word last ("very satisfied", "not at all likely") or first ("agree strongly").
  const tail = POLES.get(last);
  if (tail) {
    const before = words.slice(0, -1).join(' ');
    if (before === '') return { dim: tail.dim, score: 2 * tail.side };
    const negation = NEGATIONS.get(before);
    if (negation !== undefined) return tail.side === 1 ? { dim: tail.dim, score: negation } : null;
    const strength = INTENSITY.get(before);
    return strength === undefined ? null : { dim: tail.dim, score: strength * tail.side };
  }
  const head = POLES.get(first);
  if (head && words.length > 1) {
    const strength = INTENSITY.get(words.slice(1).join(' '));
    return strength === undefined ? null : { dim: head.dim, score: strength * head.side };
  }
  return null;
}

/** Every answer on one dimension, each at its own point: the answers low to high, else null. */
function meaningScale(real: string[]): string[] | null {
  for (const ranks of Object.values(RANKED)) {
    const scores = real.map((v) => ranks[normalize(v)]);
    if (scores.every((s) => s !== undefined) && new Set(scores).size === real.length) {
      return sortBy(real, (v) => ranks[normalize(v)]!);
    }
  }
  const points = real.map(polarPoint);
  if (points.some((p) => p === null)) return null;
  const dims = new Set(points.map((p) => p!.dim).filter((d) => d !== '*'));
  if (dims.size !== 1) return null;
  const scores = points.map((p) => p!.score);
  if (new Set(scores).size !== scores.length) return null;
  if (scores.filter((s) => s !== 0).length < 2) return null;
  const order = real.map((v, i) => ({ v, s: scores[i]! }));
  order.sort((a, b) => a.s - b.s);
  return order.map((o) => o.v);
}

// ---- Change scales ----

const DOWN = /\b(decrease[sd]?|decline[sd]?|reduce[sd]?|fall|fell|go down|went down|shrink|shrunk|lower|less|drop(ped)?)\b/i;
const UP = /\b(increase[sd]?|grow|grew|rise|rose|go up|went up|expand(ed)?|higher|more)\b/i;
const SAME = /\b(stay(ed)? (about |roughly |more or less )?the same|(about|roughly) the same|no change|unchanged|not change|remain(ed)? (about )?the same)\b/i;
const STRONG = /\b(significantly|substantially|greatly|sharply|dramatically|a lot|a great deal|much|considerably|strongly)\b/i;
const MILD = /\b(slightly|a little|somewhat|moderately|a bit|marginally)\b/i;

/**
 * Change scales in any wording: "Decrease significantly" < "Decrease slightly" < "Stay about the
 * same" < "Increase slightly" < "Increase significantly" (also "much lower", "grow a little"...).
 * Every answer must name a direction (or no change), and both directions must appear.
 */
function changeScale(real: string[]): string[] | null {
  if (real.length < 3) return null;
  const scored: { value: string; score: number }[] = [];
  let ups = 0;
  let downs = 0;
  for (const value of real) {
    const same = SAME.test(value);
    const down = DOWN.test(value);
    const up = UP.test(value);
    if (same && !down && !up) {
      scored.push({ value, score: 0 });
      continue;
    }
    if (down === up) return null;
    const intensity = STRONG.test(value) ? 3 : MILD.test(value) ? 1 : 2;
    if (down) downs++;
    else ups++;
    scored.push({ value, score: (down ? -1 : 1) * intensity });
  }
  if (ups === 0 || downs === 0) return null;
  scored.sort((a, b) => a.score - b.score);
  return scored.map((s) => s.value);
}

// ---- Numeric bands and numbered answers ----

const RANGE = /^\s*(under|less than|below|over|more than|above|<|>|≤|≥|<=|>=)?\s*\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|%)?\s*(?:(-|–|—|to)\s*\$?\s*\d[\d,]*(?:\.\d+)?\s*(k|%)?|\+|or more|or older|and (over|above|older)|or less|or younger)?\s*(years?( old)?|employees|people|staff|users|clusters|nodes|servers|members|months?|hours?)?\s*$/i;

/** Bands such as "18-29", "> 60", "$25,000 - $49,999", "$150,000+", ordered by their first number. */
function rangeScale(real: string[]): string[] | null {
  const keys: { value: string; key: number }[] = [];
  let ranges = 0;
  for (const value of real) {
    const match = RANGE.exec(value);
    if (!match) return null;
    const number = Number(match[2]!.replace(/,/g, ''));
    const prefix = (match[1] ?? '').toLowerCase();
    let key = number;
    if (prefix === '<' || prefix === '≤' || prefix === '<=' || /under|less|below/.test(prefix)) key -= 0.5;
    if (prefix === '>' || prefix === '≥' || prefix === '>=' || /over|more|above/.test(prefix)) key += 0.5;
    if (match[1] || match[4] || /\+|more|older|over|above|less|younger/.test(value)) ranges++;
    keys.push({ value, key });
  }
  if (ranges < Math.ceil(real.length / 2)) return null;
  keys.sort((a, b) => a.key - b.key);
  return keys.map((k) => k.value);
}

const NUMBERED = /^\s*(\d{1,3})\s*(?:([-=:.)–—])\s*(.*\p{L}.*))?$/u;

/** "1 - Strongly disagree", "2", "3", "5 = Strongly agree": ordered by the number each starts with. */
function numberedScale(real: string[]): string[] | null {
  let worded = 0;
  const keys = new Map<string, number>();
  for (const value of real) {
    const m = NUMBERED.exec(value);
    if (!m) return null;
    if (m[3]) worded++;
    keys.set(value, Number(m[1]));
  }
  if (worded === 0 || new Set(keys.values()).size !== real.length) return null;
  return sortBy(real, (v) => keys.get(v)!);
}

/**
 * Codes 1..n in the order given; non-substantive and missing answers flagged, and moved after the
 * others (a scale's order already has them last; a nominal list gets them last too).
 */
export function labelsFor(ordered: string[]): ValueLabel[] {
  const substantive = ordered.filter((l) => !isOffScale(l));
  const rest = ordered.filter((l) => isOffScale(l));
  return [...substantive, ...rest].map((label, i) => ({ code: i + 1, label, ...flagsOf(label) }));
}

/** The flags a label's wording implies. */
export function flagsOf(label: string): { missing?: true; nonsubstantive?: true } {
  if (isMissingAnswer(label)) return { missing: true };
  if (isNonsubstantiveAnswer(label)) return { nonsubstantive: true };
  return {};
}
