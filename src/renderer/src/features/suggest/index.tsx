import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SentimentLabel, SuggestionItem, ThemePassage, ThemesResult } from '../../../../shared/contract/suggest';
import { useAction, useCall, useJob } from '../../api/hooks';
import { Button, EmptyState, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { ReadingView } from '../transcripts/ReadingView';
import { useDocumentSuggestions } from './useDocumentSuggestions';
import { percent, useReviewQueue } from './useReviewQueue';
import './suggest.css';
import { t } from '../../i18n';

export { useDocumentSuggestions } from './useDocumentSuggestions';

type Status = SuggestionItem['status'];
const EMPTY: SuggestionItem[] = [];

/** The passage with the evidence words marked, so the reason is visible where it is. */
function Marked({ text, terms }: { text: string; terms: string[] }): ReactNode {
  const words = [...new Set(terms.flatMap((t) => t.split(' ')).filter((w) => w.length > 1))];
  if (words.length === 0) return text;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`\\b(${escaped.join('|')})\\w*`, 'gi');
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(<mark key={m.index}>{m[0]}</mark>);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/**
 * The words selected inside a card's passage, as document offsets, or undefined when nothing (or
 * all of it) is selected there: accepting then codes just those words.
 */
function selectedSpan(el: HTMLElement | null, item: SuggestionItem): { start: number; end: number } | undefined {
  const selection = window.getSelection();
  if (!el || !selection || selection.rangeCount === 0 || selection.isCollapsed) return undefined;
  const range = selection.getRangeAt(0);
  if (!el.contains(range.startContainer) || !el.contains(range.endContainer)) return undefined;
  const before = document.createRange();
  before.setStart(el, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  const end = start + range.toString().length;
  if (start <= 0 && end >= item.text.length) return undefined;
  return { start: item.start + start, end: item.start + end };
}

/** Memoised with stable callbacks: a decision re-renders the cards that changed, not the queue. */
const Suggestion = memo(function Suggestion({
  item,
  index,
  current,
  onSelect,
  onDecide,
}: {
  item: SuggestionItem;
  index: number;
  current: boolean;
  onSelect: (index: number) => void;
  onDecide: (item: SuggestionItem, action: 'accept' | 'reject', span?: { start: number; end: number }) => void;
}) {
  const textRef = useRef<HTMLParagraphElement>(null);
  const onAccept = () => onDecide(item, 'accept', selectedSpan(textRef.current, item));
  const onReject = () => onDecide(item, 'reject');
  return (
    <li
      className={`suggest-item ${current ? 'is-current' : ''}`}
      data-testid="suggestion-item"
      data-suggestion-id={item.id}
      aria-current={current}
      onClick={() => onSelect(index)}
    >
      <div className="suggest-item-head">
        <span className="suggest-code">
          <span className="suggest-swatch" style={{ background: item.codeColor }} />
          {item.codeName}
        </span>
        <span className="suggest-score" title={t('suggest.scoreTitle')}>
          {percent(item.score)}
        </span>
        <span className="suggest-doc">{item.documentName}</span>
        {item.duplicates.length > 0 && (
          <span className="suggest-times" data-testid="suggestion-count" title="Identical or nearly identical passages (case, punctuation and spacing aside): one decision covers them all, each gets its own coding">
            this answer, {item.duplicates.length + 1} times
          </span>
        )}
        {item.sentimentLabel && <span className={`suggest-sentiment ${item.sentimentLabel}`}>{t(`suggest.sentiment_${item.sentimentLabel}`)}</span>}
        {item.status !== 'open' && <span className="suggest-status">{t(`suggest.status_${item.status}`)}</span>}
      </div>
      <p className="suggest-text" data-testid="suggestion-text" ref={textRef} title="Select words here, then accept, to code only those words">
        <Marked text={item.text} terms={item.evidence.terms} />
      </p>
      <div className="suggest-evidence">
        {item.evidence.terms.length > 0 && <span>{t('suggest.words', { terms: item.evidence.terms.join(', ') })}</span>}
        {item.evidence.keywords.length > 0 && <span>{t('suggest.keywordsFound', { keywords: item.evidence.keywords.join(', ') })}</span>}
        {item.evidence.similar && (
          <span>
            {t('suggest.similar', { pct: Math.round(item.evidence.similar.similarity * 100) })}
            <blockquote>{item.evidence.similar.text}</blockquote>
          </span>
        )}
      </div>
      {item.status === 'open' && (
        <div className="suggest-actions">
          <Button variant="primary" data-testid="suggest-accept" onClick={(e) => (e.stopPropagation(), onAccept())}>
            {t('suggest.accept')}
          </Button>
          <Button data-testid="suggest-reject" onClick={(e) => (e.stopPropagation(), onReject())}>
            {t('suggest.reject')}
          </Button>
        </div>
      )}
    </li>
  );
});

/**
 * The current suggestion where it sits in its document: the other open suggestions faint, this one
 * solid, scrolled into view, so a passage is judged with what was said around it.
 */
function ContextPanel({ item }: { item: SuggestionItem }) {
  const faint = useDocumentSuggestions(item.documentId, 0.2);
  const highlights = useMemo(
    () => [
      ...faint.filter((h) => h.id !== `suggestion-${item.id}`),
      { id: `current-${item.id}`, start: item.start, end: item.end, color: item.codeColor, title: t('suggest.suggested', { name: item.codeName }) },
    ],
    [faint, item],
  );
  return (
    <section className="suggest-context" aria-label={t('suggest.inContextAria')} data-testid="suggest-context">
      <h2>{t('suggest.inContext', { name: item.documentName })}</h2>
      <ReadingView documentId={item.documentId} highlights={highlights} scrollToChar={item.start} style={{ height: '18rem', overflow: 'auto' }} />
    </section>
  );
}

function ThemesPanel({ onFind, themes, onAdopt }: { onFind: () => void; themes: ThemesResult | null; onAdopt: (name: string, examples: ThemePassage[]) => void }) {
  return (
    <section className="suggest-themes" aria-label={t('suggest.themesAria')}>
      <h2>{t('suggest.themesTitle')}</h2>
      <Button onClick={onFind} data-testid="themes-find">
        {t('suggest.findThemes')}
      </Button>
      {themes && themes.uncodedPassages === 0 && <p>{t('suggest.allCoded')}</p>}
      {themes && themes.phrases.length > 0 && (
        <>
          <h3>{t('suggest.keyPhrases', { count: themes.uncodedPassages })}</h3>
          {themes.phrases.map((p) => (
            <div key={p.phrase} className="suggest-theme" data-testid="theme-phrase">
              <strong>{p.phrase}</strong> · {t('suggest.passages', { count: p.passages })}{' '}
              <Button variant="ghost" onClick={() => onAdopt(p.phrase, p.examples)}>
                {t('suggest.makeCode')}
              </Button>
              <ul>
                {p.examples.slice(0, 2).map((e) => (
                  <li key={`${e.documentId}:${e.start}`}>{e.text.length > 140 ? `${e.text.slice(0, 139)}…` : e.text}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
      {themes && themes.groups.length > 0 && (
        <>
          <h3>{t('suggest.groups')}</h3>
          {themes.groups.map((g) => (
            <div key={g.label} className="suggest-theme" data-testid="theme-group">
              <strong>{g.label}</strong> · {t('suggest.passages', { count: g.size })}{' '}
              <Button variant="ghost" onClick={() => onAdopt(g.phrases[0] ?? g.label, g.examples)}>
                {t('suggest.makeCode')}
              </Button>
              <ul>
                {g.examples.slice(0, 2).map((e) => (
                  <li key={`${e.documentId}:${e.start}`}>{e.text.length > 140 ? `${e.text.slice(0, 139)}…` : e.text}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

export default function SuggestionsPage() {
  const toast = useToast();
  // Accepts, rejects and bulk accepts are operations in the undo log: Ctrl+Z works here too.
  const job = useJob();
  const codes = useCall('codes.list', {});
  const documents = useCall('documents.list', {});
  const [codeId, setCodeId] = useState<number | undefined>();
  const [documentId, setDocumentId] = useState<number | undefined>();
  const [sentiment, setSentiment] = useState<SentimentLabel | undefined>();
  const [status, setStatus] = useState<Status>('open');
  const [unit, setUnit] = useState<'turn' | 'sentence'>('turn');
  const [interviewers, setInterviewers] = useState(false);
  const [threshold, setThreshold] = useState(0.8);
  const [themes, setThemes] = useState<ThemesResult | null>(null);
  const scope = useMemo(
    () => ({ ...(codeId ? { codeId } : {}), ...(documentId ? { documentId } : {}) }),
    [codeId, documentId],
  );
  const list = useCall('suggest.list', { ...scope, status, ...(sentiment ? { sentiment } : {}), limit: 500, group: true });
  const review = useAction('suggest.review');
  const adopt = useAction('suggest.adoptTheme');
  const { visible: items, current, setCurrent, decide } = useReviewQueue(list.data ?? EMPTY, status === 'open');
  // The document view is the heaviest part: it follows the cursor after the card has moved.
  const contextItem = useDeferredValue(items[current]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'j') setCurrent((c) => Math.min(c + 1, Math.max(items.length - 1, 0)));
      else if (event.key === 'k') setCurrent((c) => Math.max(c - 1, 0));
      else if (event.key === 'a') decide(items[current], 'accept');
      else if (event.key === 'r') decide(items[current], 'reject');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, current, decide, setCurrent]);

  useEffect(() => {
    document.querySelector('.suggest-item.is-current')?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  const run = async () => {
    try {
      const result = await job.run('suggest.run', { ...scope, unit, ...(interviewers ? { interviewers } : {}) }, t('suggest.finding'));
      toast.show({ kind: 'success', text: t('suggest.found', { suggestions: result.suggestions, passages: result.passages, trained: result.trainedOn }) });
      setStatus('open');
      setCurrent(0);
    } catch (error) {
      toast.error(error);
    }
  };

  const bulk = () => {
    review.mutate(
      { action: 'accept', threshold, ...scope },
      {
        onSuccess: (r) => toast.show({ kind: 'success', text: t('suggest.bulkDone', { count: r.accepted, pct: Math.round(threshold * 100) }) }),
        onError: (error) => toast.error(error),
      },
    );
  };

  const findThemes = async () => {
    try {
      setThemes(await job.run('suggest.themes', documentId ? { documentId } : {}, t('suggest.lookingThemes')));
    } catch (error) {
      toast.error(error);
    }
  };

  const adoptTheme = (name: string, examples: ThemePassage[]) => {
    adopt.mutate(
      { name, keywords: [name], passages: examples.map((e) => ({ documentId: e.documentId, start: e.start, end: e.end })) },
      {
        onSuccess: (r) => toast.show({ kind: 'success', text: t('suggest.madeCode', { name, count: r.coded }) }),
        onError: (error) => toast.error(error),
      },
    );
  };

  const noCodes = codes.data && codes.data.length === 0;
  return (
    <div className="page">
      <PageHeader title={t('shell.routes.suggestions')}>
        <Button variant="primary" onClick={() => void run()} disabled={!!noCodes} data-testid="suggest-run">
          {t('suggest.findSuggestions')}
        </Button>
      </PageHeader>
      <div className="suggest-toolbar">
        <label>
          {t('suggest.code')}
          <select value={codeId ?? ''} onChange={(e) => setCodeId(e.target.value ? Number(e.target.value) : undefined)} aria-label={t('suggest.code')}>
            <option value="">{t('suggest.allCodes')}</option>
            {(codes.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('suggest.document')}
          <select value={documentId ?? ''} onChange={(e) => setDocumentId(e.target.value ? Number(e.target.value) : undefined)} aria-label={t('suggest.document')}>
            <option value="">{t('suggest.allDocuments')}</option>
            {(documents.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('suggest.passagesLabel')}
          <select value={unit} onChange={(e) => setUnit(e.target.value as 'turn' | 'sentence')} aria-label={t('suggest.passagesLabel')}>
            <option value="turn">{t('suggest.turnsAnswers')}</option>
            <option value="sentence">{t('suggest.sentences')}</option>
          </select>
        </label>
        <label title="Interviewer turns are context, not data: left out unless you ask">
          <span>
            <input type="checkbox" checked={interviewers} onChange={(e) => setInterviewers(e.target.checked)} aria-label="Interviewer turns too" /> Interviewer turns too
          </span>
        </label>
        <label>
          {t('suggest.sentimentLabel')}
          <select value={sentiment ?? ''} onChange={(e) => setSentiment((e.target.value || undefined) as SentimentLabel | undefined)} aria-label={t('suggest.sentimentAria')}>
            <option value="">{t('suggest.any')}</option>
            <option value="positive">{t('suggest.positive')}</option>
            <option value="neutral">{t('suggest.neutral')}</option>
            <option value="negative">{t('suggest.negative')}</option>
          </select>
        </label>
        <label>
          {t('suggest.show')}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)} aria-label={t('suggest.show')} data-testid="suggest-status">
            <option value="open">{t('suggest.toReview')}</option>
            <option value="accepted">{t('suggest.acceptedOpt')}</option>
            <option value="rejected">{t('suggest.rejectedOpt')}</option>
          </select>
        </label>
        <label>
          {t('suggest.acceptFrom')}
          <input
            type="number"
            min={0}
            max={100}
            step={5}
            value={Math.round(threshold * 100)}
            onChange={(e) => setThreshold(Math.min(1, Math.max(0, Number(e.target.value) / 100)))}
            aria-label={t('suggest.threshold')}
          />
        </label>
        <Button onClick={bulk} disabled={status !== 'open' || items.length === 0} data-testid="suggest-bulk">
          {t('suggest.acceptAll', { pct: Math.round(threshold * 100) })}
        </Button>
        <span className="suggest-keys">{t('suggest.keys')}</span>
      </div>
      <div className="suggest-layout">
        <div>
          {list.isLoading ? (
            <Spinner />
          ) : noCodes ? (
            <EmptyState title={t('suggest.needCodes')}>{t('suggest.needCodesText')}</EmptyState>
          ) : items.length === 0 ? (
            <EmptyState title={status === 'open' ? t('suggest.nothing') : t('suggest.noneOf', { status: t(`suggest.status_${status}`) })}>
              {status === 'open'
                ? t('suggest.openHelp')
                : t('suggest.decisions')}
            </EmptyState>
          ) : (
            <ol className="suggest-queue" aria-label={t('suggest.queue')}>
              {items.map((item, i) => (
                <Suggestion
                  key={item.id}
                  item={item}
                  index={i}
                  current={i === current}
                  onSelect={setCurrent}
                  onDecide={decide}
                />
              ))}
            </ol>
          )}
        </div>
        <div className="suggest-side">
          {contextItem && <ContextPanel item={contextItem} />}
          <ThemesPanel onFind={() => void findThemes()} themes={themes} onAdopt={adoptTheme} />
        </div>
      </div>
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
