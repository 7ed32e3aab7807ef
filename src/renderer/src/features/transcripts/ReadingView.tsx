import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import type { DocumentDetail, SpeakerInfo } from '../../../../shared/contract/transcripts';
import { errorMessage, useCall } from '../../api/hooks';
import { Spinner } from '../../ui/components';
import './transcripts.css';
import { t } from '../../i18n';

export interface ReadingHighlight {
  id: string | number;
  /** [start, end) as JavaScript string indices into document.text. */
  start: number;
  end: number;
  color: string;
  title?: string;
  faint?: boolean;
}

export interface ReadingTurn {
  id: number;
  start: number;
  end: number;
}

export interface ReadingViewProps {
  documentId: number;
  highlights?: ReadingHighlight[];
  onSelectionChange?: (range: { start: number; end: number; text: string } | null) => void;
  renderTurnMargin?: (turn: ReadingTurn) => ReactNode;
  /** Scrolls the turn holding this character into view (and marks the spot briefly). */
  scrollToChar?: number;
  className?: string;
  style?: CSSProperties;
}

export function formatMs(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

interface Row {
  id: number;
  start: number;
  end: number;
  speaker: SpeakerInfo | null;
  startMs: number | null;
  respondentRow: number | null;
}

function rowsOf(detail: DocumentDetail): Row[] {
  const speakers = new Map(detail.speakers.map((s) => [s.id, s]));
  if (detail.turns.length === 0) return [{ id: 0, start: 0, end: detail.text.length, speaker: null, startMs: null, respondentRow: null }];
  return detail.turns.map((t) => ({
    id: t.id,
    start: t.start,
    end: t.end,
    speaker: t.speakerId !== null ? (speakers.get(t.speakerId) ?? null) : null,
    startMs: t.startMs,
    respondentRow: t.respondentRow,
  }));
}

/** The text of one turn, cut where highlights begin and end; every piece knows its offset. */
function TurnText({ text, start, end, highlights, flashAt }: { text: string; start: number; end: number; highlights: ReadingHighlight[]; flashAt: number | null }) {
  const inTurn = highlights.filter((h) => h.end > start && h.start < end);
  const cuts = new Set<number>([start, end]);
  for (const h of inTurn) {
    cuts.add(Math.max(start, h.start));
    cuts.add(Math.min(end, h.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: ReactNode[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    if (b <= a) continue;
    const covering = inTurn.filter((h) => h.start <= a && h.end >= b);
    const top = covering[covering.length - 1];
    const style: CSSProperties | undefined = top
      ? {
          // color-mix accepts any CSS colour the caller passes (#hex, rgb(), names).
          backgroundColor: `color-mix(in srgb, ${top.color} ${top.faint ? 14 : 33}%, transparent)`,
          boxShadow: covering.length > 1 ? `inset 0 -2px 0 ${covering[0]?.color ?? top.color}` : undefined,
          outline: top.faint ? `1px dashed ${top.color}` : undefined,
        }
      : undefined;
    pieces.push(
      <span
        key={a}
        data-start={a}
        className={top ? 'rv-mark' : undefined}
        style={style}
        title={covering.map((h) => h.title).filter(Boolean).join(' · ') || undefined}
        data-highlight={top ? covering.map((h) => String(h.id)).join(' ') : undefined}
      >
        {text.slice(a, b)}
      </span>,
    );
  }
  return (
    <div className={`rv-text ${flashAt !== null && flashAt >= start && flashAt <= end ? 'rv-flash' : ''}`} data-turn-start={start}>
      {pieces}
    </div>
  );
}

/** Character offset of a DOM position inside a rendered turn (null when outside any text piece). */
function offsetOf(node: Node | null, offset: number): number | null {
  let el: Node | null = node;
  while (el && !(el instanceof HTMLElement && el.dataset.start !== undefined)) {
    if (el instanceof HTMLElement && el.dataset.turnStart !== undefined) {
      // The position is between pieces: take the start of the piece at `offset`.
      const child = el.childNodes[Math.min(offset, el.childNodes.length - 1)];
      if (child instanceof HTMLElement && child.dataset.start !== undefined) {
        return offset >= el.childNodes.length ? Number(child.dataset.start) + (child.textContent?.length ?? 0) : Number(child.dataset.start);
      }
      return null;
    }
    el = el.parentNode;
  }
  if (!(el instanceof HTMLElement)) {
    // Outside the text (a speaker line, a margin): snap to the start of that turn's text.
    const start = node instanceof Element ? node.closest<HTMLElement>('[data-turn-text-start]') : node?.parentElement?.closest<HTMLElement>('[data-turn-text-start]');
    return start ? Number(start.dataset.turnTextStart) : null;
  }
  const base = Number(el.dataset.start);
  return node?.nodeType === Node.TEXT_NODE ? base + offset : base + (offset > 0 ? (el.textContent?.length ?? 0) : 0);
}

/**
 * A transcript to read (and code): speaker turns with timestamps, virtualized so a 100,000-word
 * interview scrolls smoothly. Offsets everywhere are string indices into document.text.
 */
export function ReadingView({ documentId, highlights = [], onSelectionChange, renderTurnMargin, scrollToChar, className = '', style }: ReadingViewProps) {
  const doc = useCall('documents.get', { id: documentId });
  const parentRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => (doc.data ? rowsOf(doc.data) : []), [doc.data]);
  const text = doc.data?.text ?? '';
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    // ~90 characters a line at the reading width, plus the speaker line.
    estimateSize: (i) => 34 + Math.ceil(((rows[i]?.end ?? 0) - (rows[i]?.start ?? 0)) / 90) * 22,
    overscan: 6,
  });

  useEffect(() => {
    if (scrollToChar === undefined || rows.length === 0) return;
    const index = rows.findIndex((r) => scrollToChar >= r.start && scrollToChar <= r.end);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [scrollToChar, rows, virtualizer]);

  const reportSelection = useCallback(() => {
    if (!onSelectionChange) return;
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed || !parentRef.current) {
      onSelectionChange(null);
      return;
    }
    const range = selection.getRangeAt(0);
    if (!parentRef.current.contains(range.commonAncestorContainer)) {
      onSelectionChange(null);
      return;
    }
    const a = offsetOf(range.startContainer, range.startOffset);
    const b = offsetOf(range.endContainer, range.endOffset);
    if (a === null || b === null || a === b) {
      onSelectionChange(null);
      return;
    }
    let start = Math.min(a, b);
    let end = Math.max(a, b);
    // Trim the blank space a drag picks up at either end.
    while (start < end && /\s/.test(text[start] ?? '')) start++;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    onSelectionChange(end > start ? { start, end, text: text.slice(start, end) } : null);
  }, [onSelectionChange, text]);

  if (doc.isPending) return <Spinner label={t('reading.opening')} />;
  if (doc.isError) return <div className="fatal">{errorMessage(doc.error)}</div>;

  return (
    <div
      ref={parentRef}
      className={`reading-view ${className}`}
      style={style}
      data-testid="reading-view"
      onMouseUp={reportSelection}
      onKeyUp={(e) => {
        if (e.shiftKey || e.key.startsWith('Arrow')) reportSelection();
      }}
      tabIndex={0}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={row.id}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={`rv-turn ${row.speaker?.isInterviewer ? 'rv-interviewer' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
              data-testid="turn"
              data-turn-text-start={row.start}
            >
              <div className="rv-head">
                {row.speaker && (
                  <span className="rv-speaker" title={row.speaker.label ? t('reading.labelInFile', { label: row.speaker.label }) : undefined}>
                    {row.speaker.displayName}
                    {row.speaker.isInterviewer && <span className="badge">{t('reading.interviewer')}</span>}
                    {row.speaker.participantName && <span className="badge">{row.speaker.participantName}</span>}
                  </span>
                )}
                {!row.speaker && row.respondentRow !== null && <span className="rv-speaker">Respondent {row.respondentRow + 1}</span>}
                {row.startMs !== null && <span className="rv-time">{formatMs(row.startMs)}</span>}
              </div>
              <div className="rv-body">
                <TurnText text={text} start={row.start} end={row.end} highlights={highlights} flashAt={scrollToChar ?? null} />
                {renderTurnMargin && <div className="rv-margin">{renderTurnMargin({ id: row.id, start: row.start, end: row.end })}</div>}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

export default ReadingView;
