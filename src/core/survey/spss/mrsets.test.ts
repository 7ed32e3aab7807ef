import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../testing/index';
import { U8_MISSING } from '../columns';
import { loadColumn } from '../store';
import { readSpssFile } from './index';
import { fixture, strs, variable } from './test-helpers';

/**
 * Multiple-dichotomy sets in fixtures/pspp_mrsets.sav (written by PSPP from make-pspp-mrsets.sps):
 * $drinks counts the string "Yes" over three A3 variables (juice declares "DK" user-missing),
 * $travel counts the number 2 (walk declares 9 missing), $colours counts "x" and names its
 * options by the counted value's labels (CATEGORYLABELS=COUNTEDVALUES), $shades also takes its
 * label from its first variable (LABELSOURCE=VARLABEL).
 */
describe('SPSS multiple-dichotomy sets with string and non-1 counted values', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  it('the reader keeps the sets, their counted values and the answers as written', () => {
    const s = readSpssFile(fixture('pspp_mrsets.sav'));
    expect(s.multipleResponseSets).toEqual([
      { name: 'drinks', label: 'Drinks you like', kind: 'dichotomy', countedValue: 'Yes', variables: ['tea', 'coffee', 'juice'] },
      { name: 'travel', label: 'How do you travel?', kind: 'dichotomy', countedValue: 2, variables: ['bus', 'car', 'walk'] },
      { name: 'colours', label: '', kind: 'dichotomy', countedValue: 'x', variables: ['red', 'blue'] },
      { name: 'shades', label: 'Which greys and greens do you like?', kind: 'dichotomy', countedValue: 'y', variables: ['green', 'grey'] },
    ]);
    expect(strs(variable(s, 'tea'))).toEqual(['Yes', 'No', 'Yes', null, 'No']);
    expect(variable(s, 'tea')).toMatchObject({ type: 'multi', questionGroup: 'drinks', optionLabel: 'Tea', meta: { countedValue: 'Yes' } });
    expect(variable(s, 'red').optionLabel).toBe('Red chosen');
    expect(variable(s, 'green')).toMatchObject({ groupLabel: 'Which greys and greens do you like?', optionLabel: 'Green' });
  });

  it('imports each member as a 0/1 option: counted value 1, other answers 0, missing where SPSS has none', async () => {
    const imported = await t.call('survey.import', { path: fixture('pspp_mrsets.sav'), wave: '2025' });
    expect(imported).toMatchObject({ format: 'sav', rowCount: 5, variableCount: 11 });
    const vars = await t.call('survey.variables', { datasetId: imported.datasetId });
    const byName = new Map(vars.map((v) => [v.name, v]));
    const db = t.core.currentProject()!.db;
    const stored = (name: string): number[] => {
      const column = loadColumn(db, byName.get(name)!.id);
      expect(column.encoding).toBe('u8');
      return Array.from(column.values as Uint8Array);
    };
    const M = U8_MISSING;

    // String counted value "Yes": "No" and a blank are answers that are not "Yes"; "DK" is declared missing.
    expect(stored('tea')).toEqual([1, 0, 1, 0, 0]);
    expect(stored('coffee')).toEqual([0, 0, 1, 0, 1]);
    expect(stored('juice')).toEqual([1, M, 0, 0, 1]);
    // Numeric counted value 2: 1 is "not mentioned", system-missing and the user-missing 9 are no answer.
    expect(stored('bus')).toEqual([1, 0, 1, M, 0]);
    expect(stored('car')).toEqual([0, 1, 1, 0, 0]);
    expect(stored('walk')).toEqual([0, M, 0, 1, 0]);
    // "x" or blank: the blank is the option not chosen.
    expect(stored('red')).toEqual([1, 1, 0, 1, 0]);
    expect(stored('blue')).toEqual([1, 0, 1, 0, 0]);
    expect(stored('green')).toEqual([1, 1, 0, 0, 1]);
    expect(stored('grey')).toEqual([0, 1, 1, 0, 0]);

    for (const name of ['tea', 'coffee', 'juice', 'bus', 'car', 'walk', 'red', 'blue', 'green', 'grey']) expect(byName.get(name)!.type).toBe('multi');
    const tea = byName.get('tea')!;
    expect(tea).toMatchObject({ questionGroup: 'drinks', groupLabel: 'Drinks you like', optionLabel: 'Tea', valid: 5, missingCount: 0 });
    expect(tea.valueLabels.map((l) => [l.code, l.label, l.count])).toEqual([
      [0, 'Not selected', 3],
      [1, 'Likes it', 2],
    ]);
    const juice = byName.get('juice')!;
    expect([juice.valid, juice.missingCount]).toEqual([4, 1]);
    expect(juice.valueLabels.map((l) => [l.code, l.label, l.count])).toEqual([
      [0, 'Not selected', 2],
      [1, 'Likes it', 2],
    ]);
    const walk = byName.get('walk')!;
    expect(walk).toMatchObject({ questionGroup: 'travel', groupLabel: 'How do you travel?', optionLabel: 'On foot', valid: 4, missingCount: 1 });
    expect(walk.valueLabels.map((l) => [l.code, l.label, l.count])).toEqual([
      [0, 'Not selected', 3],
      [1, 'Mentioned', 1],
    ]);
    const red = byName.get('red')!;
    // A set without a label is named by its name; CATEGORYLABELS=COUNTEDVALUES names the option by the counted value's label.
    expect(red).toMatchObject({ questionGroup: 'colours', groupLabel: 'colours', optionLabel: 'Red chosen' });
    expect(red.valueLabels.map((l) => [l.code, l.label, l.count])).toEqual([
      [0, 'Not selected', 2],
      [1, 'Red chosen', 3],
    ]);
    expect(byName.get('grey')).toMatchObject({ questionGroup: 'shades', groupLabel: 'Which greys and greens do you like?', optionLabel: 'Grey' });
    expect(byName.get('resp')!.type).toBe('numeric');
  });

  it('the preview shows each member with the 0/1 labels the import stores, not the file labels', async () => {
    const preview = await t.call('survey.preview', { path: fixture('pspp_mrsets.sav') });
    const imported = await t.call('survey.import', { path: fixture('pspp_mrsets.sav'), wave: '2025' });
    const stored = await t.call('survey.variables', { datasetId: imported.datasetId });
    for (const name of ['tea', 'juice', 'walk', 'red', 'green']) {
      const shown = preview.columns.find((c) => c.name === name)!.valueLabels.map((l) => [l.code, l.label]);
      expect(shown, name).toEqual(stored.find((v) => v.name === name)!.valueLabels.map((l) => [l.code, l.label]));
    }
    expect(preview.columns.find((c) => c.name === 'tea')!.valueLabels.map((l) => l.label)).toEqual(['Not selected', 'Likes it']);
  });
});
