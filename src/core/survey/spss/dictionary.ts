import { byteCodedNumbers, type ByteCodes } from '../columns';
import type { MissingSpec, ParsedSurvey, ParsedVariable, RawValues, ValueLabel, VariableType } from '../model';
import { formatToString, isDateFormat, isTimeFormat, spssSecondsToMs, type Alignment, type Measure, type SpssFormat } from './formats';

/**
 * What the .sav/.zsav and .por readers agree on before the answers become a ParsedSurvey:
 * one entry per SPSS variable (very long strings already joined), with its answers decoded.
 */
export interface SpssVariable {
  /** The 8-byte name in the variable record (upper case); mrsets and old records refer to it. */
  shortName: string;
  name: string;
  label: string;
  /** 0 for numeric, otherwise the string width in bytes. */
  width: number;
  print: SpssFormat;
  write: SpssFormat;
  missing: MissingSpec;
  valueLabels: { code: number | string; label: string }[];
  measure: Measure;
  displayWidth?: number;
  alignment?: Alignment;
  numbers?: Float64Array;
  /** Instead of `numbers`: the answers as the file's bytecodes (labelled numerics of a compressed file). */
  byteCodes?: ByteCodes;
  strings?: (string | null)[];
}

export interface SpssMrSet {
  name: string;
  label: string;
  kind: 'dichotomy' | 'category';
  countedValue?: number | string;
  /** Variable names as written in the file (short or long; matched case-insensitively). */
  variables: string[];
  /** CATEGORYLABELS=COUNTEDVALUES: each option is named by its counted value's value label, not its variable label. */
  optionLabelsFromCountedValue?: boolean;
  /** LABELSOURCE=VARLABEL: the set's label is its first variable's label. */
  labelFromFirstVariable?: boolean;
}

export interface SpssFileInfo {
  format: 'sav' | 'zsav' | 'por';
  encoding: string;
  product: string;
  /** As written in the header ("16 Aug 18 17:22:33"); SPSS stores no time zone. */
  created: string;
  fileLabel: string;
  documents: string[];
  compression: 'none' | 'bytecode' | 'zlib';
  bigEndian: boolean;
  weightVariable?: string;
}

/** A ParsedSurvey plus the SPSS facts with no place in the shared model (documents, file label...). */
export interface SpssParsedSurvey extends ParsedSurvey {
  spss: SpssFileInfo;
}

function valuesOf(v: SpssVariable, rowCount: number): RawValues {
  if (v.width > 0) return { kind: 'string', values: v.strings ?? new Array<string | null>(rowCount).fill(null) };
  if (v.byteCodes) return byteCodedNumbers(v.byteCodes);
  return { kind: 'number', values: v.numbers ?? new Float64Array(rowCount) };
}

function isMissingValue(code: number | string, missing: MissingSpec): boolean {
  if (missing.values.some((v) => v === code)) return true;
  if (typeof code === 'number' && missing.range) return code >= missing.range.low && code <= missing.range.high;
  return false;
}

function toMs(v: number): number {
  return Number.isNaN(v) ? v : spssSecondsToMs(v);
}

