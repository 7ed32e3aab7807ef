import type { ChangeVsPrevious, TableResult } from '../../../shared/contract/tables';
import { netLabel } from '../../analysis/crosstab';
import type { Language } from '../../../shared/i18n/index';
import { translator } from '../../i18n/index';
import { csvLine, mdCell, tsvCell } from '../safety';

/**
 * A computed table laid out as the rows a report shows: banner headers, then for each row
 * question its bases, one line per cell content (count, column %...), a line of significance
 * letters, the chi-square result and notes. Every writer (XLSX, CSV, Markdown, TSV) prints this
 * same grid, so the formats never disagree.
 */
export type GridKind = 'title' | 'blockHeader' | 'columnHeader' | 'letterHeader' | 'groupHeader' | 'base' | 'lowBase' | 'value' | 'letters' | 'change' | 'stat' | 'note';

/** Numbers keep full precision; `format` says how they are shown (XLSX number format, or text). */
export type GridValue = { text: string } | { number: number; format: 'count' | 'pct' | 'decimal' | 'weighted' } | null;

export interface GridRow {
  kind: GridKind;
  /** First column: the row's label. */
  label: string;
  /** One entry per table column (empty for title, note and stat rows). */
  values: GridValue[];
  /** Net rows and Total are shown in bold. */
  emphasis?: boolean;
}

export interface TableGrid {
  title: string;
  columns: number;
  rows: GridRow[];
  /** Merges for the block header row: [start, count] over value columns. */
  blockSpans: { label: string; start: number; count: number }[];
}


function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The table as rows of cells, its headings and notes in `language` (the numbers and data labels as they are). */
export function tableGrid(table: TableResult, language?: Language): TableGrid {
  const t = translator(language);
  const n = table.columns.length;
  const rows: GridRow[] = [{ kind: 'title', label: table.title, values: [] }];
  const empty = (): GridValue[] => Array.from({ length: n }, () => null);
  rows.push({ kind: 'blockHeader', label: '', values: empty() });
  rows.push({ kind: 'columnHeader', label: '', values: table.columns.map((c) => ({ text: c.label })) });
  if (table.columns.some((c) => c.letter)) rows.push({ kind: 'letterHeader', label: '', values: table.columns.map((c) => (c.letter ? { text: `(${c.letter})` } : null)) });

  for (const group of table.groups) {
    rows.push({ kind: 'groupHeader', label: group.label, values: empty() });
    rows.push({ kind: 'base', label: t(group.base === 'all' ? 'doc.baseAll' : group.base === 'shown' ? 'doc.baseShown' : 'doc.baseAnswered', { unit: t(table.unit === 'participants' ? 'doc.unitParticipants' : 'doc.unitRespondents') }), values: group.bases.map((b) => ({ number: b.unweighted, format: 'count' as const })) });
    if (table.weighted) {
      rows.push({ kind: 'base', label: t('doc.weightedBase'), values: group.bases.map((b) => ({ number: b.weighted, format: 'weighted' as const })) });
      rows.push({ kind: 'base', label: t('doc.effectiveBase'), values: group.bases.map((b) => ({ number: b.effective, format: 'weighted' as const })) });
    }
    if (group.bases.some((b) => b.low)) rows.push({ kind: 'lowBase', label: t('doc.lowBase'), values: group.bases.map((b) => (b.low ? { text: '*' } : null)) });

    for (const row of group.rows) {
      const emphasis = row.kind === 'net';
      const label = row.kind === 'net' ? netLabel(row.label) : row.label;
      if (row.kind === 'mean' || row.kind === 'sd') {
        rows.push({
          kind: 'value',
          label,
          emphasis,
          values: row.cells.map((c) => {
            const v = row.kind === 'mean' ? c.mean : c.sd;
            return v === null || v === undefined ? null : { number: v, format: 'decimal' as const };
          }),
        });
      } else {
        table.cells.forEach((content, i) => {
          if (content === 'mean') return;
          const values: GridValue[] = row.cells.map((c) => {
            if (content === 'count') return { number: c.count, format: 'count' as const };
            if (content === 'weightedCount') return { number: c.weightedCount, format: 'weighted' as const };
            const v = c[content];
            return v === null ? null : { number: v, format: 'pct' as const };
          });
          rows.push({ kind: 'value', label: i === 0 ? label : `${label}: ${t(`doc.${content}`)}`, emphasis, values });
        });
      }
      if (row.cells.some((c) => c.letters.length > 0)) {
        rows.push({ kind: 'letters', label: '', values: row.cells.map((c) => (c.letters.length ? { text: c.letters.join('') } : null)) });
      }
      if (row.cells.some((c) => c.change)) {
        rows.push({ kind: 'change', label: `${label}: change (points)`, values: row.cells.map((c) => (c.change ? { text: changeText(c.change) } : null)) });
      }
    }
    for (const chi of group.chiSquare) {
      const block = table.blocks.find((b) => b.key === chi.block)?.label ?? chi.block;
      rows.push({
        kind: 'stat',
        label: `${t('doc.chiSquare', { block })}: χ² = ${chi.chi2.toFixed(2)}, df = ${chi.df}, ${pValue(chi.p)}, Cramér's V = ${chi.cramersV.toFixed(3)}, n = ${round(chi.n, 1)}${chi.significant ? t('doc.significant') : ''}${chi.warning ? `. ${chi.warning}` : ''}`,
        values: [],
      });
    }
    for (const note of group.notes) rows.push({ kind: 'note', label: note, values: [] });
  }

  const footer: string[] = [];
  if (table.filterText) footer.push(t('doc.filter', { filter: table.filterText }));
  if (table.weighted) footer.push(t('doc.weightedBy', { weight: table.weightLabel ?? t('doc.aWeight') }));
  if (table.columns.some((c) => c.letter)) {
    const pct = Math.round(table.level * 100);
    footer.push(table.correction === 'none' ? t('doc.letters', { pct }) : t('doc.lettersCorrected', { pct, correction: table.correction }));
  }
  if (table.groups.some((g) => g.rows.some((r) => r.cells.some((c) => c.change)))) {
    footer.push(t('doc.changeNote'));
  }
  footer.push(...table.notes);
  if (table.method) footer.push(table.method);
  for (const line of footer) rows.push({ kind: 'note', label: line, values: [] });

  return {
    title: table.title,
    columns: n,
    rows,
    blockSpans: table.blocks.map((b) => ({ label: b.label, start: b.start, count: b.count })),
  };
}

