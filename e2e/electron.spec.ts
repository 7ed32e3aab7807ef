import { _electron as electron } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBinary } from '../scripts/electron-binary.mjs';
import { expect, test, ROOT } from './fixtures';

// The real desktop app. Runs wherever the Electron binary exists; says why it skipped elsewhere.
const found = electronBinary(ROOT);
const nativeBuild = path.join(ROOT, 'build', 'native', 'electron');

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test asks for from this pattern.
test('the desktop app opens its window, creates a project and shows the shell', async ({}, testInfo) => {
  if (!found.path) {
    console.log(`[electron.spec] skipped: ${found.why}.`);
    testInfo.skip(true, found.why);
    return;
  }
  if (!fs.existsSync(nativeBuild)) {
    const why = 'no Electron build of better-sqlite3 in build/native/electron (run `npm run electron:native` with internet)';
    console.log(`[electron.spec] skipped: ${why}.`);
    testInfo.skip(true, why);
    return;
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-electron-'));
  const app = await electron.launch({
    executablePath: found.path,
    args: [ROOT, '--no-sandbox'],
    env: { ...process.env, FIELDBOOK_HOME: home, FIELDBOOK_OPEN_SAMPLE: '' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
    // The preload exposes the bridge and nothing of Node.
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { fieldbook?: { call?: unknown } }).fieldbook?.call)).toBe('function');
    const projectPath = path.join(home, 'desktop.fieldbook');
    await window.evaluate((p) => (window as unknown as { fieldbook: { call: (m: string, i: unknown) => Promise<unknown> } }).fieldbook.call('project.create', { path: p }), projectPath);
    await window.reload();
    await expect(window.getByTestId('statusbar')).toContainText(projectPath);
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
