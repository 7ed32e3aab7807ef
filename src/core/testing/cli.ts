import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './index';

/** The real command as users start it, so tests cover argument parsing, output and exit codes. */
const BIN = path.resolve(import.meta.dirname, '../../../bin/fieldbook.mjs');

export type CliRun = (...args: string[]) => SpawnSyncReturns<string>;

/**
 * Runs `fieldbook ...args` in a fresh Node process. Its home (recent projects, settings) is kept
 * under `dir`, so a test never reads or writes the user's own.
 */
export function runCli(dir: string): CliRun {
  const env = { ...process.env, FIELDBOOK_HOME: path.join(dir, 'home') };
  return (...args) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}

/**
 * For a describe block: a fresh temp folder per test (removed after it) and `run` for the CLI
 * with its home inside that folder.
 */
export function cliInTempFolder(): { readonly dir: string; run: CliRun } {
  let folder: { dir: string; cleanup(): void } | null = null;
  let runner: CliRun | null = null;
  beforeEach(() => {
    folder = tempDir();
    runner = runCli(folder.dir);
  });
  afterEach(() => folder?.cleanup());
  const current = () => {
    if (!folder || !runner) throw new Error('cliInTempFolder() is used outside a test');
    return { dir: folder.dir, run: runner };
  };
  return {
    get dir() {
      return current().dir;
    },
    run: (...args) => current().run(...args),
  };
}
