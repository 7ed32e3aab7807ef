import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalResult, SuggestionItem, SuggestRunResult } from '../../shared/contract/suggest';
import { createTestCore, type TestCore } from '../testing/index';

const bin = path.resolve('bin/fieldbook.mjs');
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

describe('fieldbook suggest / eval suggest', () => {
  let t: TestCore;
  let file: string;
  beforeEach(async () => {
    t = createTestCore();
    file = await t.newProject('clinic');
    await t.call('transcripts.import', { files: [{ path: fixture('interview-a.txt') }] }, 'imp');
    const [doc] = await t.call('documents.list', {});
    const text = (await t.call('documents.get', { id: doc!.id })).text ?? '';
    const cost = await t.call('codes.create', { name: 'Cost', keywords: ['price', 'money', 'fees'] });
    const phrase = 'Honestly the price was too expensive for me, the bill was much higher than I expected.';
    await t.call('codings.apply', { documentId: doc!.id, start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length, codeId: cost.id });
    await t.call('project.close', {});
  });
  afterEach(() => t.cleanup());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(t.dir, 'home') } });

  it('suggests codes for a project and prints them as JSON', () => {
    const out = run('suggest', file, '--code', 'Cost', '--json');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const parsed = JSON.parse(out.stdout) as { run: SuggestRunResult; suggestions: SuggestionItem[] };
    expect(parsed.run.trainedOn).toBe(1);
    expect(parsed.suggestions.length).toBeGreaterThan(0);
    expect(parsed.suggestions.every((s) => s.codeName === 'Cost')).toBe(true);
    expect(parsed.suggestions[0]!.text).toMatch(/fees|money|pay/);
  });

  it('evaluates a coded-text CSV with baselines, and explains a project with too little coding', () => {
    const csv = path.join(t.dir, 'coded.csv');
    const rows = ['text,code,document'];
    const topics = {
      Cost: ['the price was high', 'too expensive to pay', 'fees and money', 'the bill was large', 'could not afford it', 'costly parking'],
      Staff: ['kind nurse', 'helpful receptionist', 'friendly doctor', 'patient staff', 'polite nurses', 'caring team'],
    };
    for (let d = 0; d < 3; d++) {
      for (const [code, texts] of Object.entries(topics)) for (const text of texts) rows.push(`"${text} (visit ${d})",${code},doc${d}`);
    }
    fs.writeFileSync(csv, rows.join('\n'));
    const out = run('eval', 'suggest', '--data', csv, '--folds', '3', '--json');
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout) as EvalResult;
    expect(report).toMatchObject({ passages: 36, codes: 2, documents: 3, grouped: true });
    expect(report.results.map((r) => r.method)).toEqual(['fieldbook', 'keyword match on code names', 'most frequent code']);
    expect(report.results[0]!.macroF1).toBeGreaterThan(report.results[2]!.macroF1);
    const human = run('eval', 'suggest', '--data', csv, '--folds', '3');
    expect(human.stdout).toContain('Learning curve');
    expect(human.stdout).toMatch(/expected calibration error 0\.\d{3}/);
    // The reliability table: ten bins, the last one ending at 1.
    expect(human.stdout).toContain('0.900–1.000');
    // Its counts add up to every passage × code scored on the evaluation folds (36 × 2).
    expect(report.calibration.bins.reduce((n, b) => n + b.count, 0)).toBe(72);
    expect(report.calibration.bins).toHaveLength(10);

    const tooLittle = run('eval', 'suggest', '--project', file);
    expect(tooLittle.status).toBe(1);
    expect(tooLittle.stderr).toMatch(/at least 10 coded passages/);
  });
});
