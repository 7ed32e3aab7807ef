import { labelsFor, naturalCompare, orderedScale } from '../infer';
import type { ParsedVariable } from '../model';

/** Most distinct answers a string variable may have and still be a choice. */
const MAX_CHOICES = 60;
/** An answer longer than this is open text, whatever the rest. */
const MAX_CHOICE_LENGTH = 80;

/** What `/\s/` matches, as character codes: a respondent id has none. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * An SPSS string variable without labels whose answers are a few short repeated words ("yes",
 * "often") is a choice, as the same column in a CSV would be: type it so, with its answers as
 * labels. Unique single tokens in (nearly) every row are a respondent id.
 *
 * The distinct answers are counted in an open-addressing table of row numbers keyed by a hash of
 * the answer's characters: a column of 100,000 unique ids costs ~2 ms this way, against ~20 ms for
 * a Set of strings (hashing each new string inside the engine, growing the Set, and a regular
 * expression per answer for white space).
 */
export function categoricalStrings(v: ParsedVariable): void {
  if (v.type !== 'text' || v.values.kind !== 'string' || v.valueLabels.length > 0) return;
  const answers = v.values.values;
  const n = answers.length;
  if (idsInOrder(v, answers)) return;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  /** Row + 1 of the first answer seen in each bucket; 0 is empty. */
  const table = new Int32Array(size);
  const firstSeen: string[] = [];
  let distinct = 0;
  let answered = 0;
  let spaced = false;
  for (let r = 0; r < n; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    answered++;
    const len = s.length;
    // A long answer, or many answers with repeats, is open text: nothing later can change that.
    if (len > MAX_CHOICE_LENGTH) return;
    let h = 0;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      h = (Math.imul(h, 31) + c) | 0;
      if (!spaced && isSpace(c)) spaced = true;
    }
    let at = (h ^ (h >>> 15)) & mask;
    let repeat = false;
    for (;;) {
      const seen = table[at]!;
      if (seen === 0) break;
      if (answers[seen - 1] === s) {
        repeat = true;
        break;
      }
      at = (at + 1) & mask;
    }
    if (repeat) {
      if (distinct > MAX_CHOICES) return;
      continue;
    }
    table[at] = r + 1;
    distinct++;
    if (distinct <= MAX_CHOICES) firstSeen.push(s);
  }
  if (distinct > MAX_CHOICES && distinct < answered) return;
  if (distinct === 0) return;
  if (distinct >= answered) {
    if (answered >= n * 0.9 && answered > 20 && !spaced) v.type = 'id';
    return;
  }
  const scale = orderedScale(firstSeen);
  v.type = scale ? 'ordinal' : 'single';
  v.valueLabels = labelsFor(scale ?? firstSeen.sort(naturalCompare));
}

/**
 * Respondent ids usually come in order ("R0000001", "R0000002"...): answers in strictly increasing
 * order are all different, which a pass of neighbour comparisons proves without the table (whose
 * random probes dominate at a million rows). Decides the id rule when that holds and returns true;
 * false (nothing decided) as soon as an answer is not after the one before.
 */
function idsInOrder(v: ParsedVariable, answers: (string | null)[]): boolean {
  let previous: string | null = null;
  let answered = 0;
  let spaced = false;
  for (let r = 0; r < answers.length; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    if (previous !== null && !(s > previous)) return false;
    // A long answer makes the column open text whatever the order.
    if (s.length > MAX_CHOICE_LENGTH) return true;
    previous = s;
    answered++;
    if (!spaced) for (let i = 0; i < s.length; i++) if (isSpace(s.charCodeAt(i))) spaced = true;
  }
  if (answered >= answers.length * 0.9 && answered > 20 && !spaced) v.type = 'id';
  return true;
}

