import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createProjectThroughUi, expect, test } from './fixtures';

/** The rough edges a first run showed, each checked at a small laptop's and a common desktop's size. */
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
];

function section(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
}

const inside = (inner: { x: number; width: number }, outer: { x: number; width: number }) => inner.x >= outer.x - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5;

for (const size of SIZES) {
  test(`at ${size.width}×${size.height}: search keeps the match centred and visible, one <main> per page, the Document select fits, the grid cuts long cells with a tooltip`, async ({ page, app }) => {
    await page.setViewportSize(size);
    await page.getByTestId('open-sample').click();
    await expect(page.getByTestId('statusbar')).toContainText('Sample study.fieldbook', { timeout: 60_000 });

    // One <main> on every page (the shell's), never one nested in another.
    for (const name of ['Data', 'Transcripts', 'Participants', 'Codebook', 'Suggestions', 'Tables', 'Exports']) {
      await section(page, name).click();
      await expect(page.locator('main h1').first()).toBeVisible();
      expect(await page.locator('main').count(), name).toBe(1);
    }

    // Search: the matched word is inside its card and inside the window, near the middle of the context.
    await page.goto(`${new URL(page.url()).origin}${new URL(page.url()).pathname}${new URL(page.url()).search}#/transcripts/search?q=offline`);
    const hit = page.getByTestId('search-hit').first();
    await expect(hit).toBeVisible({ timeout: 20_000 });
    const row = (await hit.boundingBox())!;
    const match = (await hit.getByTestId('kwic-match').boundingBox())!;
    expect(inside(match, row)).toBe(true);
    expect(match.x + match.width).toBeLessThanOrEqual(size.width);
    expect(await hit.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const left = (await hit.locator('.kwic-left').boundingBox())!;
    const right = (await hit.locator('.kwic-right').boundingBox())!;
    // The two context columns are equal, so the match sits in the middle of the context area.
    expect(Math.abs(left.width - right.width)).toBeLessThan(2);

    // Suggestions: the Document select stays inside the toolbar and the window, whatever the names.
    await section(page, 'Suggestions').click();
    const select = page.getByRole('combobox', { name: 'Document' });
    await expect(select).toBeVisible();
    const box = (await select.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    expect(inside(box, (await page.locator('.suggest-toolbar').boundingBox())!)).toBe(true);

    // Participants: a long attribute value ends in an ellipsis and the whole value is its tooltip.
    const participants = await app.call('participants.list', {});
    const long = 'Head of infrastructure, platform reliability and regional edge operations';
    const attr = participants.attributes.find((a) => a.type === 'text')!;
    await app.call('participants.update', { id: participants.participants[0]!.id, values: { [attr.id]: long } });
    await section(page, 'Participants').click();
    const cell = page.getByTestId(`cell-${participants.participants[0]!.name}-${attr.name}`);
    await expect(cell).toHaveAttribute('title', long);
    expect(await cell.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
    expect(await cell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  });

  test(`at ${size.width}×${size.height}: number attributes sort as numbers; toasts take their own room; Ctrl+Z is named before it is pressed`, async ({ page, app }) => {
    await page.setViewportSize(size);
    await createProjectThroughUi(page, 'Sorting');
    const attribute = await app.call('attributes.create', { name: 'years', type: 'number' });
    for (const [name, years] of [['A', 10], ['B', 16], ['C', 6], ['D', 7]] as const) {
      const p = await app.call('participants.create', { name });
      await app.call('participants.update', { id: p.id, values: { [attribute.id]: years } });
    }
    await section(page, 'Participants').click();
    await page.getByTestId('sort-years').click();
    const order = async () => page.getByTestId('participant-row').evaluateAll((rows) => rows.map((r) => (r.querySelectorAll('input')[1] as HTMLInputElement).value));
    await expect.poll(order).toEqual(['6', '7', '10', '16']);
    await page.getByTestId('sort-years').click();
    await expect.poll(order).toEqual(['16', '10', '7', '6']);

    // A toast never covers a form field: it sits below the page, in its own room.
    await page.getByTestId('new-participant').fill('E');
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true })));
    const toast = page.getByTestId('toast-info');
    await expect(toast).toBeVisible();
    const toastBox = (await toast.boundingBox())!;
    for (const field of await page.locator('input, select, textarea, button:not(.toast button)').all()) {
      const b = await field.boundingBox();
      if (!b) continue;
      const overlaps = b.x < toastBox.x + toastBox.width && toastBox.x < b.x + b.width && b.y < toastBox.y + toastBox.height && toastBox.y < b.y + b.height;
      expect(overlaps, `toast covers ${await field.evaluate((el) => el.outerHTML.slice(0, 80))}`).toBe(false);
    }

    // What Ctrl+Z will undo is named in the status bar before it is pressed, whichever page made it.
    await app.call('codes.create', { name: 'Edge operations' });
    await section(page, 'Data').click();
    await expect(page.getByTestId('undo-hint')).toContainText('Edge operations');
  });
}

test('the web route’s New project dialog shows the folder and lets the user choose another', async ({ page, app }) => {
  await page.getByTestId('new-project').click();
  const folder = page.getByTestId('project-folder');
  const info = await app.call('app.info', {});
  await expect(folder).toHaveValue(info.defaultProjectDir);
  await page.getByTestId('project-name').fill('Chosen');
  await folder.fill(`${info.defaultProjectDir}/fieldwork`);
  await expect(page.getByText(`${info.defaultProjectDir}/fieldwork/Chosen.fieldbook`)).toBeVisible();
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('statusbar')).toContainText(`fieldwork/Chosen.fieldbook`);
});

test('an axe scan of every page finds no serious or critical violations', async ({ page }) => {
  const scan = async (where: string) => {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
  };
  await scan('start');
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('statusbar')).toContainText('Sample study.fieldbook', { timeout: 60_000 });
  for (const name of ['Data', 'Transcripts', 'Participants', 'Codebook', 'Suggestions', 'Tables', 'Exports']) {
    await section(page, name).click();
    await expect(page.locator('main h1').first()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toHaveCount(0);
    await scan(name);
  }
});
