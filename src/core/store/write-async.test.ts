import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import type { CoreEvent } from '../../shared/events';
import { JobRegistry } from '../jobs';
import { dumpProject } from '../testing/dump';
import { createTestCore, type TestCore } from '../testing/index';
import type { Project } from './project';

let t: TestCore;
let project: Project;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject('gate');
  project = t.core.currentProject()!;
});
afterEach(() => t.cleanup());

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
async function settleFor(rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await macrotask();
}

/** A promise the test resolves by hand: the write stays open until then. */
function latch(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled(): boolean } {
  let done = false;
  const settle = () => {
    done = true;
  };
  promise.then(settle, settle);
  return { promise, settled: () => done };
}

const insertParticipant = (name: string) => project.db.prepare('INSERT INTO participant (name) VALUES (?)').run(name);
const participantNames = () => project.db.prepare('SELECT name FROM participant ORDER BY id').pluck().all() as string[];

describe('Project.writeAsync', () => {
  it('a write that fails after an await rolls back every batch, and leaves no transaction or gate behind', async () => {
    await t.call('participants.create', { name: 'Before' });
    const before = dumpProject(project.db);
    const failing = project.writeAsync(async () => {
      insertParticipant('Batch 1');
      await macrotask();
      insertParticipant('Batch 2');
      // Written, not yet committed: visible on this connection only.
      expect(participantNames()).toEqual(['Before', 'Batch 1', 'Batch 2']);
      throw new FieldbookError('PARSE_ERROR', 'line 9 is broken', { line: 9 });
    });
    await expect(failing).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    expect(dumpProject(project.db)).toBe(before);
    expect(project.db.inTransaction).toBe(false);
    expect(project.writing).toBe(false);

    // The next write works and lands on disk.
    await project.writeAsync(async () => {
      insertParticipant('After 1');
      await macrotask();
      insertParticipant('After 2');
    });
    const file = project.path;
    await t.call('project.close', {});
    await t.call('project.open', { path: file });
    expect((await t.call('participants.list', {})).participants.map((p) => p.name).sort()).toEqual(['After 1', 'After 2', 'Before']);
  });

  it('ordinary calls wait while a write is open and then see all of it; jobs.cancel never waits', async () => {
    const hold = latch();
    const write = project.writeAsync(async () => {
      insertParticipant('P1');
      await hold.wait;
      insertParticipant('P2');
      return 'written';
    });
    await settleFor(3);
    expect(project.writing).toBe(true);

    const listing = tracked(t.call('participants.list', {}));
    const creating = tracked(t.call('participants.create', { name: 'P3' }));
    // A cancel goes straight through, write or not.
    expect(await t.call('jobs.cancel', { jobId: 'not-running' })).toEqual({ cancelled: false });
    await settleFor(20);
    expect(listing.settled()).toBe(false);
    expect(creating.settled()).toBe(false);

    hold.open();
    expect(await write).toBe('written');
    // The waiting call saw the whole write, and the waiting write came after it.
    expect((await listing.promise).participants.map((p) => p.name)).toEqual(['P1', 'P2']);
    expect((await creating.promise).name).toBe('P3');
    expect(participantNames()).toEqual(['P1', 'P2', 'P3']);
  });

  it('a write waits for a call already running; code outside the write is refused a transaction while it is open', async () => {
    // survey.preview is an ordinary call that awaits (it reads a file): it holds its share meanwhile.
    const csv = path.join(t.dir, 'preview.csv');
    fs.writeFileSync(csv, ['id,score', ...Array.from({ length: 20_000 }, (_, i) => `${i},${i % 5}`)].join('\n'));
    // Load the survey domain first, so the call below takes its share on its first turn.
    await t.call('survey.preview', { path: csv, maxRows: 1 });
    const order: string[] = [];
    const previewing = tracked(t.call('survey.preview', { path: csv }).then(() => order.push('preview done')));
    const preview = previewing.promise;
    await macrotask();
    expect(previewing.settled()).toBe(false);
    const hold = latch();
    const write = project.writeAsync(async () => {
      order.push('write opened');
      insertParticipant('W');
      await hold.wait;
      // The write's own code may use nested transactions (savepoints) freely.
      project.transaction(() => insertParticipant('nested'));
    });
    while (!project.writing) await macrotask();
    // Code outside the write (here, the test) cannot slip a transaction of its own into it.
    expect(() => project.transaction(() => insertParticipant('intruder'))).toThrow(/still being saved/);
    hold.open();
    await Promise.all([preview, write]);
    expect(order).toEqual(['preview done', 'write opened']);
    expect(participantNames()).toEqual(['W', 'nested']);
  });

  it('two writes queue: the second opens after the first commits, each all-or-nothing', async () => {
    const hold = latch();
    const first = project.writeAsync(async () => {
      insertParticipant('A1');
      await hold.wait;
      insertParticipant('A2');
    });
    const second = tracked(
      project.writeAsync(async () => {
        // Opened only after the first committed: it sees both of its rows.
        expect(participantNames()).toEqual(['A1', 'A2']);
        insertParticipant('B1');
        await macrotask();
        throw new FieldbookError('CANCELLED', 'Cancelled. Nothing was changed.');
      }),
    );
    await settleFor(10);
    expect(second.settled()).toBe(false);
    hold.open();
    await first;
    await expect(second.promise).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(participantNames()).toEqual(['A1', 'A2']);
  });

  it('a bulk write goes through a rollback journal and back to WAL; failing, it leaves the file as it was', async () => {
    await t.call('participants.create', { name: 'Before' });
    const before = dumpProject(project.db);
    const pages = () => project.db.pragma('page_count', { simple: true }) as number;
    const pagesBefore = pages();
    const big = 'x'.repeat(200_000);
    const failing = project.writeAsync(
      async () => {
        // Pages past the old end of the file: a rollback journal does not keep them, the file does.
        for (let i = 0; i < 50; i++) insertParticipant(`${i} ${big}`);
        expect(project.db.pragma('journal_mode', { simple: true })).toBe('delete');
        await macrotask();
        throw new FieldbookError('CANCELLED', 'Cancelled.');
      },
      { bulk: true },
    );
    await expect(failing).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(dumpProject(project.db)).toBe(before);
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(project.db.pragma('synchronous', { simple: true })).toBe(1);
    // The appended pages are gone from the file too (it holds every page now, the WAL none).
    expect(pages()).toBe(pagesBefore);
    expect(fs.statSync(project.path).size).toBe(pagesBefore * (project.db.pragma('page_size', { simple: true }) as number));
    expect(fs.existsSync(`${project.path}-journal`)).toBe(false);

    await project.writeAsync(
      async () => {
        insertParticipant('Bulk');
        await macrotask();
      },
      { bulk: true },
    );
    expect(participantNames()).toEqual(['Before', 'Bulk']);
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});

describe('job checkpoints and the write gate', () => {
  it('a job started while a write is open waits for it, and a cancel stops it at once, before anything is written', async () => {
    const vtt = path.join(t.dir, 'queued.vtt');
    fs.writeFileSync(vtt, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kim>Queued behind a write.</v>\n');
    const hold = latch();
    const write = project.writeAsync(async () => {
      insertParticipant('Writer');
      await hold.wait;
    });
    await settleFor(3);
    const queued = tracked(t.call('transcripts.import', { files: [{ path: vtt, participantName: 'Kim' }] }, 'queued'));
    const later = tracked(t.call('transcripts.import', { files: [{ path: vtt, name: 'later' }] }, 'later'));
    await settleFor(20);
    expect(queued.settled()).toBe(false);
    expect(await t.call('jobs.cancel', { jobId: 'queued' })).toEqual({ cancelled: true });
    await expect(queued.promise).rejects.toMatchObject({ code: 'CANCELLED' });
    // The write is still open, and the other job still waits for it.
    expect(project.writing).toBe(true);
    expect(later.settled()).toBe(false);
    hold.open();
    await write;
    expect((await later.promise).documents.map((d) => d.name)).toEqual(['later']);
    expect(participantNames()).toEqual(['Writer']);
  });

  it('a job waits at its checkpoint while another write is open, and a cancel reaches it there at once', async () => {
    const events: CoreEvent[] = [];
    const registry = new JobRegistry();
    const gate = () => project.writesDone();
    const waiting = registry.start('waits', (e) => events.push(e), gate);
    const cancelled = registry.start('cancelled', (e) => events.push(e), gate);

    const hold = latch();
    const write = project.writeAsync(async () => {
      insertParticipant('Half');
      // The write's own checkpoints do not wait for the write.
      await registry.start('writer', () => {}, gate).job.checkpoint();
      await hold.wait;
    });
    await settleFor(3);
    const afterWrite = tracked(waiting.job.checkpoint().then(() => participantNames()));
    const stopped = tracked(cancelled.job.checkpoint());
    await settleFor(10);
    expect(afterWrite.settled()).toBe(false);
    expect(stopped.settled()).toBe(false);

    expect(registry.cancel('cancelled')).toBe(true);
    await expect(stopped.promise).rejects.toMatchObject({ code: 'CANCELLED' });
    // The other job still waits: the write is open.
    expect(afterWrite.settled()).toBe(false);
    hold.open();
    await write;
    expect(await afterWrite.promise).toEqual(['Half']);
    waiting.finish();
    cancelled.finish();
  });
});
