import fs from 'node:fs';
import path from 'node:path';
import type { CoreEvent } from '../src/shared/events';
import { dropFiles } from './drop';
import { chooseFiles, createProjectThroughUi, expect, ROOT, screenshotPath, test } from './fixtures';

const FIXTURES = path.join(ROOT, 'src', 'core', 'survey', 'fixtures');

test('import a Qualtrics export through the preview, see its variables, respondents and a second wave matched', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Library survey');
  await expect(page.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();

  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [path.join(FIXTURES, 'qualtrics_2024.csv')]);
  const preview = page.getByTestId('survey-preview');
  await expect(preview).toBeVisible();
  await expect(page.getByTestId('survey-format')).toHaveText('qualtrics');
  const columns = page.getByTestId('survey-preview-columns');
  await expect(columns.getByLabel('Type of Q1')).toHaveValue('ordinal');
  await expect(columns.getByLabel('Question text of Q1')).toHaveValue('How satisfied are you with the library?');
  await expect(columns.getByLabel('Type of ResponseId')).toHaveValue('id');
  // The user renames a question before importing.
  await columns.getByLabel('Question text of Q4').fill('Age in years');
  await page.getByTestId('survey-wave').fill('2024');
  await page.screenshot({ path: screenshotPath('survey-preview.png') });
  await page.getByTestId('survey-import-confirm').click();
  await page.getByTestId('import-summary-done').click();

  const variables = page.getByTestId('variables-table');
  await expect(variables).toBeVisible();
  const q1 = variables.getByRole('row').filter({ hasText: 'How satisfied are you with the library?' });
  await expect(q1).toContainText('Ordinal / Likert');
  await expect(q1).toContainText('Somewhat satisfied: 2');
  await expect(variables.getByRole('row').filter({ hasText: 'Borrowing books' })).toContainText('3 selected');
  await expect(variables).toContainText('Age in years');
  await expect(page.getByTestId('dataset-item')).toContainText('wave 2024');
  await page.screenshot({ path: screenshotPath('survey-variables.png') });

  // The same project, seen by the core.
  const [dataset] = await app.call('survey.datasets', {});
  expect(dataset).toMatchObject({ name: 'qualtrics_2024', wave: '2024', rowCount: 5, format: 'qualtrics' });

  await page.getByTestId('data-tab-respondents').click();
  await expect(page.getByTestId('grid-count')).toContainText('5 respondents');
  const grid = page.getByTestId('respondent-grid');
  await expect(grid).toContainText('R_001');
  await grid.getByRole('button', { name: 'Sort by Q1' }).click();
  await expect(grid.locator('tbody tr').first()).toContainText('R_003');
  await grid.getByLabel('Filter Q4').fill('>40');
  await expect(page.getByTestId('grid-count')).toContainText('2 respondents match');

  // A second wave from another tool: its questions are proposed as matches to confirm.
  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [path.join(FIXTURES, 'surveymonkey_2025.csv')]);
  await expect(page.getByTestId('survey-format')).toHaveText('surveymonkey');
  await page.getByTestId('survey-wave').fill('2025');
  await page.getByTestId('survey-import-confirm').click();
  await page.getByTestId('import-summary-done').click();
  await expect(page.getByTestId('dataset-item')).toHaveCount(2);
  await page.getByTestId('data-tab-waves').click();
  const matches = page.getByTestId('wave-matches');
  const satisfaction = matches.getByRole('row').filter({ hasText: 'How satisfied are you with the library?' });
  await expect(satisfaction).toContainText('2024');
  await expect(satisfaction).toContainText('2025');
  await satisfaction.getByRole('button', { name: 'Same question' }).click();
  await expect(satisfaction).toContainText('confirmed');
  const confirmed = (await app.call('survey.waveMatches', {})).filter((m) => m.confirmed);
  expect(confirmed.some((m) => m.variables.some((v) => v.label === 'How satisfied are you with the library?'))).toBe(true);
});

