import path from 'node:path';
import type { ExportResult, RefiImportResult } from '../../../shared/contract/exports';
import { FieldbookError } from '../../../shared/errors';
import type { HandlerContext } from '../../context';
import { outputPath, writeFileAtomic } from '../safety';
import { applyRefi } from './apply';
import { collectProject } from './collect';
import { readRefiFile } from './read';
import { codebookXml, qdpxBytes } from './write';
import { indexImportedDocuments } from './search';

export async function exportQdpx(requested: string, ctx: HandlerContext): Promise<ExportResult> {
  const project = ctx.project();
  const target = outputPath(requested, 'qdpx');
  ctx.job.progress(0, null, 'Reading the project');
  const { refi, guids, userGuid } = await collectProject(project, ctx.job);
  ctx.job.progress(0, null, 'Writing the .qdpx');
  await ctx.job.checkpoint();
  const bytes = writeFileAtomic(target, qdpxBytes(refi, userGuid));
  // Only once the file exists: GUIDs minted for it are kept, so the next export reuses them.
  guids.save();
  return { path: target, bytes, items: refi.sources.length };
}

export async function exportQdc(requested: string, ctx: HandlerContext): Promise<ExportResult> {
  const project = ctx.project();
  const target = outputPath(requested, 'qdc');
  const { refi, guids } = await collectProject(project, ctx.job, { codesOnly: true });
  // A REFI codebook must hold at least one code (Codes has minOccurs 1).
  if (refi.codes.length === 0) throw new FieldbookError('NOT_FOUND', 'The codebook is empty: create codes before exporting it as .qdc.');
  const bytes = writeFileAtomic(target, codebookXml(refi));
  guids.save();
  const count = (codes: typeof refi.codes): number => codes.reduce((n, c) => n + 1 + count(c.children), 0);
  return { path: target, bytes, items: count(refi.codes) };
}

/** Parses the whole file first, then writes everything in one transaction (all or nothing). */
export async function importRefi(file: string, ctx: HandlerContext): Promise<RefiImportResult> {
  const project = ctx.project();
  const absolute = path.resolve(file);
  ctx.job.progress(0, null, `Reading ${path.basename(absolute)}`);
  const refi = readRefiFile(absolute);
  await ctx.job.checkpoint();
  ctx.job.progress(0, null, 'Adding it to the project');
  const outcome = applyRefi(project, refi, absolute, (db, ids) => indexImportedDocuments(db, ids));
  return { file: absolute, origin: refi.origin, counts: outcome.counts, notImported: outcome.notImported, positions: outcome.positions, merge: outcome.merge };
}
