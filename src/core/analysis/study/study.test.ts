import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableBase, TableResult, TableSpecInput } from '../../../shared/contract/tables';
import { createTestCore, type TestCore } from '../../testing/index';
import { qualtrics2025, surveyMonkey2024 } from './generate';

/*
 * Issue 15's "done when": a two-wave study of our own generated files whose published figures are
 * fixed in advance (see generate.ts), each checked under its base convention, with both waves
 * imported in either order. The figures below are the published ones, written out as numbers.
 * Names: 2024 (SurveyMonkey) calls the questions Q1 (edge), Q2 (GPU), Q3 (challenges); 2025
 * (Qualtrics) Q6, Q11, Q12, with the options in another order; Q13 is asked only in 2025.
 */
function pct(result: TableResult, rowLabel: string, columnKey: string, group = 0): number | null {
  const g = result.groups[group]!;
  const row = g.rows.find((r) => r.label === rowLabel);
  const c = result.columns.findIndex((col) => col.key === columnKey);
  if (!row || c < 0) throw new Error(`no ${rowLabel} / ${columnKey}: ${g.rows.map((r) => r.label).join(', ')} / ${result.columns.map((x) => x.key).join(', ')}`);
  return row.cells[c]!.colPct;
}

function change(result: TableResult, rowLabel: string): number | undefined {
  const row = result.groups[0]!.rows.find((r) => r.label === rowLabel)!;
  const c = result.columns.findIndex((col) => col.key === 'wave=2025');
  return row.cells[c]!.change?.pp;
}

for (const order of [['2024', '2025'], ['2025', '2024']] as const) {
  describe(`the published figures, waves imported ${order.join(' then ')}`, () => {
    let t: TestCore;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = createTestCore();
      await t.newProject();
      const files = { '2024': surveyMonkey2024(), '2025': qualtrics2025() };
      for (const wave of order) {
        const file = path.join(t.dir, `k8s-${wave}.csv`);
        fs.writeFileSync(file, files[wave]);
        ids[wave] = (await t.call('survey.import', { path: file, wave })).datasetId;
      }
    });
    afterAll(() => t.cleanup());

    const run = (waves: string[], rows: TableSpecInput['rows'], base: TableBase, filter: TableSpecInput['filter'] = []) =>
      t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: waves.map((w) => ids[w]!) }, rows, filter, base } });

    it('"28% use a dedicated GPU cloud" is of all respondents; 35% of those who answered', async () => {
      expect(pct(await run(['2025'], [{ ref: 'Q11' }], 'all'), 'Dedicated GPU cloud', 'total')).toBe(28);
      expect(pct(await run(['2025'], [{ ref: 'Q11' }], 'answered'), 'Dedicated GPU cloud', 'total')).toBe(35);
    });

    it('"41% of edge adopters find managing AI workloads a challenge" counts those who ticked nothing; 50% of those who ticked something', async () => {
      const edge = [{ ref: 'Q6', op: 'in' as const, values: ['Yes'] }];
      expect(pct(await run(['2025'], [{ ref: 'Q12' }], 'all', edge), 'Managing AI workloads', 'total')).toBe(41);
      expect(pct(await run(['2025'], [{ ref: 'Q12' }], 'shown', edge), 'Managing AI workloads', 'total')).toBe(41);
      expect(pct(await run(['2025'], [{ ref: 'Q12' }], 'answered', edge), 'Managing AI workloads', 'total')).toBe(50);
    });

    it('"edge adoption rose from 38% to 50%": 2024 first, change +12 points, whichever name the row uses', async () => {
      for (const ref of ['Q1', 'Q6']) {
        const r = await run(['2025', '2024'], [{ ref }], 'answered');
        expect(r.columns.filter((c) => c.block === 'wave').map((c) => c.label)).toEqual(['2024', '2025']);
        expect(pct(r, 'Yes', 'wave=2024')).toBe(38);
        expect(pct(r, 'Yes', 'wave=2025')).toBe(50);
        expect(change(r, 'Yes')).toBeCloseTo(12, 10);
      }
    });

    it('a filtered two-wave multi-select: each wave filtered by its own edge question, options matched across names and order', async () => {
      const r = await run(['2024', '2025'], [{ ref: 'Q12', nets: [{ label: 'Managing or connectivity', members: ['Q3_1', 'Q3_2'] }] }], 'all', [{ ref: 'Q1', op: 'in', values: ['Yes'] }]);
      expect(r.groups[0]!.bases.map((b) => b.unweighted)).toEqual([138, 38, 100]);
      expect(pct(r, 'Managing AI workloads', 'wave=2024')).toBeCloseTo((100 * 12) / 38, 10);
      expect(pct(r, 'Managing AI workloads', 'wave=2025')).toBe(41);
      expect(change(r, 'Managing AI workloads')).toBeCloseTo(41 - (100 * 12) / 38, 10);
      expect(r.groups[0]!.rows.filter((x) => x.kind === 'category').map((x) => x.label).sort()).toEqual(['Lack of skills', 'Limited connectivity', 'Managing AI workloads']);
      expect(r.groups[0]!.rows.find((x) => x.kind === 'net')!.members?.sort()).toEqual(['Limited connectivity', 'Managing AI workloads']);
      const gpu = await run(['2024', '2025'], [{ ref: 'Q2' }], 'all');
      expect(pct(gpu, 'Dedicated GPU cloud', 'wave=2024')).toBe(19);
      expect(pct(gpu, 'Dedicated GPU cloud', 'wave=2025')).toBe(28);
    });

    it('a question asked only in 2025 says so instead of a 2024 column with base 0', async () => {
      const r = await run(['2024', '2025'], [{ ref: 'Q13' }], 'answered');
      const g = r.groups[0]!;
      expect(g.bases.map((b) => b.notAsked ?? false)).toEqual([false, true, false]);
      expect(g.notes.join(' ')).toContain('Q13 was not asked in 2024, or is not matched to a question there (Data → Waves)');
    });

    it('exports carry the change and its significance as on screen: XLSX, CSV and Markdown', async () => {
      // 38/100 against 100/200: pooled p = 0.46, z = 0.12 / sqrt(0.46 · 0.54 · (1/100 + 1/200)) = 1.966, p = 0.049 < 0.05.
      const spec: TableSpecInput = { title: 'Edge adoption', source: { kind: 'dataset', datasetIds: [ids['2024']!, ids['2025']!] }, rows: [{ ref: 'Q1' }] };
      for (const format of ['csv', 'md'] as const) {
        const { text } = await t.call('export.tableText', { format, spec });
        expect(text).toContain('▲ +12.0');
        expect(text).toContain('▼ -12.0');
        expect(text).toContain('Change: the later wave minus the earlier one');
      }
      const file = path.join(t.dir, 'edge.xlsx');
      await t.call('export.table', { path: file, format: 'xlsx', spec }, 'xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const cells: string[] = [];
      book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
      expect(cells).toContain('▲ +12.0');
      expect(cells).toContain('Yes: change (points)');
    });

    it('the table builder offers each matched question once, for both waves', async () => {
      const { variables } = await t.call('tables.variables', { source: { kind: 'dataset', datasetIds: [ids['2024']!, ids['2025']!] } });
      const edge = variables.filter((v) => v.label.startsWith('Does your organization run Kubernetes'));
      expect(edge).toHaveLength(1);
      expect([...edge[0]!.datasetIds].sort()).toEqual([ids['2024'], ids['2025']].sort());
      expect(variables.filter((v) => v.label.startsWith('Which GPU infrastructure'))).toHaveLength(1);
    });
  });
}
