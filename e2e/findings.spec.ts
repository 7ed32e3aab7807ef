import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { OFFICE_ZIP_LIMITS, readZipDirectory, zipEntryText } from '../src/core/zip/safe-zip';
import { expect, screenshotPath, selectPhrase, test } from './fixtures';

/*
 * The Findings report on the sample study, written through the Findings page: a change between
 * waves, a multi-select share and a quote pack of two codes, exported as DOCX, Markdown and HTML.
 * Every expected number and attribution is worked out here from the sample's source files.
 */
const sample = path.join(import.meta.dirname, '..', 'resources', 'sample');

async function csvRows(file: string, headerRows: number): Promise<Record<string, string>[]> {
  const Papa = (await import('papaparse')).default;
  const text = fs.readFileSync(path.join(sample, file), 'utf8').replace(/^\uFEFF/, '');
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const names = rows[0]!;
  return rows.slice(headerRows).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ''])));
}

/** Percent of answered (blank is no answer; "Not sure" counts in the base, as the README says). */
function share(rows: Record<string, string>[], column: string, value: string): number {
  const answered = rows.filter((r) => r[column] !== '');
  return (100 * answered.filter((r) => r[column] === value).length) / answered.length;
}

const round = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

async function addNumber(card: Locator, settings: { key?: string; kind: string; table?: string; row?: string; from?: string; column?: string; format: string; code?: string }) {
  await card.getByTestId('add-number').click();
  const editor = card.getByTestId('slot-editor');
  if (settings.key) await editor.getByTestId('slot-key').fill(settings.key);
  await editor.getByTestId('slot-kind').selectOption(settings.kind);
  if (settings.table) await editor.getByTestId('slot-table').selectOption({ label: settings.table });
  if (settings.code) await editor.getByTestId('slot-code').selectOption({ label: settings.code });
  if (settings.row) await editor.getByTestId('slot-row').selectOption({ label: settings.row });
  if (settings.from) await editor.getByTestId('slot-from').selectOption({ label: settings.from });
  if (settings.column) await editor.getByTestId('slot-column').selectOption({ label: settings.column });
  await editor.getByTestId('slot-format').selectOption(settings.format);
  await editor.getByTestId('slot-save').click();
  await expect(editor).toBeHidden();
}

async function writeHeadline(card: Locator, text: string) {
  await card.getByTestId('headline-input').fill(text);
  await card.getByTestId('headline-input').press('Enter');
}

async function download(page: Page, format: string, file: string): Promise<string> {
  await page.getByTestId('report-format').selectOption(format);
  await page.getByTestId('export-report').click();
  await expect(page.getByTestId('report-done')).toContainText(`.${format}`);
  const saved = page.waitForEvent('download');
  await page.getByTestId('report-reveal').click();
  await (await saved).saveAs(file);
  return file;
}

