import { useState } from 'react';
import type { Quote } from '../../../../shared/contract/coding';
import { useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, EmptyState, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';

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
      toast.show({ kind: 'error', text: 'The clipboard is not available here; select the text and copy it instead.' });
    }
  };

  return (
    <div className="cb-stack">
      <div className="cb-row cb-wrap">
        <label className="cb-inline">
          Code{' '}
          <select aria-label="Code" value={codeId ?? ''} onChange={(e) => navigate(`codebook/quotes/${e.target.value}`)}>
            <option value="">Choose a code…</option>
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
        <input aria-label="Search in quotes" placeholder="Search in quotes" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Speaker" value={speaker} onChange={(e) => setSpeaker(e.target.value)}>
          <option value="">Any speaker</option>
          {(quotes.data?.speakers ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Wave" value={wave} onChange={(e) => setWave(e.target.value)}>
          <option value="">Any wave</option>
          {(quotes.data?.waves ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Attribute" value={attribute} onChange={(e) => setAttribute(e.target.value)}>
          <option value="">Any attribute</option>
          {(quotes.data?.attributeNames ?? []).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        {attribute && <input aria-label="Attribute value" placeholder={`${attribute} =`} value={attributeValue} onChange={(e) => setAttributeValue(e.target.value)} />}
        <label className="cb-inline">
          <input type="checkbox" checked={starred} onChange={(e) => setStarred(e.target.checked)} /> starred only
        </label>
        <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          <option value="document">Sort: document</option>
          <option value="participant">Sort: participant</option>
          <option value="speaker">Sort: speaker</option>
          <option value="wave">Sort: wave</option>
          <option value="length">Sort: length</option>
          <option value="created">Sort: when coded</option>
        </select>
        <Button onClick={() => setDescending((d) => !d)} aria-label="Reverse order">
          {descending ? '↓' : '↑'}
        </Button>
        <Button disabled={!quotes.data?.quotes.length} onClick={() => void copy(quotes.data?.quotes ?? [])}>
          Copy all
        </Button>
      </div>
      {codeId === null ? (
        <EmptyState title="Choose a code to read its quotes.">Every passage coded with it, with who said it, in which wave and with their attributes.</EmptyState>
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
                <th>Quote</th>
                <th>Who</th>
                <th>Wave</th>
                <th>Attributes</th>
                <th>Document</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(quotes.data?.quotes ?? []).map((q) => (
                <tr key={q.segmentId}>
                  <td className="cb-quote-cell">
                    {q.starred && <span title="Starred">★ </span>}
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
                      Context
                    </button>{' '}
                    <button type="button" className="link" onClick={() => void copy([q])}>
                      Copy
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
              <Button onClick={() => setLimit((l) => l + 500)}>Show 500 more</Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
