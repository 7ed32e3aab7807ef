import { useEffect, useState } from 'react';
import type { Code } from '../../../../shared/contract/coding';
import { getBridge } from '../../api/bridge';
import { useAction, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, Dialog, EmptyState, Field, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { MemoDialog } from '../coding/MemoDialog';

function depthOf(codes: Code[], code: Code): number {
  let depth = 0;
  let parent = code.parentId;
  while (parent !== null && depth < 50) {
    depth++;
    parent = codes.find((c) => c.id === parent)?.parentId ?? null;
  }
  return depth;
}

function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The codebook: a tree with counts on the left, the chosen code's definition on the right. */
export function CodebookEditor() {
  const toast = useToast();
  const codes = useCall('codes.list', {});
  const history = useCall('history.state', {});
  const create = useAction('codes.create');
  const undo = useAction('history.undo');
  const redo = useAction('history.redo');
  const importBook = useAction('codes.import');
  const [selected, setSelected] = useState<number | null>(null);
  const [newName, setNewName] = useState('');
  const [projectMemos, setProjectMemos] = useState(false);
  const list = codes.data ?? [];
  const code = list.find((c) => c.id === selected) ?? null;
  const onError = { onError: (e: unknown) => toast.error(e) };

  const exportAs = async (format: 'csv' | 'qdc') => {
    try {
      const result = await getBridge().call('codes.export', { format });
      download(result.text, result.fileName, format === 'csv' ? 'text/csv' : 'application/xml');
    } catch (error) {
      toast.error(error);
    }
  };
  const importFile = async () => {
    const files = await getBridge().openFiles({
      title: 'Import a codebook',
      filters: [{ name: 'Codebooks', extensions: ['csv', 'xlsx', 'qdc', 'qde', 'qdpx', 'txt'] }],
    });
    const file = files?.[0];
    if (!file) return;
    importBook.mutate(
      { path: file },
      { onSuccess: (r) => toast.show({ kind: 'success', text: `Imported ${r.created} code(s); ${r.skipped} were already there.` }), ...onError },
    );
  };

  if (codes.isLoading) return <Spinner />;
  return (
    <div className="cb-stack">
      <div className="cb-row cb-wrap">
        <form
          className="cb-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!newName.trim()) return;
            create.mutate(
              { name: newName.trim(), ...(code ? { parentId: code.parentId } : {}) },
              { onSuccess: (c) => (setNewName(''), setSelected(c.id)), ...onError },
            );
          }}
        >
          <input aria-label="New code name" placeholder="New code" value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="new-code-name" />
          <Button type="submit" variant="primary" disabled={!newName.trim()}>
            Add code
          </Button>
        </form>
        <span className="cb-grow" />
        <Button onClick={() => undo.mutate({}, onError)} disabled={!history.data?.canUndo} title={history.data?.undoLabel ? `Undo: ${history.data.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>
          Undo
        </Button>
        <Button onClick={() => redo.mutate({}, onError)} disabled={!history.data?.canRedo} title={history.data?.redoLabel ? `Redo: ${history.data.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
          Redo
        </Button>
        <Button onClick={() => setProjectMemos(true)}>Project memos</Button>
        <Button onClick={() => void importFile()}>Import…</Button>
        <Button onClick={() => void exportAs('csv')} disabled={!list.length}>
          Export CSV
        </Button>
        <Button onClick={() => void exportAs('qdc')} disabled={!list.length}>
          Export REFI .qdc
        </Button>
      </div>
      <HistoryList />
      {projectMemos && <MemoDialog title="Memos on the project" targetKind="project" targetId={null} onClose={() => setProjectMemos(false)} />}
      {list.length === 0 ? (
        <EmptyState title="Build a codebook of themes, then tag passages with them.">
          Add a code above, give it a definition and a shortcut key, then select a passage in a transcript and press the key. Or import a codebook (CSV, Taguette, QualCoder, REFI-QDA).
        </EmptyState>
      ) : (
        <div className="cb-split">
          <ul
            className="cb-tree"
            role="tree"
            aria-label="Codebook"
            data-testid="code-tree"
            onKeyDown={(event) => {
              // ↑/↓ walk the tree; the selected code's panel follows.
              if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
              event.preventDefault();
              const at = list.findIndex((c) => c.id === selected);
              const next = list[Math.max(0, Math.min(list.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
              if (next) {
                setSelected(next.id);
                (event.currentTarget.querySelector(`[data-code="${next.id}"]`) as HTMLElement | null)?.focus();
              }
            }}
          >
            {list.map((c) => (
              <li key={c.id} role="treeitem" aria-selected={c.id === selected} style={{ paddingLeft: depthOf(list, c) * 18 }}>
                <button type="button" data-code={c.id} className={`cb-tree-item ${c.id === selected ? 'active' : ''}`} onClick={() => setSelected(c.id)}>
                  <span className="cb-swatch" style={{ background: c.color }} />
                  <span className="cb-grow">{c.name}</span>
                  {c.shortcut && <kbd>{c.shortcut}</kbd>}
                  <span className="badge" title={`${c.totalQuoteCount} quotes, ${c.totalParticipantCount} participants (with sub-codes)`}>
                    {c.totalQuoteCount} · {c.totalParticipantCount}p
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {code ? <CodePanel key={code.id} code={code} codes={list} onDeleted={() => setSelected(null)} /> : <p className="muted">Choose a code to edit its definition, rules, colour and shortcut.</p>}
        </div>
      )}
    </div>
  );
}

function CodePanel({ code, codes, onDeleted }: { code: Code; codes: Code[]; onDeleted: () => void }) {
  const toast = useToast();
  const update = useAction('codes.update');
  const move = useAction('codes.move');
  const merge = useAction('codes.merge');
  const split = useAction('codes.split');
  const remove = useAction('codes.delete');
  const saveMemo = useAction('memos.save');
  const memos = useCall('memos.list', { targetKind: 'code', targetId: code.id });
  const [form, setForm] = useState({
    name: code.name,
    color: code.color,
    shortcut: code.shortcut ?? '',
    definition: code.definition,
    inclusion: code.inclusion,
    exclusion: code.exclusion,
    keywords: code.keywords.join(', '),
  });
  const [memo, setMemo] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'merge' | 'split' | 'delete' | null>(null);
  const onError = { onError: (e: unknown) => toast.error(e) };
  useEffect(() => setMemo(null), [code.id]);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  // Where the code sits among its siblings (the list is in tree order, so siblings keep their order).
  const siblingList = codes.filter((c) => c.parentId === code.parentId);
  const siblingIndex = siblingList.findIndex((c) => c.id === code.id);
  const siblingCount = siblingList.length;
  const descendants = new Set<number>([code.id]);
  for (const c of codes) if (c.parentId !== null && descendants.has(c.parentId)) descendants.add(c.id);

  return (
    <div className="panel cb-stack" data-testid="code-panel">
      <div className="cb-row">
        <span className="cb-swatch cb-swatch-lg" style={{ background: form.color }} />
        <h2 className="cb-grow">{code.name}</h2>
        <span className="muted">
          {code.quoteCount} quotes · {code.participantCount} participants
          {code.totalQuoteCount !== code.quoteCount ? ` (${code.totalQuoteCount} with sub-codes)` : ''}
        </span>
      </div>
      <div className="cb-form">
        <Field label="Name">
          <input value={form.name} onChange={set('name')} aria-label="Code name" />
        </Field>
        <Field label="Colour">
          <input type="color" value={form.color} onChange={set('color')} aria-label="Colour" />
        </Field>
        <Field label="Shortcut key" hint="One letter or digit: select text, press it.">
          <input value={form.shortcut} maxLength={1} onChange={set('shortcut')} aria-label="Shortcut key" data-testid="code-shortcut" />
        </Field>
        <Field label="Inside">
          <select
            aria-label="Parent code"
            value={code.parentId ?? ''}
            onChange={(e) => move.mutate({ id: code.id, parentId: e.target.value ? Number(e.target.value) : null }, onError)}
          >
            <option value="">(top level)</option>
            {codes
              .filter((c) => !descendants.has(c.id))
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </select>
        </Field>
      </div>
      <Field label="Definition">
        <textarea rows={3} value={form.definition} onChange={set('definition')} aria-label="Definition" />
      </Field>
      <div className="cb-form">
        <Field label="Include when">
          <textarea rows={2} value={form.inclusion} onChange={set('inclusion')} aria-label="Inclusion rule" />
        </Field>
        <Field label="Exclude when">
          <textarea rows={2} value={form.exclusion} onChange={set('exclusion')} aria-label="Exclusion rule" />
        </Field>
      </div>
      <Field label="Keywords" hint="Comma-separated; they help suggestions find candidate passages.">
        <input value={form.keywords} onChange={set('keywords')} aria-label="Keywords" />
      </Field>
      <div className="cb-row cb-wrap">
        <Button
          variant="primary"
          data-testid="save-code"
          onClick={() =>
            update.mutate(
              {
                id: code.id,
                name: form.name,
                color: form.color,
                shortcut: form.shortcut.trim() || null,
                definition: form.definition,
                inclusion: form.inclusion,
                exclusion: form.exclusion,
                keywords: form.keywords.split(',').map((k) => k.trim()).filter(Boolean),
              },
              { onSuccess: () => toast.show({ kind: 'success', text: 'Saved.' }), ...onError },
            )
          }
        >
          Save
        </Button>
        <Button onClick={() => navigate(`codebook/quotes/${code.id}`)}>Quotes</Button>
        <Button
          aria-label="Move up"
          title="Move up among its siblings"
          disabled={siblingIndex <= 0}
          onClick={() => move.mutate({ id: code.id, parentId: code.parentId, position: siblingIndex - 1 }, onError)}
        >
          ↑
        </Button>
        <Button
          aria-label="Move down"
          title="Move down among its siblings"
          disabled={siblingIndex >= siblingCount - 1}
          onClick={() => move.mutate({ id: code.id, parentId: code.parentId, position: siblingIndex + 1 }, onError)}
        >
          ↓
        </Button>
        <Button onClick={() => setDialog('merge')}>Merge into…</Button>
        <Button onClick={() => setDialog('split')} disabled={code.quoteCount === 0}>
          Split…
        </Button>
        <Button variant="danger" onClick={() => setDialog('delete')}>
          Delete…
        </Button>
      </div>
      <Field label="Memo on this code">
        <textarea rows={4} value={memo ?? memos.data?.[0]?.body ?? ''} onChange={(e) => setMemo(e.target.value)} aria-label="Memo on this code" />
      </Field>
      <div>
        <Button
          disabled={memo === null}
          onClick={() =>
            saveMemo.mutate(
              { ...(memos.data?.[0] ? { id: memos.data[0].id } : {}), targetKind: 'code', targetId: code.id, body: memo ?? '' },
              { onSuccess: () => setMemo(null), ...onError },
            )
          }
        >
          Save memo
        </Button>
      </div>
      {dialog === 'merge' && (
        <MergeDialog code={code} codes={codes.filter((c) => !descendants.has(c.id))} onClose={() => setDialog(null)} onMerged={onDeleted} run={(targetId) => merge.mutateAsync({ sourceIds: [code.id], targetId })} />
      )}
      {dialog === 'split' && <SplitDialog code={code} onClose={() => setDialog(null)} run={(parts) => split.mutateAsync({ id: code.id, parts })} />}
      {dialog === 'delete' && <DeleteDialog code={code} onClose={() => setDialog(null)} run={() => remove.mutateAsync({ id: code.id }).then(onDeleted)} />}
    </div>
  );
}

function MergeDialog({ code, codes, onClose, onMerged, run }: { code: Code; codes: Code[]; onClose: () => void; onMerged: () => void; run: (targetId: number) => Promise<unknown> }) {
  const toast = useToast();
  const [target, setTarget] = useState<number | null>(null);
  return (
    <Dialog
      title={`Merge “${code.name}” into another code`}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={target === null}
            onClick={() =>
              target !== null &&
              run(target).then(
                () => (onClose(), onMerged()),
                (e: unknown) => toast.error(e),
              )
            }
          >
            Merge
          </Button>
        </>
      }
    >
      <p>
        All {code.quoteCount} quote(s), sub-codes and memos of “{code.name}” move to the code you choose; a quote the same coder already gave both codes keeps one. Undo restores it.
      </p>
      <select aria-label="Merge into" value={target ?? ''} onChange={(e) => setTarget(e.target.value ? Number(e.target.value) : null)}>
        <option value="">Choose a code…</option>
        {codes.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </Dialog>
  );
}

function SplitDialog({ code, onClose, run }: { code: Code; onClose: () => void; run: (parts: { name: string; segmentIds: number[] }[]) => Promise<unknown> }) {
  const toast = useToast();
  const quotes = useCall('quotes.list', { codeId: code.id, limit: 5000 });
  const [names, setNames] = useState(['', '']);
  const [assign, setAssign] = useState<Record<number, number>>({});
  const parts = names
    .map((name, i) => ({ name: name.trim(), segmentIds: Object.entries(assign).filter(([, p]) => p === i).map(([s]) => Number(s)) }))
    .filter((p) => p.name);
  return (
    <Dialog
      title={`Split “${code.name}” into sub-codes`}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={parts.length === 0} onClick={() => run(parts).then(onClose, (e: unknown) => toast.error(e))}>
            Split
          </Button>
        </>
      }
    >
      <p>Name the new sub-codes, then give each quote to one of them. Quotes left unassigned stay on “{code.name}”.</p>
      <div className="cb-row cb-wrap">
        {names.map((n, i) => (
          <input key={i} aria-label={`Sub-code ${i + 1}`} placeholder={`Sub-code ${i + 1}`} value={n} onChange={(e) => setNames((list) => list.map((x, j) => (j === i ? e.target.value : x)))} />
        ))}
        <Button onClick={() => setNames((list) => [...list, ''])}>Another sub-code</Button>
      </div>
      <table className="grid-table">
        <tbody>
          {(quotes.data?.quotes ?? []).map((q) => (
            <tr key={q.segmentId}>
              <td className="cb-quote-cell">{q.text}</td>
              <td>
                <select
                  aria-label="Goes to"
                  value={assign[q.segmentId] ?? ''}
                  onChange={(e) =>
                    setAssign((a) => {
                      const next = { ...a };
                      if (e.target.value === '') delete next[q.segmentId];
                      else next[q.segmentId] = Number(e.target.value);
                      return next;
                    })
                  }
                >
                  <option value="">stays on {code.name}</option>
                  {names.map((n, i) => (
                    <option key={i} value={i} disabled={!n.trim()}>
                      {n.trim() || `Sub-code ${i + 1}`}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

function DeleteDialog({ code, onClose, run }: { code: Code; onClose: () => void; run: () => Promise<unknown> }) {
  const toast = useToast();
  const preview = useCall('codes.deletePreview', { id: code.id });
  return (
    <Dialog
      title={`Delete “${code.name}”?`}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" data-testid="confirm-delete" onClick={() => run().then(onClose, (e: unknown) => toast.error(e))}>
            Delete {preview.data ? `${preview.data.codeIds.length} code(s) and ${preview.data.codingCount} coding(s)` : ''}
          </Button>
        </>
      }
    >
      {preview.isLoading || !preview.data ? (
        <Spinner />
      ) : (
        <>
          <p>
            This removes {preview.data.codeNames.map((n) => `“${n}”`).join(', ')}, {preview.data.codingCount} coding(s) on {preview.data.quotes.length} quote(s)
            {preview.data.memoCount ? ` and ${preview.data.memoCount} memo(s)` : ''}. Undo (Ctrl+Z) brings all of it back.
          </p>
          <table className="grid-table" data-testid="delete-preview">
            <tbody>
              {preview.data.quotes.map((q, i) => (
                <tr key={`${q.segmentId}-${q.codeId}-${i}`}>
                  <td>{q.codeName}</td>
                  <td className="cb-quote-cell">{q.text}</td>
                  <td>{q.documentName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Dialog>
  );
}

/** The undo list, newest first: what Ctrl+Z will take back, and what Ctrl+Shift+Z would bring back. */
function HistoryList() {
  const history = useCall('history.list', { limit: 30 });
  const entries = history.data ?? [];
  if (entries.length === 0) return null;
  return (
    <details className="cb-history">
      <summary>Recent changes ({entries.length})</summary>
      <ol className="cb-plain" data-testid="history-list">
        {entries.map((e) => (
          <li key={e.id} className={e.state === 'undone' ? 'muted' : undefined}>
            {e.state === 'undone' ? '↶ ' : ''}
            {e.label} <span className="muted">{new Date(e.createdAt).toLocaleTimeString()}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
