import path from 'node:path';
import { createProjectThroughUi, expect, screenshotPath, test } from './fixtures';

test('create a project, close it, reopen it from Recent, and see the shell', async ({ page, app }) => {
  await expect(page.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
  await createProjectThroughUi(page, 'Cloud native 2025');

  const projectPath = path.join(app.dir, 'appdata', 'projects', 'Cloud native 2025.fieldbook');
  await expect(page.getByTestId('statusbar')).toContainText(projectPath);
  for (const section of ['Data', 'Transcripts', 'Codebook', 'Tables', 'Exports']) {
    await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section })).toBeVisible();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('shell.png') });

  // Keyboard: Alt+6 jumps to Tables.
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { level: 1, name: 'Tables' })).toBeVisible();

  await page.getByRole('button', { name: 'Close project' }).click();
  await expect(page.getByTestId('new-project')).toBeVisible();
  const recent = page.getByRole('region', { name: 'Recent projects' });
  await expect(recent).toContainText('Cloud native 2025');
  await recent.getByRole('button', { name: /Cloud native 2025/ }).click();
  await expect(page.getByTestId('statusbar')).toContainText(projectPath);

  // The same file, seen by the core: it is open and it is a Fieldbook project at the latest schema.
  const info = await app.call('project.info', {});
  expect(info.path).toBe(projectPath);
  expect(info.schemaVersion).toBe(info.appSchemaVersion);
});

test('opening a file that is not a project shows a clear message and stays on the start screen', async ({ page, app }) => {
  const fs = await import('node:fs');
  const bogus = path.join(app.dir, 'notes.fieldbook');
  fs.writeFileSync(bogus, 'not a database');
  await page.getByTestId('open-project').click();
  await page.getByTestId('open-path').fill(bogus);
  await page.getByTestId('open-path-submit').click();
  await expect(page.getByTestId('toast-error')).toContainText('not an SQLite database');
  await expect(page.getByTestId('new-project')).toBeVisible();
});

test('a file dropped outside a drop zone is ignored instead of replacing the app', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
  // The browser's default for an unhandled drop is to open the file in place of the app: the shell
  // cancels it. (A dispatched event never navigates, so the test reads whether it was cancelled.)
  const cancelled = await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['a,b\n1,2\n'], 'stray.csv', { type: 'text/csv' }));
    const results: boolean[] = [];
    for (const type of ['dragover', 'drop']) {
      const event = new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
      results.push(event.defaultPrevented);
    }
    return results;
  });
  expect(cancelled).toEqual([true, true]);
  await expect(page.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
});
