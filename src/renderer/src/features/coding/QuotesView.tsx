import { useState } from 'react';
import type { Quote } from '../../../../shared/contract/coding';
import { useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, EmptyState, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { t } from '../../i18n';

type Sort = 'document' | 'speaker' | 'participant' | 'wave' | 'length' | 'created';

/** Who said it: the participant, else the speaker, else (open-ended answers) the respondent's row. */
function whoOf(q: Quote): string | null {
  return q.participant ?? q.speaker ?? (q.respondentRow !== null ? `Respondent ${q.respondentRow + 1}` : null);
}

function attribution(q: Quote): string {
  const who = [whoOf(q), q.wave].filter(Boolean).join(', ');
  return `“${q.text}” (${who ? `${who}; ` : ''}${q.documentName})`;
}

/** Every quote of a code, with who said it, filterable by speaker, wave and attributes. */
export function QuotesView({ codeId }: { codeId: number | null }) {
  const toast = useToast();
  const codes = useCall('codes.list', {});
  const [subcodes, setSubcodes] = useState(true);
  const [search, setSearch] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [wave, setWave] = useState('');
  const [starred, setStarred] = useState(false);
  const [attribute, setAttribute] = useState('');
  const [attributeValue, setAttributeValue] = useState('');
  const [sort, setSort] = useState<Sort>('document');
  const [descending, setDescending] = useState(false);
  const [limit, setLimit] = useState(500);
  const filters = {
    ...(search.trim() ? { search: search.trim() } : {}),
    ...(speaker ? { speaker } : {}),
    ...(wave ? { wave } : {}),
    ...(starred ? { starred: true } : {}),
    ...(attribute && attributeValue ? { attributes: { [attribute]: attributeValue } } : {}),
  };
  const quotes = useCall('quotes.list', { codeId: codeId ?? 0, includeSubcodes: subcodes, filters, sort, descending, limit }, { enabled: codeId !== null });
  const code = codes.data?.find((c) => c.id === codeId);

  const copy = async (list: Quote[]) => {
    try {
      await navigator.clipboard.writeText(list.map(attribution).join('\n\n'));
      toast.show({ kind: 'success', text: `Copied ${list.length} quote${list.length === 1 ? '' : 's'}.` });
    } catch {
      toast.show({ kind: 'error', text: t('coding.quotes.noClipboard') });
    }
  };

  return (
    <div className="cb-stack">
      <div className="cb-row cb-wrap">
        <label className="cb-inline">
          Code{' '}
          <select aria-label={t('coding.quotes.code')} value={codeId ?? ''} onChange={(e) => navigate(`codebook/quotes/${e.target.value}`)}>
            <option value="">{t('coding.quotes.chooseCode')}</option>
            {(codes.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.totalQuoteCount})
              </option>
            ))}
          </select>
        </label>
        <label className="cb-inline">
          <input type="checkbox" checked={subcodes} onChange={(e) => setSubcodes(e.target.checked)} /> with sub-codes
        </label>
        <input aria-label={t('coding.quotes.search')} placeholder={t('coding.quotes.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label={t('coding.quotes.speaker')} value={speaker} onChange={(e) => setSpeaker(e.target.value)}>
          <option value="">{t('coding.quotes.anySpeaker')}</option>
          {(quotes.data?.speakers ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label={t('coding.quotes.wave')} value={wave} onChange={(e) => setWave(e.target.value)}>
          <option value="">{t('coding.quotes.anyWave')}</option>
          {(quotes.data?.waves ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label={t('coding.quotes.attribute')} value={attribute} onChange={(e) => setAttribute(e.target.value)}>
          <option value="">{t('coding.quotes.anyAttribute')}</option>
          {(quotes.data?.attributeNames ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        {attribute && <input aria-label={t('coding.quotes.attributeValue')} placeholder={`${attribute} =`} value={attributeValue} onChange={(e) => setAttributeValue(e.target.value)} />}
        <label className="cb-inline">
          <input type="checkbox" checked={starred} onChange={(e) => setStarred(e.target.checked)} /> starred only
        </label>
        <select aria-label={t('coding.quotes.sortBy')} value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          <option value="document">{t('coding.quotes.sortDocument')}</option>
          <option value="participant">{t('coding.quotes.sortParticipant')}</option>
          <option value="speaker">{t('coding.quotes.sortSpeaker')}</option>
          <option value="wave">{t('coding.quotes.sortWave')}</option>
          <option value="length">{t('coding.quotes.sortLength')}</option>
          <option value="created">{t('coding.quotes.sortCreated')}</option>
        </select>
        <Button onClick={() => setDescending((d) => !d)} aria-label={t('coding.quotes.reverse')}>
          {descending ? '↓' : '↑'}
        </Button>
        <Button disabled={!quotes.data?.quotes.length} onClick={() => void copy(quotes.data?.quotes ?? [])}>
          {t('coding.quotes.copyAll')}
        </Button>
      </div>
      {codeId === null ? (
        <EmptyState title={t('coding.quotes.emptyTitle')}>{t('coding.quotes.emptyText')}</EmptyState>
      ) : quotes.isLoading ? (
        <Spinner />
      ) : (
        <>
          <p className="muted" data-testid="quotes-count">
            {quotes.data?.total ?? 0} quote{quotes.data?.total === 1 ? '' : 's'} for “{code?.name}”
          </p>
          <table className="grid-table" data-testid="quotes-table">
            <thead>
              <tr>
                <th>{t('coding.quotes.quote')}</th>
                <th>{t('coding.quotes.who')}</th>
                <th>{t('coding.quotes.wave')}</th>
                <th>{t('coding.quotes.attributes')}</th>
                <th>{t('coding.quotes.document')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(quotes.data?.quotes ?? []).map((q) => (
                <tr key={q.segmentId}>
                  <td className="cb-quote-cell">
                    {q.starred && <span title={t('coding.quotes.starred')}>★ </span>}
                    {q.text}
                  </td>
                  <td>
                    {whoOf(q) ?? '—'}
                    {q.speaker && q.speaker !== q.participant ? <div className="muted">{q.speaker}</div> : null}
                  </td>
                  <td>{q.wave ?? ''}</td>
                  <td className="muted">
                    {Object.entries(q.attributes)
                      .map(([k, v]) => `${k}: ${v ?? ''}`)
                      .join(' · ')}
                  </td>
                  <td>{q.documentName}</td>
                  <td className="cb-nowrap">
                    <button type="button" className="link" onClick={() => navigate(`codebook/code/${q.documentId}?at=${q.start}&segment=${q.segmentId}`)}>
                      {t('coding.quotes.context')}
                    </button>{' '}
                    <button type="button" className="link" onClick={() => void copy([q])}>
                      {t('coding.quotes.copy')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {(quotes.data?.quotes.length ?? 0) < (quotes.data?.total ?? 0) && (
            <div className="cb-row">
              <span className="muted">
                Showing {quotes.data?.quotes.length.toLocaleString()} of {quotes.data?.total.toLocaleString()}.
              </span>
              <Button onClick={() => setLimit((l) => l + 500)}>{t('coding.quotes.more')}</Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
