import type { BuilderVariable, TableSpecInput } from '../../../../shared/contract/tables';
import { dayEnd, dayStart, isoDay } from '../../../../shared/days';

/** One filter condition as the spec holds it (defaults not yet applied). */
export type FilterInput = NonNullable<TableSpecInput['filter']>[number];

/**
 * What the builder offers. The contract has one numeric operator, `between`, with either end
 * optional; "at least" and "at most" are that operator with one end open, as SPSS and Q show them.
 */
export type FilterOp = 'in' | 'notIn' | 'between' | 'atLeast' | 'atMost' | 'answered';

export interface FilterDraft {
  ref: string;
  op: FilterOp;
  /** Category keys. */
  values: string[];
  /** The numbers of "is one of" on a numeric question, as typed ("1, 2, 9"). */
  numbers: string;
  /** The number inputs as typed (days "2024-01-31" on a date question); `bad` when the browser holds text that is not one. */
  min: string;
  max: string;
  minBad: boolean;
  maxBad: boolean;
}

export interface FilterProblem {
  field: 'values' | 'min' | 'max';
  message: string;
  /** Empty fields are only pointed out once the user tries to add the filter. */
  empty: boolean;
}

export const isNumeric = (v: BuilderVariable | undefined): boolean => v?.kind === 'numeric' || v?.kind === 'weight';

/** A date question: its filters take days, not numbers (the answers are milliseconds since 1970). */
export const isDate = (v: BuilderVariable | undefined): boolean => v?.date === true;

/** Questions a filter can use: numbers, and anything with answers to choose from. */
export function filterable(variables: BuilderVariable[]): BuilderVariable[] {
  return variables.filter((v) => isNumeric(v) || (v.kind !== 'text' && v.kind !== 'grid' && v.categories.some((c) => !c.missing)));
}

const RANGE_OPS: { op: FilterOp; label: string }[] = [
  { op: 'between', label: 'is between' },
  { op: 'atLeast', label: 'is at least' },
  { op: 'atMost', label: 'is at most' },
];

const DAY_OPS: { op: FilterOp; label: string }[] = [
  { op: 'between', label: 'is between' },
  { op: 'atLeast', label: 'is on or after' },
  { op: 'atMost', label: 'is on or before' },
  { op: 'answered', label: 'is answered' },
];

export function opsFor(variable: BuilderVariable | undefined, current: FilterOp): { op: FilterOp; label: string }[] {
  if (isDate(variable)) return DAY_OPS;
  if (isNumeric(variable)) {
    return [...RANGE_OPS, { op: 'in', label: 'is one of' }, { op: 'notIn', label: 'is none of' }, { op: 'answered', label: 'is answered' }];
  }
  // A multi-select respondent "chose" options rather than "is" one of them.
  const multi = variable?.kind === 'multi';
  const ops = [
    { op: 'in' as const, label: multi ? 'chose any of' : 'is any of' },
    { op: 'notIn' as const, label: multi ? 'chose none of' : 'is none of' },
    { op: 'answered' as const, label: 'is answered' },
  ];
  // The CLI can range over a scale's codes (Q4=3..5); such a saved filter stays editable as it is.
  return RANGE_OPS.some((o) => o.op === current) ? [...ops, ...RANGE_OPS.map((o) => ({ ...o, label: `code ${o.label}` }))] : ops;
}

/** The category key a saved value stands for (the CLI accepts labels as well as keys). */
function keyOf(variable: BuilderVariable | undefined, value: string | number): string {
  const text = String(value).trim();
  const categories = variable?.categories ?? [];
  return (
    categories.find((c) => c.key === text)?.key ??
    categories.find((c) => c.label.trim().toLowerCase() === text.toLowerCase())?.key ??
    text
  );
}

export function draftOf(condition: FilterInput, variable: BuilderVariable | undefined): FilterDraft {
  const op = condition.op ?? 'in';
  const ui: FilterOp =
    op === 'between' ? (condition.min !== undefined && condition.max === undefined ? 'atLeast' : condition.min === undefined && condition.max !== undefined ? 'atMost' : 'between') : op;
  return {
    ref: condition.ref,
    op: ui,
    values: (condition.values ?? []).map((v) => keyOf(variable, v)),
    numbers: (condition.values ?? []).join(', '),
    min: condition.min === undefined ? '' : isDate(variable) ? isoDay(condition.min) : String(condition.min),
    max: condition.max === undefined ? '' : isDate(variable) ? isoDay(condition.max) : String(condition.max),
    minBad: false,
    maxBad: false,
  };
}

export function newDraft(ref: string, variable: BuilderVariable | undefined): FilterDraft {
  return { ref, op: isNumeric(variable) ? 'between' : 'in', values: [], numbers: '', min: '', max: '', minBad: false, maxBad: false };
}

function parseNumber(text: string, bad: boolean, field: 'min' | 'max', what: string): { value?: number; problem?: FilterProblem } {
  if (bad) return { problem: { field, message: `The ${what} is not a number. Use digits and a point for decimals, e.g. 0.8.`, empty: false } };
  if (text.trim() === '') return { problem: { field, message: `Enter the ${what}.`, empty: true } };
  const value = Number(text);
  if (!Number.isFinite(value)) return { problem: { field, message: `The ${what} is not a number. Use digits and a point for decimals, e.g. 0.8.`, empty: false } };
  return { value };
}

