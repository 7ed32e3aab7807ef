import { useState } from 'react';
import type { ExportOptions, ExportResult, QuotePackFormat, RefiImportResult } from '../../../../shared/contract/exports';
import type { FileFilter } from '../../../../shared/api';
import { getBridge } from '../../api/bridge';
import { useCall, useJob } from '../../api/hooks';
import { Button, EmptyState, Field, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import './export.css';
import { t } from '../../i18n';

type What = 'quotes' | 'codebook' | 'tables' | 'chart' | 'qdpx';

const WHAT: { id: What }[] = [
  { id: 'quotes' },
  { id: 'codebook' },
  { id: 'tables' },
  { id: 'chart' },
  { id: 'qdpx' },
];

const FORMATS: Record<What, { id: string; label: `exports.fmt_${'docx' | 'md' | 'html' | 'csvQuotes' | 'csv' | 'qdc' | 'xlsx' | 'png' | 'svg' | 'qdpx'}` }[]> = {
  quotes: [
    { id: 'docx', label: 'exports.fmt_docx' },
    { id: 'md', label: 'exports.fmt_md' },
    { id: 'html', label: 'exports.fmt_html' },
    { id: 'csv', label: 'exports.fmt_csvQuotes' },
  ],
  codebook: [
    { id: 'docx', label: 'exports.fmt_docx' },
    { id: 'csv', label: 'exports.fmt_csv' },
    { id: 'md', label: 'exports.fmt_md' },
    { id: 'qdc', label: 'exports.fmt_qdc' },
  ],
  tables: [
    { id: 'xlsx', label: 'exports.fmt_xlsx' },
    { id: 'csv', label: 'exports.fmt_csv' },
    { id: 'md', label: 'exports.fmt_md' },
  ],
  chart: [
    { id: 'png', label: 'exports.fmt_png' },
    { id: 'svg', label: 'exports.fmt_svg' },
  ],
  qdpx: [{ id: 'qdpx', label: 'exports.fmt_qdpx' }],
};

function safeBase(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim() || 'export';
}

export default function ExportsPage() {
  const options = useCall('export.options', {});
  if (options.isLoading || !options.data) return <Spinner />;
  const data = options.data;
  return <ExportsForm data={data} />;
}

function ExportsForm({ data }: { data: ExportOptions }) {
  const info = useCall('project.info', {});
  const job = useJob();
  const toast = useToast();
  const [what, setWhat] = useState<What>('quotes');
  const [format, setFormat] = useState<Record<What, string>>({ quotes: 'docx', codebook: 'docx', tables: 'xlsx', chart: 'png', qdpx: 'qdpx' });
  const [codeIds, setCodeIds] = useState<number[]>([]);
  const [starredOnly, setStarredOnly] = useState(false);
  const [pseudonyms, setPseudonyms] = useState(false);
  const [redact, setRedact] = useState('');
  const [waves, setWaves] = useState<string[]>([]);
  const [attributeFilter, setAttributeFilter] = useState<Record<string, string[]>>({});
  const [title, setTitle] = useState('');
  /** Attributes left out of the attribution line (all are shown by default). */
  const [hiddenAttributes, setHiddenAttributes] = useState<string[]>([]);
  const [tableIds, setTableIds] = useState<number[]>([]);
  const [oneSheet, setOneSheet] = useState(false);
  const [chartTable, setChartTable] = useState<number | null>(null);
  const [chartKind, setChartKind] = useState<'grouped' | 'bar' | 'stacked'>('grouped');
  const [done, setDone] = useState<ExportResult | null>(null);
  const [imported, setImported] = useState<RefiImportResult | null>(null);
  const count = useCall('export.quotePackCount', { options: { codeIds, starredOnly, waves, attributes: attributeFilter } }, { enabled: what === 'quotes' });
  const projectName = info.data?.name ?? 'project';
  const chosenFormat = format[what];
  const toggle = <T,>(list: T[], value: T): T[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const quotePackOptions = () => ({
    codeIds,
    starredOnly,
    pseudonyms,
    waves,
    attributes: attributeFilter,
    ...(hiddenAttributes.length > 0 ? { attributionAttributes: data.attributes.map((a) => a.name).filter((n) => !hiddenAttributes.includes(n)) } : {}),
    redact: redact
      .split(/[\n,]/)
      .map((r) => r.trim())
      .filter(Boolean),
    ...(title.trim() ? { title: title.trim() } : {}),
  });

  const chartTableId = chartTable ?? data.savedTables[0]?.id ?? null;
  const blocked =
    (what === 'quotes' && data.counts.quotes === 0) ||
    (what === 'codebook' && data.codes.length === 0) ||
    (what === 'tables' && data.savedTables.length === 0) ||
    (what === 'chart' && chartTableId === null) ||
    (what === 'qdpx' && data.counts.documents === 0 && data.codes.length === 0);

  const run = async () => {
    setDone(null);
    const ext = chosenFormat;
    const base = safeBase(
      what === 'quotes'
        ? `${projectName} quotes`
        : what === 'codebook'
          ? `${projectName} codebook`
          : what === 'tables'
            ? `${projectName} tables`
            : what === 'chart'
              ? (data.savedTables.find((st) => st.id === chartTableId)?.name ?? 'chart')
              : projectName,
    );
    const filters: FileFilter[] = [{ name: t(FORMATS[what].find((f) => f.id === ext)?.label ?? 'exports.fmt_csv'), extensions: [ext] }];
    const target = await getBridge().saveFile({ title: t('exports.saveTitle'), defaultName: `${base}.${ext}`, filters });
    if (!target) return;
    try {
      let result: ExportResult;
      if (what === 'quotes') {
        result = await job.run('export.quotePack', { path: target, format: ext as QuotePackFormat, options: quotePackOptions() }, t('exports.writingQuotes'));
      } else if (what === 'codebook') {
        result = await job.run('export.codebook', { path: target, format: ext as 'docx' | 'csv' | 'md' | 'qdc' }, t('exports.writingCodebook'));
      } else if (what === 'tables') {
        result = await job.run(
          'export.tables',
          { path: target, format: ext as 'xlsx' | 'csv' | 'md', savedTableIds: tableIds, layout: oneSheet ? 'oneSheet' : 'sheetPerTable' },
          t('exports.writingTables'),
        );
      } else if (what === 'chart') {
        result = await job.run(
          'export.chart',
          { path: target, format: ext as 'png' | 'svg', savedTableId: chartTableId ?? 0, chart: { kind: chartKind }, scale: 3 },
          t('exports.drawingChart'),
        );
      } else {
        result = await job.run('export.qdpx', { path: target }, t('exports.writingProject'));
      }
      setDone(result);
      toast.show({ kind: 'success', text: `Saved ${result.path.split(/[\\/]/).pop() ?? ''}.` });
    } catch (error) {
      toast.error(error);
    }
  };

  const copyTable = async (id: number) => {
    try {
      const { text } = await getBridge().call('export.tableText', { format: 'tsv', savedTableId: id });
      await navigator.clipboard.writeText(text);
      toast.show({ kind: 'success', text: t('exports.copied') });
    } catch (error) {
      toast.error(error);
    }
  };

  const importRefi = async () => {
    const files = await getBridge().openFiles({
      title: t('exports.importRefiTitle'),
      filters: [{ name: 'REFI-QDA project or codebook', extensions: ['qdpx', 'qde', 'qdc'] }],
    });
    const file = files?.[0];
    if (!file) return;
    try {
      setImported(await job.run('import.qdpx', { path: file }, t('exports.importingRefi')));
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <div className="page export-page">
      <PageHeader title={t('shell.routes.exports')}>
        <Button onClick={() => void importRefi()} data-testid="import-refi">
          {t('exports.importRefi')}
        </Button>
      </PageHeader>

      {imported && (
        <section className="panel" data-testid="import-result" aria-label={t('exports.importResult')}>
          <h2>
            {imported.origin
              ? t('exports.importedFrom', { file: imported.file.split(/[\\/]/).pop(), origin: imported.origin })
              : t('exports.imported', { file: imported.file.split(/[\\/]/).pop() })}
          </h2>
          <p>
            {t('exports.importedCounts', {
              codes: imported.counts.codes,
              documents: imported.counts.documents,
              quotes: imported.counts.segments,
              codings: imported.counts.codings,
              participants: imported.counts.participants,
              memos: imported.counts.memos,
            })}
          </p>
          <p data-testid="import-positions">
            Positions read as {imported.positions.unit === 'utf16' ? 'UTF-16 code units (as NVivo writes them)' : 'Unicode code points (as REFI-QDA says)'}:{' '}
            {imported.positions.reason}
          </p>
          {(imported.merge.documents.length > 0 || imported.merge.conflicts.length > 0) && (
            <div data-testid="merge-report">
              <h3>{t('exports.mergedInto')}</h3>
              <ul>
                {imported.merge.documents.map((d) => (
                  <li key={d.source}>
                    {d.source} = {d.document} ({d.matchedBy === 'guid' ? 'same GUID' : 'same text'})
                  </li>
                ))}
              </ul>
              <p>
                Codes: {imported.merge.codes.matchedByGuid} matched by GUID, {imported.merge.codes.matchedByPath} by name, {imported.merge.codes.added.length} added.
              </p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th>{t('exports.mergeCoder')}</th>
                    <th>{t('exports.mergeAdded')}</th>
                    <th>{t('exports.mergeAlready')}</th>
                  </tr>
                </thead>
                <tbody>
                  {imported.merge.codingsByCoder.map((c) => (
                    <tr key={c.coder}>
                      <td>{c.coder}</td>
                      <td>{c.added}</td>
                      <td>{c.alreadyThere}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {imported.merge.conflicts.length > 0 && (
                <>
                  <h3>Conflicts (this project’s side kept)</h3>
                  <ul>
                    {imported.merge.conflicts.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          {imported.notImported.length > 0 && (
            <>
              <h3>{t('exports.notImported')}</h3>
              <ul>
                {imported.notImported.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
          <Button variant="ghost" onClick={() => setImported(null)}>
            {t('exports.dismiss')}
          </Button>
        </section>
      )}

      <div className="export-layout">
        <fieldset className="export-what" aria-label={t('exports.whatAria')}>
          <legend>{t('exports.what')}</legend>
          {WHAT.map((w) => (
            <label key={w.id} className={`export-choice ${what === w.id ? 'is-active' : ''}`}>
              <input type="radio" name="export-what" value={w.id} checked={what === w.id} onChange={() => (setWhat(w.id), setDone(null))} />
              <span>
                <strong>{t(`exports.what_${w.id}`)}</strong>
                <span className="muted">{t(`exports.hint_${w.id}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <section className="export-options" aria-label={t('exports.options')}>
          <Field label={t('exports.format')}>
            <select data-testid="export-format" value={chosenFormat} onChange={(e) => setFormat({ ...format, [what]: e.target.value })}>
              {FORMATS[what].map((f) => (
                <option key={f.id} value={f.id}>
                  {t(f.label)}
                </option>
              ))}
            </select>
          </Field>

          {what === 'quotes' &&
            (data.counts.quotes === 0 ? (
              <EmptyState title={t('exports.noQuotes')}>{t('exports.noQuotesText')}</EmptyState>
            ) : (
              <>
                <Field label={t('exports.title')} hint={t('exports.titleHint')}>
                  <input value={title} placeholder={t('exports.titlePlaceholder', { project: projectName })} onChange={(e) => setTitle(e.target.value)} />
                </Field>
                <fieldset className="export-codes">
                  <legend>{codeIds.length === 0 ? t('exports.codesAll') : t('exports.codesChosen', { count: codeIds.length })}</legend>
                  {data.codes.map((c) => (
                    <label key={c.id} style={{ paddingLeft: `${c.depth * 1.25}rem` }}>
                      <input type="checkbox" checked={codeIds.includes(c.id)} onChange={() => setCodeIds(toggle(codeIds, c.id))} />
                      {c.path.split(' > ').pop()} <span className="muted">({c.quotes})</span>
                    </label>
                  ))}
                </fieldset>
                {data.waves.length > 0 && (
                  <fieldset>
                    <legend>{waves.length === 0 ? t('exports.wavesAll') : t('exports.waves')}</legend>
                    {data.waves.map((w) => (
                      <label key={w}>
                        <input type="checkbox" checked={waves.includes(w)} onChange={() => setWaves(toggle(waves, w))} /> {w}
                      </label>
                    ))}
                  </fieldset>
                )}
                {data.attributes
                  .filter((a) => a.values.length > 0 && a.values.length <= 30)
                  .map((a) => (
                    <fieldset key={a.name}>
                      <legend>
                        {a.name} {(attributeFilter[a.name] ?? []).length === 0 ? t('exports.all') : ''}
                      </legend>
                      {a.values.map((v) => (
                        <label key={v}>
                          <input
                            type="checkbox"
                            checked={(attributeFilter[a.name] ?? []).includes(v)}
                            onChange={() => setAttributeFilter({ ...attributeFilter, [a.name]: toggle(attributeFilter[a.name] ?? [], v) })}
                          />{' '}
                          {v}
                        </label>
                      ))}
                    </fieldset>
                  ))}
                {data.attributes.length > 0 && (
                  <fieldset data-testid="attribution">
                    <legend>{t('exports.attribution')}</legend>
                    {data.attributes.map((a) => (
                      <label key={a.name}>
                        <input type="checkbox" checked={!hiddenAttributes.includes(a.name)} onChange={() => setHiddenAttributes(toggle(hiddenAttributes, a.name))} /> {a.name}
                      </label>
                    ))}
                  </fieldset>
                )}
                <label>
                  <input type="checkbox" checked={starredOnly} onChange={(e) => setStarredOnly(e.target.checked)} data-testid="starred-only" /> {t('exports.starredOnly', { count: data.counts.starred })}
                </label>
                <label>
                  <input type="checkbox" checked={pseudonyms} onChange={(e) => setPseudonyms(e.target.checked)} data-testid="pseudonyms" /> {t('exports.pseudonyms')}
                </label>
                <Field label={t('exports.redact')} hint={t('exports.redactHint')}>
                  <textarea rows={3} value={redact} onChange={(e) => setRedact(e.target.value)} data-testid="redact" />
                </Field>
              </>
            ))}

          {what === 'tables' &&
            (data.savedTables.length === 0 ? (
              <EmptyState title={t('exports.noTables')}>{t('exports.noTablesText')}</EmptyState>
            ) : (
              <>
                <fieldset>
                  <legend>{tableIds.length === 0 ? t('exports.tablesAll') : t('exports.tablesChosen', { count: tableIds.length })}</legend>
                  {data.savedTables.map((st) => (
                    <div key={st.id} className="export-table-row">
                      <label>
                        <input type="checkbox" checked={tableIds.includes(st.id)} onChange={() => setTableIds(toggle(tableIds, st.id))} /> {st.name}
                      </label>
                      <Button variant="ghost" onClick={() => void copyTable(st.id)} aria-label={t('exports.copyFor', { name: st.name })}>
                        {t('exports.copy')}
                      </Button>
                    </div>
                  ))}
                </fieldset>
                {chosenFormat === 'xlsx' && (
                  <label>
                    <input type="checkbox" checked={oneSheet} onChange={(e) => setOneSheet(e.target.checked)} /> {t('exports.oneSheet')}
                  </label>
                )}
              </>
            ))}

          {what === 'chart' &&
            (data.savedTables.length === 0 ? (
              <EmptyState title={t('exports.noTables')}>{t('exports.noChartTables')}</EmptyState>
            ) : (
              <>
                <Field label={t('exports.table')}>
                  <select value={chartTableId ?? ''} onChange={(e) => setChartTable(Number(e.target.value))}>
                    {data.savedTables.map((st) => (
                      <option key={st.id} value={st.id}>
                        {st.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('exports.chart')}>
                  <select value={chartKind} onChange={(e) => setChartKind(e.target.value as 'grouped' | 'bar' | 'stacked')}>
                    <option value="grouped">{t('exports.grouped')}</option>
                    <option value="bar">{t('exports.bar')}</option>
                    <option value="stacked">{t('exports.stacked')}</option>
                  </select>
                </Field>
              </>
            ))}

          {what === 'codebook' && <p className="muted">{t('exports.codesCount', { count: data.codes.length })}</p>}
          {what === 'qdpx' && (
            <p className="muted">
              {t('exports.qdpxText', { documents: data.counts.documents, codes: data.codes.length, quotes: data.counts.quotes })}
            </p>
          )}

          {what === 'quotes' && count.data && (
            <p data-testid="quote-count">
              {t('exports.quoteCount', { quotes: count.data.quotes, themes: count.data.themes, people: count.data.people })}
            </p>
          )}
          <div className="export-actions">
            <Button variant="primary" disabled={blocked || job.state !== null} onClick={() => void run()} data-testid="export-run">
              {t('exports.exportButton')}
            </Button>
            {done && (
              <span className="export-done" data-testid="export-done">
                {t('exports.saved', { file: done.path.split(/[\\/]/).pop() })}{' '}
                <Button onClick={() => void getBridge().revealFile(done.path)} data-testid="export-reveal">
                  {getBridge().host === 'web' ? t('exports.download') : t('exports.showInFolder')}
                </Button>
              </span>
            )}
          </div>
        </section>
      </div>
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
