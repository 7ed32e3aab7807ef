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
    case 'u8': {
      // Codes are small whole numbers: count them in an array, then judge each code once.
      const values = column.values;
      const none = column.encoding === 'i32' ? I32_MISSING : U8_MISSING;
      let min = Infinity;
      let max = -Infinity;
      for (const x of values) {
        if (x === none) continue;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      let absent = 0;
      if (max >= min && max - min <= 1_000_000) {
        const tally = new Float64Array(max - min + 1);
        for (const x of values) {
          if (x === none) absent++;
          else tally[x - min]!++;
        }
        tally.forEach((n, i) => {
          if (n > 0) counts.set(i + min, n);
        });
      } else {
        for (const x of values) {
          if (x === none) absent++;
          else counts.set(x, (counts.get(x) ?? 0) + 1);
        }
      }
      missingCount = absent;
      for (const [code, n] of counts) {
        const code_ = code as number;
        if (column.encoding === 'i32' && (missingCodes.has(code_) || isUserMissing(missing, code_))) missingCount += n;
        else valid += n;
      }
      break;
    }
    case 'f64': {
      // Most numeric columns declare no missing values and no labels: then it is one NaN test per cell.
      const declared = missing.values.length > 0 || missing.range !== undefined;
      const labelled = labels.length > 0;
      for (const x of column.values) {
        if (x !== x) {
          missingCount++;
          continue;
        }
        if (declared && isUserMissing(missing, x)) missingCount++;
        else valid++;
        if (labelled) counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      break;
    }
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
