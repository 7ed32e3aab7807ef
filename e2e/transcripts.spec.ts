import fs from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import type { CoreEvent } from '../src/shared/events';
import { dropFiles } from './drop';
import { chooseFiles, createProjectThroughUi, expect, screenshotPath, test } from './fixtures';

const VTT = [
  'WEBVTT',
  '',
  '1',
  '00:00:01.000 --> 00:00:04.000',
  '<v Interviewer>How do you keep track of your models?</v>',
  '',
  '2',
  '00:00:04.500 --> 00:00:09.000',
  '<v Maria>We keep every version in a model registry, with an owner for each one.</v>',
  '',
  '3',
  '00:00:09.000 --> 00:00:12.000',
  '<v Interviewer>And costs?</v>',
].join('\n');

async function writeDocx(file: string): Promise<void> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun('MODERATOR: What slows your team down?')] }),
          new Paragraph({ children: [new TextRun('Chen: Honestly the model registry is fine; approvals are what slow us down.')] }),
          new Paragraph({ children: [new TextRun('MODERATOR: Thank you.')] }),
        ],
      },
    ],
  });
  fs.writeFileSync(file, await Packer.toBuffer(doc));
}

test('import a .vtt and a .docx, assign participants with attributes, and find a phrase', async ({ page, app }) => {
  const vtt = path.join(app.dir, 'maria-interview.vtt');
  const docx = path.join(app.dir, 'chen-interview.docx');
  fs.writeFileSync(vtt, VTT);
  await writeDocx(docx);

  await createProjectThroughUi(page, 'Platform interviews');
  const nav = page.getByRole('navigation', { name: 'Sections' });

  // Participants with attributes, typed into the grid.
  await nav.getByRole('link', { name: 'Participants' }).click();
  for (const name of ['P01', 'P02']) {
    await page.getByTestId('new-participant').fill(name);
    await page.getByTestId('new-participant').press('Enter');
    await expect(page.getByLabel(`Name of ${name}`)).toBeVisible();
  }
  for (const name of ['role', 'country']) {
    await page.getByTestId('new-attribute').fill(name);
    await page.getByTestId('add-attribute').click();
    await expect(page.getByLabel(`Attribute name ${name}`)).toBeVisible();
  }
  const cells: [string, string, string][] = [
    ['P01', 'role', 'engineering manager'],
    ['P01', 'country', 'US'],
    ['P02', 'role', 'data scientist'],
    ['P02', 'country', 'DE'],
  ];
  for (const [who, attribute, value] of cells) {
    const cell = page.getByTestId(`cell-${who}-${attribute}`);
    await cell.fill(value);
    await cell.press('Enter');
    await expect(cell).toHaveValue(value);
  }

  // Import both files in one batch; the preview shows the speakers found.
  await nav.getByRole('link', { name: 'Transcripts' }).click();
  await chooseFiles(page, () => page.getByTestId('import-transcripts').click(), [vtt, docx]);
  const files = page.getByTestId('import-file');
  await expect(files).toHaveCount(2);
  const vttFile = files.filter({ hasText: 'maria-interview.vtt' });
  const docxFile = files.filter({ hasText: 'chen-interview.docx' });
  await expect(vttFile.getByTestId('import-speaker')).toHaveCount(2);
  await expect(docxFile.getByTestId('import-speaker')).toHaveCount(2);
  // "Interviewer" and "MODERATOR" are pre-marked as interviewers; the user confirms and renames.
  await expect(vttFile.getByLabel('Interviewer is the interviewer')).toBeChecked();
  await expect(docxFile.getByLabel('MODERATOR is the interviewer')).toBeChecked();
  await expect(docxFile.getByLabel('Chen is the interviewer')).not.toBeChecked();
  await docxFile.getByLabel('Name for MODERATOR').fill('Interviewer (Sam)');
  await vttFile.getByTestId('import-participant').fill('P01');
  await docxFile.getByTestId('import-participant').fill('P02');
  await page.screenshot({ path: screenshotPath('transcripts-import.png') });
  await page.getByTestId('import-transcripts-confirm').click();

  await expect(page.getByTestId('document-row')).toHaveCount(2);
  await expect(page.getByTestId('document-list')).toContainText('P01');
  await expect(page.getByTestId('document-list')).toContainText('P02');

  // Find a phrase: KWIC lines with speaker and participant; filter by an attribute.
  await page.getByRole('tab', { name: 'Search' }).click();
  await page.getByTestId('search-input').fill('"model registry"');
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-count')).toContainText('2 matches');
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(2);
  await expect(hits.filter({ hasText: 'Maria' })).toContainText('P01');
  await expect(hits.filter({ hasText: 'Chen' })).toContainText('data scientist');
  await page.getByLabel('Filter by role').selectOption('engineering manager');
  await expect(page.getByTestId('search-count')).toContainText('1 match');
  await expect(hits).toHaveCount(1);
  await page.screenshot({ path: screenshotPath('transcripts-search.png') });

  // A click opens the passage in the reading view, with the match marked.
  await hits.first().click();
  const reading = page.getByTestId('reading-view');
  await expect(reading).toBeVisible();
  await expect(reading.locator('.rv-mark')).toHaveText('model registry');
  await expect(reading).toContainText('Maria');
  await expect(reading).toContainText('0:04');
  await page.screenshot({ path: screenshotPath('transcripts-reading.png') });

  // Selecting text (here from inside the mark to the middle of the next word) reports exact offsets.
  await reading.evaluate((el) => {
    const mark = el.querySelector('.rv-mark');
    const after = mark?.nextSibling;
    const markText = mark?.firstChild;
    const afterText = after?.firstChild;
    if (!markText || !afterText) throw new Error('no text to select');
    const range = el.ownerDocument.createRange();
    range.setStart(markText, 6);
    range.setEnd(afterText, 7);
    const selection = el.ownerDocument.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  });
  const info = page.getByTestId('selection-info');
  await expect(info).toContainText('registry, with');
  const start = Number(await info.getAttribute('data-start'));
  const end = Number(await info.getAttribute('data-end'));
  const maria = (await app.call('documents.list', {})).find((d) => d.name === 'maria-interview');
  const text = (await app.call('documents.get', { id: maria?.id ?? 0 })).text;
  expect(text.slice(start, end)).toBe('registry, with');

  // The same data, seen by the core.
  const docs = await app.call('documents.list', {});
  expect(docs.map((d) => [d.name, d.participantName]).sort()).toEqual([
    ['chen-interview', 'P02'],
    ['maria-interview', 'P01'],
  ]);
  const chen = docs.find((d) => d.name === 'chen-interview');
  const detail = await app.call('documents.get', { id: chen?.id ?? 0 });
  expect(detail.speakers.map((s) => [s.displayName, s.isInterviewer])).toEqual([
    ['Interviewer (Sam)', true],
    ['Chen', false],
  ]);
});

