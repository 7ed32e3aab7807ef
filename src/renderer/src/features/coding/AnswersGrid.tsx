import { useEffect, useMemo, useRef, useState } from 'react';
import type { Code } from '../../../../shared/contract/coding';
import { useAction, useCall } from '../../api/hooks';
import { Button, EmptyState, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { CodePalette } from './palette';

type Sort = 'row' | 'length' | 'uncoded';

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
      .filter((r) => r.answer && (!needle || r.answer.toLowerCase().includes(needle)));
    if (sort === 'length') list.sort((a, b) => b.answer.length - a.answer.length);
    if (sort === 'uncoded') list.sort((a, b) => Number(a.segments.length > 0) - Number(b.segments.length > 0) || a.turn.position - b.turn.position);
    return list;
  }, [detail.data, segments.data, filter, sort, text]);

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
    return <EmptyState title="No open-ended answers yet.">Import a survey with free-text questions: each becomes a list of answers to code here, one row per respondent.</EmptyState>;
  }
  return (
    <div className="cb-stack">
      <div className="cb-row cb-wrap">
        <select aria-label="Question" value={documentId ?? ''} onChange={(e) => onDocument(Number(e.target.value))}>
          <option value="">Choose an open-ended question…</option>
          {documents.data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.turns} answers)
            </option>
          ))}
        </select>
        <input aria-label="Filter answers" placeholder="Filter answers" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label="Sort answers" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          <option value="row">Respondent order</option>
          <option value="uncoded">Uncoded first</option>
          <option value="length">Longest first</option>
        </select>
        <Button onClick={() => setPalette(true)} disabled={!current}>
          Apply code… <kbd>Ctrl+K</kbd>
        </Button>
      </div>
      {documentId !== null && (
        <div
          className="cb-answers"
          ref={grid}
          tabIndex={0}
          data-testid="answers-grid"
          aria-label="Answers: arrow keys move, a code's key codes the answer"
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
                <th>Answer</th>
                <th>Codes</th>
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
