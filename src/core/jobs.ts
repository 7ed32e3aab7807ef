import { FieldbookError } from '../shared/errors';
import type { CoreEvent } from '../shared/events';
import type { Job } from './context';

/** Keeps the running jobs so `jobs.cancel` can reach them. */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  /**
   * `gate` resolves when the job may touch the project again (no other import's write is open):
   * every checkpoint waits for it, so a long job never reads or writes half of someone's import.
   */
  start(id: string, emit: (event: CoreEvent) => void, gate: () => Promise<void> = () => Promise.resolve()): { job: Job; finish(): void } {
    const controller = new AbortController();
    this.running.set(id, controller);
    let lastEmit = 0;
    const job: Job = {
      id,
      signal: controller.signal,
      progress(done, total, message) {
        // At most ~20 events a second: progress must never cost more than the work.
        const now = Date.now();
        if (now - lastEmit < 50 && total !== null && done < total) return;
        lastEmit = now;
        emit({ type: 'progress', jobId: id, done, total, message });
      },
      throwIfCancelled() {
        if (controller.signal.aborted) throw new FieldbookError('CANCELLED', 'Cancelled. Nothing was changed.');
      },
      async checkpoint() {
        await new Promise<void>((resolve) => setImmediate(resolve));
        job.throwIfCancelled();
        await untilAborted(gate(), controller.signal);
        job.throwIfCancelled();
      },
    };
    return {
      job,
      finish: () => {
        this.running.delete(id);
      },
    };
  }

  cancel(id: string): boolean {
    const controller = this.running.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  }
}

/** Waits for `wait`, or less if the job is cancelled meanwhile (a cancel never waits for a gate). */
function untilAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A job for calls that are not long work: never cancelled, progress goes nowhere. */
export function quietJob(): Job {
  const controller = new AbortController();
  return {
    id: '',
    signal: controller.signal,
    progress() {},
    throwIfCancelled() {},
    checkpoint: () => Promise.resolve(),
  };
}
