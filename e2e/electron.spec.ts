import { _electron as electron, type ElectronApplication } from 'playwright-core';
import type { TestInfo } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openProject } from '../src/core/store/project';
import { electronBinary } from '../scripts/electron-binary.mjs';
import { expect, test, ROOT } from './fixtures';

// The real desktop app. Runs wherever the Electron binary exists; says why it skipped elsewhere.
const found = electronBinary(ROOT);
const nativeBuild = path.join(ROOT, 'build', 'native', 'electron');

/** The binary, or null after skipping the test with the reason printed. */
function electronOrSkip(testInfo: TestInfo): string | null {
  const why = !found.path
    ? found.why
    : !fs.existsSync(nativeBuild)
      ? 'no Electron build of better-sqlite3 in build/native/electron (run `npm run electron:native` with internet)'
      : '';
  if (!why) return found.path;
  console.log(`[electron.spec] skipped: ${why}.`);
  testInfo.skip(true, why);
  return null;
}

interface Desktop {
  app: ElectronApplication;
  home: string;
  close(): Promise<void>;
}

/** Launches the app as `electron <repo> [args]`, with its own FIELDBOOK_HOME (and so its own instance lock). */
async function launch(binary: string, args: string[] = [], home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-electron-'))): Promise<Desktop> {
  const app = await electron.launch({
    executablePath: binary,
    args: [ROOT, '--no-sandbox', ...args],
    env: { ...process.env, FIELDBOOK_HOME: home, FIELDBOOK_OPEN_SAMPLE: '' },
  });
  return {
    app,
    home,
    close: async () => {
      await app.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** An empty project file, made by the core as the CLI would, and closed again. */
function makeProject(dir: string, name: string): string {
  const file = path.join(dir, `${name}.fieldbook`);
  openProject(file, { create: true }).close();
  return file;
}

/** File > Open Recent as the main process built it: label and state of each item. */
function recentMenu(app: ElectronApplication): Promise<{ label: string; enabled: boolean }[]> {
  return app.evaluate(({ Menu }) => {
    const file = Menu.getApplicationMenu()?.items.find((item) => item.label.replace('&', '') === 'File');
    const recent = file?.submenu?.items.find((item) => item.label === 'Open Recent');
    return (recent?.submenu?.items ?? []).map((item) => ({ label: item.label, enabled: item.enabled }));
  });
}

function clickRecent(app: ElectronApplication, label: string): Promise<void> {
  return app.evaluate(({ Menu }, wanted) => {
    const file = Menu.getApplicationMenu()?.items.find((item) => item.label.replace('&', '') === 'File');
    const recent = file?.submenu?.items.find((item) => item.label === 'Open Recent');
    const item = recent?.submenu?.items.find((i) => i.label === wanted);
    if (!item) throw new Error(`No "${wanted}" in File > Open Recent`);
    item.click();
  }, label);
}

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test asks for from this pattern.
test('the desktop app opens its window, creates a project and shows the shell', async ({}, testInfo) => {
  const binary = electronOrSkip(testInfo);
  if (!binary) return;
  const desktop = await launch(binary);
  try {
    const window = await desktop.app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
    // The preload exposes the bridge and nothing of Node.
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { fieldbook?: { call?: unknown } }).fieldbook?.call)).toBe('function');
    const projectPath = path.join(desktop.home, 'desktop.fieldbook');
    type Bridge = { fieldbook: { call: (m: string, i: unknown) => Promise<unknown>; saveFile: (o: unknown) => Promise<string | null> } };
    // A path the user never chose is refused by the main process (path capabilities)...
    const refused = await window.evaluate(
      (p) => (window as unknown as Bridge).fieldbook.call('project.create', { path: p }).then(() => 'created', (e: { code?: string }) => e.code),
      projectPath,
    );
    expect(refused).toBe('NOT_ALLOWED');
    // ...and accepted once it came out of the save dialog (played here by a stand-in in the main process).
    await desktop.app.evaluate(({ dialog }, file) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as typeof dialog.showSaveDialog;
    }, projectPath);
    await window.evaluate(async () => {
      const bridge = (window as unknown as Bridge).fieldbook;
      const chosen = await bridge.saveFile({ title: 'New project', defaultName: 'desktop.fieldbook' });
      await bridge.call('project.create', { path: chosen, overwrite: true });
    });
    await window.reload();
    await expect(window.getByTestId('statusbar')).toContainText(projectPath);
  } finally {
    await desktop.close();
  }
});

