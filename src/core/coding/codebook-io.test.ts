import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, sharedData, sharedDataAvailable, type TestCore } from '../testing/index';
import type { Project } from '../store/project';
import { listCodes } from './codebook';
import { codeBookElement, readQdc } from './qdc';
import { dumpCoding } from './testing/seed';

let t: TestCore;
const project = (): Project => t.core.currentProject()!;

beforeEach(async () => {
  t = createTestCore();
  await t.newProject();
});
afterEach(() => t.cleanup());

async function buildCodebook() {
  const feelings = await t.call('codes.create', {
    name: 'Feelings',
    color: '#aa3300',
    definition: 'How people feel about = their commute',
    inclusion: 'stated emotions',
    exclusion: 'guesses about others',
    keywords: ['happy', 'angry'],
    shortcut: 'f',
  });
  await t.call('codes.create', { name: 'Anger, "rage" & <fury>', parentId: feelings.id });
  const joy = await t.call('codes.create', { name: 'Joy', parentId: feelings.id });
  await t.call('codes.create', { name: 'Relief', parentId: joy.id });
  await t.call('codes.create', { name: '=SUM(A1)' });
}

const shape = (codes: ReturnType<typeof listCodes>) => {
  const byId = new Map(codes.map((c) => [c.id, c]));
  return codes.map((c) => ({
    path: [...(function* () {
      let at: typeof c | undefined = c;
      while (at) {
        yield at.name;
        at = at.parentId === null ? undefined : byId.get(at.parentId);
      }
    })()].reverse().join(' / '),
    color: c.color,
    definition: c.definition,
    inclusion: c.inclusion,
    exclusion: c.exclusion,
    keywords: c.keywords,
  }));
};

describe('codebook CSV', () => {
  it('exports and imports our CSV with the tree, definitions, rules and keywords intact, formulas neutralised', async () => {
    await buildCodebook();
    const exported = await t.call('codes.export', { format: 'csv' });
    expect(exported.text.startsWith('\ufeffid,parent_id,name,color,shortcut,definition')).toBe(true);
    expect(exported.text).toContain(`'=SUM(A1)`);
    const original = shape(listCodes(project()));

    await t.newProject('second');
    const result = await t.call('codes.import', { text: exported.text, fileName: 'codebook.csv' });
    expect(result).toEqual({ created: 5, skipped: 0, format: 'csv' });
    expect(shape(listCodes(project()))).toEqual(original);
    expect(listCodes(project()).find((c) => c.name === 'Feelings')!.shortcut).toBe('f');
    // Importing again adds nothing (and logs nothing); one undo removes the whole import.
    expect(await t.call('codes.import', { text: exported.text, fileName: 'codebook.csv' })).toEqual({ created: 0, skipped: 5, format: 'csv' });
    expect((await t.call('history.undo', {})).label).toBe('Import codebook codebook.csv');
    expect(listCodes(project())).toEqual([]);
  });

  it('refuses a bad file with the line and column, and leaves the project exactly as it was', async () => {
    await buildCodebook();
    const before = dumpCoding(project());
    const bad = 'id,parent_id,name,color\n1,,Fine,#112233\n2,1,Also fine,\n3,1,Broken,red\n';
    const error = await failure(t.call('codes.import', { text: bad, fileName: 'mine.csv' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.details).toMatchObject({ file: 'mine.csv', line: 4, column: 4 });
    expect(error.message).toContain('line 4');
    const orphan = await failure(t.call('codes.import', { text: 'id,parent_id,name\n1,7,Lost\n', fileName: 'x.csv' }));
    expect(orphan.details).toMatchObject({ line: 2, field: 'parent_id' });
    // A clash found while writing (shortcut already taken) also leaves nothing behind.
    const clash = await failure(t.call('codes.import', { text: 'name,shortcut\nNew one,x\nOther,F\n', fileName: 'y.csv' }));
    expect(clash.code).toBe('CONFLICT');
    expect(clash.details).toMatchObject({ file: 'y.csv', line: 3 });
    const unknown = await failure(t.call('codes.import', { text: 'foo,bar\n1,2\n', fileName: 'z.csv' }));
    expect(unknown.code).toBe('UNSUPPORTED_FORMAT');
    expect(dumpCoding(project())).toEqual(before);
  });
});

describe('codebook files in other encodings', () => {
  it('reads a Windows-1252 CSV (as Excel saves it) and refuses a binary file, naming it', async () => {
    const file = path.join(t.dir, 'codes-1252.csv');
    // "Préférence,Qualité perçue" in Windows-1252: é = 0xE9, ç = 0xE7.
    fs.writeFileSync(file, Buffer.from('name,definition\r\nPr\xe9f\xe9rence,Qualit\xe9 per\xe7ue par la cliente\r\nPrix,Ce que \xe7a co\xfbte\r\n', 'latin1'));
    expect(await t.call('codes.import', { path: file })).toEqual({ created: 2, skipped: 0, format: 'csv' });
    expect(listCodes(project()).map((c) => [c.name, c.definition])).toEqual([
      ['Préférence', 'Qualité perçue par la cliente'],
      ['Prix', 'Ce que ça coûte'],
    ]);
    const binary = path.join(t.dir, 'book.csv');
    fs.writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3]));
    const error = await failure(t.call('codes.import', { path: binary }));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.details).toMatchObject({ file: 'book.csv' });
  });
});

