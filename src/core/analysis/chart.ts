import * as echarts from 'echarts';
import type { ChartOptionsInput, TableResult } from '../../shared/contract/tables';
import { chartOptionsSchema } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import type { Language } from '../../shared/i18n/index';
import { translator } from '../i18n/index';

/** Colour-blind-safe palette (Okabe-Ito, then Tableau), readable on white. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#4E79A7', '#F28E2B', '#59A14F', '#B07AA1'];
/**
 * Named CJK faces after the Latin ones, so an SVG opened anywhere finds Chinese glyphs: Noto/Source
 * Han on Linux, PingFang on macOS, Microsoft YaHei on Windows (a viewer takes the first it has).
 */
export const CHART_FONT = [
  'Noto Sans',
  'DejaVu Sans',
  'Noto Sans CJK SC',
  'Source Han Sans SC',
  'PingFang SC',
  'Microsoft YaHei',
  'Arial',
  'sans-serif',
].join(', ');
const FONT = CHART_FONT;

const LABEL_WIDTH = 170;

/**
 * echarts writes fonts and colours of text as inline CSS; SVG-to-PNG converters (resvg) and some
 * editors read only presentation attributes, so every style declaration becomes an attribute.
 */
export function styleToAttributes(svg: string): string {
  return svg.replace(/<(\w+)([^>]*?)\sstyle="([^"]*)"/g, (_match, tag: string, before: string, style: string) => {
    const attrs = style
      .split(';')
      .map((decl) => decl.trim())
      .filter(Boolean)
      .map((decl) => {
        const at = decl.indexOf(':');
        const name = decl.slice(0, at).trim();
        const value = decl.slice(at + 1).trim().replaceAll('"', "'");
        return at > 0 && !new RegExp(`\\s${name}=`).test(before) ? ` ${name}="${value}"` : '';
      })
      .join('');
    return `<${tag}${before}${attrs}`;
  });
}

function formatValue(value: number | null, kind: string): string {
  if (value === null || !Number.isFinite(value)) return '';
  if (kind === 'count') return String(Math.round(value));
  if (kind === 'weightedCount' || kind === 'mean') return value.toFixed(1);
  return `${Math.round(value)}%`;
}

/**
 * Draws one row group of a table as SVG, in plain Node (echarts server-side rendering, no DOM):
 * 'bar' = the Total column, 'grouped' = one bar per banner column for each answer (e.g. this
 * wave against last wave), 'stacked' = one bar per column split by answer.
 */
/** Wider than any glyph of the 15px bold title face: a line this many px per character fits. */
const TITLE_CHAR_PX = 9.5;
const TITLE_MAX_LINES = 3;

/**
 * A title broken into lines at spaces so it fits the image's width (three lines at most; a longer
 * one ends in "…"). The lines are measured by a generous width per character, since a server-side
 * SVG has no font metrics, so a line never runs off the image.
 */
export function fitTitle(title: string, width: number): string {
  const perLine = Math.max(8, Math.floor(width / TITLE_CHAR_PX));
  const lines: string[] = [];
  let line = '';
  for (const word of title.trim().split(/\s+/)) {
    for (let rest = word; rest.length > 0; ) {
      const room = line ? perLine - line.length - 1 : perLine;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, perLine));
        rest = rest.slice(perLine);
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= TITLE_MAX_LINES) return lines.join('\n');
  const kept = lines.slice(0, TITLE_MAX_LINES);
  kept[TITLE_MAX_LINES - 1] = `${kept[TITLE_MAX_LINES - 1]!.slice(0, perLine - 1)}…`;
  return kept.join('\n');
}

