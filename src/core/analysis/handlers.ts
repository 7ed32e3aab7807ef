import type { tableMethods } from '../../shared/contract/tables';
import type { HandlerMap } from '../context';
import { renderChartSvg } from './chart';
import { computeTable } from './crosstab';
import { builderVariables, frameFor } from './data';
import { drill } from './drill';
import { deleteSavedTable, getSavedTable, listSavedTables, saveTable } from './saved';

export const tableHandlers: HandlerMap<keyof typeof tableMethods> = {
  'tables.run': ({ spec }, ctx) => computeTable(frameFor(ctx.project().db, spec.source), spec),
  'tables.drill': ({ spec, group, rowKey, columnKey, limit }, ctx) => drill(frameFor(ctx.project().db, spec.source), spec, group, rowKey, columnKey, limit),
  'tables.save': ({ id, name, spec }, ctx) => {
    const db = ctx.project().db;
    // Computing first refuses a spec that does not fit the data, before anything is written.
    computeTable(frameFor(db, spec.source), spec);
    const saved = saveTable(db, name, spec, id);
    return saved;
  },
  'tables.list': (_input, ctx) => listSavedTables(ctx.project().db),
  'tables.get': ({ id }, ctx) => {
    const db = ctx.project().db;
    const saved = getSavedTable(db, id);
    return { saved, result: computeTable(frameFor(db, saved.spec.source), saved.spec) };
  },
  'tables.delete': ({ id }, ctx) => {
    const deleted = deleteSavedTable(ctx.project().db, id);
    return { deleted };
  },
  'tables.chart': ({ spec, chart }, ctx) => ({ svg: renderChartSvg(computeTable(frameFor(ctx.project().db, spec.source), spec), chart, ctx.settings.language) }),
  'tables.variables': ({ source }, ctx) => builderVariables(ctx.project().db, source),
};