test('a 100,000-word transcript opens quickly and scrolls as a virtual list', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Long interview');
  const words = 'we moved the registry into the cloud last year and the approvals got faster'.split(' ');
  const turns: string[] = [];
  let count = 0;
  for (let i = 0; count < 100_000; i++) {
    const length = i % 2 === 0 ? 15 : 185;
    const body = Array.from({ length }, (_, k) => words[(i + k) % words.length]).join(' ');
    turns.push(`${i % 2 === 0 ? 'Interviewer' : 'Ana'}: ${i === 999 ? 'THE LAST WORDS ' : ''}${body}.`);
    count += length;
  }
  const file = path.join(app.dir, 'long.txt');
  fs.writeFileSync(file, turns.join('\n\n'));
  const { documents } = await app.call('transcripts.import', { files: [{ path: file }] });
  const doc = documents[0];
  expect(doc?.words).toBeGreaterThanOrEqual(100_000);

  const started = Date.now();
  await page.evaluate(`window.location.hash = '#/transcripts/${doc?.id ?? 0}'`);
  const reading = page.getByTestId('reading-view');
  await expect(reading.getByTestId('turn').first()).toBeVisible();
  const openMs = Date.now() - started;
  expect(openMs).toBeLessThan(5000);
  // Only what is on screen (plus a few) is in the page, not 1,000 turns.
  expect(await reading.getByTestId('turn').count()).toBeLessThan(40);

  // Scrolling through the whole interview keeps the page light and lands on the last turn.
  const scrollMs = await reading.evaluate(async (el) => {
    const t0 = performance.now();
    for (let i = 1; i <= 20; i++) {
      el.scrollTop = (el.scrollHeight * i) / 20;
      await new Promise((r) => setTimeout(r, 16));
    }
    // Heights of turns seen for the first time replace estimates: settle at the very end, like End.
    for (let i = 0; i < 5; i++) {
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => setTimeout(r, 16));
    }
    return performance.now() - t0;
  });
  expect(scrollMs).toBeLessThan(5000);
  await expect(reading).toContainText('THE LAST WORDS');
  expect(await reading.getByTestId('turn').count()).toBeLessThan(40);
  console.log(`100k words: opened in ${openMs} ms, scrolled top to bottom in 20 steps in ${Math.round(scrollMs)} ms`);
});

