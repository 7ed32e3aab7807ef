import { useState } from 'react';
import type { SurveyVariableType, VariableSummary } from '../../../../shared/contract/survey';
import { SURVEY_VARIABLE_TYPES } from '../../../../shared/contract/survey';
import { useAction } from '../../api/hooks';
import { Button, Dialog, Field } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { typeName } from './types';

type Status = 'counts' | 'nonsubstantive' | 'missing';
type Code = number | string;

const CHOICE_TYPES = new Set<SurveyVariableType>(['single', 'ordinal']);

/**
 * One variable after its import: type, question text, the answers' order, which are missing or
 * non-substantive, answers merged. Saving is one call, one undoable step (Ctrl+Z takes it back);
 * a retype that does not fit the answers is refused with the first one that does not.
 */
export function VariableEditor({ variable, onClose }: { variable: VariableSummary; onClose: () => void }) {
  const edit = useAction('survey.editVariable');
  const toast = useToast();
  const [type, setType] = useState<SurveyVariableType>(variable.type);
  const [label, setLabel] = useState(variable.label);
  const [order, setOrder] = useState<Code[]>(variable.valueLabels.map((l) => l.code));
  const [status, setStatus] = useState<Map<Code, Status>>(
    () => new Map(variable.valueLabels.map((l) => [l.code, l.missing ? 'missing' : l.nonsubstantive ? 'nonsubstantive' : 'counts'])),
  );
  const [merge, setMerge] = useState<Code[]>([]);
  const byCode = new Map(variable.valueLabels.map((l) => [l.code, l]));
  // The variable is read again as soon as a save lands (a merged answer is gone) while the dialog closes.
  const shown = order.filter((c) => byCode.has(c));
  const merging = shown.filter((c) => merge.includes(c));
  const choice = CHOICE_TYPES.has(variable.type);

  const move = (from: number, to: number) => {
    const next = [...shown];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    setOrder(next);
  };

  const save = async (extra: { merge?: { answers: Code[] } } = {}) => {
    const changedOrder = shown.some((c, i) => c !== variable.valueLabels[i]?.code);
    const listed = (s: Status) => shown.filter((c) => status.get(c) === s);
    const was = (s: Status) => variable.valueLabels.filter((l) => (s === 'missing' ? l.missing : l.nonsubstantive)).map((l) => l.code);
    const same = (a: Code[], b: Code[]) => a.length === b.length && a.every((x) => b.includes(x));
    try {
      await edit.mutateAsync({
        variableId: variable.id,
        ...(type !== variable.type ? { type } : {}),
        ...(label !== variable.label ? { label } : {}),
        ...(choice && changedOrder ? { order: shown } : {}),
        ...(choice && !same(listed('missing'), was('missing')) ? { missing: listed('missing') } : {}),
        ...(choice && !same(listed('nonsubstantive'), was('nonsubstantive')) ? { nonsubstantive: listed('nonsubstantive') } : {}),
        ...extra,
      });
      toast.show({ kind: 'info', text: `${variable.name} changed. Ctrl+Z undoes it.` });
      onClose();
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <Dialog
      title={`Edit ${variable.name}`}
      open
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" data-testid="variable-save" onClick={() => void save()}>
            Save
          </Button>
        </>
      }
    >
      <Field label="Type">
        <select value={type} onChange={(e) => setType(e.target.value as SurveyVariableType)} aria-label={`Type of ${variable.name}`}>
          {SURVEY_VARIABLE_TYPES.map((t) => (
            <option key={t} value={t}>
              {typeName(t)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Question text">
        <input value={label} onChange={(e) => setLabel(e.target.value)} aria-label={`Question text of ${variable.name}`} />
      </Field>
      {choice && (
        <table className="grid-table" data-testid="variable-answers">
          <thead>
            <tr>
              <th>Answer</th>
              <th>Respondents</th>
              <th>Counts as</th>
              <th>Order</th>
              <th>Merge</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((code, i) => {
              const l = byCode.get(code)!;
              return (
                <tr key={String(code)}>
                  <td>{l.label}</td>
                  <td>{l.count.toLocaleString()}</td>
                  <td>
                    <select
                      value={status.get(code)}
                      aria-label={`${l.label} counts as`}
                      onChange={(e) => setStatus(new Map(status).set(code, e.target.value as Status))}
                    >
                      <option value="counts">an answer</option>
                      <option value="nonsubstantive">non-substantive (out of nets and means)</option>
                      <option value="missing">missing (out of the base)</option>
                    </select>
                  </td>
                  <td>
                    <button type="button" className="link" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move ${l.label} up`}>
                      ↑
                    </button>
                    <button type="button" className="link" disabled={i === shown.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move ${l.label} down`}>
                      ↓
                    </button>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Merge ${l.label}`}
                      checked={merge.includes(code)}
                      onChange={(e) => setMerge(e.target.checked ? [...merge, code] : merge.filter((c) => c !== code))}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {choice && merging.length >= 2 && (
        <p>
          <Button data-testid="variable-merge" onClick={() => void save({ merge: { answers: merging } })}>
            Merge {merging.length} answers into “{byCode.get(merging[0]!)!.label}”
          </Button>
        </p>
      )}
    </Dialog>
  );
}

/** Puts the ticked variables into one multi-select (or matrix), or takes them out of their groups. */
export function GroupBar({ selected, onDone }: { selected: VariableSummary[]; onDone: () => void }) {
  const group = useAction('survey.groupVariables');
  const toast = useToast();
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const run = async (input: { group: string | null; as?: 'multi' | 'matrix' }) => {
    try {
      await group.mutateAsync({ variableIds: selected.map((v) => v.id), ...input, ...(input.group && text.trim() ? { groupLabel: text.trim() } : {}) });
      toast.show({ kind: 'info', text: input.group ? `Grouped ${selected.length} columns as ${input.group}. Ctrl+Z undoes it.` : `Ungrouped ${selected.length} columns. Ctrl+Z undoes it.` });
      onDone();
    } catch (error) {
      toast.error(error);
    }
  };
  if (selected.length === 0) return null;
  return (
    <div className="data-group-bar" data-testid="group-bar">
      <span>{selected.length} selected</span>
      <input placeholder="Group name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Group name" />
      <input placeholder="Question text" value={text} onChange={(e) => setText(e.target.value)} aria-label="Group question text" />
      <Button disabled={!name.trim()} onClick={() => void run({ group: name.trim(), as: 'multi' })} data-testid="group-multi">
        Group as multi-select
      </Button>
      <Button disabled={!name.trim()} onClick={() => void run({ group: name.trim(), as: 'matrix' })}>
        Group as matrix
      </Button>
      <Button onClick={() => void run({ group: null })} data-testid="ungroup">
        Ungroup
      </Button>
    </div>
  );
}
