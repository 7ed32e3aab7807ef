import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Opening a project the OS hands to the app: a path on the command line (a terminal, or a
 * double-clicked .fieldbook file on Windows and Linux, whose file association runs
 * `Fieldbook <file>`), the same from a second launch while the app runs (the single-instance
 * lock forwards its argv), or macOS's `open-file` event. Plain functions, tested without Electron.
 */

export interface ArgvOptions {
  /** True when running as `electron <app folder> …` from a checkout (Electron's process.defaultApp). */
  defaultApp: boolean;
  /** The folder a relative path is relative to: the launching shell's. */
  cwd: string;
}

/**
 * The project path in an Electron command line, or null. argv[0] is the executable; switches
 * (Chromium's, Playwright's, macOS's old -psn_…) are skipped wherever they stand; in a checkout the
 * first remaining entry is the app folder. The first entry after that is the project: the core
 * checks that it is one, and the user is told if not. Linux file managers may pass a file: URL.
 */
export function projectPathFromArgv(argv: readonly string[], options: ArgvOptions): string | null {
  const positional = argv.slice(1).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const candidate = (options.defaultApp ? positional.slice(1) : positional)[0];
  if (candidate === undefined) return null;
  if (/^file:\/\//i.test(candidate)) {
    try {
      return fileURLToPath(candidate);
    } catch {
      return null;
    }
  }
  // Any other URL scheme is not a file this app opens.
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(candidate)) return null;
  return path.resolve(options.cwd, candidate);
}

export interface ProjectOpener {
  /** Asks to open a project; held until `ready()`, then opened in order, one at a time. */
  request(projectPath: string | null): void;
  /** The window and the core can take it now (after app ready). */
  ready(): void;
  /** Settles when every request so far has been handled (for tests and orderly shutdown). */
  idle(): Promise<void>;
}

/**
 * Requests can come before the app is ready (macOS sends `open-file` for the double-clicked file
 * before `ready`) and while an earlier open is still running (two files double-clicked at once):
 * they wait, then run in order, so the last one asked for is the one left open.
 */
export function createProjectOpener(open: (projectPath: string) => Promise<void>): ProjectOpener {
  const waiting: string[] = [];
  let isReady = false;
  let chain: Promise<void> = Promise.resolve();
  const drain = () => {
    while (isReady && waiting.length) {
      const next = waiting.shift()!;
      // One failure (a file that is not a project) must not stop the requests after it.
      chain = chain.then(() => open(next)).catch(() => undefined);
    }
  };
  return {
    request(projectPath) {
      if (!projectPath) return;
      waiting.push(projectPath);
      drain();
    },
    ready() {
      isReady = true;
      drain();
    },
    idle: () => chain,
  };
}

/** The words of the error box when a project handed over by the OS cannot be opened. */
export function openFailureMessage(projectPath: string, reason: string): { message: string; detail: string } {
  return { message: `Fieldbook could not open ${path.basename(projectPath)}`, detail: `${reason}\n\n${projectPath}` };
}
