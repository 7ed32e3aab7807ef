import { useState } from 'react';
import type { CellStat, SlotFormat, SlotSourceInput } from '../../../../shared/contract/findings';
import { useAction, useCall } from '../../api/hooks';
import { Button, Field } from '../../ui/components';
import { useToast } from '../../ui/toast';

export const FORMATS: { id: SlotFormat; label: string }[] = [
  { id: 'percent', label: '50%' },
  { id: 'percent1', label: '50.1%' },
  { id: 'words', label: 'in words ("half")' },
  { id: 'points', label: '+12 pts' },
  { id: 'points1', label: '+12.3 pts' },
  { id: 'number', label: '1,234' },
  { id: 'decimal1', label: '3.4' },
];

const STATS: { id: CellStat; label: string }[] = [
  { id: 'colPct', label: 'column %' },
  { id: 'count', label: 'count' },
  { id: 'rowPct', label: 'row %' },
  { id: 'mean', label: 'mean' },
];

type Kind = 'cell' | 'change' | 'base' | 'code';

/** The <option>s of a list of named things (saved tables, codes), by id. */
export function Options({ items }: { items: { id: number; name: string }[] | undefined }) {
  return (
    <>
      {(items ?? []).map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </>
  );
}

/** The next free slot name: a, b, c… */
export function nextKey(used: string[]): string {
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') if (!used.includes(letter)) return letter;
  return `n${used.length}`;
}

/** Adds a number to a finding: a cell, a change between two columns, a base, or a code's count. */
export function SlotEditor({ findingId, used, onDone }: { findingId: number; used: string[]; onDone: () => void }) {
  const tables = useCall('tables.list', {});
  const codes = useCall('codes.list', {});
  const setSlot = useAction('findings.setSlot');
  const toast = useToast();
  const [kind, setKind] = useState<Kind>('cell');
  const [key, setKey] = useState(nextKey(used));
  const [tableId, setTableId] = useState<number | null>(null);
  const [group, setGroup] = useState(0);
  const [row, setRow] = useState('');
  const [column, setColumn] = useState('');
  const [from, setFrom] = useState('');
  const [stat, setStat] = useState<CellStat>('colPct');
  const [codeId, setCodeId] = useState<number | null>(null);
  const [count, setCount] = useState<'participants' | 'quotes' | 'documents'>('participants');
  const [format, setFormat] = useState<SlotFormat | ''>('');
  const chosenTable = tableId ?? tables.data?.[0]?.id ?? null;
  const result = useCall('tables.get', { id: chosenTable ?? 0 }, { enabled: kind !== 'code' && chosenTable !== null });
  const groups = result.data?.result.groups ?? [];
  const rows = groups[group]?.rows ?? [];
  const columns = result.data?.result.columns ?? [];
  const pick = (value: string, list: { key: string }[], at = 0) => (list.some((x) => x.key === value) ? value : (list[at]?.key ?? ''));

  const source = (): SlotSourceInput | null => {
    if (kind === 'code') {
      const id = codeId ?? codes.data?.[0]?.id;
      return id === undefined ? null : { kind: 'code', codeId: id, count };
    }
    if (chosenTable === null) return null;
    const r = pick(row, rows);
    const c = pick(column, columns, columns.length - 1);
    if (kind === 'base') return { kind: 'base', tableId: chosenTable, group, column: c };
    if (kind === 'change') return { kind: 'change', tableId: chosenTable, group, row: r, from: pick(from, columns, Math.max(0, columns.length - 2)), to: c };
    return { kind: 'cell', tableId: chosenTable, group, row: r, column: c, stat };
  };
  const fallbackFormat: SlotFormat = kind === 'change' ? 'points' : kind === 'cell' && stat === 'colPct' ? 'percent' : 'number';

  const save = async () => {
    const s = source();
    if (!s) return;
    try {
      await setSlot.mutateAsync({ findingId, key, source: s, format: format || fallbackFormat });
      onDone();
    } catch (error) {
      toast.error(error);
    }
  };

  const columnSelect = (value: string, set: (v: string) => void, at: number, label: string, testId: string) => (
    <Field label={label}>
      <select data-testid={testId} value={pick(value, columns, at)} onChange={(e) => set(e.target.value)}>
        {columns.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <div className="fd-slot-editor" data-testid="slot-editor">
      <div className="fd-row">
        <Field label="Name in the headline">
          <input className="fd-key" data-testid="slot-key" value={key} onChange={(e) => setKey(e.target.value.trim().toLowerCase())} />
        </Field>
        <Field label="Number">
          <select data-testid="slot-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="cell">a table cell</option>
            <option value="change">a change between two columns (waves)</option>
            <option value="base">a base</option>
            <option value="code">a code's count</option>
          </select>
        </Field>
        <Field label="Written as">
          <select data-testid="slot-format" value={format || fallbackFormat} onChange={(e) => setFormat(e.target.value as SlotFormat)}>
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {kind === 'code' ? (
        <div className="fd-row">
          <Field label="Code">
            <select data-testid="slot-code" value={codeId ?? codes.data?.[0]?.id ?? ''} onChange={(e) => setCodeId(Number(e.target.value))}>
              <Options items={codes.data} />
            </select>
          </Field>
          <Field label="Count">
            <select data-testid="slot-count" value={count} onChange={(e) => setCount(e.target.value as typeof count)}>
              <option value="participants">participants and respondents</option>
              <option value="quotes">quotes</option>
              <option value="documents">documents</option>
            </select>
          </Field>
        </div>
      ) : (tables.data ?? []).length === 0 ? (
        <p className="muted">Save a table on the Tables page first; its cells can then become numbers here.</p>
      ) : (
        <div className="fd-row">
          <Field label="Saved table">
            <select data-testid="slot-table" value={chosenTable ?? ''} onChange={(e) => (setTableId(Number(e.target.value)), setGroup(0))}>
              <Options items={tables.data} />
            </select>
          </Field>
          {groups.length > 1 && (
            <Field label="Question">
              <select data-testid="slot-group" value={group} onChange={(e) => setGroup(Number(e.target.value))}>
                {groups.map((g, i) => (
                  <option key={`${g.ref}-${i}`} value={i}>
                    {g.label}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {kind !== 'base' && (
            <Field label="Answer">
              <select data-testid="slot-row" value={pick(row, rows)} onChange={(e) => setRow(e.target.value)}>
                {rows.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.label}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {kind === 'change' && columnSelect(from, setFrom, Math.max(0, columns.length - 2), 'From', 'slot-from')}
          {columnSelect(column, setColumn, columns.length - 1, kind === 'change' ? 'To' : 'Column', 'slot-column')}
          {kind === 'cell' && (
            <Field label="Statistic">
              <select data-testid="slot-stat" value={stat} onChange={(e) => setStat(e.target.value as CellStat)}>
                {STATS.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>
      )}
      <div className="fd-row">
        <Button variant="primary" data-testid="slot-save" disabled={!source() || setSlot.isPending} onClick={() => void save()}>
          Set {`{${key}}`}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
