import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeColumn } from '../survey/columns';
import { openProject } from '../store/project';
import { createTestCore, type TestCore } from '../testing/index';
import { seedFindingsStudy } from './fixtures/study';

const bin = path.resolve('bin/fieldbook.mjs');

describe('fieldbook report (CLI)', () => {
  let t: TestCore;
  let project: string;
  let w2025 = 0;
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(t.dir, 'home') } });

  beforeAll(async () => {
    // The report is written in-process (each CLI run costs seconds on a busy machine); the CLI does the rest.
    t = createTestCore();
    project = await t.newProject();
    const s = seedFindingsStudy(t.core.currentProject()!.db);
    w2025 = s.w2025;
    const tableId = (await t.call('tables.save', { name: 'Edge by wave', spec: { source: { kind: 'dataset', datasetIds: [s.w2024, s.w2025] }, rows: [{ ref: 'Q7' }] } })).id;
    const f = await t.call('findings.create', { headline: '{a} run Kubernetes at the edge' });
    await t.call('findings.setSlot', { findingId: f.id, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' }, format: 'percent1' });
    await t.call('findings.addQuote', { findingId: f.id, segmentId: 4 });
    t.core.close();
  });
  afterAll(() => t.cleanup());

  it('writes the report as DOCX, lists the findings, warns about a moved number and accepts it', async () => {
    const docx = run('report', project, '--out', path.join(t.dir, 'report.docx'), '--json');
    expect(docx.stderr).toBe('');
    expect(docx.status).toBe(0);
    const written = JSON.parse(docx.stdout) as { path: string; items: number; warnings: string[] };
    expect(written).toMatchObject({ items: 1, warnings: [] });
    const text = (await mammoth.extractRawText({ path: written.path })).value;
    expect(text).toContain('1. 62.5% run Kubernetes at the edge');
    expect(text).toContain('— P01, CTO, retail, Japan, 52.5');

    const open = openProject(project);
    const id = open.db.prepare("SELECT id FROM variable WHERE dataset_id = ? AND name = 'Q7'").pluck().get(w2025) as number;
    open.db.prepare('UPDATE variable_data SET data = ? WHERE variable_id = ?').run(encodeColumn({ encoding: 'i32', values: Int32Array.from([1, 1, 1, 2, 2, 2, 2, 2]) }), id);
    open.close();

    const listed = run('report', project);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('1. 37.5% run Kubernetes at the edge  [numbers changed]');
    expect(listed.stdout).toContain('{a} was 62.5%, now 37.5%');
    const md = run('report', project, '--out', path.join(t.dir, 'report.md'));
    expect(md.status).toBe(0);
    expect(md.stderr).toContain('warning: Finding 1: {a} was 62.5%, now 37.5%; not yet accepted.');
    expect(fs.readFileSync(path.join(t.dir, 'report.md'), 'utf8')).toContain('**37.5%**[^1] run Kubernetes at the edge');

    const accepted = run('report', project, '--accept');
    expect(accepted.stdout).not.toContain('[numbers changed]');
    const html = run('report', project, '--out', path.join(t.dir, 'report.html'));
    expect(html.stderr).toBe('');
    expect(run('report', project, '--out', path.join(t.dir, 'report.pdf')).status).toBe(1);
  });
});
