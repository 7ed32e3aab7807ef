import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FieldbookError } from '../../shared/errors';
import type { TaskReply, TaskRequest } from './protocol';

/**
 * The tasks a worker can run, by name. Each domain adds its own (survey/tasks.ts,
 * transcripts/tasks.ts) by augmenting this interface; the composition root (core/tasks.ts)
 * gathers their functions, so the pool knows no domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskRegistry {}
export type TaskName = keyof TaskRegistry & string;
type TaskFunction = (input: never) => Promise<unknown>;
export type TaskInput<T extends TaskName> = TaskRegistry[T] extends (input: infer I) => Promise<unknown> ? I : never;
export type TaskOutput<T extends TaskName> = TaskRegistry[T] extends (input: never) => Promise<infer O> ? O : never;
/** The functions behind the names (what a worker, or the calling thread, runs). */
export type TaskTable = { [T in TaskName]: TaskRegistry[T] };

export interface PoolOptions {
  /** The task functions, loaded on first need (to run a task on the calling thread). */
  tasks: () => Promise<TaskTable>;
  /**
   * The built worker entry (out/main/worker.js in the app). Without it, a development checkout
   * bundles `entry` (src/core/worker.ts) on demand (see devWorkerScript); failing that, tasks run
   * on the calling thread.
   */
  script?: string | undefined;
  entry?: string | undefined;
  /** Worker threads to use; default: one fewer than the machine's cores, at least 1, at most 4. */
  size?: number | undefined;
  /** False: every task runs on the calling thread (the behaviour the workers must equal). */
  threads?: boolean | undefined;
}

interface Waiting {
  task: TaskName;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
  /** Terminated on purpose (retired or closed): its exit is no failure. */
  ending: boolean;
}

/**
 * Runs the registered tasks (TaskRegistry) on worker threads, so parsing the next files goes on while the main
 * thread writes the last ones to SQLite. Workers start on first use and are unref'd (they never
 * keep a process alive); a task queued behind a cancelled job is dropped before it starts.
 */
export class WorkerPool {
  private slots: Slot[] | null = null;
  private starting: Promise<Slot[] | null> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;
  /** Some worker has answered: threads work here. */
  private answered = false;
  /** Workers could not start here: every task runs on the calling thread from now on. */
  private unavailable = false;

  constructor(private readonly options: PoolOptions) {}

  get size(): number {
    return this.options.size ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
  }

  async run<T extends TaskName>(task: T, input: TaskInput<T>, signal?: AbortSignal): Promise<TaskOutput<T>> {
    if (signal?.aborted) throw cancelled();
    const slots = await this.start();
    if (signal?.aborted) throw cancelled();
    if (!slots) return (await this.runInline(task, input)) as TaskOutput<T>;
    const slot = slots.reduce((best, s) => (s.busy < best.busy ? s : best));
    const id = this.nextId++;
    slot.busy++;
    try {
      return (await new Promise<unknown>((resolve, reject) => {
        this.waiting.set(id, { task, input, resolve, reject });
        const request: TaskRequest = { id, task, input };
        slot.worker.postMessage(request);
      })) as TaskOutput<T>;
    } finally {
      slot.busy--;
    }
  }

  /** Whether tasks run on worker threads (false: on the calling thread). */
  async threaded(): Promise<boolean> {
    return (await this.start()) !== null;
  }

