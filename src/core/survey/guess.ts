import type { ColumnAccumulator } from './accumulate';
import type { ColumnHead, CsvFormat } from './formats';
import { asksForFreeText, labelsFor, naturalCompare, orderedScale, packedOptions, PROSE_SHARE, scaleOf, sentenceShare, type Scale } from './infer';
import type { ValueLabel, VariableType } from './model';

/**
 * What a column of a delimited file is guessed to be, and why, in the words the preview shows
 * ("scale: ordered by meaning (Strongly disagree … Strongly agree)"). The user can change each
 * guess there (ReadOverrides); a changed guess says "chosen by you".
 */
export interface Decision {
  type: VariableType;
  labels: ValueLabel[];
  packed?: { options: string[]; separator: RegExp };
  reason: string;
}

/** Qualtrics writes these beside the chosen value in one-column-per-option questions ("seen, not chosen"). */
export const NOT_CHOSEN = new Set(['0', '-99']);
const ID_NAME = /(^|[\s_])(id|case|caseid|respondent ?id|record ?id|response ?id|participant ?id)$|^id[\s_]|^(case|respondent|participant)$/i;
const WEIGHT_NAME = /(^|[\s_])(weight|wgt|wt|weighting)($|[\s_])/i;

const quote = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** "scale: ordered by meaning (Very dissatisfied … Very satisfied)", and which answers sit outside it. */
export function scaleReason(scale: Scale, labels: ValueLabel[]): string {
  const on = labels.filter((l) => !l.missing && !l.nonsubstantive).map((l) => l.label);
  const ends = on.length ? ` (${quote(on[0]!)} … ${quote(on[on.length - 1]!)})` : '';
  const how =
    scale.rule === 'bands'
      ? `number bands ordered by their numbers${ends}`
      : scale.rule === 'numbered'
        ? `ordered by the number each answer starts with${ends}`
        : `ordered by meaning${ends}`;
  return `scale: ${how}${flagsReason(labels)}`;
}

/** "; "Don't know" non-substantive" for the answers a guess flagged. */
export function flagsReason(labels: ValueLabel[]): string {
  const ns = labels.filter((l) => l.nonsubstantive).map((l) => `"${quote(l.label)}"`);
  const missing = labels.filter((l) => l.missing).map((l) => `"${quote(l.label)}"`);
  return `${ns.length ? `; ${ns.join(', ')} non-substantive (kept, after the scale)` : ''}${missing.length ? `; ${missing.join(', ')} missing` : ''}`;
}

export function numericLabels(values: string[]): ValueLabel[] {
  return values
    .map(Number)
    .sort((a, b) => a - b)
    .map((code) => ({ code, label: String(code) }));
}

export function labelsFromValues(acc: ColumnAccumulator, values: string[] | null, type: 'single' | 'ordinal'): ValueLabel[] {
  const list = values ?? [...new Set(acc.values().filter((v): v is string => v !== null))];
  if (acc.isNumeric) return numericLabels(list);
  if (type === 'ordinal') {
    const scale = orderedScale(list);
    if (scale) return labelsFor(scale);
  }
  return labelsFor([...list].sort(naturalCompare));
}

/** Digits a number cannot hold exactly (past 2^53); the reader leaves them as text. */
const LONG_WHOLE = /^[+-]?\d{16,}$/;

