/**
 * One row of `npm run bench`: our task and a named baseline doing the same work, timed in the
 * same run. Each row runs in its own child process, so its peak memory (maxRSS) is its own.
 */
export interface BenchRow {
  /** What is measured, in a researcher's words: "import a 1M-row, 40-column CSV". */
  name: string;
  /** The baseline's name: "sqlite3 CLI .import". */
  baseline: string;
  /** The target, printed beside the ratio: "≤ 1.0×", "< 100 ms". */
  target?: string;
  /** Timed repetitions of each side (median reported). Default 3. */
  repeat?: number;
  /** Untimed preparation (generate data into os.tmpdir(), once; reuse when already there). */
  setup?(): Promise<void> | void;
  /** Our implementation. */
  ours(): Promise<void> | void;
  /** The baseline; may run an external program (sqlite3, pspp, rg, python3). */
  base(): Promise<void> | void;
  teardown?(): Promise<void> | void;
}

export function defineRows(rows: BenchRow[]): BenchRow[] {
  return rows;
}
