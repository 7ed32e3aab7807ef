import { FieldbookError } from '../../shared/errors';

/**
 * What the cross-tab engine works on: N units (respondents or participants) and, for any
 * reference, an axis over those units. Axes are dictionary-encoded once, so tabulation is a loop
 * over typed arrays. Frames come from the project (data.ts) or, in tests, from arrays built by hand.
 */
export interface Category {
  key: string;
  label: string;
  /** An answer taking no position ("Don't know"): in the base, out of nets, boxes and means. */
  nonsubstantive?: boolean;
  /** A multi-select option's cross-wave match (variable.concept). */
  concept?: string;
  /** The keys the same answer has in other waves (waves stacked into one axis). */
  aliases?: string[];
}

export interface SingleAxis {
  kind: 'single' | 'ordinal';
  ref: string;
  label: string;
  categories: Category[];
  /** Waves (labels) of a stacked table where the question was not asked or not matched. */
  notIn?: string[];
  /** Category index per unit; -1 = missing / not asked. */
  index: Int32Array;
  /** Score of each category for means (the value code); NaN when the code is not a number. */
  scores: Float64Array;
  /**
   * 1 where the answer is a declared missing code (SPSS user-missing, a label marked missing):
   * the respondent was shown the question and gave no usable answer. A blank or system-missing
   * answer is 0 here. Null when the file declares no missing codes.
   */
  userMissing?: Uint8Array | null;
}

export interface MultiAxis {
  kind: 'multi';
  ref: string;
  label: string;
  categories: Category[];
  notIn?: string[];
  /** One array per category: 1 chosen, 0 not chosen, anything else (255) not asked. */
  options: Uint8Array[];
  /**
   * Who is in the base. Null: those who chose at least one option (a respondent who skipped the
   * question is not counted as "chose none").
   */
  answered: Uint8Array | null;
}

export interface NumericAxis {
  kind: 'numeric';
  ref: string;
  label: string;
  notIn?: string[];
  /** NaN = missing. */
  values: Float64Array;
  /** The answers are dates (ms since 1970, UTC): ranges are described as days. */
  date?: boolean;
}

export type Axis = SingleAxis | MultiAxis | NumericAxis;

export interface UnitInfo {
  datasetId: number;
  row: number;
  wave: string;
  id: string | null;
  participantId: number | null;
  participantName: string | null;
}

export interface CodedSegment {
  unit: number;
  segmentId: number;
  documentId: number;
  documentName: string;
  codeId: number;
  codeName: string;
  /** The code asked for, when the quote carries one of its sub-codes. */
  matchedCodeId: number;
  text: string;
  participant: string | null;
  respondentRow: number | null;
}

export interface Frame {
  readonly n: number;
  readonly unit: 'respondents' | 'participants';
  /** True when the frame stacks several waves: the 'wave' reference exists. */
  readonly waves: boolean;
  /** Throws FieldbookError NOT_FOUND for an unknown reference. */
  axis(ref: string): Axis;
  unitInfo(unit: number): UnitInfo;
  /** Quotes coded with these codes, each with the unit it belongs to. */
  codedSegments(codeIds: number[]): CodedSegment[];
  /** A grid (matrix) question's items, when ref names a group of single-answer questions. */
  expand?(ref: string): string[] | null;
}

/** Builds a single axis from category indices (used by frames and tests). */
export function singleAxis(ref: string, label: string, categories: Category[], index: Int32Array, kind: 'single' | 'ordinal' = 'single'): SingleAxis {
  const scores = new Float64Array(categories.length);
  categories.forEach((c, i) => {
    const v = Number(c.key);
    // A "Don't know" coded 9 on a 1-5 scale is no score: it stays out of the mean.
    scores[i] = !c.nonsubstantive && c.key.trim() !== '' && Number.isFinite(v) ? v : Number.NaN;
  });
  return { kind, ref, label, categories, index, scores };
}

/** Parses a "code:12" / "codes:12,14" / "codes:*" reference. */
export function parseCodeRef(ref: string): { single: boolean; ids: number[] | 'all' } | null {
  const m = /^(code|codes):(.*)$/.exec(ref.trim());
  if (!m) return null;
  const body = m[2]!.trim();
  if (m[1] === 'codes' && body === '*') return { single: false, ids: 'all' };
  const ids = body.split(',').map((s) => Number(s.trim()));
  if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id <= 0)) return null;
  if (m[1] === 'code' && ids.length !== 1) return null;
  return { single: m[1] === 'code', ids };
}

/** A frame over arrays already in memory (generated data, tests, benchmarks). */
export function arrayFrame(n: number, axes: Axis[], unit: Frame['unit'] = 'respondents'): Frame {
  const byRef = new Map(axes.map((a) => [a.ref, a]));
  return {
    n,
    unit,
    waves: byRef.has('wave'),
    axis(ref) {
      const axis = byRef.get(ref);
      if (!axis) throw new FieldbookError('NOT_FOUND', `There is no variable called ${ref}.`, { field: ref });
      return axis;
    },
    unitInfo: (row) => ({ datasetId: 0, row, wave: '', id: null, participantId: null, participantName: null }),
    codedSegments: () => [],
  };
}
