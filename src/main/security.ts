import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { RENDERER_CSP } from '../shared/csp';

/**
 * The decisions of Electron's main process that keep the renderer in its box, as plain functions:
 * unit-tested without Electron (security.test.ts); src/main/index.ts only wires them up.
 */

/** The renderer's policy (src/shared/csp.ts), also sent as a header on every response. */
export const CSP = RENDERER_CSP;

export type RendererEntry = { kind: 'file'; file: string } | { kind: 'url'; url: string };

/**
 * What the window loads. A packaged app always loads its own files: ELECTRON_RENDERER_URL (the dev
 * server of `electron-vite dev`) is honoured only in a development run, and only on loopback.
 */
export function rendererEntry(options: { isPackaged: boolean; devUrl: string | undefined; indexFile: string }): RendererEntry {
  if (!options.isPackaged && options.devUrl) {
    try {
      const url = new URL(options.devUrl);
      if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) return { kind: 'url', url: url.href };
    } catch {
      // Not a URL: fall back to the files.
    }
  }
  return { kind: 'file', file: options.indexFile };
}

/** True when a frame URL is the app's own page (its file or the dev server), whatever the #route. */
export function isAppUrl(frameUrl: string, entry: RendererEntry): boolean {
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (entry.kind === 'url') return url.origin === new URL(entry.url).origin;
  return url.protocol === 'file:' && url.pathname === pathToFileURL(path.resolve(entry.file)).pathname;
}

/** The parts of an IPC event the sender check reads (Electron's IpcMainInvokeEvent has them). */
export interface SenderEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * An IPC message is ours only when it comes from our window's main frame (the top frame: it has
 * no parent), showing our page: not from an iframe, another window, or a page the window was
 * somehow navigated to.
 */
export function isTrustedSender(event: SenderEvent, window: { webContents: unknown } | null, entry: RendererEntry): boolean {
  if (!window || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url, entry);
}

/** Links the renderer asks to open go to the user's browser only when they are plain https. */
export function externalLink(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

/** Every permission (camera, notifications, clipboard-read, …) asked or checked: no. */
export const denyPermissionRequest = (_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void => callback(false);
export const denyPermissionCheck = (): boolean => false;

/** The View menu: DevTools only in a development run, never in a packaged app. */
export function viewMenu(isPackaged: boolean): MenuItemConstructorOptions[] {
  return [
    { role: 'reload' },
    ...(isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { role: 'togglefullscreen' },
  ];
}
