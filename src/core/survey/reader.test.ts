import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { sharedData, sharedDataAvailable, tempDir } from '../testing/index';
import type { ParsedSurvey, ParsedVariable } from './model';
import { readSurvey } from './reader';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const tmp = tempDir('fieldbook-survey-read-');
afterAll(() => tmp.cleanup());

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function v(survey: ParsedSurvey, name: string): ParsedVariable {
  const found = survey.variables.find((x) => x.name === name);
  if (!found) throw new Error(`no variable ${name}; have ${survey.variables.map((x) => x.name).join(', ')}`);
  return found;
}

const labels = (variable: ParsedVariable) => variable.valueLabels.map((l) => l.label);
const strings = (variable: ParsedVariable) => (variable.values.kind === 'string' ? variable.values.values : Array.from(variable.values.values, String));
/** Answers as their labels, whether the reader kept text or codes. */
const answers = (variable: ParsedVariable) =>
  variable.values.kind === 'string'
    ? variable.values.values
    : Array.from(variable.values.values, (x) => (Number.isNaN(x) ? null : (variable.valueLabels.find((l) => l.code === x)?.label ?? String(x))));
const numbers = (variable: ParsedVariable) => (variable.values.kind === 'number' ? Array.from(variable.values.values) : []);

async function failure(file: string, options = {}): Promise<FieldbookError> {
  try {
    await readSurvey(file, options);
  } catch (error) {
    if (error instanceof FieldbookError) return error;
    throw error;
  }
  throw new Error(`${file} was read without an error`);
}