describe.skipIf(!sharedDataAvailable)('codebooks from other tools (real files)', () => {
  it("reads Taguette's codebook exports (120 and 22 tags, CRLF, quoted descriptions)", async () => {
    const first = await t.call('codes.import', { path: sharedData('qda/taguette/codebook_20220223_0.csv') });
    expect(first).toEqual({ created: 120, skipped: 0, format: 'taguette' });
    const codes = listCodes(project());
    expect(codes.find((c) => c.name === 'Moderator comment')!.definition).toBe(
      'The moderator intervenes because the participant struggles to complete a task, wanders of task or goes too deep into a task or the systems crashes.',
    );
    const second = await t.call('codes.import', { path: sharedData('qda/taguette/codebook_20220303_8.csv') });
    expect(second.created + second.skipped).toBe(22);
    expect(second.skipped).toBeGreaterThan(0);
  });

  it("reads QualCoder's plain codebook into a tree, memos as definitions", async () => {
    const result = await t.call('codes.import', { path: sharedData('qda/qualcoder/qualcoder_plain_codes_categories_for_import.txt') });
    expect(result.format).toBe('qualcoder');
    const paths = shape(listCodes(project())).map((c) => c.path);
    expect(paths).toEqual(['code1', 'cat1', 'cat1 / code2', 'cat1 / code3', 'cat3', 'cat3 / cat2', 'cat3 / cat2 / code4', 'cat3 / code5', 'code6']);
    expect(listCodes(project()).find((c) => c.name === 'code4')!.definition).toBe('another memo');
    expect(listCodes(project()).find((c) => c.name === 'code1')!.definition).toBe('A memo for code 1');
  });

  it('reads the REFI-QDA codebook of the ATLAS.ti sample project (.qde)', async () => {
    const result = await t.call('codes.import', { path: sharedData('qda/refi/atlasti8_standard_project.qde') });
    expect(result).toEqual({ created: 14, skipped: 0, format: 'qdc' });
    const codes = listCodes(project());
    expect(codes.find((c) => c.name === '"rushed"')).toBeDefined();
    expect(codes.find((c) => c.name === 'Coke')).toMatchObject({ color: '#966450', definition: 'the breakfast of champions' });
    expect(codes.find((c) => c.name === 'cornflakes')!.definition).toBe('breakfast cereal made by Kellogg’s');
  });

  it('reads the codebook inside a .qdpx (zip with a capitalised Project.qde and no sources)', async () => {
    const result = await t.call('codes.import', { path: sharedData('qda/refi/atlasti8_standard_project_nosources.qdpx') });
    expect(result).toEqual({ created: 14, skipped: 0, format: 'qdc' });
    const notZip = path.join(t.dir, 'fake.qdpx');
    fs.writeFileSync(notZip, 'not a zip');
    const error = await failure(t.call('codes.import', { path: notZip }));
    expect(error.details).toMatchObject({ file: 'fake.qdpx' });
    expect(listCodes(project())).toHaveLength(14);
  });

  it('writes a .qdc whose CodeBook validates against the REFI-QDA schema (xmllint) and reads back the same', async () => {
    await buildCodebook();
    const exported = await t.call('codes.export', { format: 'qdc' });
    expect(exported.fileName.endsWith('.qdc')).toBe(true);
    expect(exported.text).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0">');
    // The schema we have is Project.xsd: put the same CodeBook element inside a minimal Project.
    const element = codeBookElement(listCodes(project()), 'test');
    const doc = `<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="check">\n${element}\n</Project>\n`;
    const file = path.join(t.dir, 'check.qde');
    fs.writeFileSync(file, doc);
    const out = execFileSync('xmllint', ['--noout', '--schema', sharedData('qda/refi/refi_project_schema_from_requal.xsd'), file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
    const original = shape(listCodes(project()));
    const roundTrip = readQdc(exported.text, 'x.qdc');
    expect(roundTrip).toHaveLength(2);
    await t.newProject('third');
    await t.call('codes.import', { text: exported.text, fileName: 'book.qdc' });
    expect(shape(listCodes(project()))).toEqual(original);
    // GUIDs are stable from one export to the next.
    expect((await t.call('codes.export', { format: 'qdc' })).text).toBe((await t.call('codes.export', { format: 'qdc' })).text);
  });

  it('refuses a .qdc that is not XML or has no CodeBook, with the file named', async () => {
    const broken = await failure(t.call('codes.import', { text: '<CodeBook><Codes><Code name="a"', fileName: 'broken.qdc' }));
    expect(broken.details).toMatchObject({ file: 'broken.qdc' });
    const none = await failure(t.call('codes.import', { text: '<Project name="x"/>', fileName: 'p.qde' }));
    expect(none.code).toBe('UNSUPPORTED_FORMAT');
    const badColour = await failure(
      t.call('codes.import', { text: '<CodeBook><Codes><Code name="a" isCodable="true" guid="x" color="blue"/></Codes></CodeBook>', fileName: 'c.qdc' }),
    );
    expect(badColour.details).toMatchObject({ file: 'c.qdc', record: 1, field: 'color' });
    expect(listCodes(project())).toEqual([]);
  });
});
