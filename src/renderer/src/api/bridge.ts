import type { FieldbookBridge } from '../../../shared/api';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    fieldbook?: FieldbookBridge;
  }
}

let bridge: FieldbookBridge | null = null;

/** Electron's preload bridge when present, else the loopback web bridge: the same API either way. */
export function getBridge(): FieldbookBridge {
  bridge ??= window.fieldbook ?? createWebBridge();
  return bridge;
}
