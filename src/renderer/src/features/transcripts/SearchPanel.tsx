import { useState } from 'react';
import type { Input } from '../../../../shared/contract/index';
import { errorMessage, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, Spinner } from '../../ui/components';
import { formatMs } from './ReadingView';
import { currentLanguage, formatNumber, t } from '../../i18n';
import { compareAttributeValues } from '../participants/sort';

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
    const type = grid.data?.attributes.find((a) => a.id === attributeId)?.type === 'number' ? 'number' : 'text';
    const set = new Set<string>();
    for (const p of grid.data?.participants ?? []) {
      const v = p.values[String(attributeId)];
      if (v !== null && v !== undefined) set.add(String(v));
    }
    return [...set].sort((a, b) => compareAttributeValues(a, b, type, currentLanguage()));
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
          aria-label={t('search.aria')}
          placeholder={t('search.placeholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="search-input"
        />
        <Button variant="primary" type="submit">
          {t('search.search')}
        </Button>
      </form>
      <div className="filters">
        <label>
          {t('search.in')}{' '}
          <select value={kind} onChange={(e) => (setOffset(0), setKind(e.target.value as typeof kind))}>
            <option value="all">{t('search.kindAll')}</option>
            <option value="transcript">{t('search.kindTranscript')}</option>
            <option value="survey_text">{t('search.kindSurvey')}</option>
          </select>
        </label>
        <label>
          {t('search.saidBy')}{' '}
          <select value={speakers} onChange={(e) => (setOffset(0), setSpeakers(e.target.value as typeof speakers))}>
            <option value="participants">{t('search.participants')}</option>
            <option value="interviewers">{t('search.interviewers')}</option>
            <option value="all">{t('search.anyone')}</option>
          </select>
        </label>
        {(grid.data?.attributes ?? []).map((a) => (
          <label key={a.id}>
            {a.name}{' '}
            <select
              aria-label={t('search.filterBy', { name: a.name })}
              value={filters[a.id] ?? ''}
              onChange={(e) => {
                setOffset(0);
                setFilters((f) => ({ ...f, [a.id]: e.target.value }));
              }}
            >
              <option value="">{t('search.any')}</option>
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
        <p className="muted">{t('search.hint')}</p>
      ) : result.isPending ? (
        <Spinner label={t('search.searching')} />
      ) : result.isError ? (
        <div className="tx-error" role="alert">
          {errorMessage(result.error)}
        </div>
      ) : (
        <>
          <div className="muted" data-testid="search-count">
            {t('search.matches', {
              count: result.data.total,
              total: `${formatNumber(result.data.total)}${result.data.totalIsCapped || !result.data.totalCounted ? '+' : ''}`,
              ms: result.data.tookMs,
            })}
          </div>
          <ol className="kwic" data-testid="search-results">
            {result.data.hits.map((hit) => (
                <li
                  key={`${hit.turnId}-${hit.start}`}
                  tabIndex={0}
                  data-testid="search-hit"
                  onClick={() => navigate(`transcripts/${hit.documentId}?at=${hit.start}&len=${hit.end - hit.start}`)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') navigate(`transcripts/${hit.documentId}?at=${hit.start}&len=${hit.end - hit.start}`);
                  }}
                >
                  <div className="kwic-who" title={[hit.documentName, hit.speaker ?? '', hit.participantName ?? ''].filter(Boolean).join(' · ')}>
                    <div>{hit.documentName}</div>
                    <div>
                      {hit.speaker ?? (hit.respondentRow !== null ? t('search.respondentRow', { row: hit.respondentRow + 1 }) : '')}
                      {hit.participantName && hit.participantName !== hit.speaker ? ` · ${hit.participantName}` : ''}
                      {hit.startMs !== null ? ` · ${formatMs(hit.startMs)}` : ''}
                    </div>
                    {Object.keys(hit.attributes).length > 0 && (
                      <div title={t('search.attributes')}>{Object.values(hit.attributes).filter((v) => v !== null).join(', ')}</div>
                    )}
                  </div>
                  {/* The match sits in the middle column, between two equal flexible ones: it stays centred
                      and on screen at any width, the context on each side clipped away from it. */}
                  <div className="kwic-left">
                    <span>{hit.left}</span>
                  </div>
                  <mark className="kwic-match" data-testid="kwic-match">
                    {hit.match}
                  </mark>
                  <div className="kwic-right">{hit.right}</div>
                </li>
              ))}
          </ol>
          {(offset > 0 || result.data.hasMore) && (
            <div className="search-bar">
              <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t('search.previous')}
              </Button>
              <span className="muted">
                {t('search.range', { from: offset + 1, to: Math.min(result.data.total, offset + PAGE), total: formatNumber(result.data.total) })}
              </span>
              <Button disabled={!result.data.hasMore} onClick={() => setOffset(offset + PAGE)}>
                {t('search.next')}
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
