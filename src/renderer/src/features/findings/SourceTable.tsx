import type { SlotSource } from '../../../../shared/contract/findings';
import { errorMessage, useCall } from '../../api/hooks';
import { Dialog, Spinner } from '../../ui/components';

type TableSource = Exclude<SlotSource, { kind: 'code' }>;

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}%`);

/** The saved table a number comes from, with the cell (or cells, for a change; the base, for a base) it reads highlighted. */
export function SourceTable({ source, label, onClose }: { source: TableSource; label: string; onClose: () => void }) {
  const table = useCall('tables.get', { id: source.tableId });
  const group = table.data?.result.groups[source.group];
  const columns = table.data?.result.columns ?? [];
  const marked = (rowKey: string | null, columnKey: string) => {
    if (source.kind === 'base') return rowKey === null && columnKey === source.column;
    if (rowKey !== source.row) return false;
    return source.kind === 'cell' ? columnKey === source.column : columnKey === source.from || columnKey === source.to;
  };
  return (
    <Dialog title={table.data ? `${table.data.saved.name}` : 'Source table'} open onClose={onClose} wide>
      <p className="muted" data-testid="source-label">
        {label}
      </p>
      {table.isLoading && <Spinner />}
      {table.error && <p className="error">{errorMessage(table.error)}</p>}
      {group && (
        <table className="fd-source" data-testid="source-table">
          <thead>
            <tr>
              <th>{group.label}</th>
              {columns.map((c) => (
                <th key={c.key}>{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="fd-source-base">
              <th>Base (n)</th>
              {group.bases.map((b, i) => {
                const key = columns[i]?.key ?? '';
                return (
                  <td key={key} className={marked(null, key) ? 'is-highlighted' : ''} data-highlighted={marked(null, key) || undefined}>
                    {b.unweighted}
                  </td>
                );
              })}
            </tr>
            {group.rows.map((row) => (
              <tr key={row.key}>
                <th>{row.label}</th>
                {row.cells.map((cell, i) => {
                  const key = columns[i]?.key ?? '';
                  const on = marked(row.key, key);
                  return (
                    <td key={key} className={on ? 'is-highlighted' : ''} data-highlighted={on || undefined} title={`${cell.count} respondents`}>
                      {row.kind === 'mean' || row.kind === 'sd' ? (cell.mean ?? null)?.toFixed(2) ?? '–' : pct(cell.colPct)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