describe.skipIf(!sharedDataAvailable)('real survey exports in ../shared/data/survey', () => {
  it('Qualtrics 3-header with German question text', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualtrics_sample_3header_de.csv'));
    expect(survey.format).toBe('qualtrics');
    expect(survey.headerRows).toBe(3);
    expect(survey.rowCount).toBe(1);
    expect(v(survey, 'StartDate')).toMatchObject({ type: 'metadata', label: 'Anfangsdatum' });
    expect(v(survey, 'RecipientLastName').label).toBe('Nachname des Empfängers');
    expect(v(survey, 'ResponseId')).toMatchObject({ type: 'id', label: 'Antwort-ID' });
    expect(strings(v(survey, 'ResponseId'))).toEqual(['R_2YPOQ602ER1jkf1']);
    expect(v(survey, 'Q1')).toMatchObject({ type: 'single', label: 'This is a multiple choice question.' });
    expect(numbers(v(survey, 'Q1'))).toEqual([2]);
    expect(v(survey, 'Q2')).toMatchObject({ type: 'text', label: 'This is a free text question.' });
    expect(v(survey, 'Q2').meta?.importId).toBe('QID2_TEXT');
    expect(strings(v(survey, 'Q2'))).toEqual(['Hello World!']);
    expect(v(survey, 'Q2 - Topics').type).toBe('metadata');
  });

  it('Qualtrics legacy 2-header with a BOM and a trailing comma', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualtrics_sample_legacy_2header_bom.csv'));
    expect(survey.format).toBe('qualtrics-legacy');
    expect(survey.encoding).toBe('utf-8');
    expect(survey.headerRows).toBe(2);
    expect(survey.variables.map((x) => x.name)).toEqual([
      'ResponseID', 'ResponseSet', 'Name', 'ExternalDataReference', 'EmailAddress', 'IPAddress', 'Status', 'StartDate', 'EndDate',
      'Finished', 'Q1', 'Q2', 'LocationLatitude', 'LocationLongitude', 'LocationAccuracy',
    ]);
    expect(strings(v(survey, 'ResponseSet'))).toEqual(['Standard-Antwortsatz']);
    expect(v(survey, 'Q2')).toMatchObject({ type: 'text', label: 'This is a free text question.' });
    expect(v(survey, 'ResponseID').type).toBe('id');
  });

  it('Qualtrics single-quoted ImportId rows and "other, please specify" text tied to its question', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualtrics_tools/comment_coding_3header_singlequote_importid.csv'));
    expect(survey.format).toBe('qualtrics');
    expect(survey.rowCount).toBe(10);
    expect(v(survey, 'Q1')).toMatchObject({ type: 'single', questionGroup: 'Q1', label: 'This question has multiple "other please specify" options' });
    expect(v(survey, 'Q1_TEXT')).toMatchObject({ type: 'text', questionGroup: 'Q1' });
    expect(v(survey, 'Q1_TEXT').meta?.textFor).toBe('Q1');
    expect(v(survey, 'Q1_TEXT').meta?.importId).toBe('QID1-TEXT');
    expect(v(survey, 'Q2')).toMatchObject({ type: 'text', label: "What's up home skillets?" });
    expect(strings(v(survey, 'Q2'))[0]).toMatch(/^Phasellus\? Molestie/);
  });

  it('Qualtrics one column per choice (insights and legacy) become 0/1 options of one question', async () => {
    for (const file of ['multi_answer_mc_insights_3header.csv', 'multi_answer_mc_legacy_2header.csv']) {
      const { survey } = await readSurvey(sharedData(`survey/qualtrics_tools/${file}`));
      expect(survey.rowCount).toBe(5);
      const q2 = survey.variables.filter((x) => x.questionGroup === 'Q2');
      expect(q2.map((x) => x.type)).toEqual(['multi', 'multi', 'multi']);
      expect(q2.map((x) => x.optionLabel)).toEqual(['Click to write Statement 1', 'Click to write Statement 2', 'Click to write Statement 3']);
      expect(q2[0]!.groupLabel).toBe('Click to write the question text');
      // Row 1 left option 1 empty and chose 2 and 3.
      expect(numbers(q2[0]!)[0]).toBe(0);
      expect(numbers(q2[1]!)[0]).toBe(1);
      expect(v(survey, 'mc_question_five_2_TEXT')).toMatchObject({ type: 'text', questionGroup: 'mc_question_five' });
    }
  });

  it('Qualtrics side-by-side groups (Q1#1_1) and duplicate column names', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualtrics_tools/side_by_side_insights.csv'));
    expect(survey.rowCount).toBe(25);
    const q1 = survey.variables.filter((x) => x.questionGroup === 'Q1');
    expect(q1.map((x) => x.name)).toEqual(['Q1#1_1', 'Q1#1_2', 'Q1#1_3', 'Q1#2_1', 'Q1#2_2', 'Q1#2_3']);
    expect(q1[0]!.groupLabel).toBe('Click to write the question text');
    expect(q1[3]!.optionLabel).toBe('Click to write Column 2-Click to write Statement 1');
    expect(q1.every((x) => x.type === 'single')).toBe(true);
    expect(v(survey, 'Q5#2_1_1').type).toBe('multi');
    expect(v(survey, 'Q5#1_1_1_TEXT')).toMatchObject({ type: 'text', questionGroup: 'Q5' });
    // The file names Q6#2_Q6_1_2_TEXT twice; both are kept, the second renamed.
    expect(v(survey, 'Q6#2_Q6_1_2_TEXT_2').type).toBe('text');
    expect(new Set(survey.variables.map((x) => x.name)).size).toBe(survey.variables.length);
  });

  it('Qualtrics text-entry components of choice and matrix questions', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualtrics_tools/text_entry_components.csv'));
    expect(survey.format).toBe('qualtrics');
    expect(v(survey, 'MCSA_single_text_TEXT')).toMatchObject({ type: 'text', questionGroup: 'MCSA_single_text' });
    expect(v(survey, 'MCSA_single_text').questionGroup).toBe('MCSA_single_text');
    expect(v(survey, 'MCMA_text_1_TEXT').meta?.textFor).toBe('MCMA_text_1');
    expect(v(survey, 'Matrix_text_1')).toMatchObject({ questionGroup: 'Matrix_text', optionLabel: 'Click to write Statement 1' });
  });

  it('SurveyMonkey Star Wars: not UTF-8, blank cells continue the question, options, matrix, ranking, bands', async () => {
    const { survey } = await readSurvey(sharedData('survey/surveymonkey_538_StarWars_2header_nonutf8.csv'));
    expect(survey.format).toBe('surveymonkey');
    expect(survey.encoding).toBe('windows-1252');
    expect(survey.rowCount).toBe(1186);
    expect(v(survey, 'RespondentID').type).toBe('id');
    expect(v(survey, 'Q1')).toMatchObject({ type: 'single', label: 'Have you seen any of the 6 films in the Star Wars franchise?' });
    expect(labels(v(survey, 'Q1'))).toEqual(['No', 'Yes']);
    const seen = survey.variables.filter((x) => x.questionGroup === 'Q3');
    expect(seen).toHaveLength(6);
    expect(seen.every((x) => x.type === 'multi')).toBe(true);
    expect(seen[0]).toMatchObject({ groupLabel: 'Which of the following Star Wars films have you seen? Please select all that apply.', optionLabel: 'Star Wars: Episode I  The Phantom Menace' });
    const rank = survey.variables.filter((x) => x.questionGroup === 'Q4');
    expect(rank).toHaveLength(6);
    expect(rank[0]!.type).toBe('numeric');
    const characters = survey.variables.filter((x) => x.questionGroup === 'Q5');
    expect(characters).toHaveLength(14);
    expect(characters[0]).toMatchObject({ type: 'ordinal', optionLabel: 'Han Solo' });
    expect(labels(characters[0]!)).toEqual([
      'Very unfavorably', 'Somewhat unfavorably', 'Neither favorably nor unfavorably (neutral)', 'Somewhat favorably', 'Very favorably', 'Unfamiliar (N/A)',
    ]);
    // Non-substantive (in the base, out of nets and means), no longer missing.
    expect(characters[0]!.valueLabels.find((l) => l.label === 'Unfamiliar (N/A)')).toEqual({ code: 6, label: 'Unfamiliar (N/A)', nonsubstantive: true });
    expect(v(survey, 'Q8').label.startsWith('Do you consider yourself to be a fan of the Expanded Universe?')).toBe(true);
    expect(labels(v(survey, 'Q11'))).toEqual(['18-29', '30-44', '45-60', '> 60']);
    expect(v(survey, 'Q11').type).toBe('ordinal');
    expect(labels(v(survey, 'Q12'))).toEqual(['$0 - $24,999', '$25,000 - $49,999', '$50,000 - $99,999', '$100,000 - $149,999', '$150,000+']);
    expect(v(survey, 'Q13').type).toBe('single');
  });

  it('SurveyMonkey steak survey: HTML in question text, ordered steak doneness', async () => {
    const { survey } = await readSurvey(sharedData('survey/surveymonkey_538_steak_risk_2header.csv'));
    expect(survey.format).toBe('surveymonkey');
    expect(survey.encoding).toBe('utf-8');
    expect(survey.rowCount).toBe(550);
    expect(v(survey, 'Q1').label).toMatch(/^Consider the following hypothetical situations: In Lottery A/);
    expect(v(survey, 'Q1').label).not.toContain('<br>');
    expect(labels(v(survey, 'Q1'))).toEqual(['Lottery A', 'Lottery B']);
    expect(v(survey, 'Q9')).toMatchObject({ type: 'ordinal', label: 'How do you like your steak prepared?' });
    expect(labels(v(survey, 'Q9'))).toEqual(['Rare', 'Medium rare', 'Medium', 'Medium Well', 'Well']);
  });

  it('QualCoder CSV with CRLF and a free-text column', async () => {
    const { survey } = await readSurvey(sharedData('survey/qualcoder_survey456_freetext.csv'));
    expect(survey.format).toBe('csv');
    expect(survey.rowCount).toBe(3);
    expect(v(survey, 'Case').type).toBe('id');
    expect(numbers(v(survey, 'Age'))).toEqual([24, Number.NaN, 67]);
    expect(labels(v(survey, 'Gender'))).toEqual(['f', 'm']);
    expect(v(survey, 'freetext').type).toBe('text');
    expect(strings(v(survey, 'freetext'))[2]).toBe('I did not enrol in any studies, even though I am retired. Currently, I am mainly enjoying being away from work and doing my gardening.');
  });

  it('a Qualtrics .qsf (the questionnaire, not the answers) is refused with what to do instead', async () => {
    const error = await failure(sharedData('survey/qualtrics_tools/comment_coding.qsf'));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/Qualtrics survey definition \(\.qsf\).*Export data → CSV/);
  });

  it('QualCoder Excel workbook', async () => {
    const result = await readSurvey(sharedData('survey/qualcoder_survey789.xlsx'));
    expect(result.survey.format).toBe('xlsx');
    expect(result.sheets.length).toBeGreaterThan(0);
    expect(result.survey.rowCount).toBe(3);
    expect(result.survey.variables.map((x) => x.name)).toEqual(['Case', 'Age', 'Gender', 'Interest', 'Qual_hobby_opinions', 'Qual_pet_opinions']);
    expect(v(result.survey, 'Qual_pet_opinions').type).toBe('text');
  });
});

