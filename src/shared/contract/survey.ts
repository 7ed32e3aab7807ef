// Survey import (issue 3): datasets, waves, variables, respondents.
import { z } from 'zod';
import { method } from './method';

export const SURVEY_VARIABLE_TYPES = ['single', 'multi', 'numeric', 'ordinal', 'text', 'date', 'id', 'weight', 'metadata'] as const;
export type SurveyVariableType = (typeof SURVEY_VARIABLE_TYPES)[number];

export const SURVEY_FORMATS = [
  'qualtrics',
  'qualtrics-legacy',
  'surveymonkey',
  'surveymonkey-flat',
  'google-forms',
  'csv',
  'tsv',
  'xlsx',
  'sav',
  'zsav',
  'por',
] as const;
export type SurveyFileFormat = (typeof SURVEY_FORMATS)[number];

export interface SurveyValueLabel {
  code: number | string;
  label: string;
  /** Out of the base altogether (a refusal, a user-missing code). */
  missing: boolean;
  /** Takes no position ("Don't know", "N/A"): in the base, out of nets, boxes and means. */
  nonsubstantive: boolean;
}

export interface SurveyPreviewColumn {
  /** The column's name in the file: the key for overrides. */
  name: string;
  /** The question text. */
  label: string;
  type: SurveyVariableType;
  questionGroup: string | null;
  groupLabel: string | null;
  optionLabel: string | null;
  valueLabels: SurveyValueLabel[];
  samples: string[];
  /** Non-empty answers among the rows read for the preview. */
  answered: number;
  /** Why it was given its type (and order, flags, group), in plain words; "chosen by you" when overridden. */
  reason: string;
}

export interface SurveyPreview {
  path: string;
  fileName: string;
  format: SurveyFileFormat;
  encoding: string;
  /** Why that encoding ("byte order mark", "valid UTF-8", "chosen by you"...). */
  encodingReason: string;
  delimiter: string;
  headerRows: number;
  /** The header rows as they are in the file. */
  headerText: string[][];
  sheets: string[];
  sheet: string | null;
  columns: SurveyPreviewColumn[];
  /** Variables after multi-selects are split (one per option). */
  variableCount: number;
  /** The first data rows, cells as in the file. */
  firstRows: string[][];
  /** Rows read for the preview (all of them unless `truncated`). */
  rowsRead: number;
  truncated: boolean;
  suggestedName: string;
  idColumn: string | null;
  weightColumn: string | null;
  warnings: string[];
}

/** What an import made, in counts a user can check against the file. */
export interface SurveyImportSummary {
  respondents: number;
  /** Questions (a multi-select once, whatever its options; each matrix row once), not metadata, id or weight. */
  questions: number;
  questionsByType: Partial<Record<SurveyVariableType, number>>;
  /** Variables stored: a multi-select has one per option. */
  variables: number;
  /** 0/1 option variables of the multi-select questions. */
  multiSelectOptions: number;
  /** Open-text questions stored as searchable, codable documents. */
  openTextDocuments: number;
  idColumn: string | null;
  weightColumn: string | null;
  /** Columns kept as metadata (the survey tool's respondent fields): stored, not analysed. */
  metadataColumns: string[];
  /** Each warning with the column it names (null for the file as a whole). */
  warnings: { column: string | null; message: string }[];
}

export interface SurveyImportResult {
  datasetId: number;
  name: string;
  wave: string;
  format: SurveyFileFormat;
  rowCount: number;
  variableCount: number;
  documentCount: number;
  /** Variables matched to an earlier wave (to review in survey.waveMatches). */
  matched: number;
  warnings: string[];
  summary: SurveyImportSummary;
}

export interface DatasetSummary {
  id: number;
  name: string;
  wave: string;
  sourceFile: string;
  format: string;
  encoding: string;
  rowCount: number;
  variableCount: number;
  importedAt: string;
  /** Place in time among the waves (1 = earliest), and why: "the order you set", "the years or dates in the wave labels"... */
  timeOrder: number;
  orderReason: string;
}

export interface VariableSummary {
  id: number;
  datasetId: number;
  position: number;
  name: string;
  label: string;
  type: SurveyVariableType;
  questionGroup: string | null;
  groupLabel: string | null;
  optionLabel: string | null;
  valueLabels: (SurveyValueLabel & { count: number })[];
  /** User-missing values as declared (SPSS), e.g. {"values":[99],"range":{"low":-9,"high":-1}}. */
  missing: { values: (number | string)[]; range?: { low: number; high: number } };
  /** Respondents with an answer (not empty, not system- or user-missing). */
  valid: number;
  /** Respondents without one. */
  missingCount: number;
  concept: string | null;
  conceptConfirmed: boolean;
}

export type SurveyCell = string | number | null;

export interface SurveyRowsPage {
  datasetId: number;
  /** Respondents in the dataset. */
  total: number;
  /** Respondents that pass the filters. */
  matching: number;
  offset: number;
  columns: { id: number; name: string; label: string; type: SurveyVariableType }[];
  /** Each row: its respondent row index (0-based, stable), then one cell per column. */
  rows: { row: number; cells: SurveyCell[] }[];
}

export interface WaveMatchVariable {
  id: number;
  datasetId: number;
  datasetName: string;
  wave: string;
  name: string;
  label: string;
  type: string;
  optionLabel: string | null;
  confirmed: boolean;
  /** How it was matched: "question text" or "name"; null for the earliest wave's variable. */
  basis: string | null;
}

export interface WaveMatch {
  concept: string;
  confirmed: boolean;
  variables: WaveMatchVariable[];
}

const filePath = z.string().trim().min(1, 'A file path is required.');
const id = z.number().int().positive();

