import { Fragment, useState } from 'react';
import { baseName, type CellContent, type TableCell, type TableResult, type TableSpecInput } from '../../../../shared/contract/tables';
import { errorMessage, useCall } from '../../api/hooks';
import { Dialog, Spinner } from '../../ui/components';
import { t } from '../../i18n';

const fmtPct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}%`);

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function CellContents({ cell, contents, kind }: { cell: TableCell; contents: CellContent[]; kind: string }) {
  if (kind === 'mean' || kind === 'sd') {
    return <span className="tv-value">{cell.mean === null || cell.mean === undefined ? '–' : cell.mean.toFixed(2)}</span>;
  }
  return (
    <>
      {contents.map((c) => {
        if (c === 'mean') return null;
        const text = c === 'count' ? String(cell.count) : c === 'weightedCount' ? cell.weightedCount.toFixed(1) : fmtPct(cell[c]);
        return (
          <span key={c} className={`tv-value tv-${c}`} data-content={c}>
            {text}
          </span>
        );
      })}
    </>
  );
}

/** The table as a researcher reads it: bases under each column, letters, flags, the method below. */
export function TableView({ table, spec, updating = false }: { table: TableResult; spec: TableSpecInput; updating?: boolean }) {
  const [drill, setDrill] = useState<{ group: number; rowKey: string; columnKey: string } | null>(null);
  return (
    // While the next table computes, the last one stays readable but marked as being replaced.
    <div className={`tv ${updating ? 'tv-updating' : ''}`} data-testid="table-view" aria-busy={updating}>
      <h2 className="tv-title">{table.title}</h2>
      {table.filterText && <p className="muted">Filter: {table.filterText}</p>}
      {table.groups.map((group, gi) => (
        <div key={`${group.ref}-${gi}`} className="tv-group" data-testid="table-group">
          <table className="tv-table">
            <thead>
              <tr>
                <th className="tv-corner" rowSpan={2}>
                  {group.label}
                </th>
                {table.blocks.map((b) =>
                  b.key === 'total' ? (
                    <th key={b.key} rowSpan={2} className="tv-col" data-column="total">
                      {t('tables.view.total')}
                    </th>
                  ) : (
                    <th key={b.key} colSpan={b.count} className="tv-block">
                      {b.label}
                    </th>
                  ),
                )}
              </tr>
              <tr>
                {table.columns
                  .filter((c) => c.key !== 'total')
                  .map((c) => (
                    <th key={c.key} className="tv-col" data-column={c.key}>
                      {c.label}
                      {c.letter && <span className="tv-letter"> ({c.letter})</span>}
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody>
              <tr className="tv-base" data-testid="base-row">
                <th title={group.baseText}>Base: {baseName(group.base, table.unit)}</th>
                {group.bases.map((b, i) =>
                  b.notAsked ? (
                    <td key={i} className="tv-not-asked" title={t('tables.notAskedTitle')} data-column={table.columns[i]!.key}>
                      {t('tables.notAsked')}
                    </td>
                  ) : (
                    <td key={i} className={b.low ? 'tv-low' : ''} title={b.low ? 'Base under 30: unstable percentages' : undefined} data-column={table.columns[i]!.key}>
                      {b.unweighted}
                      {b.low && <span className="tv-flag">*</span>}
                    </td>
                  ),
                )}
              </tr>
              {table.weighted && (
                <>
                  <tr className="tv-base">
                    <th>{t('tables.view.weightedBase')}</th>
                    {group.bases.map((b, i) => (
                      <td key={i}>{b.weighted.toFixed(1)}</td>
                    ))}
                  </tr>
                  <tr className="tv-base">
                    <th>{t('tables.view.effectiveBase')}</th>
                    {group.bases.map((b, i) => (
                      <td key={i}>{b.effective.toFixed(1)}</td>
                    ))}
                  </tr>
                </>
              )}
              {group.rows.map((row) => (
                <tr key={row.key} className={`tv-row tv-row-${row.kind}`} data-row={row.key} data-testid="table-row">
                  <th>
                    {row.label}
                    {row.members && <span className="tv-members"> ({row.members.join(' + ')})</span>}
                  </th>
                  {row.cells.map((cell, ci) => {
                    const column = table.columns[ci]!;
                    return (
                      <td key={ci} data-column={column.key} className="tv-cell">
                        <button
                          type="button"
                          className="tv-cell-btn"
                          title={t('tables.view.drill')}
                          onClick={() => setDrill({ group: gi, rowKey: row.key, columnKey: column.key })}
                        >
                          <CellContents cell={cell} contents={table.cells} kind={row.kind} />
                          {cell.change && (
                            <span className={`tv-change ${cell.change.significant ? 'tv-sig' : ''}`} data-testid="change">
                              {cell.change.pp >= 0 ? '+' : ''}
                              {cell.change.pp.toFixed(1)} pts{cell.change.significant ? (cell.change.pp >= 0 ? ' ▲' : ' ▼') : ''}
                            </span>
                          )}
                          {cell.letters.length > 0 && (
                            <span className="tv-letters" data-testid="letters">
                              {cell.letters.join('')}
                            </span>
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="tv-stats">
            {group.chiSquare.map((chi) => (
              <p key={chi.block} data-testid="chi-square">
                Chi-square against {table.blocks.find((b) => b.key === chi.block)?.label ?? chi.block}: χ² = {chi.chi2.toFixed(2)}, df = {chi.df}, p = {formatP(chi.p)}, Cramér's V ={' '}
                {chi.cramersV.toFixed(3)}
                {chi.significant ? ' — significant' : ''}
                {chi.warning && <span className="tv-warning"> {chi.warning}</span>}
              </p>
            ))}
            {group.notes.map((n, i) => (
              <p key={i} className="muted">
                {n}
              </p>
            ))}
          </div>
        </div>
      ))}
      {table.notes.map((n, i) => (
        <p key={i} className="muted">
          {n}
        </p>
      ))}
      <p className="tv-method" data-testid="table-method">
        <strong>{t('tables.view.method')}</strong> {table.method}
      </p>
      {drill && <DrillDialog spec={spec} target={drill} onClose={() => setDrill(null)} />}
    </div>
  );
}

function DrillDialog({ spec, target, onClose }: { spec: TableSpecInput; target: { group: number; rowKey: string; columnKey: string }; onClose: () => void }) {
  const result = useCall('tables.drill', { spec, ...target, limit: 200 });
  const d = result.data;
  return (
    <Dialog title={d ? `${d.rowLabel} · ${d.columnLabel}` : t('tables.view.behind')} open onClose={onClose} wide>
      <div data-testid="drill">
        {result.isLoading && <Spinner />}
        {result.error && <p className="tv-warning">{errorMessage(result.error)}</p>}
        {d && (
          <>
            <p>
              <strong data-testid="drill-total">{d.total}</strong> {d.unit}
              {d.truncated ? ' (the first ones shown)' : ''}.
            </p>
            {d.quotes.length > 0 && (
              <section>
                <h3>{t('tables.view.quotes')}</h3>
                <ul className="tv-quotes">
                  {d.quotes.map((q) => (
                    <li key={`${q.segmentId}-${q.codeId}`} data-testid="drill-quote">
                      <blockquote>{q.text}</blockquote>
                      <span className="muted">
                        {q.codeName} · {q.documentName}
                        {q.participant ? ` · ${q.participant}` : ''}
                        {q.respondentRow !== null ? ` · respondent ${q.respondentRow + 1}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {d.respondents.length > 0 && <h3>{t('tables.view.respondents')}</h3>}
            {d.respondents.length > 0 && (
              <table className="tv-drill-table" data-testid="drill-respondents">
                <thead>
                  <tr>
                    <th>{t('tables.view.respondent')}</th>
                    <th>{t('tables.view.row')}</th>
                    <th>{t('tables.view.wave')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.respondents.map((r) => (
                    <tr key={`${r.datasetId}-${r.row}`}>
                      <td>{r.id ?? '—'}</td>
                      <td>{r.row + 1}</td>
                      <td>{r.wave}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {d.participants.length > 0 && <h3>{t('tables.view.participants')}</h3>}
            {d.participants.length > 0 && (
              <ul data-testid="drill-participants">
                {d.participants.map((p) => (
                  <Fragment key={p.id}>
                    <li>{p.name}</li>
                  </Fragment>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
