// Where the Electron binary is, for `npm start`, `npm run dist` and the Electron e2e spec: the
// ELECTRON_EXEC_PATH override, else the one the electron package downloaded at install (none
// where it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1). `why` says why there is none.
import fs from 'node:fs';
import path from 'node:path';

/** @returns {{ path: string | null, why: string }} */
export function electronBinary(root) {
  const override = process.env.ELECTRON_EXEC_PATH;
  if (override) return fs.existsSync(override) ? { path: override, why: '' } : { path: null, why: `ELECTRON_EXEC_PATH=${override} does not exist` };
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathTxt)) {
    return { path: null, why: 'the Electron binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)' };
  }
  const binary = path.join(pkg, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(binary) ? { path: binary, why: '' } : { path: null, why: `${binary} is missing` };
}

/** The electron package's version: the ABI the app's native module must be built for. */
export function electronVersion(root) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}
