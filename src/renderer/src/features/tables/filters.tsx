import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { BuilderVariable, TableSpecInput } from '../../../../shared/contract/tables';
import { Button } from '../../ui/components';

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
  /** The number inputs as typed; `bad` when the browser holds text that is not a number. */
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

/** Questions a filter can use: numbers, and anything with answers to choose from. */
export function filterable(variables: BuilderVariable[]): BuilderVariable[] {
  return variables.filter((v) => isNumeric(v) || (v.kind !== 'text' && v.kind !== 'grid' && v.categories.some((c) => !c.missing)));
}

const RANGE_OPS: { op: FilterOp; label: string }[] = [
  { op: 'between', label: 'is between' },
  { op: 'atLeast', label: 'is at least' },
  { op: 'atMost', label: 'is at most' },
];

function opsFor(variable: BuilderVariable | undefined, current: FilterOp): { op: FilterOp; label: string }[] {
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
    min: condition.min === undefined ? '' : String(condition.min),
    max: condition.max === undefined ? '' : String(condition.max),
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

/** The condition a draft stands for, or what the user must fix first. */
export function validate(draft: FilterDraft, numeric: boolean): { condition: FilterInput; problem: null } | { condition: null; problem: FilterProblem } {
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
  const min = wantsMin ? parseNumber(draft.min, draft.minBad, 'min', op === 'between' ? 'lowest value' : 'smallest value to keep') : {};
  const max = wantsMax ? parseNumber(draft.max, draft.maxBad, 'max', op === 'between' ? 'highest value' : 'largest value to keep') : {};
  // A wrongly typed number is reported before an empty one: it is what the user is looking at.
  const problems = [min.problem, max.problem].filter((p): p is FilterProblem => p !== undefined).sort((a, b) => Number(a.empty) - Number(b.empty));
  if (problems[0]) return { condition: null, problem: problems[0] };
  if (min.value !== undefined && max.value !== undefined && min.value > max.value) {
    return {
      condition: null,
      problem: { field: 'max', message: `The range is the wrong way round: ${min.value} is more than ${max.value}. Put the lower number first.`, empty: false },
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

const sameCondition = (a: FilterInput, b: FilterInput) => JSON.stringify(a) === JSON.stringify(b);

/** Operator, answers or numbers for one question. Shared by the new-filter form and each chip. */
function ConditionFields({
  variable,
  unit,
  draft,
  onDraft,
  problem,
  showEmpty,
  onEnter,
}: {
  variable: BuilderVariable | undefined;
  unit: string;
  draft: FilterDraft;
  onDraft: (d: FilterDraft) => void;
  problem: FilterProblem | null;
  showEmpty: boolean;
  onEnter?: () => void;
}) {
  const id = useId();
  const shown = problem && (!problem.empty || showEmpty) ? problem : null;
  const errorId = `${id}-error`;
  const invalid = (field: FilterProblem['field']) => (shown?.field === field ? { 'aria-invalid': true, 'aria-describedby': errorId } : {});
  const categories = (variable?.categories ?? []).filter((c) => !c.missing || draft.values.includes(c.key));
  // Values a saved spec names that this dataset lacks stay visible, so they can be unticked.
  const unknown = draft.values.filter((v) => !categories.some((c) => c.key === v));
  const name = variable && variable.label !== variable.ref ? `${variable.ref} (${variable.label})` : draft.ref;
  const enter = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && onEnter) {
      e.preventDefault();
      onEnter();
    }
  };
  const number = (field: 'min' | 'max', label: string) => (
    <label className="filter-number">
      <span>{label}</span>
      <input
        type="number"
        step="any"
        inputMode="decimal"
        value={draft[field]}
        data-testid={`filter-${field}`}
        {...invalid(field)}
        onChange={(e) => onDraft({ ...draft, [field]: e.target.value, [`${field}Bad`]: e.target.validity.badInput })}
        onKeyDown={enter}
      />
    </label>
  );
  return (
    <div className="filter-fields">
      <select
        aria-label={`Condition on ${draft.ref}`}
        value={draft.op}
        data-testid="filter-op"
        onChange={(e) => onDraft({ ...draft, op: e.target.value as FilterOp })}
      >
        {opsFor(variable, draft.op).map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {(draft.op === 'in' || draft.op === 'notIn') && isNumeric(variable) && (
        <input
          aria-label={draft.op === 'in' ? 'Numbers to keep' : 'Numbers to leave out'}
          placeholder="e.g. 1, 2, 9"
          value={draft.numbers}
          data-testid="filter-numbers"
          {...invalid('values')}
          onChange={(e) => onDraft({ ...draft, numbers: e.target.value })}
          onKeyDown={enter}
        />
      )}
      {(draft.op === 'in' || draft.op === 'notIn') && !isNumeric(variable) && (
        <fieldset className="filter-values" data-testid="filter-values" {...invalid('values')}>
          <legend>
            {draft.op === 'in' ? 'Keep' : 'Leave out'} {unit} {variable?.kind === 'multi' ? `who chose any of these in ${name}` : `whose ${name} is`}:
          </legend>
          {[...categories.map((c) => ({ key: c.key, label: c.label })), ...unknown.map((v) => ({ key: v, label: `${v} (not an answer here)` }))].map((c) => (
            <label key={c.key} className="check">
              <input
                type="checkbox"
                checked={draft.values.includes(c.key)}
                onChange={() => onDraft({ ...draft, values: draft.values.includes(c.key) ? draft.values.filter((v) => v !== c.key) : [...draft.values, c.key] })}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      )}
      {draft.op === 'between' && (
        <>
          {number('min', 'From')}
          {number('max', 'to')}
          <span className="muted">(both included)</span>
        </>
      )}
      {draft.op === 'atLeast' && number('min', 'Value')}
      {draft.op === 'atMost' && number('max', 'Value')}
      {shown && (
        <p id={errorId} className="tv-warning filter-problem" role="alert" data-testid="filter-error">
          {shown.message}
        </p>
      )}
    </div>
  );
}

/** "Only respondents where …": pick a question, then its condition, then Add. */
export function NewFilter({ variables, unit, onAdd }: { variables: BuilderVariable[]; unit: string; onAdd: (condition: FilterInput) => void }) {
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  const [attempted, setAttempted] = useState(false);
  const addRef = useRef<HTMLSelectElement>(null);
  const variable = variables.find((v) => v.ref === draft?.ref);
  const checked = draft ? validate(draft, isNumeric(variable)) : null;
  const add = () => {
    if (!checked) return;
    if (checked.condition) {
      onAdd(checked.condition);
      setDraft(null);
      setAttempted(false);
      addRef.current?.focus();
    } else setAttempted(true);
  };
  return (
    <div
      className="filter-editor"
      role="group"
      aria-label="New filter"
      data-testid="new-filter"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && draft) {
          e.preventDefault();
          setDraft(null);
          addRef.current?.focus();
        }
      }}
    >
      <span className="field-label">Only {unit} where</span>
      <select
        ref={addRef}
        aria-label="Filter question"
        value={draft?.ref ?? ''}
        data-testid="filter-ref"
        onChange={(e) => {
          const ref = e.target.value;
          setAttempted(false);
          setDraft(ref ? newDraft(ref, variables.find((v) => v.ref === ref)) : null);
        }}
      >
        <option value="">choose a question…</option>
        {variables.map((v) => (
          <option key={v.ref} value={v.ref}>
            {v.ref === v.label ? v.ref : `${v.ref} — ${v.label}`}
          </option>
        ))}
      </select>
      {draft && <ConditionFields variable={variable} unit={unit} draft={draft} onDraft={setDraft} problem={checked?.problem ?? null} showEmpty={attempted} onEnter={add} />}
      <Button disabled={!draft} data-testid="filter-add" onClick={add}>
        Add filter
      </Button>
      {draft && (
        <Button
          variant="ghost"
          onClick={() => {
            setDraft(null);
            addRef.current?.focus();
          }}
        >
          Cancel
        </Button>
      )}
    </div>
  );
}

/**
 * A filter in the spec: its words, Edit and Remove. While editing, every valid change reaches the
 * table at once; an invalid one is explained and the table keeps the last valid condition.
 */
export function FilterChip({
  index,
  condition,
  variable,
  unit,
  onChange,
  onRemove,
}: {
  index: number;
  unit: string;
  condition: FilterInput;
  variable: BuilderVariable | undefined;
  onChange: (c: FilterInput) => void;
  onRemove: () => void;
}) {
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const checked = draft ? validate(draft, isNumeric(variable)) : null;
  const text = describe(condition, variable);
  const close = () => {
    setDraft(null);
    editRef.current?.focus();
  };
  // A change from elsewhere (undoing a delete, another source) shows in an open editor too.
  const applied = useRef(condition);
  useEffect(() => {
    if (draft && !sameCondition(applied.current, condition)) setDraft(draftOf(condition, variable));
    applied.current = condition;
  }, [condition, draft, variable]);
  const update = (next: FilterDraft) => {
    setDraft(next);
    const result = validate(next, isNumeric(variable));
    if (result.condition && !sameCondition(result.condition, condition)) {
      applied.current = result.condition;
      onChange(result.condition);
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && draft) {
      e.stopPropagation();
      close();
    }
  };
  return (
    <li className="chip chip-filter" data-testid="filter-chip" aria-label={`Filter ${index + 1}: ${text}`} onKeyDown={onKeyDown}>
      <span data-testid="filter-text">Only {text}</span>
      <button
        ref={editRef}
        type="button"
        className="link"
        aria-expanded={draft !== null}
        aria-label={`Edit the filter on ${condition.ref}`}
        data-testid="filter-edit"
        onClick={() => (draft ? close() : setDraft(draftOf(condition, variable)))}
      >
        {draft ? 'Done' : 'Edit'}
      </button>
      <button type="button" aria-label={`Remove the filter on ${condition.ref}`} data-testid="filter-remove" onClick={onRemove}>
        ×
      </button>
      {draft && (
        <div className="chip-editor" data-testid="filter-editor">
          <ConditionFields
            variable={variable}
            unit={unit}
            draft={draft}
            onDraft={update}
            problem={checked?.problem ?? null}
            showEmpty
            onEnter={() => {
              if (checked?.condition) close();
            }}
          />
          {checked?.problem && <p className="muted">Until this is fixed the table keeps the filter “{text}”.</p>}
        </div>
      )}
    </li>
  );
}
