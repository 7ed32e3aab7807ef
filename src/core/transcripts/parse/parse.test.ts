import fs from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import iconv from 'iconv-lite';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, describe, expect, it } from 'vitest';
import { failure, sharedData, sharedDataAvailable, tempDir } from '../../testing/index';
import { parseTranscriptBytes, parseTranscriptFile, type ParsedTranscript } from './index';
import { countWords } from './model';

const temp = tempDir('fieldbook-parse-');
afterAll(() => temp.cleanup());

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Every turn's [start, end) must cut a piece of the text (indentation kept, nothing trailing), in order, without overlap. */
function checkOffsets(t: ParsedTranscript): void {
  let last = -1;
  for (const turn of t.turns) {
    expect(turn.start).toBeGreaterThan(last);
    expect(turn.end).toBeGreaterThan(turn.start);
    const piece = t.text.slice(turn.start, turn.end);
    expect(piece).toBe(piece.trimEnd());
    expect(piece).not.toMatch(/^\s*\n/);
    last = turn.end;
  }
  expect(t.turns.map((turn) => t.text.slice(turn.start, turn.end)).join('\n\n')).toBe(t.text);
}

function turnsOf(t: ParsedTranscript): [string | null, string][] {
  return t.turns.map((turn) => [turn.speaker, t.text.slice(turn.start, turn.end)]);
}

describe('word counts', () => {
  it('counts words with apostrophes and hyphens once, and each CJK character as a word', () => {
    expect(countWords("It's a well-known tool, isn't it?")).toBe(6);
    expect(countWords('模型管理 ok 𝒳yz 3.5')).toBe(8);
    expect(countWords('  ')).toBe(0);
    expect(countWords('Ça coûte 3 €')).toBe(3);
  });
});

