import type { Page } from '@playwright/test';
import { catalogs, flattenCatalog } from '../src/shared/i18n/index';
import { expect, screenshotPath, test, type App } from './fixtures';

/**
 * The tour's first steps with the interface switched to 简体中文: the start screen, the sample
 * study's Data page and its Transcripts. No English interface text may be left: every visible text,
 * label, placeholder and tooltip is either Chinese, a number, or data the user brought in.
 */

/** Every text the page shows or announces: text nodes, and the labels a screen reader reads. */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('script, style, [hidden], option:not(:checked)')) continue;
      const text = node.textContent?.trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const name of ['aria-label', 'placeholder', 'title']) {
        const value = el.getAttribute(name)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
}

/** The data in the project (names, labels, paths...): shown as imported, never translated. */
async function dataTexts(app: App): Promise<Set<string>> {
  const data = new Set<string>(['Fieldbook', 'English', '◧', '×']);
  const info = await app.call('project.info', {}).catch(() => null);
  if (info) for (const v of [info.name, info.path]) data.add(v);
  for (const d of await app.call('documents.list', {}).catch(() => [])) {
    data.add(d.name);
    if (d.format) data.add(d.format);
    if (d.participantName) data.add(d.participantName);
  }
  for (const d of await app.call('survey.datasets', {}).catch(() => [])) {
    for (const v of [d.name, d.format, d.wave]) if (v) data.add(v);
  }
  for (const r of await app.call('app.recent', {})) for (const v of [r.name, r.path]) data.add(v);
  return data;
}

/** Texts with Latin words and no Chinese that are neither data nor a code-like token. */
async function englishLeft(page: Page, app: App): Promise<string[]> {
  const data = await dataTexts(app);
  const texts = await pageTexts(page);
  const isData = (text: string) => [...data].some((d) => d && (text === d || text.includes(d)));
  return [...new Set(texts)].filter(
    (text) => /[A-Za-z]{2,}/.test(text) && !/[\u3400-\u9fff]/.test(text) && !isData(text) && !/^(Alt|Ctrl)\+\w$/.test(text) && !/^[\w.-]+\.(fieldbook|srt|vtt|txt|docx|csv)$/.test(text),
  );
}

/** English catalog texts left on the page (exact matches of a whole text). */
async function catalogEnglishLeft(page: Page): Promise<string[]> {
  const en = flattenCatalog(catalogs.en);
  const zh = flattenCatalog(catalogs['zh-CN']);
  const english = new Set([...en].filter(([k, v]) => zh.get(k) !== v && !v.includes('{{')).map(([, v]) => v.trim()));
  return (await pageTexts(page)).filter((text) => english.has(text));
}

test('the tour in Chinese: start screen, the sample study, Data and Transcripts, with no English interface text left', async ({ page, app }) => {
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('open-sample')).toHaveText('打开示例研究');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await catalogEnglishLeft(page)).toEqual([]);
  expect(await englishLeft(page, app)).toEqual([]);

  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('statusbar')).toContainText('Sample study.fieldbook', { timeout: 60_000 });
  await expect(page.getByRole('navigation', { name: '栏目' })).toBeVisible();
  await expect(page.getByTestId('data-tab-variables')).toHaveText('变量');
  // The status bar's counts are in Chinese, and the numbers in the locale's digits grouping.
  await expect(page.getByTestId('statusbar')).toContainText('857 名答卷人');
  // The core writes in the chosen language too (export headings, chart subtitles).
  expect(app.core.settings.language).toBe('zh-CN');
  await page.screenshot({ path: screenshotPath('tour-zh-01-data.png') });

  const leftOnData = await englishLeft(page, app);
  // Question texts, variable names and answer labels are data: take them from the variables list.
  const datasets = await app.call('survey.datasets', {});
  const variableTexts = new Set<string>();
  for (const d of datasets) {
    for (const v of await app.call('survey.variables', { datasetId: d.id })) {
      for (const text of [v.name, v.label, v.groupLabel, v.optionLabel, ...v.valueLabels.map((l) => l.label)]) if (text) variableTexts.add(text);
    }
  }
  const isVariableData = (text: string) => [...variableTexts].some((d) => text.includes(d) || d.includes(text.replace(/^— /, '')));
  expect(leftOnData.filter((text) => !isVariableData(text) && !/^[\w\s·:%()–,.…/—-]*\d/.test(text))).toEqual([]);
  expect(await catalogEnglishLeft(page)).toEqual([]);

  await page.getByRole('navigation', { name: '栏目' }).getByRole('link', { name: '访谈记录' }).click();
  await expect(page.getByRole('heading', { name: '访谈记录', level: 1 })).toBeVisible();
  await expect(page.getByText('P10 interview (中文)').first()).toBeVisible();
  expect(await catalogEnglishLeft(page)).toEqual([]);
  expect(await englishLeft(page, app)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tour-zh-02-transcripts.png') });

  // The choice is remembered: a reload comes back in Chinese.
  await page.reload();
  await expect(page.getByRole('navigation', { name: '栏目' })).toBeVisible();
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
});
