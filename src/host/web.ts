import path from 'node:path';
import { createCore } from '../core/core';
import { startBridge } from './bridge/server';
import { dispatch } from '../core/dispatch';
import { appVersion, defaultAppDataDir, findAppRoot } from './settings';

/** Opens (building on first use) the sample study; without it, the start screen shows. */
async function openSample(core: ReturnType<typeof createCore>): Promise<void> {
  console.log('Opening the sample study (built from resources/sample on first use)…');
  const envelope = await dispatch(core, { method: 'project.openSample', input: {} });
  if (!envelope.ok) console.log(`The sample study could not be opened: ${envelope.error.message} Starting on the start screen.`);
}

function uploadLimit(megabytes: string | undefined): number | undefined {
  if (megabytes === undefined) return undefined;
  const value = Number(megabytes);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--max-upload-mb takes a number of megabytes, not "${megabytes}".`);
  return Math.round(value * 1024 * 1024);
}

/**
 * `npm run web` (and `npm start` without an Electron binary): the same renderer and core, served
 * on 127.0.0.1. Options: --port N, --open-sample, --project FILE, --max-upload-mb N (or
 * FIELDBOOK_MAX_UPLOAD_MB; the largest file the browser may hand over, 2048 by default).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const root = findAppRoot(import.meta.dirname);
  const core = createCore({
    appDataDir: defaultAppDataDir(),
    host: 'web',
    version: appVersion(root),
    sampleDir: path.join(root, 'resources', 'sample'),
  });
  const project = value('--project');
  if (project) await core.run('project.open', { path: path.resolve(project) });
  else if (args.includes('--open-sample')) await openSample(core);
  const bridge = await startBridge({
    core,
    rendererDir: path.join(root, 'out', 'renderer'),
    port: Number(value('--port') ?? 0),
    token: process.env.FIELDBOOK_TOKEN,
    maxUploadBytes: uploadLimit(value('--max-upload-mb') ?? process.env.FIELDBOOK_MAX_UPLOAD_MB),
  });
  const start = bridge.openUrl;
  console.log(`Fieldbook is running at ${start}`);
  console.log('Open that address in a browser on this machine. Press Ctrl+C to stop.');
  if (args.includes('--launch')) {
    const { spawn } = await import('node:child_process');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [start], { stdio: 'ignore', detached: true }).on('error', () => {
      console.log('(Could not open a browser automatically; copy the address above.)');
    });
  }
  const stop = async () => {
    await bridge.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