describe('plain text speakers', () => {
  it('reads "Name:" turns, keeps speakers out of the text and continuation lines in the turn', async () => {
    const file = write(
      'interview.txt',
      'Interviewer: How do you deploy models?\nAlice: We use a registry.\nIt keeps versions.\n\nInterviewer: And monitoring?\nAlice: Dashboards: lots of them.\n',
    );
    const t = await parseTranscriptFile(file);
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['Interviewer', 'How do you deploy models?'],
      ['Alice', 'We use a registry.\nIt keeps versions.'],
      ['Interviewer', 'And monitoring?'],
      ['Alice', 'Dashboards: lots of them.'],
    ]);
    expect(t.format).toBe('txt');
    expect(t.encoding).toBe('utf-8');
  });

  it('reads Chinese turns with a full-width colon and no space after it', async () => {
    const t = await parseTranscriptBytes(strToU8('访谈者：你们怎么做模型管理？\n李：我们用一个模型仓库。\n访谈者：监控呢？\n李：主要靠仪表盘。\n'), 'zh.txt');
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['访谈者', '你们怎么做模型管理？'],
      ['李', '我们用一个模型仓库。'],
      ['访谈者', '监控呢？'],
      ['李', '主要靠仪表盘。'],
    ]);
  });

  it('does not take a one-off "Note:" in prose for a speaker', async () => {
    const t = await parseTranscriptBytes(strToU8('We met at nine.\n\nNote: the recorder failed for ten minutes.\n\nThen we went on.'), 'notes.txt');
    expect(t.turns.map((x) => x.speaker)).toEqual([null, null, null]);
    expect(t.text).toContain('Note: the recorder failed');
  });

  it('reads Markdown bold labels and a leading timestamp', async () => {
    const t = await parseTranscriptBytes(strToU8('**MODERATOR:** Welcome.\n\n[00:01:05] **P3:** Thanks for having me.\n'), 'session.md');
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['MODERATOR', 'Welcome.'],
      ['P3', 'Thanks for having me.'],
    ]);
    expect(t.turns[1]?.startMs).toBe(65_000);
    expect(t.format).toBe('md');
  });

  it("reads Otter's \"Name  0:13\" header lines with timestamps", async () => {
    const otter = 'Speaker 1  0:00\nSo tell me about your team.\n\nJane Doe  0:13\nWe are six engineers.\nMostly platform work.\n\nSpeaker 1  1:02:03\nGreat.\n';
    const t = await parseTranscriptBytes(strToU8(otter), 'otter.txt');
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['Speaker 1', 'So tell me about your team.'],
      ['Jane Doe', 'We are six engineers.\nMostly platform work.'],
      ['Speaker 1', 'Great.'],
    ]);
    expect(t.turns.map((x) => x.startMs)).toEqual([0, 13_000, 3_723_000]);
  });

  it('reads Zoom\'s "[Name] 10:03:12" lines and "Name (00:01:02):" labels with their times', async () => {
    const zoom = await parseTranscriptBytes(strToU8('[Alice Smith] 10:03:12\nHello, can you hear me?\n\n[Bob] 10:03:15\nYes.\n'), 'zoom.txt');
    checkOffsets(zoom);
    expect(turnsOf(zoom)).toEqual([
      ['Alice Smith', 'Hello, can you hear me?'],
      ['Bob', 'Yes.'],
    ]);
    expect(zoom.turns.map((x) => x.startMs)).toEqual([36_192_000, 36_195_000]);
    const noted = await parseTranscriptBytes(strToU8('[id1] I agree [laughs].\n\n[laughs] Sure.\n\n[id2] Fine.\n\n[inaudible 00:12] maybe.\n'), 'noted.txt');
    expect(noted.turns.map((x) => x.speaker)).toEqual(['id1', null, 'id2', null]);
    expect(noted.text).toContain('[laughs] Sure.');
    const named = await parseTranscriptBytes(strToU8('Alice Smith (00:01:02): We started in 2019.\nBob [1:10] Why then?\n'), 'named.txt');
    expect(turnsOf(named)).toEqual([
      ['Alice Smith', 'We started in 2019.'],
      ['Bob', 'Why then?'],
    ]);
    expect(named.turns.map((x) => x.startMs)).toEqual([62_000, 70_000]);
  });

  it('reads Rev-style "Speaker 1 (00:00):" headers with the words on the next line', async () => {
    const rev = 'Speaker 1 (00:00):\nThanks for joining.\n\nSpeaker 2 (00:04):\nHappy to be here.\nReally.\n\nSpeaker 1 (01:02:03):\nGreat.\n';
    const t = await parseTranscriptBytes(strToU8(rev), 'rev.txt');
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['Speaker 1', 'Thanks for joining.'],
      ['Speaker 2', 'Happy to be here.\nReally.'],
      ['Speaker 1', 'Great.'],
    ]);
    expect(t.turns.map((x) => x.startMs)).toEqual([0, 4_000, 3_723_000]);
  });

  it('decodes Windows-1252, Shift_JIS and UTF-16 and keeps offsets in JavaScript string indices', async () => {
    const latin = await parseTranscriptBytes(iconv.encode('Interviewer: Café?\nRespondent: Oui, très bon café. Ça coûte 3 €.\n', 'windows-1252'), 'fr.txt');
    expect(latin.encoding).not.toBe('utf-8');
    expect(turnsOf(latin)[1]).toEqual(['Respondent', 'Oui, très bon café. Ça coûte 3 €.']);
    const sjis = await parseTranscriptBytes(
      iconv.encode('司会: 模型管理についてどう思いますか。\n回答者: 模型管理はとても大切です。毎日使っています。\n司会: ありがとう。\n', 'shift_jis'),
      'ja.txt',
    );
    expect(sjis.encoding).toBe('shift_jis');
    expect(turnsOf(sjis)[1]).toEqual(['回答者', '模型管理はとても大切です。毎日使っています。']);
    const utf16 = await parseTranscriptBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A: 𝒳 hi\nB: yo\nA: ok\n', 'utf16le')]), 'u16.txt');
    checkOffsets(utf16);
    expect(turnsOf(utf16)[0]).toEqual(['A', '𝒳 hi']);
  });
});

describe('subtitles', () => {
  it('takes speakers from <v> voice tags, merges their consecutive cues and strips every tag', async () => {
    const vtt = [
      'WEBVTT',
      '',
      '1',
      '00:00:01.000 --> 00:00:03.500',
      '<v Interviewer>How do you <b>manage</b> models?</v>',
      '',
      '2',
      '00:00:04.000 --> 00:00:06.000',
      '<v.loud Maria Lopez>We use a <00:00:05.000>model registry</v>',
      '',
      '00:00:06.000 --> 00:00:08.250',
      '<v Maria Lopez>and review &amp; approve each one.',
    ].join('\n');
    const t = await parseTranscriptBytes(strToU8(vtt), 'teams.vtt');
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['Interviewer', 'How do you manage models?'],
      ['Maria Lopez', 'We use a model registry and review & approve each one.'],
    ]);
    expect(t.turns.map((x) => [x.startMs, x.endMs])).toEqual([
      [1000, 3500],
      [4000, 8250],
    ]);
  });

  it('reads Zoom-style "Name: text" cues', async () => {
    const vtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nSam Lee: Hello there.\n\n2\n00:00:02.000 --> 00:00:03.000\nAna: Hi Sam.\n\n3\n00:00:03.000 --> 00:00:04.000\nSam Lee: Shall we start?\n';
    const t = await parseTranscriptBytes(strToU8(vtt), 'zoom.vtt');
    expect(turnsOf(t)).toEqual([
      ['Sam Lee', 'Hello there.'],
      ['Ana', 'Hi Sam.'],
      ['Sam Lee', 'Shall we start?'],
    ]);
  });

  it('refuses a cue whose end comes before its start, naming the line', async () => {
    const error = await failure(parseTranscriptBytes(strToU8('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n'), 'back.vtt'));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.details?.line).toBe(3);
  });

  it('refuses a file that does not start with WEBVTT', async () => {
    const error = await failure(parseTranscriptBytes(strToU8('00:00:01.000 --> 00:00:02.000\nHi\n'), 'nohead.vtt'));
    expect(error.message).toMatch(/must start with "WEBVTT"/);
    expect(error.details?.line).toBe(1);
  });
});

