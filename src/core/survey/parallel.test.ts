import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failure, tempDir } from '../testing/index';
import { WorkerPool } from '../workers/pool';
import { withCoreTasks } from '../tasks';
import type { TaskInput, TaskName, TaskOutput } from '../workers/pool';
import { readSurvey } from './reader';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** Counts the halves it reads (on real worker threads), so a test knows the file was split. */
class CountingPool extends WorkerPool {
  runs = 0;
  override run<T extends TaskName>(task: T, input: TaskInput<T>, signal?: AbortSignal): Promise<TaskOutput<T>> {
    if (task === 'readSurveyPart') this.runs++;
    return super.run(task, input, signal);
  }
}

const LIKERT = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/**
 * A survey whose columns change character between the halves: a number column that turns into text,
 * 1,500 distinct answers in each half (3,000 together: too many for a dictionary), quoted answers
 * with commas and line breaks, dates, and empty cells.
 */
function writeSurvey(name: string, rows: number, broken?: number): string {
  const lines = ['id,likert,score,mixed,code,when,comment'];
  for (let r = 0; r < rows; r++) {
    const second = r >= rows / 2;
    const comment = r % 7 === 0 ? '' : r % 11 === 0 ? `"line one, still going\nline two of ${r}"` : `"said ${r % 13}, then ${r % 5}"`;
    const cells = [
      `R${r}`,
      r % 17 === 0 ? '' : LIKERT[r % 5],
      String(r % 11),
      second && r % 50 === 0 ? 'n/a' : String(r % 9),
      `${second ? 'B' : 'A'}${r % 1500}`,
      `2024-0${1 + (r % 9)}-1${r % 10}`,
      comment,
    ];
    lines.push(r === broken ? cells.slice(0, 5).join(',') : cells.join(','));
  }
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('reading a large CSV in two halves at once', () => {
  const pool = new CountingPool(withCoreTasks({ size: 1 }));
  afterAll(() => pool.close());

  it('gives exactly what one pass gives: types, labels, values, lines', async () => {
    const file = writeSurvey('halves.csv', 8000);
    const once = await readSurvey(file);
    const halves = await readSurvey(file, { parallel: { pool, minBytes: 0 } });
    expect(pool.runs).toBe(1);
    expect(await pool.threaded()).toBe(true);
    expect(halves.survey).toEqual(once.survey);
    expect(halves.columns).toEqual(once.columns);
    expect(halves.firstRows).toEqual(once.firstRows);
    expect(halves.survey.rowCount).toBe(8000);
    // The column with "n/a" only in the second half is no longer numeric; 3,000 distinct codes are
    // too many for a dictionary though each half alone has 1,500.
    const types = Object.fromEntries(halves.survey.variables.map((v) => [v.name, v.type]));
    expect(types).toEqual({ id: 'id', likert: 'ordinal', score: 'numeric', mixed: 'single', code: 'text', when: 'date', comment: 'text' });
  });

  it('names the line of a broken row in the second half, as one pass does', async () => {
    const file = writeSurvey('broken.csv', 8000, 6500);
    // Both readings must fail with a FieldbookError (failure() insists), and say the same.
    const errors = [await failure(readSurvey(file)), await failure(readSurvey(file, { parallel: { pool, minBytes: 0 } }))];
    expect(errors[1]?.toInfo()).toEqual(errors[0]?.toInfo());
    expect(errors[0]?.details?.line).toBeGreaterThan(6500);
  });

  it('refuses a stray quote exactly as one pass does', async () => {
    // 12" in an unquoted cell would flip the quote count the cut is found with (every row holds a
    // quoted cell with a line break); the CSV parser refuses it first, in either reading.
    const lines = ['id,size,comment'];
    for (let r = 0; r < 6000; r++) lines.push(`R${r},${r === 10 ? '12" pizza' : 'large'},"first line ${r}\nsecond line, ${r % 7}"`);
    const file = path.join(temp.dir, 'stray.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    // Both readings must fail with a FieldbookError (failure() insists), and say the same.
    const errors = [await failure(readSurvey(file)), await failure(readSurvey(file, { parallel: { pool, minBytes: 0 } }))];
    expect(errors[1]?.toInfo()).toEqual(errors[0]?.toInfo());
    expect(errors[0]?.code).toBe('PARSE_ERROR');
  });

  it('reads the file right when the middle falls inside a quoted cell of many lines', async () => {
    // A guessed cut there is proven wrong by this thread's own reading, which then reads on alone.
    const lines = ['id,likert,comment'];
    for (let r = 0; r < 4000; r++) lines.push(`R${r},${LIKERT[r % 5]},"short ${r}"`);
    const essay = Array.from({ length: 6000 }, (_, k) => `line ${k} of a long answer, R${k},Agree,"quoted"`).join('\n').replaceAll('"', '""');
    lines.push(`R4000,Agree,"${essay}"`);
    for (let r = 4001; r < 8000; r++) lines.push(`R${r},${LIKERT[r % 5]},"short ${r}"`);
    const file = path.join(temp.dir, 'long-cell.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const middle = Math.floor(fs.statSync(file).size * 0.54);
    const essayAt = fs.readFileSync(file, 'latin1').indexOf('R4000,');
    expect(essayAt).toBeLessThan(middle);
    expect(essayAt + essay.length).toBeGreaterThan(middle);
    const once = await readSurvey(file, { parser: 'text' });
    const halves = await readSurvey(file, { parallel: { pool, minBytes: 0 } });
    expect(halves.survey).toEqual(once.survey);
    expect(halves.survey.rowCount).toBe(8000);
    expect((halves.survey.variables[2]!.values.values as string[])[4000]).toBe(essay.replaceAll('""', '"'));
  });

  it('reads a small file in one pass', async () => {
    const before = pool.runs;
    await readSurvey(writeSurvey('small.csv', 50), { parallel: { pool } });
    expect(pool.runs).toBe(before);
  });
});
