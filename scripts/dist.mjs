#!/usr/bin/env node
// `npm run dist`: builds Fieldbook's installable package for this platform with electron-builder
// (build/electron-builder.config.ts): Linux AppImage and .deb, Windows NSIS installer, macOS dmg,
// into dist/. Extra arguments replace the default targets (`npm run dist -- --dir` for an
// unpacked app). It needs the Electron binary and the Electron build of better-sqlite3; where the
// binary cannot be had (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says so in one line and
// exits 0, so `npm run dist` is safe to call anywhere.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { electronBinary, electronVersion } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });

const found = electronBinary(root);
if (!found.path) {
  console.log(`fieldbook: no package built: ${found.why}; electron-builder packs that binary (install with internet and without ELECTRON_SKIP_BINARY_DOWNLOAD, then run \`npm run dist\`).`);
  process.exit(0);
}

const version = electronVersion(root);
const native = path.join(root, 'build', 'native', 'electron', `better_sqlite3-electron-${version}.node`);
if (!fs.existsSync(native)) run(process.execPath, [path.join(root, 'scripts', 'postinstall.mjs')]);
if (!fs.existsSync(native)) {
  console.error(`fieldbook: cannot package: ${path.relative(root, native)} (better-sqlite3 for Electron ${version}) is missing and could not be fetched; without it the app cannot open a project. Run \`npm run electron:native\` with internet.`);
  process.exit(1);
}

if (run(bin('electron-vite'), ['build']).status !== 0) {
  console.error('fieldbook: the build failed (see above).');
  process.exit(1);
}

function defaultTargets() {
  if (process.platform === 'darwin') return ['--mac', 'dmg'];
  if (process.platform === 'win32') return ['--win', 'nsis'];
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // electron-builder refuses a .deb without the project's web page (the Homepage field).
  if (!pkg.homepage) {
    console.log('fieldbook: building the AppImage only: a .deb needs "homepage" (the project\'s web page) in package.json.');
    return ['--linux', 'AppImage'];
  }
  return ['--linux', 'AppImage', 'deb'];
}

const extra = process.argv.slice(2);
const args = ['--config', path.join('build', 'electron-builder.config.ts'), ...(extra.length ? extra : defaultTargets())];
// Packages are made here, never uploaded (electron-builder would publish from CI on a tag).
if (!args.includes('--publish') && !args.includes('-p')) args.push('--publish', 'never');
// Pack the Electron that npm installed rather than downloading it again.
const installedDist = path.join(root, 'node_modules', 'electron', 'dist');
if (found.path.startsWith(installedDist + path.sep)) args.push(`-c.electronDist=${installedDist}`, `-c.electronVersion=${version}`);
const result = run(bin('electron-builder'), args);
if (result.status === 0) console.log('fieldbook: packages are in dist/.');
process.exit(result.status ?? 1);
