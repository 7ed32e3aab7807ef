import fs from 'node:fs';
import path from 'node:path';
import { createProjectThroughUi, expect, screenshotPath, selectPhrase, SHARED_DATA, test, skipWithoutFile } from './fixtures';

const TRANSCRIPT = `INTERVIEWER: How do you get to work?

P1: I cycle every day. The bus is too expensive for me, and it is always late.

INTERVIEWER: And in winter?

P1: In winter I take the train, which is reliable.
`;

test('code a passage with a shortcut, see it in the quotes view, undo it, redo it', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Commuting');
  const file = path.join(app.dir, 'P1 interview.txt');
  fs.writeFileSync(file, TRANSCRIPT);
  await app.call('transcripts.import', { files: [{ path: file, participantName: 'P1' }] });

  // A code with a shortcut key, made in the codebook.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Codebook' }).click();
  await page.getByTestId('new-code-name').fill('Costs');
  await page.getByRole('button', { name: 'Add code' }).click();
  await expect(page.getByTestId('code-panel')).toContainText('Costs');
  await page.getByTestId('code-shortcut').fill('c');
  await page.getByTestId('save-code').click();
  await expect(page.getByTestId('code-tree')).toContainText('c');

  // Select a passage in the transcript and press the key.
  await page.getByRole('tab', { name: 'Code transcripts' }).click();
  await page.getByRole('button', { name: /P1 interview/ }).click();
  await expect(page.getByTestId('coding-reader')).toContainText('The bus is too expensive');
  await selectPhrase(page, 'The bus is too expensive for me');
  await expect(page.getByTestId('selection-status')).toContainText('31 characters selected');
  await page.keyboard.press('c');
  await expect(page.getByTestId('quote-panel')).toContainText('The bus is too expensive for me');
  await expect(page.locator('.cb-margin').getByRole('button', { name: 'Costs' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('coding.png') });

  // The core has it, at the right offsets.
  const codes = await app.call('codes.list', {});
  const costs = codes.find((c) => c.name === 'Costs')!;
  expect(costs.quoteCount).toBe(1);
  const docs = await app.call('documents.list', {});
  const doc = await app.call('documents.get', { id: docs[0]!.id });
  const [segment] = await app.call('segments.list', { documentId: docs[0]!.id });
  expect(doc.text.slice(segment!.start, segment!.end)).toBe('The bus is too expensive for me');

  // The quotes view shows it with its speaker.
  await page.getByRole('tab', { name: 'Quotes' }).click();
  await page.getByLabel('Code', { exact: true }).selectOption(String(costs.id));
  await expect(page.getByTestId('quotes-count')).toHaveText('1 quote for “Costs”');
  await expect(page.getByTestId('quotes-table')).toContainText('The bus is too expensive for me');
  await expect(page.getByTestId('quotes-table')).toContainText('P1');
  await page.screenshot({ path: screenshotPath('quotes.png') });

  // Ctrl+Z undoes the coding; Ctrl+Shift+Z brings it back.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('quotes-count')).toHaveText('0 quotes for “Costs”');
  expect((await app.call('codes.list', {}))[0]!.quoteCount).toBe(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('quotes-count')).toHaveText('1 quote for “Costs”');
  await expect(page.getByTestId('quotes-table')).toContainText('The bus is too expensive for me');

  // From the quote back to its context in the transcript.
  await page.getByRole('button', { name: 'Context' }).click();
  await expect(page.getByTestId('quote-panel')).toContainText('The bus is too expensive for me');
});

test('code open-ended survey answers row by row with the keyboard, beside the other answers', async ({ page, app }) => {
  const csv = path.join(SHARED_DATA, 'survey', 'qualcoder_survey456_freetext.csv');
  skipWithoutFile(csv);
  await createProjectThroughUi(page, 'Survey answers');
  await app.call('survey.import', { path: csv, wave: '2024' });
  await app.call('codes.create', { name: 'Work gets in the way', shortcut: 'w' });
  const [doc] = await app.call('documents.list', { kind: 'survey_text' });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Codebook' }).click();
  await page.getByRole('tab', { name: 'Open answers' }).click();
  await page.getByLabel('Question').selectOption(String(doc!.id));
  const grid = page.getByTestId('answers-grid');
  await expect(grid).toContainText('I really lost the interest');
  // The respondent's other answers sit beside the answer.
  await expect(grid.getByRole('columnheader', { name: 'Gender' })).toBeVisible();
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('w');
  const second = grid.locator('tbody tr').nth(1);
  await expect(second).toContainText('Work gets in the way');
  await expect(second).toContainText('I needed to upskill');
  await page.screenshot({ path: screenshotPath('answers-grid.png') });
  const quotes = await app.call('quotes.list', { codeId: (await app.call('codes.list', {}))[0]!.id });
  expect(quotes.quotes.map((q) => [q.respondentRow, q.wave])).toEqual([[1, '2024']]);
  expect(quotes.quotes[0]!.text.startsWith('I needed to upskill')).toBe(true);
});

