import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SurveyImportResult, VariableSummary } from '../../shared/contract/survey';
import { cliInTempFolder } from '../../core/testing/cli';

const fixture = (name: string) => path.resolve('src/core/survey/fixtures', name);

describe('fieldbook import survey / variables', () => {
  const cli = cliInTempFolder();

  it('imports two waves and lists the variables as JSON and as a table', () => {
    const project = path.join(cli.dir, 'study.fieldbook');
    expect(cli.run('new', project).status).toBe(0);
    const first = cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--wave', '2024', '--json');
    expect(first.stderr).toBe('');
    const imported = JSON.parse(first.stdout) as SurveyImportResult;
    expect(imported).toMatchObject({ wave: '2024', format: 'qualtrics', rowCount: 5 });
    const second = cli.run('import', 'survey', fixture('surveymonkey_2025.csv'), '--project', project, '--wave', '2025', '--format', 'surveymonkey');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Imported surveymonkey_2025 \(wave 2025\): 3 respondents/);
    expect(second.stdout).toMatch(/match an earlier wave/);
    const listed = JSON.parse(cli.run('variables', project, '--json').stdout) as VariableSummary[];
    const q1 = listed.filter((v) => v.name === 'Q1');
    expect(q1).toHaveLength(2);
    expect(q1[0]!.concept).not.toBeNull();
    expect(q1[0]!.concept).toBe(q1[1]!.concept);
    const table = cli.run('variables', project, '--dataset', String(imported.datasetId));
    expect(table.stdout).toMatch(/Q1\s+ordinal\s+How satisfied are you with the library\?\s+1=Very dissatisfied/);
    // Each run starts Node and tsx afresh: slow on a busy machine.
  }, 240_000);

  it('previews without importing, and refuses a bad file with its line', () => {
    const project = path.join(cli.dir, 'p.fieldbook');
    expect(cli.run('new', project).status).toBe(0);
    const preview = cli.run('import', 'survey', fixture('google_forms.csv'), '--project', project, '--preview');
    expect(preview.stdout).toMatch(/google_forms\.csv: google-forms, utf-8/);
    expect(JSON.parse(cli.run('info', project, '--json').stdout).counts.datasets).toBe(0);
    const wrong = cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--type', 'Q1=numeric');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/line 4, column 9 \(Q1\): "Very satisfied" is not a number/);
    expect(cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--format', 'nope').status).toBe(1);
  }, 240_000);
});
