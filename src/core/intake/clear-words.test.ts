import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deeplyNestedXml, utf16leNoBom } from '../testing/hazards';
import { createTestCore, failure, type TestCore } from '../testing/index';

/** Issue 21, item 8 (the importer parts): each case names the file in plain words, or just reads it. */
let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('a .sav or .zsav that does not start like one', () => {
  for (const name of ['bad.sav', 'bad.zsav']) {
    it(`${name} is reported as a damaged SPSS file, not read as a CSV`, async () => {
      await t.newProject();
      const file = write(name, 'XXXXnot,spss\n1,2\n3,4\n');
      for (const call of [() => t.call('survey.preview', { path: file }), () => t.call('survey.import', { path: file, wave: 'w' })]) {
        const error = await failure(call());
        expect(error.code).toBe('PARSE_ERROR');
        expect(error.message).toContain(`${name} is a damaged SPSS data file`);
        expect(error.details).toMatchObject({ file });
      }
    });
  }
});

describe('UTF-16 without a byte order mark is read by every text importer', () => {
  it('survey CSV and TSV', async () => {
    await t.newProject();
    for (const [name, text] of [
      ['u16.csv', 'id,name\n1,Zoë\n2,Łukasz\n'],
      ['u16.tsv', 'id\tname\n1\tZoë\n2\tŁukasz\n'],
    ] as const) {
      const preview = await t.call('survey.preview', { path: write(name, utf16leNoBom(text)) });
      expect(preview.encoding).toBe('utf-16le');
      expect(preview.columns.find((c) => c.name === 'name')!.samples).toEqual(['Zoë', 'Łukasz']);
    }
  });

  it('transcripts: .txt, .vtt and .srt', async () => {
    await t.newProject();
    const files = [
      write('u16.txt', utf16leNoBom('Interviewer: Hello there.\nAnna: Hi, I am Zoë.\n')),
      write('u16.vtt', utf16leNoBom('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hi, I am Zoë.\n')),
      write('u16.srt', utf16leNoBom('1\n00:00:01,000 --> 00:00:02,000\nAnna: Hi, I am Zoë.\n')),
    ];
    const preview = await t.call('transcripts.preview', { files });
    for (const file of preview.files) {
      expect(file.error ?? null).toBeNull();
      expect(file.encoding).toBe('utf-16le');
      expect(file.excerpt).toContain('Zoë');
    }
    const imported = await t.call('transcripts.import', { files: files.map((p) => ({ path: p })) });
    expect(imported.documents).toHaveLength(3);
  });

  it('a codebook CSV and a participants sheet', async () => {
    await t.newProject();
    const codebook = await t.call('codes.import', { path: write('codebook.csv', utf16leNoBom('name,definition\nPrice,what it costs\nCafé,the place\n')) });
    expect(codebook.created).toBe(2);
    const codes = await t.call('codes.list', {});
    expect(codes.map((c) => c.name).sort()).toEqual(['Café', 'Price']);
    const sheet = await t.call('participants.previewSheet', { path: write('people.csv', utf16leNoBom('name,age\nZoë,34\nBob,40\n')) });
    expect(sheet.columns).toEqual(['name', 'age']);
    expect(sheet.rows[0]).toEqual(['Zoë', '34']);
  });
});

describe('a deeply nested .qde', () => {
  it('is refused with a message naming the file, by import.qdpx and by codes.import', async () => {
    const projectPath = await t.newProject();
    const file = write('deep.qde', deeplyNestedXml(['Project xmlns="urn:QDA-XML:project:1.0" name="x"', 'CodeBook', 'Codes'], 20_000));
    const before = fs.readFileSync(projectPath);
    for (const call of [() => t.call('import.qdpx', { path: file }), () => t.call('codes.import', { path: file })]) {
      const error = await failure(call());
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.message).toMatch(/^deep\.qde was refused: its XML elements are nested deeper than any real file's/);
    }
    expect(fs.readFileSync(projectPath).equals(before)).toBe(true);
  });
});

describe('a codebook 5,000 levels deep', () => {
  // (.docx works too but takes ~30 s here: each code's heading carries its full path, 5,000 names long.)
  it('exports as .qdc, REFI .qdpx and through codes.export without a stack overflow', async () => {
    await t.newProject();
    const db = t.core.currentProject()!.db;
    const insert = db.prepare('INSERT INTO code (id, parent_id, name) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 5000; i++) insert.run(i, i === 1 ? null : i - 1, `level ${i}`);
    })();
    const count = (text: string, what: string) => text.split(what).length - 1;
    const qdc = await t.call('export.codebook', { path: path.join(t.dir, 'deep.qdc'), format: 'qdc' });
    expect(qdc.items).toBe(5000);
    const qdcText = fs.readFileSync(qdc.path, 'utf8');
    expect(count(qdcText, '<Code ')).toBe(5000);
    expect(count(qdcText, '</Code>')).toBe(4999);
    const qdpx = await t.call('export.qdpx', { path: path.join(t.dir, 'deep.qdpx') });
    expect(qdpx.bytes).toBeGreaterThan(0);
    const exported = await t.call('codes.export', { format: 'qdc' });
    expect(count(exported.text, '<Code ')).toBe(5000);
  }, 120_000);
});
