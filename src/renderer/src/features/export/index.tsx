import { useState } from 'react';
import type { ExportOptions, ExportResult, QuotePackFormat, RefiImportResult } from '../../../../shared/contract/exports';
import type { FileFilter } from '../../../../shared/api';
import { getBridge } from '../../api/bridge';
import { useCall, useJob } from '../../api/hooks';
import { Button, EmptyState, Field, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import './export.css';

type What = 'quotes' | 'codebook' | 'tables' | 'chart' | 'qdpx';

const WHAT: { id: What; label: string; hint: string }[] = [
  { id: 'quotes', label: 'Quote pack', hint: 'Quotes grouped by theme, with attribution lines, for a report.' },
  { id: 'codebook', label: 'Codebook', hint: 'Codes with definitions, rules and counts.' },
  { id: 'tables', label: 'Tables', hint: 'Saved tables with bases, percentages and significance letters.' },
  { id: 'chart', label: 'Chart', hint: 'A chart of one saved table, for slides and reports.' },
  { id: 'qdpx', label: 'Whole project (REFI-QDA)', hint: 'A .qdpx for NVivo, ATLAS.ti, MAXQDA or QualCoder.' },
];

const FORMATS: Record<What, { id: string; label: string }[]> = {
  quotes: [
    { id: 'docx', label: 'Word (.docx)' },
    { id: 'md', label: 'Markdown (.md)' },
    { id: 'html', label: 'Web page (.html)' },
    { id: 'csv', label: 'CSV, one row per quote (.csv)' },
  ],
  codebook: [
    { id: 'docx', label: 'Word (.docx)' },
    { id: 'csv', label: 'CSV (.csv)' },
    { id: 'md', label: 'Markdown (.md)' },
    { id: 'qdc', label: 'REFI-QDA codebook (.qdc)' },
  ],
  tables: [
    { id: 'xlsx', label: 'Excel (.xlsx)' },
    { id: 'csv', label: 'CSV (.csv)' },
    { id: 'md', label: 'Markdown (.md)' },
  ],
  chart: [
    { id: 'png', label: 'PNG image for print, 2400 pixels wide (.png)' },
    { id: 'svg', label: 'SVG drawing (.svg)' },
  ],
  qdpx: [{ id: 'qdpx', label: 'REFI-QDA project (.qdpx)' }],
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
              ? (data.savedTables.find((t) => t.id === chartTableId)?.name ?? 'chart')
              : projectName,
    );
    const filters: FileFilter[] = [{ name: FORMATS[what].find((f) => f.id === ext)?.label ?? ext, extensions: [ext] }];
    const target = await getBridge().saveFile({ title: 'Export', defaultName: `${base}.${ext}`, filters });
    if (!target) return;
    try {
      let result: ExportResult;
      if (what === 'quotes') {
        result = await job.run('export.quotePack', { path: target, format: ext as QuotePackFormat, options: quotePackOptions() }, 'Writing the quote pack');
      } else if (what === 'codebook') {
        result = await job.run('export.codebook', { path: target, format: ext as 'docx' | 'csv' | 'md' | 'qdc' }, 'Writing the codebook');
      } else if (what === 'tables') {
        result = await job.run(
          'export.tables',
          { path: target, format: ext as 'xlsx' | 'csv' | 'md', savedTableIds: tableIds, layout: oneSheet ? 'oneSheet' : 'sheetPerTable' },
          'Writing the tables',
        );
      } else if (what === 'chart') {
        result = await job.run(
          'export.chart',
          { path: target, format: ext as 'png' | 'svg', savedTableId: chartTableId ?? 0, chart: { kind: chartKind }, scale: 3 },
          'Drawing the chart',
        );
      } else {
        result = await job.run('export.qdpx', { path: target }, 'Writing the project');
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
      toast.show({ kind: 'success', text: 'Table copied. Paste it into Excel or Word.' });
    } catch (error) {
      toast.error(error);
    }
  };

  const importRefi = async () => {
    const files = await getBridge().openFiles({
      title: 'Import a REFI-QDA project',
      filters: [{ name: 'REFI-QDA project or codebook', extensions: ['qdpx', 'qde', 'qdc'] }],
    });
    const file = files?.[0];
    if (!file) return;
    try {
      setImported(await job.run('import.qdpx', { path: file }, 'Importing the REFI-QDA project'));
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <div className="page export-page">
      <PageHeader title="Exports">
        <Button onClick={() => void importRefi()} data-testid="import-refi">
          Import REFI-QDA project…
        </Button>
      </PageHeader>

      {imported && (
        <section className="panel" data-testid="import-result" aria-label="Import result">
          <h2>
            Imported {imported.file.split(/[\\/]/).pop()}
            {imported.origin ? ` from ${imported.origin}` : ''}
          </h2>
          <p>
            {imported.counts.codes} codes, {imported.counts.documents} documents, {imported.counts.segments} quotes, {imported.counts.codings} codings,{' '}
            {imported.counts.participants} participants, {imported.counts.memos} memos added.
          </p>
          <p data-testid="import-positions">
            Positions read as {imported.positions.unit === 'utf16' ? 'UTF-16 code units (as NVivo writes them)' : 'Unicode code points (as REFI-QDA says)'}:{' '}
            {imported.positions.reason}
          </p>
          {(imported.merge.documents.length > 0 || imported.merge.conflicts.length > 0) && (
            <div data-testid="merge-report">
              <h3>Merged into documents already here</h3>
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
                    <th>Coder</th>
                    <th>Codings added</th>
                    <th>Already here</th>
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
              <h3>Not imported</h3>
              <ul>
                {imported.notImported.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
          <Button variant="ghost" onClick={() => setImported(null)}>
            Dismiss
          </Button>
        </section>
      )}

      <div className="export-layout">
        <fieldset className="export-what" aria-label="What to export">
          <legend>What</legend>
          {WHAT.map((w) => (
            <label key={w.id} className={`export-choice ${what === w.id ? 'is-active' : ''}`}>
              <input type="radio" name="export-what" value={w.id} checked={what === w.id} onChange={() => (setWhat(w.id), setDone(null))} />
              <span>
                <strong>{w.label}</strong>
                <span className="muted">{w.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <section className="export-options" aria-label="Options">
          <Field label="Format">
            <select data-testid="export-format" value={chosenFormat} onChange={(e) => setFormat({ ...format, [what]: e.target.value })}>
              {FORMATS[what].map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>

          {what === 'quotes' &&
            (data.counts.quotes === 0 ? (
              <EmptyState title="No quotes yet.">Code some passages of your transcripts or open answers; their quotes can then be exported here.</EmptyState>
            ) : (
              <>
                <Field label="Title" hint="Printed at the top of the pack.">
                  <input value={title} placeholder={`${projectName}: quotes`} onChange={(e) => setTitle(e.target.value)} />
                </Field>
                <fieldset className="export-codes">
                  <legend>Codes {codeIds.length === 0 ? '(all)' : `(${codeIds.length} chosen, with their sub-codes)`}</legend>
                  {data.codes.map((c) => (
                    <label key={c.id} style={{ paddingLeft: `${c.depth * 1.25}rem` }}>
                      <input type="checkbox" checked={codeIds.includes(c.id)} onChange={() => setCodeIds(toggle(codeIds, c.id))} />
                      {c.path.split(' > ').pop()} <span className="muted">({c.quotes})</span>
                    </label>
                  ))}
                </fieldset>
                {data.waves.length > 0 && (
                  <fieldset>
                    <legend>Waves {waves.length === 0 ? '(all)' : ''}</legend>
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
                        {a.name} {(attributeFilter[a.name] ?? []).length === 0 ? '(all)' : ''}
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
                    <legend>Attribution line shows</legend>
                    {data.attributes.map((a) => (
                      <label key={a.name}>
                        <input type="checkbox" checked={!hiddenAttributes.includes(a.name)} onChange={() => setHiddenAttributes(toggle(hiddenAttributes, a.name))} /> {a.name}
                      </label>
                    ))}
                  </fieldset>
                )}
                <label>
                  <input type="checkbox" checked={starredOnly} onChange={(e) => setStarredOnly(e.target.checked)} data-testid="starred-only" /> Starred quotes only (
                  {data.counts.starred})
                </label>
                <label>
                  <input type="checkbox" checked={pseudonyms} onChange={(e) => setPseudonyms(e.target.checked)} data-testid="pseudonyms" /> Pseudonyms (P01, P02…)
                  instead of names
                </label>
                <Field label="Redact" hint="Names and organisations to replace with [redacted], one per line or comma-separated.">
                  <textarea rows={3} value={redact} onChange={(e) => setRedact(e.target.value)} data-testid="redact" />
                </Field>
              </>
            ))}

          {what === 'tables' &&
            (data.savedTables.length === 0 ? (
              <EmptyState title="No saved tables yet.">Build a table on the Tables page and save it; it can then be exported here.</EmptyState>
            ) : (
              <>
                <fieldset>
                  <legend>Tables {tableIds.length === 0 ? '(all)' : `(${tableIds.length} chosen)`}</legend>
                  {data.savedTables.map((t) => (
                    <div key={t.id} className="export-table-row">
                      <label>
                        <input type="checkbox" checked={tableIds.includes(t.id)} onChange={() => setTableIds(toggle(tableIds, t.id))} /> {t.name}
                      </label>
                      <Button variant="ghost" onClick={() => void copyTable(t.id)} aria-label={`Copy ${t.name} for Excel or Word`}>
                        Copy
                      </Button>
                    </div>
                  ))}
                </fieldset>
                {chosenFormat === 'xlsx' && (
                  <label>
                    <input type="checkbox" checked={oneSheet} onChange={(e) => setOneSheet(e.target.checked)} /> All tables on one sheet
                  </label>
                )}
              </>
            ))}

          {what === 'chart' &&
            (data.savedTables.length === 0 ? (
              <EmptyState title="No saved tables yet.">Charts are drawn from saved tables. Save a table on the Tables page first.</EmptyState>
            ) : (
              <>
                <Field label="Table">
                  <select value={chartTableId ?? ''} onChange={(e) => setChartTable(Number(e.target.value))}>
                    {data.savedTables.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="Chart">
                  <select value={chartKind} onChange={(e) => setChartKind(e.target.value as 'grouped' | 'bar' | 'stacked')}>
                    <option value="grouped">Grouped bars (one per column)</option>
                    <option value="bar">Bars (Total)</option>
                    <option value="stacked">Stacked bars</option>
                  </select>
                </Field>
              </>
            ))}

          {what === 'codebook' && <p className="muted">{data.codes.length} codes.</p>}
          {what === 'qdpx' && (
            <p className="muted">
              {data.counts.documents} documents, {data.codes.length} codes and {data.counts.quotes} quotes, with participants, attributes, coders and memos.
            </p>
          )}

          {what === 'quotes' && count.data && (
            <p data-testid="quote-count">
              {count.data.quotes} quotes in {count.data.themes} themes, from {count.data.people} people.
            </p>
          )}
          <div className="export-actions">
            <Button variant="primary" disabled={blocked || job.state !== null} onClick={() => void run()} data-testid="export-run">
              Export…
            </Button>
            {done && (
              <span className="export-done" data-testid="export-done">
                Saved {done.path.split(/[\\/]/).pop()}.{' '}
                <Button onClick={() => void getBridge().revealFile(done.path)} data-testid="export-reveal">
                  {getBridge().host === 'web' ? 'Download' : 'Show in folder'}
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
