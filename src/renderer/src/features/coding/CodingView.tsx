import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Code, Segment } from '../../../../shared/contract/coding';
import { useAction, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, EmptyState, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { ReadingView, type ReadingHighlight } from '../transcripts/ReadingView';
import { MemoDialog } from './MemoDialog';
import { CodePalette } from './palette';
import { useDocumentSuggestions } from '../suggest/useDocumentSuggestions';
import { AddToFinding } from '../findings/AddToFinding';
import { t } from '../../i18n';

interface TextSelection {
  start: number;
  end: number;
}

/** Selections often catch a space or line break at either end: the quote should not. */
function trimSpan(text: string, span: TextSelection): TextSelection | null {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}

export function CodingView({ documentId, focusSegment, at }: { documentId: number; focusSegment?: number; at?: number }) {
  const toast = useToast();
  const detail = useCall('documents.get', { id: documentId });
  const segments = useCall('segments.list', { documentId });
  // Open suggestions show as faint highlights under the coded passages.
  const suggested = useDocumentSuggestions(documentId);
  const codes = useCall('codes.list', {});
  const apply = useAction('codings.apply');
  const inVivo = useAction('codings.applyInVivo');
  const [selection, setSelectionState] = useState<TextSelection | null>(null);
  // The key handler reads the latest selection without re-subscribing on every change.
  const selected = useRef<TextSelection | null>(null);
  const setSelection = useCallback((span: TextSelection | null) => {
    selected.current = span;
    setSelectionState(span);
  }, []);
  const [palette, setPalette] = useState<TextSelection | null>(null);
  const [activeSegment, setActiveSegment] = useState<number | null>(focusSegment ?? null);
  const [memoOpen, setMemoOpen] = useState(false);

  const codeById = useMemo(() => new Map((codes.data ?? []).map((c) => [c.id, c])), [codes.data]);
  const text = detail.data?.text ?? '';

  const codeSelection = useCallback(
    (span: TextSelection | null, code: Code) => {
      const trimmed = span && trimSpan(text, span);
      if (!trimmed) {
        toast.show({ kind: 'info', text: t('coding.view.selectFirst') });
        return;
      }
      apply.mutate(
        { documentId, start: trimmed.start, end: trimmed.end, codeId: code.id },
        {
          onSuccess: (result) => {
            setActiveSegment(result.segmentId);
            window.getSelection()?.removeAllRanges();
            setSelection(null);
          },
          onError: (error) => toast.error(error),
        },
      );
    },
    [apply, documentId, setSelection, text, toast],
  );

  const codeInVivo = useCallback(
    (span: TextSelection | null) => {
      const trimmed = span && trimSpan(text, span);
      if (!trimmed) return;
      inVivo.mutate(
        { documentId, ...trimmed },
        {
          onSuccess: (result) => {
            setActiveSegment(result.segmentId);
            toast.show({ kind: 'success', text: t('coding.view.newCode', { name: result.code.name }) });
          },
          onError: (error) => toast.error(error),
        },
      );
    },
    [documentId, inVivo, text, toast],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (palette) return;
      const span = selected.current;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPalette(span ?? { start: -1, end: -1 });
        return;
      }
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'i') {
        event.preventDefault();
        codeInVivo(span);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || !span) return;
      const code = (codes.data ?? []).find((c) => c.shortcut && c.shortcut.toLowerCase() === event.key.toLowerCase());
      if (code) {
        event.preventDefault();
        codeSelection(span, code);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [codeInVivo, codeSelection, codes.data, palette]);

  if (detail.isLoading || segments.isLoading || codes.isLoading) return <Spinner />;
  if (detail.error) return <EmptyState title={t('coding.view.notOpened')}>{detail.error.message}</EmptyState>;
  if (!detail.data) return null;

  const allSegments = segments.data ?? [];
  const active = allSegments.find((s) => s.id === activeSegment) ?? null;
  const highlights: ReadingHighlight[] = [...suggested, ...allSegments
    .filter((s) => s.codings.length > 0 || s.starred)
    .map((s) => {
      const names = s.codings.map((c) => codeById.get(c.codeId)?.name).filter(Boolean);
      return {
        id: s.id,
        start: s.start,
        end: s.end,
        color: (s.codings[0] && codeById.get(s.codings[0].codeId)?.color) || '#868e96',
        title: `${names.join(', ')}${s.starred ? ' ★' : ''}`,
      };
    })];

  return (
    <div className="cb-coding">
      <div className="cb-reader-wrap">
        <div className="cb-toolbar">
          <strong title={detail.data.document.name}>{detail.data.document.name}</strong>
          <span className="muted" data-testid="selection-status">
            {selection ? t('coding.view.selected', { count: selection.end - selection.start }) : t('coding.view.selectHint')}
          </span>
          <Button disabled={!selection} onClick={() => setPalette(selected.current)}>
            {t('coding.view.applyCode')} <kbd>Ctrl+K</kbd>
          </Button>
          <Button disabled={!selection} onClick={() => codeInVivo(selected.current)} title={t('coding.view.inVivoTitle')}>
            {t('coding.view.inVivo')}
          </Button>
          <Button onClick={() => setMemoOpen(true)}>{t('coding.view.documentMemos')}</Button>
        </div>
        <div
          className="cb-reader"
          data-testid="coding-reader"
          onClick={(event) => {
            // A click (not a drag) on coded text opens that quote.
            if (window.getSelection()?.isCollapsed === false) return;
            const mark = (event.target as HTMLElement).closest<HTMLElement>('[data-highlight]');
            const ids = mark?.dataset.highlight?.split(' ').map(Number) ?? [];
            const last = ids[ids.length - 1];
            if (last) setActiveSegment(last);
          }}
        >
          <ReadingView
            documentId={documentId}
            highlights={highlights}
            onSelectionChange={(range) => setSelection(range ? { start: range.start, end: range.end } : null)}
            {...(at !== undefined ? { scrollToChar: at } : {})}
            style={{ height: '68vh' }}
            renderTurnMargin={(turn) => (
              <div className="cb-margin" aria-label="Codes in this turn">
                {allSegments
                  .filter((s) => s.start < turn.end && s.end > turn.start)
                  .flatMap((s) =>
                    s.codings.map((c) => {
                      const code = codeById.get(c.codeId);
                      return (
                        <button
                          type="button"
                          key={c.codingId}
                          className={`cb-chip ${s.id === activeSegment ? 'cb-chip-active' : ''}`}
                          style={{ borderLeftColor: code?.color ?? '#999' }}
                          onClick={() => setActiveSegment(s.id)}
                          title={s.text}
                        >
                          {code?.name ?? '?'}
                          {s.starred ? ' ★' : ''}
                        </button>
                      );
                    }),
                  )}
              </div>
            )}
          />
        </div>
      </div>
      <aside className="cb-side">
        {active ? <QuotePanel key={active.id} segment={active} codes={codeById} text={text} selection={selection} onClose={() => setActiveSegment(null)} /> : <p className="muted">{t('coding.view.clickPassage')}</p>}
      </aside>
      {memoOpen && <MemoDialog title={t('coding.view.memosOn', { name: detail.data.document.name })} targetKind="document" targetId={documentId} onClose={() => setMemoOpen(false)} />}
      <CodePalette
        open={palette !== null}
        codes={codes.data ?? []}
        onClose={() => setPalette(null)}
        onPick={(code) => {
          const span = palette;
          setPalette(null);
          codeSelection(span && span.start >= 0 ? span : null, code);
        }}
        onInVivo={() => {
          const span = palette;
          setPalette(null);
          codeInVivo(span && span.start >= 0 ? span : null);
        }}
      />
    </div>
  );
}

