import { useState } from 'react';
import type { Input } from '../../../../shared/contract/index';
import { errorMessage, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, Spinner } from '../../ui/components';
import { formatMs } from './ReadingView';

type SearchInput = Input<'search.run'>;
const PAGE = 50;

/** Search across transcripts and open-ended answers; a result opens its passage in the reading view. */
export function SearchPanel({ initialQuery = '' }: { initialQuery?: string }) {
  const [draft, setDraft] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery);
  const [kind, setKind] = useState<'all' | 'transcript' | 'survey_text'>('all');
  const [speakers, setSpeakers] = useState<'all' | 'participants' | 'interviewers'>('all');
  const [filters, setFilters] = useState<Record<number, string>>({});
  const [offset, setOffset] = useState(0);
  const grid = useCall('participants.list', {});

  const input: SearchInput = {
    query,
    speakers,
    offset,
    limit: PAGE,
    ...(kind !== 'all' ? { kinds: [kind] } : {}),
    filters: Object.entries(filters)
      .filter(([, v]) => v !== '')
      .map(([attributeId, v]) => {
        const attribute = grid.data?.attributes.find((a) => a.id === Number(attributeId));
        return { attributeId: Number(attributeId), values: [attribute?.type === 'number' ? Number(v) : v] };
      }),
  };
  const result = useCall('search.run', input, { enabled: query.trim() !== '' });

  const valuesOf = (attributeId: number): string[] => {
    const set = new Set<string>();
    for (const p of grid.data?.participants ?? []) {
      const v = p.values[String(attributeId)];
      if (v !== null && v !== undefined) set.add(String(v));
    }
    return [...set].sort();
  };

  return (
    <div className="panel" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <form
        className="search-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQuery(draft.trim());
        }}
      >
        <input
          type="search"
          aria-label="Search transcripts and answers"
          placeholder='Words, "exact phrases", prefix*, AND / OR / NOT'
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="search-input"
        />
        <Button variant="primary" type="submit">
          Search
        </Button>
      </form>
      <div className="filters">
        <label>
          In{' '}
          <select value={kind} onChange={(e) => (setOffset(0), setKind(e.target.value as typeof kind))}>
            <option value="all">transcripts and survey answers</option>
            <option value="transcript">transcripts</option>
            <option value="survey_text">survey answers</option>
          </select>
        </label>
        <label>
          Said by{' '}
          <select value={speakers} onChange={(e) => (setOffset(0), setSpeakers(e.target.value as typeof speakers))}>
            <option value="participants">participants</option>
            <option value="interviewers">interviewers</option>
            <option value="all">anyone</option>
          </select>
        </label>
        {(grid.data?.attributes ?? []).map((a) => (
          <label key={a.id}>
            {a.name}{' '}
            <select
              aria-label={`Filter by ${a.name}`}
              value={filters[a.id] ?? ''}
              onChange={(e) => {
                setOffset(0);
                setFilters((f) => ({ ...f, [a.id]: e.target.value }));
              }}
            >
              <option value="">any</option>
              {valuesOf(a.id).map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {query === '' ? (
        <p className="muted">Type a word or a phrase. Chinese and Japanese are found inside sentences too.</p>
      ) : result.isPending ? (
        <Spinner label="Searching…" />
      ) : result.isError ? (
        <div className="tx-error" role="alert">
          {errorMessage(result.error)}
        </div>
      ) : (
        <>
          <div className="muted" data-testid="search-count">
            {result.data.total.toLocaleString()}
            {result.data.totalIsCapped || !result.data.totalCounted ? '+' : ''} {result.data.total === 1 ? 'match' : 'matches'} ({result.data.tookMs} ms)
          </div>
          <table className="kwic" data-testid="search-results">
            <tbody>
              {result.data.hits.map((hit) => (
                <tr
                  key={`${hit.turnId}-${hit.start}`}
                  tabIndex={0}
                  data-testid="search-hit"
                  onClick={() => navigate(`transcripts/${hit.documentId}?at=${hit.start}&len=${hit.end - hit.start}`)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') navigate(`transcripts/${hit.documentId}?at=${hit.start}&len=${hit.end - hit.start}`);
                  }}
                >
                  <td className="kwic-who">
                    <div>{hit.documentName}</div>
                    <div>
                      {hit.speaker ?? (hit.respondentRow !== null ? `respondent row ${hit.respondentRow + 1}` : '')}
                      {hit.participantName && hit.participantName !== hit.speaker ? ` · ${hit.participantName}` : ''}
                      {hit.startMs !== null ? ` · ${formatMs(hit.startMs)}` : ''}
                    </div>
                    {Object.keys(hit.attributes).length > 0 && (
                      <div title="Participant attributes">{Object.values(hit.attributes).filter((v) => v !== null).join(', ')}</div>
                    )}
                  </td>
                  <td className="kwic-left">
                    <span>{hit.left}</span>
                  </td>
                  <td className="kwic-match">{hit.match}</td>
                  <td className="kwic-right">{hit.right}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(offset > 0 || result.data.hasMore) && (
            <div className="search-bar">
              <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </Button>
              <span className="muted">
                {offset + 1}–{Math.min(result.data.total, offset + PAGE)} of {result.data.total.toLocaleString()}
              </span>
              <Button disabled={!result.data.hasMore} onClick={() => setOffset(offset + PAGE)}>
                Next
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