const readInput = {
  path: filePath,
  /** Force an encoding ("windows-1252", "macintosh", "utf-16le"...); detected when absent. */
  encoding: z.string().trim().min(1).optional(),
  /** The Excel sheet to read (the first with data when absent). */
  sheet: z.string().min(1).optional(),
  format: z.enum([...SURVEY_FORMATS, 'auto']).optional(),
};

const columnName = z.string().min(1).max(1000);
const answerRef = z.union([z.number(), z.string().max(10_000)]);
const answerList = z.array(z.string().max(10_000)).max(5000);

export const surveyOverridesSchema = z.object({
  types: z.record(columnName, z.enum(SURVEY_VARIABLE_TYPES)).optional(),
  labels: z.record(columnName, z.string().max(10_000)).optional(),
  idColumn: z.string().min(1).optional(),
  weightColumn: z.string().min(1).optional(),
  /** Per column: its answers low to high (as in the file); answers not listed follow in the guessed order. */
  order: z.record(columnName, answerList).optional(),
  /** Per column: exactly these answers are missing (out of the base); for a numeric column, these numbers. */
  missing: z.record(columnName, answerList).optional(),
  /** Per column: exactly these answers are non-substantive (in the base, out of nets, boxes and means). */
  nonsubstantive: z.record(columnName, answerList).optional(),
  /** Per column: its question group ('' for none). Columns sharing a group form one multi-select or matrix. */
  groups: z.record(columnName, z.string().trim().max(200)).optional(),
  /** Per question group: its question text. */
  groupLabels: z.record(z.string().min(1).max(200), z.string().max(10_000)).optional(),
});
export type SurveyOverrides = z.infer<typeof surveyOverridesSchema>;

export const surveyFilterSchema = z.object({
  variableId: id,
  op: z.enum(['eq', 'neq', 'contains', 'gt', 'lt', 'empty', 'notEmpty']),
  value: z.union([z.string(), z.number()]).optional(),
});
export type SurveyFilter = z.infer<typeof surveyFilterSchema>;

export const surveyMethods = {
  /** Reads the start of a file: format, encoding, header rows, and per column its type, question and labels. */
  'survey.preview': method<SurveyPreview>()(
    z.object({ ...readInput, maxRows: z.number().int().min(1).max(100_000).optional(), overrides: surveyOverridesSchema.optional() }),
  ),
  /** Imports a whole file as one dataset (a wave), all or nothing. */
  'survey.import': method<SurveyImportResult>()(
    z.object({
      ...readInput,
      name: z.string().trim().min(1).max(200).optional(),
      wave: z.string().trim().max(100).optional(),
      overrides: surveyOverridesSchema.optional(),
    }),
    { job: true },
  ),
  'survey.datasets': method<DatasetSummary[]>()(z.object({})),
  'survey.variables': method<VariableSummary[]>()(z.object({ datasetId: id.optional() })),
  /** One page of the respondent grid: sorted, filtered, only the columns asked for. */
  'survey.rows': method<SurveyRowsPage>()(
    z.object({
      datasetId: id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
      variableIds: z.array(id).max(500).optional(),
      sort: z.object({ variableId: id, desc: z.boolean().default(false) }).optional(),
      filters: z.array(surveyFilterSchema).max(20).optional(),
    }),
  ),
  'survey.waveMatches': method<WaveMatch[]>()(z.object({})),
  /** Accept (one concept, confirmed) or reject (no concept) a proposed match across waves. */
  'survey.confirmMatch': method<WaveMatch[]>()(z.object({ variableIds: z.array(id).min(1), accept: z.boolean() })),
  'survey.renameDataset': method<DatasetSummary>()(
    z.object({ datasetId: id, name: z.string().trim().min(1).max(200).optional(), wave: z.string().trim().max(100).optional() }),
  ),
  /** Sets the waves' time order (every dataset once, earliest first); one undoable step. */
  'survey.orderWaves': method<DatasetSummary[]>()(z.object({ datasetIds: z.array(id).min(1).max(500) })),
  'survey.deleteDataset': method<{ deleted: boolean }>()(z.object({ datasetId: id })),
  /**
   * Changes one variable after the import, as one undoable operation: its type (answers converted,
   * or refused naming the first that does not fit), question text, the order of its answers
   * (those named first, the rest after), exactly which answers are missing or non-substantive
   * (numbers, for a numeric variable), or answers merged into the first named. Answers are named
   * by code or by label.
   */
  'survey.editVariable': method<VariableSummary>()(
    z.object({
      variableId: id,
      type: z.enum(SURVEY_VARIABLE_TYPES).optional(),
      label: z.string().max(10_000).optional(),
      order: z.array(answerRef).min(1).max(5000).optional(),
      missing: z.array(answerRef).max(5000).optional(),
      nonsubstantive: z.array(answerRef).max(5000).optional(),
      merge: z.object({ answers: z.array(answerRef).min(2).max(5000), label: z.string().max(10_000).optional() }).optional(),
    }),
  ),
  /**
   * Puts columns of one dataset into a question group, as one undoable operation: `multi` makes
   * each a 0/1 option of one multi-select (a respondent who chose none has not answered), `matrix`
   * keeps their answers as rows of one question. `group: null` takes them out of any group (a
   * multi-select's options become 0/1 single questions).
   */
  'survey.groupVariables': method<VariableSummary[]>()(
    z.object({
      variableIds: z.array(id).min(1).max(1000),
      group: z.string().trim().min(1).max(200).nullable(),
      groupLabel: z.string().max(10_000).optional(),
      as: z.enum(['multi', 'matrix']).default('multi'),
    }),
  ),
};
