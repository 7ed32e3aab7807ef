import { useEffect, useMemo, useRef, useState } from 'react';
import type { Code } from '../../../../shared/contract/coding';
import { useAction, useCall } from '../../api/hooks';
import { Button, EmptyState, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { CodePalette } from './palette';
import { t } from '../../i18n';

type Sort = 'row' | 'length' | 'uncoded' | `column:${number}`;

/**
 * Open-ended survey answers as a grid: one row per respondent. ↑/↓ move between answers, a code's
 * key codes the whole answer, Ctrl+K finds a code, Delete removes the row's last code.
 */
export function AnswersGrid({ documentId, onDocument }: { documentId: number | null; onDocument: (id: number) => void }) {
  const toast = useToast();
  const documents = useCall('documents.list', { kind: 'survey_text' });
  const detail = useCall('documents.get', { id: documentId ?? 0 }, { enabled: documentId !== null });
  const segments = useCall('segments.list', { documentId: documentId ?? 0 }, { enabled: documentId !== null });
  const codes = useCall('codes.list', {});
  const apply = useAction('codings.apply');
  const remove = useAction('codings.remove');
  const context = useCall('answers.context', { documentId: documentId ?? 0 }, { enabled: documentId !== null });
  const datasetId = context.data?.datasetId ?? null;
  const variables = useCall('survey.variables', { datasetId: datasetId ?? 0 }, { enabled: datasetId !== null });
  const [picked, setPicked] = useState<number[] | null>(null);
  // The respondent's other answers beside each answer: by default the first few closed questions.
  const sideColumns = useMemo(() => {
    const all = (variables.data ?? []).filter((v) => v.id !== context.data?.variableId && v.type !== 'metadata');
    if (picked) return all.filter((v) => picked.includes(v.id));
    return all.filter((v) => v.type !== 'text').slice(0, 3);
  }, [variables.data, context.data, picked]);
  const side = useCall(
    'survey.rows',
    { datasetId: datasetId ?? 0, variableIds: sideColumns.map((v) => v.id), limit: 2000 },
    { enabled: datasetId !== null && sideColumns.length > 0 },
  );
  // Cells in the order of `sideColumns`, whatever order the survey store returns its columns in.
  const sideByRow = useMemo(() => {
    const order = sideColumns.map((v) => side.data?.columns.findIndex((c) => c.id === v.id) ?? -1);
    return new Map((side.data?.rows ?? []).map((r) => [r.row, order.map((i) => (i >= 0 ? (r.cells[i] ?? null) : null))]));
  }, [side.data, sideColumns]);
  const [sideFilter, setSideFilter] = useState<{ column: number; value: string } | null>(null);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>('row');
  const [active, setActive] = useState(0);
  const [palette, setPalette] = useState(false);
  const grid = useRef<HTMLDivElement>(null);
  const codeById = useMemo(() => new Map((codes.data ?? []).map((c) => [c.id, c])), [codes.data]);
  const text = detail.data?.text ?? '';

  const rows = useMemo(() => {
    const turns = detail.data?.turns ?? [];
    const segs = segments.data ?? [];
    const needle = filter.trim().toLowerCase();
    const list = turns
      .map((t) => {
        const answer = text.slice(t.start, t.end);
        const lead = answer.length - answer.trimStart().length;
        const body = answer.trim();
        const inside = segs.filter((s) => s.start < t.end && s.end > t.start);
        return { turn: t, answer: body, start: t.start + lead, end: t.start + lead + body.length, segments: inside };
      })
      .filter((r) => r.answer && (!needle || r.answer.toLowerCase().includes(needle)))
      .filter((r) => {
        if (!sideFilter || r.turn.respondentRow === null) return true;
        const cells = sideByRow.get(r.turn.respondentRow);
        return String(cells?.[sideFilter.column] ?? '') === sideFilter.value;
      });
    if (sort === 'length') list.sort((a, b) => b.answer.length - a.answer.length);
    if (sort.startsWith('column:')) {
      const column = Number(sort.slice(7));
      const cell = (r: (typeof list)[number]) => (r.turn.respondentRow === null ? null : (sideByRow.get(r.turn.respondentRow)?.[column] ?? null));
      list.sort((a, b) => {
        const x = cell(a);
        const y = cell(b);
        if (x === y) return a.turn.position - b.turn.position;
        if (x === null) return 1;
        if (y === null) return -1;
        return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      });
    }
    if (sort === 'uncoded') list.sort((a, b) => Number(a.segments.length > 0) - Number(b.segments.length > 0) || a.turn.position - b.turn.position);
    return list;
  }, [detail.data, segments.data, filter, sort, text, sideByRow, sideFilter]);

  const current = rows[Math.min(active, rows.length - 1)];
  const codeRow = (code: Code) => {
    if (!current || documentId === null) return;
    apply.mutate({ documentId, start: current.start, end: current.end, codeId: code.id }, { onError: (e) => toast.error(e) });
  };

  useEffect(() => {
    const el = grid.current?.querySelector<HTMLElement>(`[data-row="${active}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  if (documents.isLoading) return <Spinner />;
  if (!documents.data?.length) {
    return <EmptyState title={t('coding.answers.emptyTitle')}>{t('coding.answers.emptyText')}</EmptyState>;
  }
  return (
    <div className="cb-stack">
      <div className="cb-row cb-wrap">
        <select aria-label={t('coding.answers.question')} value={documentId ?? ''} onChange={(e) => onDocument(Number(e.target.value))}>
          <option value="">{t('coding.answers.chooseQuestion')}</option>
          {documents.data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.turns} answers)
            </option>
          ))}
        </select>
        <input aria-label={t('coding.answers.filter')} placeholder={t('coding.answers.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label={t('coding.answers.sort')} value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          <option value="row">{t('coding.answers.rowOrder')}</option>
          <option value="uncoded">{t('coding.answers.uncodedFirst')}</option>
          <option value="length">{t('coding.answers.longestFirst')}</option>
        </select>
        {sideColumns.length > 0 && (
          <select
            aria-label={t('coding.answers.showOnly')}
            value={sideFilter ? `${sideFilter.column}\u0000${sideFilter.value}` : ''}
            onChange={(e) => {
              const [column, value] = e.target.value.split('\u0000');
              setSideFilter(e.target.value ? { column: Number(column), value: value ?? '' } : null);
            }}
          >
            <option value="">{t('coding.answers.allRespondents')}</option>
            {sideColumns.map((v, i) =>
              [...new Set([...sideByRow.values()].map((cells) => String(cells[i] ?? '')))]
                .filter(Boolean)
                .sort()
                .slice(0, 50)
                .map((value) => (
                  <option key={`${v.id}-${value}`} value={`${i}\u0000${value}`}>
                    {v.name} = {value}
                  </option>
                )),
            )}
          </select>
        )}
        {(variables.data?.length ?? 0) > 1 && (
          <details className="cb-columns">
            <summary>{t('coding.answers.columnsBeside')}</summary>
            {(variables.data ?? [])
              .filter((v) => v.id !== context.data?.variableId && v.type !== 'metadata')
              .map((v) => (
                <label key={v.id} className="cb-inline">
                  <input
                    type="checkbox"
                    checked={sideColumns.some((c) => c.id === v.id)}
                    onChange={(e) => {
                      const current = sideColumns.map((c) => c.id);
                      setPicked(e.target.checked ? [...current, v.id] : current.filter((x) => x !== v.id));
                    }}
                  />{' '}
                  {v.name}
                </label>
              ))}
          </details>
        )}
        <Button onClick={() => setPalette(true)} disabled={!current}>
          {t('coding.answers.applyCode')} <kbd>Ctrl+K</kbd>
        </Button>
      </div>
      {documentId !== null && (
        <div
          className="cb-answers"
          ref={grid}
          tabIndex={0}
          data-testid="answers-grid"
          aria-label={t('coding.answers.gridAria')}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' || event.key === 'j') {
              event.preventDefault();
              setActive((a) => Math.min(a + 1, rows.length - 1));
            } else if (event.key === 'ArrowUp' || event.key === 'k') {
              event.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
              event.preventDefault();
              setPalette(true);
            } else if ((event.key === 'Delete' || event.key === 'Backspace') && current) {
              const last = current.segments.flatMap((s) => s.codings).pop();
              if (last) remove.mutate({ codingId: last.codingId }, { onError: (e) => toast.error(e) });
            } else if (!event.ctrlKey && !event.metaKey && !event.altKey) {
              const code = (codes.data ?? []).find((c) => c.shortcut && c.shortcut.toLowerCase() === event.key.toLowerCase());
              if (code) {
                event.preventDefault();
                codeRow(code);
              }
            }
          }}
        >
          <table className="grid-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{context.data?.question ?? context.data?.variableName ?? t('coding.answers.answer')}</th>
                <th>{t('coding.answers.codes')}</th>
                {sideColumns.map((v, i) => (
                  <th key={v.id} title={v.label}>
                    <button type="button" className="link" onClick={() => setSort(`column:${i}`)}>
                      {v.name}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.turn.id} data-row={i} className={i === active ? 'cb-active-row' : ''} onClick={() => setActive(i)}>
                  <td className="muted">{r.turn.respondentRow !== null ? r.turn.respondentRow + 1 : r.turn.position + 1}</td>
                  <td className="cb-quote-cell">{r.answer}</td>
                  <td>
                    {r.segments.flatMap((s) =>
                      s.codings.map((c) => (
                        <span key={c.codingId} className="cb-chip" style={{ borderLeftColor: codeById.get(c.codeId)?.color }}>
                          {codeById.get(c.codeId)?.name}
                        </span>
                      )),
                    )}
                  </td>
                  {sideColumns.map((v, c) => (
                    <td key={v.id} className="muted">
                      {r.turn.respondentRow !== null ? String(sideByRow.get(r.turn.respondentRow)?.[c] ?? '') : ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CodePalette
        open={palette}
        codes={codes.data ?? []}
        onClose={() => setPalette(false)}
        onPick={(code) => {
          setPalette(false);
          codeRow(code);
          grid.current?.focus();
        }}
      />
    </div>
  );
}
