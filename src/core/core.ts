import { contract, type MethodName } from '../shared/contract/index';
import { effects } from '../shared/contract/effects';
import { projectMethods } from '../shared/contract/project';
import { surveyMethods } from '../shared/contract/survey';
import { transcriptMethods } from '../shared/contract/transcripts';
import { codingMethods } from '../shared/contract/coding';
import { suggestMethods } from '../shared/contract/suggest';
import { tableMethods } from '../shared/contract/tables';
import { exportMethods } from '../shared/contract/exports';
import { findingMethods } from '../shared/contract/findings';
import { FieldbookError } from '../shared/errors';
import type { CoreEvent } from '../shared/events';
import type { CoreSettings, Handler, HandlerContext } from './context';
import { JobRegistry, quietJob } from './jobs';
import { WorkerPool } from './workers/pool';
import { withCoreTasks } from './tasks';
import { explainDamage, outsideWrites, type Project } from './store/project';

export type { CoreSettings } from './context';

type HandlerTable = Partial<Record<MethodName, Handler<MethodName>>>;

/**
 * Each domain's handlers load on its first call: the CLI's `--help` and the app's start screen
 * should not pay for exceljs, echarts or natural. Each domain's file is typed as a complete
 * HandlerMap of its contract, and core.test.ts checks every contract method resolves.
 */
const domains: { methods: object; load: () => Promise<object> }[] = [
  { methods: projectMethods, load: async () => (await import('./project/handlers')).projectHandlers },
  { methods: surveyMethods, load: async () => (await import('./survey/handlers')).surveyHandlers },
  { methods: transcriptMethods, load: async () => (await import('./transcripts/handlers')).transcriptHandlers },
  { methods: codingMethods, load: async () => (await import('./coding/handlers')).codingHandlers },
  { methods: suggestMethods, load: async () => (await import('./suggest/handlers')).suggestHandlers },
  { methods: tableMethods, load: async () => (await import('./analysis/handlers')).tableHandlers },
  { methods: exportMethods, load: async () => (await import('./export/handlers')).exportHandlers },
  { methods: findingMethods, load: async () => (await import('./report/handlers')).findingHandlers },
];

const loaded: HandlerTable = {};
const loading = new Map<object, Promise<void>>();

/** The handler of a method, loading its domain on first use. */
export async function resolveHandler(method: MethodName): Promise<Handler<MethodName>> {
  const existing = loaded[method];
  if (existing) return existing;
  const domain = domains.find((d) => Object.prototype.hasOwnProperty.call(d.methods, method));
  if (!domain) throw new FieldbookError('UNKNOWN_METHOD', `Unknown method: ${method}.`);
  let pending = loading.get(domain);
  if (!pending) {
    pending = domain.load().then((table) => {
      Object.assign(loaded, table);
    });
    loading.set(domain, pending);
  }
  await pending;
  const handler = loaded[method];
  if (!handler) throw new FieldbookError('INTERNAL', `No handler for ${method}.`);
  return handler;
}

export interface Core {
  readonly settings: CoreSettings;
  /** Runs a method whose input is already validated (hosts go through dispatch.ts). */
  run(method: MethodName, input: unknown, jobId?: string): Promise<unknown>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  currentProject(): Project | null;
  close(): void;
}

/** The engine on plain Node: one open project at a time, every handler of the contract. */
export function createCore(settings: CoreSettings): Core {
  let project: Project | null = null;
  const listeners = new Set<(event: CoreEvent) => void>();
  const jobs = new JobRegistry();
  const workers = new WorkerPool(withCoreTasks({ script: settings.workerScript, threads: settings.workerThreads }));
  const emit = (event: CoreEvent) => {
    for (const listener of listeners) listener(event);
  };

  const context = (job: HandlerContext['job']): HandlerContext => ({
    settings,
    job,
    project() {
      if (!project) throw new FieldbookError('NO_PROJECT', 'Open or create a project first.');
      return project;
    },
    currentProject: () => project,
    setProject(next) {
      project = next;
    },
    emit,
    workers,
  });

  return {
    settings,
    run(method, input, jobId) {
      // A cancel never waits: it is how a user stops the import that everything else waits for.
      if (method === 'jobs.cancel') {
        return Promise.resolve({ cancelled: jobs.cancel((input as { jobId: string }).jobId) });
      }
      // Every call is its own scope, even one made from an event listener in the middle of a write.
      return outsideWrites(async () => {
        if (contract[method].job && jobId) {
          // Register the job before waiting or loading its domain, so a cancel that arrives meanwhile counts.
          // Its checkpoints wait while another import is being saved (see Project.writeAsync).
          const { job, finish } = jobs.start(jobId, emit, () => project?.writesDone() ?? Promise.resolve());
          try {
            const handler = await resolveHandler(method);
            await job.checkpoint();
            return await handler(input as never, context(job));
          } finally {
            finish();
          }
        }
        const handler = await resolveHandler(method);
        // Ordinary calls wait while an import is being saved, and a write waits for them.
        const open = project;
        const release = open ? await open.enterCall() : () => {};
        try {
          return await handler(input as never, context(quietJob()));
        } finally {
          release();
        }
      }).then((result) => {
        // Every host hears what changed from the contract's declaration, never from the handler.
        const { changes } = effects[method];
        if (changes.length > 0) emit({ type: 'project.changed', topics: [...changes] });
        return result;
      }).catch((error: unknown) => {
        // SQLite's "database disk image is malformed" becomes words that name the project file.
        throw project ? explainDamage(error, project.path) : error;
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentProject: () => project,
    close() {
      workers.close();
      project?.close();
      project = null;
    },
  };
}
