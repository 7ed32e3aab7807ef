import type { Finding, Report } from '../../shared/contract/findings';
import { renderChartSvg } from '../analysis/chart';
import { tableGrid, type TableGrid } from '../export/tables/grid';
import type { Project } from '../store/project';
import { headlineParts } from './format';
import { methodology, type Methodology } from './methodology';
import { reportReader, reportSettings, findingView, type ReportReader } from './view';
import type { FindingRow } from './store';

/**
 * The report as every writer prints it (DOCX, Markdown, HTML), so the formats never disagree.
 * Each number is a note: its source (saved table, cell, statistic), its base and the fingerprint
 * of the data it was read from, so a reader can trace any figure back.
 */
export interface SourceNote {
  /** 1-based, in reading order. */
  number: number;
  text: string;
}

export type HeadlinePart = { text: string } | { value: string; note: number | null };

export interface DocChart {
  svg: string;
  /** "Figure 2. Where do you run AI workloads?" */
  caption: string;
  /** Bases and question under the chart. */
  under: string[];
  tableId: number;
}

export interface DocFinding {
  number: number;
  headline: HeadlinePart[];
  headlineText: string;
  body: string;
  chart: DocChart | null;
  quotes: { text: string; attribution: string }[];
}

export interface AppendixTable {
  id: number;
  name: string;
  grid: TableGrid;
}

export interface ReportDocument {
  title: string;
  date: string;
  findings: DocFinding[];
  notes: SourceNote[];
  methodology: Methodology;
  appendix: AppendixTable[];
  warnings: string[];
}

/** A chart sized for a printed page (about 16 cm wide), without its own title: the caption says it. */
const PRINT_CHART = { width: 640, height: 360 } as const;

function chartOf(reader: ReportReader, finding: Finding, figure: number): DocChart | null {
  if (!finding.chart) return null;
  let table;
  try {
    table = reader.tables.get(finding.chart.tableId);
  } catch {
    return null;
  }
  const options = { ...finding.chart.options, ...PRINT_CHART, title: '' };
  const group = table.result.groups[options.group] ?? table.result.groups[0];
  if (!group) return null;
  const under = [`Question: ${group.label}`];
  const bases = table.result.columns.map((c, i) => `${c.label} ${group.bases[i]?.unweighted ?? 0}`);
  under.push(`Base: ${table.result.unit} who answered (n): ${bases.join(', ')}${table.result.filterText ? `; ${table.result.filterText}` : ''}`);
  if (table.result.weighted) under.push(`Weighted by ${table.result.weightLabel ?? 'a weight'}.`);
  return { svg: renderChartSvg(table.result, options), caption: `Figure ${figure}. ${table.saved.name}`, under, tableId: finding.chart.tableId };
}

export function collectReport(project: Project): { report: Report; document: ReportDocument } {
  const { title, settings } = reportSettings(project);
  const reader = reportReader(project, settings);
  const rows = project.db.prepare('SELECT * FROM finding ORDER BY position, id').all() as FindingRow[];
  const findings = rows.map((r) => findingView(reader, r));
  const report: Report = { title, settings, findings, staleCount: findings.filter((f) => f.stale).length };

  const notes: SourceNote[] = [];
  const warnings: string[] = [];
  const used: number[] = [];
  const use = (id: number | null) => {
    if (id !== null && !used.includes(id)) used.push(id);
  };
  let figure = 0;
  const docFindings = findings.map((finding, index): DocFinding => {
    const slots = new Map(finding.slots.map((s) => [s.key, s]));
    const headline = headlineParts(finding.headline).map((part): HeadlinePart => {
      if ('text' in part) return part;
      const slot = slots.get(part.key);
      if (!slot) return { text: `{${part.key}}` };
      const source = slot.source;
      use(source.kind === 'code' ? null : source.tableId);
      const fingerprint = slot.fingerprint ? ` Data fingerprint ${slot.fingerprint}.` : '';
      const note = { number: notes.length + 1, text: `${slot.label}.${slot.baseText ? ` ${slot.baseText}.` : ''}${fingerprint}` };
      notes.push(note);
      return { value: slot.text, note: note.number };
    });
    for (const slot of finding.slots) {
      if (slot.error) warnings.push(`Finding ${index + 1}: the number {${slot.key}} has no source any more (${slot.error}).`);
      else if (slot.stale) warnings.push(`Finding ${index + 1}: {${slot.key}} was ${slot.acceptedText}, now ${slot.text}; not yet accepted.`);
    }
    for (const key of finding.unknownSlots) warnings.push(`Finding ${index + 1}: the headline names {${key}}, which has no number.`);
    const missing = finding.quotes.filter((q) => q.missing).length;
    if (missing > 0) warnings.push(`Finding ${index + 1}: ${missing} quote${missing === 1 ? ' is' : 's are'} gone from the project and left out.`);
    if (finding.chart) use(finding.chart.tableId);
    const chart = finding.chart ? chartOf(reader, finding, figure + 1) : null;
    if (chart) figure += 1;
    else if (finding.chart) warnings.push(`Finding ${index + 1}: its chart's table "${finding.chart.tableName ?? finding.chart.tableId}" could not be drawn and is left out.`);
    return {
      number: index + 1,
      headline,
      headlineText: finding.headlineText,
      body: finding.body,
      chart,
      quotes: finding.quotes.filter((q) => !q.missing).map((q) => ({ text: q.text, attribution: q.attribution })),
    };
  });

  const appendix: AppendixTable[] = [];
  for (const id of used) {
    try {
      const table = reader.tables.get(id);
      appendix.push({ id, name: table.saved.name, grid: tableGrid({ ...table.result, title: table.saved.name }) });
    } catch {
      // Its numbers already carry the warning.
    }
  }
  const quoted = findings.flatMap((f) => f.quotes.filter((q) => !q.missing));
  return {
    report,
    document: {
      title,
      date: new Date().toISOString().slice(0, 10),
      findings: docFindings,
      notes,
      methodology: methodology(project, reader, used, quoted),
      appendix,
      warnings,
    },
  };
}
