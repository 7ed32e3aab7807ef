import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../shared/contract/survey';
import type { CoreEvent } from '../../shared/events';
import { dumpProject, rowCount } from '../testing/dump';
import { createTestCore, failure, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

const ROWS = 60_000;
const OPEN_COLUMNS = 4;

/** A survey whose save takes a while: numeric, choice and open-answer columns (each a document). */
function writeBigSurvey(name: string): string {
  const words = ['price', 'delivery', 'support', 'quality', 'speed', 'the app', 'my order', 'was late', 'was great', 'crashed'];
  const header = ['id', 'age', 'score', 'colour', ...Array.from({ length: OPEN_COLUMNS }, (_, i) => `comment${i + 1}`)];
  const lines = [header.join(',')];
  for (let r = 1; r <= ROWS; r++) {
    const open = Array.from({ length: OPEN_COLUMNS }, (_, i) => `${words[(r + i) % 10]} ${words[(r * 7 + i) % 10]} and ${words[(r * 3 + i) % 10]} (${r})`);
    lines.push([r, 18 + (r % 60), r % 5, ['red', 'green', 'blue'][r % 3], ...open].join(','));
  }
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

const isSaving = (event: CoreEvent, jobId: string): event is Extract<CoreEvent, { type: 'progress' }> =>
  event.type === 'progress' && event.jobId === jobId && event.message.startsWith('Saving ') && event.done >= 1 && event.message !== 'Saving to the project';

describe('survey.import: cancel while saving', () => {
  it('a cancel in the middle of the write rolls back every row; a call made meanwhile waits and sees nothing of it; the next import works', async () => {
    await t.newProject();
    const project = t.core.currentProject()!;
    await t.call('survey.import', { path: writeSmall(), wave: '2024' });
    const before = dumpProject(project.db);
    const variablesBefore = rowCount(project.db, 'variable');
    const big = writeBigSurvey('big.csv');

    let seen: { variables: number; documents: number; writing: boolean } | null = null;
    let concurrent: Promise<DatasetSummary[]> | null = null;
    let cancelled: Promise<unknown> | null = null;
    const stop = t.core.onEvent((event) => {
      if (seen || !isSaving(event, 'save-cancel')) return;
      // Inside the write: this connection sees the rows written so far, not yet committed.
      seen = { variables: rowCount(project.db, 'variable'), documents: rowCount(project.db, 'document'), writing: project.writing };
      concurrent = t.call('survey.datasets', {});
      cancelled = t.call('jobs.cancel', { jobId: 'save-cancel' });
    });
    const error = await failure(t.call('survey.import', { path: big, wave: '2025' }, 'save-cancel'));
    stop();
    expect(error.code).toBe('CANCELLED');
    expect(seen).not.toBeNull();
    expect(seen!.writing).toBe(true);
    expect(seen!.variables).toBeGreaterThan(variablesBefore);
    expect(await cancelled).toEqual({ cancelled: true });
    // The call made during the write waited for it to end, and saw the project without it.
    expect((await concurrent!).map((d) => d.wave)).toEqual(['2024']);

    expect(dumpProject(project.db)).toBe(before);
    expect(project.writing).toBe(false);
    expect(project.db.inTransaction).toBe(false);

    // Nothing is left held: the same import runs to the end, and survives a reopen.
    const imported = await t.call('survey.import', { path: big, wave: '2025' }, 'save-again');
    expect(imported).toMatchObject({ rowCount: ROWS, variableCount: 4 + OPEN_COLUMNS, documentCount: OPEN_COLUMNS });
    const file = project.path;
    await t.call('project.close', {});
    await t.call('project.open', { path: file });
    expect((await t.call('survey.datasets', {})).map((d) => [d.wave, d.rowCount])).toEqual([
      ['2024', 3],
      ['2025', ROWS],
    ]);
    const hits = await t.call('search.run', { query: '"was late"', limit: 5 });
    expect(hits.hits.length).toBeGreaterThan(0);
  });

  it('a call made during the write waits, then sees the whole import', async () => {
    await t.newProject();
    const project = t.core.currentProject()!;
    const big = writeBigSurvey('big.csv');
    let concurrent: Promise<DatasetSummary[]> | null = null;
    let variablesMidWrite = 0;
    const stop = t.core.onEvent((event) => {
      if (concurrent || !isSaving(event, 'save-all')) return;
      variablesMidWrite = rowCount(project.db, 'variable');
      concurrent = t.call('survey.datasets', {});
    });
    const imported = await t.call('survey.import', { path: big, name: 'Big' }, 'save-all');
    stop();
    expect(concurrent).not.toBeNull();
    expect(variablesMidWrite).toBeGreaterThan(0);
    expect(variablesMidWrite).toBeLessThanOrEqual(imported.variableCount);
    const [dataset] = await concurrent!;
    expect(dataset).toMatchObject({ id: imported.datasetId, name: 'Big', rowCount: ROWS, variableCount: imported.variableCount });
  });

  it('progress moves through the save, a variable at a time', async () => {
    await t.newProject();
    const events: CoreEvent[] = [];
    const stop = t.core.onEvent((event) => {
      if (event.type === 'progress' && event.jobId === 'save-progress') events.push(event);
    });
    await t.call('survey.import', { path: writeBigSurvey('big.csv') }, 'save-progress');
    stop();
    const saving = events.filter((e) => isSaving(e, 'save-progress')) as Extract<CoreEvent, { type: 'progress' }>[];
    expect(saving.length).toBeGreaterThanOrEqual(2);
    const done = saving.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(saving.at(-1)).toMatchObject({ done: 4 + OPEN_COLUMNS, total: 4 + OPEN_COLUMNS });
  });
});

function writeSmall(): string {
  const file = path.join(t.dir, 'small.csv');
  fs.writeFileSync(file, 'id,score,comment\n1,3,fine\n2,4,good\n3,5,was late once\n');
  return file;
}