  /**
   * Ends the idle workers (the next task starts fresh ones, ~60 ms): after a task that filled a
   * worker's heap with hundreds of MB, V8 would keep those pages for a long while otherwise.
   */
  retireIdle(): void {
    if (!this.slots) return;
    const idle = this.slots.filter((slot) => slot.busy === 0);
    for (const slot of idle) {
      slot.ending = true;
      void slot.worker.terminate();
    }
    this.slots = this.slots.filter((slot) => slot.busy > 0);
    if (this.slots.length === 0) {
      this.slots = null;
      this.starting = null;
    }
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots ?? []) {
      slot.ending = true;
      void slot.worker.terminate();
    }
    this.slots = null;
    for (const waiting of this.waiting.values()) waiting.reject(new FieldbookError('CANCELLED', 'Fieldbook is closing.'));
    this.waiting.clear();
  }

  private start(): Promise<Slot[] | null> {
    if (this.slots) return Promise.resolve(this.slots);
    this.starting ??= (async () => {
      if (this.options.threads === false || this.closed || this.unavailable) return null;
      const script = this.options.script && fs.existsSync(this.options.script) ? this.options.script : this.options.entry ? await devWorkerScript(this.options.entry) : null;
      if (!script || this.closed) return null;
      this.slots = Array.from({ length: this.size }, () => this.spawn(script));
      return this.slots;
    })();
    return this.starting;
  }

  private spawn(script: string): Slot {
    // The script is plain JavaScript: none of the parent's flags (tsx's --import, a harness's
    // --input-type) apply to it, and a loader would cost the worker ~0.3 s to start.
    const worker = new Worker(script, { execArgv: [] });
    const slot: Slot = { worker, busy: 0, ending: false };
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      this.answered = true;
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(FieldbookError.fromInfo(reply.error));
    });
    worker.on('error', (error) => this.failed(error.message));
    worker.on('exit', (code) => {
      if (!slot.ending) this.failed(`it stopped (exit code ${code})`);
    });
    return slot;
  }

  private failed(reason: string): void {
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const slot of this.slots ?? []) {
      slot.ending = true;
      void slot.worker.terminate();
    }
    this.slots = null;
    this.starting = null;
    if (!this.answered) {
      // Threads never worked here (a worker that cannot load): do the work on this thread instead.
      this.unavailable = true;
      console.warn(`fieldbook: worker threads are unavailable (${reason}); background tasks run on the main thread.`);
      for (const w of pending) this.runInline(w.task, w.input).then(w.resolve, w.reject);
      return;
    }
    // A worker that crashed mid-task fails what it was doing; the next task starts afresh.
    for (const w of pending) w.reject(new FieldbookError('INTERNAL', `A background worker failed: ${reason}`));
  }

  private async runInline(task: TaskName, input: unknown): Promise<unknown> {
    const tasks = await this.options.tasks();
    return (tasks[task] as TaskFunction as (input: unknown) => Promise<unknown>)(input);
  }
}

function cancelled(): FieldbookError {
  return new FieldbookError('CANCELLED', 'Cancelled. Nothing was changed.');
}

let devScript: Promise<string | null> | null = null;

/**
 * In a development checkout (the CLI, tests and the bench run TypeScript through tsx), bundles
 * worker.ts with esbuild into node_modules/.cache/fieldbook/ once, and again only when one of its
 * sources changed: a tsx-loaded worker would spend ~0.4 s compiling before its first task. Null
 * where the sources or esbuild are absent (the packaged app passes its built worker instead).
 */
export function devWorkerScript(entry: string): Promise<string | null> {
  devScript ??= buildDevWorker(entry).catch(() => null);
  return devScript;
}

async function buildDevWorker(entry: string): Promise<string | null> {
  const root = path.resolve(path.dirname(entry), '../..');
  if (!fs.existsSync(entry) || !fs.existsSync(path.join(root, 'node_modules'))) return null;
  const dir = path.join(root, 'node_modules', '.cache', 'fieldbook');
  const stampFile = path.join(dir, 'core-worker.json');
  const stamp = (files: string[]) => files.map((f) => `${f}:${fs.statSync(path.join(root, f)).mtimeMs}`).join('\n');
  try {
    const last = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { files: string[]; stamp: string; script: string };
    if (fs.existsSync(last.script) && stamp(last.files) === last.stamp) return last.script;
  } catch {
    // No stamp yet, or a source was removed: build.
  }
  const esbuild = await import('esbuild');
  // Split at dynamic imports, as the app's build does: a worker loads a task's modules (and their
  // packages, exceljs and mammoth among them) on the task's first call, not at start-up.
  const outdir = path.join(dir, `worker-${process.pid}-${Date.now()}`);
  const result = await esbuild.build({
    entryPoints: { worker: entry },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const script = path.join(outdir, 'worker.mjs');
  const files = Object.keys(result.metafile.inputs);
  // Several processes (test files) may build at once: each writes its own folder, then the stamp.
  const temp = `${stampFile}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify({ files, stamp: stamp(files), script }));
  fs.renameSync(temp, stampFile);
  removeOldBuilds(dir, outdir);
  return script;
}

/** Builds older than a day: no worker still running can need their chunks. */
function removeOldBuilds(dir: string, keep: string): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (full === keep || !name.startsWith('worker-')) continue;
    try {
      if (fs.statSync(full).mtimeMs < dayAgo) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