test('delete a code after a preview of its quotes, undo brings them back; merge two codes', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Codebook work');
  const file = path.join(app.dir, 'P1 interview.txt');
  fs.writeFileSync(file, TRANSCRIPT);
  const [doc] = (await app.call('transcripts.import', { files: [{ path: file, participantName: 'P1' }] })).documents;
  const text = (await app.call('documents.get', { id: doc!.id })).text;
  const transport = await app.call('codes.create', { name: 'Transport' });
  const bus = await app.call('codes.create', { name: 'Bus', parentId: transport.id });
  const rail = await app.call('codes.create', { name: 'Rail' });
  const at = (phrase: string) => ({ documentId: doc!.id, start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });
  await app.call('codings.apply', { ...at('The bus is too expensive'), codeId: bus.id });
  await app.call('codings.apply', { ...at('I take the train'), codeId: rail.id });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Codebook' }).click();
  const tree = page.getByTestId('code-tree');
  await expect(tree).toContainText('Bus');
  await tree.getByRole('button', { name: /Transport/ }).click();
  await page.getByRole('button', { name: 'Delete…' }).click();
  await expect(page.getByTestId('delete-preview')).toContainText('The bus is too expensive');
  await page.screenshot({ path: screenshotPath('codebook-delete.png') });
  await page.getByTestId('confirm-delete').click();
  await expect(tree).not.toContainText('Transport');
  await expect(tree).not.toContainText('Bus');
  await page.keyboard.press('Control+z');
  await expect(tree).toContainText('Bus');
  const restored = await app.call('quotes.list', { codeId: transport.id, includeSubcodes: true });
  expect(restored.quotes.map((q) => q.text)).toEqual(['The bus is too expensive']);

  // Merge Rail into Transport from the code's panel.
  await tree.getByRole('button', { name: /Rail/ }).click();
  await page.getByRole('button', { name: 'Merge into…' }).click();
  await page.getByLabel('Merge into').selectOption(String(transport.id));
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(tree).not.toContainText('Rail');
  const merged = await app.call('quotes.list', { codeId: transport.id, includeSubcodes: true, sort: 'document' });
  expect(merged.quotes.map((q) => q.text)).toEqual(['The bus is too expensive', 'I take the train']);
  await page.screenshot({ path: screenshotPath('codebook.png') });
});

test('code with the Ctrl+K palette and in vivo; star a quote and write its memo', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Palette');
  const file = path.join(app.dir, 'P1 interview.txt');
  fs.writeFileSync(file, TRANSCRIPT);
  const [doc] = (await app.call('transcripts.import', { files: [{ path: file, participantName: 'P1' }] })).documents;
  await app.call('codes.create', { name: 'Reliability', keywords: ['late', 'on time'] });
  await app.call('codes.create', { name: 'Costs' });
  await page.goto(`${app.bridge.openUrl.split('#')[0]}#/codebook/code/${doc!.id}`);
  await expect(page.getByTestId('coding-reader')).toContainText('always late');

  // Ctrl+K, find the code by one of its keywords, Enter.
  await selectPhrase(page, 'it is always late');
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('on time');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quote-panel')).toContainText('Reliability');

  // In vivo: a new code named by the words themselves.
  await selectPhrase(page, 'which is reliable');
  await page.getByRole('button', { name: 'In vivo' }).click();
  await expect(page.getByTestId('quote-panel')).toContainText('which is reliable');
  expect((await app.call('codes.list', {})).map((c) => c.name)).toContain('which is reliable');

  // Star the quote and write a memo on it.
  await page.getByRole('button', { name: /Star for the report/ }).click();
  await expect(page.getByRole('button', { name: /Starred for the report/ })).toBeVisible();
  await page.getByLabel('Memo on this quote').fill('Contrast with the bus.');
  await page.getByRole('button', { name: 'Save memo' }).click();
  await expect(page.getByRole('button', { name: 'Save memo' })).toBeDisabled();
  const segments = await app.call('segments.list', { documentId: doc!.id });
  const reliable = segments.find((s) => s.text === 'which is reliable')!;
  expect(reliable.starred).toBe(true);
  expect((await app.call('memos.list', { targetKind: 'segment', targetId: reliable.id }))[0]!.body).toBe('Contrast with the bus.');
});

