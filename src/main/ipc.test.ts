import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/core';
import { tempDir } from '../core/testing/index';
import { dispatch } from '../core/dispatch';
import { createIpcHandlers, type IpcDeps } from './ipc';
import { isTrustedSender, rendererEntry, type SenderEvent } from './security';

/**
 * The main process's IPC handlers against a real core (dispatch, a real project file), with the
 * window, its frames and the native dialogs played by plain objects: Electron cannot run here.
 */
describe('Electron IPC handlers', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let handlers: ReturnType<typeof createIpcHandlers>;
  const dialogs = { open: null as string[] | null, save: null as string | null, revealed: [] as string[] };
  const entry = rendererEntry({ isPackaged: true, devUrl: undefined, indexFile: '/app/out/renderer/index.html' });
  const mainFrame = { url: 'file:///app/out/renderer/index.html#/data', parent: null };
  const webContents = { mainFrame };
  const window = { webContents };
  const ours: SenderEvent = { sender: webContents, senderFrame: mainFrame };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    core = createCore({ appDataDir: path.join(dir, 'app'), host: 'electron', version: 't', sampleDir: path.join(dir, 'none') });
    const deps: IpcDeps = {
      trusted: (event) => isTrustedSender(event, window, entry),
      callCore: (request) => dispatch(core, request),
      showOpenDialog: async () => dialogs.open,
      showSaveDialog: async () => dialogs.save,
      showItemInFolder: (file) => dialogs.revealed.push(file),
      isFile: (file) => fs.existsSync(file) && fs.statSync(file).isFile(),
    };
    handlers = createIpcHandlers(deps);
    dialogs.open = null;
    dialogs.save = null;
    dialogs.revealed = [];
  });
  afterEach(() => {
    core.close();
    cleanup();
  });

  const call = (method: string, input: unknown, event = ours) => handlers.call(event, { method, input });

  it('refuses messages from anything but our window\'s main frame showing our page', async () => {
    // An iframe showing even our own page: it has a parent.
    const iframe = { url: mainFrame.url, parent: mainFrame };
    const strangers: SenderEvent[] = [
      { sender: {}, senderFrame: mainFrame },
      { sender: webContents, senderFrame: iframe },
      { sender: webContents, senderFrame: null },
      { sender: webContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: webContents, senderFrame: { url: 'file:///tmp/evil.html', parent: null } },
    ];
    for (const event of strangers) {
      await expect(call('app.info', {}, event)).rejects.toThrow(/did not come from the Fieldbook window/);
      await expect(handlers.openFiles(event, { title: 'Open' })).rejects.toThrow(/did not come from/);
      expect(() => handlers.revealFile(event, '/tmp/x')).toThrow(/did not come from/);
    }
    // Our main frame, navigated away from our page, is no longer ours.
    const navigated = { url: 'https://evil.example/', parent: null };
    const away = { webContents: { mainFrame: navigated } };
    expect(isTrustedSender({ sender: away.webContents, senderFrame: navigated }, away, entry)).toBe(false);
    expect((await call('app.info', {})).ok).toBe(true);
  });

  it('lets a call name only files chosen in a dialog or dropped', async () => {
    const secret = path.join(dir, 'id_rsa');
    fs.writeFileSync(secret, 'PRIVATE KEY');
    const projectFile = path.join(dir, 'chosen.fieldbook');
    // Not chosen: refused before the core sees it.
    expect(await call('project.create', { path: projectFile })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    dialogs.save = projectFile;
    expect(await handlers.saveFile(ours, { title: 'New project', defaultName: 'My study.fieldbook' })).toBe(projectFile);
    expect(await call('project.create', { path: projectFile, overwrite: true })).toMatchObject({ ok: true });

    expect(await call('survey.preview', { path: secret })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', details: { file: secret } } });
    expect(await call('export.codebook', { path: path.join(dir, 'startup.md'), format: 'md' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });

    const csv = path.join(dir, 'wave.csv');
    fs.writeFileSync(csv, 'id,q1\n1,yes\n2,no\n');
    dialogs.open = [csv];
    expect(await handlers.openFiles(ours, { title: 'Import survey', multiple: true, filters: [{ name: 'CSV', extensions: ['csv'] }] })).toEqual([csv]);
    expect(await call('survey.import', { path: csv, wave: '1' })).toMatchObject({ ok: true });
    // A chosen file is for reading: not a place to write an export.
    expect(await call('export.codebook', { path: csv, format: 'csv' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });

    const dropped = path.join(dir, 'dropped.vtt');
    fs.writeFileSync(dropped, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>Hello.</v>\n');
    expect(handlers.dropped(ours, [dropped, path.join(dir, 'missing.vtt'), dir])).toEqual([dropped]);
    expect(await call('transcripts.import', { files: [{ path: dropped }] })).toMatchObject({ ok: true });
    expect(await call('transcripts.import', { files: [{ path: dropped }, { path: secret }] })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  });

  it('opens projects from its own recent list, and shows in a folder only what an export wrote', async () => {
    const projectFile = path.join(dir, 'recent.fieldbook');
    await dispatch(core, { method: 'project.create', input: { path: projectFile } });
    await dispatch(core, { method: 'project.close', input: {} });
    expect(await call('project.open', { path: projectFile })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    const recent = await call('app.recent', {});
    expect(recent.ok).toBe(true);
    expect(await call('project.open', { path: projectFile })).toMatchObject({ ok: true });

    expect(() => handlers.revealFile(ours, '/etc/passwd')).toThrow(/not a file Fieldbook exported/);
    const target = path.join(dir, 'book');
    dialogs.save = target;
    await handlers.saveFile(ours, { title: 'Export', defaultName: 'book.md' });
    const written = await call('export.codebook', { path: target, format: 'md' });
    expect(written.ok).toBe(true);
    const file = (written as { result: { path: string } }).result.path;
    expect(file).toBe(`${target}.md`);
    handlers.revealFile(ours, file);
    expect(dialogs.revealed).toEqual([file]);
  });

  it('validates every dialog and path argument', async () => {
    for (const bad of [
      null,
      { title: '' },
      { title: 'x', filters: [{ name: 'All', extensions: ['../../etc'] }] },
      { title: 'x', filters: 'csv' },
      { title: 'x', extra: true },
      { title: 'x'.repeat(500) },
    ]) {
      await expect(handlers.openFiles(ours, bad)).rejects.toThrow(/Fieldbook refused: the open dialog options/);
    }
    for (const bad of [{ title: 'Save', defaultName: '/etc/cron.d/job' }, { title: 'Save', defaultName: '..\\..\\x' }, { title: 'Save' }]) {
      await expect(handlers.saveFile(ours, bad)).rejects.toThrow(/Fieldbook refused: the save dialog options/);
    }
    for (const bad of [42, '', 'relative/file.txt', ['a']]) expect(() => handlers.revealFile(ours, bad)).toThrow(/Fieldbook refused/);
    expect(() => handlers.dropped(ours, 'not a list')).toThrow(/dropped files/);
    expect(() => handlers.dropped(ours, ['relative.csv'])).toThrow(/absolute path/);
    expect(await handlers.call(ours, { method: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
