import { labelsFor, naturalCompare, orderedScale } from '../infer';
import type { ParsedVariable } from '../model';

/** Most distinct answers a string variable may have and still be a choice. */
const MAX_CHOICES = 60;
/** An answer longer than this is open text, whatever the rest. */
const MAX_CHOICE_LENGTH = 80;
/** Past this many distinct answers they are counted in a table of row numbers, not a Set. */
const FEW_DISTINCT = 1024;

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
  const scan: Scan = { answered: 0, distinct: 0, spaced: false, open: false, firstSeen: [] };
  // Ids in order need no table; anything else (or ids out of order) is counted in one.
  const restart = (): void => {
    scan.answered = 0;
    scan.distinct = 0;
    scan.spaced = false;
    scan.open = false;
    scan.firstSeen = [];
  };
  if (!inOrder(answers, scan)) {
    restart();
    if (!fewDistinct(answers, scan)) {
      restart();
      countDistinct(answers, scan);
    }
  }
  const { answered, distinct, spaced, open, firstSeen } = scan;
  if (open) return;
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

/** What a pass over a column found. */
interface Scan {
  answered: number;
  distinct: number;
  /** Some answer has white space. */
  spaced: boolean;
  /** Decided during the pass: open text. */
  open: boolean;
  /** The first MAX_CHOICES distinct answers, in the order met. */
  firstSeen: string[];
}

/*
 * The two passes are functions of their own with nothing after their loop: the optimiser compiles
 * them mid-loop on the first column, and code it had not seen run would throw that work away.
 */

/**
 * Respondent ids usually come in order ("R0000001", "R0000002"...): answers in strictly increasing
 * order are all different, which a pass of neighbour comparisons proves without the table (whose
 * random probes dominate at a million rows). False as soon as an answer is not after the one before.
 */
function inOrder(answers: (string | null)[], scan: Scan): boolean {
  let previous: string | null = null;
  for (let r = 0; r < answers.length; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    if (previous !== null && !(s > previous)) return false;
    previous = s;
    scan.answered++;
    scan.distinct++;
    // A long answer makes the column open text whatever the order.
    if (s.length > MAX_CHOICE_LENGTH) {
      scan.open = true;
      return true;
    }
    if (!scan.spaced) for (let i = 0; i < s.length; i++) if (isSpace(s.charCodeAt(i))) scan.spaced = true;
  }
  return true;
}

/**
 * A Set of the answers while they have few distinct values: the reader hands out one string per
 * distinct short answer, whose hash the engine keeps after the first lookup, so a column of a few
 * repeated words costs a lookup per answer (100k answers: ~1.5 ms, against ~5 ms for hashing each
 * answer's characters). False, undecided, past FEW_DISTINCT values: a Set of many new strings is
 * slow (100k ids out of order: ~13 ms), and the table takes over.
 */
function fewDistinct(answers: (string | null)[], scan: Scan): boolean {
  const seen = new Set<string>();
  for (let r = 0; r < answers.length; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    scan.answered++;
    // A long answer, or many answers with repeats, is open text: nothing later can change that.
    if (s.length > MAX_CHOICE_LENGTH) {
      scan.open = true;
      return true;
    }
    const before = seen.size;
    seen.add(s);
    if (seen.size === before) {
      if (before > MAX_CHOICES) {
        scan.open = true;
        return true;
      }
      continue;
    }
    if (seen.size > FEW_DISTINCT) return false;
    scan.distinct = seen.size;
    if (!scan.spaced) for (let i = 0; i < s.length; i++) if (isSpace(s.charCodeAt(i))) scan.spaced = true;
    if (seen.size <= MAX_CHOICES) scan.firstSeen.push(s);
  }
  return true;
}

function countDistinct(answers: (string | null)[], scan: Scan): void {
  const n = answers.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  /** Row + 1 of the first answer seen in each bucket; 0 is empty. */
  const table = new Int32Array(size);
  let distinct = 0;
  for (let r = 0; r < n; r++) {
    const s = answers[r];
    if (s === null || s === undefined || s === '') continue;
    scan.answered++;
    const len = s.length;
    // A long answer, or many answers with repeats, is open text: nothing later can change that.
    if (len > MAX_CHOICE_LENGTH) {
      scan.open = true;
      return;
    }
    let h = 0;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      h = (Math.imul(h, 31) + c) | 0;
      if (!scan.spaced && isSpace(c)) scan.spaced = true;
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
      if (distinct > MAX_CHOICES) {
        scan.open = true;
        return;
      }
      continue;
    }
    table[at] = r + 1;
    distinct++;
    scan.distinct = distinct;
    if (distinct <= MAX_CHOICES) scan.firstSeen.push(s);
  }
}
