import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { createCore, type Core } from '../src/core/core';
import { existingRetrainer, Retrainer } from '../src/core/suggest/retrain';
import { WorkerPool } from '../src/core/workers/pool';
import { withCoreTasks } from '../src/core/tasks';
import { corpus } from './suggest.bench';
import { defineRows } from './harness';

// A project with 2,000 coded passages (22 codes) and 10,000 open suggestions, built once into the
// temp folder; each run works on a fresh copy.
const CACHE = path.join(os.tmpdir(), 'fieldbook-bench-review-v1.fieldbook');
let core: Core | null = null;
let work = '';

async function build(): Promise<void> {
  if (fs.existsSync(CACHE)) return;
  const { train, score, codes } = corpus();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bench-build-'));
  const transcript = path.join(dir, 'interviews.txt');
  fs.writeFileSync(transcript, [...train.map((p) => p.text), ...score].map((t) => `Pat: ${t}\n`).join('\n'));
  const c = createCore({ appDataDir: path.join(dir, 'app'), host: 'test', version: 'bench', sampleDir: dir });
  const target = path.join(dir, 'review.fieldbook');
  await c.run('project.create', { path: target });
  for (const spec of codes) await c.run('codes.create', { name: spec.name });
  await c.run('transcripts.import', { files: [{ path: transcript }] }, 'import');
  const db = c.currentProject()!.db;
  const codeIds = db.prepare('SELECT id FROM code ORDER BY id').pluck().all() as number[];
  const turns = db.prepare('SELECT document_id AS d, start_char AS s, end_char AS e FROM turn ORDER BY position').all() as { d: number; s: number; e: number }[];
  for (let i = 0; i < train.length; i++) {
    for (const key of train[i]!.codes) {
      await c.run('codings.apply', { documentId: turns[i]!.d, start: turns[i]!.s, end: turns[i]!.e, codeId: codeIds[Number(key) - 1]! });
    }
  }
  const insert = db.prepare(`INSERT INTO suggestion (document_id, start_char, end_char, code_id, score, status) VALUES (?, ?, ?, ?, 0.5, 'open')`);
  db.transaction(() => {
    for (let i = train.length; i < turns.length; i++) insert.run(turns[i]!.d, turns[i]!.s, turns[i]!.e, codeIds[i % codeIds.length]!);
  })();
  c.close();
  fs.copyFileSync(target, CACHE);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function open(): Promise<Core> {
  await build();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bench-review-'));
  const copy = path.join(work, 'review.fieldbook');
  fs.copyFileSync(CACHE, copy);
  const c = createCore({ appDataDir: path.join(work, 'app'), host: 'test', version: 'bench', sampleDir: work });
  await c.run('project.open', { path: copy });
  // The harness tears down on the baseline's side only: our side removes its copy on exit.
  process.once('exit', close);
  return c;
}

function close(): void {
  core?.close();
  core = null;
  fs.rmSync(work, { recursive: true, force: true });
}

let data: ReturnType<typeof corpus> | null = null;
let nextDecision = 0;
let ids: number[] = [];

/** natural's BayesClassifier trained on the same 2,000 passages, classifying the 10,000. */
function bayes(): void {
  const { train, score } = data!;
  const model = new BayesClassifier();
  for (const p of train) model.addDocument(p.text, p.codes[0]!);
  model.train();
  for (const text of score) model.getClassifications(text);
}

const RETRAINS = 3;
let retrains = 0;
const pool = new WorkerPool(withCoreTasks());

export const rows = defineRows([
  {
    name: 'suggest: accept or reject one suggestion (22-code model, 2,000 coded passages, 10,000 open) — decision written',
    baseline: "natural's BayesClassifier, train 2,000 + classify 10,000",
    target: '< 20 ms',
    repeat: 7,
    async setup() {
      data = corpus();
      core = await open();
      ids = core.currentProject()!.db.prepare(`SELECT id FROM suggestion WHERE status = 'open' ORDER BY id LIMIT 20`).pluck().all() as number[];
    },
    async ours() {
      const id = ids[nextDecision++]!;
      await core!.run('suggest.review', { action: nextDecision % 2 ? 'accept' : 'reject', ids: [id] });
    },
    base: bayes,
    async teardown() {
      const project = core?.currentProject();
      if (project) await existingRetrainer(project)?.settled();
      close();
    },
  },
  {
    name: 'suggest: retrain + rescore 10,000 open suggestions behind the queue (22 codes, 2,000 coded passages)',
    baseline: "natural's BayesClassifier, train 2,000 + classify 10,000",
    target: '< 2 s',
    repeat: RETRAINS,
    async setup() {
      data = corpus();
      core = await open();
    },
    async ours() {
      const retrainer = new Retrainer(core!.currentProject()!, pool, () => {}, 0);
      retrainer.request();
      await retrainer.settled();
      if (retrainer.runs !== 1 || retrainer.lastError) throw new Error(`the retrain failed: ${String(retrainer.lastError)}`);
      // A worker that has run a task keeps this child alive: the last run ends the pool.
      if (++retrains === RETRAINS) pool.close();
    },
    base: bayes,
    teardown() {
      pool.close();
      close();
    },
  },
]);