export function decideType(head: ColumnHead, acc: ColumnAccumulator, format: CsvFormat, forced: VariableType | undefined): Decision {
  const distinct = acc.distinct();
  const values = distinct ? [...distinct.keys()] : null;
  if (forced) return { type: forced, labels: forced === 'single' || forced === 'ordinal' ? labelsFromValues(acc, values, forced) : [], reason: 'chosen by you' };
  if (head.hint === 'id') return { type: 'id', labels: [], reason: `id: ${head.hintReason ?? 'the respondent id column'}` };
  if (head.hint === 'metadata') return { type: 'metadata', labels: [], reason: `metadata: ${head.hintReason ?? 'a respondent field of the survey tool'}` };
  if (acc.nonEmpty === 0) {
    return head.hint === 'date' ? { type: 'date', labels: [], reason: `date: ${head.hintReason ?? 'named as a date'}` } : { type: 'text', labels: [], reason: 'open text: no answers in the rows read' };
  }
  if (values && distinct!.size > acc.nonEmpty * 0.5 && values.every((v) => LONG_WHOLE.test(v))) {
    return { type: 'metadata', labels: [], reason: 'kept as text: whole numbers of 16 digits or more (account or card numbers), too long to store exactly as numbers' };
  }
  // Qualtrics marks every text-entry box as text, including "What is your age?": numbers stay numbers.
  if (head.hint === 'text') {
    return acc.isNumeric && !head.textFor
      ? { type: 'numeric', labels: [], reason: 'numeric: a text-entry box holding only numbers' }
      : { type: 'text', labels: [], reason: `open text: ${head.hintReason ?? 'a text-entry box'}` };
  }
  if (head.hint === 'date') return { type: 'date', labels: [], reason: `date: ${head.hintReason ?? 'named as a date'}` };
  const isQualtrics = format === 'qualtrics' || format === 'qualtrics-legacy';
  if (acc.isNumeric) {
    if (WEIGHT_NAME.test(head.name)) return { type: 'weight', labels: [], reason: 'weight: numbers in a column named like a weight' };
    if (ID_NAME.test(head.name) && acc.allIntegers && (!distinct || distinct.size === acc.nonEmpty)) {
      return { type: 'id', labels: [], reason: 'id: a different whole number in every row, in a column named like an id' };
    }
    // Qualtrics exports choices as their numeric codes: a question column of a few whole numbers is a choice.
    if (isQualtrics && acc.allIntegers && distinct && distinct.size <= 12 && /^Q|QID/i.test(head.importId ?? head.name)) {
      return { type: 'single', labels: numericLabels(values!), reason: `single choice: Qualtrics answer codes (${distinct.size === 1 ? 'one whole number' : `${distinct.size} different whole numbers`})` };
    }
    return { type: 'numeric', labels: [], reason: 'numeric: every answer is a number' };
  }
  if (!values || !distinct) {
    if (ID_NAME.test(head.name)) return { type: 'id', labels: [], reason: 'id: too many different answers to count, in a column named like an id' };
    return acc.isDates
      ? { type: 'date', labels: [], reason: 'date: every answer is a date' }
      : { type: 'text', labels: [], reason: 'open text: long, varied answers (thousands of different ones)' };
  }
  if (acc.isDates) return { type: 'date', labels: [], reason: 'date: every answer is a date' };
  const scale = scaleOf(values);
  if (scale) {
    const labels = labelsFor(scale.order);
    return { type: 'ordinal', labels, reason: scaleReason(scale, labels) };
  }
  if (ID_NAME.test(head.name) && distinct.size === acc.nonEmpty && acc.maxLength <= 40) {
    return { type: 'id', labels: [], reason: 'id: a different answer in every row, in a column named like an id' };
  }
  const question = head.groupLabel ?? head.label;
  const varied = distinct.size > acc.nonEmpty * 0.5;
  if (asksForFreeText(question) && varied) return { type: 'text', labels: [], reason: "open text: the question asks for the respondent's own words" };
  const packed = packedOptions(distinct, format, question);
  if (packed) {
    const scaleOfOptions = orderedScale(packed.options);
    return {
      type: 'multi',
      labels: labelsFor(scaleOfOptions ?? packed.options),
      packed,
      reason: `multi-select: answers are comma-joined option lists (${packed.options.length} options)`,
    };
  }
  if (varied && sentenceShare(distinct) >= PROSE_SHARE) return { type: 'text', labels: [], reason: 'open text: the answers read as sentences' };
  const repeated = distinct.size < acc.nonEmpty;
  if (distinct.size <= 60 && acc.maxLength <= 80 && repeated) {
    const labels = labelsFor([...values].sort(naturalCompare));
    return { type: 'single', labels, reason: `single choice: ${distinct.size} different answers, each given more than once on average${flagsReason(labels)}` };
  }
  return { type: 'text', labels: [], reason: `open text: long, varied answers${acc.maxLength > 80 ? '' : ` (${distinct.size} different in ${acc.nonEmpty})`}` };
}

/** The one answer a one-column-per-option column holds (besides Qualtrics' "not chosen"), or null. */
function onlyAnswer(acc: ColumnAccumulator): string | null | undefined {
  const d = acc.distinct();
  if (!d) return undefined;
  const chosen = [...d.keys()].filter((k) => !NOT_CHOSEN.has(k));
  if (chosen.length > 1) return undefined;
  return chosen[0] ?? null;
}