test('a bad file is refused with its line, and the grid scrolls 100,000 respondents', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Big survey');
  const bad = path.join(app.dir, 'broken.csv');
  fs.writeFileSync(bad, 'id,answer\n1,"yes\n2,no\n');
  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [bad]);
  await expect(page.getByTestId('survey-preview-error')).toContainText('line 2, column 3: a quoted cell is never closed');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const big = path.join(app.dir, 'big.csv');
  const lines = ['id,score,colour,when'];
  for (let i = 1; i <= 100_000; i++) lines.push(`${i},${i % 10},${['red', 'green', 'blue'][i % 3]},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
  fs.writeFileSync(big, lines.join('\n'));
  await app.call('survey.import', { path: big, wave: 'big' });
  // The core tells the page the project changed: the new dataset appears without a reload.
  await page.getByTestId('data-tab-respondents').click();
  await expect(page.getByTestId('grid-count')).toContainText('100,000 respondents');
  const grid = page.getByTestId('respondent-grid');
  // Only the rows on screen are in the page, however many respondents there are.
  expect(await grid.locator('tbody tr').count()).toBeLessThan(120);
  const started = Date.now();
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(grid.locator('tbody tr[data-row="99999"]')).toBeVisible();
  expect(Date.now() - started).toBeLessThan(5000);
  await expect(grid.locator('tbody tr[data-row="99999"]')).toContainText('100000');
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect
    .poll(() =>
      grid.evaluate((el) => {
        const rows = el.querySelectorAll('tbody tr[data-row]');
        const row = rows[Math.floor(rows.length / 2)];
        return row ? Math.abs(Number(row.getAttribute('data-row')) - 50_000) : Number.POSITIVE_INFINITY;
      }),
    )
    .toBeLessThan(200);
  await page.screenshot({ path: screenshotPath('survey-grid.png') });

  // The wave label can be changed after import.
  page.once('dialog', (dialog) => void dialog.accept('2026'));
  await page.getByTestId('dataset-wave').click();
  await expect(page.getByTestId('dataset-item')).toContainText('wave 2026');
  expect((await app.call('survey.datasets', {}))[0]!.wave).toBe('2026');
});

test('a Qualtrics export dropped on the Data page goes to the same preview and imports', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Dropped survey');
  await expect(page.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();
  // Dropped on the empty page's invitation; the whole page is the drop zone and lights up while dragging.
  const invitation = page.getByText('You can also drop files here');
  await dropFiles(invitation, [path.join(FIXTURES, 'qualtrics_2024.csv')], async () => {
    await expect(page.locator('.page.data-dragging')).toBeVisible();
    // Dragging on over a child of the page keeps the highlight; leaving the page drops it.
    const child = await invitation.elementHandle();
    await page.locator('.page').dispatchEvent('dragleave', { relatedTarget: child });
    await expect(page.locator('.page.data-dragging')).toBeVisible();
    await page.locator('.page').dispatchEvent('dragleave', { relatedTarget: null });
    await expect(page.locator('.page.data-dragging')).toHaveCount(0);
    await invitation.dispatchEvent('dragover');
    await expect(page.locator('.page.data-dragging')).toBeVisible();
  });
  await expect(page.locator('.page.data-dragging')).toHaveCount(0);
  await expect(page.getByTestId('survey-preview')).toBeVisible();
  await expect(page.getByTestId('survey-format')).toHaveText('qualtrics');
  await expect(page.getByTestId('survey-preview-columns').getByLabel('Question text of Q1')).toHaveValue('How satisfied are you with the library?');
  // A second drop while the dialog is open does not replace it (it could be an import in progress).
  await dropFiles(page.locator('.page'), [path.join(FIXTURES, 'google_forms.csv')]);
  await expect(page.getByTestId('toast-info')).toContainText('An import is open');
  await expect(page.getByTestId('survey-format')).toHaveText('qualtrics');
  await page.getByTestId('survey-wave').fill('2024');
  await page.getByTestId('survey-import-confirm').click();
  await page.getByTestId('import-summary-done').click();

  const variables = page.getByTestId('variables-table');
  await expect(variables.getByRole('row').filter({ hasText: 'How satisfied are you with the library?' })).toContainText('Ordinal / Likert');
  const [dataset] = await app.call('survey.datasets', {});
  expect(dataset).toMatchObject({ name: 'qualtrics_2024', wave: '2024', sourceFile: 'qualtrics_2024.csv', rowCount: 5, format: 'qualtrics' });
});

test('Cancel while an import is being saved leaves no dataset, and the next import works', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Cancelled survey');
  // Big enough that saving (answers, open-answer documents, their search index) takes seconds.
  const big = path.join(app.dir, 'big-survey.csv');
  const words = ['price', 'delivery', 'support', 'quality', 'speed', 'the app', 'my order', 'was late', 'was great', 'crashed'];
  const lines = ['id,score,colour,comment1,comment2,comment3,comment4'];
  for (let r = 1; r <= 300_000; r++) {
    const open = [0, 1, 2, 3].map((i) => `${words[(r + i) % 10]} then ${words[(r * 7 + i) % 10]} (${r})`);
    lines.push([r, r % 5, ['red', 'green', 'blue'][r % 3], ...open].join(','));
  }
  fs.writeFileSync(big, lines.join('\n'));

  const saving: string[] = [];
  let writeSeenOpen = false;
  const stop = app.core.onEvent((event: CoreEvent) => {
    if (event.type !== 'progress' || !event.message.startsWith('Saving ')) return;
    saving.push(event.message);
    writeSeenOpen ||= app.core.currentProject()?.writing ?? false;
  });
  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [big]);
  await expect(page.getByTestId('survey-preview')).toBeVisible();
  await page.getByTestId('survey-import-confirm').click();
  const progress = page.getByTestId('progress-dialog');
  // The moment the dialog says it is saving a variable, the user clicks Cancel.
  await progress.getByText(/^Saving .+ \(\d+ of \d+\)$/).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('survey-saving.png') });
  await page.getByRole('dialog').filter({ has: progress }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('toast-info')).toContainText('Cancelled. Nothing was changed.');
  await expect(progress).toBeHidden();
  stop();
  expect(writeSeenOpen).toBe(true);
  expect(saving.some((m) => /\(\d+ of \d+\)$/.test(m))).toBe(true);
  expect(await app.call('survey.datasets', {})).toEqual([]);
  expect(await app.call('documents.list', {})).toEqual([]);
  expect(app.core.currentProject()?.writing).toBe(false);

  // The preview is still there: close it, then drop a small file; the project takes it.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await dropFiles(page.locator('.page'), [path.join(FIXTURES, 'google_forms.csv')]);
  await expect(page.getByTestId('survey-preview')).toBeVisible();
  await page.getByTestId('survey-import-confirm').click();
  await page.getByTestId('import-summary-done').click();
  await expect(page.getByTestId('dataset-item')).toHaveCount(1);
  expect((await app.call('survey.datasets', {})).map((d) => d.sourceFile)).toEqual(['google_forms.csv']);
});

test('import an SPSS .sav through the preview: question texts, value labels, dates and text as SPSS has them', async ({ page, app }) => {
  await createProjectThroughUi(page, 'SPSS study');
  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [path.join(ROOT, 'src', 'core', 'survey', 'spss', 'fixtures', 'pspp_utf8_compressed.sav')]);
  await expect(page.getByTestId('survey-preview')).toBeVisible();
  await expect(page.getByTestId('survey-format')).toHaveText('sav');
  const columns = page.getByTestId('survey-preview-columns');
  const satisfaction = 'satisfaction_with_the_service_overall';
  await expect(columns.getByLabel(`Type of ${satisfaction}`)).toHaveValue('ordinal');
  await expect(columns.getByLabel(`Question text of ${satisfaction}`)).toHaveValue('How satisfied are you – overall?');
  await expect(columns.getByLabel('Type of visited')).toHaveValue('date');
  // A date column's samples are days, not the milliseconds they are stored as.
  await expect(columns.getByRole('row').filter({ hasText: 'visited' })).toContainText('2024-03-15');
  await expect(columns.getByLabel('Type of city')).toHaveValue('text');
  await page.getByTestId('survey-wave').fill('2024');
  await page.getByTestId('survey-import-confirm').click();
  await page.getByTestId('import-summary-done').click();

  const variables = page.getByTestId('variables-table');
  await expect(variables).toBeVisible();
  const rating = variables.getByRole('row').filter({ hasText: 'How satisfied are you – overall?' });
  await expect(rating).toContainText('Ordinal / Likert');
  await expect(rating).toContainText('Very: 1');
  await expect(variables.getByRole('row').filter({ hasText: 'longcode' })).toContainText('First pair');
  const [dataset] = await app.call('survey.datasets', {});
  expect(dataset).toMatchObject({ wave: '2024', rowCount: 4, format: 'sav' });

  await page.getByTestId('data-tab-respondents').click();
  await expect(page.getByTestId('grid-count')).toContainText('4 respondents');
  await expect(page.getByTestId('respondent-grid')).toContainText('Zürich café');
});

test('the preview shows each guess with its reason; the user changes a type and a scale order before importing, and the Data page shows them', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Guesses');
  await chooseFiles(page, () => page.getByTestId('import-survey').click(), [path.join(FIXTURES, 'qualtrics_2024.csv')]);
  const columns = page.getByTestId('survey-preview-columns');
  await expect(columns.getByTestId('reason-Q2')).toHaveText('multi-select: answers are comma-joined option lists (3 options)');
  await expect(columns.getByTestId('reason-Q1')).toHaveText('scale: ordered by meaning (Very dissatisfied … Very satisfied)');
  await expect(columns.getByTestId('reason-StartDate')).toHaveText('metadata: a Qualtrics respondent field');
  await expect(columns.getByTestId('reason-Q4')).toHaveText('numeric: a text-entry box holding only numbers');

  // Age becomes open text; the preview is read again and says whose choice it is.
  await columns.getByLabel('Type of Q4').selectOption('text');
  await expect(columns.getByTestId('reason-Q4')).toHaveText('chosen by you');
  // Q1 runs high to low in this report: Very satisfied first, Very dissatisfied last.
  await columns.getByRole('button', { name: 'Edit answers of Q1' }).click();
  const answers = columns.getByLabel('Answers of Q1, low to high').locator('.data-answer-label');
  await expect(answers).toHaveText(['Very dissatisfied', 'Somewhat satisfied', 'Very satisfied']);
  await columns.getByRole('button', { name: 'Move Very satisfied up' }).click();
  await expect(answers).toHaveText(['Very dissatisfied', 'Very satisfied', 'Somewhat satisfied']);
  await columns.getByRole('button', { name: 'Move Very satisfied up' }).click();
  await expect(answers).toHaveText(['Very satisfied', 'Very dissatisfied', 'Somewhat satisfied']);
  await columns.getByRole('button', { name: 'Move Very dissatisfied down' }).click();
  await expect(answers).toHaveText(['Very satisfied', 'Somewhat satisfied', 'Very dissatisfied']);
  await columns.getByLabel('Status of Somewhat satisfied').selectOption('nonsubstantive');
  await expect(columns.getByTestId('reason-Q1')).toHaveText(
    'scale: ordered by meaning (Very dissatisfied … Very satisfied); order set by you; missing / non-substantive answers set by you',
  );
  await page.screenshot({ path: screenshotPath('survey-preview-guesses.png') });
  await page.getByTestId('survey-import-confirm').click();

  // The summary: counts to check against the file (Q4 is now one more open text).
  const summary = page.getByTestId('import-summary');
  await expect(summary.getByTestId('summary-respondents')).toHaveText('5 respondents');
  await expect(summary.getByTestId('summary-questions')).toHaveText('8 questions: 4 scales, 1 multi-select (3 options), 3 open text.');
  await expect(summary.getByTestId('summary-metadata')).toHaveText(
    '7 metadata columns (kept, not analysed): StartDate, EndDate, Status, Progress, Duration (in seconds), Finished, RecordedDate.',
  );
  await page.screenshot({ path: screenshotPath('survey-import-summary.png') });
  await page.getByTestId('import-summary-done').click();

  const variables = page.getByTestId('variables-table');
  await expect(variables.getByRole('row').filter({ hasText: 'How satisfied are you with the library?' })).toContainText(
    'Very satisfied: 1 · Somewhat satisfied (non-substantive): 2 · Very dissatisfied: 1',
  );
  await expect(variables.getByRole('row').filter({ hasText: 'What is your age?' })).toContainText('Open text');
  const stored = await app.call('survey.variables', {});
  const q1 = stored.find((v) => v.name === 'Q1')!;
  expect(q1.valueLabels.map((l) => [l.code, l.label, l.nonsubstantive])).toEqual([
    [1, 'Very satisfied', false],
    [2, 'Somewhat satisfied', true],
    [3, 'Very dissatisfied', false],
  ]);
  expect(stored.find((v) => v.name === 'Q4')!.type).toBe('text');
});
