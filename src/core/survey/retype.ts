import type { SurveyVariableType } from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import { I32_MISSING, U8_MISSING, type Column } from './columns';
import { formatDate } from './display';
import type { MissingSpec } from './model';
import { flagsOf, orderedScale } from './scales';

/**
 * A variable's answers as another type, after the import (retype in the Data page or with
 * `fieldbook variable --type`). Pure: takes a decoded column and its answers' labels, gives the
 * column, labels and missing values of the new type, or refuses with the first answer that does
 * not fit, in plain words.
 */

export interface Answer {
  code: number | string;
  label: string;
  missing: boolean;
  nonsubstantive: boolean;
}

export interface Typed {
  column: Column;
  labels: Answer[];
  missing: MissingSpec;
}

type Kind = 'choice' | 'flags' | 'numbers' | 'strings';

export function kindOf(type: SurveyVariableType): Kind {
  switch (type) {
    case 'single':
    case 'ordinal':
      return 'choice';
    case 'multi':
      return 'flags';
    case 'numeric':
    case 'weight':
    case 'date':
      return 'numbers';
    default:
      return 'strings';
  }
}

/** More distinct answers than this are not categories a table can show. */
const MAX_CATEGORIES = 1000;
/** Answers that mean "not chosen" in a one-column-per-option export. */
const NOT_CHOSEN = /^(0|no|false|not selected|not chosen|unchecked)$/i;
const CHOSEN_LABELS: Answer[] = [
  { code: 0, label: 'Not selected', missing: false, nonsubstantive: false },
  { code: 1, label: 'Selected', missing: false, nonsubstantive: false },
];

function refuse(name: string, row: number, what: string, type: SurveyVariableType): never {
  throw new FieldbookError('INVALID_INPUT', `${name} cannot be ${type}: respondent ${row + 1} answered ${what}.`, { field: name, record: row + 1 });
}

/** Each answer as text, as the respondent saw it; null where there is none. */
function asStrings(from: Typed, fromType: SurveyVariableType): (string | null)[] {
  const { column } = from;
  const byCode = new Map(from.labels.map((l) => [l.code, l.label]));
  switch (column.encoding) {
    case 'text':
      return column.values;
    case 'i32':
      return Array.from(column.values, (x) => (x === I32_MISSING ? null : (byCode.get(x) ?? String(x))));
    case 'u8':
      return Array.from(column.values, (x) => (x === U8_MISSING ? null : (byCode.get(x) ?? String(x))));
    case 'f64':
      return Array.from(column.values, (x) => (Number.isNaN(x) ? null : fromType === 'date' ? formatDate(x) : (byCode.get(x) ?? String(x))));
  }
}

/**
 * `codesAreValues`: the stored codes are the file's own numbers (SPSS 1 = "Very poor"), so a
 * labelled code keeps its number and its label. Otherwise (a CSV's text answers, numbered by the
 * importer) only an answer that spells a number is one.
 */
function toNumbers(name: string, from: Typed, to: SurveyVariableType, codesAreValues: boolean): Typed {
  const { column } = from;
  const rows = column.values.length;
  const out = new Float64Array(rows);
  const keep: Answer[] = [];
  const missing: (number | string)[] = [];
  if (column.encoding === 'f64') return { column, labels: from.labels, missing: from.missing };
  if (column.encoding === 'i32' || column.encoding === 'u8') {
    // A code stands for the number its label spells ("10"), else for itself (SPSS: 1 = "Very poor").
    const value = new Map<number, number>();
    for (const l of from.labels) {
      const code = Number(l.code);
      const spelled = l.label.trim() !== '' && Number.isFinite(Number(l.label)) ? Number(l.label) : null;
      if (spelled === null && !codesAreValues && column.encoding === 'i32') {
        const row = column.values.indexOf(code);
        if (row >= 0) refuse(name, row, `"${l.label}", which is not a number`, to);
      }
      value.set(code, spelled ?? code);
      if (spelled === null) keep.push({ ...l, code });
      if (l.missing) missing.push(spelled ?? code);
    }
    const none = column.encoding === 'i32' ? I32_MISSING : U8_MISSING;
    for (let r = 0; r < rows; r++) {
      const x = column.values[r]!;
      out[r] = x === none ? Number.NaN : (value.get(x) ?? x);
    }
    return { column: { encoding: 'f64', values: out }, labels: keep, missing: { values: missing } };
  }
  const values = column.values;
  for (let r = 0; r < rows; r++) {
    const s = values[r]?.trim() ?? '';
    if (s === '') out[r] = Number.NaN;
    else {
      const x = to === 'date' && !/^-?\d+(\.\d+)?$/.test(s) ? Date.parse(s) : Number(s);
      if (Number.isNaN(x)) refuse(name, r, `"${s}", which is not ${to === 'date' ? 'a date' : 'a number'}`, to);
      out[r] = x;
    }
  }
  return { column: { encoding: 'f64', values: out }, labels: [], missing: { values: [] } };
}

