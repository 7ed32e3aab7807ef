import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, utilityProcess, type MenuItemConstructorOptions, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { MenuCommand } from '../shared/api';
import type { RecentProject } from '../shared/contract/index';
import { defaultAppDataDir } from '../host/settings';
import { createProjectOpener, openFailureMessage, projectPathFromArgv } from './open-file';
import { sampleDirPath, sqliteBindingPath } from './packaged';
import { recentMenuItems } from './recent';

/** Electron main: windows, menus, dialogs and security. The core runs in a utility process. */

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

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

function callCore(request: { method: unknown; input: unknown; jobId: unknown }): Promise<unknown> {
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
      resolve(envelope);
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

function buildMenu(recent: RecentProject[] = []): void {
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
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => sendMenu('edit.undo') },
        { label: 'Redo', accelerator: isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => sendMenu('edit.redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: '&View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: 'Fieldbook',
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // No navigation away from the app and no new windows; links open in the user's browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
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

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ipcMain.handle('fieldbook:call', (_event, request: { method: unknown; input: unknown; jobId: unknown }) => callCore(request));
  ipcMain.handle('fieldbook:openFiles', async (_event, options: { title?: string; multiple?: boolean; filters?: { name: string; extensions: string[] }[] }) => {
    if (!window) return null;
    const result = await dialog.showOpenDialog(window, {
      title: String(options?.title ?? 'Open'),
      properties: options?.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: Array.isArray(options?.filters) ? options.filters : [],
    });
    return result.canceled ? null : result.filePaths;
  });
  ipcMain.handle('fieldbook:saveFile', async (_event, options: { title?: string; defaultName?: string; filters?: { name: string; extensions: string[] }[] }) => {
    if (!window) return null;
    const result = await dialog.showSaveDialog(window, {
      title: String(options?.title ?? 'Save'),
      defaultPath: String(options?.defaultName ?? ''),
      filters: Array.isArray(options?.filters) ? options.filters : [],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  });
  ipcMain.handle('fieldbook:revealFile', (_event, filePath: unknown) => {
    if (typeof filePath === 'string') shell.showItemInFolder(filePath);
  });
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
