import { useMemo } from 'react';
import { useCall } from '../../api/hooks';
import type { ReadingHighlight } from '../transcripts/ReadingView';
import { percent } from './useReviewQueue';

/**
 * Open suggestions of one document as faint highlights for the reading view
 * (`<ReadingView highlights={[...codings, ...useDocumentSuggestions(id)]} />`).
 */
export function useDocumentSuggestions(documentId: number | null, minScore = 0.5): ReadingHighlight[] {
  const list = useCall(
    'suggest.list',
    { documentId: documentId ?? 1, minScore, status: 'open', limit: 2000 },
    { enabled: documentId !== null },
  );
  return useMemo(
    () =>
      documentId === null
        ? []
        : (list.data ?? []).map((s) => ({
            id: `suggestion-${s.id}`,
            start: s.start,
            end: s.end,
            color: s.codeColor,
            faint: true,
            title: `Suggested: ${s.codeName} (${percent(s.score)})${s.evidence.terms.length ? ` — ${s.evidence.terms.slice(0, 3).join(', ')}` : ''}`,
          })),
    [documentId, list.data],
  );
}
