import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDirPath, sqliteBindingPath } from './packaged';

// The built main bundle (out/main/index.js) under plain Node, with src/main/testing's stand-in for
// the electron module: checks how index.ts wires the OS's requests (command line, second launch,
// macOS open-file, File > Open Recent) to the core. Electron itself is driven by
// e2e/electron.spec.ts wherever its binary exists.
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BUILT_MAIN = path.join(ROOT, 'out', 'main', 'index.js');
const builtMainAvailable = fs.existsSync(BUILT_MAIN);
if (!builtMainAvailable) console.log(`[main bundle tests] ${BUILT_MAIN} is not built: run \`npm run build\` (npm test builds first).`);

type Entry = { kind: string; [key: string]: unknown };

async function runMain(argv: string[], home: string, scenario: string): Promise<{ code: number | null; stderr: string; log: Entry[] }> {
  const harness = `
    import { register } from 'node:module';
    register(${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'testing', 'electron-loader.mjs')).href)});
    Object.defineProperty(process.versions, 'electron', { value: '45.5.0' });
    process.argv = ${JSON.stringify(argv)};
    await import(${JSON.stringify(pathToFileURL(BUILT_MAIN).href)});
    const { app } = await import('electron');
    const stand = globalThis.electronStandIn;
    const log = stand.log;
    const until = async (what, test) => {
      for (let i = 0; i < 1000; i++) {
        if (test()) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('timed out waiting for ' + what);
    };
    const opened = (file) => log.some((e) => e.kind === 'call' && e.method === 'project.open' && e.input.path === file);
    const menu = () => stand.openRecent().map((i) => ({ label: i.label ?? i.type, enabled: i.enabled }));
    ${scenario}
    console.log(JSON.stringify(log));
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', harness], {
    cwd: ROOT,
    env: { ...process.env, FIELDBOOK_HOME: home, FIELDBOOK_TEST_APP_PATH: ROOT, DOTENV_CONFIG_QUIET: 'true' },
  });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr, log: code === 0 ? (JSON.parse(out.trim().split('\n').pop() ?? '[]') as Entry[]) : [] };
}

const calls = (log: Entry[], method: string) => log.filter((e) => e.kind === 'call' && e.method === method).map((e) => e.input);

describe.skipIf(!builtMainAvailable)('the built main process (stand-in electron)', () => {
  let home = '';
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-main-'));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('opens the file macOS sends before ready, then the one on the command line, each once, in order', async () => {
    const run = await runMain(['/opt/Fieldbook/fieldbook', '--no-sandbox', '/data/from-argv.fieldbook'], home, `
      let prevented = false;
      app.emit('open-file', { preventDefault: () => (prevented = true) }, '/data/from-finder.fieldbook');
      await new Promise((r) => setTimeout(r, 50));
      log.push({ kind: 'before ready', opens: log.filter((e) => e.method === 'project.open').length, prevented });
      stand.ready();
      await until('both opens', () => opened('/data/from-argv.fieldbook'));
      await until('the menu', () => menu().length === 4);
      log.push({ kind: 'menu', items: menu() });
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Nothing is opened before the app is ready, but macOS's event is taken (not left to the OS).
    expect(run.log.find((e) => e.kind === 'before ready')).toEqual({ kind: 'before ready', opens: 0, prevented: true });
    expect(calls(run.log, 'project.open')).toEqual([{ path: '/data/from-finder.fieldbook' }, { path: '/data/from-argv.fieldbook' }]);
    expect(run.log.filter((e) => e.kind === 'addRecentDocument').map((e) => e.file)).toEqual(['/data/from-finder.fieldbook', '/data/from-argv.fieldbook']);
    expect(run.log.find((e) => e.kind === 'menu')?.items).toEqual([
      { label: 'from-argv', enabled: true },
      { label: 'from-finder', enabled: true },
      { label: 'separator' },
      { label: 'Clear Recent', enabled: true },
    ]);
    // The core process and the window get the built files, and the core the paths packaged.ts gives.
    const fork = run.log.find((e) => e.kind === 'fork');
    expect(fork?.modulePath).toBe(path.join(ROOT, 'out', 'main', 'utility.js'));
    expect(fork?.env).toEqual({ sqlite: sqliteBindingPath(ROOT, '45.5.0'), sample: sampleDirPath(ROOT), home });
    const preload = run.log.find((e) => e.kind === 'window')?.preload as string;
    expect(fs.existsSync(preload) && preload.endsWith(path.join('out', 'preload', 'index.cjs'))).toBe(true);
    // FIELDBOOK_HOME keeps Electron's own data (and the instance lock) apart too.
    expect(run.log.find((e) => e.kind === 'setPath')).toEqual({ kind: 'setPath', name: 'userData', value: path.join(home, 'electron') });
  });

  it('opens what a second launch passes (a double-click on Windows and Linux), relative to its folder, and says when a file is not a project', async () => {
    const run = await runMain(['/opt/Fieldbook/fieldbook'], home, `
      stand.coreState.notProjects.add('/data/notes.fieldbook');
      stand.ready();
      await until('the menu', () => menu().length > 0);
      app.emit('second-instance', {}, ['C:/Fieldbook/Fieldbook.exe', '--allow-file-access-from-files', 'wave2/study.fieldbook'], '/home/ana');
      await until('the second launch', () => opened('/home/ana/wave2/study.fieldbook'));
      app.emit('second-instance', {}, ['/opt/Fieldbook/fieldbook', '/data/notes.fieldbook'], '/');
      await until('the error box', () => log.some((e) => e.kind === 'messageBox'));
      app.emit('second-instance', {}, ['/opt/Fieldbook/fieldbook'], '/');
      await new Promise((r) => setTimeout(r, 50));
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Nothing on its own command line: nothing opened at start; a launch without a file only focuses.
    expect(calls(run.log, 'project.open')).toEqual([{ path: '/home/ana/wave2/study.fieldbook' }, { path: '/data/notes.fieldbook' }]);
    expect(run.log.filter((e) => e.kind === 'focus')).toHaveLength(3);
    expect(run.log.find((e) => e.kind === 'messageBox')).toEqual({
      kind: 'messageBox',
      type: 'error',
      message: 'Fieldbook could not open notes.fieldbook',
      detail: 'This file is not a Fieldbook project (it is not an SQLite database).\n\n/data/notes.fieldbook',
    });
    // A refused file is not added to the OS's recent documents.
    expect(run.log.filter((e) => e.kind === 'addRecentDocument').map((e) => e.file)).toEqual(['/home/ana/wave2/study.fieldbook']);
  });

  it('File > Open Recent opens the project clicked, and Clear Recent empties both lists', async () => {
    const run = await runMain(['/opt/Fieldbook/fieldbook'], home, `
      stand.coreState.recent = [
        { path: '/w/2025.fieldbook', name: '2025', openedAt: '2025-02-01T00:00:00Z', exists: true },
        { path: '/w/2024.fieldbook', name: '2024', openedAt: '2025-01-01T00:00:00Z', exists: true },
      ];
      stand.ready();
      await until('the menu', () => menu().length === 4);
      stand.openRecent().find((i) => i.label === '2024').click();
      await until('the open', () => opened('/w/2024.fieldbook'));
      await until('the new order', () => menu()[0].label === '2024');
      stand.openRecent().find((i) => i.label === 'Clear Recent').click();
      await until('the cleared menu', () => menu()[0].label === 'No Recent Projects');
      log.push({ kind: 'menu', items: menu() });
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(calls(run.log, 'project.open')).toEqual([{ path: '/w/2024.fieldbook' }]);
    expect(calls(run.log, 'app.clearRecent')).toEqual([{}]);
    expect(run.log.some((e) => e.kind === 'clearRecentDocuments')).toBe(true);
    expect(run.log.find((e) => e.kind === 'menu')?.items).toEqual([
      { label: 'No Recent Projects', enabled: false },
      { label: 'separator' },
      { label: 'Clear Recent', enabled: false },
    ]);
  });

  it('names what Edit → Undo and Redo will do, refreshed when the core reports a change', async () => {
    const run = await runMain(['/opt/Fieldbook/fieldbook', '--no-sandbox'], home, `
      stand.ready();
      await until('the menu', () => stand.editMenu().length > 0);
      log.push({ kind: 'edit', items: stand.editMenu().slice(0, 2) });
      stand.coreState.history = { undoLabel: 'Rename code “Edge”', redoLabel: 'Delete code “GPU”' };
      stand.coreEvent({ type: 'project.changed', topics: ['codes'] });
      await until('the named items', () => stand.editMenu()[0] !== 'Undo');
      log.push({ kind: 'edit', items: stand.editMenu().slice(0, 2) });
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.log.filter((e) => e.kind === 'edit').map((e) => e.items)).toEqual([
      ['Undo', 'Redo'],
      ['Undo Rename code “Edge”', 'Redo Delete code “GPU”'],
    ]);
  });
});
