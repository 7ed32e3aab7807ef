import path from 'node:path';
import type {
  DatasetSummary,
  SurveyCell,
  SurveyFileFormat,
  SurveyPreview,
  SurveyRowsPage,
  SurveyVariableType,
  VariableSummary,
  surveyMethods,
} from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import type { HandlerMap } from '../context';
import type { Project } from '../store/project';
import { I32_MISSING, U8_MISSING, type Column } from './columns';
import { orderWaves, setWaveOrder, waveRows } from './wave-order';
import { readSurvey } from './reader';
import { deleteDataset, importSurvey, loadColumn } from './store';
import { confirmMatch, waveMatches } from './waves';
import { formatDate } from './display';
import { countColumn, type ColumnCounts } from './counts';
import { importSummary } from './summary';
import { runOperation } from '../history/history';
import { editLabel, editVariable, regroupVariables } from './variables';

const PREVIEW_ROWS = 2000;

function datasetSummaries(project: Project, id?: number): DatasetSummary[] {
  const rows = project.db
    .prepare(
      `SELECT d.id, d.name, d.wave, d.source_file AS sourceFile, d.format, d.encoding, d.row_count AS rowCount,
              (SELECT count(*) FROM variable v WHERE v.dataset_id = d.id) AS variableCount, d.imported_at AS importedAt
         FROM dataset d ${id === undefined ? '' : 'WHERE d.id = ?'} ORDER BY d.id`,
    )
    .all(...(id === undefined ? [] : [id])) as Omit<DatasetSummary, 'timeOrder' | 'orderReason'>[];
  const { ordered, reason } = orderWaves(waveRows(project.db));
  const place = new Map(ordered.map((d, k) => [d.id, k + 1]));
  return rows.map((r) => ({ ...r, timeOrder: place.get(r.id) ?? 1, orderReason: reason }));
}

interface VariableRow {
  id: number;
  datasetId: number;
  position: number;
  name: string;
  label: string;
  type: SurveyVariableType;
  questionGroup: string | null;
  groupLabel: string | null;
  optionLabel: string | null;
  missing: string;
  concept: string | null;
  conceptConfirmed: number;
  meta: string;
}

interface LabelRow {
  variable_id: number;
  code: number | string;
  label: string;
  is_missing: number;
  nonsubstantive: number;
}

function variableRows(project: Project, datasetId: number | undefined, ids?: number[]): VariableRow[] {
  const where = ids ? `WHERE id IN (${ids.map(() => '?').join(',')})` : datasetId === undefined ? '' : 'WHERE dataset_id = ?';
  return project.db
    .prepare(
      `SELECT id, dataset_id AS datasetId, position, name, label, type, question_group AS questionGroup, group_label AS groupLabel,
              option_label AS optionLabel, missing, concept, concept_confirmed AS conceptConfirmed, meta
         FROM variable ${where} ORDER BY dataset_id, position`,
    )
    .all(...(ids ?? (datasetId === undefined ? [] : [datasetId]))) as VariableRow[];
}

function labelsOf(project: Project, variableIds: number[]): Map<number, LabelRow[]> {
  const out = new Map<number, LabelRow[]>();
  if (variableIds.length === 0) return out;
  const rows = project.db.prepare('SELECT variable_id, code, label, is_missing, nonsubstantive FROM value_label ORDER BY variable_id, position').all() as LabelRow[];
  const wanted = new Set(variableIds);
  for (const row of rows) {
    if (!wanted.has(row.variable_id)) continue;
    const list = out.get(row.variable_id) ?? [];
    list.push(row);
    out.set(row.variable_id, list);
  }
  return out;
}

/**
 * Decoded columns and row orders, kept while the grid scrolls. Keyed by the open Project object
 * (a reopened or replaced file is a new object), and dropped when a dataset is deleted, because
 * SQLite may then give its variable ids to the next import.
 */
interface ProjectCache {
  columns: Map<number, { column: Column; bytes: number }>;
  bytes: number;
  orders: Map<string, Int32Array>;
  generation: number;
}
const caches = new WeakMap<Project, ProjectCache>();
/** Enough for the grid of a 1M-row, 40-column dataset; older columns are dropped first. */
const COLUMN_CACHE_BYTES = 384 * 1024 * 1024;

function cacheOf(project: Project): ProjectCache {
  // Answers change in place (a retype, an undo): the data generation says when to read them again.
  const generation = (project.db.prepare('SELECT value FROM analysis_generation WHERE id = 1').pluck().get() as number | undefined) ?? -1;
  let cache = caches.get(project);
  if (!cache || cache.generation !== generation) {
    cache = { columns: new Map(), bytes: 0, orders: new Map(), generation };
    caches.set(project, cache);
  }
  return cache;
}

