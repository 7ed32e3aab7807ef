import { baseName, type CellContent, type TableCell, type TableResult } from '../../shared/contract/tables';

/** One cell as text: the chosen contents, then the letters of the columns it beats. */
export function cellText(cell: TableCell, contents: CellContent[], rowKind: string): string {
  const parts: string[] = [];
  if (rowKind === 'mean' || rowKind === 'sd') {
    parts.push(cell.mean === null || cell.mean === undefined ? '–' : cell.mean.toFixed(2));
  } else {
    for (const c of contents) {
      if (c === 'count') parts.push(String(cell.count));
      else if (c === 'weightedCount') parts.push(cell.weightedCount.toFixed(1));
      else if (c === 'mean') continue;
      else {
        const v = cell[c];
        parts.push(v === null ? '–' : `${v.toFixed(1)}%`);
      }
    }
  }
  if (cell.change) parts.push(`(${cell.change.pp >= 0 ? '+' : ''}${cell.change.pp.toFixed(1)} pts${cell.change.significant ? ' ▲' : ''})`.replace('▲', cell.change.pp >= 0 ? '▲' : '▼'));
  if (cell.letters.length) parts.push(cell.letters.join(''));
  return parts.join(' ');
}

function columnHeader(table: TableResult, index: number): string {
  const col = table.columns[index]!;
  return col.letter ? `${col.label} (${col.letter})` : col.label;
}

function escapeMd(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function tableToMarkdown(table: TableResult): string {
  const out: string[] = [`## ${escapeMd(table.title)}`, ''];
  if (table.filterText) out.push(`Filter: ${escapeMd(table.filterText)}`, '');
  const banner = table.blocks.filter((b) => b.key !== 'total').map((b) => `${b.label} (${table.columns[b.start]!.letter}–${table.columns[b.start + b.count - 1]!.letter})`);
  if (banner.length) out.push(`Banner: ${escapeMd(banner.join('; '))}`, '');
  for (const group of table.groups) {
    out.push(`### ${escapeMd(group.label)}`, '');
    out.push(`| | ${table.columns.map((_, i) => escapeMd(columnHeader(table, i))).join(' | ')} |`);
    out.push(`|---|${table.columns.map(() => '---:').join('|')}|`);
    out.push(`| Base: ${baseName(group.base, table.unit)} (n) | ${group.bases.map((b) => `${b.unweighted}${b.low ? ' *' : ''}`).join(' | ')} |`);
    if (table.weighted) {
      out.push(`| Weighted base | ${group.bases.map((b) => b.weighted.toFixed(1)).join(' | ')} |`);
      out.push(`| Effective base | ${group.bases.map((b) => b.effective.toFixed(1)).join(' | ')} |`);
    }
    for (const row of group.rows) {
      const label = row.kind === 'net' ? `**${escapeMd(row.label)}**${row.members ? ` (${escapeMd(row.members.join(' + '))})` : ''}` : escapeMd(row.label);
      out.push(`| ${label} | ${row.cells.map((c) => escapeMd(cellText(c, table.cells, row.kind))).join(' | ')} |`);
    }
    out.push('');
    for (const chi of group.chiSquare) {
      const block = table.blocks.find((b) => b.key === chi.block)?.label ?? chi.block;
      out.push(
        `Chi-square against ${escapeMd(block)}: χ² = ${chi.chi2.toFixed(2)}, df = ${chi.df}, p = ${formatP(chi.p)}, Cramér's V = ${chi.cramersV.toFixed(3)}${chi.significant ? ' (significant)' : ''}.${chi.warning ? ` ${chi.warning}` : ''}`,
      );
    }
    for (const note of group.notes) out.push(`Note: ${escapeMd(note)}`);
    out.push('');
  }
  for (const note of table.notes) out.push(`Note: ${escapeMd(note)}`);
  out.push('', `Method: ${table.method}`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** Spreadsheets run cells that start with = + - @ as formulas; such text is quoted. */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line per cell: easy to load into a spreadsheet or pandas. */
export function tableToCsv(table: TableResult): string {
  const header = ['question', 'row', 'row_kind', 'banner', 'column', 'letter', 'base', 'weighted_base', 'effective_base', 'count', 'weighted_count', 'col_pct', 'row_pct', 'total_pct', 'mean', 'higher_than', 'change_pp', 'change_significant'];
  const lines = [header.join(',')];
  for (const group of table.groups) {
    for (const row of group.rows) {
      row.cells.forEach((cell, i) => {
        const col = table.columns[i]!;
        const block = table.blocks.find((b) => b.key === col.block)!;
        const base = group.bases[i]!;
        lines.push(
          [
            group.label,
            row.label,
            row.kind,
            block.label,
            col.label,
            col.letter,
            base.unweighted,
            round(base.weighted),
            round(base.effective),
            cell.count,
            round(cell.weightedCount),
            round(cell.colPct),
            round(cell.rowPct),
            round(cell.totalPct),
            round(cell.mean ?? null),
            cell.letters.join(''),
            round(cell.change?.pp ?? null),
            cell.change ? String(cell.change.significant) : '',
          ]
            .map(csvField)
            .join(','),
        );
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 1e6) / 1e6;
}
