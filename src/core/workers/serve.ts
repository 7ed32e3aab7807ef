import { parentPort } from 'node:worker_threads';
import { FieldbookError } from '../../shared/errors';
import type { TaskReply, TaskRequest } from './protocol';
import type { TaskName, TaskTable } from './pool';

/**
 * The loop of a core worker thread (its entry, src/core/worker.ts, passes the task table): runs
 * one task at a time and answers with its result or its error, place included.
 */
export function serveTasks(tasks: TaskTable): void {
  const port = parentPort;
  if (!port) throw new Error('A core worker runs as a worker thread only');
  port.on('message', (request: TaskRequest) => {
    void run(tasks, request).then((reply) => port.postMessage(reply, reply.ok ? transferables(reply.result) : []));
  });
}

/** The buffers of typed arrays in a result (a few levels deep): moved to the caller, not copied. */
function transferables(value: unknown, depth = 0, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !out.includes(value.buffer)) out.push(value.buffer);
    return out;
  }
  if (Array.isArray(value)) {
    // Arrays of strings (answers) hold no buffers: skip them without looking at every element.
    if (typeof value[0] !== 'object') return out;
    for (const item of value) transferables(item, depth + 1, out);
    return out;
  }
  for (const item of Object.values(value)) transferables(item, depth + 1, out);
  return out;
}

async function run(tasks: TaskTable, request: TaskRequest): Promise<TaskReply> {
  try {
    const task = tasks[request.task as TaskName] as ((input: unknown) => Promise<unknown>) | undefined;
    if (typeof task !== 'function') throw new FieldbookError('INTERNAL', `No worker task "${String(request.task)}".`);
    return { id: request.id, ok: true, result: await task(request.input) };
  } catch (error) {
    const info =
      error instanceof FieldbookError
        ? error.toInfo()
        : { code: 'INTERNAL' as const, message: `A background task failed: ${error instanceof Error ? error.message : String(error)}` };
    return { id: request.id, ok: false, error: info };
  }
}