function toChoice(name: string, from: Typed, fromType: SurveyVariableType, to: SurveyVariableType): Typed {
  const { column } = from;
  const rows = column.values.length;
  if (column.encoding === 'i32') return from;
  const out = new Int32Array(rows);
  if (column.encoding === 'u8') {
    for (let r = 0; r < rows; r++) out[r] = column.values[r] === U8_MISSING ? I32_MISSING : column.values[r]!;
    return { column: { encoding: 'i32', values: out }, labels: from.labels.length ? from.labels : CHOSEN_LABELS, missing: { values: [] } };
  }
  if (column.encoding === 'f64' && fromType !== 'date') {
    const known = new Map(from.labels.map((l) => [Number(l.code), l]));
    const codes = new Set<number>();
    for (let r = 0; r < rows; r++) {
      const x = column.values[r]!;
      if (Number.isNaN(x)) {
        out[r] = I32_MISSING;
        continue;
      }
      if (!Number.isInteger(x) || x <= I32_MISSING || x > 2147483647) refuse(name, r, `${x}, which is not a whole-number answer code`, to);
      out[r] = x;
      codes.add(x);
      if (codes.size > MAX_CATEGORIES) refuse(name, r, `its ${MAX_CATEGORIES + 1}th different number`, to);
    }
    const userMissing = new Set(from.missing.values.map(Number));
    for (const code of codes) if (!known.has(code)) known.set(code, { code, label: String(code), missing: false, nonsubstantive: false });
    const labels = [...known.values()]
      .map((l) => ({ ...l, code: Number(l.code), missing: l.missing || userMissing.has(Number(l.code)) }))
      .sort((a, b) => a.code - b.code);
    return { column: { encoding: 'i32', values: out }, labels, missing: { values: [] } };
  }
  // Text (or dates shown as text): one code per distinct answer, a scale in its order of meaning.
  const strings = asStrings(from, fromType);
  const tally = new Map<string, number>();
  strings.forEach((s, r) => {
    if (s === null || s.trim() === '') return;
    tally.set(s, (tally.get(s) ?? 0) + 1);
    if (tally.size > MAX_CATEGORIES) refuse(name, r, `its ${MAX_CATEGORIES + 1}th different answer`, to);
  });
  const distinct = [...tally.keys()];
  const ordered = orderedScale(distinct) ?? distinct.sort((a, b) => tally.get(b)! - tally.get(a)! || a.localeCompare(b));
  const code = new Map(ordered.map((s, i) => [s, i + 1]));
  strings.forEach((s, r) => (out[r] = s === null || s.trim() === '' ? I32_MISSING : code.get(s)!));
  const labels = ordered.map((label, i) => ({ code: i + 1, label, missing: false, nonsubstantive: false, ...flagsOf(label) }));
  return { column: { encoding: 'i32', values: out }, labels, missing: { values: [] } };
}

/** 1 chosen, 0 not chosen, missing where there is no answer (a group then decides: see regroup). */
export function toFlags(from: Typed): Typed {
  const { column } = from;
  const rows = column.values.length;
  if (column.encoding === 'u8') return from;
  const out = new Uint8Array(rows);
  if (column.encoding === 'i32') {
    const chosen = new Map(from.labels.map((l) => [Number(l.code), l.missing ? U8_MISSING : NOT_CHOSEN.test(l.label.trim()) ? 0 : 1]));
    for (let r = 0; r < rows; r++) {
      const x = column.values[r]!;
      out[r] = x === I32_MISSING ? U8_MISSING : (chosen.get(x) ?? (x === 0 ? 0 : 1));
    }
  } else if (column.encoding === 'f64') {
    for (let r = 0; r < rows; r++) {
      const x = column.values[r]!;
      out[r] = Number.isNaN(x) ? U8_MISSING : x === 0 ? 0 : 1;
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const s = column.values[r]?.trim() ?? '';
      out[r] = s === '' ? U8_MISSING : NOT_CHOSEN.test(s) ? 0 : 1;
    }
  }
  return { column: { encoding: 'u8', values: out }, labels: CHOSEN_LABELS, missing: { values: [] } };
}

/** The answers of `from` (of type `fromType`) as `to`; `from` itself when nothing needs converting. */
export function retypeColumn(name: string, from: Typed, fromType: SurveyVariableType, to: SurveyVariableType, codesAreValues = false): Typed {
  switch (kindOf(to)) {
    case 'choice':
      return toChoice(name, from, fromType, to);
    case 'flags':
      return toFlags(from);
    case 'numbers':
      return toNumbers(name, from, to, codesAreValues);
    case 'strings':
      return { column: { encoding: 'text', values: asStrings(from, fromType) }, labels: [], missing: { values: [] } };
  }
}
