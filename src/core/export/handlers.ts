import type { exportMethods } from '../../shared/contract/exports';
import { renderChartSvg } from '../analysis/chart';
import type { HandlerMap } from '../context';
import { codebookCsv, codebookDocx, codebookMarkdown, collectCodebook } from './codebook';
import { exportOptions } from './options';
import { collectQuotePack } from './quotes/collect';
import { quotePackCsv, quotePackDocx, quotePackHtml, quotePackMarkdown } from './quotes/render';
import { exportQdc, exportQdpx, importRefi } from './refi/index';
import { svgToPng } from './tables/chart';
import { gridCsv, gridMarkdown, gridTsv, tableGrid } from './tables/grid';
import { resolveSavedTables, resolveTable } from './tables/index';
import { gridsXlsx } from './tables/xlsx';
import { writeExport as write } from './write';


export const exportHandlers: HandlerMap<keyof typeof exportMethods> = {
  'export.options': (_input, ctx) => exportOptions(ctx.project()),
  'export.quotePackCount': (input, ctx) => {
    const pack = collectQuotePack(ctx.project(), input.options);
    return { quotes: pack.quotes.length, themes: pack.groups.length, people: new Set(pack.quotes.map((q) => q.who).filter((w) => w !== null)).size };
  },
  'export.qdpx': (input, ctx) => exportQdpx(input.path, ctx),
  'import.qdpx': (input, ctx) => importRefi(input.path, ctx),
  'export.quotePack': async (input, ctx) => {
    ctx.job.progress(0, null, 'Collecting quotes');
    const pack = collectQuotePack(ctx.project(), input.options);
    const n = pack.quotes.length;
    switch (input.format) {
      case 'docx':
        return write(ctx, input.path, 'docx', n, () => quotePackDocx(pack));
      case 'md':
        return write(ctx, input.path, 'md', n, () => quotePackMarkdown(pack));
      case 'html':
        return write(ctx, input.path, 'html', n, () => quotePackHtml(pack));
      case 'csv':
        return write(ctx, input.path, 'csv', n, () => quotePackCsv(pack));
    }
  },
  'export.codebook': async (input, ctx) => {
    if (input.format === 'qdc') return exportQdc(input.path, ctx);
    const { title, entries } = collectCodebook(ctx.project());
    switch (input.format) {
      case 'docx':
        return write(ctx, input.path, 'docx', entries.length, () => codebookDocx(title, entries, ctx.settings.language));
      case 'csv':
        return write(ctx, input.path, 'csv', entries.length, () => codebookCsv(entries));
      case 'md':
        return write(ctx, input.path, 'md', entries.length, () => codebookMarkdown(title, entries));
    }
  },
  'export.table': async (input, ctx) => {
    ctx.job.progress(0, null, 'Computing the table');
    const grid = tableGrid(await resolveTable(input, ctx), ctx.settings.language);
    switch (input.format) {
      case 'xlsx':
        return write(ctx, input.path, 'xlsx', 1, () => gridsXlsx([grid], 'sheetPerTable', ctx.settings.language));
      case 'csv':
        return write(ctx, input.path, 'csv', 1, () => gridCsv([grid]));
      case 'md':
        return write(ctx, input.path, 'md', 1, () => gridMarkdown([grid]));
      case 'tsv':
        return write(ctx, input.path, 'tsv', 1, () => gridTsv(grid));
    }
  },
  'export.tableText': async (input, ctx) => {
    const grid = tableGrid(await resolveTable(input, ctx), ctx.settings.language);
    if (input.format === 'tsv') return { text: gridTsv(grid) };
    if (input.format === 'md') return { text: gridMarkdown([grid]) };
    return { text: gridCsv([grid]).replace(/^\uFEFF/, '') };
  },
  'export.tables': async (input, ctx) => {
    const grids = (await resolveSavedTables(input.savedTableIds, ctx)).map((table) => tableGrid(table, ctx.settings.language));
    switch (input.format) {
      case 'xlsx':
        return write(ctx, input.path, 'xlsx', grids.length, () => gridsXlsx(grids, input.layout, ctx.settings.language));
      case 'csv':
        return write(ctx, input.path, 'csv', grids.length, () => gridCsv(grids));
      case 'md':
        return write(ctx, input.path, 'md', grids.length, () => gridMarkdown(grids));
    }
  },
  'export.chart': async (input, ctx) => {
    ctx.job.progress(0, null, 'Drawing the chart');
    const svg = renderChartSvg(await resolveTable(input, ctx), input.chart, ctx.settings.language);
    if (input.format === 'svg') return write(ctx, input.path, 'svg', 1, () => svg);
    return write(ctx, input.path, 'png', 1, () => svgToPng(svg, input.scale));
  },
};
