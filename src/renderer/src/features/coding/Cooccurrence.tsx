import { useState } from 'react';
import { useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { EmptyState, Spinner } from '../../ui/components';
import { t } from '../../i18n';

/** Which codes overlap on the same passages; a cell opens the passages behind it. */
export function CooccurrenceView() {
  const result = useCall('cooccurrence.run', {});
  const [cell, setCell] = useState<{ a: number; b: number } | null>(null);
  const pairs = useCall('cooccurrence.pairs', { codeA: cell?.a ?? 1, codeB: cell?.b ?? 1 }, { enabled: cell !== null });
  if (result.isLoading) return <Spinner />;
  const codes = (result.data?.codes ?? []).filter((c) => c.quoteCount > 0);
  if (codes.length < 2) return <EmptyState title={t('coding.cooccurrence.emptyTitle')}>{t('coding.cooccurrence.emptyText')}</EmptyState>;
  const count = (a: number, b: number) =>
    result.data?.cells.find((c) => c.codeA === Math.min(a, b) && c.codeB === Math.max(a, b))?.count ?? 0;
  const max = Math.max(1, ...(result.data?.cells ?? []).map((c) => c.count));
  return (
    <div className="cb-stack">
      <div className="cb-scroll">
        <table className="grid-table cb-matrix" data-testid="cooccurrence-table">
          <thead>
            <tr>
              <th />
              {codes.map((c) => (
                <th key={c.id} title={c.name} className="cb-matrix-head">
                  <span className="cb-swatch" style={{ background: c.color }} /> {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {codes.map((row) => (
              <tr key={row.id}>
                <th>{row.name}</th>
                {codes.map((col) => {
                  if (col.id === row.id) return <td key={col.id} className="muted">{row.quoteCount}</td>;
                  const n = count(row.id, col.id);
                  return (
                    <td key={col.id} style={n ? { background: `rgba(59,91,219,${0.1 + (0.5 * n) / max})` } : undefined}>
                      {n ? (
                        <button type="button" className="link" onClick={() => setCell({ a: row.id, b: col.id })}>
                          {n}
                        </button>
                      ) : (
                        ''
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(result.data?.cells.length ?? 0) === 0 && <p className="muted">{t('coding.cooccurrence.noneShared')}</p>}
      {cell && (
        <section className="panel">
          <h3>
            {codes.find((c) => c.id === cell.a)?.name} × {codes.find((c) => c.id === cell.b)?.name}
          </h3>
          {pairs.isLoading ? (
            <Spinner />
          ) : (
            <ul className="cb-plain">
              {(pairs.data ?? []).map((p) => (
                <li key={`${p.a.segmentId}-${p.b.segmentId}`} className="cb-pair">
                  <button type="button" className="link" onClick={() => navigate(`codebook/code/${p.documentId}?at=${Math.min(p.a.start, p.b.start)}&segment=${p.a.segmentId}`)}>
                    {p.documentName}
                  </button>
                  : “{p.a.text}” / “{p.b.text}”
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
