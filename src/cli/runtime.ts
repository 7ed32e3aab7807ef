import fs from 'node:fs';
import path from 'node:path';
import type { Input, MethodName, Output } from '../shared/contract/index';
import { describePlace, FieldbookError } from '../shared/errors';
import { createCore, type Core } from '../core/core';
import { dispatch } from '../core/dispatch';
import { appVersion, defaultAppDataDir, findAppRoot } from '../host/settings';
import { isLanguage, LANGUAGES, resolveLanguage, type Language } from '../shared/i18n/index';
import { translator } from '../core/i18n/index';

const root = findAppRoot(import.meta.dirname);
const bundledWorker = path.join(import.meta.dirname, 'worker.mjs');

/** Messages and export headings: `--lang`, else the system's locale variables, else English. */
let language: Language = resolveLanguage([process.env.LC_ALL, process.env.LC_MESSAGES, process.env.LANG]);

export function setCliLanguage(value: string): void {
  if (!isLanguage(value)) throw new FieldbookError('INVALID_INPUT', translator(language)('cli.badLang', { languages: LANGUAGES.join(', ') }), { field: 'lang' });
  language = value;
}

/** t() in the CLI's language, for what it prints (data it prints stays as it is). */
export function tr() {
  return translator(language);
}

export interface Session {
  core: Core;
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Runs a long job, printing progress to stderr when it is a terminal. */
  job<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
}

/** Opens a core (and the project at projectPath, if given), runs fn, and always closes. */
export async function withSession<T>(projectPath: string | undefined, fn: (session: Session) => Promise<T>): Promise<T> {
  const core = createCore({
    appDataDir: defaultAppDataDir(),
    host: 'cli',
    version: appVersion(root),
    sampleDir: path.join(root, 'resources', 'sample'),
    // The bundle (bin/cli-entry.mjs) carries the worker beside it; run from source, the pool
    // bundles its own.
    workerScript: fs.existsSync(bundledWorker) ? bundledWorker : undefined,
    language,
  });
  const call = async <M extends MethodName>(method: M, input: Input<M>, jobId?: string): Promise<Output<M>> => {
    const envelope = await dispatch(core, { method, input, jobId });
    if (!envelope.ok) throw FieldbookError.fromInfo(envelope.error);
    return envelope.result as Output<M>;
  };
  let jobs = 0;
  const unsubscribe = core.onEvent((event) => {
    if (event.type === 'progress' && process.stderr.isTTY) {
      const pct = event.total ? ` ${Math.round((event.done / event.total) * 100)}%` : '';
      process.stderr.write(`\r\x1b[2K${event.message}${pct}`);
    }
  });
  try {
    if (projectPath) await call('project.open', { path: path.resolve(projectPath) });
    return await fn({
      core,
      call: (method, input) => call(method, input),
      async job(method, input) {
        jobs += 1;
        const controller = `cli-${process.pid}-${jobs}`;
        const onInterrupt = () => void call('jobs.cancel', { jobId: controller });
        process.once('SIGINT', onInterrupt);
        try {
          return await call(method, input, controller);
        } finally {
          process.removeListener('SIGINT', onInterrupt);
          if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
        }
      },
    });
  } finally {
    unsubscribe();
    core.close();
  }
}

/** Prints a value as JSON (for scripts) or through the given human formatter. */
export function output(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function formatError(error: unknown): string {
  if (error instanceof FieldbookError) {
    const place = describePlace(error.details);
    return `fieldbook: ${error.message}${place ? ` (${place})` : ''}`;
  }
  return `fieldbook: ${error instanceof Error ? error.message : String(error)}`;
}

/** A plain text table for terminals. */
export function textTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r, index) => {
      const line = r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}
