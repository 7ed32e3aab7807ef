import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from './store/project';
import { createTestCore, tempDir } from './testing/index';
import { xorshift32 } from './testing/random';

/**
 * Kill -9 in the middle of the work ("Keep them closed", issue 21). A child process runs the real
 * core on a copy of a project (src/core/testing/crash-child.ts) and is killed with SIGKILL at
 * chosen points (after so many progress events, or so long after it started). Afterwards the
 * project must open, pass PRAGMA integrity_check, and hold exactly the data from before the work
 * or exactly the data after it: never a half import, never a half-undone undo, and the undo log
 * must still undo and redo.
 */
const CHILD = path.resolve(import.meta.dirname, 'testing/crash-child.ts');

type Kill = { afterEvents: (line: string) => boolean } | { afterMs: number } | 'never';

interface ChildRun {
  killed: boolean;
  lines: string[];
}

function runChild(project: string, appData: string, work: unknown, kill: Kill): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // The work as a file (a batch of codings is too long for a command line). Node itself runs the
    // script (tsx as a loader, not tsx's own launcher, which would put the work in a grandchild
    // that the kill would miss).
    const argsFile = `${project}.work.json`;
    fs.writeFileSync(argsFile, JSON.stringify({ project, appData, work }));
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, argsFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
    const lines: string[] = [];
    let killed = false;
    let stderr = '';
    let buffer = '';
    const killNow = () => {
      if (!killed && child.exitCode === null) {
        killed = child.kill('SIGKILL');
      }
    };
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (data: Buffer) => {
      buffer += data.toString();
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        lines.push(line);
        if (line.startsWith('failed')) reject(new Error(`the child failed: ${line}`));
        if (kill === 'never') continue;
        if ('afterEvents' in kill && kill.afterEvents(line)) killNow();
        if ('afterMs' in kill && line === 'started') setTimeout(killNow, kill.afterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, lines });
      else if (code === 0) resolve({ killed: false, lines });
      else reject(new Error(`the child exited with ${code}: ${stderr}`));
    });
  });
}

/** Everything a half-done write would disturb: every table's row count, and the rows people see. */
function fingerprint(db: Database): unknown {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .pluck()
    .all() as string[];
  return {
    counts: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()])),
    operations: db.prepare('SELECT id, state, label FROM operation ORDER BY id').all(),
    codes: db.prepare('SELECT id, name FROM code ORDER BY id').all(),
    datasets: db.prepare('SELECT id, name, row_count FROM dataset ORDER BY id').all(),
    documents: db.prepare('SELECT id, name, length(text) AS length FROM document ORDER BY id').all(),
    codings: db.prepare('SELECT count(*) AS n, coalesce(sum(s.start_char), 0) AS starts FROM coding c JOIN segment s ON s.id = c.segment_id').get(),
  };
}

/** A fingerprint without the undo log's own rows (an undo keeps its step, marked undone, for redo). */
function withoutLog(print: unknown): unknown {
  const { counts, operations: _operations, ...rest } = print as { counts: Record<string, number>; operations: unknown };
  return { ...rest, counts: Object.fromEntries(Object.entries(counts).filter(([table]) => !table.startsWith('operation'))) };
}

/** Opens the project the way Fieldbook does (recovering a WAL or a hot journal), checks it, and fingerprints it. */
function inspect(file: string): unknown {
  const project = openProject(file);
  try {
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(project.db.pragma('foreign_key_check')).toEqual([]);
    return fingerprint(project.db);
  } finally {
    project.close();
  }
}

function savedAtLeast(line: string, count: number): boolean {
  const saved = /^progress "Saving and indexing (\d+) of/.exec(line);
  return saved !== null && Number(saved[1]) >= count;
}

