export { flagsOf, isMissingAnswer, isNonsubstantiveAnswer, labelsFor, orderedScale, scaleOf, type Scale } from './scales';

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

/** "IT executive (CIO, CTO, VP)" is one answer: commas inside brackets do not separate. */
function keepBracketsWhole(parts: string[], glue: string): string[] {
  const out: string[] = [];
  let open = '';
  let depth = 0;
  for (const part of parts) {
    const change = bracketChange(part);
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

function bracketChange(part: string): number {
  let change = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) change++;
    else if (c === 41 || c === 93 || c === 125) change--;
  }
  return change;
}

/** Per set of known labels: the most comma-separated parts one of them has ("$50,000" has 2). */
const knownParts = new WeakMap<Set<string>, number>();

function mostParts(known: Set<string>): number {
  let most = knownParts.get(known);
  if (most === undefined) {
    most = 1;
    for (const label of known) {
      let parts = 1;
      for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) === 44) parts++;
      if (parts > most) most = parts;
    }
    knownParts.set(known, most);
  }
  return most;
}

/**
 * Splits a cell of a "select all that apply" question packed into one cell. Google Forms joins
 * with ", ", Qualtrics with ",". Labels that themselves hold commas ("$50,000") stay whole when
 * the whole label is known. Linear in the cell's length: a run of parts is only tried as a known
 * label up to the most parts a known label has (`known` must not change between calls).
 */
export function splitPacked(value: string, known: Set<string>, separator: RegExp): string[] {
  if (known.has(value)) return [value];
  const parts = keepBracketsWhole(value.split(separator).map((p) => p.trim()), value.includes(', ') ? ', ' : ',');
  const longest = mostParts(known);
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    // Prefer the longest run of parts that is a known whole label.
    let taken = 1;
    for (let j = Math.min(parts.length, i + longest); j > i + 1; j--) {
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

/** Question wording that asks for the respondent's own words. */
const FREE_TEXT_WORDING =
  /\b(in your own words|please specify|specify|why|describe|explain|comments?|tell us|feedback|suggestions?|anything else|elaborate|what else|in a few words|briefly|other thoughts|remarks?)\b|请说明|请描述|为什么|意见|建议/i;
const SELECT_WORDING = /all that apply|\b(select|check|tick|choose|mark)\b[^.?]*\b(all|any|up to|apply)\b/i;

/** The question asks for free text ("Why?", "please specify", "in your own words"), not for a choice. */
export function asksForFreeText(question: string): boolean {
  return FREE_TEXT_WORDING.test(question) && !SELECT_WORDING.test(question);
}

/** Words that carry a sentence on after a comma ("…, but slow", "…, and the staff"). */
const CONNECTIVE = /^(and|but|or|so|because|since|although|though|however|which|who|that|then|also|especially|except|as|if|when|while|plus|etc)\b/i;
const LOWER_WORD = /^\p{Ll}\p{Ll}/u;
const UPPER_START = /^\p{Lu}/u;
const SENTENCE_END = /\S\s+\S.*[.!?…]["'”)\]]?$/u;

/**
 * Whether one answer reads as a sentence rather than an option list: it ends like a sentence, or a
 * part after a comma carries the sentence on (a connective, or a lower-case word after a capital
 * start) and was never an answer by itself.
 */
export function readsAsSentence(value: string, known: Set<string>): boolean {
  if (value.length > 200) return true;
  if (SENTENCE_END.test(value)) return true;
  if (value.split(/\s+/).length > 12) return true;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length < 2) return false;
  const capital = UPPER_START.test(parts[0]!);
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (known.has(part)) continue;
    if (CONNECTIVE.test(part) || (capital && LOWER_WORD.test(part))) return true;
  }
  return false;
}

/** The share of answers (weighted by how often each was given) that read as sentences. */
export function sentenceShare(distinct: Map<string, number>, only?: (value: string) => boolean): number {
  const known = new Set<string>();
  for (const value of distinct.keys()) if (!value.includes(',')) known.add(value);
  let total = 0;
  let sentences = 0;
  for (const [value, count] of distinct) {
    if (only && !only(value)) continue;
    total += count;
    if (readsAsSentence(value, known)) sentences += count;
  }
  return total === 0 ? 0 : sentences / total;
}

/** From this share of sentence-like answers a column is prose, not a list of options. */
export const PROSE_SHARE = 0.3;

/** More options than this in one packed column is not a choice list. */
const MOST_OPTIONS = 60;

/**
 * Decides whether a column of text answers is a packed multi-select: several answers carry a
 * separator, the pieces recur, and most pieces were also chosen alone. Not when the question asks
 * for the respondent's own words, nor when the answers read as sentences. Returns the options in
 * order of first appearance, or null.
 */
export function packedOptions(distinct: Map<string, number>, format: string, question = ''): { options: string[]; separator: RegExp } | null {
  const values = [...distinct.keys()];
  const withComma = values.filter((v) => v.includes(','));
  if (withComma.length === 0) return null;
  if (asksForFreeText(question)) return null;
  const googleStyle = withComma.filter((v) => v.includes(', ')).length >= withComma.length / 2;
  const separator = googleStyle ? /,\s+/ : /,/;
  // Thousands ("1,000", "$50,000") are not lists of answers.
  // Qualtrics packs numeric choice codes ("1,3,100"), so there only labels with words count.
  const qualtrics = format === 'qualtrics' || format === 'qualtrics-legacy';
  if (withComma.some((v) => /\d,\d{3}(\D|$)/.test(v) && (!qualtrics || /\p{L}/u.test(v)))) return null;
  if (sentenceShare(distinct, (v) => v.includes(',')) >= PROSE_SHARE) return null;
  const known = new Set(values.filter((v) => !v.includes(',')));
  const pieceCounts = new Map<string, number>();
  let anyList = false;
  for (const value of values) {
    const pieces = splitPacked(value, known, separator);
    if (pieces.length >= 2) anyList = true;
    for (const piece of pieces) {
      pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + distinct.get(value)!);
      // Past this many options it is not a list of choices.
      if (pieceCounts.size > MOST_OPTIONS) return null;
    }
  }
  const pieces = [...pieceCounts.keys()];
  if (pieces.length < 2) return null;
  // A list needs at least one answer made of two or more options.
  if (!anyList) return null;
  const recurring = pieces.filter((p) => known.has(p) || (pieceCounts.get(p) ?? 0) >= 2).length;
  if (recurring < pieces.length * 0.6) return null;
  // Long free-text answers with commas are prose, not option lists.
  if (pieces.some((p) => p.length > 120)) return null;
  if (pieces.length >= values.length && format !== 'google-forms' && !format.startsWith('qualtrics')) return null;
  return { options: pieces, separator };
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
