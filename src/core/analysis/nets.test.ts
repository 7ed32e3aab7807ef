import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult } from '../../shared/contract/tables';
import { tableGrid } from '../export/tables/grid';
import { createTestCore, type TestCore } from '../testing/index';
import { netLabel } from './crosstab';

/*
 * Twelve answers on a text scale with "Don't know" after it, as a survey tool exports them. By hand:
 * Very likely 3, Likely 2, Neutral 2, Unlikely 1, Very unlikely 1, Don't know 3 (base 12).
 * Top 2 box = Very likely + Likely = 5 of 12; bottom 2 = 2 of 12. The mean of the scale codes
 * 1..5 over the nine substantive answers: (5·3 + 4·2 + 3·2 + 2 + 1) / 9 = 32 / 9.
 */
const ANSWERS = [
  'Very likely', 'Likely', "Don't know", 'Neutral', 'Very likely', 'Unlikely',
  "Don't know", 'Likely', 'Very unlikely', 'Neutral', 'Very likely', "Don't know",
];

describe('nets and non-substantive answers', () => {
  let t: TestCore;
  let datasetId = 0;
  beforeAll(async () => {
    t = createTestCore();
    const file = path.join(t.dir, 'scale.csv');
    fs.writeFileSync(file, ['id,likely', ...ANSWERS.map((a, i) => `${i + 1},${a}`)].join('\n'));
    await t.newProject();
    datasetId = (await t.call('survey.import', { path: file, wave: '2025' })).datasetId;
  });
  afterAll(() => t.cleanup());

  const run = (nets: { box?: 'top2' | 'bottom2'; label?: string; members?: string[] }[]): Promise<TableResult> =>
    t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'likely', nets }], cells: ['count', 'colPct', 'mean'] } });

  it('top 2 box takes the two highest substantive answers, never "Don\'t know"; the mean leaves it out', async () => {
    const result = await run([{ box: 'top2' }, { box: 'bottom2' }]);
    const g = result.groups[0]!;
    const top = g.rows.find((r) => r.label === 'Top 2 box (net)')!;
    expect(top.members).toEqual(['Likely', 'Very likely']);
    expect(top.cells[0]!.count).toBe(5);
    expect(g.rows.find((r) => r.label === 'Bottom 2 box (net)')!.members).toEqual(['Very unlikely', 'Unlikely']);
    expect(g.bases[0]!.unweighted).toBe(12);
    expect(g.rows.find((r) => r.label === "Don't know")!.cells[0]!.count).toBe(3);
    expect(g.rows.find((r) => r.kind === 'mean')!.cells[0]!.mean).toBeCloseTo(32 / 9, 12);
  });

  it('a net label is never doubled, on screen or in an export', async () => {
    expect(netLabel('Increase (net)')).toBe('Increase (net)');
    expect(netLabel('Increase (net) (net)')).toBe('Increase (net)');
    expect(netLabel('Any cloud')).toBe('Any cloud (net)');
    const result = await run([{ label: 'Likely (net) (net)', members: ['Likely', 'Very likely'] }, { label: 'Positive', members: ['Likely', 'Very likely'] }, { box: 'top2' }]);
    const labels = result.groups[0]!.rows.filter((r) => r.kind === 'net').map((r) => r.label);
    expect(labels).toEqual(['Likely (net)', 'Positive', 'Top 2 box (net)']);
    const grid = tableGrid(result);
    const gridLabels = [...new Set(grid.rows.map((r) => r.label).filter((l) => l.includes('(net)')).map((l) => l.replace(/: .*/, '')))];
    expect(gridLabels).toEqual(['Likely (net)', 'Positive (net)', 'Top 2 box (net)']);
    for (const l of gridLabels) expect(l).not.toMatch(/\(net\).*\(net\)/);
  });
});