test('two coders: blind mode, then the agreement report with its disagreements', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Two coders');
  const file = path.join(app.dir, 'P1 interview.txt');
  fs.writeFileSync(file, TRANSCRIPT);
  const [doc] = (await app.call('transcripts.import', { files: [{ path: file, participantName: 'P1' }] })).documents;
  const detail = await app.call('documents.get', { id: doc!.id });
  const session = await app.call('coders.create', { name: 'Bea' });
  const me = session.coders.find((c) => c.name === 'me')!.id;
  const bea = session.coders.find((c) => c.name === 'Bea')!.id;
  const costs = await app.call('codes.create', { name: 'Costs' });
  const turn = (i: number) => ({ documentId: doc!.id, start: detail.turns[i]!.start, end: detail.turns[i]!.end });
  await app.call('codings.apply', { ...turn(1), codeId: costs.id, coderId: me });
  await app.call('codings.apply', { ...turn(1), codeId: costs.id, coderId: bea });
  await app.call('codings.apply', { ...turn(3), codeId: costs.id, coderId: bea });

  await page.goto(`${app.bridge.openUrl}#/codebook/agreement`);
  // The box shows the project's setting: it turns on once the core has stored it.
  const blind = page.getByLabel('Blind mode (each coder sees only their own codings)');
  await blind.click();
  await expect(blind).toBeChecked();
  await page.getByLabel('Current coder').selectOption(String(bea));
  await page.getByRole('tab', { name: 'Quotes' }).click();
  await page.getByLabel('Code', { exact: true }).selectOption(String(costs.id));
  await expect(page.getByTestId('quotes-count')).toHaveText('2 quotes for “Costs”');
  await page.getByRole('tab', { name: 'Coders & agreement' }).click();
  await page.getByLabel('Current coder').selectOption(String(me));
  await page.getByRole('tab', { name: 'Quotes' }).click();
  await page.getByLabel('Code', { exact: true }).selectOption(String(costs.id));
  await expect(page.getByTestId('quotes-count')).toHaveText('1 quote for “Costs”');

  await page.getByRole('tab', { name: 'Coders & agreement' }).click();
  await blind.click();
  await expect(blind).not.toBeChecked();
  await page.getByRole('checkbox', { name: 'me' }).check();
  await page.getByRole('checkbox', { name: 'Bea' }).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const table = page.getByTestId('agreement-table');
  // 4 turns; they agree on 3 (both code turn 2, neither codes turns 1 and 3), not on turn 4.
  await expect(table.getByRole('row', { name: /Costs/ })).toContainText('75.0%');
  await expect(page.getByRole('heading', { name: 'Disagreements (1)' })).toBeVisible();
  await expect(page.getByText('In winter I take the train, which is reliable.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('agreement.png') });
  const report = await app.call('agreement.run', { coderIds: [me, bea] });
  // κ for the 2×2 table (1,1)=1, (0,0)=2, (0,1)=1: po = .75, pe = .25·.5 + .75·.5 = .5, κ = .5
  expect(report.perCode[0]!.cohensKappa).toBeCloseTo(0.5, 10);
  await expect(table.getByRole('row', { name: /Costs/ })).toContainText('0.500');

  // Settle it: everyone codes that turn; the report updates; Ctrl+Z takes the settlement back.
  await page.getByRole('button', { name: 'All: yes' }).click();
  await expect(page.getByRole('heading', { name: 'Disagreements (0)' })).toBeVisible();
  await expect(table.getByRole('row', { name: /Costs/ })).toContainText('100.0%');
  expect((await app.call('agreement.run', { coderIds: [me, bea] })).disagreements).toEqual([]);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await app.call('agreement.run', { coderIds: [me, bea] })).disagreements.length).toBe(1);
});
