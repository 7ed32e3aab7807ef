import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult, TableSpecInput } from '../../shared/contract/tables';
import { I32_MISSING, U8_MISSING } from '../survey/columns';
import { openProject } from '../store/project';
import { tempDir } from '../testing/index';
import { createTestCore, type TestCore } from '../testing/index';
import { insertDataset } from './fixtures';

const M = I32_MISSING;
const X = U8_MISSING;

/*
 * Ten respondents, small enough to count on paper (the expectations below are worked by hand):
 *   IND  1 1 1 1 1 | 2 2 2 2 2
 *   Q1   Y Y N R . | Y N N R .     R = 9 "Refused" (declared missing), . = blank (system-missing)
 *   Q3a  1 0 0 x x | 1 0 0 1 0     x = not asked
 *   Q3b  0 1 0 x x | 1 0 0 0 0
 */
const IND = Int32Array.from([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
const Q1 = Int32Array.from([1, 1, 2, 9, M, 1, 2, 2, 9, M]);
const Q3A = Uint8Array.from([1, 0, 0, X, X, 1, 0, 0, 1, 0]);
const Q3B = Uint8Array.from([0, 1, 0, X, X, 1, 0, 0, 0, 0]);

function fill(db: Parameters<typeof insertDataset>[0]): number {
  return insertDataset(db, {
    name: 'Bases',
    wave: '2025',
    rows: 10,
    variables: [
      { name: 'IND', label: 'Industry', type: 'single', column: { encoding: 'i32', values: IND }, labels: [{ code: 1, label: 'Retail' }, { code: 2, label: 'Health' }] },
      {
        name: 'Q1',
        label: 'Do you use a dedicated GPU cloud?',
        type: 'single',
        column: { encoding: 'i32', values: Q1 },
        labels: [{ code: 1, label: 'Yes' }, { code: 2, label: 'No' }, { code: 9, label: 'Refused', missing: true }],
      },
      { name: 'Q3_1', type: 'multi', questionGroup: 'Q3', groupLabel: 'Challenges', optionLabel: 'Managing AI workloads', column: { encoding: 'u8', values: Q3A } },
      { name: 'Q3_2', type: 'multi', questionGroup: 'Q3', groupLabel: 'Challenges', optionLabel: 'Cost', column: { encoding: 'u8', values: Q3B } },
    ],
  }).datasetId;
}

function cell(result: TableResult, group: number, rowKey: string, columnKey: string) {
  const g = result.groups[group]!;
  const c = result.columns.findIndex((col) => col.key === columnKey);
  const row = g.rows.find((r) => r.key === rowKey);
  if (!row || c < 0) throw new Error(`no cell ${rowKey}/${columnKey}`);
  return { ...row.cells[c]!, base: g.bases[c]!.unweighted };
}

describe('the base a row question is counted on', () => {
  let tc: TestCore;
  let datasetId = 0;
  beforeAll(async () => {
    tc = createTestCore();
    await tc.newProject();
    datasetId = fill(tc.core.currentProject()!.db);
  });
  afterAll(() => tc.cleanup());
  const spec = (base: 'answered' | 'all' | 'shown'): TableSpecInput => ({ source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'Q1' }, { ref: 'Q3' }], banner: ['IND'], base });

  it('answered: only those with an answer (Refused and blank left out; a multi-select needs a tick)', async () => {
    const r = await tc.call('tables.run', { spec: spec('answered') });
    expect(cell(r, 0, 'cat:1', 'total')).toMatchObject({ count: 3, base: 6, colPct: 50 });
    expect(cell(r, 0, 'cat:1', 'IND=1').colPct).toBeCloseTo(200 / 3, 10);
    expect(r.groups[0]!.rows.map((x) => x.key)).toEqual(['cat:1', 'cat:2']);
    expect(cell(r, 1, 'cat:Q3_1', 'total')).toMatchObject({ count: 3, base: 4, colPct: 75 });
    expect(r.method).toContain('Bases: Q1, respondents who answered the question; Q3, respondents who chose at least one answer.');
    expect(r.method).not.toContain('No answer');
  });

  it('all: every respondent, with the unanswered in a "No answer" row; tests and chi-square use that base', async () => {
    const r = await tc.call('tables.run', { spec: spec('all') });
    expect(cell(r, 0, 'cat:1', 'total')).toMatchObject({ count: 3, base: 10, colPct: 30 });
    expect(cell(r, 0, 'cat:1', 'IND=1')).toMatchObject({ count: 2, base: 5, colPct: 40 });
    expect(cell(r, 0, 'cat:1', 'IND=2')).toMatchObject({ count: 1, base: 5, colPct: 20 });
    expect(cell(r, 0, 'cat:noanswer', 'total')).toMatchObject({ count: 4, colPct: 40 });
    // Pooled z for 2/5 against 1/5: p = 0.3, se = sqrt(0.3 · 0.7 · (1/5 + 1/5)).
    expect(cell(r, 0, 'cat:1', 'IND=1').z?.B).toBeCloseTo(0.2 / Math.sqrt(0.3 * 0.7 * 0.4), 9);
    // Observed [[2,1],[1,2],[2,2]] against expected [[1.5,1.5],[1.5,1.5],[2,2]]: 4 · 0.25/1.5.
    expect(r.groups[0]!.chiSquare[0]!.chi2).toBeCloseTo(4 * (0.25 / 1.5), 10);
    expect(r.groups[0]!.chiSquare[0]!.df).toBe(2);
    expect(cell(r, 1, 'cat:Q3_1', 'total')).toMatchObject({ count: 3, base: 10, colPct: 30 });
    expect(r.groups.map((g) => g.base)).toEqual(['all', 'all']);
    expect(r.method).toContain('Base: all respondents, whether they answered or not.');
  });

  it('shown: a declared missing answer counts, blank (system-missing) does not; a multi-select counts those who ticked nothing', async () => {
    const r = await tc.call('tables.run', { spec: spec('shown') });
    expect(cell(r, 0, 'cat:1', 'total')).toMatchObject({ count: 3, base: 8, colPct: 37.5 });
    expect(cell(r, 0, 'cat:1', 'IND=2')).toMatchObject({ count: 1, base: 4, colPct: 25 });
    expect(cell(r, 1, 'cat:Q3_1', 'total')).toMatchObject({ count: 3, base: 8, colPct: 37.5 });
    expect(cell(r, 1, 'cat:Q3_2', 'IND=1')).toMatchObject({ count: 1, base: 3 });
    expect(r.method).toMatch(/Bases: Q1, respondents shown the question: those who answered plus those whose answer is a declared missing code/);
    expect(r.method).toMatch(/Q3, respondents shown the question, including those who ticked nothing/);
  });

  it('a row may choose its own base, and the choice is saved with the table', async () => {
    const mixed: TableSpecInput = { ...spec('answered'), rows: [{ ref: 'Q1', base: 'all' }, { ref: 'Q3' }] };
    const r = await tc.call('tables.run', { spec: mixed });
    expect(r.groups.map((g) => [g.base, g.bases[0]!.unweighted])).toEqual([['all', 10], ['answered', 4]]);
    const saved = await tc.call('tables.save', { name: 'Mixed bases', spec: mixed });
    const again = await tc.call('tables.get', { id: saved.id });
    expect(again.saved.spec.rows[0]!.base).toBe('all');
    expect(again.result.groups[0]!.bases[0]!.unweighted).toBe(10);
  });
});

describe('fieldbook table --base', () => {
  const { dir, cleanup } = tempDir();
  const file = path.join(dir, 'bases.fieldbook');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.resolve('bin/fieldbook.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(dir, 'home') } });
  beforeAll(() => {
    const project = openProject(file, { create: true });
    fill(project.db);
    project.close();
  });
  afterAll(() => cleanup());

  it('takes answered, all or shown, says so under the table, and refuses anything else', { timeout: 120_000 }, () => {
    const out = run('table', file, '--rows', 'Q3', '--base', 'shown', '--format', 'json');
    expect(out.stderr).toBe('');
    const table = JSON.parse(out.stdout) as TableResult;
    expect(table.groups[0]!.bases[0]!.unweighted).toBe(8);
    const md = run('table', file, '--rows', 'Q1', '--base', 'all');
    expect(md.stdout).toContain('Base: all respondents, whether they answered or not.');
    const bad = run('table', file, '--rows', 'Q1', '--base', 'everyone');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Unknown base "everyone": use answered, all or shown/);
  });
});
