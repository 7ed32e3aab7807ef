// A stand-in for the `electron` module, so the built main bundle (out/main/index.js) can run under
// plain Node in a test (src/main/main-bundle.test.ts): it records what the main process asks of
// Electron and answers the core's calls from a script. It checks the wiring of index.ts, not
// Electron; the real app is driven by e2e/electron.spec.ts where the binary exists. Anything the
// main process uses that is not modelled here is a no-op, so new security settings do not break it.
import { EventEmitter } from 'node:events';

const log = [];
const record = (entry) => log.push(entry);
let readyResolve;
const readyPromise = new Promise((resolve) => (readyResolve = resolve));
let applicationMenu = null;
/** What the fake core answers: the recent list, and the paths that are not projects. */
const coreState = { recent: [], notProjects: new Set(), history: { undoLabel: null, redoLabel: null }, children: [] };

/** Any property is a no-op function (chainable as an object too): for APIs the test does not follow. */
const anything = () =>
  new Proxy(function noop() {}, {
    get: (target, key) => (key === 'then' ? undefined : key in target ? target[key] : anything()),
    apply: () => undefined,
  });
const tolerant = (object) => new Proxy(object, { get: (target, key) => (key in target ? target[key] : anything()) });

const appEvents = new EventEmitter();
export const app = tolerant({
  on: (event, listener) => (appEvents.on(event, listener), app),
  once: (event, listener) => (appEvents.once(event, listener), app),
  emit: (event, ...args) => appEvents.emit(event, ...args),
  whenReady: () => readyPromise,
  requestSingleInstanceLock: () => true,
  getAppPath: () => process.env.FIELDBOOK_TEST_APP_PATH ?? process.cwd(),
  setPath: (name, value) => record({ kind: 'setPath', name, value }),
  addRecentDocument: (file) => record({ kind: 'addRecentDocument', file }),
  clearRecentDocuments: () => record({ kind: 'clearRecentDocuments' }),
  quit: () => record({ kind: 'quit' }),
  isPackaged: false,
});

class FakeWindow extends EventEmitter {
  static all = [];
  static getAllWindows = () => FakeWindow.all;
  constructor(options) {
    super();
    FakeWindow.all.push(this);
    record({ kind: 'window', preload: options?.webPreferences?.preload ?? null });
    this.webContents = tolerant({ send: (channel, payload) => record({ kind: 'send', channel, payload }), on: () => undefined });
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  focus = () => record({ kind: 'focus' });
  restore = () => undefined;
  show = () => undefined;
  loadFile = () => Promise.resolve();
  loadURL = () => Promise.resolve();
}
export const BrowserWindow = new Proxy(FakeWindow, { get: (target, key) => (key in target ? target[key] : anything()) });

export const Menu = tolerant({
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => (applicationMenu = menu),
});

export const dialog = tolerant({
  showMessageBox: (...args) => {
    const options = args.length > 1 ? args[1] : args[0];
    record({ kind: 'messageBox', type: options.type, message: options.message, detail: options.detail });
    return Promise.resolve({ response: 0 });
  },
});

/** The core's utility process: replies like the real dispatch for the methods the main process calls itself. */
function fakeCore(modulePath, options) {
  const child = new EventEmitter();
  const env = options?.env ?? {};
  record({ kind: 'fork', modulePath, env: { sqlite: env.FIELDBOOK_SQLITE_BINDING, sample: env.FIELDBOOK_SAMPLE_DIR, home: env.FIELDBOOK_HOME } });
  child.postMessage = (message) => {
    if (message.kind !== 'call') return;
    record({ kind: 'call', method: message.method, input: message.input });
    let envelope;
    if (message.method === 'app.recent') envelope = { ok: true, result: coreState.recent };
    else if (message.method === 'history.state') envelope = { ok: true, result: coreState.history };
    else if (message.method === 'app.clearRecent') {
      coreState.recent = [];
      envelope = { ok: true, result: [] };
    } else if (message.method === 'project.open' && coreState.notProjects.has(message.input.path)) {
      envelope = { ok: false, error: { code: 'NOT_SQLITE', message: 'This file is not a Fieldbook project (it is not an SQLite database).' } };
    } else if (message.method === 'project.open') {
      const file = message.input.path;
      coreState.recent = [{ path: file, name: file.split('/').pop().replace(/\.fieldbook$/, ''), openedAt: new Date().toISOString(), exists: true }, ...coreState.recent.filter((r) => r.path !== file)];
      envelope = { ok: true, result: { path: file } };
    } else envelope = { ok: true, result: null };
    setImmediate(() => child.emit('message', { kind: 'reply', id: message.id, envelope }));
  };
  child.kill = () => true;
  coreState.children.push(child);
  return child;
}
export const utilityProcess = tolerant({ fork: (modulePath, _args, options) => fakeCore(modulePath, options) });

export const ipcMain = tolerant({ handle: (channel) => record({ kind: 'ipc', channel }), on: () => undefined });
export const session = tolerant({ defaultSession: anything() });
export const shell = anything();
export const webUtils = anything();
export const contextBridge = anything();
export const ipcRenderer = anything();

/** The test's handle on the stand-in. */
globalThis.electronStandIn = {
  log,
  coreState,
  ready: () => readyResolve(),
  /** The core sends an event (project.changed...) to the main process. */
  coreEvent: (event) => coreState.children.forEach((child) => child.emit('message', { kind: 'event', event })),
  /** Edit menu's item labels as built. */
  editMenu: () => (applicationMenu?.template.find((item) => item.label?.replace('&', '') === 'Edit')?.submenu ?? []).map((item) => item.label ?? item.role ?? item.type),
  /** File > Open Recent's items as built (label, enabled, and a click() that runs the item's action). */
  openRecent: () => {
    const file = applicationMenu?.template.find((item) => item.label?.replace('&', '') === 'File');
    return file?.submenu.find((item) => item.label === 'Open Recent')?.submenu ?? [];
  },
};

export default { app, BrowserWindow, Menu, dialog, utilityProcess, ipcMain, session, shell };
