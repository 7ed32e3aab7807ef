// Cross-tabulation, saved tables and charts (issue 7).
import { z } from 'zod';
import { method } from './method';

/*
 * References to what goes into a table (rows, banner, filter, weight), as plain strings so the
 * CLI, the builder and saved specs share one spelling:
 *   Q5            a variable of the dataset, or a question group (multi-select / grid) by its name
 *   code:12       one code as a yes/no variable (present for the respondent or participant)
 *   codes:12,14   several codes as a multi-select question ("codes:*" = every code)
 *   attr:Role     a participant attribute (participant tables)
 *   wave          the wave each respondent came from (tables over several datasets)
 * Survey variables are matched by name (or by confirmed concept) across waves and re-imports, so a
 * saved table recomputes after the data changes.
 */
export const tableRefSchema = z.string().trim().min(1, 'A variable is required.').max(500);

export const netSchema = z
  .object({
    label: z.string().trim().max(200).optional(),
    /** Category keys (the value code as text, or an option variable's name for multi-select). */
    members: z.array(z.string()).max(500).optional(),
    /** Top or bottom boxes of an ordered scale, counted from the ends of the non-missing categories. */
    box: z.enum(['top2', 'bottom2', 'top3', 'bottom3']).optional(),
  })
  .refine((net) => (net.members && net.members.length > 0) || net.box, {
    message: 'A net needs its member categories or a box (top2, bottom2, top3, bottom3).',
  });
export type NetSpec = z.infer<typeof netSchema>;

/**
 * Who a row question's percentages are of. answered: respondents who gave an answer (the default);
 * all: every respondent of the filter, answered or not; shown: respondents shown the question,
 * answered or not (a multi-select's respondents who ticked nothing, a single question's declared
 * missing answers such as SPSS user-missing "Refused"; system-missing counts as not shown).
 */
export const tableBaseSchema = z.enum(['answered', 'all', 'shown']);
export type TableBase = z.infer<typeof tableBaseSchema>;

/** The short name of a base, for the base line of a table ("Base: all respondents"). */
export function baseName(base: TableBase, unit: 'respondents' | 'participants'): string {
  return base === 'all' ? `all ${unit}` : base === 'shown' ? `${unit} shown the question` : `${unit} who answered`;
}

export const tableRowSchema = z.object({
  ref: tableRefSchema,
  /** This row question's base; without it the table's base. */
  base: tableBaseSchema.optional(),
  label: z.string().trim().max(500).optional(),
  nets: z.array(netSchema).max(50).default([]),
  /** False shows only the nets (e.g. a top-2-box summary). */
  showCategories: z.boolean().default(true),
});
export type TableRowSpec = z.infer<typeof tableRowSchema>;