// eslint-disable-next-line no-empty-pattern -- as above.
test('a project named on the command line opens at start, and File > Open Recent lists, opens and clears', async ({}, testInfo) => {
  const binary = electronOrSkip(testInfo);
  if (!binary) return;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-projects-'));
  const first = makeProject(files, 'Wave 2024');
  const second = makeProject(files, 'R&D pilot');
  const desktop = await launch(binary, [first]);
  try {
    const window = await desktop.app.firstWindow();
    await expect(window.getByTestId('statusbar')).toContainText(first);
    // Open the second through the bridge, as the Open dialog would: both are now recent, newest first.
    await window.evaluate((p) => (window as unknown as { fieldbook: { call: (m: string, i: unknown) => Promise<unknown> } }).fieldbook.call('project.open', { path: p }), second);
    await expect(window.getByTestId('statusbar')).toContainText(second);
    const pilot = process.platform === 'darwin' ? 'R&D pilot' : 'R&&D pilot';
    await expect
      .poll(() => recentMenu(desktop.app))
      .toEqual([
        { label: pilot, enabled: true },
        { label: 'Wave 2024', enabled: true },
        { label: '', enabled: true },
        { label: 'Clear Recent', enabled: true },
      ]);
    await clickRecent(desktop.app, 'Wave 2024');
    await expect(window.getByTestId('statusbar')).toContainText(first);
    await clickRecent(desktop.app, 'Clear Recent');
    await expect
      .poll(() => recentMenu(desktop.app))
      .toEqual([
        { label: 'No Recent Projects', enabled: false },
        { label: '', enabled: true },
        { label: 'Clear Recent', enabled: false },
      ]);
    expect(JSON.parse(fs.readFileSync(path.join(desktop.home, 'recent.json'), 'utf8'))).toEqual({ projects: [] });
    // Clearing the list leaves the open project and the files alone.
    await expect(window.getByTestId('statusbar')).toContainText(first);
    expect(fs.existsSync(second)).toBe(true);
  } finally {
    await desktop.close();
    fs.rmSync(files, { recursive: true, force: true });
  }
});

// eslint-disable-next-line no-empty-pattern -- as above.
test('a .fieldbook file handed over by the OS opens in the running window: a second launch (Windows, Linux) and open-file (macOS)', async ({}, testInfo) => {
  const binary = electronOrSkip(testInfo);
  if (!binary) return;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-projects-'));
  const [a, b, c] = ['first', 'double-clicked', 'from Finder'].map((name) => makeProject(files, name));
  const desktop = await launch(binary, [a!]);
  try {
    const window = await desktop.app.firstWindow();
    await expect(window.getByTestId('statusbar')).toContainText(a!);
    // The file association runs `Fieldbook <file>`: a second process, which hands its argv to this
    // one through the single-instance lock and quits.
    const second = spawn(binary, [ROOT, '--no-sandbox', b!], { env: { ...process.env, FIELDBOOK_HOME: desktop.home, FIELDBOOK_OPEN_SAMPLE: '' }, cwd: files });
    const exitCode = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(exitCode).toBe(0);
    await expect(window.getByTestId('statusbar')).toContainText(b!);
    expect(desktop.app.windows()).toHaveLength(1);
    // macOS delivers a double-clicked file as the app's open-file event.
    await desktop.app.evaluate(({ app }, file) => {
      app.emit('open-file', { preventDefault() {} }, file);
    }, c!);
    await expect(window.getByTestId('statusbar')).toContainText(c!);
  } finally {
    await desktop.close();
    fs.rmSync(files, { recursive: true, force: true });
  }
});
