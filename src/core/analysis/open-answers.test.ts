import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

/** Imports a CSV through the real importer; open answers become a survey_text document. */
async function importCsv(lines: string[]): Promise<number> {
  const file = path.join(t.dir, 'open.csv');
  fs.writeFileSync(file, lines.join('\n'));
  await t.newProject();
  const result = await t.call('survey.import', { path: file, wave: '2025', overrides: { types: { why: 'text' } } });
  return result.datasetId;
}

describe('a table whose row is an open-ended question', () => {
  it('lists the answers with their counts (no "unknown encoding")', async () => {
    const answers = ['Too costly', 'Too slow', 'Too costly', '', 'Too costly', 'Too slow', 'Hard to hire for'];
    const datasetId = await importCsv(['id,why', ...answers.map((a, i) => `${i + 1},${a}`)]);
    const variable = (await t.call('survey.variables', { datasetId })).find((v) => v.name === 'why');
    expect(variable?.type).toBe('text');
    const result = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'why' }] } });
    const rows = result.groups[0]!.rows.map((r) => [r.label, r.cells[0]!.count]);
    // Counted by hand from the list above: six answers, one blank.
    expect(rows).toEqual([
      ['Hard to hire for', 1],
      ['Too costly', 3],
      ['Too slow', 2],
    ]);
    expect(result.groups[0]!.bases[0]!.unweighted).toBe(6);
  });

  it('with too many different answers says "code this question first" and how', async () => {
    const datasetId = await importCsv(['id,why', ...Array.from({ length: 520 }, (_, i) => `${i + 1},Because of reason number ${i + 1} in my own words`)]);
    const error = await failure(t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'why' }] } }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('520 different answers');
    expect(error.message).toContain('Code this question first: Codebook → Open answers');
    expect(error.message).not.toMatch(/encoding/);
  });
});
