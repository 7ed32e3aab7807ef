import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TableResult } from '../../shared/contract/tables';
import { createTestCore, failure, type TestCore } from '../testing/index';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'variables', name);

/**
 * edits.csv, by hand (region / rating / apple / pear / remark):
 *   1 North 5 Apple -    Good     5 South 5 Apple -    Fine
 *   2 North 4 Apple Pear Bad      6 South 1 -     -    Bad
 *   3 North 4 -     Pear Good     7 South 2 -     Pear Good
 *   4 South 2 -     -    -        8 North 3 Apple Pear Fine
 */

/** Each row's label with its count per column (Total, North, South) and column % where asked. */
function counts(result: TableResult): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const row of result.groups[0]!.rows) out[row.label] = row.cells.map((c) => (row.kind === 'mean' ? Number(c.mean!.toFixed(4)) : c.count));
  return out;
}

describe('editing variables after the import', () => {
  let t: TestCore;
  let datasetId: number;
  const variable = async (name: string) => (await t.call('survey.variables', { datasetId })).find((v) => v.name === name)!;
  const table = (ref: string) => t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref }], banner: ['region'] } });

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    datasetId = (await t.call('survey.import', { path: fixture('edits.csv'), name: 'Edits' }, 'job')).datasetId;
  });
  afterEach(() => t.cleanup());

  it('retypes numeric → single: the crosstab follows at once, and undo brings the means back', async () => {
    const before = await table('rating');
    expect(before.groups[0]!.kind).toBe('numeric');
    const mean = before.groups[0]!.rows.find((r) => r.kind === 'mean')!;
    // Total 26/8, North (5+4+4+3)/4, South (2+5+1+2)/4.
    expect(mean.cells.map((c) => c.mean)).toEqual([3.25, 4, 2.5]);

    const rating = await variable('rating');
    const edited = await t.call('survey.editVariable', { variableId: rating.id, type: 'single' });
    expect(edited.type).toBe('single');
    expect(edited.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 1],
      ['4', 2],
      ['5', 2],
    ]);
    const after = await table('rating');
    expect(after.groups[0]!.kind).toBe('single');
    expect(counts(after)).toEqual({ '1': [1, 0, 1], '2': [2, 0, 2], '3': [1, 1, 0], '4': [2, 2, 0], '5': [2, 1, 1] });
    expect(after.groups[0]!.rows.find((r) => r.label === '4')!.cells[1]!.colPct).toBe(50);

    expect((await t.call('history.state', {})).undoLabel).toBe('Retype rating as single');
    await t.call('history.undo', {});
    const undone = await table('rating');
    expect(undone.groups[0]!.kind).toBe('numeric');
    expect(undone.groups[0]!.rows.find((r) => r.kind === 'mean')!.cells.map((c) => c.mean)).toEqual([3.25, 4, 2.5]);
    expect((await variable('rating')).valueLabels).toEqual([]);

    await t.call('history.redo', {});
    expect(counts(await table('rating'))).toEqual(counts(after));
  });

  it('merges, reorders and marks answers missing, each one undoable step', async () => {
    const rating = await variable('rating');
    await t.call('survey.editVariable', { variableId: rating.id, type: 'ordinal' });
    await t.call('survey.editVariable', { variableId: rating.id, merge: { answers: ['4', '5'], label: '4-5' } });
    // North: 3 → 1, 4-5 → 3 of 4; South: 1 → 1, 2 → 2, 4-5 → 1 of 4.
    expect(counts(await table('rating'))).toMatchObject({ '1': [1, 0, 1], '2': [2, 0, 2], '3': [1, 1, 0], '4-5': [4, 3, 1] });
    await t.call('survey.editVariable', { variableId: rating.id, order: ['4-5', '3'] });
    expect((await variable('rating')).valueLabels.map((l) => l.label)).toEqual(['4-5', '3', '1', '2']);
    await t.call('survey.editVariable', { variableId: rating.id, missing: ['1'] });
    const missing = await table('rating');
    // Respondent 6 (South, 1) leaves the base: South 3, Total 7.
    expect(missing.groups[0]!.bases.map((b) => b.unweighted)).toEqual([7, 4, 3]);
    expect(Object.keys(counts(missing))).not.toContain('1');
    const v = await variable('rating');
    expect([v.valid, v.missingCount]).toEqual([7, 1]);

    await t.call('history.undo', {});
    expect((await table('rating')).groups[0]!.bases.map((b) => b.unweighted)).toEqual([8, 4, 4]);
    await t.call('history.undo', {});
    expect((await variable('rating')).valueLabels.map((l) => l.label)).toEqual(['1', '2', '3', '4-5']);
    await t.call('history.undo', {});
    expect((await variable('rating')).valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 1],
      ['4', 2],
      ['5', 2],
    ]);
    expect(counts(await table('rating'))['5']).toEqual([2, 1, 1]);
  });

  it('changes the question text and marks a numeric value missing', async () => {
    const rating = await variable('rating');
    await t.call('survey.editVariable', { variableId: rating.id, label: 'How do you rate it?', missing: ['1'] });
    const v = await variable('rating');
    expect(v.label).toBe('How do you rate it?');
    expect(v.missing.values).toEqual([1]);
    // Respondent 6's 1 is out: South (2+5+2)/3, Total 25/7.
    const mean = (await table('rating')).groups[0]!.rows.find((r) => r.kind === 'mean')!;
    expect(mean.cells.map((c) => Number(c.mean!.toFixed(4)))).toEqual([Number((25 / 7).toFixed(4)), 4, 3]);
    await t.call('history.undo', {});
    expect((await variable('rating')).label).toBe('rating');
  });

  it('groups one-column-per-option columns into a multi-select, and ungroups them', async () => {
    const apple = await variable('fruit_apple');
    const pear = await variable('fruit_pear');
    await t.call('survey.groupVariables', { variableIds: [apple.id, pear.id], group: 'fruit', groupLabel: 'Which fruit do you like?' });
    const result = await table('fruit');
    expect(result.groups[0]!.kind).toBe('multi');
    // Answered (chose any): rows 1,2,3,5,7,8; North 1,2,3,8; South 5,7.
    expect(result.groups[0]!.bases.map((b) => b.unweighted)).toEqual([6, 4, 2]);
    expect(counts(result)).toEqual({ Apple: [4, 3, 1], Pear: [4, 3, 1] });
    const grouped = await variable('fruit_apple');
    expect(grouped).toMatchObject({ type: 'multi', questionGroup: 'fruit', groupLabel: 'Which fruit do you like?', optionLabel: 'Apple', valid: 6, missingCount: 2 });

    await t.call('survey.groupVariables', { variableIds: [apple.id, pear.id], group: null });
    const ungrouped = await variable('fruit_apple');
    expect(ungrouped).toMatchObject({ type: 'single', questionGroup: null });
    expect(ungrouped.valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['Not selected', 2],
      ['Selected', 4],
    ]);
    await t.call('history.undo', {});
    await t.call('history.undo', {});
    const back = await variable('fruit_apple');
    expect(back).toMatchObject({ type: 'single', questionGroup: null, optionLabel: null, valid: 4, missingCount: 4 });
    expect(back.valueLabels.map((l) => [l.label, l.count])).toEqual([['Apple', 4]]);
    const gone = await failure(t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'fruit' }] } }));
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('retypes a choice to open text: a searchable document appears, and goes again on undo', async () => {
    const remark = await variable('remark');
    expect(remark.type).toBe('single');
    await t.call('survey.editVariable', { variableId: remark.id, type: 'text' });
    const docs = await t.call('documents.list', {});
    const doc = docs.find((d) => d.name.includes('remark'))!;
    expect(doc).toBeDefined();
    const hits = await t.call('search.run', { query: 'Fine' });
    // Respondents 5 and 8 wrote "Fine".
    expect(hits.hits.filter((h) => h.documentId === doc.id)).toHaveLength(2);
    await t.call('history.undo', {});
    expect((await t.call('documents.list', {})).some((d) => d.id === doc.id)).toBe(false);
    expect((await t.call('search.run', { query: 'Fine' })).hits).toHaveLength(0);
    expect((await variable('remark')).valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['Bad', 2],
      ['Fine', 2],
      ['Good', 3],
    ]);
    await t.call('history.redo', {});
    expect((await t.call('search.run', { query: 'Fine' })).hits).toHaveLength(2);
    // Back to a choice: answers ordered by how often they were given (ties alphabetically).
    await t.call('survey.editVariable', { variableId: remark.id, type: 'single' });
    expect((await variable('remark')).valueLabels.map((l) => [l.label, l.count])).toEqual([
      ['Good', 3],
      ['Bad', 2],
      ['Fine', 2],
    ]);
    expect((await t.call('search.run', { query: 'Fine' })).hits).toHaveLength(0);
  });

  it('refuses, naming the answer, a retype that does not fit, and leaves the variable as it was', async () => {
    const region = await variable('region');
    const error = await failure(t.call('survey.editVariable', { variableId: region.id, type: 'numeric' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).toBe('region cannot be numeric: respondent 1 answered "North", which is not a number.');
    expect((await failure(t.call('survey.editVariable', { variableId: region.id, order: ['West'] }))).message).toBe(
      'region has no answer "West"; its answers are "North", "South".',
    );
    expect((await variable('region')).type).toBe('single');
    expect((await t.call('history.state', {})).undoLabel).toBe('Import survey edits.csv');
  });
});
