import fs from 'node:fs';
import path from 'node:path';
import { createProjectThroughUi, expect, test } from './fixtures';

const VTT = [
  'WEBVTT',
  '',
  '00:00:01.000 --> 00:00:04.000',
  '<v Interviewer>How do you keep track of your models?</v>',
  '',
  '00:00:04.500 --> 00:00:09.000',
  '<v Maria>We keep every version in a model registry.</v>',
].join('\n');

test('Ctrl+Z undoes a participant attribute edit, a speaker rename and removing a transcript; Ctrl+Shift+Z redoes', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Undo edits');
  const nav = page.getByRole('navigation', { name: 'Sections' });

  await nav.getByRole('link', { name: 'Participants' }).click();
  await page.getByTestId('new-participant').fill('P01');
  await page.getByTestId('new-participant').press('Enter');
  await expect(page.getByLabel('Name of P01')).toBeVisible();
  await page.getByTestId('new-attribute').fill('role');
  await page.getByTestId('add-attribute').click();
  const cell = page.getByTestId('cell-P01-role');
  await cell.fill('engineer');
  await cell.press('Enter');
  await expect(cell).toHaveValue('engineer');
  await cell.fill('manager');
  await cell.press('Enter');
  await expect(cell).toHaveValue('manager');

  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Set role of P01 to “manager”')).toBeVisible();
  await expect(cell).toHaveValue('engineer');
  await page.keyboard.press('Control+Shift+z');
  await expect(cell).toHaveValue('manager');

  const file = path.join(app.dir, 'maria.vtt');
  fs.writeFileSync(file, VTT);
  const { documents } = await app.call('transcripts.import', { files: [{ path: file }] });
  await page.evaluate(`window.location.hash = '#/transcripts/${documents[0]?.id ?? 0}'`);
  const name = page.getByLabel('Name shown for Maria');
  await expect(name).toHaveValue('Maria');
  await name.fill('Maria Lopez');
  await name.press('Enter');
  await expect(page.getByLabel('Participant for Maria Lopez')).toBeVisible();

  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Rename speaker Maria → Maria Lopez')).toBeVisible();
  await expect(name).toHaveValue('Maria');
  await expect(page.getByLabel('Participant for Maria')).toBeVisible();

  // The same history, seen by the core: the rename is next to redo, the import and the attribute edits before it.
  const history = await app.call('history.list', {});
  expect(history.slice(0, 4).map((o) => [o.label, o.state])).toEqual([
    ['Rename speaker Maria → Maria Lopez', 'undone'],
    ['Import transcript maria.vtt', 'done'],
    ['Set role of P01 to “manager”', 'done'],
    ['Set role of P01 to “engineer”', 'done'],
  ]);

  // Removing the transcript is undone too: it comes back in the list, searchable again.
  await nav.getByRole('link', { name: 'Transcripts' }).click();
  await expect(page.getByTestId('document-row')).toHaveCount(1);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('document-row').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('document-row')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone: Delete transcript maria')).toBeVisible();
  await expect(page.getByTestId('document-row')).toHaveCount(1);
  expect((await app.call('search.run', { query: '"model registry"' })).total).toBe(1);
});