describe.skipIf(!sharedDataAvailable)('every real-world transcript in ../shared/data/transcripts', () => {
  const vtt = (name: string) => sharedData(`transcripts/webvtt_py/${name}`);

  it('reads the valid WebVTT files: BOM, NOTE and STYLE blocks, header metadata, cue ids, inline tags', async () => {
    const bom = await parseTranscriptFile(vtt('captions_with_bom.vtt'));
    expect(bom.text.startsWith('Caption text #1')).toBe(true);
    expect(bom.turns).toHaveLength(4);
    expect(bom.turns[0]).toMatchObject({ startMs: 500, endMs: 7000 });

    const comments = await parseTranscriptFile(vtt('comments.vtt'));
    expect(comments.turns).toHaveLength(3);
    expect(comments.text).not.toMatch(/NOTE|translation was done/);
    expect(comments.text).toContain('Det är inte varmt.');
    expect(comments.meta.title).toBe('Translation of that film I like');

    const tags = await parseTranscriptFile(vtt('cue_tags.vtt'));
    expect(turnsOf(tags).map(([, text]) => text)).toEqual(['When the moon hits your eye', 'Like a big-a pizza pie', "That's amore"]);
    expect(tags.turns[0]).toMatchObject({ startMs: 16_500, endMs: 18_500 });

    const meta = await parseTranscriptFile(vtt('metadata_headers.vtt'));
    expect(meta.meta).toMatchObject({ Kind: 'captions', Language: 'en' });
    expect(meta.turns).toHaveLength(2);
    const multi = await parseTranscriptFile(vtt('metadata_headers_multiline.vtt'));
    expect(multi.meta.Style).toContain('::cue(c.colorCCCCCC)');
    expect(multi.text).toBe('Caption text #1\n\nCaption text #2');

    const styles = await parseTranscriptFile(vtt('styles.vtt'));
    expect(styles.text).toBe('- Hello world.');

    const ids = await parseTranscriptFile(vtt('using_identifiers.vtt'));
    expect(ids.turns).toHaveLength(6);
    expect(ids.text).not.toContain('second caption');

    const sample = await parseTranscriptFile(vtt('sample.vtt'));
    expect(sample.turns).toHaveLength(16);
    expect(sample.turns[12]).toMatchObject({ startMs: 50_970, endMs: 54_440 });
    for (const t of [bom, comments, tags, meta, multi, styles, ids, sample]) checkOffsets(t);
  });

  it('refuses the invalid WebVTT files with the line of the problem', async () => {
    const bad = await failure(parseTranscriptFile(vtt('invalid_timeframe.vtt')));
    expect(bad.code).toBe('PARSE_ERROR');
    expect(bad.details).toMatchObject({ line: 6, file: vtt('invalid_timeframe.vtt') });
    expect(bad.message).toContain('00:00:1d.890');
    const missing = await failure(parseTranscriptFile(vtt('missing_timeframe.vtt')));
    expect(missing.details?.line).toBe(6);
    expect(missing.message).toMatch(/no timing line/);
  });

  it('reads the SRT files, skipping a cue with no text', async () => {
    const sample = await parseTranscriptFile(vtt('sample.srt'));
    expect(sample.turns).toHaveLength(5);
    expect(sample.turns[1]).toMatchObject({ startMs: 7000, endMs: 11_890 });
    const one = await parseTranscriptFile(vtt('one_caption.srt'));
    expect(one.text).toBe('Caption text #1');
    const missing = await parseTranscriptFile(vtt('missing_caption_text.srt'));
    expect(missing.text).toBe('Caption text #1\n\nCaption text #3\n\nCaption text #4\n\nCaption text #5');
    for (const t of [sample, one, missing]) checkOffsets(t);
  });

  it('reads the QualCoder bracket-speaker text and .docx', async () => {
    const bracket = await parseTranscriptFile(sharedData('transcripts/qualcoder/qualcoder_transcript_bracket_speakers.txt'));
    checkOffsets(bracket);
    expect(bracket.turns.map((t) => t.speaker)).toEqual(['id1', 'id2', 'id3', 'id1', 'id3', 'id1', 'id2']);
    expect(turnsOf(bracket)[1]?.[1]).toBe('I am struggling with the lecture slides. I felt that they were too busy and I switched off.');
    const docx = await parseTranscriptFile(sharedData('transcripts/qualcoder/qualcoder_ID1.docx'));
    checkOffsets(docx);
    expect(docx.format).toBe('docx');
    expect(docx.turns).toHaveLength(3);
    expect(docx.text).toContain("I'm happy to pay €200.");
  });

  it('reads the real usability interview .odt with its MODERATOR turns', async () => {
    const odt = await parseTranscriptFile(sharedData('transcripts/usability/P1_GMT20211118.odt'));
    checkOffsets(odt);
    expect(odt.format).toBe('odt');
    const moderator = odt.turns.filter((t) => t.speaker === 'MODERATOR');
    // The moderator speaks once with a label; the rest is the participant thinking aloud.
    expect(moderator).toHaveLength(1);
    expect(odt.turns.length).toBeGreaterThan(100);
    expect(odt.text).not.toContain('&apos;');
    expect(odt.text).toContain("Here there's the query input options.");
    expect(odt.text.slice(moderator[0]?.start, moderator[0]?.end)).toBe('Could you please start in task 1?');
    expect(odt.text).not.toContain('MODERATOR:');
    expect(odt.text).toContain('Alright, so I have logged in.');
  });
});

