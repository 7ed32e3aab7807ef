#!/usr/bin/env node
// `npm start`: builds, then opens Fieldbook on the sample study, in Electron when its binary is
// installed, else (say so, in one line) in the browser through the loopback web bridge.
// `npm run web` (--web) always takes the browser route. Extra flags pass through to the web host
// (--port N, --project FILE, --no-sample).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const passThrough = args.filter((a) => a !== '--web');
const env = { ...process.env, DOTENV_CONFIG_QUIET: 'true' };

const build = spawnSync(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
if (build.status !== 0) {
  console.error('fieldbook: the build failed (see above).');
  process.exit(1);
}

const sample = !passThrough.includes('--no-sample') && !passThrough.includes('--project');
const electron = webOnly ? null : electronBinary(root).path;
if (electron) {
  // The desktop app opens a project named on its command line (src/main/open-file.ts).
  const project = passThrough.includes('--project') ? passThrough[passThrough.indexOf('--project') + 1] : undefined;
  const child = spawn(electron, [root, ...(project ? [path.resolve(project)] : [])], { stdio: 'inherit', env: { ...env, FIELDBOOK_OPEN_SAMPLE: sample ? '1' : '' } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!webOnly) {
    console.log('fieldbook: the Electron binary is not installed on this machine, so Fieldbook opens in your browser through the local web bridge instead.');
  }
  const webArgs = ['--import', 'tsx', path.join(root, 'src', 'host', 'web.ts'), '--launch', ...(sample ? ['--open-sample'] : []), ...passThrough.filter((a) => a !== '--no-sample')];
  const child = spawn(process.execPath, webArgs, { stdio: 'inherit', env, cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
  process.on('SIGINT', () => child.kill('SIGINT'));
}
