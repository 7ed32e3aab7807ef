import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { SuggestionItem } from '../../../../shared/contract/suggest';
import { getBridge } from '../../api/bridge';
import { inOrder } from '../../api/write-queue';
import { useToast } from '../../ui/toast';

export type Decision = 'accept' | 'reject';

/** A short quote of a passage for a toast. */
export function snippet(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A score as a percentage. Rounding must not claim certainty the model does not have: anything
 * below 1 shows at most 99%.
 */
export function percent(score: number): string {
  return `${score >= 1 ? 100 : Math.min(99, Math.round(score * 100))}%`;
}

/** Marks a decision's key press; the card's removal is measured against it (`suggest-decision`). */
function markDecision(id: number): void {
  performance.mark(`suggest-decided-${id}`);
}

/**
 * The review queue as the user sees it: a decision takes its card out at once (before the core
 * answers), the toast names that decision, and the order changes only when a decision is made, never
 * while the user is reading (rescored suggestions arriving from the background retrain keep their
 * place until the next decision). Failed writes put the card back with the reason.
 */
export function useReviewQueue(items: readonly SuggestionItem[], open: boolean) {
  const client = useQueryClient();
  const toast = useToast();
  const [order, setOrder] = useState<number[]>([]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [current, setCurrent] = useState(0);
  const measuring = useRef<number[]>([]);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  // Read through refs so `decide` stays the same function and memoised cards do not re-render.
  const byIdRef = useRef(byId);
  const hiddenRef = useRef(hidden);
  byIdRef.current = byId;
  hiddenRef.current = hidden;

  // New data keeps the order already shown; suggestions that appeared go last.
  useEffect(() => {
    setOrder((prev) => {
      const kept = prev.filter((id) => byId.has(id));
      const seen = new Set(kept);
      return [...kept, ...items.filter((i) => !seen.has(i.id)).map((i) => i.id)];
    });
  }, [items, byId]);

  const visible = useMemo(
    () => order.map((id) => byId.get(id)).filter((i): i is SuggestionItem => !!i && !(open && hidden.has(i.id))),
    [order, byId, hidden, open],
  );

  useEffect(() => {
    if (current >= visible.length && visible.length > 0) setCurrent(visible.length - 1);
  }, [visible.length, current]);

  // The card is gone in the DOM about to be painted: measure from the key press.
  useLayoutEffect(() => {
    for (const id of measuring.current.splice(0)) {
      const mark = `suggest-decided-${id}`;
      requestAnimationFrame(() => {
        performance.measure('suggest-decision', { start: mark, detail: { id } });
      });
    }
  }, [hidden]);

  const decide = useCallback(
    (item: SuggestionItem | undefined, action: Decision, span?: { start: number; end: number }) => {
      if (!item || item.status !== 'open' || hiddenRef.current.has(item.id)) return;
      markDecision(item.id);
      measuring.current.push(item.id);
      setHidden((prev) => new Set(prev).add(item.id));
      // Between decisions: what is below the cursor takes the newest scores' order.
      setOrder((prev) => {
        const at = prev.indexOf(item.id);
        const head = prev.slice(0, at + 1);
        const scores = byIdRef.current;
        const tail = prev.slice(at + 1).sort((a, b) => (scores.get(b)?.score ?? 0) - (scores.get(a)?.score ?? 0) || a - b);
        return [...head, ...tail];
      });
      const done = action === 'accept' ? 'Accepted' : 'Rejected';
      // Part of a passage is this passage only; a whole one covers the same answer everywhere.
      const ids = span ? [item.id] : [item.id, ...item.duplicates];
      const words = span ? item.text.slice(span.start - item.start, span.end - item.start) : item.text;
      const times = ids.length > 1 ? ` and the same answer ${ids.length - 1} more times` : '';
      toast.show({ kind: 'success', text: `${done} "${item.codeName}" for “${snippet(words)}”${times} (Ctrl+Z undoes it).` });
      const unhide = () =>
        setHidden((prev) => {
          const next = new Set(prev);
          next.delete(item.id);
          return next;
        });
      inOrder(() => getBridge().call('suggest.review', span ? { action, ids, span } : { action, ids })).then(
        // Shown again only from data read after the write: gone, or back because it was undone.
        () => client.invalidateQueries().then(unhide, unhide),
        (error: unknown) => {
          unhide();
          toast.error(error);
          void client.invalidateQueries();
        },
      );
    },
    [client, toast],
  );

  return { visible, current, setCurrent, decide };
}
