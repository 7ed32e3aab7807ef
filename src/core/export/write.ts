import type { ExportResult } from '../../shared/contract/exports';
import type { HandlerContext } from '../context';
import { outputPath, writeFileAtomic } from './safety';

/** Renders an export and writes it in one step (atomically, with the right extension), reporting progress. */
export async function writeExport(
  ctx: HandlerContext,
  requested: string,
  extension: string,
  items: number,
  render: () => string | Uint8Array | Promise<string | Uint8Array>,
): Promise<ExportResult> {
  const target = outputPath(requested, extension);
  ctx.job.progress(0, null, `Writing ${extension.toUpperCase()}`);
  await ctx.job.checkpoint();
  const content = await render();
  ctx.job.throwIfCancelled();
  const bytes = writeFileAtomic(target, content);
  ctx.job.progress(1, 1, 'Done');
  return { path: target, bytes, items };
}