describe('survey tools and quirks (fixtures)', () => {
  it('Qualtrics: comma-joined multi-select, Likert matrix sharing one scale, numeric text entry, multi-line answers', async () => {
    const { survey } = await readSurvey(fixture('qualtrics_2024.csv'));
    expect(survey.rowCount).toBe(5);
    const services = survey.variables.filter((x) => x.questionGroup === 'Q2' && x.type === 'multi');
    expect(services.map((x) => x.optionLabel)).toEqual(['Borrowing books', 'Study rooms', 'Other']);
    expect(numbers(services[0]!)).toEqual([1, 1, 0, 1, Number.NaN]);
    expect(numbers(services[2]!)).toEqual([0, 1, 0, 1, Number.NaN]);
    expect(v(survey, 'Q2_4_TEXT').meta?.textFor).toBe('Q2_4');
    expect(labels(v(survey, 'Q3_2'))).toEqual(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']);
    expect(v(survey, 'Q3_1').groupLabel).toBe('How much do you agree?');
    expect(v(survey, 'Q4').type).toBe('numeric');
    expect(strings(v(survey, 'Q5'))[2]).toBe('Longer opening hours\nat weekends');
    expect(v(survey, 'Duration (in seconds)').type).toBe('metadata');
  });

  it('Google Forms: timestamp, answers packed in one cell, grid rows', async () => {
    const { survey } = await readSurvey(fixture('google_forms.csv'));
    expect(survey.format).toBe('google-forms');
    expect(v(survey, 'Timestamp').type).toBe('date');
    expect(numbers(v(survey, 'Timestamp'))[0]).toBe(Date.UTC(2024, 4, 1, 7, 15, 2));
    const devices = survey.variables.filter((x) => x.questionGroup === 'Q1');
    expect(devices.map((x) => x.optionLabel)).toEqual(['Phone', 'Laptop', 'Tablet']);
    expect(numbers(devices[2]!)).toEqual([0, 0, 1, 1]);
    expect(labels(v(survey, 'Q2'))).toEqual(['Never', 'Sometimes', 'Often', 'Always']);
    expect(v(survey, 'Q3_2')).toMatchObject({ type: 'ordinal', optionLabel: 'Poetry', groupLabel: 'Rate these' });
    expect(labels(v(survey, 'Q3_1'))).toEqual(['Poor', 'Fair', 'Good', 'Excellent']);
    expect(v(survey, 'Q4').type).toBe('text');
  });

  it('SurveyMonkey flattened "Question - Option" headers', async () => {
    const { survey } = await readSurvey(fixture('surveymonkey_flat.csv'));
    expect(survey.format).toBe('surveymonkey-flat');
    expect(v(survey, 'Q1')).toMatchObject({ type: 'single', label: 'Gender' });
    const snacks = survey.variables.filter((x) => x.questionGroup === 'Q2');
    expect(snacks.map((x) => x.optionLabel)).toEqual(['Crisps', 'Nuts', 'Fruit']);
    expect(numbers(snacks[1]!)).toEqual([0, 1, 1]);
    expect(v(survey, 'Q3')).toMatchObject({ type: 'text', label: 'Why?' });
  });

  it('SurveyMonkey 2-header with "Other (please specify)" tied to its question', async () => {
    const { survey } = await readSurvey(fixture('surveymonkey_2025.csv'));
    expect(v(survey, 'Q2_3')).toMatchObject({ type: 'text', questionGroup: 'Q2', optionLabel: 'Other (please specify)' });
    expect(v(survey, 'Q1').type).toBe('ordinal');
    expect(v(survey, 'Q4').type).toBe('text');
  });

  it('TSV and semicolon files: the delimiter is detected', async () => {
    const tsv = await readSurvey(write('a.tsv', 'id\tscore\tcolour\n1\t2.5\tred\n2\t3\tblue\n3\t4\tred\n'));
    expect(tsv.survey.format).toBe('tsv');
    expect(numbers(v(tsv.survey, 'score'))).toEqual([2.5, 3, 4]);
    const semi = await readSurvey(write('b.csv', 'name;answer\nA;"yes; really"\nB;no\nC;no\n'));
    expect(semi.delimiter).toBe(';');
    expect(answers(v(semi.survey, 'answer'))).toEqual(['yes; really', 'no', 'no']);
  });

  it('encodings: UTF-16 LE and BE with BOM, Windows-1252, MacRoman, and a chosen encoding', async () => {
    const text = 'Stadt,Meinung\nKöln,"Schön, aber teuer"\nZürich,Größer\nWien,Gemütlich\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    for (const [name, bytes, encoding] of [
      ['le.csv', le, 'utf-16le'],
      ['be.csv', be, 'utf-16be'],
      ['w.csv', iconv.encode(text, 'windows-1252'), 'windows-1252'],
      ['m.csv', iconv.encode(text, 'macintosh'), 'macintosh'],
    ] as const) {
      const { survey } = await readSurvey(write(name, bytes));
      expect(survey.encoding, name).toBe(encoding);
      expect(strings(v(survey, 'Stadt')), name).toEqual(['Köln', 'Zürich', 'Wien']);
      expect(strings(v(survey, 'Meinung'))[0], name).toBe('Schön, aber teuer');
    }
    const chosen = await readSurvey(write('w2.csv', iconv.encode(text, 'windows-1252')), { encoding: 'macintosh' });
    expect(chosen.survey.encoding).toBe('macintosh');
    expect(strings(v(chosen.survey, 'Stadt'))[0]).not.toBe('Köln');
  });

  it('an .xlsx with several sheets: the chosen sheet is read; a missing sheet is refused', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['just notes']);
    const data = workbook.addWorksheet('Responses');
    data.addRow(['id', 'Satisfaction', 'When']);
    data.addRow([1, 'Agree', new Date(Date.UTC(2024, 0, 2))]);
    data.addRow([2, 'Strongly agree', new Date(Date.UTC(2024, 0, 3))]);
    data.addRow([3, 'Agree', new Date(Date.UTC(2024, 0, 4))]);
    const file = path.join(tmp.dir, 'book.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await readSurvey(file, { sheet: 'Responses' });
    expect(result.sheets).toEqual(['Notes', 'Responses']);
    expect(result.sheet).toBe('Responses');
    expect(v(result.survey, 'Satisfaction').type).toBe('ordinal');
    expect(v(result.survey, 'When').type).toBe('date');
    expect(numbers(v(result.survey, 'When'))[1]).toBe(Date.UTC(2024, 0, 3));
    const error = await failure(file, { sheet: 'Nope' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('Notes, Responses');
  });

  it('user overrides: a type, a question text, the id and weight columns', async () => {
    const file = write('o.csv', 'resp,w,colour,score\na,1.5,red,1\nb,0.5,blue,2\nc,1,red,2\n');
    const { survey } = await readSurvey(file, {
      overrides: { types: { score: 'ordinal' }, labels: { colour: 'Favourite colour' }, idColumn: 'resp', weightColumn: 'w' },
    });
    expect(v(survey, 'resp').type).toBe('id');
    expect(v(survey, 'w').type).toBe('weight');
    expect(v(survey, 'colour').label).toBe('Favourite colour');
    expect(v(survey, 'score').type).toBe('ordinal');
    expect(v(survey, 'score').valueLabels.map((l) => l.code)).toEqual([1, 2]);
  });
});

