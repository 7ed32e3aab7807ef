import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, type TestCore } from '../testing/index';

/**
 * "A failed import leaves the project exactly as it was", taken literally: not a byte of the
 * project file changes, not even SQLite's file change counter in its header. Each test closes the
 * project (so SQLite checkpoints its WAL into the file), takes the file's bytes, opens it, runs a
 * refused import, closes it again and compares.
 */
describe('a refused import', () => {
  let t: TestCore;
  let file: string;
  const bytes = () => fs.readFileSync(file);
  const reopen = () => t.call('project.open', { path: file });
  const close = () => t.call('project.close', {});

  beforeEach(async () => {
    t = createTestCore();
    file = await t.newProject('kept');
    const csv = path.join(t.dir, 'wave1.csv');
    fs.writeFileSync(csv, 'id,q1,comment\n1,yes,fine\n2,no,slow\n3,yes,ok\n');
    await t.call('survey.import', { path: csv, wave: '1' });
    const vtt = path.join(t.dir, 'good.vtt');
    fs.writeFileSync(vtt, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>The model registry.</v>\n');
    await t.call('transcripts.import', { files: [{ path: vtt }] });
    await close();
  });
  afterEach(() => t.cleanup());

  const expectUnchanged = (before: Buffer) => {
    const after = bytes();
    expect(after.length).toBe(before.length);
    // The header first, named, so a failure says which field moved.
    expect({ changeCounter: after.readUInt32BE(24), versionValidFor: after.readUInt32BE(92), write: after[18], read: after[19] }).toEqual({
      changeCounter: before.readUInt32BE(24),
      versionValidFor: before.readUInt32BE(92),
      write: before[18],
      read: before[19],
    });
    expect(after.equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  };

  it('of a survey (a stray quote deep in the file) does not write to the project file', async () => {
    const csv = path.join(t.dir, 'broken.csv');
    const rows = Array.from({ length: 5000 }, (_, i) => `${i + 10},yes,"fine"`);
    rows.push('9999,no,"a "stray" quote"');
    fs.writeFileSync(csv, `id,q1,comment\n${rows.join('\n')}\n`);
    const before = bytes();
    await reopen();
    const error = await failure(t.call('survey.import', { path: csv, wave: '2' }, 'refused-survey'));
    expect(error.code).toBe('PARSE_ERROR');
    await close();
    expectUnchanged(before);
  });

  it('of transcripts (a bad file after good ones) does not write to the project file', async () => {
    const good = path.join(t.dir, 'more.vtt');
    fs.writeFileSync(good, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ben>More about the registry.</v>\n');
    const bad = path.join(t.dir, 'bad.vtt');
    fs.writeFileSync(bad, 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards.\n');
    const before = bytes();
    await reopen();
    const error = await failure(t.call('transcripts.import', { files: [{ path: good }, { path: bad }] }, 'refused-small'));
    expect(error.details?.file).toContain('bad.vtt');
    await close();
    expectUnchanged(before);
  });

  it('of a large transcripts batch (16 MB and more, once written as a bulk write) does not write to the project file either', async () => {
    const words = 'the registry holds every model version and its lineage '.repeat(4000);
    const files: { path: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const big = path.join(t.dir, `big${i}.txt`);
      fs.writeFileSync(big, `Ana: ${words}\nBen: ${words}\n`.repeat(4));
      files.push({ path: big });
    }
    const bad = path.join(t.dir, 'bad.vtt');
    fs.writeFileSync(bad, 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards.\n');
    files.push({ path: bad });
    expect(files.reduce((n, f) => n + fs.statSync(f.path).size, 0)).toBeGreaterThan(16 * 1024 * 1024);
    const before = bytes();
    await reopen();
    const error = await failure(t.call('transcripts.import', { files }, 'refused-bulk'));
    expect(error.details?.file).toContain('bad.vtt');
    await close();
    expectUnchanged(before);
  });
});
