import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { BuilderVariable } from '../../../../shared/contract/tables';
import { Button } from '../../ui/components';
import { describe, draftOf, isDate, isNumeric, newDraft, opsFor, validate, type FilterDraft, type FilterInput, type FilterOp, type FilterProblem } from './filter-model';
import { t } from '../../i18n';

export { filterable, type FilterInput } from './filter-model';

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
  const date = isDate(variable);
  const number = (field: 'min' | 'max', label: string) => (
    <label className="filter-number">
      <span>{label}</span>
      <input
        {...(date ? { type: 'date' } : { type: 'number', step: 'any', inputMode: 'decimal' as const })}
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
          aria-label={draft.op === 'in' ? t('tables.filters.numbersKeep') : t('tables.filters.numbersOut')}
          placeholder={t('tables.filters.example')}
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
          {number('min', t('tables.filters.from'))}
          {number('max', 'to')}
          <span className="muted">{t('tables.filters.bothIncluded')}</span>
        </>
      )}
      {draft.op === 'atLeast' && number('min', date ? 'Day' : 'Value')}
      {draft.op === 'atMost' && number('max', date ? 'Day' : 'Value')}
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
  const checked = draft ? validate(draft, isNumeric(variable), isDate(variable)) : null;
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
      aria-label={t('tables.filters.newFilter')}
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
        aria-label={t('tables.filters.filterQuestion')}
        value={draft?.ref ?? ''}
        data-testid="filter-ref"
        onChange={(e) => {
          const ref = e.target.value;
          setAttempted(false);
          setDraft(ref ? newDraft(ref, variables.find((v) => v.ref === ref)) : null);
        }}
      >
        <option value="">{t('tables.filters.chooseQuestion')}</option>
        {variables.map((v) => (
          <option key={v.ref} value={v.ref}>
            {v.ref === v.label ? v.ref : `${v.ref} — ${v.label}`}
          </option>
        ))}
      </select>
      {draft && <ConditionFields variable={variable} unit={unit} draft={draft} onDraft={setDraft} problem={checked?.problem ?? null} showEmpty={attempted} onEnter={add} />}
      <Button disabled={!draft} data-testid="filter-add" onClick={add}>
        {t('tables.filters.addFilter')}
      </Button>
      {draft && (
        <Button
          variant="ghost"
          onClick={() => {
            setDraft(null);
            addRef.current?.focus();
          }}
        >
          {t('tables.filters.cancel')}
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
  const checked = draft ? validate(draft, isNumeric(variable), isDate(variable)) : null;
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
    const result = validate(next, isNumeric(variable), isDate(variable));
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
        {draft ? t('tables.filters.done') : t('tables.filters.edit')}
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