/** Builds the shared model: types from formats, measures and labels; dates as ms since 1970 UTC. */
export function buildParsedSurvey(
  info: SpssFileInfo,
  variables: SpssVariable[],
  rowCount: number,
  mrsets: SpssMrSet[],
  warnings: string[],
): SpssParsedSurvey {
  // mrsets name their variables by short name in .sav (lower-cased) and by long name elsewhere.
  const byAnyName = new Map<string, SpssVariable>();
  for (const v of variables) {
    byAnyName.set(v.shortName.toLowerCase(), v);
    byAnyName.set(v.name.toLowerCase(), v);
  }
  const memberOf = new Map<SpssVariable, SpssMrSet>();
  const sets: NonNullable<ParsedSurvey['multipleResponseSets']> = [];
  for (const set of mrsets) {
    const members: string[] = [];
    for (const ref of set.variables) {
      const v = byAnyName.get(ref.toLowerCase());
      if (!v) {
        warnings.push(`Multiple response set ${set.name} names a variable "${ref}" that is not in the file; it was left out of the set.`);
        continue;
      }
      members.push(v.name);
      if (!memberOf.has(v)) memberOf.set(v, set);
    }
    let counted = set.countedValue;
    if (typeof counted === 'string' && members.length > 0) {
      const first = byAnyName.get(members[0]!.toLowerCase());
      if (first && first.width === 0 && counted.trim() !== '' && Number.isFinite(Number(counted))) counted = Number(counted);
    }
    if (set.labelFromFirstVariable && members.length > 0) {
      const first = byAnyName.get(members[0]!.toLowerCase());
      if (first?.label) set.label = first.label;
    }
    const entry: NonNullable<ParsedSurvey['multipleResponseSets']>[number] = {
      name: set.name,
      label: set.label,
      kind: set.kind,
      variables: members,
    };
    if (counted !== undefined) entry.countedValue = counted;
    sets.push(entry);
  }

  const parsed: ParsedVariable[] = variables.map((v) => {
    const isDate = v.width === 0 && isDateFormat(v.print);
    const isTime = v.width === 0 && isTimeFormat(v.print);
    let missing = v.missing;
    let labels: ValueLabel[] = v.valueLabels.map((l) => ({ code: l.code, label: l.label }));
    if (isDate) {
      // Keep codes comparable with the values, which become ms since 1970.
      missing = {
        values: missing.values.map((x) => (typeof x === 'number' ? toMs(x) : x)),
        ...(missing.range ? { range: { low: toMs(missing.range.low), high: toMs(missing.range.high) } } : {}),
      };
      labels = labels.map((l) => (typeof l.code === 'number' ? { ...l, code: toMs(l.code) } : l));
      if (v.numbers) {
        const a = v.numbers;
        for (let i = 0; i < a.length; i++) a[i] = toMs(a[i]!);
      }
    }
    for (const l of labels) if (isMissingValue(l.code, missing)) l.missing = true;

    const hasRealLabels = labels.some((l) => !l.missing);
    let type: VariableType;
    if (isDate) type = 'date';
    else if (v.width > 0) type = hasRealLabels ? 'single' : 'text';
    else if (hasRealLabels && !isTime) type = v.measure === 'ordinal' ? 'ordinal' : 'single';
    else type = 'numeric';
    if (info.weightVariable !== undefined && v.name === info.weightVariable) type = 'weight';

    const meta: Record<string, unknown> = {
      format: formatToString(v.print),
      writeFormat: formatToString(v.write),
      measure: v.measure,
      spssType: v.width === 0 ? 'numeric' : 'string',
      shortName: v.shortName,
    };
    if (v.width > 0) meta.width = v.width;
    if (v.displayWidth !== undefined) meta.displayWidth = v.displayWidth;
    if (v.alignment !== undefined) meta.alignment = v.alignment;
    if (isTime) meta.unit = 'seconds';

    const out: ParsedVariable = {
      name: v.name,
      label: v.label,
      type,
      valueLabels: labels,
      missing,
      values: valuesOf(v, rowCount),
      meta,
    };
    const set = memberOf.get(v);
    if (set) {
      out.questionGroup = set.name;
      out.groupLabel = set.label || set.name;
      if (v.label) out.optionLabel = v.label;
      if (set.optionLabelsFromCountedValue && set.countedValue !== undefined) {
        const counted = String(set.countedValue).replace(/ +$/, '');
        const own = v.valueLabels.find((l) => String(l.code).replace(/ +$/, '') === counted || (typeof l.code === 'number' && l.code === Number(counted)));
        if (own) out.optionLabel = own.label;
      }
      meta.multipleResponseSet = set.name;
      if (set.kind === 'dichotomy') {
        // A dichotomy set's columns are the options of one multi-select question.
        if (out.type !== 'date' && out.type !== 'weight') out.type = 'multi';
        const counted = sets.find((s) => s.name === set.name)?.countedValue;
        if (counted !== undefined) meta.countedValue = counted;
      }
    }
    return out;
  });

  return {
    format: info.format,
    encoding: info.encoding,
    headerRows: 0,
    rowCount,
    variables: parsed,
    ...(sets.length > 0 ? { multipleResponseSets: sets } : {}),
    warnings,
    spss: info,
  };
}
