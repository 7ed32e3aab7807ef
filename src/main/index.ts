import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, utilityProcess, type MenuItemConstructorOptions, type UtilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { Envelope } from '../shared/api';
import type { MenuCommand } from '../shared/api';
import type { RecentProject } from '../shared/contract/index';
import { defaultAppDataDir } from '../host/settings';
import { createProjectOpener, openFailureMessage, projectPathFromArgv } from './open-file';
import { sampleDirPath, sqliteBindingPath } from './packaged';
import { recentMenuItems } from './recent';
import { createIpcHandlers } from './ipc';
import { CSP, denyPermissionCheck, denyPermissionRequest, externalLink, isTrustedSender, rendererEntry, viewMenu } from './security';

/**
 * Electron main: windows, menus, dialogs and security. The core runs in a utility process. What
 * decides (sender checks, path capabilities, input validation, permissions, what loads) lives in
 * ./security.ts and ./ipc.ts, tested without Electron; this file wires it to Electron.
 */

const entry = rendererEntry({
  isPackaged: app.isPackaged,
  devUrl: process.env.ELECTRON_RENDERER_URL,
  indexFile: path.join(import.meta.dirname, '../renderer/index.html'),
});

// FIELDBOOK_HOME (tests, portable installs) holds Electron's own data too, and with it the
// single-instance lock: a test's app never hands its files to a Fieldbook the user has open.
if (process.env.FIELDBOOK_HOME) app.setPath('userData', path.join(defaultAppDataDir(), 'electron'));
if (!app.requestSingleInstanceLock()) {
  app.quit();
}

let window: BrowserWindow | null = null;
let core: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (envelope: unknown) => void>();

function startCore(): UtilityProcess {
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'utility.js'), [], {
    serviceName: 'Fieldbook core',
    env: {
      ...process.env,
      FIELDBOOK_HOME: defaultAppDataDir(),
      FIELDBOOK_SAMPLE_DIR: sampleDirPath(app.getAppPath()),
      FIELDBOOK_SQLITE_BINDING: sqliteBindingPath(app.getAppPath(), process.versions.electron),
    },
  });
  child.on('message', (message: { kind: string; id?: number; envelope?: unknown; event?: unknown }) => {
    if (message.kind === 'reply' && message.id !== undefined) {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    } else if (message.kind === 'event') {
      window?.webContents.send('fieldbook:event', message.event);
      if ((message.event as { type?: string } | undefined)?.type === 'project.changed') void refreshUndoLabels();
    }
  });
  child.on('exit', (code) => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'INTERNAL', message: `The Fieldbook core stopped (exit code ${code}).` } });
    }
    pending.clear();
    core = null;
  });
  return child;
}

const OPENS_PROJECT = new Set(['project.open', 'project.create', 'project.openSample']);

/** A call from the main process itself (the menu) or, through ipc.ts's checks, from the renderer. */
function callCore(request: { method: unknown; input: unknown; jobId: unknown }): Promise<Envelope> {
  core ??= startCore();
  const id = nextId++;
  const child = core;
  return new Promise((resolve) => {
    pending.set(id, (envelope) => {
      const reply = envelope as { ok: boolean; result?: { path?: string } };
      if (reply.ok && typeof request.method === 'string' && OPENS_PROJECT.has(request.method) && reply.result?.path) {
        app.addRecentDocument(reply.result.path);
        void refreshMenu();
      }
      resolve(envelope as Envelope);
    });
    child.postMessage({
      kind: 'call',
      id,
      method: typeof request.method === 'string' ? request.method : '',
      input: request.input,
      jobId: typeof request.jobId === 'string' ? request.jobId : undefined,
    });
  });
}

function sendMenu(command: MenuCommand): void {
  window?.webContents.send('fieldbook:menu', command);
}

async function refreshMenu(): Promise<void> {
  const reply = (await callCore({ method: 'app.recent', input: {}, jobId: undefined })) as { ok: boolean; result?: RecentProject[] };
  buildMenu(reply.ok ? (reply.result ?? []) : []);
}

async function clearRecent(): Promise<void> {
  app.clearRecentDocuments();
  const reply = (await callCore({ method: 'app.clearRecent', input: {}, jobId: undefined })) as { ok: boolean; result?: RecentProject[] };
  buildMenu(reply.ok ? (reply.result ?? []) : []);
}

/** What Edit → Undo / Redo would do next, named in the menu before the user picks it. */
let undoLabels: { undo: string | null; redo: string | null } = { undo: null, redo: null };
let shownRecent: RecentProject[] = [];

async function refreshUndoLabels(): Promise<void> {
  const reply = (await callCore({ method: 'history.state', input: {}, jobId: undefined })) as {
    ok: boolean;
    result?: { undoLabel: string | null; redoLabel: string | null };
  };
  const next = reply.ok && reply.result ? { undo: reply.result.undoLabel, redo: reply.result.redoLabel } : { undo: null, redo: null };
  if (next.undo === undoLabels.undo && next.redo === undoLabels.redo) return;
  undoLabels = next;
  buildMenu(shownRecent);
}

