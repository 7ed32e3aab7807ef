import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { parseNumber } from './accumulate';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

describe('large whole numbers', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  it('reads a whole number past 2^53 as text, and any exact number as a number', () => {
    expect(parseNumber('9007199254740991')).toBe(9007199254740991);
    expect(parseNumber('9007199254740993')).toBeNaN();
    expect(parseNumber('-90071992547409931')).toBeNaN();
    expect(parseNumber('4294967296')).toBe(4294967296);
    expect(parseNumber('1e20')).toBe(1e20);
    expect(parseNumber('12345678901234567.5')).toBe(Number('12345678901234567.5'));
  });

  it('Qualtrics recodes past 2^31 stay categories with their numbers; card numbers stay exact text; nothing is refused', async () => {
    const result = await t.call('survey.import', { path: fixture('qualtrics_large_codes.csv') }, 'j');
    expect(result.summary).toMatchObject({ respondents: 5, questionsByType: { single: 1, numeric: 1 }, metadataColumns: ['Q3'], warnings: [] });
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const byName = new Map(variables.map((v) => [v.name, v]));
    // Q1 by hand: 3000000000 for R_1 and R_3, 3000000001 for R_2 and R_5, 4294967296 for R_4.
    expect(byName.get('Q1')!.valueLabels.map((l) => [l.code, l.count])).toEqual([
      [3000000000, 2],
      [3000000001, 2],
      [4294967296, 1],
    ]);
    const rows = await t.call('survey.rows', { datasetId: result.datasetId, variableIds: ['Q2', 'Q3'].map((n) => byName.get(n)!.id) });
    expect(rows.rows.map((r) => r.cells)).toEqual([
      [52000, '90071992547409931'],
      [61000, '90071992547409932'],
      [null, '90071992547409933'],
      [75000, '90071992547409934'],
      [5000000000, '90071992547409935'],
    ]);
    const table = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [result.datasetId] }, rows: [{ ref: 'Q1' }] } });
    expect(table.groups[0]!.rows.map((r) => [r.label, r.cells[0]!.count])).toEqual([
      ['3000000000', 2],
      ['3000000001', 2],
      ['4294967296', 1],
    ]);
    // Such a question is edited like any other: 3000000001 merged into 3000000000 makes 4.
    await t.call('survey.editVariable', { variableId: byName.get('Q1')!.id, merge: { answers: [3000000000, 3000000001], label: 'Basic' }, type: 'ordinal' });
    const merged = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [result.datasetId] }, rows: [{ ref: 'Q1' }] } });
    expect(merged.groups[0]!.rows.filter((r) => r.kind === 'category').map((r) => [r.label, r.cells[0]!.count])).toEqual([
      ['Basic', 4],
      ['4294967296', 1],
    ]);
  });

  it('a plain CSV: large recodes are numbers, 17-digit account numbers are kept as text', async () => {
    const preview = await t.call('survey.preview', { path: fixture('large_numbers.csv') });
    const types = Object.fromEntries(preview.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({ respondent: 'id', segment: 'numeric', household_income: 'numeric', account: 'metadata' });
    const result = await t.call('survey.import', { path: fixture('large_numbers.csv') }, 'j');
    const variables = await t.call('survey.variables', { datasetId: result.datasetId });
    const ids = ['segment', 'account'].map((n) => variables.find((v) => v.name === n)!.id);
    const rows = await t.call('survey.rows', { datasetId: result.datasetId, variableIds: ids });
    expect(rows.rows.map((r) => r.cells)).toEqual([
      [3000000000, '90071992547409931'],
      [3000000001, '90071992547409932'],
      [3000000000, '90071992547409933'],
      [4294967296, '90071992547409934'],
      [3000000001, '90071992547409935'],
      [3000000000, '90071992547409936'],
    ]);
    // Retyped to a single choice, the recodes become categories (3000000000 three times).
    const segment = await t.call('survey.editVariable', { variableId: ids[0]!, type: 'single' });
    expect(segment.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['3000000000', 3],
      ['3000000001', 2],
      ['4294967296', 1],
    ]);
  });
});