export const filterConditionSchema = z.object({
  ref: tableRefSchema,
  /** in: the answer is one of `values`; notIn; between: numeric min..max inclusive; answered: not missing. */
  op: z.enum(['in', 'notIn', 'between', 'answered']).default('in'),
  /** Category keys or labels (for multi-select: the options, "chose any of them"). */
  values: z.array(z.union([z.string(), z.number()])).max(1000).default([]),
  min: z.number().optional(),
  max: z.number().optional(),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

export const cellContentSchema = z.enum(['count', 'colPct', 'rowPct', 'totalPct', 'weightedCount', 'mean']);
export type CellContent = z.infer<typeof cellContentSchema>;

export const tableSourceSchema = z.discriminatedUnion('kind', [
  /** Survey respondents; two or more datasets = waves, stacked, with a wave column block. */
  z.object({ kind: z.literal('dataset'), datasetIds: z.array(z.number().int().positive()).min(1).max(50) }),
  /** Interview participants (attributes and codes). */
  z.object({ kind: z.literal('participants') }),
]);
export type TableSource = z.infer<typeof tableSourceSchema>;

export const tableTestsSchema = z.object({
  chiSquare: z.boolean().default(true),
  columnTests: z.boolean().default(true),
  level: z.union([z.literal(0.95), z.literal(0.99)]).default(0.95),
  correction: z.enum(['none', 'bonferroni', 'fdr']).default('none'),
});

export const tableSpecSchema = z.object({
  title: z.string().trim().max(300).optional(),
  source: tableSourceSchema,
  rows: z.array(tableRowSchema).min(1, 'Choose at least one row question.').max(100),
  /** Banner blocks side by side after Total. */
  banner: z.array(tableRefSchema).max(30).default([]),
  filter: z.array(filterConditionSchema).max(30).default([]),
  weight: tableRefSchema.optional(),
  /** The base of every row question that does not choose its own. */
  base: tableBaseSchema.default('answered'),
  cells: z.array(cellContentSchema).min(1).max(6).default(['count', 'colPct']),
  tests: tableTestsSchema.default({ chiSquare: true, columnTests: true, level: 0.95, correction: 'none' }),
});
/** A table as validated (defaults applied). */
export type TableSpec = z.output<typeof tableSpecSchema>;
/** A table as a caller may write it (defaults optional). */
export type TableSpecInput = z.input<typeof tableSpecSchema>;

// ---------------------------------------------------------------------------------------------
// Results (also what the export helper writes to XLSX, CSV and Markdown).

export interface TableColumn {
  /** Unique within the table: "total", or "<blockRef>=<categoryKey>". */
  key: string;
  label: string;
  /** The banner block this column belongs to ("total" for Total). */
  block: string;
  /** The letter used by column-proportion tests (A, B, ...), restarting in each block; null for Total. */
  letter: string | null;
}

export interface TableColumnBlock {
  key: string;
  label: string;
  /** Index of its first column in `columns`, and how many. */
  start: number;
  count: number;
  /** Multi-select banner: a respondent can be in several columns. */
  overlapping: boolean;
  /** The wave block of a multi-wave table. */
  isWave: boolean;
}

export interface ColumnBase {
  /** Respondents in the base (unweighted). */
  unweighted: number;
  /** Sum of weights (equals unweighted without a weight). */
  weighted: number;
  /** Kish effective base (Σw)²/Σw² (equals unweighted without a weight). */
  effective: number;
  /** Base under 30: percentages are unstable. */
  low: boolean;
  /** A wave column of a question that wave did not ask (or that is not matched there): no result, not 0%. */
  notAsked?: boolean;
}

export interface ChangeVsPrevious {
  /** Column % minus the previous wave's column %, in percentage points. */
  pp: number;
  /** Two-sided p of the two-proportion z test; null when it cannot be tested. */
  p: number | null;
  significant: boolean;
}

export interface TableCell {
  count: number;
  weightedCount: number;
  /** Percent of the column base (0-100); null when the base is 0. */
  colPct: number | null;
  rowPct: number | null;
  totalPct: number | null;
  /** Mean and standard deviation (numeric rows, and the mean row of ordinal rows). */
  mean?: number | null;
  sd?: number | null;
  /** Letters of the columns in the same block this cell is significantly higher than. */
  letters: string[];
  /** z statistic of each test against another column of the block, by that column's letter. */
  z?: Record<string, number>;
  /** Wave tables: change against the previous wave column. */
  change?: ChangeVsPrevious;
}

export interface TableRow {
  key: string;
  label: string;
  kind: 'category' | 'net' | 'mean' | 'sd';
  /** Labels of a net's member categories. */
  members?: string[];
  cells: TableCell[];
}

export interface ChiSquareResult {
  /** The banner block the test ran against. */
  block: string;
  chi2: number;
  df: number;
  p: number;
  cramersV: number;
  /** Sample size used (effective base when weighted). */
  n: number;
  expected: number[][];
  /** Cells with expected counts under 5. */
  lowExpectedCells: number;
  significant: boolean;
  warning?: string;
}

export interface TableRowGroup {
  ref: string;
  label: string;
  /** How the row question is tabulated. */
  kind: 'single' | 'multi' | 'numeric' | 'ordinal';
  /** The base used, and what it is in plain words ("all respondents, answered or not"). */
  base: TableBase;
  baseText: string;
  bases: ColumnBase[];
  rows: TableRow[];
  chiSquare: ChiSquareResult[];
  notes: string[];
}

export interface TableResult {
  title: string;
  /** The title is the analyst's own (else one made from the questions' names). */
  titleGiven: boolean;
  unit: 'respondents' | 'participants';
  weighted: boolean;
  weightLabel: string | null;
  filterText: string | null;
  cells: CellContent[];
  columns: TableColumn[];
  blocks: TableColumnBlock[];
  groups: TableRowGroup[];
  /** Confidence level of every test (0.95 or 0.99) and the correction for multiple comparisons. */
  level: number;
  correction: 'none' | 'bonferroni' | 'fdr';
  notes: string[];
  /** The statistical method, in plain words, to print under the table. */
  method: string;
  /** Time spent computing (ms). */
  elapsedMs: number;
}

export interface DrillRespondent {
  /** Row index in its dataset (0-based). */
  row: number;
  datasetId: number;
  wave: string;
  /** The value of the dataset's id variable, when it has one. */
  id: string | null;
}

export interface DrillQuote {
  segmentId: number;
  documentId: number;
  documentName: string;
  codeId: number;
  codeName: string;
  text: string;
  participant: string | null;
  respondentRow: number | null;
}

export interface DrillResult {
  unit: 'respondents' | 'participants';
  rowLabel: string;
  columnLabel: string;
  total: number;
  respondents: DrillRespondent[];
  participants: { id: number; name: string }[];
  quotes: DrillQuote[];
  truncated: boolean;
}

export interface SavedTableInfo {
  id: number;
  name: string;
  spec: TableSpec;
  createdAt: string;
  updatedAt: string;
}

export interface BuilderCategory {
  key: string;
  label: string;
  missing: boolean;
}

export interface BuilderVariable {
  ref: string;
  label: string;
  kind: 'single' | 'multi' | 'numeric' | 'ordinal' | 'text' | 'weight' | 'code' | 'attribute' | 'wave' | 'grid';
  categories: BuilderCategory[];
  /** A numeric question whose answers are dates (ms since 1970, UTC): filters take days. */
  date?: boolean;
  /** Items of a grid (matrix) question: the grid's name and question text. */
  group?: string;
  groupLabel?: string;
  /** Datasets that have it (waves). */
  datasetIds: number[];
}

export interface BuilderDataset {
  id: number;
  name: string;
  wave: string;
  rows: number;
}

export interface BuilderVariables {
  datasets: BuilderDataset[];
  variables: BuilderVariable[];
}

export const chartKindSchema = z.enum(['bar', 'grouped', 'stacked']);
export type ChartKind = z.infer<typeof chartKindSchema>;

export const chartOptionsSchema = z.object({
  kind: chartKindSchema.default('grouped'),
  /** Which row group of the table (index). */
  group: z.number().int().min(0).default(0),
  /** Which banner block's columns become series (default: the first block after Total, or Total). */
  block: z.string().optional(),
  value: z.enum(['colPct', 'count', 'weightedCount', 'rowPct', 'totalPct']).default('colPct'),
  width: z.number().int().min(200).max(4000).default(800),
  height: z.number().int().min(150).max(4000).default(480),
  title: z.string().max(300).optional(),
  includeNets: z.boolean().default(true),
});
export type ChartOptions = z.output<typeof chartOptionsSchema>;
export type ChartOptionsInput = z.input<typeof chartOptionsSchema>;

const id = z.number().int().positive();

export const tableMethods = {
  'tables.run': method<TableResult>()(z.object({ spec: tableSpecSchema })),
  'tables.drill': method<DrillResult>()(
    z.object({
      spec: tableSpecSchema,
      group: z.number().int().min(0),
      rowKey: z.string(),
      columnKey: z.string(),
      limit: z.number().int().min(1).max(5000).default(200),
    }),
  ),
  'tables.save': method<SavedTableInfo>()(
    z.object({ id: id.optional(), name: z.string().trim().min(1, 'Give the table a name.').max(200), spec: tableSpecSchema }),
  ),
  'tables.list': method<SavedTableInfo[]>()(z.object({})),
  'tables.get': method<{ saved: SavedTableInfo; result: TableResult }>()(z.object({ id })),
  'tables.delete': method<{ deleted: boolean }>()(z.object({ id })),
  'tables.chart': method<{ svg: string }>()(
    z.object({ spec: tableSpecSchema, chart: chartOptionsSchema.default({ kind: 'grouped', group: 0, value: 'colPct', width: 800, height: 480, includeNets: true }) }),
  ),
  'tables.variables': method<BuilderVariables>()(z.object({ source: tableSourceSchema.optional() })),
};
