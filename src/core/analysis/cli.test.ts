import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult } from '../../shared/contract/tables';
import { openProject } from '../store/project';
import { tempDir } from '../testing/index';
import { insertDataset } from './fixtures';

// `fieldbook table` run as a user runs it: the real command in a child process, on a real file.
describe('fieldbook table', () => {
  const { dir, cleanup } = tempDir();
  const file = path.join(dir, 'study.fieldbook');
  const n = 240;
  const q5 = Int32Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 5));
  const q2 = Int32Array.from({ length: n }, (_, i) => 1 + (i % 2));
  const w = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 0.5));
  // Answered every twelve hours from New Year 2024 (a leap year), at 00:00 and 12:00.
  const day = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 43_200_000);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.resolve('bin/fieldbook.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(dir, 'home') } });

  beforeAll(() => {
    const project = openProject(file, { create: true });
    const scale = ['Decrease significantly', 'Decrease somewhat', 'Stay the same', 'Increase somewhat', 'Increase significantly'];
    insertDataset(project.db, {
      name: 'Survey',
      wave: '2025',
      rows: n,
      variables: [
        { name: 'Q5', label: 'Expected change', type: 'ordinal', column: { encoding: 'i32', values: q5 }, labels: scale.map((label, k) => ({ code: k + 1, label })) },
        { name: 'Q2', label: 'Company size', type: 'single', column: { encoding: 'i32', values: q2 }, labels: [{ code: 1, label: 'Small' }, { code: 2, label: '=Large' }] },
        { name: 'W', type: 'weight', column: { encoding: 'f64', values: w } },
        { name: 'D', label: 'Answered on', type: 'date', column: { encoding: 'f64', values: day } },
      ],
    });
    project.close();
  });
  afterAll(() => cleanup());

  it('prints JSON whose numbers equal a direct count, with nets and a filter', { timeout: 120_000 }, () => {
    const out = run('table', file, '--rows', 'Q5', '--cols', 'Q2', '--net', 'Q5:Increase (net)=4,5', '--filter', 'Q5!=3', '--format', 'json');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const table = JSON.parse(out.stdout) as TableResult;
    let base = 0;
    let inc = 0;
    for (let i = 0; i < n; i++) {
      if (q5[i] === 3 || q2[i] !== 2) continue;
      base++;
      if (q5[i]! >= 4) inc++;
    }
    const col = table.columns.findIndex((c) => c.key === 'Q2=2');
    expect(table.groups[0]!.bases[col]!.unweighted).toBe(base);
    expect(table.groups[0]!.rows[0]!.label).toBe('Increase (net)');
    expect(table.groups[0]!.rows[0]!.cells[col]!.count).toBe(inc);
    expect(table.filterText).toBe('Q5 is not Stay the same');
  });

  it('filters a date question by whole days, and says so in days', { timeout: 120_000 }, () => {
    const out = run('table', file, '--rows', 'Q5', '--filter', 'D=2024-02-01..2024-02-29', '--format', 'json');
    expect(out.stderr).toBe('');
    const table = JSON.parse(out.stdout) as TableResult;
    // February 2024 has 29 days, two answers each; the one at noon on the 29th is kept too.
    const kept = [...day].filter((t) => t >= Date.UTC(2024, 1, 1) && t < Date.UTC(2024, 2, 1)).length;
    expect(kept).toBe(58);
    expect(table.groups[0]!.bases[0]!.unweighted).toBe(kept);
    expect(table.filterText).toBe('D from 2024-02-01 to 2024-02-29');
    const wrong = run('table', file, '--rows', 'Q5', '--filter', 'D=2023-02-29..');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('2023-02-29, which is no day of the calendar');
  });

  it('prints Markdown with bases, letters, chi-square and the method; CSV neutralises formulas', { timeout: 120_000 }, () => {
    const md = run('table', file, '--rows', 'Q5', '--cols', 'Q2', '--weight', 'W', '--wave', '2025');
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/\| Base: respondents who answered \(n\) \| 240 \| 120 \| 120 \|/);
    expect(md.stdout).toMatch(/Effective base/);
    expect(md.stdout).toMatch(/Chi-square against Company size: χ² = [\d.]+, df = 4/);
    expect(md.stdout).toMatch(/Method: .*Kish/);
    const csv = run('table', file, '--rows', 'Q5', '--cols', 'Q2', '--format', 'csv');
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^question,row,row_kind,banner,column,letter,base/);
    expect(lines.some((l) => l.includes(",'=Large,"))).toBe(true);
    expect(lines).toHaveLength(1 + 5 * 3);
  });

  it('saves the table and writes a chart; refuses unknown questions with one clear line', { timeout: 120_000 }, () => {
    const svgPath = path.join(dir, 'chart.svg');
    const saved = run('table', file, '--rows', 'Q5', '--cols', 'Q2', '--save', 'Change by size', '--chart', svgPath, '--format', 'json');
    expect(saved.status).toBe(0);
    expect(saved.stderr).toMatch(/Saved as "Change by size"/);
    expect(fs.readFileSync(svgPath, 'utf8')).toMatch(/^<svg[\s\S]*Increase significantly/);
    const bad = run('table', file, '--rows', 'Q99');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('fieldbook: There is no question or variable called Q99 in dataset Survey. (field Q99)');
    const badWave = run('table', file, '--rows', 'Q5', '--wave', '2019');
    expect(badWave.status).toBe(1);
    expect(badWave.stderr).toMatch(/no wave called 2019/);
  });

  it('--lang zh-CN: the messages and the export headings are in Chinese, the question and answers as imported', { timeout: 120_000 }, () => {
    const out = path.join(dir, 'zh.md');
    const spec = JSON.stringify({ source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q5' }], banner: ['Q2'] });
    const zh = run('--lang', 'zh-CN', 'export', 'table', '--project', file, '--out', out, '--format', 'md', '--spec', spec);
    expect(zh.stderr).toBe('');
    expect(zh.status).toBe(0);
    expect(zh.stdout.trim()).toBe(`已写入 ${out}（表格，${fs.statSync(out).size} 字节）。`);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toMatch(/基数：作答的受访者/);
    expect(md).not.toMatch(/\| Base: /);
    expect(md).toContain('Increase significantly');
    const en = run('--lang', 'en', 'export', 'table', '--project', file, '--out', out, '--format', 'md', '--spec', spec);
    expect(en.stdout).toMatch(/^Wrote /);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/Base: respondents who answered/);
    const bad = run('--lang', 'fr', 'export', 'table', '--project', file, '--out', out, '--spec', spec);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--lang must be one of: en, zh-CN/);
  });
});
