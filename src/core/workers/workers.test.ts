import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { tempDir } from '../testing/index';
import { WorkerPool } from './pool';
import { withCoreTasks } from '../tasks';

const temp = tempDir();
afterAll(() => temp.cleanup());

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('the worker pool', () => {
  const pools: WorkerPool[] = [];
  const pool = (options: Parameters<typeof withCoreTasks>[0]) => {
    const p = new WorkerPool(withCoreTasks(options));
    pools.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of pools.splice(0)) p.close();
  });

  it('parses on a worker thread exactly what the calling thread parses', async () => {
    const threaded = pool({ size: 1 });
    const inline = pool({ threads: false });
    // The development checkout bundles the worker on demand: threads must really be used here.
    expect(await threaded.threaded()).toBe(true);
    expect(await inline.threaded()).toBe(false);
    const files = [
      write('a.txt', 'Interviewer: How do you ship models?\n\nAna: Through the model registry, 模型管理.\n\nInterviewer: And then?\n\nAna: Approvals.\n'),
      write('b.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n<v Bo>Slowly, with approvals.</v>\n'),
    ];
    const words: number[] = [];
    for (const file of files) {
      const a = await threaded.run('parseTranscript', { path: file });
      const b = await inline.run('parseTranscript', { path: file });
      expect(a).toEqual(b);
      words.push(a.words);
    }
    // 5 + (4 words + 4 ideographs) + 2 + 1; "Slowly, with approvals." 3.
    expect(words).toEqual([16, 3]);
  });

  it('brings back the error with its place, from the worker as from the calling thread', async () => {
    const file = write('broken.vtt', 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards.\n');
    const errors: FieldbookError[] = [];
    for (const p of [pool({ size: 1 }), pool({ threads: false })]) {
      try {
        await p.run('parseTranscript', { path: file });
      } catch (error) {
        if (error instanceof FieldbookError) errors.push(error);
      }
    }
    expect(errors).toHaveLength(2);
    expect(errors[0]?.toInfo()).toEqual(errors[1]?.toInfo());
    expect(errors[0]?.details?.file).toBeTruthy();
    expect(errors[0]?.details?.line).toBe(3);
  });

  it('starts fresh workers after the idle ones are retired', async () => {
    const p = pool({ size: 1 });
    const file = write('r.txt', 'Ana: one\n\nBo: two\n');
    const first = await p.run('parseTranscript', { path: file });
    p.retireIdle();
    const second = await p.run('parseTranscript', { path: file });
    expect(second).toEqual(first);
    expect(await p.threaded()).toBe(true);
  });

  it('runs tasks on the calling thread when a worker cannot even start', async () => {
    const broken = write('broken-worker.mjs', "throw new Error('this worker cannot load');\n");
    const p = pool({ size: 1, script: broken });
    const file = write('f.txt', 'Ana: still parsed\n\nBo: on the main thread\n');
    const result = await p.run('parseTranscript', { path: file });
    expect(result.parsed.text).toContain('on the main thread');
    expect(await p.threaded()).toBe(false);
  });

  it('does not start a task whose job is already cancelled, and fails what is pending when closed', async () => {
    const p = pool({ size: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(p.run('parseTranscript', { path: write('c.txt', 'Ana: hello there') }, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    const pending = p.run('parseTranscript', { path: write('d.txt', 'Ana: hello again') });
    // Let the worker start and take the task, then close under it.
    await p.threaded();
    p.close();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