describe('kill -9 in the middle of the work', () => {
  let dir: string;
  let cleanup: () => void;
  let baseline: string;
  let documentId = 0;
  let codeIds: number[] = [];
  let run = 0;
  const appData = () => path.join(dir, 'appdata');

  /** A fresh copy of a closed project, for one child run. */
  const copyOf = (source: string) => {
    run += 1;
    const copy = path.join(dir, `run-${run}.fieldbook`);
    fs.copyFileSync(source, copy);
    return copy;
  };

  /** Runs the work to the end once (what "after" looks like), then kills it at each point. */
  async function killAt(source: string, work: unknown, kills: Kill[]): Promise<{ before: unknown; after: unknown; states: string[] }> {
    const before = inspect(copyOf(source));
    const whole = copyOf(source);
    expect((await runChild(whole, appData(), work, 'never')).killed).toBe(false);
    const after = inspect(whole);
    expect(after).not.toEqual(before);
    const states: string[] = [];
    for (const kill of kills) {
      const file = copyOf(source);
      const child = await runChild(file, appData(), work, kill);
      const state = inspect(file);
      const which = JSON.stringify(state) === JSON.stringify(before) ? 'before' : JSON.stringify(state) === JSON.stringify(after) ? 'after' : 'neither';
      expect(which, `killed: ${child.killed}, last line: ${child.lines.at(-1)}`).not.toBe('neither');
      states.push(child.killed ? which : 'finished');
    }
    return { before, after, states };
  }

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('fieldbook-faults-'));
    const t = createTestCore();
    try {
      baseline = await t.newProject('baseline');
      const small = path.join(t.dir, 'wave1.csv');
      fs.writeFileSync(small, 'id,q1,comment\n1,yes,fine\n2,no,slow\n3,yes,ok\n');
      await t.call('survey.import', { path: small, wave: '1' });
      // A long interview: the coding batch codes one word in every few thousand of it.
      const random = xorshift32(2166136261);
      const words = ['registry', 'model', 'cost', 'gpu', 'team', 'cloud', 'data', 'review', 'approval', 'budget'];
      const turns: string[] = [];
      for (let i = 0; i < 400; i++) turns.push(`${i % 2 ? 'Ana' : 'Interviewer'}: ${Array.from({ length: 250 }, () => words[random() % words.length]).join(' ')}.`);
      const interview = path.join(t.dir, 'interview.txt');
      fs.writeFileSync(interview, turns.join('\n\n'));
      documentId = (await t.call('transcripts.import', { files: [{ path: interview, participantName: 'Ana' }] })).documents[0]!.id;
      codeIds = [(await t.call('codes.create', { name: 'Cost' })).id, (await t.call('codes.create', { name: 'Registry' })).id];
      await t.call('codings.apply', { documentId, start: 0, end: 11, codeId: codeIds[0]! });
      await t.call('project.close', {});
      fs.copyFileSync(baseline, path.join(dir, 'baseline.fieldbook'));
      baseline = path.join(dir, 'baseline.fieldbook');
    } finally {
      t.cleanup();
    }
  });
  afterAll(() => cleanup());

  it('a 100,000-row survey import (a bulk write through a rollback journal)', { timeout: 120_000 }, async () => {
    const csv = path.join(dir, 'big.csv');
    const random = xorshift32(88172645);
    const header = ['id', ...Array.from({ length: 21 }, (_, i) => `q${i + 1}`), 'age', 'comment'];
    const answers = ['Yes', 'No', 'Maybe', "Don't know"];
    const rows = [header.join(',')];
    for (let r = 0; r < 100_000; r++) {
      const cells = [String(r + 1)];
      for (let q = 0; q < 21; q++) cells.push(answers[random() % answers.length]!);
      cells.push(String(18 + (random() % 60)));
      cells.push(r % 10 === 0 ? `comment ${random() % 1000}` : '');
      rows.push(cells.join(','));
    }
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    // Progress is throttled by time, so a kill point counts the variable the line names, not lines.
    const savingVariable = (line: string, atLeast: number) => {
      const saving = /^progress "Saving .* \((\d+) of \d+\)/.exec(line);
      return saving !== null && Number(saving[1]) >= atLeast;
    };
    const { states } = await killAt(baseline, { call: 'survey.import', input: { path: csv, wave: 'big' } }, [
      { afterEvents: (line) => line.startsWith('progress "Preparing') },
      { afterEvents: (line) => savingVariable(line, 3) },
      { afterEvents: (line) => savingVariable(line, 12) },
    ]);
    expect(states.filter((s) => s === 'before').length).toBeGreaterThanOrEqual(2);
  });

  it('a transcripts import of 200 files', { timeout: 120_000 }, async () => {
    const folder = path.join(dir, 'transcripts');
    fs.mkdirSync(folder, { recursive: true });
    const files: { path: string }[] = [];
    const random = xorshift32(12345);
    for (let i = 0; i < 200; i++) {
      const file = path.join(folder, `t${i}.txt`);
      const text = Array.from({ length: 20 }, (_, turn) => `${turn % 2 ? 'Ben' : 'Interviewer'}: ${Array.from({ length: 150 }, () => `w${random() % 3000}`).join(' ')}.`).join('\n\n');
      fs.writeFileSync(file, text);
      files.push({ path: file });
    }
    const { states } = await killAt(baseline, { call: 'transcripts.import', input: { files } }, [
      // Progress events are thinned out in time, so not every number shows: the first at or past it.
      { afterEvents: (line) => savedAtLeast(line, 20) },
      { afterEvents: (line) => savedAtLeast(line, 150) },
    ]);
    expect(states.filter((s) => s === 'before').length).toBeGreaterThanOrEqual(1);
  });

  it('a coding batch (one undoable operation), and then an undo of it', { timeout: 120_000 }, async () => {
    const project = openProject(baseline);
    const text = project.db.prepare('SELECT text FROM document WHERE id = ?').pluck().get(documentId) as string;
    project.close();
    const codings: { documentId: number; start: number; end: number; codeId: number }[] = [];
    const word = /\b(registry|budget)\b/g;
    for (let m = word.exec(text); m && codings.length < 30_000; m = word.exec(text)) {
      codings.push({ documentId, start: m.index, end: m.index + m[0].length, codeId: codeIds[m[0] === 'registry' ? 1 : 0]! });
    }
    expect(codings.length).toBeGreaterThan(10_000);
    const batch = await killAt(baseline, { codings }, [{ afterMs: 10 }, { afterMs: 60 }, { afterMs: 150 }]);
    expect(batch.states.filter((s) => s === 'before').length).toBeGreaterThanOrEqual(1);

    // The same batch, applied to the end: now undo it, and kill the undo.
    const coded = copyOf(baseline);
    expect((await runChild(coded, appData(), { codings }, 'never')).killed).toBe(false);
    const undo = await killAt(coded, { call: 'history.undo', input: {} }, [{ afterMs: 5 }, { afterMs: 40 }, { afterMs: 120 }]);
    expect(undo.before).toEqual(batch.after);
    // Undone, the project is as before the batch, apart from the log keeping the undone step for redo.
    expect(withoutLog(undo.after)).toEqual(withoutLog(batch.before));
    expect(undo.states.filter((s) => s === 'before').length).toBeGreaterThanOrEqual(1);

    // After a killed undo the log still works: undo, then redo, each to the exact state.
    const killed = copyOf(coded);
    await runChild(killed, appData(), { call: 'history.undo', input: {} }, { afterMs: 5 });
    const state = inspect(killed);
    const t = createTestCore();
    try {
      await t.call('project.open', { path: killed });
      if (JSON.stringify(state) === JSON.stringify(undo.before)) await t.call('history.undo', {});
      expect(fingerprint(t.core.currentProject()!.db)).toEqual(undo.after);
      await t.call('history.redo', {});
      expect(fingerprint(t.core.currentProject()!.db)).toEqual(undo.before);
    } finally {
      t.cleanup();
    }
  });
});
