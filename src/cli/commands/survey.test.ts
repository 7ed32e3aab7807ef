import fs from 'node:fs';
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

  it('--preview prints each guess and why; overrides from the command line and a JSON file are imported; the summary counts what was made', () => {
    const project = path.join(cli.dir, 'o.fieldbook');
    expect(cli.run('new', project).status).toBe(0);
    const preview = cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--preview', '--type', 'Q4=text');
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/column\s+type\s+why\s+question/);
    expect(preview.stdout).toMatch(/\nQ2\s+multi\s+multi-select: answers are comma-joined option lists \(3 options\)\s/);
    expect(preview.stdout).toMatch(/\nQ1\s+ordinal\s+scale: ordered by meaning \(Very dissatisfied … Very satisfied\)\s/);
    expect(preview.stdout).toMatch(/\nQ4\s+text\s+chosen by you\s/);
    expect(preview.stdout).toMatch(/\nStartDate\s+metadata\s+metadata: a Qualtrics respondent field\s/);

    const file = path.join(cli.dir, 'overrides.json');
    fs.writeFileSync(file, JSON.stringify({ groupLabels: { Q3: 'Agreement with statements' }, labels: { Q5: 'Ideas' } }));
    const run = cli.run(
      'import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--overrides', file,
      '--type', 'Q4=text', '--order', 'Q1=Very satisfied|Somewhat satisfied|Very dissatisfied', '--nonsubstantive', 'Q1=Somewhat satisfied', '--label', 'Q5=What should we improve first?',
    );
    expect(run.stderr).toBe('');
    // 7 metadata columns, ResponseId, Q1, three options of Q2, Q2_4_TEXT, Q3_1..Q3_3, Q4, Q5.
    expect(run.stdout.split('\n')).toEqual([
      'Imported qualtrics_2024: 5 respondents, 18 variables (qualtrics).',
      '8 questions: 4 scales, 1 multi-select (3 options), 3 open text.',
      '3 open-answer documents (searchable, codable).',
      'Respondent id: ResponseId.',
      '7 metadata columns (kept, not analysed): StartDate, EndDate, Status, Progress, Duration (in seconds), Finished, RecordedDate.',
      '',
    ]);
    const variables = JSON.parse(cli.run('variables', project, '--json').stdout) as VariableSummary[];
    const q1 = variables.find((v) => v.name === 'Q1')!;
    expect(q1.valueLabels.map((l) => [l.code, l.label, l.count, l.nonsubstantive])).toEqual([
      [1, 'Very satisfied', 1, false],
      [2, 'Somewhat satisfied', 2, true],
      [3, 'Very dissatisfied', 1, false],
    ]);
    expect(variables.find((v) => v.name === 'Q4')!.type).toBe('text');
    // The command line's label wins over the file's.
    expect(variables.find((v) => v.name === 'Q5')!.label).toBe('What should we improve first?');
    expect(variables.filter((v) => v.questionGroup === 'Q3').map((v) => v.groupLabel)).toEqual(Array(3).fill('Agreement with statements'));

    const legacy = JSON.parse(cli.run('import', 'survey', fixture('qualtrics_legacy_question_ids.csv'), '--project', project, '--json').stdout) as SurveyImportResult;
    expect(legacy.summary).toMatchObject({
      respondents: 4,
      questions: 3,
      questionsByType: { ordinal: 1, multi: 1, text: 1 },
      multiSelectOptions: 3,
      openTextDocuments: 1,
      idColumn: 'ResponseID',
      metadataColumns: ['ResponseSet', 'StartDate', 'EndDate', 'Finished'],
      warnings: [],
    });
    const forced = cli.run('import', 'survey', fixture('qualtrics_legacy_question_ids.csv'), '--project', project, '--format', 'qualtrics');
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/line 3: read as a Qualtrics export \(3 header rows\).*would be lost/);

    const unknown = cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--order', 'Q9=a|b');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/has no column named "Q9"/);
    fs.writeFileSync(file, JSON.stringify({ order: { Q1: 'not a list' } }));
    const badFile = cli.run('import', 'survey', fixture('qualtrics_2024.csv'), '--project', project, '--overrides', file);
    expect(badFile.status).toBe(1);
    expect(badFile.stderr).toMatch(/--overrides .*overrides\.json: order\.Q1: /);
    expect(JSON.parse(cli.run('info', project, '--json').stdout).counts.datasets).toBe(2);
  }, 240_000);
});
