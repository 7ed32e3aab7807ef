import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SurveyPreview, VariableSummary } from '../../shared/contract/survey';
import { createTestCore, failure, type TestCore } from '../testing/index';
import { readSurvey } from './reader';
import { loadColumn } from './store';

/**
 * Survey imports that are right on real exports, one fixture per kind of file. Every expected
 * value below was counted by hand from the fixture's rows (they are short: read them).
 */
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

let t: TestCore;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject();
});
afterEach(() => t.cleanup());

const byName = (variables: VariableSummary[]) => new Map(variables.map((v) => [v.name, v]));
const column = (preview: SurveyPreview, name: string) => {
  const found = preview.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}; have ${preview.columns.map((c) => c.name).join(', ')}`);
  return found;
};
/** The 0/1 options of a multi-select: option → how many chose it, and the base (valid). */
const optionCounts = (variables: VariableSummary[], group: string) =>
  variables.filter((v) => v.questionGroup === group && v.type === 'multi').map((v) => [v.optionLabel, v.valueLabels.find((l) => l.code === 1)!.count, v.valid]);
const documentOf = (variableId: number) =>
  t.core.currentProject()!.db.prepare("SELECT id, text FROM document WHERE kind = 'survey_text' AND variable_id = ?").get(variableId) as { id: number; text: string } | undefined;
const searchHits = (phrase: string) => t.core.currentProject()!.db.prepare('SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH ?').all(`"${phrase}"`).length;

describe('Qualtrics columns whose ImportId is not QIDn (embedded data, renamed or re-saved)', () => {
  const file = fixture('qualtrics_embedded_importids.csv');
  const metadata = [
    'StartDate', 'EndDate', 'Status', 'IPAddress', 'Progress', 'Duration (in seconds)', 'Finished', 'RecordedDate', 'RecipientLastName',
    'RecipientFirstName', 'RecipientEmail', 'ExternalReference', 'LocationLatitude', 'LocationLongitude', 'DistributionChannel', 'UserLanguage',
  ];

  it('only the respondent fields are metadata; the rest are typed from their answers, and the preview says why', async () => {
    const preview = await t.call('survey.preview', { path: file });
    expect(preview.format).toBe('qualtrics');
    expect(preview.columns.filter((c) => c.type === 'metadata').map((c) => c.name)).toEqual(metadata);
    expect(column(preview, 'StartDate').reason).toBe('metadata: a Qualtrics respondent field');
    expect(column(preview, 'ResponseId')).toMatchObject({ type: 'id', reason: 'id: the Qualtrics response id' });
    expect(column(preview, 'satisfaction')).toMatchObject({ type: 'ordinal', reason: 'scale: ordered by meaning (Very dissatisfied … Very satisfied)' });
    expect(column(preview, 'satisfaction').valueLabels.map((l) => l.label)).toEqual(['Very dissatisfied', 'Dissatisfied', 'Satisfied', 'Very satisfied']);
    expect(column(preview, 'tools')).toMatchObject({ type: 'multi', reason: 'multi-select: answers are comma-joined option lists (3 options)' });
    expect(column(preview, 'comments').type).toBe('text');
    expect(column(preview, 'segment').type).toBe('single');
    expect(column(preview, 'score')).toMatchObject({ type: 'numeric', reason: 'numeric: every answer is a number' });
  });

  it('imports them: the comma-joined list split into options, the open text as a searchable document', async () => {
    const result = await t.call('survey.import', { path: file });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const v = byName(variables);
    // Slack: rows 1, 3, 5; Email: rows 1, 2, 3, 5; Teams: rows 3, 4. Every row answered.
    expect(optionCounts(variables, 'tools')).toEqual([
      ['Slack', 3, 5],
      ['Email', 4, 5],
      ['Teams', 2, 5],
    ]);
    expect(v.get('segment')!.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['A', 3],
      ['B', 2],
    ]);
    const score = loadColumn(t.core.currentProject()!.db, v.get('score')!.id);
    expect(Array.from(score.values as Float64Array)).toEqual([7.5, 3, 6, 1.5, 8]);
    const comments = documentOf(v.get('comments')!.id)!;
    expect(comments.text).toBe('The new portal is much faster\n\nToo many steps, and the search is slow\n\nPlease bring back the old export button');
    expect(searchHits('export button')).toBe(1);
    expect(result.summary).toMatchObject({
      respondents: 5,
      questions: 5,
      questionsByType: { ordinal: 1, multi: 1, text: 1, single: 1, numeric: 1 },
      multiSelectOptions: 3,
      openTextDocuments: 1,
      idColumn: 'ResponseId',
      metadataColumns: metadata,
      warnings: [],
    });
  });
});

describe('Qualtrics legacy export: two header rows, real question ids, no ImportId row', () => {
  const file = fixture('qualtrics_legacy_question_ids.csv');

  it('is detected: the question texts are kept and no header row becomes a respondent', async () => {
    const preview = await t.call('survey.preview', { path: file });
    expect(preview).toMatchObject({ format: 'qualtrics-legacy', headerRows: 2, rowsRead: 4 });
    expect(column(preview, 'Q1').label).toBe('How satisfied are you with the library?');
    // No phantom category: the question text is not an answer.
    expect(column(preview, 'Q1').valueLabels.map((l) => l.label)).toEqual(['Very dissatisfied', 'Somewhat satisfied', 'Very satisfied']);
    expect(column(preview, 'Q3').label).toBe('What should we improve?');
    const result = await t.call('survey.import', { path: file });
    expect(result.rowCount).toBe(4);
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    // Borrowing books: rows 1, 3, 4; Study rooms: rows 2, 3; Printing: row 1.
    expect(optionCounts(variables, 'Q2')).toEqual([
      ['Borrowing books', 3, 4],
      ['Study rooms', 2, 4],
      ['Printing', 1, 4],
    ]);
    expect(variables.find((v) => v.questionGroup === 'Q2')!.groupLabel).toBe('Which services do you use?');
    expect(byName(variables).get('Q1')!.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['Very dissatisfied', 1],
      ['Somewhat satisfied', 1],
      ['Very satisfied', 2],
    ]);
  });

  it('a chosen format that would lose a respondent is refused naming the line; one that counts a header row says so', async () => {
    const lost = await failure(t.call('survey.preview', { path: file, format: 'qualtrics' }));
    expect(lost.code).toBe('PARSE_ERROR');
    expect(lost.details).toMatchObject({ line: 3 });
    expect(lost.message).toMatch(/line 3: read as a Qualtrics export \(3 header rows\).*the respondent on it would be lost.*import it as qualtrics-legacy/);
    expect((await failure(t.call('survey.import', { path: file, format: 'qualtrics' }))).details).toMatchObject({ line: 3 });
    expect(await t.call('survey.datasets', {})).toEqual([]);

    const plain = await t.call('survey.preview', { path: file, format: 'csv' });
    expect(plain.rowsRead).toBe(5);
    expect(plain.warnings).toContain('The file looks like an older Qualtrics export (2 header rows); read as csv, line 2, a header row there, counts as respondents.');

    // A plain file read as a 2-header export would lose its first respondent.
    const scales = await failure(t.call('survey.preview', { path: fixture('text_scales.csv'), format: 'surveymonkey' }));
    expect(scales.details).toMatchObject({ line: 2 });
    expect(scales.message).toMatch(/line 2: .*holds a respondent's answers: that respondent would be lost/);
    // A 3-header Qualtrics file read as the 2-header form: its ImportId row would be a respondent.
    const three = await t.call('survey.preview', { path: fixture('qualtrics_2024.csv'), format: 'qualtrics-legacy' });
    expect(three.warnings[0]).toMatch(/line 3, a header row there, counts as respondents/);
  });
});

describe('matrix and side-by-side answers are not multi-selects', () => {
  it('a matrix row whose only answer is "3" keeps 3; a real one-column-per-option question is 0/1', async () => {
    const file = fixture('qualtrics_matrix_one_answer.csv');
    const preview = await t.call('survey.preview', { path: file });
    expect(column(preview, 'Q1_1').type).toBe('single');
    // Rows 3, 4, 4 answered by everyone: scale points. Side by side, 3 and 3: the same answer.
    expect(column(preview, 'Q1_1').reason).toBe('single choice: Qualtrics answer codes (one whole number); matrix: every respondent answered every row, with numbers that are scale points');
    expect(column(preview, 'Q3#1_1').reason).toMatch(/; matrix: each row holds the same answer \("3"\), a scale point, not a chosen mark$/);
    expect(column(preview, 'Q2_1').reason).toBe('multi-select: one column per option, each holding 1 (chosen) or nothing');
    const result = await t.call('survey.import', { path: file });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const v = byName(variables);
    const db = t.core.currentProject()!.db;
    expect(v.get('Q1_1')!.valueLabels.map((l) => [l.code, l.count])).toEqual([[3, 3]]);
    expect(Array.from(loadColumn(db, v.get('Q1_2')!.id).values as Int32Array)).toEqual([4, 4, 4]);
    expect(v.get('Q3#1_1')!.valueLabels.map((l) => [l.code, l.count])).toEqual([[3, 3]]);
    expect(v.get('Q3#1_1')!.type).not.toBe('multi');
    // Borrowing books: rows 1, 3; Study rooms: rows 2, 3; Printing: row 1.
    expect(optionCounts(variables, 'Q2')).toEqual([
      ['Borrowing books', 2, 3],
      ['Study rooms', 2, 3],
      ['Printing', 1, 3],
    ]);
  });
});

describe('SurveyMonkey one column per option: a multi-select, with "Other (please specify)" as open text', () => {
  it('"Question - Option" headers: the options are one multi-select, the other-text a searchable document', async () => {
    const result = await t.call('survey.import', { path: fixture('surveymonkey_flat_other.csv') });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    // Slack: 101, 103; Email: 101, 102; Teams: 103. 104 wrote only in Other: answered, chose none.
    expect(optionCounts(variables, 'Q1')).toEqual([
      ['Slack', 2, 4],
      ['Email', 2, 4],
      ['Teams', 1, 4],
    ]);
    const other = byName(variables).get('Q1_4')!;
    expect(other).toMatchObject({ type: 'text', questionGroup: 'Q1', optionLabel: 'Other (please specify)' });
    expect(documentOf(other.id)!.text).toBe('Carrier pigeon on Fridays\n\nMattermost, self-hosted\n\nSignal');
    expect(searchHits('carrier pigeon')).toBe(1);
    expect(result.summary.questionsByType).toEqual({ multi: 1, text: 1, single: 1 });
  });

  it('one header row with the question only over the first option column (blank names after it)', async () => {
    const file = fixture('surveymonkey_flat_blank_headers.csv');
    const preview = await t.call('survey.preview', { path: file });
    expect(preview.format).toBe('surveymonkey-flat');
    expect(column(preview, 'Q1_1')).toMatchObject({ type: 'multi', optionLabel: 'Slack', groupLabel: 'Which tools do you use? (select all that apply)' });
    expect(column(preview, 'Q1_4')).toMatchObject({ type: 'text', reason: 'open text: written answers beside one-option columns: "Other (please specify)"' });
    const result = await t.call('survey.import', { path: file });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    // Slack: 101, 103, 105; Email: 101, 102, 105; Teams: 103, 105; 104 wrote only "Signal".
    expect(optionCounts(variables, 'Q1')).toEqual([
      ['Slack', 3, 5],
      ['Email', 3, 5],
      ['Teams', 2, 5],
    ]);
    expect(variables.filter((v) => v.type === 'single').map((v) => v.label)).toEqual(['How do you mostly work?']);
    expect(searchHits('self-hosted')).toBe(1);
  });
});

describe('free text that looks like a list stays text', () => {
  it('sentence-like answers and a question asking for own words are open text; a real packed list is split', async () => {
    const file = fixture('google_forms_free_text.csv');
    const preview = await t.call('survey.preview', { path: file });
    expect(column(preview, 'Q1')).toMatchObject({ type: 'text', reason: 'open text: the answers read as sentences' });
    expect(column(preview, 'Q2')).toMatchObject({ type: 'text', reason: "open text: the question asks for the respondent's own words" });
    expect(column(preview, 'Q3').type).toBe('multi');
    const result = await t.call('survey.import', { path: file });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    // Phone: rows 1, 2, 5, 7, 8; Laptop: 1, 3, 6, 7; Tablet: 3, 4, 5, 7; row 9 left it empty.
    expect(optionCounts(variables, 'Q3')).toEqual([
      ['Phone', 5, 8],
      ['Laptop', 4, 8],
      ['Tablet', 4, 8],
    ]);
    const visit = documentOf(byName(variables).get('Q1')!.id)!;
    expect(visit.text.split('\n\n')).toEqual(['Fine, thanks', 'Fine', 'Fine, thanks', 'Great, thanks', 'Fine', 'Great, thanks', 'Great', 'Fine, thanks', 'Too slow, sorry']);
    expect(result.summary.openTextDocuments).toBe(2);
  });

  it('a 1 MB cell packed with commas is previewed and imported in bounded time, as open text', async () => {
    const cell = Array.from({ length: 150_000 }, (_, i) => `opt${i % 1000}`).join(',');
    expect(cell.length).toBeGreaterThan(1_000_000);
    const file = path.join(t.dir, 'packed.csv');
    fs.writeFileSync(file, `id,answers\n1,"${cell}"\n2,"opt1,opt2"\n3,opt1\n4,"opt2,opt3"\n`);
    const started = Date.now();
    const preview = await t.call('survey.preview', { path: file });
    expect(column(preview, 'answers').type).toBe('text');
    const result = await t.call('survey.import', { path: file });
    // Cubic splitting took minutes on a 16 KB cell; linear takes well under a second here.
    expect(Date.now() - started).toBeLessThan(30_000);
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    expect(documentOf(byName(variables).get('answers')!.id)!.text.length).toBe(cell.length + '\n\nopt1,opt2\n\nopt1\n\nopt2,opt3'.length);
  });
});

describe('the import summary', () => {
  it('names the column of each warning', async () => {
    // Q3 is a packed list (a, b, c): split into Q3_1..Q3_3, so the file's own Q3_1 is renamed.
    const file = path.join(t.dir, 'clash.csv');
    fs.writeFileSync(file, 'id,Q3,Q3_1\n1,"a,b",x\n2,a,y\n3,"b,c",x\n4,b,y\n');
    const result = await t.call('survey.import', { path: file });
    expect(result.summary.warnings).toEqual([{ column: 'Q3_1', message: 'Column Q3_1 appears twice; the second is named Q3_1_2.' }]);
    expect(result.summary).toMatchObject({ respondents: 4, questions: 2, questionsByType: { multi: 1, single: 1 }, multiSelectOptions: 3, idColumn: 'id' });
    const forced = await t.call('survey.import', { path: fixture('qualtrics_legacy_question_ids.csv'), format: 'csv' });
    expect(forced.summary.warnings).toEqual([
      { column: null, message: 'The file looks like an older Qualtrics export (2 header rows); read as csv, line 2, a header row there, counts as respondents.' },
    ]);
  });
});

describe('a cancel reaches the typing of the columns', () => {
  it('long loops after the read stop at checkpoints: one per column, and every 65,536 rows while splitting lists', async () => {
    const file = path.join(t.dir, 'long.csv');
    const cells = ['"Phone, Laptop"', 'Phone', '"Laptop, Tablet"', 'Tablet'];
    fs.writeFileSync(file, `id,devices\n${Array.from({ length: 70_000 }, (_, i) => `${i + 1},${cells[i % 4]}`).join('\n')}\n`);
    let typing = false;
    let after = 0;
    const survey = await readSurvey(file, {
      onProgress: (_done, _total, message) => (typing ||= message.includes('working out question types')),
      checkpoint: async () => {
        if (typing) after++;
      },
    });
    expect(survey.survey.variables.map((v) => v.name)).toEqual(['id', 'devices_1', 'devices_2', 'devices_3']);
    // Two columns, and rows 65,536 of the split.
    expect(after).toBe(3);
    const cancel = new Error('cancelled');
    let seen = 0;
    typing = false;
    await expect(
      readSurvey(file, {
        onProgress: (_done, _total, message) => (typing ||= message.includes('working out question types')),
        checkpoint: async () => {
          if (typing && ++seen === 3) throw cancel;
        },
      }),
    ).rejects.toBe(cancel);
  });
});

describe('text scales ordered by meaning; "Don\'t know" and the like non-substantive', () => {
  it('orders each scale low to high, with the answers that take no position after it, flagged and in the base', async () => {
    const result = await t.call('survey.import', { path: fixture('text_scales.csv') });
    const v = byName(await t.call('survey.variables', { datasetId: result.datasetId }));
    const order = (name: string) => v.get(name)!.valueLabels.map((l) => `${l.label}${l.nonsubstantive ? ' (NS)' : ''}${l.missing ? ' (M)' : ''}`);
    expect(order('satisfaction')).toEqual(['Very dissatisfied', 'Dissatisfied', 'Neither satisfied nor dissatisfied', 'Satisfied', 'Very satisfied', "Don't know (NS)"]);
    expect(order('agreement')).toEqual(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree', 'Not sure (NS)']);
    expect(order('frequency')).toEqual(['Never', 'Rarely', 'Sometimes', 'Often', 'Always', 'N/A (NS)']);
    expect(order('change')).toEqual(['Decrease significantly', 'Decrease', 'Stay the same', 'Increase slightly', 'Increase significantly', "Can't say (NS)"]);
    expect(order('likelihood')).toEqual(['Not at all likely', 'Slightly likely', 'Moderately likely', 'Very likely', 'Extremely likely', 'Prefer not to say (NS)']);
    expect(order('quality')).toEqual(['Poor', 'Fair', 'Good', 'Very good', 'Excellent', 'Not applicable (NS)']);
    expect(order('满意度')).toEqual(['非常不满意', '不满意', '一般', '满意', '非常满意', '不知道 (NS)']);
    expect(order('同意度')).toEqual(['非常不同意', '不同意', '中立', '同意', '非常同意', '不确定 (NS)', '不适用 (NS)', '不愿透露 (NS)']);
    for (const name of ['satisfaction', 'agreement', 'frequency', 'change', 'likelihood', 'quality', '满意度', '同意度']) {
      expect(v.get(name)!.type, name).toBe('ordinal');
      // Non-substantive answers stay in the base: all 8 rows are valid.
      expect([v.get(name)!.valid, v.get(name)!.missingCount], name).toEqual([8, 0]);
    }
    // Satisfaction: Very satisfied rows 1, 7; Don't know row 2.
    expect(v.get('satisfaction')!.valueLabels.map((l) => l.count)).toEqual([1, 1, 1, 2, 2, 1]);
  });
});

describe('every guess can be changed before the import, and the import honours it', () => {
  it('type, order, missing and non-substantive answers, question and group texts, grouping', async () => {
    const file = fixture('qualtrics_2024.csv');
    const guessed = await t.call('survey.preview', { path: file });
    expect(column(guessed, 'Q1').reason).toBe('scale: ordered by meaning (Very dissatisfied … Very satisfied)');
    expect(column(guessed, 'Q3_1').reason).toBe('scale: ordered by meaning (Strongly disagree … Strongly agree); one row of a matrix of 3, sharing one set of answers');
    expect(column(guessed, 'Q5').reason).toBe('open text: a Qualtrics text-entry box');
    expect(column(guessed, 'Q4').reason).toBe('numeric: a text-entry box holding only numbers');

    const overrides = {
      types: { Q5: 'single' as const },
      labels: { Q4: 'Age in years' },
      order: { Q1: ['Very satisfied', 'Somewhat satisfied', 'Very dissatisfied'] },
      nonsubstantive: { Q1: ['Somewhat satisfied'] },
      missing: { Q4: ['58'] },
      groups: { Q3_3: '' },
      groupLabels: { Q3: 'Agreement with statements' },
    };
    const preview = await t.call('survey.preview', { path: file, overrides });
    expect(column(preview, 'Q5')).toMatchObject({ type: 'single', reason: 'chosen by you' });
    expect(column(preview, 'Q1').valueLabels.map((l) => [l.code, l.label, l.nonsubstantive])).toEqual([
      [1, 'Very satisfied', false],
      [2, 'Somewhat satisfied', true],
      [3, 'Very dissatisfied', false],
    ]);
    expect(column(preview, 'Q1').reason).toMatch(/; order set by you; missing \/ non-substantive answers set by you$/);
    expect(column(preview, 'Q3_3').questionGroup).toBeNull();
    expect(column(preview, 'Q3_1').groupLabel).toBe('Agreement with statements');

    const result = await t.call('survey.import', { path: file, overrides });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const v = byName(variables);
    // Rows: Very satisfied, Somewhat satisfied, Very dissatisfied, Somewhat satisfied, (empty).
    const db = t.core.currentProject()!.db;
    expect(Array.from(loadColumn(db, v.get('Q1')!.id).values as Int32Array).slice(0, 4)).toEqual([1, 2, 3, 2]);
    expect(v.get('Q1')!.valueLabels.map((l) => [l.label, l.count, l.nonsubstantive])).toEqual([
      ['Very satisfied', 1, false],
      ['Somewhat satisfied', 2, true],
      ['Very dissatisfied', 1, false],
    ]);
    expect(v.get('Q4')).toMatchObject({ label: 'Age in years', missing: { values: [58] }, valid: 3, missingCount: 2 });
    expect(v.get('Q5')!.type).toBe('single');
    expect(documentOf(v.get('Q5')!.id)).toBeUndefined();
    expect(v.get('Q3_3')!.questionGroup).toBeNull();
    expect(variables.filter((x) => x.questionGroup === 'Q3').map((x) => [x.name, x.groupLabel])).toEqual([
      ['Q3_1', 'Agreement with statements'],
      ['Q3_2', 'Agreement with statements'],
    ]);
  });

  it('columns put in one group and typed multi-select become one question; unknown names are refused', async () => {
    const file = path.join(t.dir, 'options.csv');
    fs.writeFileSync(file, 'id,uses_slack,uses_email,team,age\n1,yes,,A,30\n2,,yes,B,41\n3,yes,yes,A,25\n4,,,B,52\n');
    const guessed = await t.call('survey.preview', { path: file });
    expect(column(guessed, 'uses_slack').questionGroup).toBeNull();
    const overrides = { types: { uses_slack: 'multi' as const, uses_email: 'multi' as const }, groups: { uses_slack: 'tools', uses_email: 'tools' }, groupLabels: { tools: 'Tools used' } };
    const preview = await t.call('survey.preview', { path: file, overrides });
    expect(column(preview, 'uses_slack')).toMatchObject({ type: 'multi', questionGroup: 'tools', reason: 'multi-select: chosen by you; grouping set by you' });
    const result = await t.call('survey.import', { path: file, overrides });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    // Slack: rows 1, 3; email: rows 2, 3; row 4 chose neither: missing (answered none of the options).
    // Both hold the same mark ("yes"): the options are named by their columns.
    expect(optionCounts(variables, 'tools')).toEqual([
      ['uses_slack', 2, 3],
      ['uses_email', 2, 3],
    ]);
    expect(variables.filter((v) => v.questionGroup === 'tools').every((v) => v.groupLabel === 'Tools used')).toBe(true);
    expect(result.summary.questionsByType).toEqual({ multi: 1, single: 1, numeric: 1 });

    const unknown = await failure(t.call('survey.preview', { path: file, overrides: { order: { nope: ['a'] } } }));
    expect(unknown).toMatchObject({ code: 'INVALID_INPUT', message: 'options.csv has no column named "nope".' });
    const badGroup = await failure(t.call('survey.preview', { path: file, overrides: { groupLabels: { nope: 'x' } } }));
    expect(badGroup.message).toBe('options.csv has no question group named "nope".');
    const notNumber = await failure(t.call('survey.import', { path: file, overrides: { missing: { age: ['x'] } } }));
    expect(notNumber).toMatchObject({ code: 'INVALID_INPUT', message: 'options.csv, column age: "x" is not a number, so it cannot be a missing value of a numeric column.' });
    // Invalid input never reaches the reader.
    const invalid = await failure(t.call('survey.import', { path: file, overrides: { order: { team: 'A' } } as never }));
    expect(invalid.code).toBe('INVALID_INPUT');
  });
});
