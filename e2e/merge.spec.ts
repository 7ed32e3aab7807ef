import fs from 'node:fs';
import path from 'node:path';
import { chooseFiles, createProjectThroughUi, expect, screenshotPath, test, type App } from './fixtures';

const TRANSCRIPT = `INTERVIEWER: How do you get to work?

P1: I cycle every day 🚲. The bus is too expensive for me.

INTERVIEWER: And in winter?

P1: In winter I take the train, which is reliable.
`;

/** The study both coders start from, exported once so its documents and codes carry GUIDs. */
async function baseStudy(app: App): Promise<string> {
  const file = path.join(app.dir, 'base.fieldbook');
  await app.call('project.create', { path: file });
  const transcript = path.join(app.dir, 'P1 interview.txt');
  fs.writeFileSync(transcript, TRANSCRIPT);
  await app.call('transcripts.import', { files: [{ path: transcript, participantName: 'P1' }] });
  await app.call('coders.create', { name: 'ana' });
  await app.call('coders.create', { name: 'ben' });
  await app.call('codes.create', { name: 'Costs' });
  await app.call('export.qdpx', { path: path.join(app.dir, 'base.qdpx') });
  await app.call('project.close', {});
  return file;
}

/** A copy of the base study coded by one coder on the given turns, exported as that coder's .qdpx. */
async function codedCopy(app: App, base: string, coder: string, turns: number[]): Promise<string> {
  const copy = path.join(app.dir, `${coder}.fieldbook`);
  fs.copyFileSync(base, copy);
  await app.call('project.open', { path: copy });
  const [doc] = await app.call('documents.list', {});
  const detail = await app.call('documents.get', { id: doc!.id });
  const session = await app.call('coders.list', {});
  const coderId = session.coders.find((c) => c.name === coder)!.id;
  const costs = (await app.call('codes.list', {})).find((c) => c.name === 'Costs')!;
  for (const i of turns) {
    await app.call('codings.apply', { documentId: doc!.id, start: detail.turns[i]!.start, end: detail.turns[i]!.end, codeId: costs.id, coderId });
  }
  const out = await app.call('export.qdpx', { path: path.join(app.dir, `${coder}.qdpx`) });
  await app.call('project.close', {});
  return out.path;
}

test("two coders' copies, exported, merged from the Exports page, then their agreement", async ({ page, app }) => {
  const base = await baseStudy(app);
  // ana codes turns 1 and 2, ben turns 2 and 3 (of four).
  const anaFile = await codedCopy(app, base, 'ana', [1, 2]);
  const benFile = await codedCopy(app, base, 'ben', [2, 3]);

  await page.goto(app.bridge.openUrl);
  await createProjectThroughUi(page, 'Merged');
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await chooseFiles(page, () => page.getByTestId('import-refi').click(), [anaFile]);
  await expect(page.getByTestId('import-result')).toContainText('1 documents');
  await page.getByRole('button', { name: 'Dismiss' }).click();

  await chooseFiles(page, () => page.getByTestId('import-refi').click(), [benFile]);
  const report = page.getByTestId('merge-report');
  await expect(report).toContainText('P1 interview = P1 interview (same GUID)');
  await expect(report).toContainText('Codes: 1 matched by GUID, 0 by name, 0 added.');
  await expect(report.getByRole('row', { name: /ben/ })).toContainText('2');
  await expect(page.getByTestId('import-positions')).toContainText('code points');
  await page.screenshot({ path: screenshotPath('merge-report.png') });

  await page.goto(`${app.bridge.openUrl}#/codebook/agreement`);
  await page.getByRole('tab', { name: 'Coders & agreement' }).click();
  await page.getByRole('checkbox', { name: 'ana' }).check();
  await page.getByRole('checkbox', { name: 'ben' }).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  // Four turns: both code turn 2, neither turn 0; they differ on turns 1 and 3: 2 of 4 agree.
  await expect(page.getByTestId('agreement-table').getByRole('row', { name: /Costs/ })).toContainText('50.0%');
  await expect(page.getByRole('heading', { name: 'Disagreements (2)' })).toBeVisible();
});