function sizeOf(column: Column): number {
  // Text cells: a rough 48 bytes each (pointer, header, a short answer).
  return column.encoding === 'text' ? column.values.length * 48 : column.values.byteLength;
}

function cachedColumn(project: Project, variableId: number): Column {
  const cache = cacheOf(project);
  const hit = cache.columns.get(variableId);
  if (hit) {
    // Most recently used goes last.
    cache.columns.delete(variableId);
    cache.columns.set(variableId, hit);
    return hit.column;
  }
  const column = loadColumn(project.db, variableId);
  const bytes = sizeOf(column);
  while (cache.bytes + bytes > COLUMN_CACHE_BYTES && cache.columns.size > 0) {
    const [oldest, entry] = cache.columns.entries().next().value as [number, { bytes: number }];
    cache.columns.delete(oldest);
    cache.bytes -= entry.bytes;
  }
  cache.columns.set(variableId, { column, bytes });
  cache.bytes += bytes;
  return column;
}

function forgetDataset(project: Project, variableIds: number[]): void {
  const cache = cacheOf(project);
  for (const id of variableIds) {
    const entry = cache.columns.get(id);
    if (!entry) continue;
    cache.bytes -= entry.bytes;
    cache.columns.delete(id);
  }
  cache.orders.clear();
}

function summarize(project: Project, rows: VariableRow[]): VariableSummary[] {
  const labels = labelsOf(
    project,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const missing = JSON.parse(row.missing) as VariableSummary['missing'];
    const ownLabels = labels.get(row.id) ?? [];
    const meta = JSON.parse(row.meta) as { counts?: ColumnCounts };
    // Counted at import; older or foreign rows are counted now.
    const counted =
      meta.counts ??
      countColumn(
        cachedColumn(project, row.id),
        ownLabels.map((l) => ({ code: l.code, missing: l.is_missing === 1 })),
        missing,
      );
    const byCode = new Map(counted.byCode);
    return {
      id: row.id,
      datasetId: row.datasetId,
      position: row.position,
      name: row.name,
      label: row.label,
      type: row.type,
      questionGroup: row.questionGroup,
      groupLabel: row.groupLabel,
      optionLabel: row.optionLabel,
      valueLabels: ownLabels.map((l) => ({ code: l.code, label: l.label, missing: l.is_missing === 1, nonsubstantive: l.nonsubstantive === 1, count: byCode.get(l.code) ?? 0 })),
      missing,
      valid: counted.valid,
      missingCount: counted.missing,
      concept: row.concept,
      conceptConfirmed: row.conceptConfirmed === 1,
    };
  });
}

/** A cell as the grid shows it: the label of a code, a date as text, a number as a number. */
function cellOf(column: Column, type: SurveyVariableType, labels: Map<number | string, string> | undefined, r: number): SurveyCell {
  switch (column.encoding) {
    case 'i32': {
      const x = column.values[r]!;
      if (x === I32_MISSING) return null;
      return labels?.get(x) ?? x;
    }
    case 'u8': {
      const x = column.values[r]!;
      return x === U8_MISSING ? null : x;
    }
    case 'f64': {
      const x = column.values[r]!;
      if (Number.isNaN(x)) return null;
      if (type === 'date') return formatDate(x);
      return labels?.get(x) ?? x;
    }
    case 'text':
      return column.values[r] ?? null;
  }
}


