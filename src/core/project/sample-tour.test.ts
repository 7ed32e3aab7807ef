import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult, TableSpecInput } from '../../shared/contract/tables';
import { existingRetrainer } from '../suggest/retrain';
import { createTestCore, type TestCore } from '../testing/index';

/**
 * The README tour, step by step through the core: what the e2e tour does in the browser, here at
 * unit speed, so a change to an importer or to the sample that breaks the tour shows up at once.
 */

let t: TestCore;
let spec: TableSpecInput;

beforeAll(async () => {
  t = createTestCore();
  await t.call('project.openSample', {});
  const datasets = await t.call('survey.datasets', {});
  spec = {
    title: 'Expected change in AI workloads, by wave',
    source: { kind: 'dataset', datasetIds: datasets.map((d) => d.id) },
    rows: [{ ref: 'Q5' }, { ref: 'Q6' }],
    banner: ['wave'],
  };
});

afterAll(() => t.cleanup());

function colPct(table: TableResult, group: number, label: string, column: string): number {
  const g = table.groups[group];
  const row = g?.rows.find((r) => r.label === label);
  const index = table.columns.findIndex((c) => c.label === column);
  const value = row?.cells[index]?.colPct;
  if (value === undefined || value === null) throw new Error(`No ${label} × ${column} in group ${group}`);
  return value;
}

describe('the sample study tour', () => {
  it('opens in the default place, with the open-ended answers as documents too', async () => {
    const info = await t.call('project.info', {});
    expect(path.basename(info.path)).toBe('Sample study.fieldbook');
    const answers = await t.call('documents.list', { kind: 'survey_text' });
    expect(answers.map((d) => d.name).join('\n')).toContain('What is your biggest challenge running AI on Kubernetes?');
  });

  it('cross-tabulates expected AI workload change by wave, showing growth and more edge in 2025', async () => {
    const table = await t.call('tables.run', { spec });
    expect(table.columns.map((c) => c.label)).toEqual(['Total', '2024', '2025']);
    // The five-point scale reads low to high, as the questionnaire has it.
    expect(table.groups[0]?.kind).toBe('ordinal');
    expect(table.groups[0]?.rows.filter((r) => r.kind === 'category').map((r) => r.label)).toEqual([
      'Decrease significantly',
      'Decrease slightly',
      'Stay about the same',
      'Increase slightly',
      'Increase significantly',
    ]);
    for (const wave of ['2024', '2025']) {
      expect(colPct(table, 0, 'Increase significantly', wave) + colPct(table, 0, 'Increase slightly', wave)).toBeGreaterThan(84);
    }
    expect(colPct(table, 0, 'Increase significantly', '2025')).toBeGreaterThan(colPct(table, 0, 'Increase significantly', '2024'));
    expect(colPct(table, 1, 'Yes', '2025')).toBeGreaterThan(colPct(table, 1, 'Yes', '2024') + 5);
    expect(table.groups[0]?.chiSquare[0]?.significant).toBe(true);
  });

  it('codes a passage found by search', async () => {
    const before = (await t.call('project.info', {})).counts.codings;
    const codes = await t.call('codes.list', {});
    const gpu = codes.find((c) => c.name === 'GPU scheduling');
    const hits = await t.call('search.run', { query: 'utilisation', kinds: ['transcript'] });
    const hit = hits.hits[0];
    expect(hit && gpu).toBeTruthy();
    const result = await t.call('codings.apply', { documentId: hit!.documentId, start: hit!.turnStart, end: hit!.turnEnd, codeId: gpu!.id });
    expect(result.created).toBe(true);
    expect((await t.call('project.info', {})).counts.codings).toBe(before + 1);
  });

  it('suggests codes for uncoded passages from the starter codings, and accepting one codes it', async () => {
    const run = await t.call('suggest.run', {});
    expect(run.suggestions).toBeGreaterThan(0);
    const open = await t.call('suggest.list', { status: 'open', limit: 50 });
    // The starter codebook's words are in the interviews: the best suggestions are sensible ones.
    const best = open[0];
    expect(best).toBeDefined();
    const code = (await t.call('codes.list', {})).find((c) => c.id === best!.codeId);
    const words = [code!.name.toLowerCase(), ...code!.keywords.map((k) => k.toLowerCase())];
    expect(words.some((w) => best!.text.toLowerCase().includes(w.split(' ')[0] ?? w))).toBe(true);
    const before = (await t.call('project.info', {})).counts.codings;
    const review = await t.call('suggest.review', { action: 'accept', ids: [best!.id] });
    expect(review.accepted).toBe(1);
    // The model retrains behind the decision; its write must not land inside the next calls' record.
    await existingRetrainer(t.core.currentProject()!)?.settled();
    expect((await t.call('project.info', {})).counts.codings).toBe(before + 1);
  });

  it('exports a quote pack and the table, and both files hold what the tour promises', async () => {
    const codes = await t.call('codes.list', {});
    const model = codes.find((c) => c.name === 'Model management');
    const pack = path.join(t.dir, 'exports', 'model-management.md');
    fs.mkdirSync(path.dirname(pack), { recursive: true });
    const written = await t.call('export.quotePack', { path: pack, format: 'md', options: { codeIds: [model!.id], title: 'Model management' } });
    expect(written.items).toBeGreaterThanOrEqual(3);
    const markdown = fs.readFileSync(written.path, 'utf8');
    expect(markdown).toContain('Model management');
    expect(markdown).toContain('模型管理');
    expect(markdown).toMatch(/P0[1-9]|P10/);

    const csvPath = path.join(t.dir, 'exports', 'ai-by-wave.csv');
    const table = await t.call('export.table', { path: csvPath, format: 'csv', spec });
    const csv = fs.readFileSync(table.path, 'utf8');
    expect(csv).toContain('Increase significantly');
    expect(csv).toContain('2025');
    expect(csv).toContain('Over the next 12 months, how do you expect the AI/ML workloads');
  });
});