export function renderChartSvg(table: TableResult, input: ChartOptionsInput = {}, language?: Language): string {
  const t = translator(language);
  const options = chartOptionsSchema.parse(input);
  const group = table.groups[options.group];
  if (!group) throw new FieldbookError('NOT_FOUND', `The table has no row group ${options.group}.`, { field: 'chart.group' });
  const isNumeric = group.kind === 'numeric';
  // Nets would count people twice in a stacked bar, so stacks show the answers only.
  const withNets = options.includeNets && options.kind !== 'stacked';
  const rows = group.rows.filter((r) => (isNumeric ? r.kind === 'mean' : r.kind === 'category' || (withNets && r.kind === 'net')));
  if (rows.length === 0) throw new FieldbookError('INVALID_INPUT', 'There is nothing to chart in this row group.', { field: 'chart.group' });
  const valueKind = isNumeric ? 'mean' : options.value;
  const blockKey = options.kind === 'bar' ? 'total' : (options.block ?? table.blocks.find((b) => b.isWave)?.key ?? table.blocks.find((b) => b.key !== 'total')?.key ?? 'total');
  const block = table.blocks.find((b) => b.key === blockKey);
  if (!block) throw new FieldbookError('NOT_FOUND', `The table has no banner block ${blockKey}.`, { field: 'chart.block' });
  const columnIdx = Array.from({ length: block.count }, (_, k) => block.start + k);
  const read = (rowIndex: number, column: number): number | null => {
    const cell = rows[rowIndex]!.cells[column]!;
    const v = valueKind === 'mean' ? cell.mean : cell[valueKind];
    return v === undefined ? null : v;
  };
  const isPct = valueKind.endsWith('Pct');
  const baseText = columnIdx.map((c) => `${table.columns[c]!.label} n=${group.bases[c]!.unweighted}`).join(' · ');
  // The table's own title when it has one (the chart illustrates that table), else the question.
  const title = fitTitle(options.title ?? (table.titleGiven ? table.title : group.label), options.width - 24);
  const titleLines = title.split('\n').length;

  const rowLabels = rows.map((r) => r.label);
  const columnLabels = columnIdx.map((c) => table.columns[c]!.label);
  type Series = Record<string, unknown>;
  let categoryAxis: string[];
  let series: Series[];
  const label = { show: true, fontFamily: FONT, fontSize: 11, color: '#222222', formatter: (p: { value: number | null }) => formatValue(p.value, valueKind) };

  if (options.kind === 'stacked') {
    categoryAxis = columnLabels;
    series = rows.map((r, ri) => ({
      name: r.label,
      type: 'bar',
      stack: 'all',
      data: columnIdx.map((c) => read(ri, c)),
      label: { ...label, color: '#ffffff', position: 'inside' },
    }));
  } else {
    categoryAxis = rowLabels;
    series = columnIdx.map((c, si) => ({
      name: table.columns[c]!.label,
      type: 'bar',
      data: rows.map((_, ri) => read(ri, c)),
      label: { ...label, position: 'right' },
      itemStyle: { color: PALETTE[si % PALETTE.length] },
    }));
  }

  const legendNeeded = series.length > 1;
  // Static output cannot scroll a legend: estimate how many lines it wraps to and leave room.
  const legendWidth = series.reduce((sum, x) => sum + 56 + 7.5 * String(x.name).length, 0);
  const legendLines = legendNeeded ? Math.ceil(legendWidth / (options.width - 40)) : 0;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: options.width, height: options.height });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT, color: '#222222' },
      title: {
        text: title,
        subtext: `${table.weighted ? `${t('doc.chartWeighted')} ` : ''}${t('doc.chartBase', { bases: baseText })}`,
        left: 12,
        top: 8,
        textStyle: { fontFamily: FONT, fontSize: 15, lineHeight: 20, fontWeight: 'bold', color: '#111111' },
        subtextStyle: { fontFamily: FONT, fontSize: 11, color: '#555555', width: options.width - 24, overflow: 'truncate' },
      },
      legend: legendNeeded ? { bottom: 8, itemGap: 28, textStyle: { fontFamily: FONT, fontSize: 12, color: '#222222' } } : { show: false },
      grid: { left: 28, right: 48, top: 64 + (titleLines - 1) * 20, bottom: 24 + legendLines * 24, containLabel: true },
      // Horizontal bars: long answer labels stay readable on the category axis.
      yAxis: {
        type: 'category',
        data: categoryAxis,
        inverse: true,
        axisLabel: { fontFamily: FONT, fontSize: 12, color: '#222222', width: LABEL_WIDTH, overflow: 'break' },
      },
      xAxis: {
        type: 'value',
        ...(isPct ? { max: options.kind === 'stacked' && group.kind !== 'multi' ? 100 : undefined } : {}),
        axisLabel: { fontFamily: FONT, fontSize: 11, color: '#555555', formatter: isPct ? '{value}%' : '{value}' },
        splitLine: { lineStyle: { color: '#e5e5e5' } },
      },
      series,
    });
    return styleToAttributes(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}