describe('bad input: a clear message with the place', () => {
  it('an unterminated quote names the line and column', async () => {
    const error = await failure(write('q.csv', 'a,b\n1,2\n3,"four\n5,6\n'));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.details).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toMatch(/q\.csv, line 3, column 3: a quoted cell is never closed/);
  });

  it('a ragged row names its line (after a quoted multi-line cell)', async () => {
    const error = await failure(write('r.csv', 'a,b,c\n1,"two\nlines",3\n4,5\n6,7,8\n'));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.details).toMatchObject({ line: 4, record: 2 });
    expect(error.message).toContain('has 2 cells but the header has 3');
  });

  it('an empty file, a header without answers, and a file of the wrong type', async () => {
    expect((await failure(write('e.csv', ''))).message).toMatch(/e\.csv is empty/);
    expect((await failure(write('h.csv', 'a,b,c\n'))).message).toMatch(/no answers/);
    const png = await failure(write('p.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 1, 2, 3, 4, 5, 6, 7, 8])));
    expect(png.code).toBe('UNSUPPORTED_FORMAT');
    const xls = await failure(write('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])));
    expect(xls.message).toMatch(/Excel 97-2003/);
  });

  it('duplicate respondent ids name both lines', async () => {
    const error = await failure(write('d.csv', 'id,x\nA,1\nB,2\nA,3\n'), { overrides: { idColumn: 'id' } });
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ line: 4, firstLine: 2, field: 'id' });
  });

  it('a column whose chosen type cannot hold its values', async () => {
    const error = await failure(write('t.csv', 'id,age\n1,34\n2,unknown\n'), { overrides: { types: { age: 'numeric' } } });
    expect(error.details).toMatchObject({ line: 3, column: 2, field: 'age' });
    expect(error.message).toContain('"unknown" is not a number');
    const dates = await failure(write('t2.csv', 'id,when\n1,2024-01-01\n2,soon\n'), { overrides: { types: { when: 'date' } } });
    expect(dates.details).toMatchObject({ line: 3, column: 2 });
    const weight = await failure(write('t3.csv', 'id,w\n1,1\n2,-1\n'), { overrides: { weightColumn: 'w' } });
    expect(weight.message).toContain('weights cannot be negative');
    const unknown = await failure(write('t4.csv', 'id,w\n1,1\n'), { overrides: { types: { nope: 'text' } } });
    expect(unknown.message).toContain('no column named "nope"');
  });
});