function buildMenu(recent: RecentProject[] = shownRecent): void {
  shownRecent = recent;
  const isMac = process.platform === 'darwin';
  const recentItems = recentMenuItems(recent, { open: (projectPath) => opener.request(projectPath), clear: () => void clearRecent() });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => sendMenu('project.new') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => sendMenu('project.open') },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Import Survey…', click: () => sendMenu('import.survey') },
        { label: 'Import Transcripts…', click: () => sendMenu('import.transcripts') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => sendMenu('export.open') },
        { type: 'separator' },
        { label: 'Close Project', click: () => sendMenu('project.close') },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // Undo/redo act on the project's operation log, not on text fields' own history.
        { label: undoLabels.undo ? `Undo ${undoLabels.undo}` : 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => sendMenu('edit.undo') },
        { label: undoLabels.redo ? `Redo ${undoLabels.redo}` : 'Redo', accelerator: isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => sendMenu('edit.redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: '&View', submenu: viewMenu(app.isPackaged) },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// Electronegativity 1.10.3 findings on this file, each handled (see security-lint.test.ts):
// - AUXCLICK_JS_CHECK: a middle-click opens a window through setWindowOpenHandler, which denies all.
// - PRELOAD_JS_CHECK: the preload exposes one typed object through contextBridge, no ipcRenderer.
// - OPEN_EXTERNAL_JS_CHECK: only a URL that externalLink() parsed as plain https is opened.
// - CSP_GLOBAL_CHECK: it cannot parse a policy built from parts (security.ts's CSP), and it rates
//   style-src 'unsafe-inline' low risk: React sets style attributes; no script runs from them.
function createWindow(): void {
  window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: 'Fieldbook',
    show: false,
    webPreferences: {
      // The one bridge: contextBridge.exposeInMainWorld('fieldbook', …), every message checked in ipc.ts.
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !app.isPackaged,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // No navigation away from the app (hash routes are in-page and fire none of these), no redirects,
  // no webviews, and no new windows: https links open in the user's browser (middle-click too).
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link) void shell.openExternal(link);
    return { action: 'deny' };
  });
  if (entry.kind === 'url') void window.loadURL(entry.url);
  else void window.loadFile(entry.file);
}

// A project handed over by the OS (command line, file association, macOS open-file, Open
// Recent) opens in the one window; if it cannot be opened, the user is told why.
const opener = createProjectOpener(async (projectPath) => {
  if (!window || window.isDestroyed()) createWindow();
  const reply = (await callCore({ method: 'project.open', input: { path: projectPath }, jobId: undefined })) as { ok: boolean; error?: { message?: string } };
  if (!reply.ok) {
    const { message, detail } = openFailureMessage(projectPath, reply.error?.message ?? 'The project could not be opened.');
    void dialog.showMessageBox({ type: 'error', message, detail });
  }
});

// macOS: a double-clicked .fieldbook file or one dropped on the Dock icon, possibly before ready.
app.on('open-file', (event, projectPath) => {
  event.preventDefault();
  opener.request(projectPath);
});

app.on('second-instance', (_event, argv, workingDirectory) => {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
  opener.request(projectPathFromArgv(argv, { defaultApp: process.defaultApp === true, cwd: workingDirectory }));
});

const ipc = createIpcHandlers({
  trusted: (event) => isTrustedSender(event, window, entry),
  callCore: (request) => callCore(request),
  async showOpenDialog(options) {
    if (!window) return null;
    const result = await dialog.showOpenDialog(window, {
      title: options.title,
      properties: options.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: options.filters ?? [],
    });
    return result.canceled ? null : result.filePaths;
  },
  async showSaveDialog(options) {
    if (!window) return null;
    const result = await dialog.showSaveDialog(window, { title: options.title, defaultPath: options.defaultName, filters: options.filters ?? [] });
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  showItemInFolder: (file) => shell.showItemInFolder(file),
  isFile: (file) => fs.existsSync(file) && fs.statSync(file).isFile(),
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  ipcMain.handle('fieldbook:call', (event, request: unknown) => ipc.call(event, request));
  ipcMain.handle('fieldbook:openFiles', (event, options: unknown) => ipc.openFiles(event, options));
  ipcMain.handle('fieldbook:saveFile', (event, options: unknown) => ipc.saveFile(event, options));
  ipcMain.handle('fieldbook:revealFile', (event, file: unknown) => ipc.revealFile(event, file));
  ipcMain.handle('fieldbook:dropped', (event, paths: unknown) => ipc.dropped(event, paths));
  buildMenu();
  void refreshMenu();
  createWindow();
  opener.request(projectPathFromArgv(process.argv, { defaultApp: process.defaultApp === true, cwd: process.cwd() }));
  opener.ready();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  core?.postMessage({ kind: 'shutdown' });
  if (process.platform !== 'darwin') app.quit();
});
