import type { TableResult, TableSpec } from '../../../shared/contract/tables';
import { FieldbookError } from '../../../shared/errors';
import { tableHandlers } from '../../analysis/handlers';
import type { HandlerContext } from '../../context';

/**
 * Tables are computed by the tables area through its own handlers, so an export shows exactly
 * what the Tables page shows for the same spec or saved table.
 */
export async function resolveTable(target: { spec?: TableSpec | undefined; savedTableId?: number | undefined }, ctx: HandlerContext): Promise<TableResult> {
  if (target.savedTableId !== undefined) {
    const { saved, result } = await tableHandlers['tables.get']({ id: target.savedTableId }, ctx);
    // A saved table goes by the name the user gave it, unless its spec has a title of its own.
    return { ...result, title: saved.spec.title || saved.name };
  }
  if (target.spec) return tableHandlers['tables.run']({ spec: target.spec }, ctx);
  throw new FieldbookError('INVALID_INPUT', 'Choose a table: a saved table or a table spec.');
}

/** Every saved table (or the listed ones, in that order). */
export async function resolveSavedTables(ids: number[], ctx: HandlerContext): Promise<TableResult[]> {
  const list = await tableHandlers['tables.list']({}, ctx);
  const chosen = ids.length === 0 ? list.map((t) => t.id) : ids;
  const known = new Set(list.map((t) => t.id));
  const missing = chosen.filter((id) => !known.has(id));
  if (missing.length > 0) throw new FieldbookError('NOT_FOUND', `There is no saved table with id ${missing.join(', ')}.`);
  if (chosen.length === 0) throw new FieldbookError('NOT_FOUND', 'There are no saved tables to export. Save a table on the Tables page first.');
  const results: TableResult[] = [];
  for (const [i, id] of chosen.entries()) {
    ctx.job.progress(i, chosen.length, 'Computing tables');
    await ctx.job.checkpoint();
    results.push(await resolveTable({ savedTableId: id }, ctx));
  }
  return results;
}