/** Moves a boundary to the next or previous word edge. */
function step(text: string, at: number, direction: 1 | -1): number {
  let i = at + direction;
  while (i > 0 && i < text.length && !(/\s/.test(text[i - 1]!) !== /\s/.test(text[i]!))) i += direction;
  return Math.max(0, Math.min(text.length, i));
}

function QuotePanel({
  segment,
  codes,
  text,
  selection,
  onClose,
}: {
  segment: Segment;
  codes: Map<number, Code>;
  text: string;
  selection: TextSelection | null;
  onClose: () => void;
}) {
  const toast = useToast();
  const remove = useAction('codings.remove');
  const star = useAction('segments.star');
  const adjust = useAction('segments.adjust');
  const saveMemo = useAction('memos.save');
  const memos = useCall('memos.list', { targetKind: 'segment', targetId: segment.id });
  const memo = memos.data?.[0];
  const [draft, setDraft] = useState<string | null>(null);
  const onError = { onError: (e: unknown) => toast.error(e) };
  const move = (which: 'start' | 'end', direction: 1 | -1) => {
    const start = which === 'start' ? step(text, segment.start, direction) : segment.start;
    const end = which === 'end' ? step(text, segment.end, direction) : segment.end;
    if (end > start) adjust.mutate({ id: segment.id, start, end }, onError);
  };
  return (
    <div className="cb-quote-panel" data-testid="quote-panel">
      <header className="cb-row">
        <h3 className="cb-grow">{t('coding.view.quote')}</h3>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <blockquote className="cb-quote">{segment.text}</blockquote>
      <div className="cb-row">
        <Button onClick={() => move('start', -1)} title={t('coding.view.startEarlier')}>
          ◀ start
        </Button>
        <Button onClick={() => move('start', 1)} title={t('coding.view.startLater')}>
          start ▶
        </Button>
        <Button onClick={() => move('end', -1)} title={t('coding.view.endEarlier')}>
          ◀ end
        </Button>
        <Button onClick={() => move('end', 1)} title={t('coding.view.endLater')}>
          end ▶
        </Button>
      </div>
      {selection && (selection.start !== segment.start || selection.end !== segment.end) && (
        <Button onClick={() => adjust.mutate({ id: segment.id, start: selection.start, end: selection.end }, onError)} title={t('coding.view.useSelectionTitle')}>
          {t('coding.view.useSelection')}
        </Button>
      )}
      <ul className="cb-plain">
        {segment.codings.map((c) => (
          <li key={c.codingId} className="cb-row">
            <span className="cb-swatch" style={{ background: codes.get(c.codeId)?.color }} />
            <span className="cb-grow">{codes.get(c.codeId)?.name}</span>
            {c.source !== 'human' && <span className="badge">{c.source}</span>}
            <button type="button" className="link" onClick={() => remove.mutate({ codingId: c.codingId }, onError)}>
              {t('coding.view.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="cb-row">
        <Button onClick={() => star.mutate({ id: segment.id, starred: !segment.starred }, onError)} aria-pressed={segment.starred}>
          {segment.starred ? t('coding.view.starred') : t('coding.view.star')}
        </Button>
        <Button onClick={() => navigate(`codebook/quotes/${segment.codings[0]?.codeId ?? ''}`)} disabled={!segment.codings.length}>
          {t('coding.view.quotesOfCode')}
        </Button>
      </div>
      <AddToFinding segmentId={segment.id} />
      <label className="field">
        <span className="field-label">{t('coding.view.memo')}</span>
        <textarea rows={5} value={draft ?? memo?.body ?? ''} onChange={(e) => setDraft(e.target.value)} aria-label={t('coding.view.memoOnQuote')} />
      </label>
      <Button
        disabled={draft === null}
        onClick={() =>
          saveMemo.mutate(
            { ...(memo ? { id: memo.id } : {}), targetKind: 'segment', targetId: segment.id, body: draft ?? '' },
            { onSuccess: () => setDraft(null), ...onError },
          )
        }
      >
        {t('coding.view.saveMemo')}
      </Button>
    </div>
  );
}
