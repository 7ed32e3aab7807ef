import { useEffect, useState } from 'react';
import type { FindingSlot, Report, ReportExportResult, ReportFormat } from '../../../../shared/contract/findings';
import { getBridge } from '../../api/bridge';
import { useAction, useCall, useJob } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, EmptyState, Field, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { FindingCard } from './FindingCard';
import { SourceTable } from './SourceTable';
import './findings.css';

const FORMAT_LABELS: Record<ReportFormat, string> = { docx: 'Word (.docx)', md: 'Markdown (.md)', html: 'Web page (.html)' };

function list(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Title, attribution, pseudonyms and redaction of the whole report. */
function Settings({ report }: { report: Report }) {
  const settings = useAction('findings.settings');
  const toast = useToast();
  const options = useCall('export.options', {});
  const attributes = (options.data?.attributes ?? []).map((a) => a.name);
  const shown = report.settings.attributionAttributes ?? attributes;
  const [title, setTitle] = useState(report.title);
  const [verbatim, setVerbatim] = useState(report.settings.verbatimAnswers.join(', '));
  const [redact, setRedact] = useState(report.settings.redact.join('\n'));
  useEffect(() => setTitle(report.title), [report.title]);
  const save = (input: Parameters<typeof settings.mutateAsync>[0]) => void settings.mutateAsync(input).catch((e: unknown) => toast.error(e));
  return (
    <details className="fd-settings" data-testid="report-settings">
      <summary>Report settings</summary>
      <Field label="Title">
        <input data-testid="report-title" value={title} onChange={(e) => setTitle(e.target.value)} onBlur={() => title !== report.title && save({ title })} />
      </Field>
      <label>
        <input type="checkbox" checked={report.settings.pseudonyms} onChange={(e) => save({ settings: { pseudonyms: e.target.checked } })} /> Participants by pseudonym (P01…, the same
        person has the same one in every export)
      </label>
      {attributes.length > 0 && (
        <fieldset className="fd-attributes" data-testid="attribution-attributes">
          <legend>Attribute interview quotes by</legend>
          {attributes.map((name) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={shown.includes(name)}
                onChange={(e) => save({ settings: { attributionAttributes: e.target.checked ? attributes.filter((n) => n === name || shown.includes(n)) : shown.filter((n) => n !== name) } })}
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
      )}
      <Field label="Attribute open answers by the answers to" hint="Question names, comma-separated (e.g. ROLE, INDUSTRY, COUNTRY).">
        <input data-testid="verbatim-answers" value={verbatim} onChange={(e) => setVerbatim(e.target.value)} onBlur={() => save({ settings: { verbatimAnswers: list(verbatim) } })} />
      </Field>
      <Field label="Names to redact" hint="One per line; printed as [redacted].">
        <textarea rows={2} value={redact} onChange={(e) => setRedact(e.target.value)} onBlur={() => save({ settings: { redact: list(redact) } })} />
      </Field>
    </details>
  );
}

export default function FindingsPage() {
  const report = useCall('findings.report', {});
  const create = useAction('findings.create');
  const accept = useAction('findings.accept');
  const job = useJob();
  const toast = useToast();
  const [format, setFormat] = useState<ReportFormat>('docx');
  const [source, setSource] = useState<FindingSlot | null>(null);
  const [done, setDone] = useState<ReportExportResult | null>(null);
  if (report.isLoading || !report.data) return <Spinner />;
  const data = report.data;

  const open = (slot: FindingSlot) => {
    if (slot.source.kind === 'code') navigate(`codebook?code=${slot.source.codeId}`);
    else setSource(slot);
  };
  const newFinding = () => void create.mutateAsync({ headline: '' }).catch((e: unknown) => toast.error(e));
  const exportReport = async () => {
    const name = data.title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'report';
    const target = await getBridge().saveFile({ title: 'Export the report', defaultName: `${name}.${format}`, filters: [{ name: FORMAT_LABELS[format], extensions: [format] }] });
    if (!target) return;
    try {
      const result = await job.run('findings.export', { path: target, format }, 'Writing the report');
      setDone(result);
      toast.show({ kind: result.warnings.length > 0 ? 'info' : 'success', text: `Saved ${result.path.split(/[\\/]/).pop() ?? ''}${result.warnings.length > 0 ? ` with ${result.warnings.length} warning(s)` : ''}.` });
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <div className="page findings-page">
      <PageHeader title="Findings">
        <Button variant="primary" data-testid="new-finding" onClick={newFinding}>
          New finding
        </Button>
        <select aria-label="Report format" data-testid="report-format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
          {(Object.keys(FORMAT_LABELS) as ReportFormat[]).map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
        <Button data-testid="export-report" disabled={data.findings.length === 0} onClick={() => void exportReport()}>
          Export…
        </Button>
      </PageHeader>
      {data.staleCount > 0 && (
        <div className="fd-stale-bar" role="status" data-testid="stale-banner">
          {data.staleCount} finding{data.staleCount === 1 ? ' has' : 's have'} numbers that changed with the data. Check them, then accept; an export warns until you do.
          <Button onClick={() => void accept.mutateAsync({}).catch((e: unknown) => toast.error(e))}>Accept all</Button>
        </div>
      )}
      {done && (
        <section className="panel" data-testid="report-done">
          <p>
            Saved <strong>{done.path.split(/[\\/]/).pop()}</strong> ({done.items} findings).
          </p>
          {done.warnings.length > 0 && (
            <ul className="fd-warn">
              {done.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <Button onClick={() => void getBridge().revealFile(done.path).catch((e: unknown) => toast.error(e))} data-testid="report-reveal">
            {getBridge().host === 'web' ? 'Download' : 'Show in folder'}
          </Button>
        </section>
      )}
      <Settings report={data} />
      {data.findings.length === 0 ? (
        <EmptyState title="No findings yet." actions={<Button onClick={newFinding}>New finding</Button>}>
          A finding is a headline whose numbers stay tied to your saved tables and codes, with a chart and quotes. When the data changes, Fieldbook flags the numbers that moved.
        </EmptyState>
      ) : (
        <div className="fd-list">
          {data.findings.map((f) => (
            <FindingCard key={f.id} finding={f} count={data.findings.length} onOpen={open} />
          ))}
        </div>
      )}
      {source && source.source.kind !== 'code' && <SourceTable source={source.source} label={source.label} onClose={() => setSource(null)} />}
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