/**
 * "▲ +12.0": the change in points, marked ▲ (rose) or ▼ (fell) when significant, as on screen. The
 * mark comes first so a spreadsheet never reads "+12.0 ▲" as a formula to neutralise.
 */
export function changeText(change: ChangeVsPrevious): string {
  const value = `${change.pp >= 0 ? '+' : '-'}${Math.abs(change.pp).toFixed(1)}`;
  return change.significant ? `${change.pp >= 0 ? '▲' : '▼'} ${value}` : value;
}

/** The grid as plain strings (what CSV, TSV and Markdown print). */
export function gridText(grid: TableGrid): string[][] {
  const out: string[][] = [];
  for (const row of grid.rows) {
    if (row.kind === 'blockHeader') {
      const cells = Array.from({ length: grid.columns }, () => '');
      for (const span of grid.blockSpans) cells[span.start] = span.label;
      out.push(['', ...cells]);
      continue;
    }
    if (row.values.length === 0) {
      out.push([row.label]);
      continue;
    }
    out.push([
      row.label,
      ...row.values.map((v) => {
        if (v === null) return '';
        if ('text' in v) return v.text;
        // Text formats print what the spreadsheet shows; XLSX keeps full precision behind its format.
        if (v.format === 'pct') return `${v.number.toFixed(1)}%`;
        if (v.format === 'weighted') return v.number.toFixed(1);
        if (v.format === 'decimal') return v.number.toFixed(2);
        return String(v.number);
      }),
    ]);
  }
  return out;
}

export function gridCsv(grids: TableGrid[]): string {
  const lines: string[] = [];
  grids.forEach((grid, i) => {
    if (i > 0) lines.push('');
    for (const row of gridText(grid)) lines.push(csvLine(row));
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function gridTsv(grid: TableGrid): string {
  return gridText(grid)
    .map((row) => row.map(tsvCell).join('\t'))
    .join('\r\n');
}

export function gridMarkdown(grids: TableGrid[]): string {
  const parts: string[] = [];
  for (const grid of grids) {
    const text = gridText(grid);
    const width = grid.columns + 1;
    const header = text.find((_, i) => grid.rows[i]?.kind === 'columnHeader') ?? [];
    // Markdown tables have one header line: each column's label says its block ("Country: Japan").
    const headerCells = Array.from({ length: width }, (_, c) => {
      const label = header[c] ?? '';
      const block = grid.blockSpans.find((s) => c - 1 >= s.start && c - 1 < s.start + s.count)?.label ?? '';
      return c === 0 ? '' : block && block !== label ? `${block}: ${label}` : label;
    });
    parts.push(`## ${mdCell(grid.title)}`, '');
    parts.push(`| ${headerCells.map(mdCell).join(' | ')} |`, `|${Array.from({ length: width }, (_, c) => (c === 0 ? '---' : '---:')).join('|')}|`);
    const notes: string[] = [];
    grid.rows.forEach((row, i) => {
      if (row.kind === 'title' || row.kind === 'blockHeader' || row.kind === 'columnHeader') return;
      if (row.kind === 'stat' || row.kind === 'note') {
        notes.push(row.label);
        return;
      }
      const cells = text[i] ?? [];
      const label = row.kind === 'groupHeader' ? `**${mdCell(row.label)}**` : row.emphasis ? `**${mdCell(row.label)}**` : mdCell(row.label);
      parts.push(`| ${[label, ...Array.from({ length: grid.columns }, (_, c) => mdCell(cells[c + 1] ?? ''))].join(' | ')} |`);
    });
    parts.push('');
    for (const note of notes) parts.push(`- ${mdCell(note)}`);
    parts.push('');
  }
  return parts.join('\n');
}
