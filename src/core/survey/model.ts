/**
 * What every survey reader (CSV-family, Excel, SPSS) produces, before anything touches the
 * project: the questions with their text, type and labels, and the answers column by column.
 * The importer (store.ts) turns this into dataset/variable/value_label/variable_data rows.
 */
export type VariableType = 'single' | 'multi' | 'numeric' | 'ordinal' | 'text' | 'date' | 'id' | 'weight' | 'metadata';

export interface ValueLabel {
  /** The stored code: numbers for SPSS and for choices we number ourselves; strings for SPSS string labels. */
  code: number | string;
  label: string;
  /** A user-missing code ("Refused" = -9, a system code...): out of the base altogether. */
  missing?: boolean;
  /**
   * An answer that takes no position ("Don't know", "Not sure", "Prefer not to say", "N/A"): kept,
   * shown and in the base, but left out of nets, top/bottom boxes and means by default.
   */
  nonsubstantive?: boolean;
}

/** SPSS-style user-missing: discrete values and/or one range. */
export interface MissingSpec {
  values: (number | string)[];
  range?: { low: number; high: number };
}

export type RawValues =
  /** Numbers (SPSS numerics, dates as ms since 1970 UTC); NaN is system-missing. */
  | { kind: 'number'; values: Float64Array }
  /** Strings as read; null is an empty cell. */
  | { kind: 'string'; values: (string | null)[] };

export interface ParsedVariable {
  name: string;
  /** The question text as the respondent saw it (or the SPSS variable label). */
  label: string;
  type: VariableType;
  /** Multi-select options, matrix rows and side-by-side columns share a group (e.g. "Q2"). */
  questionGroup?: string;
  groupLabel?: string;
  /** For one column of a multi-select or matrix question: the option or row it stands for. */
  optionLabel?: string;
  valueLabels: ValueLabel[];
  missing: MissingSpec;
  values: RawValues;
  /** Format-specific facts worth keeping (SPSS print format, Qualtrics ImportId...). */
  meta?: Record<string, unknown>;
}

export interface ParsedSurvey {
  format: SurveyFormat;
  encoding: string;
  /** How many header rows the file had (CSV family). */
  headerRows: number;
  rowCount: number;
  variables: ParsedVariable[];
  /** Multiple-response sets declared by the file (SPSS mrsets); CSV readers derive groups instead. */
  multipleResponseSets?: { name: string; label: string; kind: 'dichotomy' | 'category'; countedValue?: number | string; variables: string[] }[];
  warnings: string[];
}

export type SurveyFormat =
  | 'qualtrics'
  | 'qualtrics-legacy'
  | 'surveymonkey'
  | 'surveymonkey-flat'
  | 'google-forms'
  | 'csv'
  | 'tsv'
  | 'xlsx'
  | 'sav'
  | 'zsav'
  | 'por';

/**
 * The labels a member of a multiple-response set is stored with: 1 for its counted value, 0 for
 * any other answer. A set already coded 0/1 with 1 counted keeps the file's own labels. The
 * preview shows these too, so what it shows is what the import stores.
 */
export function dichotomyLabels(valueLabels: ValueLabel[], counted: number | string): ValueLabel[] {
  if (counted === 1 && valueLabels.length > 0 && valueLabels.every((l) => l.code === 0 || l.code === 1)) return valueLabels;
  const trimmed = (code: number | string) => (typeof code === 'string' ? code.replace(/ +$/, '') : code);
  const countedLabel = valueLabels.find((l) => l.code === counted || (typeof l.code === 'string' && typeof counted === 'string' && trimmed(l.code) === trimmed(counted)))?.label;
  return [
    { code: 0, label: 'Not selected' },
    { code: 1, label: countedLabel ?? 'Selected' },
  ];
}
