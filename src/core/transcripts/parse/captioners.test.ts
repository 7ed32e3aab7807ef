import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, tempDir, type TestCore } from '../../testing/index';
import { parseTranscriptFile } from './index';
import { participantFromFileName } from './filename';
import { likelyInterviewer } from './model';

const temp = tempDir('fieldbook-captioners-');
afterAll(() => temp.cleanup());

function write(name: string, content: string): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const said = (p: Awaited<ReturnType<typeof parseTranscriptFile>>) => p.turns.map((t) => [t.speaker, p.text.slice(t.start, t.end), t.startMs]);

describe('captions as other captioners write them', () => {
  it('WebVTT cues not separated by a blank line are separate cues, and no timing line reaches the text', async () => {
    const file = write(
      'packed.vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nFirst caption.\n00:00:03.500 --> 00:00:05.000\nSecond caption.\n2\n00:00:06.000 --> 00:00:07.000\nThird, after an id.\n',
    );
    const parsed = await parseTranscriptFile(file);
    expect(said(parsed)).toEqual([
      [null, 'First caption.', 1000],
      [null, 'Second caption.', 3500],
      [null, 'Third, after an id.', 6000],
    ]);
    expect(parsed.text).not.toMatch(/-->/);
  });

  it('reads YouTube .sbv captions like SRT, speakers included', async () => {
    const file = write('youtube.sbv', '0:00:00.599,0:00:04.160\n>> Interviewer: How did you get here?\n\n0:00:04.160,0:00:06.770\nP04: By bus, mostly.\nIt is cheap.\n\n');
    const parsed = await parseTranscriptFile(file);
    expect(parsed.format).toBe('sbv');
    expect(said(parsed)).toEqual([
      [null, '>> Interviewer: How did you get here?', 599],
      ['P04', 'By bus, mostly.\nIt is cheap.', 4160],
    ]);
  });

  it('refuses an .sbv timing line it cannot read, naming the line', async () => {
    await expect(parseTranscriptFile(write('bad.sbv', '0:00:01.000,0:00:02.000\nok\n\n0:00:03.000 0:00:04.000\nno comma\n'))).rejects.toThrow(/bad\.sbv, line 4: expected a timing line/);
  });

  it('SRT and VTT cues starting with "Interviewer:", "P04:" get speakers even when each appears once', async () => {
    const srt = write('once.srt', '1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Where do you live?\n\n2\n00:00:02,500 --> 00:00:04,000\nP04: Near the station.\n');
    expect(said(await parseTranscriptFile(srt))).toEqual([
      ['Interviewer', 'Where do you live?', 1000],
      ['P04', 'Near the station.', 2500],
    ]);
    const vtt = write('once.vtt', 'WEBVTT\n\n00:01.000 --> 00:02.000\nMODERATOR: Ready?\n\n00:02.000 --> 00:03.000\nNote: this is said, not a speaker.\n');
    expect(said(await parseTranscriptFile(vtt))).toEqual([
      ['MODERATOR', 'Ready?', 1000],
      [null, 'Note: this is said, not a speaker.', 2000],
    ]);
  });

  it('"访谈者", "采访者", "Moderator" and "Interviewer" mark the interviewer', () => {
    for (const label of ['访谈者', '采访者', 'Moderator', 'Interviewer']) expect(likelyInterviewer(label), label).toBe(true);
    for (const label of ['受访者', 'P04', 'Maria']) expect(likelyInterviewer(label), label).toBe(false);
  });
});

describe('the participant named by a file name', () => {
  it('takes ids and person names, with the reason, and nothing from other names', () => {
    expect(participantFromFileName('P04.docx')?.name).toBe('P04');
    expect(participantFromFileName('interview_P04.vtt')?.name).toBe('P04');
    expect(participantFromFileName('p-12 notes.txt')?.name).toBe('P12');
    expect(participantFromFileName('Maria Lopez.docx')).toEqual({ name: 'Maria Lopez', reason: 'the file name "Maria Lopez.docx" is a person\'s name' });
    expect(participantFromFileName('interview_P04.vtt')?.reason).toMatch(/participant id P04/);
    for (const name of ['Zoom Recording.vtt', 'transcript.txt', 'GMT20211118.odt', 'Top 10.txt', 'SPSS export.csv']) expect(participantFromFileName(name), name).toBeNull();
  });

  describe('in the import preview', () => {
    let t: TestCore;
    beforeEach(() => {
      t = createTestCore();
    });
    afterEach(() => t.cleanup());

    it('suggests it, and the user can fix speakers of an SRT after import', async () => {
      await t.newProject();
      const file = write('interview_P04.srt', '1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Where do you live?\n\n2\n00:00:02,500 --> 00:00:04,000\nP04: Near the station.\n');
      const { files } = await t.call('transcripts.preview', { files: [file] });
      expect(files[0]?.suggestedParticipant).toEqual({ name: 'P04', reason: 'the file name "interview_P04.srt" has the participant id P04 in it' });
      expect(files[0]?.speakers.map((s) => [s.label, s.likelyInterviewer])).toEqual([
        ['Interviewer', true],
        ['P04', false],
      ]);
      const [doc] = (await t.call('transcripts.import', { files: [{ path: file }] })).documents;
      const detail = await t.call('documents.get', { id: doc!.id });
      const p04 = detail.speakers.find((s) => s.label === 'P04')!;
      const fixed = await t.call('speakers.update', { id: p04.id, displayName: 'Respondent 4', isInterviewer: false });
      expect(fixed.displayName).toBe('Respondent 4');
    });
  });
});
