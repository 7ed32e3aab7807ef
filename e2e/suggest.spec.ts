import path from 'node:path';
import { createProjectThroughUi, expect, ROOT, screenshotPath, test } from './fixtures';

const FIXTURES = path.join(ROOT, 'src', 'core', 'suggest', 'fixtures');

test('accept one suggestion with the keyboard, reject another, and see both after reopening', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Clinic visits');
  await app.call('transcripts.import', {
    files: [{ path: path.join(FIXTURES, 'interview-a.txt') }, { path: path.join(FIXTURES, 'interview-b.txt') }],
  });
  const docs = await app.call('documents.list', {});
  const a = docs.find((d) => d.name.includes('interview-a'))!;
  const text = (await app.call('documents.get', { id: a.id })).text ?? '';
  const cost = await app.call('codes.create', { name: 'Cost', keywords: ['price', 'money'] });
  const staff = await app.call('codes.create', { name: 'Staff' });
  for (const [phrase, code] of [
    ['The staff at the front desk were really kind and helpful, they explained everything.', staff.id],
    ['The nurse was friendly and patient with my questions.', staff.id],
    ['Honestly the price was too expensive for me, the bill was much higher than I expected.', cost.id],
    ['I had to pay extra fees for the parking and the forms, it all adds up to a lot of money.', cost.id],
  ] as const) {
    const start = text.indexOf(phrase);
    await app.call('codings.apply', { documentId: a.id, start, end: start + phrase.length, codeId: code });
  }

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Suggestions' }).click();
  await page.getByTestId('suggest-run').click();
  const items = page.getByTestId('suggestion-item');
  await expect(items.first()).toBeVisible();
  await expect(items.first()).toContainText('Most like this quote already coded');
  await page.screenshot({ path: screenshotPath('suggestions.png') });

  // Keyboard: the first suggestion is current; "a" accepts it.
  const first = items.first();
  const acceptedId = await first.getAttribute('data-suggestion-id');
  const acceptedText = (await first.getByTestId('suggestion-text').innerText()).trim();
  // The current suggestion is shown in its document, with the other suggestions as faint highlights.
  await expect(page.getByTestId('suggest-context').getByTestId('reading-view')).toContainText(acceptedText);
  await page.keyboard.press('a');
  await expect(page.locator(`[data-suggestion-id="${acceptedId}"]`)).toHaveCount(0);

  // "j" moves down, "r" rejects the current one.
  await page.keyboard.press('j');
  const current = page.locator('.suggest-item.is-current');
  const rejectedId = await current.getAttribute('data-suggestion-id');
  const rejectedText = (await current.getByTestId('suggestion-text').innerText()).trim();
  await page.keyboard.press('r');
  await expect(page.locator(`[data-suggestion-id="${rejectedId}"]`)).toHaveCount(0);

  // Reopen the project from Recent and find both decisions where they belong.
  await page.getByRole('button', { name: 'Close project' }).click();
  await page.getByRole('region', { name: 'Recent projects' }).getByRole('button', { name: /Clinic visits/ }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Suggestions' }).click();
  await expect(page.locator(`[data-suggestion-id="${acceptedId}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-suggestion-id="${rejectedId}"]`)).toHaveCount(0);
  await page.getByTestId('suggest-status').selectOption('accepted');
  await expect(page.locator(`[data-suggestion-id="${acceptedId}"]`)).toContainText(acceptedText);
  await page.getByTestId('suggest-status').selectOption('rejected');
  await expect(page.locator(`[data-suggestion-id="${rejectedId}"]`)).toContainText(rejectedText);

  // Theme discovery on what is still uncoded, turned into a code in one step.
  await page.getByTestId('themes-find').click();
  const phrase = page.getByTestId('theme-phrase').first();
  await expect(phrase).toBeVisible();
  await page.screenshot({ path: screenshotPath('suggestions-themes.png') });
  const name = (await phrase.locator('strong').innerText()).trim();
  await phrase.getByRole('button', { name: 'Make a code' }).click();
  await expect.poll(async () => (await app.call('codes.list', {})).map((c) => c.name)).toContain(name);

  // The accept is a real coding, marked as an accepted suggestion.
  const accepted = await app.call('suggest.list', { status: 'accepted' });
  expect(accepted.map((s) => String(s.id))).toEqual([acceptedId]);
  const segments = await app.call('segments.list', { documentId: accepted[0]!.documentId });
  expect(segments.some((s) => s.start === accepted[0]!.start && s.end === accepted[0]!.end)).toBe(true);
});