function rowOrder(
  project: Project,
  datasetId: number,
  rowCount: number,
  sort: { variableId: number; desc: boolean } | undefined,
  filters: { variableId: number; op: string; value?: string | number | undefined }[],
  typeOf: (variableId: number) => SurveyVariableType,
  labelsFor: (variableId: number) => Map<number | string, string> | undefined,
): Int32Array {
  // Sort orders and filter results are kept per request, so scrolling pages is a slice.
  const orderCache = cacheOf(project).orders;
  const key = `${datasetId}#${JSON.stringify(sort ?? null)}#${JSON.stringify(filters)}`;
  const cached = orderCache.get(key);
  if (cached) return cached;
  let rows: number[] = [];
  for (let r = 0; r < rowCount; r++) rows.push(r);
  for (const filter of filters) {
    const column = cachedColumn(project, filter.variableId);
    const labels = labelsFor(filter.variableId);
    const type = typeOf(filter.variableId);
    const want = filter.value;
    const wantText = want === undefined ? '' : String(want).toLowerCase();
    const wantNumber = typeof want === 'number' ? want : Number(want);
    rows = rows.filter((r) => {
      const cell = cellOf(column, type, labels, r);
      switch (filter.op) {
        case 'empty':
          return cell === null;
        case 'notEmpty':
          return cell !== null;
        case 'eq':
          return cell !== null && String(cell).toLowerCase() === wantText;
        case 'neq':
          return cell === null || String(cell).toLowerCase() !== wantText;
        case 'contains':
          return cell !== null && String(cell).toLowerCase().includes(wantText);
        case 'gt':
          return typeof cell === 'number' ? cell > wantNumber : cell !== null && String(cell) > String(want ?? '');
        case 'lt':
          return typeof cell === 'number' ? cell < wantNumber : cell !== null && String(cell) < String(want ?? '');
        default:
          return true;
      }
    });
  }
  if (sort) {
    const column = cachedColumn(project, sort.variableId);
    const type = typeOf(sort.variableId);
    const labels = labelsFor(sort.variableId);
    const dir = sort.desc ? -1 : 1;
    // Codes of ordered scales sort by code; named choices by their label; empty cells go last either way.
    const byCode = column.encoding !== 'text' && (type === 'ordinal' || type !== 'single');
    const keyOf = (r: number): number | string | null => {
      if (byCode) {
        const x = column.values[r] as number;
        if (column.encoding === 'i32' && x === I32_MISSING) return null;
        if (column.encoding === 'u8' && x === U8_MISSING) return null;
        if (column.encoding === 'f64' && Number.isNaN(x)) return null;
        return x;
      }
      const cell = cellOf(column, type, labels, r);
      return cell === null ? null : String(cell);
    };
    const keys = new Map<number, number | string | null>();
    for (const r of rows) keys.set(r, keyOf(r));
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    rows.sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
      const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : collator.compare(String(ka), String(kb));
      return c === 0 ? a - b : c * dir;
    });
  }
  const order = Int32Array.from(rows);
  if (orderCache.size > 50) orderCache.delete(orderCache.keys().next().value as string);
  orderCache.set(key, order);
  return order;
}

function readOptions(input: { encoding?: string | undefined; sheet?: string | undefined; format?: SurveyFileFormat | 'auto' | undefined }) {
  return {
    ...(input.encoding ? { encoding: input.encoding } : {}),
    ...(input.sheet ? { sheet: input.sheet } : {}),
    ...(input.format ? { format: input.format } : {}),
  };
}

