import { contract, type MethodName } from '../shared/contract/index';
import { FieldbookError } from '../shared/errors';
import type { ChangeTopic, CoreEvent } from '../shared/events';
import type { CoreSettings, Handler, HandlerContext, HandlerMap } from './context';
import { JobRegistry, quietJob } from './jobs';
import { projectHandlers } from './project/handlers';
import { surveyHandlers } from './survey/handlers';
import { transcriptHandlers } from './transcripts/handlers';
import { codingHandlers } from './coding/handlers';
import { suggestHandlers } from './suggest/handlers';
import { tableHandlers } from './analysis/handlers';
import { exportHandlers } from './export/handlers';
import type { Project } from './store/project';

export type { CoreSettings } from './context';

const handlers: HandlerMap<MethodName> = {
  ...projectHandlers,
  ...surveyHandlers,
  ...transcriptHandlers,
  ...codingHandlers,
  ...suggestHandlers,
  ...tableHandlers,
  ...exportHandlers,
};

export interface Core {
  readonly settings: CoreSettings;
  /** Runs a method whose input is already validated (hosts go through host/dispatch.ts). */
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
    changed(...topics: ChangeTopic[]) {
      emit({ type: 'project.changed', topics });
    },
  });

  return {
    settings,
    async run(method, input, jobId) {
      if (method === 'jobs.cancel') {
        return { cancelled: jobs.cancel((input as { jobId: string }).jobId) };
      }
      const handler = handlers[method] as Handler<MethodName>;
      if (contract[method].job && jobId) {
        const { job, finish } = jobs.start(jobId, emit);
        try {
          return await handler(input as never, context(job));
        } finally {
          finish();
        }
      }
      return handler(input as never, context(quietJob()));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentProject: () => project,
    close() {
      project?.close();
      project = null;
    },
  };
}