describe('bad input: a clear error naming the file and place', () => {
  it('refuses an empty file', async () => {
    for (const name of ['empty.txt', 'empty.vtt', 'empty.docx']) {
      const error = await failure(parseTranscriptFile(write(name, '')));
      expect(error.message).toMatch(/empty/);
      expect(error.details?.file).toContain(name);
    }
    expect((await failure(parseTranscriptFile(write('blank.txt', ' \n\n \n')))).message).toMatch(/no text/);
  });

  it('refuses a binary file named .txt, with the place of the first binary byte', async () => {
    const bytes = new Uint8Array(4000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    bytes.set(strToU8('ok text\nline two\n'), 0);
    const error = await failure(parseTranscriptFile(write('photo.txt', bytes)));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/photo\.txt is not a text file/);
    expect(error.details?.line).toBeGreaterThanOrEqual(3);
    const pdf = await failure(parseTranscriptFile(write('report.txt', strToU8('%PDF-1.7\n...'))));
    expect(pdf.message).toMatch(/PDF/);
  });

  it('refuses text in an encoding nobody can tell, with the place of the first unreadable byte', async () => {
    // Bytes undefined in Windows-1252/1250 and invalid in the CJK multi-byte encodings (no NUL: not "binary").
    const parts = [strToU8('Interviewer: hello\nR: ')];
    for (let i = 0; i < 100; i++) parts.push(Uint8Array.from([0x61 + (i % 26), 0x81, 0x20, 0x8d, 0x90, 0x20, 0x9d]));
    const error = await failure(parseTranscriptFile(write('mystery.txt', Buffer.concat(parts))));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/character encoding/);
    expect(error.details).toMatchObject({ line: 2, column: 5 });
  });

  it('refuses a .docx that is not a zip, and a zip that is not a Word document', async () => {
    const notZip = await failure(parseTranscriptFile(write('fake.docx', 'Interviewer: this is plain text pretending')));
    expect(notZip.code).toBe('PARSE_ERROR');
    expect(notZip.message).toMatch(/fake\.docx is not a real Word document/);
    const otherZip = await failure(parseTranscriptFile(write('other.docx', zipSync({ 'hello.txt': strToU8('hi') }))));
    expect(otherZip.message).toMatch(/no word\/document\.xml/);
  });

  it('refuses a zip bomb from its directory, before inflating anything', async () => {
    // 64 MB of zeros packs to ~64 KB: a 1000:1 ratio no office XML has.
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const error = await failure(parseTranscriptFile(write('bomb.docx', bomb)));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/zip bomb/);
    const odt = await failure(parseTranscriptFile(write('bomb.odt', zipSync({ 'content.xml': new Uint8Array(64 * 1024 * 1024) }))));
    expect(odt.message).toMatch(/zip bomb/);
  });

  it('reads a .docx written by the docx library (mammoth and docx agree)', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun('Interviewer: What tools do you use?')] }),
            new Paragraph({ children: [new TextRun('Priya: Mostly '), new TextRun({ text: 'notebooks', bold: true }), new TextRun('.')] }),
            new Paragraph({ children: [new TextRun('Interviewer: Why?')] }),
          ],
        },
      ],
    });
    const t = await parseTranscriptFile(write('written.docx', await Packer.toBuffer(doc)));
    checkOffsets(t);
    expect(turnsOf(t)).toEqual([
      ['Interviewer', 'What tools do you use?'],
      ['Priya', 'Mostly notebooks.'],
      ['Interviewer', 'Why?'],
    ]);
  });

  it('refuses an unknown extension', async () => {
    const error = await failure(parseTranscriptFile(write('notes.pages', 'x')));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
  });
});
