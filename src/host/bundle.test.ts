import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtCoreAvailable, callBuiltCore } from './testing/built-core';

// Real calls through the built utility-process bundle under plain Node: catches CommonJS packages
// imported by name (papaparse, exceljs, jstat, natural), echarts without a DOM, and the like.
describe.skipIf(!builtCoreAvailable)('the built core bundle', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bundle-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('loads under plain Node and answers calls', async () => {
    const run = await callBuiltCore(home, [
      { method: 'app.info', input: {} },
      { method: 'project.create', input: { path: path.join(home, 'b.fieldbook') } },
      { method: 'no.such.method', input: {} },
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [info, created, unknown] = run.replies as { ok: boolean; result?: { host?: string; schemaVersion?: number }; error?: { code: string } }[];
    expect(info?.result?.host).toBe('electron');
    expect(created?.ok).toBe(true);
    expect(created?.result?.schemaVersion).toBeGreaterThan(0);
    expect(unknown?.error?.code).toBe('UNKNOWN_METHOD');
  });

  it('builds the sample, runs a table with chi-square and draws a chart', { timeout: 120_000 }, async () => {
    const spec = { source: { kind: 'dataset', datasetIds: [1, 2] }, rows: [{ ref: 'Q1' }], banner: ['Q2'] };
    const run = await callBuiltCore(home, [
      { method: 'project.openSample', input: { path: path.join(home, 'sample.fieldbook') } },
      { method: 'tables.run', input: { spec } },
      { method: 'tables.chart', input: { spec, chart: { kind: 'grouped' } } },
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    type Envelope = { ok: boolean; result?: unknown; error?: { message: string } };
    const [opened, table, chart] = run.replies as Envelope[];
    expect(opened?.ok).toBe(true);
    expect(table?.error?.message).toBeUndefined();
    const result = table!.result as { groups: { chiSquare: { p: number; df: number }[] }[] };
    expect(result.groups[0]!.chiSquare.find((c) => c.df > 0)!.p).toBeGreaterThanOrEqual(0);
    expect((chart!.result as { svg: string }).svg).toMatch(/^<svg/);
  });

  it('parses transcripts on the built worker thread, errors with their place included', async () => {
    fs.writeFileSync(path.join(home, 'good.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>The model registry.</v>\n');
    fs.writeFileSync(path.join(home, 'bad.vtt'), 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards.\n');
    const run = await callBuiltCore(home, [
      { method: 'project.create', input: { path: path.join(home, 'w.fieldbook') } },
      { method: 'transcripts.import', input: { files: [{ path: path.join(home, 'good.vtt') }] } },
      { method: 'transcripts.import', input: { files: [{ path: path.join(home, 'good.vtt') }, { path: path.join(home, 'bad.vtt') }] } },
      { method: 'documents.list', input: {} },
    ]);
    expect(run.stderr).toBe('');
    type Envelope = { ok: boolean; result?: unknown; error?: { code: string; details?: { file?: string; line?: number } } };
    const [, good, bad, list] = run.replies as Envelope[];
    expect(good?.ok).toBe(true);
    expect(bad?.error?.details?.line).toBe(3);
    expect(bad?.error?.details?.file).toContain('bad.vtt');
    // The failed batch left nothing behind: only the first import's document.
    expect((list?.result as unknown[]).length).toBe(1);
  });
});
