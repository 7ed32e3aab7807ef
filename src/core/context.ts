import type { MethodName, Output, ParsedInput, AppInfo } from '../shared/contract/index';
import type { CoreEvent } from '../shared/events';
import type { Language } from '../shared/i18n/index';
import type { Project } from './store/project';
import type { WorkerPool } from './workers/pool';

/** A unit of long work: reports progress, and stops at the next checkpoint once cancelled. */
export interface Job {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(done: number, total: number | null, message: string): void;
  /** Throws CANCELLED if the job was cancelled. */
  throwIfCancelled(): void;
  /** Lets the event loop breathe (so a cancel can arrive), then throws if cancelled. */
  checkpoint(): Promise<void>;
}


export interface CoreSettings {
  /** Per-user folder for recent projects, the sample study and web uploads. */
  appDataDir: string;
  host: AppInfo['host'];
  version: string;
  /** The folder with the sample study's source files (resources/sample). */
  sampleDir: string;
  /** The built worker-thread entry (the app's out/main/worker.js); see workers/pool.ts. */
  workerScript?: string | undefined;
  /** False: background tasks run on the calling thread. */
  workerThreads?: boolean | undefined;
  /** The language of what the core writes for people (export headings, table notes); English if unset. */
  language?: Language | undefined;
}

export interface HandlerContext {
  readonly settings: CoreSettings;
  readonly job: Job;
  /** The open project; throws NO_PROJECT when none is open. */
  project(): Project;
  /** The open project or null. */
  currentProject(): Project | null;
  setProject(project: Project | null): void;
  emit(event: CoreEvent): void;
  /** Worker threads for parsing while the main thread writes. */
  readonly workers: WorkerPool;
}

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  ctx: HandlerContext,
) => Output<M> | Promise<Output<M>>;

export type HandlerMap<K extends MethodName> = { [M in K]: Handler<M> };
