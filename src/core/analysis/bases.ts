import type { TableBase } from '../../shared/contract/tables';
import type { Frame, MultiAxis, SingleAxis } from './frame';

/** The key of the line of respondents in the base who gave no answer (bases "all" and "shown"). */
export const NO_ANSWER_KEY = 'noanswer';

/**
 * A single question's axis for a base wider than "answered": respondents in the base without an
 * answer get one more category, "No answer", so they count in every column's base (and in the
 * chi-square) but in no answer's percentage. Category indices of the real answers are unchanged,
 * so nets still point at them.
 */
export function widenSingle(axis: SingleAxis, base: TableBase): SingleAxis {
  if (base === 'answered') return axis;
  const extra = axis.categories.length;
  const index = new Int32Array(axis.index.length);
  const um = axis.userMissing ?? null;
  for (let i = 0; i < index.length; i++) {
    const r = axis.index[i]!;
    if (r >= 0) index[i] = r;
    else index[i] = base === 'all' || (um !== null && um[i] === 1) ? extra : -1;
  }
  const scores = new Float64Array(extra + 1);
  scores.set(axis.scores);
  scores[extra] = Number.NaN;
  return { ...axis, categories: [...axis.categories, { key: NO_ANSWER_KEY, label: 'No answer', nonsubstantive: true }], index, scores };
}

/**
 * Who is in a multi-select question's base. answered: its own `answered` (codes: units with
 * text), else those who chose something; all: everyone; shown: those who ticked nothing count
 * too. Where the file writes "ticked nothing" as zeros (SPSS, 0/1 columns), a respondent blank in
 * every option was not asked and stays out; where ticking nothing leaves a blank row (Qualtrics
 * and SurveyMonkey exports), blank says nothing about being asked, so everyone counts.
 */
export function multiBase(axis: MultiAxis, base: TableBase, n: number): Uint8Array | null {
  if (base === 'answered') return axis.answered;
  const out = new Uint8Array(n);
  if (base === 'all') return out.fill(1);
  if (axis.answered) return axis.answered;
  // A respondent with 0 in every option says the file writes "ticked nothing" as zeros.
  let allZeros = false;
  for (let i = 0; i < n && !allZeros; i++) allZeros = axis.options.every((opt) => opt[i] === 0);
  if (!allZeros) return out.fill(1);
  for (const opt of axis.options) for (let i = 0; i < n; i++) if (opt[i]! <= 1) out[i] = 1;
  return out;
}

/** What a row question's base is, in words printed under the table. */
export function describeBase(frame: Frame, axisKind: 'single' | 'ordinal' | 'multi' | 'numeric', base: TableBase, declaresMissing: boolean): string {
  const unit = frame.unit;
  if (axisKind === 'numeric') return `${unit} who gave a number`;
  if (base === 'all') return `all ${unit}, whether they answered or not`;
  if (base === 'answered') return axisKind === 'multi' ? `${unit} who chose at least one answer` : `${unit} who answered the question`;
  if (axisKind === 'multi') return `${unit} shown the question, including those who ticked nothing (those the file marks as not asked, blank where others have 0, are left out)`;
  return declaresMissing
    ? `${unit} shown the question: those who answered plus those whose answer is a declared missing code such as "Refused" (blank and system-missing answers count as not asked)`
    : `${unit} shown the question; the file marks no declared missing answers, so this is those who answered (choose all ${unit} if everyone was asked)`;
}
