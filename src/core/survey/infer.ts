import type { ValueLabel } from './model';

/**
 * Ordered answer scales. A column whose distinct answers all sit on one scale is ordinal, and its
 * labels take the scale's order (not the alphabet's). Lower case; the order is low to high.
 */
const SCALES: string[][] = [
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
];

/**
 * Answers that are no answer at all: kept as labels, flagged missing (out of the base). "Don't
 * know" and "Not sure" are answers a report shows ("12% are not sure"), so they stay in the base;
 * like the missing ones they sort after a scale's points.
 */
const MISSING_ANSWERS = /^(unfamiliar \(n\/a\)|n\/a|na|not applicable|prefer not to (say|answer)|refused)$/i;
const OFF_SCALE_ANSWERS = /^(don'?t know|do not know|no opinion|not sure|unsure|can'?t say)$/i;

export function isMissingAnswer(label: string): boolean {
  return MISSING_ANSWERS.test(label.trim());
}

/** Missing, or an answer outside the scale's order: placed after the scale's points. */
function isOffScale(label: string): boolean {
  return isMissingAnswer(label) || OFF_SCALE_ANSWERS.test(label.trim());
}

/** The labels in scale order when every value lies on one known scale (missing answers last), else null. */
export function orderedScale(values: string[]): string[] | null {
  const real = values.filter((v) => !isOffScale(v));
  if (real.length < 2) return null;
  for (const scale of SCALES) {
    const positions = real.map((v) => scale.indexOf(v.trim().toLowerCase()));
    if (positions.every((p) => p >= 0)) {
      const ordered = [...real].sort((a, b) => scale.indexOf(a.trim().toLowerCase()) - scale.indexOf(b.trim().toLowerCase()));
      return [...ordered, ...values.filter((v) => isOffScale(v))];
    }
  }
  return changeScale(values) ?? rangeScale(values);
}

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
function changeScale(values: string[]): string[] | null {
  const real = values.filter((v) => !isOffScale(v));
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
  return [...scored.map((s) => s.value), ...values.filter((v) => isOffScale(v))];
}

const RANGE = /^\s*(under|less than|below|over|more than|above|<|>|≤|≥|<=|>=)?\s*\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|%)?\s*(?:(-|–|—|to)\s*\$?\s*\d[\d,]*(?:\.\d+)?\s*(k|%)?|\+|or more|or older|and (over|above|older)|or less|or younger)?\s*(years?( old)?|employees|people|staff|users|clusters|nodes|servers|members|months?|hours?)?\s*$/i;

/** Bands such as "18-29", "> 60", "$25,000 - $49,999", "$150,000+", ordered by their first number. */
function rangeScale(values: string[]): string[] | null {
  const real = values.filter((v) => !isOffScale(v));
  if (real.length < 2) return null;
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
  return [...keys.map((k) => k.value), ...values.filter((v) => isOffScale(v))];
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/**
 * Dates as survey tools write them, read as UTC milliseconds (survey exports rarely say their
 * zone; a "GMT+1" suffix is honoured). NaN when the text is not a date.
 */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const isoScratch = new Uint8Array(19);

/** "2024-03-05" and "2024-03-05 14:07:09" (or with T): most exports, read without a regex. */
function fastIsoDate(s: string): number {
  const n = s.length;
  if (n !== 10 && n !== 19) return Number.NaN;
  // The characters as bytes, so one reader serves text and the bytes of a file alike.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return Number.NaN;
    isoScratch[i] = c;
  }
  return fastIsoDateBytes(isoScratch, 0, n);
}

/**
 * The same for the UTF-8 bytes [start, end) of a cell (ColumnAccumulator.pushBytes): exactly what
 * parseDate gives for their text when that is one of these two forms, else NaN (then parseDate decides).
 */
export function fastIsoDateBytes(s: Uint8Array, at: number, end: number): number {
  const n = end - at;
  if ((n !== 10 && n !== 19) || s[at + 4] !== 45 || s[at + 7] !== 45) return Number.NaN;
  const year = digits(s, at, 4);
  const month = digits(s, at + 5, 2);
  const day = digits(s, at + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return Number.NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return Number.NaN;
  if (n === 10) return Date.UTC(year, month - 1, day);
  const sep = s[at + 10];
  if ((sep !== 32 && sep !== 84) || s[at + 13] !== 58 || s[at + 16] !== 58) return Number.NaN;
  const hour = digits(s, at + 11, 2);
  const minute = digits(s, at + 14, 2);
  const second = digits(s, at + 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function parseDate(text: string): number {
  const fast = fastIsoDate(text);
  if (!Number.isNaN(fast)) return fast;
  const s = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?)?\s*(Z|(?:GMT|UTC)?\s*([+-]\d{1,2}(?::?\d{2})?)|GMT|UTC)?$/i.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, m[4], m[5], m[6], m[7], m[8], m[10]);
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(s);
  if (m) {
    // US order (month/day) unless the first part cannot be a month.
    const a = +m[1]!;
    const b = +m[2]!;
    const [month, day] = a > 12 ? [b, a] : [a, b];
    return build(+m[3]!, month, day, m[4], m[5], m[6], undefined, m[7], undefined);
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})$/.exec(s);
  if (m && MONTHS[m[2]!.toLowerCase()]) return build(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!, undefined, undefined, undefined, undefined, undefined, undefined);
  return Number.NaN;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  fraction: string | undefined,
  ampm: string | undefined,
  offset: string | undefined,
): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1000) return Number.NaN;
  let h = hour ? +hour : 0;
  if (ampm) {
    if (h > 12) return Number.NaN;
    if (ampm.toUpperCase() === 'PM' && h < 12) h += 12;
    if (ampm.toUpperCase() === 'AM' && h === 12) h = 0;
  }
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  let time = Date.UTC(year, month - 1, day, h, minute ? +minute : 0, second ? +second : 0, ms);
  const check = new Date(time);
  if (check.getUTCDate() !== day) return Number.NaN;
  if (offset) {
    const om = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offset.trim());
    if (om) time -= (om[1] === '-' ? -1 : 1) * (+om[2]! * 60 + (om[3] ? +om[3] : 0)) * 60_000;
  }
  return time;
}

