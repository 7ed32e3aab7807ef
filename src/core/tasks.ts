import path from 'node:path';
import { suggestTasks } from './suggest/tasks';
import { surveyTasks } from './survey/tasks';
import { transcriptTasks } from './transcripts/tasks';
import type { PoolOptions, TaskTable } from './workers/pool';

/**
 * Work that may run on a worker thread, gathered from the domains: pure functions of their input
 * (files are read by path), whose results survive a structured clone. Each must give exactly what
 * it gives on the calling thread; the pool falls back to running them there. A task loads its
 * modules on its first call, so a worker that only parses transcripts never loads the survey
 * reader (and exceljs with it).
 */
export const tasks: TaskTable = { ...surveyTasks, ...transcriptTasks, ...suggestTasks };

/** Pool options that run the core's tasks (the built worker where given, else the source entry). */
export function withCoreTasks(options: Omit<PoolOptions, 'tasks' | 'entry'> = {}): PoolOptions {
  return { ...options, tasks: async () => tasks, entry: path.join(import.meta.dirname, 'worker.ts') };
}