test('files dropped on the Transcripts page go to the same preview, and bad ones say why', async ({ page }) => {
  await createProjectThroughUi(page, 'Dropped files');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Transcripts' }).click();
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['1\\n00:00:01,000 --> 00:00:02,500\\nKim: Dropped subtitles work.\\n\\n2\\n00:00:03,000 --> 00:00:04,000\\nKim: Twice.\\n'], 'dropped.srt', { type: 'text/plain' }));
    dt.items.add(new File(['WEBVTT\\n\\n00:00:01.000 --> 00:00:0x.000\\nBroken\\n'], 'broken.vtt', { type: 'text/vtt' }));
    return dt;
  })()`);
  await page.dispatchEvent('.page', 'drop', { dataTransfer });
  const files = page.getByTestId('import-file');
  await expect(files).toHaveCount(2);
  await expect(files.filter({ hasText: 'dropped.srt' })).toContainText('1 turn ·');
  await expect(files.filter({ hasText: 'broken.vtt' }).getByRole('alert')).toContainText('broken.vtt, line 3');
  await page.getByTestId('import-transcripts-confirm').click();
  await expect(page.getByTestId('document-row')).toHaveCount(1);
  await expect(page.getByTestId('document-list')).toContainText('dropped');
});

test('an attribute sheet fills the participant grid, typed and editable', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Sheet import');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Participants' }).click();
  const sheet = path.join(app.dir, 'participants.csv');
  fs.writeFileSync(sheet, 'pseudonym,role,country,employees\nP01,SRE,US,"1,200"\nP02,Data scientist,DE,40\n');
  await chooseFiles(page, () => page.getByTestId('import-sheet').click(), [sheet]);
  await expect(page.getByLabel('Participant name column')).toHaveValue('pseudonym');
  await page.getByTestId('sheet-import-confirm').click();
  await expect(page.getByTestId('participant-row')).toHaveCount(2);
  await expect(page.getByTestId('cell-P01-employees')).toHaveValue('1200');
  await page.getByTestId('cell-P02-country').fill('FR');
  await page.getByTestId('cell-P02-country').press('Enter');
  await expect.poll(async () => {
    const grid = await app.call('participants.list', {});
    const country = grid.attributes.find((a) => a.name === 'country');
    return grid.participants.find((p) => p.name === 'P02')?.values[String(country?.id)];
  }).toBe('FR');
  await page.screenshot({ path: screenshotPath('participants.png') });
});

test('a .vtt and a .docx dragged onto the Transcripts page preview their speakers and import', async ({ page, app }) => {
  const vtt = path.join(app.dir, 'maria-interview.vtt');
  const docx = path.join(app.dir, 'chen-interview.docx');
  fs.writeFileSync(vtt, VTT);
  await writeDocx(docx);
  await createProjectThroughUi(page, 'Dragged interviews');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Transcripts' }).click();
  // The files land on the empty list's invitation; the whole page is the drop zone and lights up while dragging.
  await dropFiles(page.getByText('Import interview transcripts to read'), [vtt, docx], async () => {
    await expect(page.locator('.page.tx-drop')).toBeVisible();
  });
  await expect(page.locator('.page.tx-drop')).toHaveCount(0);
  const files = page.getByTestId('import-file');
  await expect(files).toHaveCount(2);
  await expect(files.filter({ hasText: 'maria-interview.vtt' }).getByTestId('import-speaker')).toHaveCount(2);
  await expect(files.filter({ hasText: 'chen-interview.docx' }).getByTestId('import-speaker')).toHaveCount(2);
  await files.filter({ hasText: 'maria-interview.vtt' }).getByTestId('import-participant').fill('P01');
  await page.getByTestId('import-transcripts-confirm').click();
  await expect(page.getByTestId('document-row')).toHaveCount(2);
  await expect(page.getByTestId('document-list')).toContainText('P01');
  const docs = await app.call('documents.list', { kind: 'transcript' });
  expect(docs.map((d) => [d.name, d.format, d.participantName]).sort()).toEqual([
    ['chen-interview', 'docx', null],
    ['maria-interview', 'vtt', 'P01'],
  ]);
  const maria = docs.find((d) => d.name === 'maria-interview');
  expect((await app.call('documents.get', { id: maria?.id ?? 0 })).text).toContain('We keep every version in a model registry');
});

test('Cancel while transcripts are being saved leaves none of them, and the next import works', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Cancelled transcripts');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Transcripts' }).click();
  // ~30 MB of interviews, saved and indexed in ~1 MB batches with a checkpoint between them.
  const words = 'we keep every model in a registry with an owner and the approvals are slow because security reviews each release'.split(' ');
  const paths: string[] = [];
  for (let f = 0; f < 120; f++) {
    const turns: string[] = [];
    for (let i = 0, size = 0; size < 250_000; i++) {
      const text = Array.from({ length: 40 }, (_, w) => words[(i * 7 + w * 3 + f) % words.length]).join(' ');
      const turn = `${i % 2 === 0 ? 'Interviewer' : `Person ${f + 1}`}: ${text}.`;
      turns.push(turn);
      size += turn.length + 1;
    }
    const file = path.join(app.dir, `interview-${String(f + 1).padStart(3, '0')}.txt`);
    fs.writeFileSync(file, turns.join('\n'));
    paths.push(file);
  }
  let writeSeenOpen = false;
  const stop = app.core.onEvent((event: CoreEvent) => {
    if (event.type === 'progress' && event.message.startsWith('Saving and indexing ')) writeSeenOpen ||= app.core.currentProject()?.writing ?? false;
  });
  await chooseFiles(page, () => page.getByTestId('import-transcripts').click(), paths);
  await expect(page.getByTestId('import-file')).toHaveCount(120);
  // Saving takes about a second here, and this process (core and test runner in one) answers the
  // browser only between batches, too slowly for a Playwright click: the page clicks Cancel itself
  // the moment its progress dialog says it is saving, as a user watching it would.
  await page.evaluate(() => {
    const watcher = new MutationObserver(() => {
      const dialog = document.querySelector('[data-testid="progress-dialog"]')?.closest('dialog');
      const message = dialog?.querySelector('[data-testid="progress-dialog"] p')?.textContent ?? '';
      if (!/^Saving and indexing \d+ of 120$/.test(message)) return;
      watcher.disconnect();
      document.body.dataset.cancelledAt = message;
      // A file dropped meanwhile must not replace the running import's dialog.
      const transfer = new DataTransfer();
      transfer.items.add(new File(['WEBVTT\n'], 'late.vtt'));
      document.querySelector('.page')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      const cancel = [...(dialog?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Cancel');
      cancel?.click();
    });
    watcher.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('import-transcripts-confirm').click();
  const progress = page.getByTestId('progress-dialog');
  await expect(page.getByTestId('toast-info').filter({ hasText: 'Cancelled. Nothing was changed.' })).toBeVisible();
  await expect(page.getByTestId('toast-info').filter({ hasText: 'being imported' })).toBeVisible();
  await expect(progress).toBeHidden();
  stop();
  expect(await page.locator('body').getAttribute('data-cancelled-at')).toMatch(/^Saving and indexing \d+ of 120$/);
  expect(writeSeenOpen).toBe(true);
  expect(await app.call('documents.list', {})).toEqual([]);
  expect((await app.call('participants.list', {})).participants).toEqual([]);
  expect(app.core.currentProject()?.writing).toBe(false);

  // Nothing is left held: a dropped file imports at once.
  const vtt = path.join(app.dir, 'after.vtt');
  fs.writeFileSync(vtt, VTT);
  await dropFiles(page.locator('.page'), [vtt]);
  await expect(page.getByTestId('import-file')).toHaveCount(1);
  await page.getByTestId('import-transcripts-confirm').click();
  await expect(page.getByTestId('document-row')).toHaveCount(1);
  expect((await app.call('documents.list', {})).map((d) => d.name)).toEqual(['after']);
});
