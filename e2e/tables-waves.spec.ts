import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { qualtrics2025, surveyMonkey2024 } from '../src/core/analysis/study/generate';
import { createProjectThroughUi, expect, screenshotPath, test, type App } from './fixtures';

/**
 * Issue 15 and 20 in the real renderer: choosing a base, ordering waves in Data → Waves, a filtered
 * two-wave multi-select table, and a wide banner that stays readable at 1024×768 and 1440×900.
 * The generated study's figures are fixed in advance (src/core/analysis/study/generate.ts).
 */
async function openStudy(page: Page, app: App): Promise<void> {
  await createProjectThroughUi(page, 'Edge study');
  // The later wave is imported first: the order must still come out 2024, 2025.
  for (const [wave, text] of [['2025', qualtrics2025()], ['2024', surveyMonkey2024()]] as const) {
    const file = path.join(app.dir, `k8s-${wave}.csv`);
    fs.writeFileSync(file, text);
    await app.call('survey.import', { path: file, wave });
  }
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();

async function twoWaveTable(page: Page): Promise<void> {
  await nav(page, 'Tables');
  await page.getByTestId('new-table').click();
  await page.getByTestId('table-source').selectOption('waves');
}

test('Data → Waves: time order with its reason, a reorder undone with Ctrl+Z, confirm all matches', async ({ page, app }) => {
  await openStudy(page, app);
  await nav(page, 'Data');
  await page.getByRole('tab', { name: 'Waves' }).click();
  const items = page.getByTestId('wave-order-item');
  await expect(items.locator('.badge')).toHaveText(['2024', '2025']);
  await expect(page.getByTestId('wave-order-reason')).toContainText('the years or dates in the wave labels');

  await page.getByRole('button', { name: 'Move 2024 later' }).click();
  await expect(items.locator('.badge')).toHaveText(['2025', '2024']);
  await expect(page.getByTestId('wave-order-reason')).toContainText('the order you set');
  await page.keyboard.press('Control+z');
  await expect(items.locator('.badge')).toHaveText(['2024', '2025']);

  // The challenge "Managing AI workloads" is one match whose question is written once.
  const match = page.getByTestId('wave-match').filter({ hasText: 'Managing AI workloads' });
  await expect(match.getByTestId('match-question')).toHaveCount(1);
  await expect(match.getByTestId('match-question')).toHaveText(/^What are your biggest challenges running Kubernetes at the edge\? \(Select all that apply\) — Managing AI workloads$/);
  await page.getByTestId('confirm-all-matches').click();
  await expect(page.getByTestId('confirm-all-matches')).toHaveCount(0);
  await expect(page.getByTestId('wave-match').getByText('confirmed')).toHaveCount(8);
});

test('a filtered two-wave multi-select table, and the base chosen in the builder', async ({ page, app }) => {
  await openStudy(page, app);
  await twoWaveTable(page);
  // The builder names questions as the earliest wave does: Q3 = the challenges, Q1 = edge.
  await page.getByTestId('add-row').selectOption('Q3');
  await page.getByTestId('filter-ref').selectOption('Q1');
  await page.getByTestId('new-filter').getByTestId('filter-values').getByLabel('Yes').check();
  await page.getByTestId('filter-add').click();

  const group = page.getByTestId('table-group').first();
  const pctOf = (column: string) => group.getByTestId('table-row').filter({ hasText: 'Managing AI workloads' }).locator(`td[data-column="${column}"] [data-content="colPct"]`);
  // Answered: 12 of the 30 edge adopters who ticked something in 2024; 41 of 82 in 2025.
  await expect(pctOf('wave=2024')).toHaveText(`${((100 * 12) / 30).toFixed(1)}%`);
  await expect(pctOf('wave=2025')).toHaveText('50.0%');
  await expect(group.getByTestId('base-row')).toContainText('Base: respondents who answered');

  await page.getByTestId('table-base').selectOption('all');
  // All edge adopters, those who ticked nothing included: 12 of 38, and the published 41 of 100.
  await expect(pctOf('wave=2024')).toHaveText(`${((100 * 12) / 38).toFixed(1)}%`);
  await expect(pctOf('wave=2025')).toHaveText('41.0%');
  await expect(group.getByTestId('base-row')).toContainText('Base: all respondents');
  await expect(group.locator('tr[data-testid="base-row"] td[data-column="wave=2025"]')).toHaveText('100');
  await expect(page.getByTestId('table-method')).toContainText('Base: all respondents, whether they answered or not, among those where Q1 is Yes.');
  // A row's own base beats the table's: back to those who answered for this row only.
  await page.getByTestId('row-base').selectOption('answered');
  await expect(pctOf('wave=2025')).toHaveText('50.0%');
  await expect(group.getByTestId('base-row')).toContainText('Base: respondents who answered');
  await page.getByTestId('row-base').selectOption('');
  await expect(pctOf('wave=2025')).toHaveText('41.0%');
  const change = group.getByTestId('table-row').filter({ hasText: 'Managing AI workloads' }).locator('td[data-column="wave=2025"]').getByTestId('change');
  await expect(change).toContainText(`+${(41 - (100 * 12) / 38).toFixed(1)} pts`);
});

for (const size of [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
]) {
  test(`a twelve-column banner is readable at ${size.width}×${size.height}`, async ({ page, app }) => {
    await page.setViewportSize(size);
    await openStudy(page, app);
    await twoWaveTable(page);
    await page.getByTestId('add-row').selectOption('Q2');
    await page.getByTestId('add-banner').selectOption('Q4');
    const group = page.getByTestId('table-group').first();
    await expect(group.locator('th.tv-col')).toHaveCount(1 + 2 + 12);

    await page.getByTestId('toggle-controls').click();
    await expect(page.getByTestId('table-builder')).toBeHidden();
    await expect(page.getByTestId('toggle-controls')).toHaveText('Show controls');
    const layout = await group.evaluate((el) => {
      const heads = [...el.querySelectorAll<HTMLElement>('th.tv-col')];
      return {
        groupWidth: el.getBoundingClientRect().width,
        // What the app's own section bar leaves for a page.
        available: window.innerWidth - (document.querySelector('nav[aria-label="Sections"]')?.getBoundingClientRect().width ?? 0),
        page: document.documentElement.scrollWidth <= window.innerWidth,
        clipped: heads.filter((h) => h.scrollWidth > h.clientWidth + 1).map((h) => h.textContent),
        // A header broken inside a word ("Germ/any") reads badly: each word must fit its column.
        brokenWords: heads.filter((h) => {
          const words = (h.textContent ?? '').split(/\s+/).filter(Boolean);
          const probe = document.createElement('span');
          probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:inherit';
          h.appendChild(probe);
          const widest = Math.max(...words.map((w) => ((probe.textContent = w), probe.getBoundingClientRect().width)));
          probe.remove();
          const style = getComputedStyle(h);
          return widest > h.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 0.5;
        }).map((h) => h.textContent),
        narrowest: Math.min(...heads.map((h) => h.getBoundingClientRect().width)),
        fontPx: Math.min(...heads.map((h) => parseFloat(getComputedStyle(h).fontSize))),
        scrolls: el.scrollWidth > el.clientWidth,
      };
    });
    // The page never scrolls sideways; no header is cut; every column is at least 56 px wide at a
    // readable size; the table gets nearly all the page once the controls are hidden.
    expect(layout.page).toBe(true);
    expect(layout.clipped).toEqual([]);
    expect(layout.brokenWords).toEqual([]);
    expect(layout.narrowest).toBeGreaterThanOrEqual(56);
    expect(layout.fontPx).toBeGreaterThanOrEqual(12);
    expect(layout.groupWidth).toBeGreaterThan(layout.available * 0.9);
    if (layout.scrolls) {
      // Scrolled to the last column, the answer labels are still in view.
      await group.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      const label = group.getByTestId('table-row').first().locator('th');
      const box = await label.boundingBox();
      const groupBox = await group.boundingBox();
      expect(box && groupBox && box.x - groupBox.x).toBeLessThan(2);
    }
    await page.screenshot({ path: screenshotPath(`tables-wide-banner-${size.width}.png`) });
    await page.getByTestId('toggle-controls').click();
    await expect(page.getByTestId('table-builder')).toBeVisible();
  });
}