/** The text of word/document.xml (runs joined), read from the zip without a DOCX library. */
function docxText(file: string): string {
  const data = new Uint8Array(fs.readFileSync(file));
  const xml = zipEntryText(data, readZipDirectory(data, file, OFFICE_ZIP_LIMITS), 'word/document.xml', file, OFFICE_ZIP_LIMITS) ?? '';
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

test('a three-finding report on the sample study, exported to DOCX, Markdown and HTML with its numbers and attributions', async ({ page, app }) => {
  test.setTimeout(240_000);
  await page.getByTestId('open-sample').click();
  await page.getByTestId('statusbar').waitFor();

  const w2024 = await csvRows('survey/kubernetes-ai-survey-2024-surveymonkey.csv', 2);
  const w2025 = await csvRows('survey/kubernetes-ai-survey-2025-qualtrics.csv', 3);
  const edge2024 = share(w2024, 'Does your organization run Kubernetes clusters at the edge in production?', 'Yes');
  const edge2025 = share(w2025, 'Q6', 'Yes');
  const challenges = ['Q7_1', 'Q7_2', 'Q7_3', 'Q7_4', 'Q7_5', 'Q7_6', 'Q7_7'];
  const chose = w2025.filter((r) => challenges.some((c) => r[c] !== ''));
  const connectivity = (100 * chose.filter((r) => r.Q7_1 !== '').length) / chose.length;
  const codings = await csvRows('starter-codings.csv', 1);
  const participants = await csvRows('participants.csv', 1);
  const modelPeople = new Set(codings.filter((c) => c.code === 'Model management').map((c) => c.document!.split('-')[0]));

  const datasets = (await app.call('tables.variables', {})).datasets;
  const byWave = (wave: string) => datasets.find((d) => d.wave === wave)!.id;
  await app.call('tables.save', { name: 'Edge clusters by wave', spec: { source: { kind: 'dataset', datasetIds: [byWave('2024'), byWave('2025')] }, rows: [{ ref: 'Q6' }] } });
  await app.call('tables.save', { name: 'Edge challenges 2025', spec: { source: { kind: 'dataset', datasetIds: [byWave('2025')] }, rows: [{ ref: 'Q7' }] } });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Findings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Findings' })).toBeVisible();
  await page.getByTestId('report-settings').locator('summary').click();
  await page.getByTestId('report-title').fill('Kubernetes at the edge 2025');
  await page.getByTestId('report-title').blur();
  // Attributed by name here: the sample's participants are already called P01…P10.
  // The box follows the saved setting, so it turns once the core has it.
  await page.getByLabel(/Participants by pseudonym/).click();
  await expect(page.getByLabel(/Participants by pseudonym/)).not.toBeChecked();
  // Years of experience stay out of the attribution line.
  const experience = page.getByTestId('attribution-attributes').getByLabel('experience');
  await experience.click();
  await expect(experience).not.toBeChecked();

  // 1. A change between waves, with the table's chart.
  await page.getByTestId('new-finding').click();
  const first = page.getByTestId('finding').nth(0);
  await writeHeadline(first, '{a} of respondents run Kubernetes at the edge, {b} since 2024');
  await addNumber(first, { kind: 'cell', table: 'Edge clusters by wave', row: 'Yes', column: '2025', format: 'percent' });
  await addNumber(first, { kind: 'change', table: 'Edge clusters by wave', row: 'Yes', from: '2024', column: '2025', format: 'points' });
  await first.getByTestId('chart-select').selectOption({ label: 'Edge clusters by wave' });
  const a = `${round(edge2025)}%`;
  const bRounded = round(edge2025 - edge2024);
  const b = `${bRounded > 0 ? '+' : bRounded < 0 ? '−' : '±'}${Math.abs(bRounded)} pts`;
  await expect(first.getByTestId('finding-live')).toHaveText(`${a} of respondents run Kubernetes at the edge, ${b} since 2024`);

  // Clicking a number opens its table with the cell highlighted.
  await first.getByTestId('number-a').click();
  await expect(page.getByTestId('source-table').locator('[data-highlighted]')).toHaveText(`${edge2025.toFixed(1)}%`);
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // 2. A multi-select share.
  await page.getByTestId('new-finding').click();
  const second = page.getByTestId('finding').nth(1);
  await writeHeadline(second, '{a} of those with edge clusters struggle with connectivity');
  await addNumber(second, { kind: 'cell', table: 'Edge challenges 2025', row: 'Limited connectivity and bandwidth', column: 'Total', format: 'percent1' });
  const c = `${connectivity.toFixed(1)}%`;
  await expect(second.getByTestId('finding-live')).toHaveText(`${c} of those with edge clusters struggle with connectivity`);

  // 3. A quote pack of two codes, with a count of the people behind one.
  await page.getByTestId('new-finding').click();
  const third = page.getByTestId('finding').nth(2);
  await writeHeadline(third, '{p} interviewees talk about managing models');
  await addNumber(third, { key: 'p', kind: 'code', code: 'Model management', format: 'number' });
  await expect(third.getByTestId('finding-live')).toHaveText(`${modelPeople.size} interviewees talk about managing models`);
  const picked: string[] = [];
  for (const code of ['Model management', 'GPU scheduling']) {
    await third.getByTestId('add-quotes').click();
    const dialog = page.getByRole('dialog', { name: 'Add quotes' });
    const option = dialog.getByTestId('quote-source').locator('option', { hasText: `${code} (` });
    await dialog.getByTestId('quote-source').selectOption((await option.getAttribute('value')) ?? '');
    if (code === 'GPU scheduling') {
      // Filtered to one industry: every quote offered is from someone in it.
      await dialog.getByTestId('quote-attribute').selectOption('industry');
      await dialog.getByTestId('quote-attribute-value').selectOption('Financial services');
      await expect(dialog.getByTestId('quote-choice')).toHaveCount(codings.filter((x) => x.code === code && participants.find((p) => p.participant === x.document!.split('-')[0])!.industry === 'Financial services').length);
      for (const foot of await dialog.getByTestId('quote-choice').locator('.fd-choice-foot .muted').allInnerTexts()) expect(foot).toContain('Financial services');
    }
    const choice = dialog.getByTestId('quote-choice').first();
    picked.push((await choice.locator('blockquote').innerText()).trim());
    await choice.getByTestId('quote-add').click();
    await expect(choice.getByTestId('quote-add')).toHaveText('Added');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  }
  await expect(third.getByTestId('finding-quote')).toHaveCount(2);
  await page.screenshot({ path: screenshotPath('findings.png') });

  // A quote dropped from the reading view: code a passage of P04 (key 2 = Edge operations), then add it to finding 1.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Codebook' }).click();
  await page.getByRole('tab', { name: 'Code transcripts' }).click();
  await page.getByRole('list', { name: 'Documents' }).getByRole('button', { name: /^P04 interview/ }).click();
  const phrase = 'Some sites have a decent line, some go offline every afternoon';
  await expect(page.getByTestId('coding-reader')).toContainText(phrase);
  await expect(async () => {
    await selectPhrase(page, phrase);
    await expect(page.getByTestId('selection-status')).toContainText(`${phrase.length} characters selected`, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('2');
  await expect(page.getByTestId('quote-panel')).toContainText(phrase);
  await page.getByTestId('add-to-finding').selectOption({ index: 1 });
  await expect(page.getByTestId('toast-success').last()).toContainText('Added to finding 1.');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Findings' }).click();
  await expect(page.getByTestId('finding').nth(0).getByTestId('finding-quote')).toContainText(phrase);
  const p04 = participants.find((p) => p.participant === 'P04')!;
  const p04By = [p04.role, p04.industry, p04.country, p04.company_size].filter(Boolean).join(', ');

  // Attribution from participants.csv: the quote's interview file names its participant.
  const attribution = (quote: string) => {
    const coding = codings.find((x) => x.quote === quote);
    expect(coding, `"${quote}" is one of the sample's codings`).toBeTruthy();
    const who = participants.find((p) => p.participant === coding!.document!.split('-')[0])!;
    return [who.role, who.industry, who.country, who.company_size].filter(Boolean).join(', ');
  };
  const expectedQuotes = picked.map((q) => ({ text: q, by: attribution(q) }));

  const docx = docxText(await download(page, 'docx', path.join(app.dir, 'report.docx')));
  expect(docx).toContain('Kubernetes at the edge 2025');
  expect(docx).toContain(`1. ${a} of respondents run Kubernetes at the edge, ${b} since 2024`);
  expect(docx).toContain(`2. ${c} of those with edge clusters struggle with connectivity`);
  expect(docx).toContain(`3. ${modelPeople.size} interviewees talk about managing models`);
  expect(docx).toContain('Figure 1. Edge clusters by wave');
  for (const q of expectedQuotes) {
    expect(docx).toContain(`“${q.text}”`);
    expect(docx).toContain(`— ${q.by}`);
  }
  expect(docx).toContain(`“${phrase}”\n— ${p04By}`);
  expect(docx).toContain(`Survey: 2 waves (2024: ${w2024.length} respondents`);
  expect(docx).toContain(`2025: ${w2025.length} respondents`);

  const md = fs.readFileSync(await download(page, 'md', path.join(app.dir, 'report.md')), 'utf8');
  expect(md).toContain(`## 1. **${a}**[^1] of respondents run Kubernetes at the edge, **${b}**[^2] since 2024`);
  expect(md).toContain(`## 2. **${c}**[^3] of those with edge clusters`);
  expect(md).toMatch(new RegExp(`\\[\\^3\\]: Edge challenges 2025: .*Limited connectivity and bandwidth, Total, column %\\. Base: respondents who answered .*n = ${chose.length}\\. Data fingerprint [0-9a-f]{12}\\.`));
  for (const q of expectedQuotes) expect(md).toContain(`> — ${q.by}`);

  const html = fs.readFileSync(await download(page, 'html', path.join(app.dir, 'report.html')), 'utf8');
  expect(html).toContain(`>${a}</span>`);
  expect(html).toContain(`>${c}</span>`);
  expect(html).toContain('<figure><svg');
  for (const q of expectedQuotes) expect(html).toContain(`— ${q.by.replace(/&/g, '&amp;')}`);

  // Ctrl+Z on the Findings page undoes the last step, here the quote added from the reading view.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('finding').nth(0).getByTestId('finding-quote')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('finding').nth(0).getByTestId('finding-quote')).toContainText(phrase);
});
