import { useEffect, useState } from 'react';
import type { Code } from '../../../../shared/contract/coding';
import { getBridge } from '../../api/bridge';
import { useAction, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, Dialog, EmptyState, Field, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { MemoDialog } from '../coding/MemoDialog';
import { formatDate, t } from '../../i18n';

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
      title: t('codebook.editor.importTitle'),
      filters: [{ name: t('codebook.editor.codebooks'), extensions: ['csv', 'xlsx', 'qdc', 'qde', 'qdpx', 'txt'] }],
    });
    const file = files?.[0];
    if (!file) return;
    importBook.mutate(
      { path: file },
      { onSuccess: (r) => toast.show({ kind: 'success', text: t('codebook.editor.imported', { created: r.created, skipped: r.skipped }) }), ...onError },
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
          <input aria-label={t('codebook.editor.newCodeAria')} placeholder={t('codebook.editor.newCode')} value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="new-code-name" />
          <Button type="submit" variant="primary" disabled={!newName.trim()}>
            {t('codebook.editor.addCode')}
          </Button>
        </form>
        <span className="cb-grow" />
        <Button onClick={() => undo.mutate({}, onError)} disabled={!history.data?.canUndo} title={history.data?.undoLabel ? t('codebook.editor.undoTitle', { label: history.data.undoLabel }) : t('codebook.editor.nothingUndo')}>
          {t('codebook.editor.undo')}
        </Button>
        <Button onClick={() => redo.mutate({}, onError)} disabled={!history.data?.canRedo} title={history.data?.redoLabel ? t('codebook.editor.redoTitle', { label: history.data.redoLabel }) : t('codebook.editor.nothingRedo')}>
          {t('codebook.editor.redo')}
        </Button>
        <Button onClick={() => setProjectMemos(true)}>{t('codebook.editor.projectMemos')}</Button>
        <Button onClick={() => void importFile()}>{t('codebook.editor.importMenu')}</Button>
        <Button onClick={() => void exportAs('csv')} disabled={!list.length}>
          Export CSV
        </Button>
        <Button onClick={() => void exportAs('qdc')} disabled={!list.length}>
          {t('codebook.editor.exportQdc')}
        </Button>
      </div>
      <HistoryList />
      {projectMemos && <MemoDialog title={t('codebook.editor.projectMemosTitle')} targetKind="project" targetId={null} onClose={() => setProjectMemos(false)} />}
      {list.length === 0 ? (
        <EmptyState title={t('codebook.editor.emptyTitle')}>
          {t('codebook.editor.emptyText')}
        </EmptyState>
      ) : (
        <div className="cb-split">
          <ul
            className="cb-tree"
            role="tree"
            aria-label={t('codebook.editor.codebookAria')}
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
          {code ? <CodePanel key={code.id} code={code} codes={list} onDeleted={() => setSelected(null)} /> : <p className="muted">{t('codebook.editor.chooseToEdit')}</p>}
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
          {t('codebook.editor.counts', { quotes: code.quoteCount, participants: code.participantCount })}
          {code.totalQuoteCount !== code.quoteCount ? ` ${t('codebook.editor.withSub', { count: code.totalQuoteCount })}` : ''}
        </span>
      </div>
      <div className="cb-form">
        <Field label={t('codebook.editor.name')}>
          <input value={form.name} onChange={set('name')} aria-label={t('codebook.editor.codeName')} />
        </Field>
        <Field label={t('codebook.editor.colour')}>
          <input type="color" value={form.color} onChange={set('color')} aria-label={t('codebook.editor.colour')} />
        </Field>
        <Field label={t('codebook.editor.shortcut')} hint={t('codebook.editor.shortcutHint')}>
          <input value={form.shortcut} maxLength={1} onChange={set('shortcut')} aria-label={t('codebook.editor.shortcut')} data-testid="code-shortcut" />
        </Field>
        <Field label={t('codebook.editor.inside')}>
          <select
            aria-label={t('codebook.editor.parent')}
            value={code.parentId ?? ''}
            onChange={(e) => move.mutate({ id: code.id, parentId: e.target.value ? Number(e.target.value) : null }, onError)}
          >
            <option value="">{t('codebook.editor.topLevel')}</option>
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
      <Field label={t('codebook.editor.definition')}>
        <textarea rows={3} value={form.definition} onChange={set('definition')} aria-label={t('codebook.editor.definition')} />
      </Field>
      <div className="cb-form">
        <Field label={t('codebook.editor.includeWhen')}>
          <textarea rows={2} value={form.inclusion} onChange={set('inclusion')} aria-label={t('codebook.editor.inclusion')} />
        </Field>
        <Field label={t('codebook.editor.excludeWhen')}>
          <textarea rows={2} value={form.exclusion} onChange={set('exclusion')} aria-label={t('codebook.editor.exclusion')} />
        </Field>
      </div>
      <Field label={t('codebook.editor.keywords')} hint={t('codebook.editor.keywordsHint')}>
        <input value={form.keywords} onChange={set('keywords')} aria-label={t('codebook.editor.keywords')} />
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
              { onSuccess: () => toast.show({ kind: 'success', text: t('codebook.editor.saved') }), ...onError },
            )
          }
        >
          {t('codebook.editor.save')}
        </Button>
        <Button onClick={() => navigate(`codebook/quotes/${code.id}`)}>{t('codebook.editor.quotes')}</Button>
        <Button
          aria-label={t('codebook.editor.moveUp')}
          title={t('codebook.editor.moveUpTitle')}
          disabled={siblingIndex <= 0}
          onClick={() => move.mutate({ id: code.id, parentId: code.parentId, position: siblingIndex - 1 }, onError)}
        >
          ↑
        </Button>
        <Button
          aria-label={t('codebook.editor.moveDown')}
          title={t('codebook.editor.moveDownTitle')}
          disabled={siblingIndex >= siblingCount - 1}
          onClick={() => move.mutate({ id: code.id, parentId: code.parentId, position: siblingIndex + 1 }, onError)}
        >
          ↓
        </Button>
        <Button onClick={() => setDialog('merge')}>{t('codebook.editor.mergeInto')}</Button>
        <Button onClick={() => setDialog('split')} disabled={code.quoteCount === 0}>
          Split…
        </Button>
        <Button variant="danger" onClick={() => setDialog('delete')}>
          {t('codebook.editor.deleteMenu')}
        </Button>
      </div>
      <Field label={t('codebook.editor.memo')}>
        <textarea rows={4} value={memo ?? memos.data?.[0]?.body ?? ''} onChange={(e) => setMemo(e.target.value)} aria-label={t('codebook.editor.memo')} />
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
          {t('codebook.editor.saveMemo')}
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
      title={t('codebook.editor.mergeTitle', { name: code.name })}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
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
            {t('codebook.editor.merge')}
          </Button>
        </>
      }
    >
      <p>
        All {code.quoteCount} quote(s), sub-codes and memos of “{code.name}” move to the code you choose; a quote the same coder already gave both codes keeps one. Undo restores it.
      </p>
      <select aria-label={t('codebook.editor.mergeAria')} value={target ?? ''} onChange={(e) => setTarget(e.target.value ? Number(e.target.value) : null)}>
        <option value="">{t('codebook.editor.chooseCode')}</option>
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
      title={t('codebook.editor.splitTitle', { name: code.name })}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" disabled={parts.length === 0} onClick={() => run(parts).then(onClose, (e: unknown) => toast.error(e))}>
            {t('codebook.editor.split')}
          </Button>
        </>
      }
    >
      <p>{t('codebook.editor.splitHelp', { name: code.name })}</p>
      <div className="cb-row cb-wrap">
        {names.map((n, i) => (
          <input key={i} aria-label={t('codebook.editor.subCode', { n: i + 1 })} placeholder={t('codebook.editor.subCode', { n: i + 1 })} value={n} onChange={(e) => setNames((list) => list.map((x, j) => (j === i ? e.target.value : x)))} />
        ))}
        <Button onClick={() => setNames((list) => [...list, ''])}>{t('codebook.editor.anotherSub')}</Button>
      </div>
      <table className="grid-table">
        <tbody>
          {(quotes.data?.quotes ?? []).map((q) => (
            <tr key={q.segmentId}>
              <td className="cb-quote-cell">{q.text}</td>
              <td>
                <select
                  aria-label={t('codebook.editor.goesTo')}
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
                  <option value="">{t('codebook.editor.staysOn', { name: code.name })}</option>
                  {names.map((n, i) => (
                    <option key={i} value={i} disabled={!n.trim()}>
                      {n.trim() || t('codebook.editor.subCode', { n: i + 1 })}
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
      title={t('codebook.editor.deleteTitle', { name: code.name })}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('codebook.editor.keepIt')}</Button>
          <Button variant="danger" data-testid="confirm-delete" onClick={() => run().then(onClose, (e: unknown) => toast.error(e))}>
            {preview.data ? t('codebook.editor.deleteCounts', { codes: preview.data.codeIds.length, codings: preview.data.codingCount }) : t('common.delete')}
          </Button>
        </>
      }
    >
      {preview.isLoading || !preview.data ? (
        <Spinner />
      ) : (
        <>
          <p>
            {t(preview.data.memoCount ? 'codebook.editor.deleteTextMemos' : 'codebook.editor.deleteText', {
              names: preview.data.codeNames.map((n) => `“${n}”`).join(', '),
              codings: preview.data.codingCount,
              quotes: preview.data.quotes.length,
              memos: preview.data.memoCount,
            })}
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
      <summary>{t('codebook.editor.recentChanges', { count: entries.length })}</summary>
      <ol className="cb-plain" data-testid="history-list">
        {entries.map((e) => (
          <li key={e.id} className={e.state === 'undone' ? 'muted' : undefined}>
            {e.state === 'undone' ? '↶ ' : ''}
            {e.label} <span className="muted">{formatDate(e.createdAt, { timeStyle: 'medium' })}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
