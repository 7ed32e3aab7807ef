import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
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

const TSX = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');
const PROJECT_TS = path.resolve(import.meta.dirname, '../store/project.ts');

/**
 * A project held open by another process, as the app holds it: creates it (or opens it), adds the
 * given codes, and keeps it open until finish(), which adds more codes and closes it. Resolves
 * finish() with the process's exit code.
 */
export function holdProject(file: string, codes: string[]): { ready: Promise<void>; finish(more: string[]): Promise<number | null> } {
  const script = `
    import fs from 'node:fs';
    import readline from 'node:readline';
    import { openProject } from ${JSON.stringify(PROJECT_TS)};
    const file = ${JSON.stringify(file)};
    const project = openProject(file, fs.existsSync(file) ? {} : { create: true });
    const add = (names) => { for (const name of names) project.db.prepare('INSERT INTO code (name) VALUES (?)').run(name); };
    add(${JSON.stringify(codes)});
    console.log('held');
    readline.createInterface({ input: process.stdin }).once('line', (line) => {
      add(JSON.parse(line));
      project.close();
      process.exit(0);
    });
  `;
  const child = spawn(TSX, ['--eval', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      if (data.toString().includes('held')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the holding process ended early (exit ${code})`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    ready,
    finish(more) {
      child.stdin.write(`${JSON.stringify(more)}\n`);
      return exited;
    },
  };
}
