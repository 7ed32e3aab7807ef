import path from 'node:path';
import { createProjectThroughUi, expect, ROOT, test } from './fixtures';

const EDITS = path.join(ROOT, 'src', 'core', 'survey', 'fixtures', 'variables', 'edits.csv');

// edits.csv by hand: ratings 5,4,4,2,5,1,2,3 (1 once, 2 twice, 3 once, 4 twice, 5 twice; mean 3.25);
// Apple chosen by respondents 1,2,5,8 and Pear by 2,3,7,8: 6 of 8 chose some fruit.
test('after the import, the Data page retypes, reorders and merges answers and regroups columns; Ctrl+Z takes each back (the import too) and tables follow', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Edits');
  const { datasetId } = await app.call('survey.import', { path: EDITS, name: 'Edits' });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Data' }).click();
  const variables = page.getByTestId('variables-table');
  const rating = variables.getByTestId('variable-row-rating');
  await expect(rating).toContainText('Numeric');
  const mean = async () => {
    const table = await app.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'rating' }] } });
    return table.groups[0]!.kind === 'numeric' ? table.groups[0]!.rows.find((r) => r.kind === 'mean')!.cells[0]!.mean : null;
  };
  expect(await mean()).toBe(3.25);

  // Retype: numeric → ordinal, then move 5 to the top and merge 4 into 5.
  await page.getByRole('button', { name: 'Edit rating' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit rating' });
  await dialog.getByLabel('Type of rating').selectOption('ordinal');
  await dialog.getByTestId('variable-save').click();
  await expect(rating).toContainText('Ordinal / Likert');
  await expect(rating).toContainText('1: 1 · 2: 2 · 3: 1 · 4: 2 · 5: 2');
  expect(await mean()).toBeNull();

  await page.getByRole('button', { name: 'Edit rating' }).click();
  await dialog.getByRole('button', { name: 'Move 5 up' }).click();
  await dialog.getByLabel('1 counts as').selectOption('missing');
  await dialog.getByTestId('variable-save').click();
  await expect(rating).toContainText('1 (missing): 1 · 2: 2 · 3: 1 · 5: 2 · 4: 2');
  await expect(rating.locator('td').nth(7)).toHaveText('1');

  await page.getByRole('button', { name: 'Edit rating' }).click();
  await dialog.getByLabel('Merge 5').check();
  await dialog.getByLabel('Merge 4').check();
  await dialog.getByTestId('variable-merge').click();
  await expect(rating).toContainText('1 (missing): 1 · 2: 2 · 3: 1 · 5: 4');
  const merged = await app.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'rating' }] } });
  expect(merged.groups[0]!.rows.filter((r) => r.kind === 'category').map((r) => [r.label, r.cells[0]!.count])).toEqual([
    ['2', 2],
    ['3', 1],
    ['5', 4],
  ]);

  // Undo, step by step, back to the numbers.
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Merge 2 answers of rating')).toBeVisible();
  await expect(rating).toContainText('1 (missing): 1 · 2: 2 · 3: 1 · 5: 2 · 4: 2');
  await page.keyboard.press('Control+z');
  await expect(rating).toContainText('1: 1 · 2: 2 · 3: 1 · 4: 2 · 5: 2');
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Retype rating as ordinal')).toBeVisible();
  await expect(rating).toContainText('Numeric');
  expect(await mean()).toBe(3.25);

  // Regroup the one-column-per-option fruit columns into a multi-select, then undo it.
  await variables.getByLabel('Select fruit_apple').check();
  await variables.getByLabel('Select fruit_pear').check();
  const bar = page.getByTestId('group-bar');
  await bar.getByLabel('Group name').fill('fruit');
  await bar.getByLabel('Group question text').fill('Which fruit do you like?');
  await bar.getByTestId('group-multi').click();
  const apple = variables.getByTestId('variable-row-fruit_apple');
  await expect(apple).toContainText('Multi-select');
  await expect(apple).toContainText('Which fruit do you like?');
  await expect(apple).toContainText('4 selected');
  const fruit = await app.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'fruit' }] } });
  expect(fruit.groups[0]!.bases[0]!.unweighted).toBe(6);
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Group fruit_apple, fruit_pear as fruit')).toBeVisible();
  await expect(apple).toContainText('Single choice');
  await expect(apple).toContainText('Apple: 4');

  // The import itself is the step before: undone, the dataset goes; redone, it is back as it was.
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Import survey edits.csv')).toBeVisible();
  await expect(variables).toHaveCount(0);
  expect(await app.call('survey.datasets', {})).toEqual([]);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByText('Redone: Import survey edits.csv')).toBeVisible();
  await page.getByTestId('dataset-item').first().click();
  await expect(variables.getByTestId('variable-row-rating')).toContainText('Numeric');
  expect(await mean()).toBe(3.25);
});
