import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import type { BuilderVariable, CellContent, ChartKind, NetSpec, SavedTableInfo, TableBase, TableSpecInput } from '../../../../shared/contract/tables';
import { errorMessage, useAction, useCall } from '../../api/hooks';
import { Button, EmptyState, Field, PageHeader, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { FilterChip, NewFilter, filterable, type FilterInput } from './filters';
import { MoveButtons, dragProps, moved, onChipKeys, type MoveSource, type OnMove } from './order';
import { TableView } from './TableView';
import './tables.css';
import { t } from '../../i18n';

const CELLS: { id: CellContent; label: string }[] = [
  { id: 'count', label: 'Count' },
  { id: 'colPct', label: 'Column %' },
  { id: 'rowPct', label: 'Row %' },
  { id: 'totalPct', label: 'Total %' },
  { id: 'weightedCount', label: 'Weighted count' },
  { id: 'mean', label: 'Mean' },
];

type SourceChoice = string; // "d:<id>", "waves", "participants"

function sourceOf(choice: SourceChoice, datasetIds: number[]): TableSpecInput['source'] {
  if (choice === 'participants') return { kind: 'participants' };
  if (choice === 'waves') return { kind: 'dataset', datasetIds };
  return { kind: 'dataset', datasetIds: [Number(choice.slice(2))] };
}

function choiceOf(source: TableSpecInput['source']): SourceChoice {
  if (source.kind === 'participants') return 'participants';
  return source.datasetIds.length > 1 ? 'waves' : `d:${source.datasetIds[0]}`;
}

function emptySpec(source: TableSpecInput['source']): TableSpecInput {
  return { source, rows: [], banner: [], filter: [], cells: ['count', 'colPct'], tests: { chiSquare: true, columnTests: true, level: 0.95, correction: 'none' } };
}

export default function TablesPage() {
  const saved = useCall('tables.list', {});
  const all = useCall('tables.variables', {});
  const [spec, setSpec] = useState<TableSpecInput | null>(null);
  const [savedId, setSavedId] = useState<number | null>(null);
  const [name, setName] = useState('');
  // The controls fold away so a wide table (ten or more banner columns) gets the whole page.
  const [controls, setControls] = useState(true);

  if (all.isLoading) return <Spinner />;
  const datasets = all.data?.datasets ?? [];
  const hasParticipantsOrCodes = (all.data?.variables ?? []).some((v) => v.kind === 'code');
  const start = () => {
    const source: TableSpecInput['source'] = datasets.length ? { kind: 'dataset', datasetIds: [datasets[datasets.length - 1]!.id] } : { kind: 'participants' };
    setSpec(emptySpec(source));
    setSavedId(null);
    setName('');
  };
  const open = (t: SavedTableInfo) => {
    setSpec(t.spec);
    setSavedId(t.id);
    setName(t.name);
  };

  return (
    <div className="page tables-page">
      <PageHeader title="Tables">
        {spec && (
          <Button onClick={() => setControls(!controls)} aria-expanded={controls} aria-controls="table-builder" data-testid="toggle-controls">
            {controls ? 'Hide controls' : 'Show controls'}
          </Button>
        )}
        <Button variant="primary" onClick={start} data-testid="new-table">
          {t('tables.newTable')}
        </Button>
      </PageHeader>
      <div className={`tables-layout ${spec && !controls ? 'tables-wide' : ''}`}>
        <aside className="tables-saved" aria-label="Saved tables" hidden={!!spec && !controls}>
          <h2>Saved tables</h2>
          {saved.data?.length === 0 && <p className="muted">None yet. Build a table and save it: it recomputes whenever the data changes.</p>}
          <ul data-testid="saved-tables">
            {saved.data?.map((t) => (
              <li key={t.id}>
                <button type="button" className={`link ${savedId === t.id ? 'active' : ''}`} onClick={() => open(t)} data-testid="saved-table">
                  {t.name}
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <div className="tables-main">
          {!spec ? (
            <EmptyState
              title={t('tables.emptyTitle')}
              actions={
                <Button variant="primary" onClick={start} disabled={!datasets.length && !hasParticipantsOrCodes}>
                  {t('tables.newTable')}
                </Button>
              }
            >
              {datasets.length || hasParticipantsOrCodes
                ? t('tables.emptyReady')
                : t('tables.emptyNoData')}
            </EmptyState>
          ) : (
            <Workbench
              key={savedId ?? 'new'}
              controls={controls}
              spec={spec}
              onSpec={setSpec}
              datasets={datasets}
              savedId={savedId}
              name={name}
              onName={setName}
              onSaved={(t) => {
                setSavedId(t.id);
                setName(t.name);
              }}
              onDeleted={() => {
                setSavedId(null);
                setSpec(null);
              }}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function Workbench(props: {
  controls: boolean;
  spec: TableSpecInput;
  onSpec: (s: TableSpecInput) => void;
  datasets: { id: number; name: string; wave: string; rows: number }[];
  savedId: number | null;
  name: string;
  onName: (n: string) => void;
  onSaved: (t: SavedTableInfo) => void;
  onDeleted: () => void;
}) {
  const { spec, onSpec, datasets } = props;
  const toast = useToast();
  const vars = useCall('tables.variables', { source: spec.source });
  // The last table stays on screen while the next one computes, so editing a filter or moving a
  // row does not flash a spinner.
  const run = useCall('tables.run', { spec }, { enabled: spec.rows.length > 0, retry: false, placeholderData: keepPreviousData });
  const save = useAction('tables.save');
  const remove = useAction('tables.delete');
  const [view, setView] = useState<'table' | 'chart'>('table');
  const variables = useMemo(() => vars.data?.variables ?? [], [vars.data]);
  const byRef = useMemo(() => new Map(variables.map((v) => [v.ref, v])), [variables]);
  const tabulable = variables.filter((v) => v.kind !== 'text' && v.kind !== 'weight');
  const categorical = tabulable.filter((v) => v.kind !== 'numeric' && v.kind !== 'grid');
  const weights = variables.filter((v) => v.kind === 'weight' || v.kind === 'numeric');
  const set = (patch: Partial<TableSpecInput>) => onSpec({ ...spec, ...patch });
  const tests = { chiSquare: true, columnTests: true, level: 0.95 as 0.95 | 0.99, correction: 'none' as const, ...spec.tests };
  const cells = spec.cells ?? ['count', 'colPct'];
  const banner = spec.banner ?? [];
  const filter = spec.filter ?? [];
  const choice = choiceOf(spec.source);
  const filterVariables = useMemo(() => filterable(variables), [variables]);
  const chipsRef = useRef<HTMLDivElement>(null);
  const [announcement, setAnnouncement] = useState('');

  // React re-inserts a moved chip, which takes focus away from it: give it back to the button
  // pressed (or the chip, when that button is now disabled at the end of the list).
  const refocus = (chip: string, source: MoveSource) =>
    requestAnimationFrame(() => {
      const element = chipsRef.current?.querySelector<HTMLElement>(`[data-chip="${CSS.escape(chip)}"]`);
      const button = source === 'keys' ? null : element?.querySelector<HTMLButtonElement>(`[data-move="${source}"]`);
      (button && !button.disabled ? button : element)?.focus();
    });
  const moveRow = (from: number, to: number, source: MoveSource = 'keys') => {
    const row = spec.rows[from];
    if (!row || to < 0 || to >= spec.rows.length || to === from) return;
    set({ rows: moved(spec.rows, from, to - from) });
    setAnnouncement(`${row.ref} moved to row ${to + 1} of ${spec.rows.length}.`);
    refocus(`row:${row.ref}`, source);
  };
  const moveBanner = (from: number, to: number, source: MoveSource = 'keys') => {
    const ref = banner[from];
    if (ref === undefined || to < 0 || to >= banner.length || to === from) return;
    set({ banner: moved(banner, from, to - from) });
    setAnnouncement(`${ref} moved to banner column ${to + 1} of ${banner.length}.`);
    refocus(`banner:${ref}`, source);
  };
  const addFilter = (condition: FilterInput) => {
    // More answers for a question already kept (or left out) widen that condition: two "is any
    // of" conditions on one question would otherwise keep only those in both, usually nobody.
    const op = condition.op ?? 'in';
    const same = op === 'in' || op === 'notIn' ? filter.findIndex((f) => f.ref === condition.ref && (f.op ?? 'in') === op) : -1;
    if (same >= 0) {
      const values = filter[same]!.values ?? [];
      const merged = [...values, ...(condition.values ?? []).filter((v) => !values.some((x) => String(x) === String(v)))];
      set({ filter: filter.map((f, k) => (k === same ? { ...f, values: merged } : f)) });
    } else set({ filter: [...filter, condition] });
  };

  const doSave = async () => {
    const name = props.name.trim() || run.data?.title || t('tables.table');
    try {
      const t = await save.mutateAsync({ ...(props.savedId ? { id: props.savedId } : {}), name, spec });
      props.onSaved(t);
      toast.show({ kind: 'success', text: `Saved "${t.name}".` });
    } catch (error) {
      toast.error(error);
    }
  };
  const doDelete = async () => {
    if (!props.savedId) return;
    const keep = { name: props.name, spec };
    try {
      await remove.mutateAsync({ id: props.savedId });
      props.onDeleted();
      toast.show({
        kind: 'info',
        text: `Deleted "${keep.name}".`,
        action: { label: t('tables.undo'), run: () => void save.mutateAsync(keep).catch((e: unknown) => toast.error(e)) },
      });
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <div className="workbench">
      <section className="builder" id="table-builder" aria-label="Table builder" data-testid="table-builder" hidden={!props.controls}>
        <div className="builder-grid">
          <Field label={t('tables.data')}>
            <select
              value={choice}
              data-testid="table-source"
              onChange={(e) => onSpec({ ...emptySpec(sourceOf(e.target.value, datasets.map((d) => d.id))), cells, tests })}
            >
              {datasets.map((d) => (
                <option key={d.id} value={`d:${d.id}`}>
                  {d.name}
                  {d.wave ? ` (wave ${d.wave})` : ''} — {d.rows} respondents
                </option>
              ))}
              {datasets.length > 1 && <option value="waves">{t('tables.allWaves')}</option>}
              <option value="participants">{t('tables.participantsSource')}</option>
            </select>
          </Field>
          <Field label={t('tables.rows')} hint={t('tables.rowsHint')}>
            <AddSelect testId="add-row" options={tabulable} exclude={spec.rows.map((r) => r.ref)} onAdd={(ref) => set({ rows: [...spec.rows, { ref, nets: [] }] })} />
          </Field>
          <Field label={t('tables.banner')} hint={t('tables.bannerHint')}>
            <AddSelect testId="add-banner" options={categorical} exclude={banner} onAdd={(ref) => set({ banner: [...banner, ref] })} />
          </Field>
          <Field label="Base" hint="Who the percentages are of; the note under the table says it in words.">
            <select value={spec.base ?? 'answered'} data-testid="table-base" onChange={(e) => set({ base: e.target.value as TableBase })}>
              <option value="answered">Those who answered the question</option>
              <option value="all">All respondents (of the filter)</option>
              <option value="shown">Those shown the question (incl. ticked nothing)</option>
            </select>
          </Field>
          <Field label="Weight">
            <select value={spec.weight ?? ''} data-testid="table-weight" onChange={(e) => set({ weight: e.target.value || undefined })}>
              <option value="">{t('tables.noWeight')}</option>
              {weights.map((v) => (
                <option key={v.ref} value={v.ref}>
                  {v.ref} — {v.label}
                </option>
              ))}
            </select>
          </Field>
        </div>

        {spec.source.kind === 'dataset' && spec.source.datasetIds.length > 1 && (
          <fieldset className="wave-picker" data-testid="wave-picker">
            <legend>{t('tables.wavesCompare')}</legend>
            {datasets.map((d) => {
              const ids = spec.source.kind === 'dataset' ? spec.source.datasetIds : [];
              const on = ids.includes(d.id);
              return (
                <label key={d.id} className="check">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={on && ids.length <= 2}
                    onChange={() => {
                      const next = on ? ids.filter((x) => x !== d.id) : datasets.map((x) => x.id).filter((x) => x === d.id || ids.includes(x));
                      set({ source: { kind: 'dataset', datasetIds: next } });
                    }}
                  />
                  {d.wave || d.name}
                </label>
              );
            })}
          </fieldset>
        )}

        <div className="chips" ref={chipsRef}>
          {spec.rows.length > 0 && (
            <div className="chip-line">
              <span className="chip-line-label" id="chips-rows">
                {t('tables.rows')}
              </span>
              <ol aria-labelledby="chips-rows" data-testid="row-chips">
                {spec.rows.map((row, ri) => (
                  <RowChip
                    key={chipKey(spec.rows.map((r) => r.ref), ri)}
                    index={ri}
                    count={spec.rows.length}
                    variable={byRef.get(row.ref)}
                    refName={row.ref}
                    nets={row.nets ?? []}
                    onNets={(nets) => set({ rows: spec.rows.map((r, k) => (k === ri ? { ...r, nets } : r)) })}
                    base={row.base}
                    onBase={(base) => set({ rows: spec.rows.map((r, k) => (k === ri ? { ...withoutBase(r), ...(base ? { base } : {}) } : r)) })}
                    onRemove={() => set({ rows: spec.rows.filter((_, k) => k !== ri) })}
                    onMove={(delta, source) => moveRow(ri, ri + delta, source)}
                    onDrop={(from) => moveRow(from, ri)}
                  />
                ))}
              </ol>
            </div>
          )}
          {banner.length > 0 && (
            <div className="chip-line">
              <span className="chip-line-label" id="chips-banner">
                {t('tables.bannerShort')}
              </span>
              <ol aria-labelledby="chips-banner" data-testid="banner-chips">
                {banner.map((ref, bi) => {
                  const onMove: OnMove = (delta, source) => moveBanner(bi, bi + delta, source);
                  const label = byRef.get(ref)?.label;
                  return (
                    <li
                      key={ref}
                      className="chip chip-banner"
                      data-testid="banner-chip"
                      data-chip={`banner:${ref}`}
                      tabIndex={0}
                      aria-label={`Banner column ${bi + 1} of ${banner.length}: ${ref}`}
                      aria-keyshortcuts={banner.length > 1 ? 'Alt+ArrowLeft Alt+ArrowRight' : undefined}
                      title={label && label !== ref ? label : undefined}
                      onKeyDown={(e) => onChipKeys(e, onMove)}
                      {...dragProps('banner', bi, (from) => moveBanner(from, bi))}
                    >
                      <span>{ref}</span>
                      <MoveButtons name={ref} index={bi} count={banner.length} vertical={false} testId="banner" onMove={onMove} />
                      <button type="button" aria-label={`Remove ${ref} from the banner`} onClick={() => set({ banner: banner.filter((b) => b !== ref) })}>
                        ×
                      </button>
                    </li>
                  );
                })}
              </ol>
            </div>
          )}
          {filter.length > 0 && (
            <div className="chip-line">
              <span className="chip-line-label" id="chips-filter">
                {t('tables.filter')}
              </span>
              <ol aria-labelledby="chips-filter" data-testid="filter-chips">
                {filter.map((f, fi) => (
                  <FilterChip
                    key={fi}
                    index={fi}
                    condition={f}
                    variable={byRef.get(f.ref)}
                    unit={spec.source.kind === 'participants' ? 'participants' : 'respondents'}
                    onChange={(next) => set({ filter: filter.map((x, k) => (k === fi ? next : x)) })}
                    onRemove={() => set({ filter: filter.filter((_, k) => k !== fi) })}
                  />
                ))}
              </ol>
            </div>
          )}
          <p className="tables-sr-only" aria-live="polite" data-testid="move-announcement">
            {announcement}
          </p>
        </div>

        <NewFilter unit={spec.source.kind === 'participants' ? 'participants' : 'respondents'} variables={filterVariables} onAdd={addFilter} />

        <div className="builder-options">
          <fieldset>
            <legend>{t('tables.cells')}</legend>
            {CELLS.map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  checked={cells.includes(c.id)}
                  data-testid={`cell-${c.id}`}
                  onChange={() => {
                    const next = cells.includes(c.id) ? cells.filter((x) => x !== c.id) : [...cells, c.id];
                    if (next.length) set({ cells: CELLS.map((x) => x.id).filter((x) => next.includes(x)) });
                  }}
                />
                {t(`tables.content_${c.id}`)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('tables.tests')}</legend>
            <label className="check">
              <input type="checkbox" checked={tests.columnTests} onChange={(e) => set({ tests: { ...tests, columnTests: e.target.checked } })} />
              {t('tables.columnTests')}
            </label>
            <label className="check">
              <input type="checkbox" checked={tests.chiSquare} onChange={(e) => set({ tests: { ...tests, chiSquare: e.target.checked } })} />
              {t('tables.chiSquare')}
            </label>
            <select aria-label={t('tables.confidence')} value={String(tests.level)} onChange={(e) => set({ tests: { ...tests, level: e.target.value === '0.99' ? 0.99 : 0.95 } })}>
              <option value="0.95">95%</option>
              <option value="0.99">99%</option>
            </select>
            <select
              aria-label={t('tables.correction')}
              value={tests.correction}
              onChange={(e) => set({ tests: { ...tests, correction: e.target.value as 'none' | 'bonferroni' | 'fdr' } })}
            >
              <option value="none">{t('tables.noCorrection')}</option>
              <option value="bonferroni">Bonferroni</option>
              <option value="fdr">{t('tables.fdr')}</option>
            </select>
          </fieldset>
          <fieldset className="save-box">
            <legend>{t('tables.save')}</legend>
            <input aria-label={t('tables.tableName')} placeholder={t('tables.tableName')} value={props.name} onChange={(e) => props.onName(e.target.value)} data-testid="table-name" />
            <Button variant="primary" onClick={() => void doSave()} disabled={!spec.rows.length || save.isPending} data-testid="save-table">
              {props.savedId ? t('tables.saveChanges') : t('tables.saveTable')}
            </Button>
            {props.savedId && (
              <Button variant="danger" onClick={() => void doDelete()}>
                {t('tables.delete')}
              </Button>
            )}
          </fieldset>
        </div>
      </section>

      {spec.rows.length === 0 ? (
        <p className="muted">{t('tables.addRow')}</p>
      ) : run.error ? (
        <p className="tv-warning" role="alert" data-testid="table-error">
          {errorMessage(run.error)}
        </p>
      ) : !run.data ? (
        <Spinner label={t('tables.computing')} />
      ) : (
        <>
          <div className="tabs" role="tablist">
            <button type="button" role="tab" className="tab" aria-selected={view === 'table'} onClick={() => setView('table')}>
              {t('tables.table')}
            </button>
            <button type="button" role="tab" className="tab" aria-selected={view === 'chart'} onClick={() => setView('chart')} data-testid="chart-tab">
              {t('tables.chart')}
            </button>
          </div>
          {view === 'table' ? <TableView table={run.data} spec={spec} updating={run.isPlaceholderData} /> : <ChartView spec={spec} groups={run.data.groups.map((g) => g.label)} blocks={run.data.blocks.filter((b) => b.key !== 'total').map((b) => ({ key: b.key, label: b.label }))} />}
        </>
      )}
    </div>
  );
}

function AddSelect({ options, exclude, onAdd, testId }: { options: BuilderVariable[]; exclude: string[]; onAdd: (ref: string) => void; testId: string }) {
  return (
    <select
      value=""
      data-testid={testId}
      onChange={(e) => {
        if (e.target.value) onAdd(e.target.value);
      }}
    >
      <option value="">{t('tables.addOption')}</option>
      {options
        .filter((v) => !exclude.includes(v.ref))
        .map((v) => (
          <option key={v.ref} value={v.ref}>
            {v.ref === v.label ? v.ref : `${v.ref} — ${v.label}`}
          </option>
        ))}
    </select>
  );
}

/** A React key for the chip at `index`: its ref, and which repeat of that ref it is (saved specs may repeat one). */
function chipKey(refs: string[], index: number): string {
  const ref = refs[index]!;
  const repeat = refs.slice(0, index).filter((r) => r === ref).length;
  return repeat ? `${ref}#${repeat}` : ref;
}

function withoutBase<T extends { base?: TableBase }>(row: T): Omit<T, 'base'> {
  const { base: _base, ...rest } = row;
  void _base;
  return rest;
}

function RowChip({
  refName,
  variable,
  nets,
  onNets,
  base,
  onBase,
  onRemove,
  index,
  count,
  onMove,
  onDrop,
}: {
  refName: string;
  variable: BuilderVariable | undefined;
  nets: NetSpec[];
  onNets: (n: NetSpec[]) => void;
  base: TableBase | undefined;
  onBase: (base: TableBase | undefined) => void;
  onRemove: () => void;
  index: number;
  count: number;
  onMove: OnMove;
  onDrop: (from: number) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const scale = variable && (variable.kind === 'ordinal' || variable.kind === 'single');
  const categories = (variable?.categories ?? []).filter((c) => !c.missing);
  return (
    <li
      className="chip chip-row"
      data-testid="row-chip"
      data-chip={`row:${refName}`}
      tabIndex={0}
      aria-label={`Row ${index + 1} of ${count}: ${refName}`}
      aria-keyshortcuts={count > 1 ? 'Alt+ArrowUp Alt+ArrowDown' : undefined}
      title={variable && variable.label !== refName ? variable.label : undefined}
      onKeyDown={(e) => onChipKeys(e, onMove)}
      {...(editing ? {} : dragProps('rows', index, onDrop))}
    >
      <span data-testid="row-chip-name">{refName}</span>
      {nets.map((n, i) => (
        <span key={i} className="net-tag">
          {n.label ?? n.box}
          <button type="button" aria-label={`Remove net ${n.label ?? n.box}`} onClick={() => onNets(nets.filter((_, k) => k !== i))}>
            ×
          </button>
        </span>
      ))}
      <MoveButtons name={refName} index={index} count={count} vertical testId="row" onMove={onMove} />
      {variable?.kind !== 'numeric' && (
        <select className="chip-base" aria-label={`Base of ${refName}`} value={base ?? ''} data-testid="row-base" onChange={(e) => onBase((e.target.value || undefined) as TableBase | undefined)}>
          <option value="">table's base</option>
          <option value="answered">answered</option>
          <option value="all">all respondents</option>
          <option value="shown">shown it</option>
        </select>
      )}
      {categories.length > 1 && (
        <button type="button" className="link" aria-expanded={editing} onClick={() => setEditing(!editing)} data-testid="edit-nets">
          {t('tables.nets')}
        </button>
      )}
      <button type="button" aria-label={`Remove ${refName} from the rows`} onClick={onRemove}>
        ×
      </button>
      {editing && (
        <div className="net-editor chip-editor" data-testid="net-editor">
          {scale && (
            <div className="net-boxes">
              <Button onClick={() => onNets([...nets, { box: 'top2', label: t('tables.top2') }])}>{t('tables.top2')}</Button>
              <Button onClick={() => onNets([...nets, { box: 'bottom2', label: t('tables.bottom2') }])}>{t('tables.bottom2')}</Button>
            </div>
          )}
          <input aria-label={t('tables.netName')} placeholder={t('tables.netPlaceholder')} value={label} onChange={(e) => setLabel(e.target.value)} data-testid="net-label" />
          <div className="net-members">
            {categories.map((c) => (
              <label key={c.key} className="check">
                <input
                  type="checkbox"
                  checked={members.includes(c.key)}
                  onChange={() => setMembers(members.includes(c.key) ? members.filter((m) => m !== c.key) : [...members, c.key])}
                />
                {c.label}
              </label>
            ))}
          </div>
          <Button
            variant="primary"
            disabled={members.length === 0}
            data-testid="net-add"
            onClick={() => {
              onNets([...nets, { ...(label.trim() ? { label: label.trim() } : {}), members }]);
              setMembers([]);
              setLabel('');
              setEditing(false);
            }}
          >
            {t('tables.addNet')}
          </Button>
        </div>
      )}
    </li>
  );
}

function ChartView({ spec, groups, blocks }: { spec: TableSpecInput; groups: string[]; blocks: { key: string; label: string }[] }) {
  const [kind, setKind] = useState<ChartKind>('grouped');
  const [group, setGroup] = useState(0);
  const [block, setBlock] = useState('');
  const chart = useCall('tables.chart', { spec, chart: { kind, group, width: 900, height: 520, ...(block ? { block } : {}) } }, { retry: false });
  return (
    <div className="chart-view" data-testid="chart-view">
      <div className="chart-controls">
        <select aria-label={t('tables.chartType')} value={kind} onChange={(e) => setKind(e.target.value as ChartKind)}>
          <option value="grouped">{t('tables.groupedBars')}</option>
          <option value="stacked">{t('tables.stackedBars')}</option>
          <option value="bar">{t('tables.barsTotal')}</option>
        </select>
        {blocks.length > 1 && kind !== 'bar' && (
          <select aria-label={t('tables.columnsCompare')} value={block} onChange={(e) => setBlock(e.target.value)}>
            <option value="">{blocks[0]!.label}</option>
            {blocks.slice(1).map((b) => (
              <option key={b.key} value={b.key}>
                {b.label}
              </option>
            ))}
          </select>
        )}
        {groups.length > 1 && (
          <select aria-label={t('tables.rowQuestion')} value={group} onChange={(e) => setGroup(Number(e.target.value))}>
            {groups.map((g, i) => (
              <option key={i} value={i}>
                {g}
              </option>
            ))}
          </select>
        )}
      </div>
      {chart.error && <p className="tv-warning">{errorMessage(chart.error)}</p>}
      {/* The SVG comes from our own core (echarts escapes every label); it holds no script. */}
      {chart.data && <div className="chart-svg" data-testid="chart-svg" dangerouslySetInnerHTML={{ __html: chart.data.svg }} />}
    </div>
  );
}
