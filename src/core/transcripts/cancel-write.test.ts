import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParticipantGrid } from '../../shared/contract/transcripts';
import type { CoreEvent } from '../../shared/events';
import { dumpProject, rowCount } from '../testing/dump';
import { createTestCore, failure, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

const FILES = 40;

/** Interview-like .txt files of ~80,000 characters each: the save spans several batches. */
function writeTranscripts(): string[] {
  const words = 'we keep every model in a registry with an owner and the approvals are slow because security reviews each release'.split(' ');
  return Array.from({ length: FILES }, (_, f) => {
    const turns: string[] = [];
    for (let i = 0; turns.join('\n').length < 80_000; i++) {
      const speaker = i % 2 === 0 ? 'Interviewer' : `Person ${f + 1}`;
      const text = Array.from({ length: 40 }, (_, w) => words[(i * 7 + w * 3 + f) % words.length]).join(' ');
      turns.push(`${speaker}: ${text}.`);
    }
    const file = path.join(t.dir, `interview-${String(f + 1).padStart(2, '0')}.txt`);
    fs.writeFileSync(file, turns.join('\n'));
    return file;
  });
}

type Progress = Extract<CoreEvent, { type: 'progress' }>;
const savingEvent = (event: CoreEvent, jobId: string): event is Progress =>
  event.type === 'progress' && event.jobId === jobId && /^Saving and indexing \d+ of \d+$/.test(event.message);

describe('transcripts.import: cancel while saving', () => {
  it('a cancel in the middle of the write rolls back every transcript; a call made meanwhile waits; the next import works', async () => {
    await t.newProject();
    const project = t.core.currentProject()!;
    fs.writeFileSync(path.join(t.dir, 'first.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ana>The registry was fine.</v>\n');
    await t.call('transcripts.import', { files: [{ path: path.join(t.dir, 'first.vtt'), participantName: 'Ana' }] });
    const before = dumpProject(project.db);
    const documentsBefore = rowCount(project.db, 'document');
    const files = writeTranscripts();

    let seen: { documents: number; writing: boolean } | null = null;
    let concurrent: Promise<ParticipantGrid> | null = null;
    let cancelled: Promise<unknown> | null = null;
    const stop = t.core.onEvent((event) => {
      if (seen || !savingEvent(event, 'tx-cancel')) return;
      seen = { documents: rowCount(project.db, 'document'), writing: project.writing };
      concurrent = t.call('participants.list', {});
      cancelled = t.call('jobs.cancel', { jobId: 'tx-cancel' });
    });
    const input = { files: files.map((file, i) => ({ path: file, participantName: `P${i + 1}` })) };
    const error = await failure(t.call('transcripts.import', input, 'tx-cancel'));
    stop();
    expect(error.code).toBe('CANCELLED');
    expect(seen).not.toBeNull();
    expect(seen!.writing).toBe(true);
    // Mid-write: this connection saw transcripts written but not committed.
    expect(seen!.documents).toBeGreaterThan(documentsBefore);
    expect(seen!.documents).toBeLessThan(documentsBefore + FILES);
    expect(await cancelled).toEqual({ cancelled: true });
    // The participants created by the cancelled import were never visible to the waiting call.
    expect((await concurrent!).participants.map((p) => p.name)).toEqual(['Ana']);

    expect(dumpProject(project.db)).toBe(before);
    expect(project.writing).toBe(false);
    expect(project.db.inTransaction).toBe(false);

    const imported = await t.call('transcripts.import', input, 'tx-again');
    expect(imported.documents).toHaveLength(FILES);
    expect((await t.call('documents.list', { kind: 'transcript' })).length).toBe(FILES + 1);
    // A phrase from the last file: the index covers every batch.
    const phrase = fs.readFileSync(files.at(-1)!, 'utf8').split('\n')[1]!.split(' ').slice(3, 6).join(' ');
    const hits = await t.call('search.run', { query: `"${phrase}"`, limit: 5 });
    expect(hits.hits.length).toBeGreaterThan(0);
  });

  it('progress moves file by file through the save, and a call made during it sees every transcript', async () => {
    await t.newProject();
    const files = writeTranscripts();
    const events: Progress[] = [];
    let concurrent: Promise<unknown[]> | null = null;
    const stop = t.core.onEvent((event) => {
      if (!savingEvent(event, 'tx-all')) return;
      events.push(event);
      concurrent ??= t.call('documents.list', { kind: 'transcript' });
    });
    await t.call('transcripts.import', { files: files.map((file) => ({ path: file })) }, 'tx-all');
    stop();
    expect(events.length).toBeGreaterThanOrEqual(2);
    const done = events.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // Files are read (on worker threads) while earlier ones are saved: one scale, file by file.
    expect(done[0]).toBeGreaterThanOrEqual(1);
    expect(done.at(-1)).toBeLessThanOrEqual(FILES);
    expect(concurrent).not.toBeNull();
    expect(await concurrent!).toHaveLength(FILES);
  });
});