const squash = (s: string) => s.trim().toLowerCase();

/**
 * Whether the columns of one cluster are one multi-select (a 0/1 variable per option) or not.
 * Each column must hold at most one answer besides Qualtrics' "not chosen". Then:
 * - "1" in every answered column: chosen marks (Qualtrics).
 * - text: the option's own text (SurveyMonkey), or different texts that are not scale points.
 * - other numbers: Qualtrics recode values are one per option, so different in each column, and
 *   a respondent chooses some options and leaves others. The same number in every column, or
 *   every column answered by everyone, is a matrix of scale points ("3" stays 3).
 * Returns the reason either way, or null when the columns do not hold one answer each.
 */
export function multiSelectCluster(members: number[], heads: ColumnHead[], accs: ColumnAccumulator[], rowCount: number): { multi: boolean; reason: string } | null {
  const singles = members.map((i) => onlyAnswer(accs[i]!));
  if (singles.some((s) => s === undefined)) return null;
  if (!members.some((i) => accs[i]!.nonEmpty > 0)) return null;
  const present = singles.filter((s): s is string => typeof s === 'string');
  if (present.length === 0) return null;
  if (present.every((s) => s === '1')) return { multi: true, reason: 'multi-select: one column per option, each holding 1 (chosen) or nothing' };
  const numeric = present.every((s) => !Number.isNaN(Number(s)));
  const allSame = present.length >= 2 && present.every((s) => s === present[0]);
  if (numeric) {
    if (allSame || present.length < 2) return { multi: false, reason: `matrix: each row holds the same answer ("${present[0]}"), a scale point, not a chosen mark` };
    if (!chooseSome(members, accs, rowCount)) return { multi: false, reason: 'matrix: every respondent answered every row, with numbers that are scale points' };
    return { multi: true, reason: "multi-select: one column per option, each holding its option's code or nothing" };
  }
  const ownText = members.some((i, k) => {
    const s = singles[k];
    const head = heads[i]!;
    return typeof s === 'string' && ((head.optionLabel !== undefined && squash(head.optionLabel) === squash(s)) || squash(head.label).endsWith(squash(s)));
  });
  if (ownText) return { multi: true, reason: "multi-select: one column per option, each holding its option's text or nothing" };
  if (allSame) return { multi: false, reason: `matrix: each row holds the same answer ("${quote(present[0]!)}")` };
  const unique = [...new Set(present)];
  if (unique.length >= 2 && scaleOf(unique)) return { multi: false, reason: 'matrix: the rows hold points of one scale' };
  return { multi: true, reason: "multi-select: one column per option, each holding its option's text or nothing" };
}

/** Some respondent chose some of the columns and not others (answered ones counted, not "not chosen"). */
function chooseSome(members: number[], accs: ColumnAccumulator[], rowCount: number): boolean {
  const columns = members.map((i) => accs[i]!.values());
  for (let r = 0; r < rowCount; r++) {
    let chosen = 0;
    for (const column of columns) {
      const v = column[r];
      if (v !== null && v !== undefined && !NOT_CHOSEN.has(v)) chosen++;
    }
    if (chosen > 0 && chosen < columns.length) return true;
  }
  return false;
}

/**
 * In a group guessed from the header layout (SurveyMonkey with one header row, blank names
 * continuing a question), the last column may be "Other (please specify)": varied written answers
 * beside columns that each hold one option's text. Returns its index, or null.
 */
export function otherTextMember(members: number[], accs: ColumnAccumulator[]): number | null {
  if (members.length < 3) return null;
  const last = members[members.length - 1]!;
  const written = accs[last]!.distinct();
  if (accs[last]!.isNumeric || (written && written.size < 2)) return null;
  const options = members.slice(0, -1).map((i) => onlyAnswer(accs[i]!));
  if (options.some((o) => o === undefined)) return null;
  const texts = options.filter((o): o is string => typeof o === 'string');
  if (texts.length < 1 || new Set(texts).size !== texts.length || texts.some((t) => !Number.isNaN(Number(t)))) return null;
  if (written && [...written.keys()].some((w) => texts.includes(w))) return null;
  if (written && scaleOf([...texts, ...written.keys()])) return null;
  return last;
}
