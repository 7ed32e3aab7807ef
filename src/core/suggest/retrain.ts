import type { Project } from '../store/project';
import type { WorkerPool } from '../workers/pool';
import { currentCoderId } from '../coding/session';
import { codeSpecs, fingerprint, passageReader, rememberModel, toStoredEvidence, trainingData } from './service';

/** Quiet time after the last decision before retraining: ten quick decisions make one retrain. */
export const COALESCE_MS = 250;

interface OpenRow {
  id: number;
  codeId: number;
  text: string;
}

/**
 * Retrains the model and rescores the open suggestions behind the review queue, so a decision is
 * written and answered at once. Decisions request a retrain; requests within COALESCE_MS of each
 * other make one. A request that arrives while a retrain runs is kept (`dirty`) and starts one more
 * retrain when this one ends, so no decision is ever left out of the model. Training and scoring run
 * on a worker thread (the main thread keeps writing decisions meanwhile); only the rescored rows
 * still open when the result comes back are updated, so a decision made during a retrain stands.
 */
export class Retrainer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private dirty = false;
  private abort: AbortController | null = null;
  private waiters: (() => void)[] = [];
  /** Retrains finished (for tests and the bench: ten requests, one retrain). */
  runs = 0;
  lastError: unknown = null;

  constructor(
    private readonly project: Project,
    private readonly workers: WorkerPool,
    private readonly onDone: () => void,
    private readonly delay = COALESCE_MS,
  ) {}

  /** A retrain is running now (not merely waiting for the quiet time). */
  get retraining(): boolean {
    return this.running !== null;
  }

  get busy(): boolean {
    return this.timer !== null || this.running !== null;
  }

  request(): void {
    this.dirty = true;
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.delay);
    this.timer.unref?.();
  }

  /** Drops a waiting or running retrain (its result is never written). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = false;
    this.abort?.abort();
    if (!this.running) this.wake();
  }

  /** Resolves once no retrain is waiting or running. */
  settled(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private start(): void {
    this.timer = null;
    if (!this.project.isOpen || !this.dirty) return this.wake();
    this.dirty = false;
    const abort = (this.abort = new AbortController());
    this.running = this.retrain(abort.signal)
      .catch((error: unknown) => {
        // A failed background retrain keeps the earlier scores; the next decision tries again.
        if (!abort.signal.aborted) this.lastError = error;
      })
      .finally(() => {
        this.running = null;
        this.abort = null;
        if (this.dirty && this.project.isOpen && !abort.signal.aborted) this.request();
        else this.wake();
      });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async retrain(signal: AbortSignal): Promise<void> {
    const project = this.project;
    const passages = trainingData(project);
    const codes = codeSpecs(project);
    const version = fingerprint(passages, codes);
    const open = project.db
      .prepare(
        `SELECT g.id, g.code_id AS codeId, g.document_id AS documentId, g.start_char AS start, g.end_char AS end
           FROM suggestion g
          WHERE g.status = 'open' AND (g.coder_id IS NULL OR g.coder_id = ?) ORDER BY g.document_id, g.start_char`,
      )
      .all(currentCoderId(project)) as (OpenRow & { documentId: number; start: number; end: number })[];
    const passage = passageReader(project);
    for (const row of open) row.text = passage(row.documentId, row.start, row.end);
    // Identical passages (the same answer given 37 times) are scored once.
    const byText = new Map<string, { keys: string[]; rows: OpenRow[][] }>();
    for (const row of open) {
      let item = byText.get(row.text);
      if (!item) byText.set(row.text, (item = { keys: [], rows: [] }));
      const key = String(row.codeId);
      let k = item.keys.indexOf(key);
      if (k < 0) {
        k = item.keys.push(key) - 1;
        item.rows.push([]);
      }
      item.rows[k]!.push(row);
    }
    const texts = [...byText.keys()];
    const output = await this.workers.run(
      'suggestRescore',
      { passages: passages.map((p) => ({ ...p, codes: [...p.codes] })), codes, items: texts.map((text) => ({ text, keys: byText.get(text)!.keys })) },
      signal,
    );
    if (signal.aborted || !project.isOpen) return;
    const release = await project.enterCall();
    try {
      if (signal.aborted || !project.isOpen) return;
      project.transaction(() => {
        // Only rows still open: a decision made while the worker ran is never overwritten.
        const update = project.db.prepare(`UPDATE suggestion SET score = ?, evidence = ?, model_version = ? WHERE id = ? AND status = 'open'`);
        texts.forEach((text, i) => {
          const item = byText.get(text)!;
          output.results[i]!.forEach((hit, k) => {
            if (!hit) return;
            const evidence = JSON.stringify(toStoredEvidence(hit.evidence));
            for (const row of item.rows[k]!) update.run(hit.score, evidence, version, row.id);
          });
        });
        rememberModel(project, version, output.state);
      });
    } finally {
      release();
    }
    this.runs++;
    this.onDone();
  }
}

const retrainers = new WeakMap<Project, Retrainer>();

export function retrainerOf(project: Project, workers: WorkerPool, onDone: () => void): Retrainer {
  let r = retrainers.get(project);
  if (!r) retrainers.set(project, (r = new Retrainer(project, workers, onDone)));
  return r;
}

/** The project's background retrainer, if a decision has made one. */
export function existingRetrainer(project: Project): Retrainer | undefined {
  return retrainers.get(project);
}
