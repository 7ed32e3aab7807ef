import type { exportMethods, ExportResult } from '../../shared/contract/exports';
import { FieldbookError } from '../../shared/errors';
import type { HandlerContext, HandlerMap } from '../context';
import { codebookCsv, codebookDocx, codebookMarkdown, collectCodebook } from './codebook';
import { collectQuotePack } from './quotes/collect';
import { quotePackCsv, quotePackDocx, quotePackHtml, quotePackMarkdown } from './quotes/render';
import { exportQdc, exportQdpx, importRefi } from './refi/index';
import { outputPath, writeFileAtomic } from './safety';

const notYet = (): never => {
  throw new FieldbookError('INTERNAL', 'This export is not available yet.');
};

async function write(ctx: HandlerContext, requested: string, extension: string, items: number, render: () => string | Uint8Array | Promise<string | Uint8Array>): Promise<ExportResult> {
  const target = outputPath(requested, extension);
  ctx.job.progress(0, null, `Writing ${extension.toUpperCase()}`);
  await ctx.job.checkpoint();
  const content = await render();
  ctx.job.throwIfCancelled();
  const bytes = writeFileAtomic(target, content);
  ctx.job.progress(1, 1, 'Done');
  return { path: target, bytes, items };
}

export const exportHandlers: HandlerMap<keyof typeof exportMethods> = {
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
        return write(ctx, input.path, 'docx', entries.length, () => codebookDocx(title, entries));
      case 'csv':
        return write(ctx, input.path, 'csv', entries.length, () => codebookCsv(entries));
      case 'md':
        return write(ctx, input.path, 'md', entries.length, () => codebookMarkdown(title, entries));
    }
  },
  'export.table': notYet,
  'export.tableText': notYet,
  'export.tables': notYet,
  'export.chart': notYet,
};
