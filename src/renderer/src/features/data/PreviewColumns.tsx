import { Fragment, useState } from 'react';
import type { SurveyOverrides, SurveyPreviewColumn, SurveyVariableType } from '../../../../shared/contract/survey';
import { SURVEY_VARIABLE_TYPES } from '../../../../shared/contract/survey';
import { Button } from '../../ui/components';
import { typeName } from './types';
import { t } from '../../i18n';

type Status = 'counts' | 'nonsubstantive' | 'missing';

const CHOICE_TYPES = new Set<SurveyVariableType>(['single', 'ordinal', 'multi']);
const NUMBER_TYPES = new Set<SurveyVariableType>(['numeric', 'weight']);

interface Props {
  columns: SurveyPreviewColumn[];
  overrides: SurveyOverrides;
  onChange(next: SurveyOverrides): void;
}

/** Sets one column's entry of an override record; undefined removes it. */
function withEntry<T>(record: Record<string, T> | undefined, key: string, value: T | undefined): Record<string, T> | undefined {
  const next = { ...(record ?? {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length ? next : undefined;
}

function set<K extends keyof SurveyOverrides>(overrides: SurveyOverrides, key: K, value: SurveyOverrides[K]): SurveyOverrides {
  const next = { ...overrides };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

const statusOf = (label: { missing: boolean; nonsubstantive: boolean }): Status => (label.missing ? 'missing' : label.nonsubstantive ? 'nonsubstantive' : 'counts');

/**
 * The preview's columns: per column the guess, why, and everything the user may change before
 * importing (type, question text, group, the answers' order and which take no position or are
 * missing). Each change becomes an override; the dialog previews again with it.
 */
export function PreviewColumns({ columns, overrides, onChange }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const firstOfGroup = new Set<string>();
  const seenGroups = new Set<string>();
  for (const c of columns) {
    if (c.questionGroup && !seenGroups.has(c.questionGroup)) {
      seenGroups.add(c.questionGroup);
      firstOfGroup.add(c.name);
    }
  }

  /** Matrix rows sharing one set of answers take an order change together. */
  const sameAnswers = (c: SurveyPreviewColumn) => {
    const key = c.valueLabels.map((l) => l.label).join('\u0000');
    return c.questionGroup ? columns.filter((o) => o.questionGroup === c.questionGroup && o.valueLabels.map((l) => l.label).join('\u0000') === key) : [c];
  };

  const move = (c: SurveyPreviewColumn, from: number, to: number) => {
    const labels = c.valueLabels.map((l) => l.label);
    const [item] = labels.splice(from, 1);
    labels.splice(to, 0, item!);
    let order = overrides.order;
    for (const member of sameAnswers(c)) order = withEntry(order, member.name, labels);
    onChange(set(overrides, 'order', order));
  };

  const setStatus = (c: SurveyPreviewColumn, label: string, status: Status) => {
    const statuses = new Map(c.valueLabels.map((l) => [l.label, statusOf(l)]));
    statuses.set(label, status);
    const listed = (s: Status) => [...statuses].filter(([, v]) => v === s).map(([k]) => k);
    let next = set(overrides, 'missing', withEntry(overrides.missing, c.name, listed('missing')));
    next = set(next, 'nonsubstantive', withEntry(next.nonsubstantive, c.name, listed('nonsubstantive')));
    onChange(next);
  };

  return (
    <table className="grid-table" data-testid="survey-preview-columns">
      <thead>
        <tr>
          <th>{t('data.columns.column')}</th>
          <th>{t('data.columns.type')}</th>
          <th>{t('data.columns.why')}</th>
          <th>{t('data.columns.question')}</th>
          <th>{t('data.columns.group')}</th>
          <th>{t('data.columns.answers')}</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c) => {
          const type = overrides.types?.[c.name] ?? c.type;
          const editing = open === c.name;
          // One column of a one-column-per-option question: its answers are chosen or not, nothing to order.
          const option = type === 'multi' && c.valueLabels.length === 2 && c.valueLabels[0]!.label === 'Not selected';
          return (
            <Fragment key={c.name}>
              <tr>
                <td className="mono">{c.name}</td>
                <td>
                  <select
                    aria-label={t('data.columns.typeOf', { name: c.name })}
                    value={type}
                    onChange={(e) => onChange(set(overrides, 'types', withEntry(overrides.types, c.name, e.target.value as SurveyVariableType)))}
                  >
                    {SURVEY_VARIABLE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {typeName(t)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="small data-reason" data-testid={`reason-${c.name}`}>
                  {c.reason}
                </td>
                <td>
                  <input
                    aria-label={t('data.columns.questionOf', { name: c.name })}
                    className="data-question-input"
                    value={overrides.labels?.[c.name] ?? c.label}
                    onChange={(e) => onChange(set(overrides, 'labels', withEntry(overrides.labels, c.name, e.target.value)))}
                  />
                  {c.optionLabel && <div className="muted small">{t('data.columns.option', { label: c.optionLabel })}</div>}
                </td>
                <td>
                  <input
                    aria-label={t('data.columns.groupOf', { name: c.name })}
                    className="data-group-input"
                    placeholder="none"
                    defaultValue={overrides.groups?.[c.name] ?? c.questionGroup ?? ''}
                    onBlur={(e) => {
                      const value = e.target.value.trim();
                      if (value === (c.questionGroup ?? '')) return;
                      onChange(set(overrides, 'groups', withEntry(overrides.groups, c.name, value)));
                    }}
                  />
                  {c.questionGroup && firstOfGroup.has(c.name) && (
                    <input
                      aria-label={t('data.columns.groupQuestionOf', { name: c.questionGroup })}
                      className="data-group-input small"
                      value={overrides.groupLabels?.[c.questionGroup] ?? c.groupLabel ?? ''}
                      onChange={(e) => onChange(set(overrides, 'groupLabels', withEntry(overrides.groupLabels, c.questionGroup!, e.target.value)))}
                    />
                  )}
                </td>
                <td className="small">
                  {c.valueLabels.length > 0
                    ? c.valueLabels
                        .slice(0, 8)
                        .map((l) => `${l.label}${l.missing ? t('data.missingTag') : l.nonsubstantive ? t('data.nonsubstantiveTag') : ''}`)
                        .join(' · ')
                    : c.samples.slice(0, 3).join(' · ')}
                  {c.valueLabels.length > 8 && ` … (${c.valueLabels.length})`}
                  {(CHOICE_TYPES.has(type) || NUMBER_TYPES.has(type)) && !option && (
                    <div>
                      <Button variant="ghost" className="small" aria-expanded={editing} onClick={() => setOpen(editing ? null : c.name)}>
                        {editing ? t('data.columns.done') : t('data.columns.editAnswers', { name: c.name })}
                      </Button>
                    </div>
                  )}
                </td>
              </tr>
              {editing && (
                <tr className="data-answers-row">
                  <td colSpan={6}>
                    {NUMBER_TYPES.has(type) || c.valueLabels.length === 0 ? (
                      <label className="field">
                        <span className="field-label">{t('data.columns.missingLabel', { name: c.name })}</span>
                        <input
                          aria-label={t('data.columns.missingOf', { name: c.name })}
                          defaultValue={(overrides.missing?.[c.name] ?? []).join(', ')}
                          onBlur={(e) => {
                            const values = e.target.value
                              .split(',')
                              .map((v) => v.trim())
                              .filter(Boolean);
                            onChange(set(overrides, 'missing', withEntry(overrides.missing, c.name, values.length ? values : undefined)));
                          }}
                        />
                      </label>
                    ) : (
                      <ol className="data-answers" aria-label={t('data.columns.answersOf', { name: c.name })}>
                        {c.valueLabels.map((l, i) => (
                          <li key={`${l.code}-${l.label}`}>
                            <span className="data-answer-label">{l.label}</span>
                            <Button variant="ghost" className="small" aria-label={t('data.columns.moveUp', { label: l.label })} disabled={i === 0} onClick={() => move(c, i, i - 1)}>
                              ↑
                            </Button>
                            <Button
                              variant="ghost"
                              className="small"
                              aria-label={t('data.columns.moveDown', { label: l.label })}
                              disabled={i === c.valueLabels.length - 1}
                              onClick={() => move(c, i, i + 1)}
                            >
                              ↓
                            </Button>
                            {type !== 'multi' && (
                              <select aria-label={t('data.columns.statusOf', { label: l.label })} value={statusOf(l)} onChange={(e) => setStatus(c, l.label, e.target.value as Status)}>
                                <option value="counts">{t('data.columns.statusCounts')}</option>
                                <option value="nonsubstantive">{t('data.columns.statusNonsubstantive')}</option>
                                <option value="missing">{t('data.columns.statusMissing')}</option>
                              </select>
                            )}
                          </li>
                        ))}
                      </ol>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
