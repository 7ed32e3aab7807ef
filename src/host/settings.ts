import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

/** The per-user folder: FIELDBOOK_HOME if set (tests, portable installs), else the OS convention. */
export function defaultAppDataDir(): string {
  const override = process.env.FIELDBOOK_HOME;
  if (override) return path.resolve(override);
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Fieldbook');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Fieldbook');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Fieldbook');
}

/** Walks up from a bundled or source file to the folder holding package.json. */
export function findAppRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

export function appVersion(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
