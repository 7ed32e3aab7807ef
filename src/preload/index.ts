import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { FieldbookBridge, MenuCommand } from '../shared/api';
import type { CoreEvent } from '../shared/events';
import { FieldbookError, isErrorInfo } from '../shared/errors';

// The preload exposes exactly one object, typed by the contract; nothing of Node or Electron leaks.
const bridge: FieldbookBridge = {
  host: 'electron',
  async call(method, input, options) {
    const envelope = (await ipcRenderer.invoke('fieldbook:call', { method, input, jobId: options?.jobId })) as
      | { ok: true; result: unknown }
      | { ok: false; error: unknown };
    if (envelope.ok) return envelope.result as never;
    throw isErrorInfo(envelope.error)
      ? FieldbookError.fromInfo(envelope.error)
      : new FieldbookError('INTERNAL', 'The core answered with an unreadable error.');
  },
  onEvent(listener) {
    const handler = (_event: unknown, payload: CoreEvent) => listener(payload);
    ipcRenderer.on('fieldbook:event', handler);
    return () => ipcRenderer.removeListener('fieldbook:event', handler);
  },
  openFiles: (options) => ipcRenderer.invoke('fieldbook:openFiles', options) as Promise<string[] | null>,
  // The main process grants the dropped files to this window (path capabilities) and answers with them.
  filesFromDrop: (files) => ipcRenderer.invoke('fieldbook:dropped', files.map((file) => webUtils.getPathForFile(file)).filter(Boolean)) as Promise<string[]>,
  saveFile: (options) => ipcRenderer.invoke('fieldbook:saveFile', options) as Promise<string | null>,
  revealFile: (filePath) => ipcRenderer.invoke('fieldbook:revealFile', filePath) as Promise<void>,
  onMenu(listener) {
    const handler = (_event: unknown, command: MenuCommand) => listener(command);
    ipcRenderer.on('fieldbook:menu', handler);
    return () => ipcRenderer.removeListener('fieldbook:menu', handler);
  },
};

contextBridge.exposeInMainWorld('fieldbook', bridge);
