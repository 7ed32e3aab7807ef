import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SurveyCell, SurveyFilter, SurveyRowsPage, VariableSummary } from '../../../../shared/contract/survey';
import { getBridge } from '../../api/bridge';
import { errorMessage } from '../../api/hooks';
import { formatNumber, t } from '../../i18n';

const PAGE = 200;
const ROW_HEIGHT = 28;

interface Props {
  datasetId: number;
  variables: VariableSummary[];
}

/** "> 30", "<5", "=Yes", "!Yes", "Yes": a filter typed the way people type it. */
function parseFilter(variableId: number, text: string): SurveyFilter | null {
  const t = text.trim();
  if (!t) return null;
  if (t === '(empty)') return { variableId, op: 'empty' };
  const m = /^(>|<|=|!)\s*(.*)$/.exec(t);
  if (m) {
    const value = m[2]!.trim();
    const number = Number(value);
    const typed = value !== '' && !Number.isNaN(number) ? number : value;
    if (m[1] === '>') return { variableId, op: 'gt', value: typed };
    if (m[1] === '<') return { variableId, op: 'lt', value: typed };
    if (m[1] === '=') return { variableId, op: 'eq', value };
    return { variableId, op: 'neq', value };
  }
  return { variableId, op: 'contains', value: t };
}

/**
 * Every respondent, virtualized: only the rows on screen are in the DOM, and rows are fetched
 * from the core in pages of 200 as they scroll into view, so 100,000 rows scroll like 100.
 * Sorting and filtering run in the core (its column-wise data is already in memory there).
 */
export function RespondentGrid({ datasetId, variables }: Props) {
  const [sort, setSort] = useState<{ variableId: number; desc: boolean } | null>(null);
  const [filterText, setFilterText] = useState<Record<number, string>>({});
  const [filters, setFilters] = useState<SurveyFilter[]>([]);
  const [pages, setPages] = useState<Map<number, SurveyRowsPage['rows']>>(new Map());
  const [matching, setMatching] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  // Typed filters apply after a short pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters(Object.entries(filterText).flatMap(([id, text]) => parseFilter(Number(id), text) ?? []));
    }, 300);
    return () => clearTimeout(timer);
  }, [filterText]);

  useEffect(() => {
    generation.current += 1;
    loading.current.clear();
    setPages(new Map());
    setMatching(null);
    setError(null);
    scroller.current?.scrollTo({ top: 0 });
  }, [datasetId, sort, filters]);

  const fetchPage = (page: number) => {
    if (loading.current.has(page)) return;
    loading.current.add(page);
    const gen = generation.current;
    getBridge()
      .call('survey.rows', {
        datasetId,
        offset: page * PAGE,
        limit: PAGE,
        variableIds: variables.map((v) => v.id),
        ...(sort ? { sort } : {}),
        ...(filters.length ? { filters } : {}),
      })
      .then((result) => {
        if (gen !== generation.current) return;
        setMatching(result.matching);
        setPages((old) => new Map(old).set(page, result.rows));
      })
      .catch((e: unknown) => {
        loading.current.delete(page);
        setError(errorMessage(e));
      });
  };

  const count = matching ?? 0;
  const data = useMemo(() => Array.from({ length: count }, (_, i) => i), [count]);
  const columns = useMemo<ColumnDef<number>[]>(
    () =>
      variables.map((v, c) => ({
        id: String(v.id),
        header: v.name,
        meta: v,
        cell: ({ row }) => {
          const rows = pages.get(Math.floor(row.original / PAGE));
          const cell: SurveyCell | undefined = rows?.[row.original % PAGE]?.cells[c];
          if (cell === undefined) return <span className="muted">…</span>;
          if (cell === null) return '';
          return typeof cell === 'string' && cell.length > 80 ? `${cell.slice(0, 80)}…` : String(cell);
        },
      })),
    [variables, pages],
  );
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualFiltering: true });
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();

  // The first page tells us how many rows match; later pages load as they come into view.
  useEffect(() => {
    if (matching === null) {
      fetchPage(0);
      return;
    }
    const first = items[0]?.index ?? 0;
    const last = items[items.length - 1]?.index ?? 0;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) if (!pages.has(p)) fetchPage(p);
  });

  const toggleSort = (variableId: number) =>
    setSort((s) => (s?.variableId !== variableId ? { variableId, desc: false } : s.desc ? null : { variableId, desc: true }));

  const total = virtualizer.getTotalSize();
  const before = items[0]?.start ?? 0;
  const after = total - (items[items.length - 1]?.end ?? 0);
  const colCount = variables.length + 1;

  return (
    <div className="data-grid-wrap">
      <div className="muted small" data-testid="grid-count">
        {matching === null
          ? t('common.loading')
          : t(filters.length ? 'data.grid.countFiltered' : 'data.grid.count', { count: formatNumber(matching) })}
        {sort && t('data.grid.sorted')}
        {t('data.grid.help')}
      </div>
      {error && (
        <p className="data-error" role="alert">
          {error}
        </p>
      )}
      <div className="data-grid" ref={scroller} data-testid="respondent-grid">
        <table className="grid-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                <th className="data-rownum">#</th>
                {group.headers.map((header) => {
                  const v = header.column.columnDef.meta as VariableSummary;
                  const sorted = sort?.variableId === v.id ? (sort.desc ? ' ▼' : ' ▲') : '';
                  return (
                    <th key={header.id} title={v.optionLabel ? `${v.groupLabel ?? v.label} — ${v.optionLabel}` : v.label}>
                      <button type="button" className="link data-sort" onClick={() => toggleSort(v.id)} aria-label={t('data.grid.sortBy', { name: v.name })}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        {sorted}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th className="data-rownum" />
              {variables.map((v) => (
                <th key={v.id}>
                  <input
                    className="data-filter"
                    aria-label={t('data.grid.filter', { name: v.name })}
                    value={filterText[v.id] ?? ''}
                    onChange={(e) => setFilterText({ ...filterText, [v.id]: e.target.value })}
                  />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {before > 0 && (
              <tr style={{ height: before }}>
                <td colSpan={colCount} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              const loaded = pages.get(Math.floor(row.original / PAGE))?.[row.original % PAGE];
              return (
                <tr key={row.id} style={{ height: ROW_HEIGHT }} data-row={loaded?.row}>
                  <td className="data-rownum muted">{loaded ? loaded.row + 1 : ''}</td>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                </tr>
              );
            })}
            {after > 0 && (
              <tr style={{ height: after }}>
                <td colSpan={colCount} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
