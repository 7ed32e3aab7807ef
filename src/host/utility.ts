import path from 'node:path';
import { createCore } from '../core/core';
import { dispatch } from '../core/dispatch';
import { appVersion, findAppRoot } from './settings';

/**
 * Entry of Electron's utility process: the core runs here, so a long import or model training
 * never freezes the window. Talks to the main process with plain messages (no electron import:
 * `process.parentPort` is the utility process's channel).
 */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('utility.ts must run inside an Electron utility process.');

const appDataDir = process.env.FIELDBOOK_HOME ?? '';
const root = findAppRoot(import.meta.dirname);
const core = createCore({
  appDataDir,
  host: 'electron',
  version: appVersion(root),
  sampleDir: process.env.FIELDBOOK_SAMPLE_DIR ?? path.join(root, 'resources', 'sample'),
  // Built beside this bundle from src/core/worker.ts (electron.vite.config.ts).
  workerScript: path.join(import.meta.dirname, 'worker.js'),
});
core.onEvent((event) => parentPort.postMessage({ kind: 'event', event }));
// `npm start` opens the app on the sample study; the renderer picks up the open project from app.info.
const ready =
  process.env.FIELDBOOK_OPEN_SAMPLE === '1' ? dispatch(core, { method: 'project.openSample', input: {} }).then(() => undefined) : Promise.resolve();

parentPort.on('message', ({ data }) => {
  const message = data as { kind?: string; id?: number; method?: string; input?: unknown; jobId?: string };
  if (message.kind === 'call' && typeof message.id === 'number') {
    void ready
      .then(() => dispatch(core, { method: String(message.method), input: message.input, jobId: message.jobId }))
      .then((envelope) => parentPort.postMessage({ kind: 'reply', id: message.id, envelope }));
  } else if (message.kind === 'shutdown') {
    core.close();
    process.exit(0);
  }
});
