import path from 'node:path';
import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { expect, screenshotPath, selectPhrase, test } from './fixtures';

/**
 * The README tour, in the browser through the web bridge: open the sample study from the start
 * screen, look around, code a passage with a code's key. The screenshots are the README's.
 */

function section(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
}

test('the tour: open the sample, cross-tabulate by wave, code a passage, accept a suggestion, export a quote pack and the table', async ({ page, app }) => {
  // 1. The start screen offers the sample study.
  await expect(page.getByTestId('open-sample')).toBeVisible();
  await page.screenshot({ path: screenshotPath('tour-01-start.png') });

  // 2. Opening it builds the project from resources/sample through the importers.
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('statusbar')).toContainText('Sample study.fieldbook', { timeout: 60_000 });
  const info = await app.call('project.info', {});
  expect(info.counts).toMatchObject({ datasets: 2, respondents: 857, participants: 10, codes: 12 });
  await page.screenshot({ path: screenshotPath('tour-02-sample-open.png') });

  // 3. The ten interviews, with their participants.
  await section(page, 'Transcripts').click();
  for (const name of ['P01 interview', 'P06 interview', 'P10 interview (中文)']) {
    await expect(page.getByText(name).first()).toBeVisible();
  }
  await page.screenshot({ path: screenshotPath('tour-03-transcripts.png') });

  // 4. A cross-tab of expected change in AI workloads, the two waves side by side, saved by name.
  const datasets = await app.call('survey.datasets', {});
  const waves = { kind: 'dataset' as const, datasetIds: datasets.map((d) => d.id) };
  const aiQuestion = (await app.call('tables.variables', { source: waves })).variables.find((v) =>
    v.label.startsWith('Over the next 12 months, how do you expect the AI/ML workloads'),
  );
  expect(aiQuestion).toBeDefined();
  const expected = await app.call('tables.run', { spec: { source: waves, rows: [{ ref: aiQuestion!.ref }] } });
  const column = (label: string) => expected.columns.findIndex((c) => c.label === label);
  const increase = expected.groups[0]!.rows.find((r) => r.label === 'Increase significantly')!;
  const pct2024 = increase.cells[column('2024')]!.colPct!;
  const pct2025 = increase.cells[column('2025')]!.colPct!;
  expect(pct2025).toBeGreaterThan(pct2024);

  await section(page, 'Tables').click();
  await page.getByTestId('new-table').click();
  await page.getByTestId('table-source').selectOption('waves');
  await expect(page.getByTestId('wave-picker')).toContainText('2025');
  await page.getByTestId('add-row').selectOption(aiQuestion!.ref);
  const group = page.getByTestId('table-group').first();
  const row = group.getByTestId('table-row').filter({ has: page.locator('th', { hasText: /^Increase significantly/ }) });
  await expect(row.locator('td[data-column="wave=2024"] [data-content="colPct"]')).toHaveText(`${pct2024.toFixed(1)}%`);
  await expect(row.locator('td[data-column="wave=2025"] [data-content="colPct"]')).toHaveText(`${pct2025.toFixed(1)}%`);
  await expect(row.locator('td[data-column="wave=2025"]').getByTestId('change')).toContainText(`+${(pct2025 - pct2024).toFixed(1)} pts`);
  await page.getByTestId('table-name').fill('AI workloads by wave');
  await page.getByTestId('save-table').click();
  await expect(page.getByTestId('saved-tables')).toContainText('AI workloads by wave');
  // Saving re-renders the table; scroll to it once it has settled.
  await expect(async () => {
    await page.getByTestId('table-view').scrollIntoViewIfNeeded({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('tour-04-table.png') });

  // 5. Code a passage: select it in an interview and press the code's key (2 = Edge operations).
  const documents = await app.call('documents.list', { kind: 'transcript' });
  const retail = documents.find((d) => d.sourceFile?.endsWith('P04-infra-head-retail.srt'));
  expect(retail).toBeDefined();
  const edge = (await app.call('codes.list', {})).find((c) => c.name === 'Edge operations');
  expect(edge?.shortcut).toBe('2');
  const quotesBefore = edge!.quoteCount;

  await section(page, 'Codebook').click();
  await page.getByRole('tab', { name: 'Code transcripts' }).click();
  await page.getByRole('list', { name: 'Documents' }).getByRole('button', { name: /^P04 interview/ }).click();
  const phrase = 'Some sites have a decent line, some go offline every afternoon';
  await expect(page.getByTestId('coding-reader')).toContainText(phrase);
  // The reader may still re-render as its quotes arrive, which drops a selection: select until it holds.
  await expect(async () => {
    await selectPhrase(page, phrase);
    await expect(page.getByTestId('selection-status')).toContainText(`${phrase.length} characters selected`, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('2');
  await expect(page.getByTestId('quote-panel')).toContainText(phrase);
  await page.screenshot({ path: screenshotPath('tour-05-coding.png') });

  // The core has the quote at the right offsets.
  const after = (await app.call('codes.list', {})).find((c) => c.id === edge!.id);
  expect(after?.quoteCount).toBe(quotesBefore + 1);
  const doc = await app.call('documents.get', { id: retail!.id });
  const segments = await app.call('segments.list', { documentId: retail!.id });
  const coded = segments.find((s) => s.codings.some((c) => c.codeId === edge!.id) && s.text === phrase);
  expect(coded && doc.text.slice(coded.start, coded.end)).toBe(phrase);

  // 6. Suggestions learn from the starter codings; "a" accepts the current one.
  await section(page, 'Suggestions').click();
  await page.getByTestId('suggest-run').click();
  const items = page.getByTestId('suggestion-item');
  await expect(items.first()).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('tour-06-suggestions.png') });
  const first = items.first();
  const acceptedId = Number(await first.getAttribute('data-suggestion-id'));
  const codingsBefore = (await app.call('project.info', {})).counts.codings;
  await page.keyboard.press('a');
  await expect(page.locator(`[data-suggestion-id="${acceptedId}"]`)).toHaveCount(0);
  const accepted = await app.call('suggest.list', { status: 'accepted' });
  expect(accepted.map((a) => a.id)).toContain(acceptedId);
  expect((await app.call('project.info', {})).counts.codings).toBe(codingsBefore + 1);

  // 7. A quote pack of one code, as Word: the Chinese interview's quote is in it, attributed.
  await section(page, 'Exports').click();
  await page.getByRole('radio', { name: /Quote pack/ }).check();
  await page.getByRole('checkbox', { name: /^Model management/ }).check();
  await page.screenshot({ path: screenshotPath('tour-07-export.png') });
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-done')).toContainText('.docx');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-reveal').click();
  const packFile = path.join(app.dir, 'tour-pack.docx');
  await (await download).saveAs(packFile);
  const pack = (await mammoth.extractRawText({ path: packFile })).value;
  expect(pack).toContain('Model management');
  expect(pack).toContain('去年我们花了很多精力在模型管理上');
  expect(pack).toMatch(/P10/);
  expect(pack).not.toContain('Some sites have a decent line');

  // 8. The saved table as an Excel workbook, with the same numbers as on screen.
  await page.getByRole('radio', { name: /^Tables/ }).check();
  await expect(page.getByTestId('export-format')).toHaveValue('xlsx');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-done')).toContainText('.xlsx');
  const tableDownload = page.waitForEvent('download');
  await page.getByTestId('export-reveal').click();
  const tableFile = path.join(app.dir, 'tour-tables.xlsx');
  await (await tableDownload).saveAs(tableFile);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(tableFile);
  expect(book.worksheets.map((s) => s.name)).toEqual(['AI workloads by wave']);
  const cells: string[] = [];
  book.worksheets[0]!.eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
  expect(cells).toEqual(expect.arrayContaining(['Increase significantly', '2024', '2025', String(increase.cells[column('2025')]!.count)]));
  await page.screenshot({ path: screenshotPath('tour-08-export-table.png') });
});
