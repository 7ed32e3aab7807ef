import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { seedStudy } from '../src/core/export/fixtures/seed';
import { chooseFiles, createProjectThroughUi, expect, SHARED_DATA, screenshotPath, test, skipWithoutFile } from './fixtures';

test('export a quote pack and a table from the Exports page and check the downloaded files', async ({ page, app, context }) => {
  await createProjectThroughUi(page, 'Cloud buyers');
  const project = app.core.currentProject();
  if (!project) throw new Error('no project open');
  seedStudy(project.db);
  await app.call('tables.save', {
    name: 'Sector by country',
    spec: { source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }], banner: ['attr:Country'] },
  });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();

  // Quote pack as DOCX, with pseudonyms and a redacted company name.
  await page.getByRole('radio', { name: /Quote pack/ }).check();
  await page.getByLabel('Trust', { exact: false }).first().check();
  await expect(page.getByTestId('quote-count')).toHaveText('2 quotes in 2 themes, from 2 people.');
  await page.getByTestId('pseudonyms').check();
  await page.getByTestId('redact').fill('Acme Cloud');
  await page.screenshot({ path: screenshotPath('exports.png') });
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-done')).toContainText('Cloud buyers quotes.docx');
  const packDownload = page.waitForEvent('download');
  await page.getByTestId('export-reveal').click();
  const pack = await packDownload;
  expect(pack.suggestedFilename()).toBe('Cloud buyers quotes.docx');
  const packFile = path.join(app.dir, 'pack.docx');
  await pack.saveAs(packFile);
  const text = (await mammoth.extractRawText({ path: packFile })).value;
  expect(text).toContain('Trust > Support quality (2)');
  expect(text).toContain('— P01, Cloud engineering manager, healthcare, United States, 41 (Interview P01)');
  expect(text).toContain('We moved to [redacted] because');
  expect(text).not.toContain('Price matters');

  // Every saved table as XLSX.
  await page.getByRole('radio', { name: /^Tables/ }).check();
  await expect(page.getByTestId('export-format')).toHaveValue('xlsx');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-done')).toContainText('Cloud buyers tables.xlsx');
  const tableDownload = page.waitForEvent('download');
  await page.getByTestId('export-reveal').click();
  const tableFile = path.join(app.dir, 'tables.xlsx');
  await (await tableDownload).saveAs(tableFile);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(tableFile);
  expect(book.worksheets.map((s) => s.name)).toEqual(['Sector by country']);
  const sheet = book.worksheets[0] as ExcelJS.Worksheet;
  let health = 0;
  sheet.eachRow((row, n) => {
    if (row.getCell(1).value === 'healthcare') health = n;
  });
  expect(health).toBeGreaterThan(0);
  expect(sheet.getRow(health).getCell(2).value).toBe(1);
  expect(sheet.getRow(health + 1).getCell(2).value).toBe(50);

  // Copy for Excel or Word: the clipboard holds the table as tab-separated lines.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.getByRole('button', { name: 'Copy Sector by country for Excel or Word' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Table copied');
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  expect(clipboard.split(/\r?\n/)).toContain('healthcare\t1\t0\t1');

  // The same table as a chart for print: a PNG three times the chart's size.
  await page.getByRole('radio', { name: /^Chart/ }).check();
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-done')).toContainText('Sector by country.png');
  const chartDownload = page.waitForEvent('download');
  await page.getByTestId('export-reveal').click();
  const chartFile = path.join(app.dir, 'chart.png');
  await (await chartDownload).saveAs(chartFile);
  const png = fs.readFileSync(chartFile);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(2400);
});

test('import the ATLAS.ti standard project from the Exports page and see what was not imported', async ({ page, app }) => {
  const atlas = path.join(SHARED_DATA, 'qda', 'refi', 'atlasti8_standard_project_nosources.qdpx');
  skipWithoutFile(atlas);
  await createProjectThroughUi(page, 'From ATLAS');
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await chooseFiles(page, () => page.getByTestId('import-refi').click(), [atlas]);
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('from ATLAS.ti 8.4.0');
  await expect(result).toContainText('14 codes, 0 documents, 0 quotes');
  await expect(result).toContainText('8 text sources without their text in this file');
  const codes = await app.call('codes.list', {});
  expect(codes.map((c) => c.name)).toContain('Coke::diet Coke');
});
