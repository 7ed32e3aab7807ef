import type { SlotFormat, SlotSource } from '../../shared/contract/findings';

/**
 * Fractions a writer uses for a share, by the percent they stand for. A share is written as the
 * nearest one; more than a point away it is qualified ("almost half", "over a third"), so the
 * words never claim more precision than the number has.
 */
const FRACTIONS: [number, string][] = [
  [0, 'none'],
  [10, 'one in ten'],
  [20, 'one in five'],
  [25, 'a quarter'],
  [100 / 3, 'a third'],
  [40, 'two in five'],
  [50, 'half'],
  [60, 'three in five'],
  [200 / 3, 'two thirds'],
  [75, 'three quarters'],
  [80, 'four in five'],
  [90, 'nine in ten'],
  [100, 'all'],
];

export function shareInWords(percent: number): string {
  let best = FRACTIONS[0]!;
  for (const fraction of FRACTIONS) if (Math.abs(percent - fraction[0]) < Math.abs(percent - best[0])) best = fraction;
  const [at, words] = best;
  const diff = percent - at;
  if (Math.abs(diff) <= 1) return words;
  // "almost none" and "over all" say nothing: the ends qualify towards the middle instead.
  if (at === 0) return 'hardly any';
  if (at === 100) return 'almost all';
  return diff < 0 ? `almost ${words}` : `over ${words}`;
}

/** Rounds half away from zero, as a reader rounds (toFixed rounds 0.125 down on binary doubles). */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f + 1e-9)) / f;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number as the finding prints it. A change is always signed; a share never is. */
export function formatSlotValue(value: number | null, format: SlotFormat): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (format) {
    case 'percent':
      return `${roundTo(value, 0).toFixed(0)}%`;
    case 'percent1':
      return `${roundTo(value, 1).toFixed(1)}%`;
    case 'words':
      return shareInWords(value);
    case 'points':
    case 'points1': {
      const digits = format === 'points' ? 0 : 1;
      const r = roundTo(value, digits);
      const sign = r > 0 ? '+' : r < 0 ? '−' : '±';
      return `${sign}${Math.abs(r).toFixed(digits)} pts`;
    }
    case 'number':
      return grouped.format(roundTo(value, 0));
    case 'decimal1':
      return roundTo(value, 1).toFixed(1);
  }
}

/** The format a new slot gets when the user has not chosen one. */
export function defaultFormat(source: SlotSource): SlotFormat {
  if (source.kind === 'change') return 'points';
  if (source.kind === 'base' || source.kind === 'code') return 'number';
  if (source.stat === 'count' || source.stat === 'weightedCount') return 'number';
  if (source.stat === 'mean') return 'decimal1';
  return 'percent';
}

/** Replaces each {key} of a headline with its text; unknown keys stay as written. */
export function fillHeadline(headline: string, texts: Map<string, string>): string {
  return headline.replace(/\{([a-z][a-z0-9_]{0,19})\}/g, (whole, key: string) => texts.get(key) ?? whole);
}

/** The slot keys a headline uses, in order, each once. */
export function headlineKeys(headline: string): string[] {
  return [...new Set([...headline.matchAll(/\{([a-z][a-z0-9_]{0,19})\}/g)].map((m) => m[1]!))];
}

/** A headline cut into text and slots, for renderers that style numbers (DOCX runs, HTML spans). */
export function headlineParts(headline: string): ({ text: string } | { key: string })[] {
  const parts: ({ text: string } | { key: string })[] = [];
  let at = 0;
  for (const m of headline.matchAll(/\{([a-z][a-z0-9_]{0,19})\}/g)) {
    if (m.index > at) parts.push({ text: headline.slice(at, m.index) });
    parts.push({ key: m[1]! });
    at = m.index + m[0].length;
  }
  if (at < headline.length) parts.push({ text: headline.slice(at) });
  return parts;
}
