#!/usr/bin/env node
// better-sqlite3 needs Node's ABI for tests and the CLI, and Electron's ABI inside the app.
// npm builds the Node one. Here we fetch the Electron one *beside* it (never replacing it) into
// build/native/electron/, which src/core/store/native.ts loads through better-sqlite3's
// `nativeBinding` option when running inside Electron. It only runs where the Electron binary was
// installed (a user's machine with internet), and it never fails the install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronPkg = path.join(root, 'node_modules', 'electron');
if (!fs.existsSync(path.join(electronPkg, 'path.txt'))) {
  console.log('fieldbook: no Electron binary installed; skipping the Electron build of better-sqlite3 (tests, CLI and `npm run web` do not need it).');
  process.exit(0);
}
const electronVersion = JSON.parse(fs.readFileSync(path.join(electronPkg, 'package.json'), 'utf8')).version;
const sqlitePkg = path.join(root, 'node_modules', 'better-sqlite3');
const target = path.join(root, 'build', 'native', 'electron', `better_sqlite3-electron-${electronVersion}.node`);
if (fs.existsSync(target)) process.exit(0);

// Work on a copy so the Node build in node_modules is never touched.
const work = fs.mkdtempSync(path.join(root, 'build', '.native-'));
try {
  fs.cpSync(sqlitePkg, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
  const prebuild = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prebuild-install.cmd' : 'prebuild-install');
  const result = spawnSync(prebuild, ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], {
    cwd: work,
    stdio: 'inherit',
    timeout: 120_000,
    shell: process.platform === 'win32',
  });
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (result.status === 0 && fs.existsSync(built)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(built, target);
    console.log(`fieldbook: Electron ${electronVersion} build of better-sqlite3 installed at ${path.relative(root, target)}.`);
  } else {
    console.log('fieldbook: could not fetch the Electron build of better-sqlite3 (offline?). The desktop app needs it; run `npm run electron:native` later. Tests and the web UI work without it.');
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