function parseDay(text: string, bad: boolean, field: 'min' | 'max', what: string): { value?: number; problem?: FilterProblem } {
  if (text.trim() === '' && !bad) return { problem: { field, message: `Enter the ${what}.`, empty: true } };
  const value = field === 'min' ? dayStart(text) : dayEnd(text);
  if (bad || Number.isNaN(value)) return { problem: { field, message: `The ${what} is not a day of the calendar. Pick one, or type it as 2024-01-31.`, empty: false } };
  return { value };
}

/** The condition a draft stands for, or what the user must fix first. `date`: a date question (days, whole ones). */
export function validate(
  draft: FilterDraft,
  numeric: boolean,
  date = false,
): { condition: FilterInput; problem: null } | { condition: null; problem: FilterProblem } {
  const { ref, op } = draft;
  if (op === 'answered') return { condition: { ref, op: 'answered', values: [] }, problem: null };
  if ((op === 'in' || op === 'notIn') && numeric) {
    const words = draft.numbers.split(/[\s,;]+/).filter(Boolean);
    if (words.length === 0) return { condition: null, problem: { field: 'values', message: 'Enter at least one number, e.g. 1, 2, 9.', empty: true } };
    const wrong = words.find((w) => !Number.isFinite(Number(w)));
    if (wrong !== undefined) return { condition: null, problem: { field: 'values', message: `“${wrong}” is not a number. Separate numbers with commas, e.g. 1, 2, 9.`, empty: false } };
    return { condition: { ref, op, values: [...new Set(words.map(Number))] }, problem: null };
  }
  if (op === 'in' || op === 'notIn') {
    if (draft.values.length === 0) {
      return { condition: null, problem: { field: 'values', message: op === 'in' ? 'Choose at least one answer to keep.' : 'Choose at least one answer to leave out.', empty: true } };
    }
    return { condition: { ref, op, values: draft.values }, problem: null };
  }
  const wantsMin = op === 'between' || op === 'atLeast';
  const wantsMax = op === 'between' || op === 'atMost';
  const min = !wantsMin
    ? {}
    : date
      ? parseDay(draft.min, draft.minBad, 'min', op === 'between' ? 'first day' : 'earliest day to keep')
      : parseNumber(draft.min, draft.minBad, 'min', op === 'between' ? 'lowest value' : 'smallest value to keep');
  const max = !wantsMax
    ? {}
    : date
      ? parseDay(draft.max, draft.maxBad, 'max', op === 'between' ? 'last day' : 'latest day to keep')
      : parseNumber(draft.max, draft.maxBad, 'max', op === 'between' ? 'highest value' : 'largest value to keep');
  // A wrongly typed number is reported before an empty one: it is what the user is looking at.
  const problems = [min.problem, max.problem].filter((p): p is FilterProblem => p !== undefined).sort((a, b) => Number(a.empty) - Number(b.empty));
  if (problems[0]) return { condition: null, problem: problems[0] };
  if (min.value !== undefined && max.value !== undefined && min.value > max.value) {
    return {
      condition: null,
      problem: date
        ? { field: 'max', message: `The days are the wrong way round: ${draft.min} is after ${draft.max}. Put the earlier day first.`, empty: false }
        : { field: 'max', message: `The range is the wrong way round: ${min.value} is more than ${max.value}. Put the lower number first.`, empty: false },
    };
  }
  return {
    condition: { ref, op: 'between', values: [], ...(min.value !== undefined ? { min: min.value } : {}), ...(max.value !== undefined ? { max: max.value } : {}) },
    problem: null,
  };
}

function joinOr(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** The same words the core puts under the table ("Filter: …"), for one condition. */
export function describe(condition: FilterInput, variable: BuilderVariable | undefined): string {
  const op = condition.op ?? 'in';
  const ref = condition.ref;
  if (op === 'answered') return `${ref} answered`;
  if (op === 'between' && isDate(variable)) {
    const { min, max } = condition;
    if (min !== undefined && max !== undefined) return `${ref} from ${isoDay(min)} to ${isoDay(max)}`;
    if (min !== undefined) return `${ref} from ${isoDay(min)} on`;
    return max !== undefined ? `${ref} up to ${isoDay(max)}` : `${ref} any date`;
  }
  if (op === 'between') {
    const { min, max } = condition;
    if (min !== undefined && max !== undefined) return `${ref} between ${min} and ${max}`;
    if (min !== undefined) return `${ref} at least ${min}`;
    return max !== undefined ? `${ref} at most ${max}` : `${ref} any number`;
  }
  const labels = (condition.values ?? []).map((v) => variable?.categories.find((c) => c.key === keyOf(variable, v))?.label ?? String(v));
  if (op === 'in' || labels.length === 1) return `${ref} ${op === 'in' ? 'is' : 'is not'} ${joinOr(labels)}`;
  if (labels.length === 2) return `${ref} is neither ${labels[0]} nor ${labels[1]}`;
  return `${ref} is none of ${joinOr(labels)}`;
}
