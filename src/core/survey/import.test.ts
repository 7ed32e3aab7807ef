import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, sharedData, sharedDataAvailable, type TestCore } from '../testing/index';
import { BYTE_NO_ANSWER, byteCodedNumbers, byteCodesOf, encodeColumn, I32_MISSING, U8_MISSING } from './columns';
import { countColumn } from './counts';
import type { ParsedVariable } from './model';
import { readSurvey } from './reader';
import { encodeTextColumn, encodeVariable, loadColumn } from './store';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

/** Everything an import may touch, as plain rows: equal snapshots mean an unchanged project. */
function snapshot(t: TestCore): string {
  const db = t.core.currentProject()!.db;
  const tables = ['dataset', 'variable', 'value_label', 'variable_data', 'document', 'turn'];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    out[table] = (db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[]).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v])),
    );
  }
  out.fts = [(db.prepare('SELECT count(*) AS n FROM chunk_fts').get() as { n: number }).n];
  return JSON.stringify(out);
}

describe('survey import into a project', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  it('preview shows format, encoding, header rows, types, labels and samples', async () => {
    const preview = await t.call('survey.preview', { path: fixture('qualtrics_2024.csv') });
    expect(preview).toMatchObject({ format: 'qualtrics', encoding: 'utf-8', headerRows: 3, rowsRead: 5, idColumn: 'ResponseId', suggestedName: 'qualtrics_2024' });
    const q1 = preview.columns.find((c) => c.name === 'Q1')!;
    expect(q1).toMatchObject({ type: 'ordinal', label: 'How satisfied are you with the library?' });
    expect(q1.valueLabels.map((l) => l.label)).toEqual(['Very dissatisfied', 'Somewhat satisfied', 'Very satisfied']);
    const q2 = preview.columns.find((c) => c.name === 'Q2')!;
    expect(q2.type).toBe('multi');
    expect(q2.valueLabels.map((l) => l.label)).toEqual(['Borrowing books', 'Study rooms', 'Other']);
    expect(preview.headerText[1]![8]).toBe('How satisfied are you with the library?');
    expect(preview.firstRows[0]![7]).toBe('R_001');
  });

  it('imports column-wise: codes, 0/1 options, numbers, text documents with turns, searchable', async () => {
    const result = await t.call('survey.import', { path: fixture('qualtrics_2024.csv'), name: 'Library', wave: '2024' }, 'job-1');
    expect(result).toMatchObject({ name: 'Library', wave: '2024', format: 'qualtrics', rowCount: 5, documentCount: 2 });
    const datasets = await t.call('survey.datasets', {});
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ name: 'Library', wave: '2024', rowCount: 5, sourceFile: 'qualtrics_2024.csv' });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const byName = new Map(variables.map((v) => [v.name, v]));
    const q1 = byName.get('Q1')!;
    expect(q1.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['Very dissatisfied', 1],
      ['Somewhat satisfied', 2],
      ['Very satisfied', 1],
    ]);
    expect([q1.valid, q1.missingCount]).toEqual([4, 1]);
    const db = t.core.currentProject()!.db;
    const q1Column = loadColumn(db, q1.id);
    // Stored a byte per answer, read back as 4-byte codes.
    expect(db.prepare('SELECT encoding, length(data) FROM variable_data WHERE variable_id = ?').raw().get(q1.id)).toEqual(['c8', 5]);
    expect(q1Column.encoding).toBe('i32');
    expect(Array.from(q1Column.values as Int32Array)).toEqual([3, 2, 1, 2, I32_MISSING]);
    const books = variables.find((v) => v.questionGroup === 'Q2' && v.optionLabel === 'Borrowing books')!;
    expect(books.type).toBe('multi');
    const booksColumn = loadColumn(db, books.id);
    expect(booksColumn.encoding).toBe('u8');
    expect(Array.from(booksColumn.values as Uint8Array)).toEqual([1, 1, 0, 1, U8_MISSING]);
    const age = loadColumn(db, byName.get('Q4')!.id);
    expect(age.encoding).toBe('f64');
    expect(Array.from(age.values as Float64Array)).toEqual([34, 21, 58, 45, Number.NaN]);

    const docs = db.prepare("SELECT id, name, text, variable_id FROM document WHERE kind = 'survey_text' AND dataset_id = ? ORDER BY id").all(result.datasetId) as {
      id: number;
      name: string;
      text: string;
      variable_id: number;
    }[];
    const improve = docs.find((d) => d.variable_id === byName.get('Q5')!.id)!;
    expect(improve.text).toBe('More quiet rooms, please.\n\nLonger opening hours\nat weekends\n\nFix the wifi');
    const turns = db.prepare('SELECT respondent_row, start_char, end_char FROM turn WHERE document_id = ? ORDER BY position').all(improve.id) as {
      respondent_row: number;
      start_char: number;
      end_char: number;
    }[];
    expect(turns.map((x) => x.respondent_row)).toEqual([0, 2, 3]);
    // The open answers are stored once, as the document's turns, and read back as a column.
    expect(db.prepare('SELECT encoding, length(data) FROM variable_data WHERE variable_id = ?').raw().get(byName.get('Q5')!.id)).toEqual(['document', 0]);
    const answers = loadColumn(db, byName.get('Q5')!.id);
    expect(answers).toEqual({ encoding: 'text', values: ['More quiet rooms, please.', null, 'Longer opening hours\nat weekends', 'Fix the wifi', null] });
    expect(turns.map((x) => improve.text.slice(x.start_char, x.end_char))).toEqual(['More quiet rooms, please.', 'Longer opening hours\nat weekends', 'Fix the wifi']);
    const hits = db.prepare("SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH '\"opening hours\"'").all();
    expect(hits).toHaveLength(1);
    expect(t.events.some((e) => e.type === 'project.changed' && e.topics.includes('datasets'))).toBe(true);
    expect(t.events.some((e) => e.type === 'progress' && e.jobId === 'job-1')).toBe(true);
  });

  it("choice columns stored a byte each ('c8') read exactly as the 4-byte columns of earlier projects", async () => {
    const { datasetId } = await t.call('survey.import', { path: fixture('qualtrics_2024.csv'), wave: '2024' });
    const variables = await t.call('survey.variables', { datasetId });
    const db = t.core.currentProject()!.db;
    const compact = db.prepare("SELECT variable_id AS id FROM variable_data WHERE encoding = 'c8'").pluck().all() as number[];
    expect(compact.length).toBeGreaterThan(0);
    const grid = () => t.call('survey.rows', { datasetId, variableIds: variables.map((v) => v.id), sort: { variableId: compact[0]!, desc: true } });
    const table = async () => {
      const { elapsedMs, ...result } = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'Q1' }, { ref: 'Q3_1' }], banner: ['Q3_2'] } });
      expect(elapsedMs).toBeGreaterThanOrEqual(0);
      return result;
    };
    const before = { columns: compact.map((id) => loadColumn(db, id)), grid: await grid(), table: await table() };
    // Rewrite them as a project from before 'c8' holds them: 4-byte codes.
    for (const id of compact) db.prepare("UPDATE variable_data SET encoding = 'i32', data = ? WHERE variable_id = ?").run(encodeColumn(loadColumn(db, id)), id);
    expect(db.prepare("SELECT count(*) FROM variable_data WHERE encoding = 'c8'").pluck().get()).toBe(0);
    expect(compact.map((id) => loadColumn(db, id))).toEqual(before.columns);
    expect(await grid()).toEqual(before.grid);
    expect(await table()).toEqual(before.table);
  });

  it('the respondent grid pages, sorts by scale order and filters', async () => {
    const { datasetId } = await t.call('survey.import', { path: fixture('qualtrics_2024.csv') });
    const variables = await t.call('survey.variables', { datasetId });
    const id = (name: string) => variables.find((v) => v.name === name)!.id;
    const page = await t.call('survey.rows', { datasetId, offset: 0, limit: 2, variableIds: [id('ResponseId'), id('Q1'), id('Q4')] });
    expect(page).toMatchObject({ total: 5, matching: 5, offset: 0 });
    expect(page.rows).toEqual([
      { row: 0, cells: ['R_001', 'Very satisfied', 34] },
      { row: 1, cells: ['R_002', 'Somewhat satisfied', 21] },
    ]);
    const sorted = await t.call('survey.rows', { datasetId, variableIds: [id('ResponseId')], sort: { variableId: id('Q1'), desc: false } });
    expect(sorted.rows.map((r) => r.cells[0])).toEqual(['R_003', 'R_002', 'R_004', 'R_001', 'R_005']);
    const desc = await t.call('survey.rows', { datasetId, variableIds: [id('Q4')], sort: { variableId: id('Q4'), desc: true } });
    expect(desc.rows.map((r) => r.cells[0])).toEqual([58, 45, 34, 21, null]);
    const filtered = await t.call('survey.rows', {
      datasetId,
      variableIds: [id('ResponseId')],
      filters: [
        { variableId: id('Q1'), op: 'eq', value: 'somewhat satisfied' },
        { variableId: id('Q4'), op: 'gt', value: 30 },
      ],
    });
    expect(filtered.matching).toBe(1);
    expect(filtered.rows[0]!.cells).toEqual(['R_004']);
    const dates = await t.call('survey.import', { path: fixture('google_forms.csv') });
    const gVars = await t.call('survey.variables', { datasetId: dates.datasetId });
    const ts = await t.call('survey.rows', { datasetId: dates.datasetId, variableIds: [gVars[0]!.id], limit: 1 });
    expect(ts.rows[0]!.cells[0]).toBe('2024-05-01 07:15:02');
  });

  it('matches waves across tools by question text, and the user confirms or rejects', async () => {
    await t.call('survey.import', { path: fixture('qualtrics_2024.csv'), wave: '2024' });
    const second = await t.call('survey.import', { path: fixture('surveymonkey_2025.csv'), wave: '2025' });
    expect(second.matched).toBeGreaterThanOrEqual(4);
    const matches = await t.call('survey.waveMatches', {});
    const find = (label: string) => matches.find((m) => m.variables.some((v) => v.label === label && v.optionLabel === null));
    const satisfaction = find('How satisfied are you with the library?')!;
    expect(satisfaction.variables.map((v) => [v.wave, v.name])).toEqual([
      ['2024', 'Q1'],
      ['2025', 'Q1'],
    ]);
    expect(satisfaction.variables[1]!.basis).toBe('question text');
    expect(satisfaction.confirmed).toBe(false);
    const books = matches.find((m) => m.variables.every((v) => v.optionLabel === 'Borrowing books'))!;
    expect(books.variables.map((v) => v.wave)).toEqual(['2024', '2025']);
    const age = find('What is your age?')!;
    expect(age.variables.map((v) => v.type)).toEqual(['numeric', 'numeric']);

    const afterConfirm = await t.call('survey.confirmMatch', { variableIds: satisfaction.variables.map((v) => v.id), accept: true });
    expect(afterConfirm.find((m) => m.concept === satisfaction.concept)!.confirmed).toBe(true);
    const afterReject = await t.call('survey.confirmMatch', { variableIds: [age.variables[1]!.id], accept: false });
    expect(afterReject.find((m) => m.concept === age.concept)).toBeUndefined();
    const variables = await t.call('survey.variables', {});
    expect(variables.filter((v) => v.concept === satisfaction.concept).every((v) => v.conceptConfirmed)).toBe(true);
  });

  it('a failed import leaves the project exactly as before', async () => {
    await t.call('survey.import', { path: fixture('qualtrics_2024.csv'), wave: '2024' });
    const before = snapshot(t);
    const duplicate = path.join(t.dir, 'dup.csv');
    fs.writeFileSync(duplicate, 'id,answer,comment\n1,yes,fine\n2,no,bad\n1,yes,again\n');
    const failed = await failure(t.call('survey.import', { path: duplicate, overrides: { idColumn: 'id' } }));
    expect(failed.code).toBe('CONFLICT');
    expect(failed.details).toMatchObject({ line: 4 });
    const ragged = path.join(t.dir, 'ragged.csv');
    fs.writeFileSync(ragged, 'a,b\n1,2\n3\n');
    expect((await failure(t.call('survey.import', { path: ragged }))).details).toMatchObject({ line: 3 });
    expect(snapshot(t)).toBe(before);
  });

  it('a cancelled import leaves nothing', async () => {
    await t.call('survey.import', { path: fixture('google_forms.csv') });
    const before = snapshot(t);
    const big = path.join(t.dir, 'big.csv');
    const lines = ['id,score,colour,comment'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${i % 7},${['red', 'green', 'blue'][i % 3]},answer number ${i}`);
    fs.writeFileSync(big, lines.join('\n'));
    const running = t.call('survey.import', { path: big }, 'job-cancel');
    // Cancel once the job is running (its first progress event), as a user's click would.
    while (!t.events.some((e) => e.type === 'progress' && e.jobId === 'job-cancel')) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await t.call('jobs.cancel', { jobId: 'job-cancel' })).toEqual({ cancelled: true });
    const cancelled = await failure(running);
    expect(cancelled.code).toBe('CANCELLED');
    expect(snapshot(t)).toBe(before);
  });

  it('deleting a dataset removes its variables, answers and documents', async () => {
    const keep = await t.call('survey.import', { path: fixture('google_forms.csv') });
    const before = snapshot(t);
    const gone = await t.call('survey.import', { path: fixture('qualtrics_2024.csv') });
    expect(await t.call('survey.deleteDataset', { datasetId: gone.datasetId })).toEqual({ deleted: true });
    expect(snapshot(t)).toBe(before);
    expect((await t.call('survey.datasets', {})).map((d) => d.id)).toEqual([keep.datasetId]);
    expect((await failure(t.call('survey.deleteDataset', { datasetId: gone.datasetId }))).code).toBe('NOT_FOUND');
    const renamed = await t.call('survey.renameDataset', { datasetId: keep.datasetId, wave: 'spring' });
    expect(renamed.wave).toBe('spring');
  });
});

describe.skipIf(!sharedDataAvailable)('every shared survey export imports', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  const files = [
    ['survey/qualtrics_sample_3header_de.csv', 1],
    ['survey/qualtrics_sample_legacy_2header_bom.csv', 1],
    ['survey/surveymonkey_538_StarWars_2header_nonutf8.csv', 1186],
    ['survey/surveymonkey_538_steak_risk_2header.csv', 550],
    ['survey/qualcoder_survey456_freetext.csv', 3],
    ['survey/qualcoder_survey789.xlsx', 3],
    ['survey/qualtrics_tools/comment_coding_3header_singlequote_importid.csv', 10],
    ['survey/qualtrics_tools/multi_answer_mc_insights_3header.csv', 5],
    ['survey/qualtrics_tools/multi_answer_mc_legacy_2header.csv', 5],
    ['survey/qualtrics_tools/side_by_side_insights.csv', 25],
    ['survey/qualtrics_tools/text_entry_components.csv', 15],
  ] as const;
  for (const [file, rows] of files) {
    it(file, async () => {
      const result = await t.call('survey.import', { path: sharedData(file) });
      expect(result.rowCount).toBe(rows);
      const variables = await t.call('survey.variables', { datasetId: result.datasetId });
      expect(variables.length).toBe(result.variableCount);
      for (const v of variables) expect(v.valid + v.missingCount, v.name).toBe(rows);
    });
  }

  it('the Star Wars file: a matrix with its shared scale and a multi-select with counts', async () => {
    const result = await t.call('survey.import', { path: sharedData('survey/surveymonkey_538_StarWars_2header_nonutf8.csv'), wave: '2014' });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const han = variables.find((v) => v.optionLabel === 'Han Solo')!;
    expect(han.type).toBe('ordinal');
    expect(han.valueLabels.find((l) => l.label === 'Very favorably')!.count).toBe(610);
    // "Unfamiliar (N/A)" takes no position: non-substantive, so kept in the base (it was missing,
    // out of the base, before non-substantive answers had a flag of their own). Python's csv
    // module counts the column: 610 + 151 + 44 + 15 + 8 + 1 = 829 answers, 15 of them N/A.
    const unfamiliar = han.valueLabels.find((l) => l.label === 'Unfamiliar (N/A)')!;
    expect(unfamiliar).toMatchObject({ missing: false, nonsubstantive: true, count: 15 });
    expect([han.valid, han.missingCount]).toEqual([829, 1186 - 829]);
    const episode5 = variables.find((v) => v.questionGroup === 'Q3' && v.optionLabel === 'Star Wars: Episode V The Empire Strikes Back')!;
    expect(episode5.valueLabels.find((l) => l.code === 1)!.count).toBe(758);
  });
});

describe.skipIf(!sharedDataAvailable)('SPSS files go through the same import (reader in ./spss)', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  it('.sav and .zsav: labels, user-missing values and ranges, string codes, multiple-response sets', async () => {
    const sample = await t.call('survey.import', { path: sharedData('survey/spss/pyreadstat_sample_missing.sav'), wave: '2018' });
    expect(sample).toMatchObject({ format: 'sav', rowCount: 7 });
    const vars = await t.call('survey.variables', { datasetId: sample.datasetId });
    const mylabl = vars.find((v) => v.name === 'mylabl')!;
    expect(mylabl).toMatchObject({ type: 'single', label: 'labeled' });
    expect(mylabl.valueLabels.map((l) => [l.code, l.label, l.missing])).toEqual([
      [-1, 'undetermined', true],
      [1, 'Male', false],
      [2, 'Female', false],
    ]);
    const mynum = vars.find((v) => v.name === 'mynum')!;
    expect(mynum.missing).toEqual({ values: [-1], range: { low: 2000, high: 3000 } });
    expect(mynum.type).toBe('numeric');
    expect(vars.find((v) => v.name === 'mydate')!.type).toBe('date');

    const zsav = await t.call('survey.import', { path: sharedData('survey/spss/pyreadstat_sample.zsav') });
    expect(zsav).toMatchObject({ format: 'zsav', rowCount: 5 });

    const str = await t.call('survey.import', { path: sharedData('survey/spss/pyreadstat_missing_char.sav') });
    const mychar = (await t.call('survey.variables', { datasetId: str.datasetId }))[0]!;
    expect(mychar.valueLabels.map((l) => [l.label, l.missing, l.count])).toEqual([
      ['labeled', false, 1],
      ['Z', true, 1],
    ]);
    expect([mychar.valid, mychar.missingCount]).toEqual([1, 1]);

    const mr = await t.call('survey.import', { path: sharedData('survey/spss/pyreadstat_simple_alltypes.sav') });
    const mrVars = await t.call('survey.variables', { datasetId: mr.datasetId });
    const bools = mrVars.filter((v) => v.questionGroup === 'mymrset');
    expect(bools.map((v) => v.type)).toEqual(['multi', 'multi', 'multi']);
    const db = t.core.currentProject()!.db;
    expect(Array.from(loadColumn(db, bools[0]!.id).values as Uint8Array).slice(0, 4)).toEqual([1, 1, 0, 0]);
  });
});

describe('text column encoding', () => {
  it('writes the same bytes as encodeColumn, non-ASCII and quotes included', () => {
    const values = ['plain', null, 'ü "quoted" \\ back', '日本語のテキスト', '', 'line\nbreak', null];
    expect(encodeTextColumn(values).equals(encodeColumn({ encoding: 'text', values }))).toBe(true);
    expect(encodeTextColumn([]).toString()).toBe('[]');
  });

  it('writes the same bytes when the answers span several of its slices', () => {
    const kinds = ['ascii answer', null, 'Zürich "café"', '日本語', '', 'tab\there', '\ud83d\ude00 emoji'];
    for (const n of [8191, 8192, 8193, 20_000]) {
      const values = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? `${kinds[i % kinds.length] ?? ''} ${i}` : (kinds[i % kinds.length] ?? null)));
      expect(encodeTextColumn(values).equals(encodeColumn({ encoding: 'text', values }))).toBe(true);
    }
  });
});

describe('choice counts taken while encoding', () => {
  it('equal a separate count of the stored column, codes outside 0..255 and missing answers included', () => {
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (const spread of [5, 300]) {
      const values = Float64Array.from({ length: 5000 }, () => (next() < 0.1 ? Number.NaN : Math.floor(next() * spread) - (spread > 255 ? 20 : 0)));
      const variable: ParsedVariable = {
        name: 'q',
        label: 'Q',
        type: 'single',
        valueLabels: [{ code: 1, label: 'One' }, { code: 9, label: 'Refused', missing: true }],
        missing: { values: [9] },
        values: { kind: 'number', values },
      };
      const { column, labels, tally } = encodeVariable(variable, values.length);
      // Codes below 0 or above 255 take the general path, which counts afterwards.
      expect(tally === undefined).toBe(spread > 255);
      const flags = labels.map((l) => ({ code: l.code, missing: Boolean(l.missing) }));
      const fused = countColumn(column, flags, variable.missing, tally);
      const separate = countColumn(column, flags, variable.missing);
      expect(fused).toEqual(separate);
      expect(fused.valid + fused.missing).toBe(values.length);
    }
  });
});

describe('choice answers kept as SPSS bytecodes', () => {
  it('encode exactly as the same answers read as numbers: labels, counts, stored bytes, codes, refusals', () => {
    let state = 99;
    const next = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const cases: { bias: number; bytes: number[] }[] = [
      { bias: 100, bytes: [101, 102, 103, 104, 105, 255] },
      // Codes below 0 (-9 "refused") and above 254 need four bytes.
      { bias: 100, bytes: [91, 101, 102, 255] },
      { bias: 0, bytes: [1, 2, 250, 251, 255] },
      { bias: 100, bytes: [100, 251, 255] },
      // A fractional bias makes fractional answers, which a choice refuses.
      { bias: 100.5, bytes: [101, 102] },
    ];
    for (const { bias, bytes: pool } of cases) {
      // An odd length: the rows after the last group of four are counted too.
      const bytes = Uint8Array.from({ length: 3001 }, () => pool[next(pool.length)]!);
      const labels = [{ code: 1, label: 'One' }, { code: 9, label: 'Refused', missing: true }];
      const make = (values: ParsedVariable['values']): ParsedVariable => ({ name: 'q', label: 'Q', type: 'ordinal', valueLabels: labels, missing: { values: [9] }, values });
      const coded = make(byteCodedNumbers({ bytes, bias }));
      const numbers = make({ kind: 'number', values: Float64Array.from(bytes, (b) => (b === BYTE_NO_ANSWER ? Number.NaN : b - bias)) });
      const attempt = (v: ParsedVariable) => {
        try {
          return encodeVariable(v, bytes.length);
        } catch (e) {
          return e as Error;
        }
      };
      const a = attempt(coded);
      const b = attempt(numbers);
      if (b instanceof Error) {
        expect(a).toBeInstanceOf(Error);
        expect((a as Error).message).toBe(b.message);
        continue;
      }
      if (a instanceof Error) throw a;
      expect(a.labels).toEqual(b.labels);
      expect(a.tally).toEqual(b.tally);
      expect(a.stored?.data).toEqual(b.stored?.data);
      expect(Array.from(a.column.values as Int32Array)).toEqual(Array.from(b.column.values as Int32Array));
    }
  });

  it('are not made numbers by the preview or the import, and are numbers when read as such', async () => {
    const bytes = Uint8Array.from([101, 102, 255, 105]);
    const values = byteCodedNumbers({ bytes, bias: 100 });
    const v: ParsedVariable = { name: 'q', label: 'Q', type: 'single', valueLabels: [{ code: 1, label: 'One' }], missing: { values: [] }, values };
    encodeVariable(v, 4);
    expect(byteCodesOf(values)).toBeDefined();
    expect(Array.from(values.values)).toEqual([1, 2, Number.NaN, 5]);
    // Read as numbers, the numbers are the answers from then on.
    expect(byteCodesOf(values)).toBeUndefined();

    // A compressed .sav read for the preview: its labelled numerics stay bytes through the first
    // rows, samples and counts, which show what the numbers would.
    const read = await readSurvey(path.join(import.meta.dirname, 'spss', 'fixtures', 'pspp_utf8_compressed.sav'));
    const labelled = read.survey.variables.filter((x) => byteCodesOf(x.values));
    expect(labelled.length).toBeGreaterThan(0);
    const columns = read.columns;
    const shown = read.firstRows.map((row) => labelled.map((x) => row[read.survey.variables.indexOf(x)]));
    expect(labelled.every((x) => byteCodesOf(x.values))).toBe(true);
    const numbers = labelled.map((x) => Array.from((x.values as { values: Float64Array }).values));
    expect(shown).toEqual(read.firstRows.map((_, r) => numbers.map((a) => (Number.isNaN(a[r]!) ? '' : String(a[r])))));
    for (const [k, x] of labelled.entries()) {
      const column = columns.find((c) => c.name === x.name)!;
      expect(column.nonEmpty).toBe(numbers[k]!.filter((n) => !Number.isNaN(n)).length);
    }
  });
});