/** Natural order for labels: "Q2" before "Q10", numbers by value. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Splits a cell of a "select all that apply" question packed into one cell. Google Forms joins
 * with ", ", Qualtrics with ",". Labels that themselves hold commas ("$50,000") stay whole when
 * the whole label was also chosen alone elsewhere.
 */
/** "IT executive (CIO, CTO, VP)" is one answer: commas inside brackets do not separate. */
function keepBracketsWhole(parts: string[], glue: string): string[] {
  const out: string[] = [];
  let open = '';
  let depth = 0;
  for (const part of parts) {
    const change = (part.match(/[([{]/g)?.length ?? 0) - (part.match(/[)\]}]/g)?.length ?? 0);
    if (depth > 0) {
      open += glue + part;
      depth += change;
      if (depth <= 0) {
        out.push(open);
        open = '';
        depth = 0;
      }
    } else if (change > 0) {
      open = part;
      depth = change;
    } else {
      out.push(part);
    }
  }
  if (open) out.push(open);
  return out;
}

export function splitPacked(value: string, known: Set<string>, separator: RegExp): string[] {
  if (known.has(value)) return [value];
  const parts = keepBracketsWhole(value.split(separator).map((p) => p.trim()), value.includes(', ') ? ', ' : ',');
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    // Prefer the longest run of parts that is a known whole label.
    let taken = 1;
    for (let j = parts.length; j > i + 1; j--) {
      const joined = parts.slice(i, j).join(', ');
      const joinedTight = parts.slice(i, j).join(',');
      if (known.has(joined) || known.has(joinedTight)) {
        taken = j - i;
        out.push(known.has(joined) ? joined : joinedTight);
        break;
      }
    }
    if (taken === 1) out.push(parts[i]!);
    i += taken;
  }
  return out.filter((p) => p !== '');
}

/**
 * Decides whether a column of text answers is a packed multi-select: several answers carry a
 * separator, the pieces recur, and most pieces were also chosen alone. Returns the options in
 * order of first appearance, or null.
 */
export function packedOptions(distinct: Map<string, number>, format: string): { options: string[]; separator: RegExp } | null {
  const values = [...distinct.keys()];
  const withComma = values.filter((v) => v.includes(','));
  if (withComma.length === 0) return null;
  const googleStyle = withComma.filter((v) => v.includes(', ')).length >= withComma.length / 2;
  const separator = googleStyle ? /,\s+/ : /,/;
  // Thousands ("1,000", "$50,000") are not lists of answers.
  // Qualtrics packs numeric choice codes ("1,3,100"), so there only labels with words count.
  const qualtrics = format === 'qualtrics' || format === 'qualtrics-legacy';
  if (withComma.some((v) => /\d,\d{3}(\D|$)/.test(v) && (!qualtrics || /\p{L}/u.test(v)))) return null;
  const known = new Set(values.filter((v) => !v.includes(',')));
  const pieceCounts = new Map<string, number>();
  for (const value of values) {
    for (const piece of splitPacked(value, known, separator)) pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + distinct.get(value)!);
  }
  const pieces = [...pieceCounts.keys()];
  if (pieces.length > 60 || pieces.length < 2) return null;
  // A list needs at least one answer made of two or more options.
  if (!values.some((v) => splitPacked(v, known, separator).length >= 2)) return null;
  const recurring = pieces.filter((p) => known.has(p) || (pieceCounts.get(p) ?? 0) >= 2).length;
  if (recurring < pieces.length * 0.6) return null;
  // Long free-text answers with commas are prose, not option lists.
  if (pieces.some((p) => p.length > 120)) return null;
  if (pieces.length >= values.length && format !== 'google-forms' && !format.startsWith('qualtrics')) return null;
  return { options: pieces, separator };
}

export function labelsFor(ordered: string[]): ValueLabel[] {
  return ordered.map((label, i) => ({ code: i + 1, label, ...(isMissingAnswer(label) ? { missing: true } : {}) }));
}

/** Survey tools put HTML in question text (SurveyMonkey "<br>"): show it as plain words. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
