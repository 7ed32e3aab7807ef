import { I32_MISSING, U8_MISSING, type Column } from './columns';
import type { MissingSpec } from './model';

/** How many respondents answered, how many did not, and how many chose each labelled code. */
export interface ColumnCounts {
  valid: number;
  missing: number;
  /** [code, respondents] for codes that have a value label. */
  byCode: [number | string, number][];
}

function isUserMissing(missing: MissingSpec, value: number): boolean {
  if (missing.values.some((v) => v === value)) return true;
  return missing.range !== undefined && value >= missing.range.low && value <= missing.range.high;
}

/**
 * One pass over a stored column. Computed at import and kept in variable.meta, so the variables
 * list of a million-row dataset does not decode every column to show its counts.
 */
export function countColumn(column: Column, labels: { code: number | string; missing: boolean }[], missing: MissingSpec): ColumnCounts {
  const missingCodes = new Set(labels.filter((l) => l.missing).map((l) => l.code));
  const counts = new Map<number | string, number>();
  let valid = 0;
  let missingCount = 0;
  switch (column.encoding) {
    case 'i32':
      for (const x of column.values) {
        if (x === I32_MISSING) {
          missingCount++;
          continue;
        }
        counts.set(x, (counts.get(x) ?? 0) + 1);
        if (missingCodes.has(x) || isUserMissing(missing, x)) missingCount++;
        else valid++;
      }
      break;
    case 'u8':
      for (const x of column.values) {
        if (x === U8_MISSING) missingCount++;
        else {
          valid++;
          counts.set(x, (counts.get(x) ?? 0) + 1);
        }
      }
      break;
    case 'f64':
      for (const x of column.values) {
        if (Number.isNaN(x) || isUserMissing(missing, x)) missingCount++;
        else valid++;
        if (!Number.isNaN(x) && labels.length) counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      break;
    case 'text':
      for (const s of column.values) {
        if (s === null || (missingCodes.size > 0 && missingCodes.has(s))) missingCount++;
        else valid++;
        if (s !== null && labels.length) counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      break;
  }
  const labelled = new Set(labels.map((l) => l.code));
  return { valid, missing: missingCount, byCode: [...counts].filter(([code]) => labelled.has(code)) };
}
