import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { dispatch } from '../dispatch';
import { createCore } from '../core';
import { createTestCore, tempDir, type TestCore } from '../testing/index';
import { readStarterCodings, sampleBuildSupport } from './sample';

const SAMPLE_DIR = path.resolve(import.meta.dirname, '../../../resources/sample');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function fresh(): TestCore {
  const t = createTestCore();
  cleanups.push(() => t.cleanup());
  return t;
}

/** A core whose sample folder is a copy of resources/sample that the test may damage. */
function coreWithSampleCopy(damage: (dir: string) => void) {
  const { dir, cleanup } = tempDir('fieldbook-sample-copy-');
  const sampleDir = path.join(dir, 'sample');
  fs.cpSync(SAMPLE_DIR, sampleDir, { recursive: true });
  damage(sampleDir);
  const core = createCore({ appDataDir: path.join(dir, 'appdata'), host: 'test', version: '0.0.0-test', sampleDir });
  cleanups.push(() => {
    core.close();
    cleanup();
  });
  const openSample = async (target: string) => {
    const envelope = await dispatch(core, { method: 'project.openSample', input: { path: target } });
    if (envelope.ok) return envelope.result;
    throw FieldbookError.fromInfo(envelope.error);
  };
  return { dir, core, openSample };
}

function leftovers(target: string): string[] {
  return fs.readdirSync(path.dirname(target)).filter((name) => name.startsWith(path.basename(target)));
}

describe('the sample study starter codings file', () => {
  it('reads every row with its line number', () => {
    const rows = readStarterCodings(path.join(SAMPLE_DIR, 'starter-codings.csv'));
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows[0]?.line).toBe(2);
    expect(rows.some((r) => r.quote.includes('模型管理'))).toBe(true);
  });

  it('refuses a file without the expected columns, naming the file and line', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'codings.csv');
    fs.writeFileSync(file, 'doc,text\na,b\n');
    expect(() => readStarterCodings(file)).toThrow(/codings\.csv, line 1: expected the columns document, quote, code/);
  });
});

describe('building the sample study', () => {
  it('refuses a sample folder with a file missing, and leaves nothing behind', async () => {
    const { dir, openSample } = coreWithSampleCopy((sample) => fs.rmSync(path.join(sample, 'codebook.csv')));
    const target = path.join(dir, 'out', 'Sample.fieldbook');
    fs.mkdirSync(path.dirname(target));
    await expect(openSample(target)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('codebook.csv is missing') });
    expect(leftovers(target)).toEqual([]);
  });

  it('refuses a manifest that is not one, naming the field', async () => {
    const { dir, openSample } = coreWithSampleCopy((sample) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(sample, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      delete manifest.interviews;
      fs.writeFileSync(path.join(sample, 'manifest.json'), JSON.stringify(manifest));
    });
    const target = path.join(dir, 'Sample.fieldbook');
    await expect(openSample(target)).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('interviews') });
    expect(leftovers(target)).toEqual([]);
  });

  it('fails on a starter quote that is not in its interview, naming the line, and leaves nothing behind', async () => {
    const { dir, openSample } = coreWithSampleCopy((sample) => {
      const file = path.join(sample, 'starter-codings.csv');
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines[3] = 'P02-mlops-saas.vtt,Nobody in this interview ever said this sentence.,GPU scheduling';
      fs.writeFileSync(file, lines.join('\n'));
    });
    const target = path.join(dir, 'Sample.fieldbook');
    await expect(openSample(target)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('starter-codings.csv, line 4: the quote "Nobody in this interview'),
    });
    // The surveys, interviews and codebook were already imported into the scratch file: all gone.
    expect(leftovers(target)).toEqual([]);
  });

  it('stops when cancelled, leaving no sample file and no scratch file', async () => {
    const t = fresh();
    const target = path.join(t.dir, 'Sample study.fieldbook');
    const building = t.call('project.openSample', { path: target }, 'sample-job');
    // Cancel once the build reports progress, i.e. while the first wave is being imported.
    let settled = false;
    building.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled && !t.events.some((e) => e.type === 'progress' && e.jobId === 'sample-job')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const cancelled = await t.call('jobs.cancel', { jobId: 'sample-job' });
    expect(cancelled).toEqual({ cancelled: true });
    await expect(building).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(leftovers(target)).toEqual([]);
    expect((await t.call('app.info', {})).openProject).toBeNull();
  });

  it('builds the study through the importers: two waves, ten interviews, participants, codes, codings', async () => {
    expect(sampleBuildSupport()).toEqual({ ready: true, missing: [] });
    const t = fresh();
    const target = path.join(t.dir, 'Sample study.fieldbook');
    const info = await t.call('project.openSample', { path: target });
    expect(info.path).toBe(target);
    // The open project has its WAL beside it; the scratch file is gone.
    expect(leftovers(target).filter((name) => !/-(wal|shm)$/.test(name))).toEqual(['Sample study.fieldbook']);
    expect(info.counts.datasets).toBe(2);
    expect(info.counts.respondents).toBe(402 + 455);
    expect(info.counts.participants).toBe(10);
    expect(info.counts.codes).toBe(12);
    const starter = readStarterCodings(path.join(SAMPLE_DIR, 'starter-codings.csv'));
    expect(info.counts.codings).toBe(starter.length);

    const datasets = await t.call('survey.datasets', {});
    expect(datasets.map((d) => [d.wave, d.rowCount]).sort()).toEqual([
      ['2024', 402],
      ['2025', 455],
    ]);
    const transcripts = await t.call('documents.list', { kind: 'transcript' });
    expect(transcripts).toHaveLength(10);
    for (const doc of transcripts) {
      expect(doc.participantName).toMatch(/^P\d\d$/);
      expect(doc.speakers).toBeGreaterThanOrEqual(2);
    }
    const grid = await t.call('participants.list', {});
    expect(grid.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(['role', 'industry', 'country', 'company_size']));
    expect(grid.participants.filter((p) => p.respondentKey).length).toBeGreaterThanOrEqual(3);

    // The Chinese interview is searchable by its phrase.
    const hits = await t.call('search.run', { query: '模型管理' });
    expect(hits.total).toBeGreaterThanOrEqual(1);

    // Opening it again opens the built file instead of building a second time.
    await t.call('project.close', {});
    const again = await t.call('project.openSample', { path: target });
    expect(again.counts).toEqual(info.counts);
  });
});