export const surveyHandlers: HandlerMap<keyof typeof surveyMethods> = {
  async 'survey.preview'(input) {
    const result = await readSurvey(input.path, { ...readOptions(input), maxRows: input.maxRows ?? PREVIEW_ROWS, overrides: input.overrides });
    const { survey } = result;
    const preview: SurveyPreview = {
      path: input.path,
      fileName: path.basename(input.path),
      format: survey.format,
      encoding: survey.encoding,
      encodingReason: result.encodingReason,
      delimiter: result.delimiter,
      headerRows: survey.headerRows,
      headerText: result.headerText,
      sheets: result.sheets,
      sheet: result.sheet,
      columns: result.columns.map((c) => ({
        name: c.name,
        label: c.label,
        type: c.type,
        questionGroup: c.questionGroup ?? null,
        groupLabel: c.groupLabel ?? null,
        optionLabel: c.optionLabel ?? null,
        valueLabels: c.valueLabels.map((l) => ({ code: l.code, label: l.label, missing: l.missing ?? false, nonsubstantive: l.nonsubstantive ?? false })),
        samples: c.samples,
        answered: c.nonEmpty,
        reason: c.reason,
      })),
      variableCount: survey.variables.length,
      firstRows: result.firstRows,
      rowsRead: survey.rowCount,
      truncated: result.truncated,
      suggestedName: path.basename(input.path, path.extname(input.path)),
      idColumn: result.columns.find((c) => c.type === 'id')?.name ?? null,
      weightColumn: result.columns.find((c) => c.type === 'weight')?.name ?? null,
      warnings: survey.warnings,
    };
    return preview;
  },

  async 'survey.import'(input, ctx) {
    const project = ctx.project();
    const job = ctx.job;
    const result = await readSurvey(input.path, {
      ...readOptions(input),
      overrides: input.overrides,
      onProgress: (done, total, message) => job.progress(done, total, message),
      checkpoint: () => job.checkpoint(),
      parallel: { pool: ctx.workers },
    });
    const name = input.name ?? path.basename(input.path, path.extname(input.path));
    const wave = input.wave ?? '';
    const imported = await importSurvey(
      project,
      result.survey,
      {
        name,
        wave,
        sourceFile: path.basename(input.path),
        options: {
          ...readOptions(input),
          ...(input.overrides ? { overrides: input.overrides } : {}),
          headerRows: result.survey.headerRows,
          ...(result.sheet ? { sheet: result.sheet } : {}),
        },
      },
      job,
    );
    return {
      datasetId: imported.datasetId,
      name,
      wave,
      format: result.survey.format,
      rowCount: imported.rowCount,
      variableCount: imported.variableCount,
      documentCount: imported.documentIds.length,
      matched: imported.matched,
      warnings: result.survey.warnings,
      summary: importSummary(result.survey, imported.documentIds.length),
    };
  },

  'survey.datasets'(_input, ctx) {
    return datasetSummaries(ctx.project());
  },

  'survey.variables'(input, ctx) {
    const project = ctx.project();
    if (input.datasetId !== undefined && datasetSummaries(project, input.datasetId).length === 0) {
      throw new FieldbookError('NOT_FOUND', `There is no dataset ${input.datasetId} in this project.`, { record: input.datasetId });
    }
    return summarize(project, variableRows(project, input.datasetId));
  },

  'survey.rows'(input, ctx) {
    const project = ctx.project();
    const dataset = datasetSummaries(project, input.datasetId)[0];
    if (!dataset) throw new FieldbookError('NOT_FOUND', `There is no dataset ${input.datasetId} in this project.`, { record: input.datasetId });
    const all = variableRows(project, input.datasetId);
    const byId = new Map(all.map((v) => [v.id, v]));
    for (const wanted of [...(input.variableIds ?? []), ...(input.sort ? [input.sort.variableId] : []), ...(input.filters ?? []).map((f) => f.variableId)]) {
      if (!byId.has(wanted)) throw new FieldbookError('NOT_FOUND', `Variable ${wanted} is not in dataset ${input.datasetId}.`, { record: wanted });
    }
    const shown = input.variableIds ? input.variableIds.map((id) => byId.get(id)!) : all;
    const labelMaps = new Map<number, Map<number | string, string>>();
    const labelRows = labelsOf(
      project,
      all.map((v) => v.id),
    );
    for (const [id, rows] of labelRows) {
      // 0/1 of a multi-select option shows as the number; other codes show their label.
      if (byId.get(id)?.type === 'multi') continue;
      labelMaps.set(id, new Map(rows.map((l) => [l.code, l.label])));
    }
    const order = rowOrder(
      project,
      input.datasetId,
      dataset.rowCount,
      input.sort,
      input.filters ?? [],
      (id) => byId.get(id)!.type,
      (id) => labelMaps.get(id),
    );
    const columns = shown.map((v) => ({ variable: v, column: cachedColumn(project, v.id), labels: labelMaps.get(v.id) }));
    const end = Math.min(order.length, input.offset + input.limit);
    const rows: SurveyRowsPage['rows'] = [];
    for (let i = input.offset; i < end; i++) {
      const r = order[i]!;
      rows.push({ row: r, cells: columns.map((c) => cellOf(c.column, c.variable.type, c.labels, r)) });
    }
    return {
      datasetId: input.datasetId,
      total: dataset.rowCount,
      matching: order.length,
      offset: input.offset,
      columns: shown.map((v) => ({ id: v.id, name: v.name, label: v.label, type: v.type })),
      rows,
    };
  },

  'survey.waveMatches'(_input, ctx) {
    return waveMatches(ctx.project().db);
  },

  'survey.confirmMatch'(input, ctx) {
    const result = confirmMatch(ctx.project().db, input.variableIds, input.accept);
    return result;
  },

  'survey.renameDataset'(input, ctx) {
    const project = ctx.project();
    const existing = datasetSummaries(project, input.datasetId)[0];
    if (!existing) throw new FieldbookError('NOT_FOUND', `There is no dataset ${input.datasetId} in this project.`, { record: input.datasetId });
    project.db
      .prepare('UPDATE dataset SET name = ?, wave = ? WHERE id = ?')
      .run(input.name ?? existing.name, input.wave ?? existing.wave, input.datasetId);
    return datasetSummaries(project, input.datasetId)[0]!;
  },

  'survey.editVariable'(input, ctx) {
    const project = ctx.project();
    const name = variableRows(project, undefined, [input.variableId])[0]?.name ?? String(input.variableId);
    runOperation(project, editLabel(name, input), (rec) => editVariable(rec, project.db, input));
    return summarize(project, variableRows(project, undefined, [input.variableId]))[0]!;
  },
  'survey.groupVariables'(input, ctx) {
    const project = ctx.project();
    const names = variableRows(project, undefined, input.variableIds).map((v) => v.name);
    const label = input.group === null ? `Ungroup ${names.join(', ')}` : `Group ${names.join(', ')} as ${input.group}`;
    runOperation(project, label, (rec) => regroupVariables(rec, project.db, input.variableIds, input.group, input.groupLabel, input.as));
    return summarize(project, variableRows(project, undefined, input.variableIds));
  },
  'survey.orderWaves'(input, ctx) {
    const project = ctx.project();
    setWaveOrder(project, input.datasetIds);
    return datasetSummaries(project);
  },

  'survey.deleteDataset'(input, ctx) {
    const project = ctx.project();
    const ids = variableRows(project, input.datasetId).map((v) => v.id);
    deleteDataset(project, input.datasetId);
    forgetDataset(project, ids);
    return { deleted: true };
  },
};
