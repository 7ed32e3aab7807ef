import { serveTasks } from './workers/serve';
import { tasks } from './tasks';

/**
 * Entry of a core worker thread: built as out/main/worker.js for the app, or bundled on demand in a
 * development checkout (workers/pool.ts devWorkerScript).
 */
serveTasks(tasks);
