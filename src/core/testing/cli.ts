import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

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
