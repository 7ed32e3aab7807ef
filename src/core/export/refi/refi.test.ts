import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../../shared/errors';
import { createTestCore, sharedData, sharedDataAvailable, type TestCore } from '../../testing/index';
import { dumpProject, seedStudy } from '../fixtures/seed';
import { OffsetMap } from '../../coding/offsets';

const XSD = sharedData('qda/refi/refi_project_schema_from_requal.xsd');
const ATLAS_QDE = sharedData('qda/refi/atlasti8_standard_project.qde');
const ATLAS_QDPX = sharedData('qda/refi/atlasti8_standard_project_nosources.qdpx');

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

function db() {
  const project = t.core.currentProject();
  if (!project) throw new Error('no project open');
  return project.db;
}

async function expectError(promise: Promise<unknown>, code: string, message: RegExp): Promise<FieldbookError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldbookError);
  expect((error as FieldbookError).code).toBe(code);
  expect((error as FieldbookError).message).toMatch(message);
  return error as FieldbookError;
}

/** What a round trip must keep, read with plain SQL and no ids. */
function snapshot() {
  const d = db();
  const codes = d
    .prepare(
      `WITH RECURSIVE tree(id, path) AS (
         SELECT id, name FROM code WHERE parent_id IS NULL
         UNION ALL SELECT c.id, tree.path || ' > ' || c.name FROM code c JOIN tree ON c.parent_id = tree.id)
       SELECT tree.path, c.color, c.definition, c.inclusion, c.exclusion, c.keywords FROM tree JOIN code c ON c.id = tree.id ORDER BY tree.path`,
    )
    .all();
  const quotes = d
    .prepare(
      `SELECT d.name AS document, s.start_char, s.end_char, s.text, s.starred,
              (SELECT group_concat(x, ' | ') FROM (SELECT c.name || ' by ' || k.name AS x FROM coding g JOIN code c ON c.id = g.code_id JOIN coder k ON k.id = g.coder_id WHERE g.segment_id = s.id ORDER BY x)) AS codes
       FROM segment s JOIN document d ON d.id = s.document_id ORDER BY d.name, s.start_char, s.end_char`,
    )
    .all();
  const attributes = d
    .prepare(
      `SELECT p.name AS participant, a.name AS attribute, a.type, pa.value FROM participant_attribute pa
       JOIN participant p ON p.id = pa.participant_id JOIN attribute a ON a.id = pa.attribute_id ORDER BY p.name, a.name`,
    )
    .all();
  const documents = d
    .prepare('SELECT d.name, d.text, p.name AS participant FROM document d LEFT JOIN participant p ON p.id = d.participant_id ORDER BY d.name')
    .all() as { name: string; text: string; participant: string | null }[];
  const memos = d
    .prepare(
      `SELECT m.target_kind, m.title, m.body, coalesce(c.name, d.name, s.text) AS target FROM memo m
       LEFT JOIN code c ON m.target_kind = 'code' AND c.id = m.target_id
       LEFT JOIN document d ON m.target_kind = 'document' AND d.id = m.target_id
       LEFT JOIN segment s ON m.target_kind = 'segment' AND s.id = m.target_id ORDER BY m.target_kind, m.title`,
    )
    .all();
  const coders = d.prepare('SELECT name FROM coder ORDER BY name').all();
  return { codes, quotes, attributes, documents, memos, coders };
}

function readQdpx(file: string): { xml: string; files: Record<string, Uint8Array> } {
  const files = unzipSync(fs.readFileSync(file));
  return { xml: new TextDecoder().decode(files['project.qde']), files };
}

describe('REFI-QDA export', () => {
  it('writes a .qdpx whose project.qde has the sources, code tree, quotes in code points, cases and notes', async () => {
    await t.newProject();
    seedStudy(db());
    const out = await t.call('export.qdpx', { path: path.join(t.dir, 'study') }, 'job-qdpx');
    expect(out.path).toBe(path.join(t.dir, 'study.qdpx'));
    expect(out.items).toBe(3);

    const { xml, files } = readQdpx(out.path);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['TextSource', 'PlainTextSelection', 'Code', 'Case', 'Coding', 'Note', 'User', 'VariableValue', 'SourceRef'].includes(n) }).parse(xml) as {
      Project: {
        Users: { User: { name: string; guid: string }[] };
        CodeBook: { Codes: { Code: { name: string; Code?: { name: string }[]; Description?: string }[] } };
        Cases: { Case: { name: string; VariableValue: unknown[]; SourceRef?: { targetGUID: string }[] }[] };
        Sources: { TextSource: { name: string; guid: string; plainTextPath: string; PlainTextSelection?: { startPosition: string; endPosition: string; Coding: unknown[] }[] }[] };
        Notes: { Note: { name: string; PlainTextContent: string }[] };
      };
    };
    const p = parsed.Project;
    expect(p.Users.User.map((u) => u.name)).toEqual(['me', 'Priya']);
    expect(p.CodeBook.Codes.Code.map((c) => c.name)).toEqual(['Trust', 'Cost', 'Compliance <audits>', 'Unused']);
    expect(p.CodeBook.Codes.Code[0]?.Code?.map((c) => c.name)).toEqual(['Support quality']);
    expect(p.CodeBook.Codes.Code[0]?.Description).toContain('Inclusion: Explicit mentions of trust or reliance.');
    expect(p.Cases.Case.map((c) => c.name)).toEqual(['Ana Souza', 'Kenji Watanabe']);
    expect(p.Cases.Case[0]?.VariableValue).toHaveLength(4);
    expect(p.Cases.Case[1]?.SourceRef).toHaveLength(1);
    expect(p.Notes.Note.map((n) => n.name).sort()).toEqual(['Context', 'Follow up', 'On trust', 'Research plan', 'Starred quotes (Fieldbook)']);

    // Every selection, read in code points from the text file in Sources/, is the quote's text.
    const expected = db().prepare('SELECT d.name, s.text FROM segment s JOIN document d ON d.id = s.document_id ORDER BY d.name, s.start_char').all() as { name: string; text: string }[];
    const seen: { name: string; text: string }[] = [];
    for (const source of p.Sources.TextSource) {
      const file = files[`Sources/${source.plainTextPath.replace('internal://', '')}`];
      expect(file, source.plainTextPath).toBeDefined();
      const codePoints = [...new TextDecoder().decode(file)];
      for (const s of source.PlainTextSelection ?? []) {
        seen.push({ name: source.name, text: codePoints.slice(Number(s.startPosition), Number(s.endPosition)).join('') });
      }
    }
    seen.sort((a, b) => a.name.localeCompare(b.name));
    expect(seen.map((s) => s.text).sort()).toEqual(expected.map((s) => s.text).sort());
    // The emoji before the HIPAA quote shifts code points against UTF-16 indices.
    const ana = p.Sources.TextSource.find((s) => s.name === 'Interview Ana');
    const hipaa = db().prepare("SELECT start_char FROM segment WHERE text LIKE 'HIPAA%'").get() as { start_char: number };
    expect(ana?.PlainTextSelection?.map((s) => Number(s.startPosition))).toContain(hipaa.start_char - 1);
    expect(t.events.some((e) => e.type === 'progress' && e.jobId === 'job-qdpx')).toBe(true);
  });

  it.skipIf(!sharedDataAvailable)('validates against the REFI-QDA Project.xsd (xmllint)', async () => {
    await t.newProject();
    seedStudy(db());
    const out = await t.call('export.qdpx', { path: path.join(t.dir, 'valid.qdpx') });
    const qde = path.join(t.dir, 'project.qde');
    fs.writeFileSync(qde, readQdpx(out.path).files['project.qde'] as Uint8Array);
    const result = execFileSync('xmllint', ['--noout', '--schema', XSD, qde], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(result).toBe('');
  });

  it('keeps the same GUIDs on a second export', async () => {
    await t.newProject();
    seedStudy(db());
    const first = readQdpx((await t.call('export.qdpx', { path: path.join(t.dir, 'a.qdpx') })).path).xml;
    const second = readQdpx((await t.call('export.qdpx', { path: path.join(t.dir, 'b.qdpx') })).path).xml;
    const guids = (xml: string) => [...xml.matchAll(/ guid="([^"]+)"/g)].map((m) => m[1]);
    expect(guids(second)).toEqual(guids(first));
    expect(guids(first).length).toBeGreaterThan(20);
  });
});

describe('REFI-QDA round trip', () => {
  it('export, then import into a new project: identical codes, quotes, offsets, attributes and memos', async () => {
    await t.newProject('original');
    seedStudy(db());
    const before = snapshot();
    const out = await t.call('export.qdpx', { path: path.join(t.dir, 'trip.qdpx') });

    await t.newProject('copy');
    const result = await t.call('import.qdpx', { path: out.path }, 'job-import');
    expect(result.counts).toMatchObject({ codes: 5, documents: 3, segments: 7, codings: 9, participants: 2, attributes: 4, memos: 4 });
    expect(result.notImported).toEqual([]);
    const after = snapshot();
    expect(after.codes).toEqual(before.codes);
    expect(after.quotes).toEqual(before.quotes);
    expect(after.attributes).toEqual(before.attributes);
    expect(after.documents.map((d) => ({ ...d, participant: null }))).toEqual(before.documents.map((d) => ({ ...d, participant: null })));
    expect(after.memos).toEqual(before.memos);
    expect(after.coders).toEqual(before.coders);
    // Kenji is linked by speaker in the original and by document after import: the case still finds him.
    expect(after.documents.find((d) => d.name === 'Interview Kenji')).toMatchObject({ participant: 'Kenji Watanabe' });
    // The same file again adds no second copy of the sources.
    const again1 = await t.call('import.qdpx', { path: out.path });
    expect(again1.counts).toMatchObject({ documents: 0, segments: 0, codings: 0, codes: 0, memos: 0, participants: 0 });
    expect(again1.notImported).toEqual([]);
    // They are the same documents (same GUIDs): merged, and every coding is already there.
    expect(again1.merge.documents.map((d) => [d.source, d.matchedBy])).toEqual([
      ['Interview Ana', 'guid'],
      ['Interview Kenji', 'guid'],
      ['Clinic survey: What else?', 'guid'],
    ]);
    expect(again1.merge.codingsByCoder.reduce((n, c) => n + c.alreadyThere, 0)).toBe(9);
    expect(again1.merge.conflicts).toEqual([]);
    expect(snapshot().quotes).toEqual(before.quotes);
    expect(snapshot().memos).toEqual(before.memos);
    // Imported texts are split into turns and findable by the transcripts' search index.
    expect((await t.call('search.run', { query: 'HIPAA' })).total).toBe(1);

    // A second export of the copy names the same objects with the same GUIDs as the first file.
    const again = readQdpx((await t.call('export.qdpx', { path: path.join(t.dir, 'again.qdpx') })).path).xml;
    const first = readQdpx(out.path).xml;
    const codeGuids = (xml: string) => [...xml.matchAll(/<Code guid="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(codeGuids(again)).toEqual(codeGuids(first));
  });

  it('exports and imports a .qdc codebook alone', async () => {
    await t.newProject('original');
    seedStudy(db());
    const before = snapshot().codes;
    const out = await t.call('export.codebook', { path: path.join(t.dir, 'codes'), format: 'qdc' });
    expect(out.path.endsWith('codes.qdc')).toBe(true);
    expect(out.items).toBe(5);
    await t.newProject('codes-only');
    const result = await t.call('import.qdpx', { path: out.path });
    expect(result.counts.codes).toBe(5);
    expect(result.counts.documents).toBe(0);
    expect(snapshot().codes).toEqual(before);
    // Importing it again merges into the same codes.
    const again = await t.call('import.qdpx', { path: out.path });
    expect(again.counts.codes).toBe(0);
    expect(snapshot().codes).toEqual(before);
  });
});

const SAMPLE = path.resolve(import.meta.dirname, '../../../../resources/sample');

describe.skipIf(!sharedDataAvailable || !fs.existsSync(SAMPLE))('REFI-QDA on the sample study (built by the real importers)', () => {
  it('exports a .qdpx that validates, and imports back with the same quotes, codes and attributes', async () => {
    await t.call('project.openSample', { path: path.join(t.dir, 'sample.fieldbook') });
    const before = snapshot();
    expect(before.quotes.length).toBeGreaterThan(10);
    const out = await t.call('export.qdpx', { path: path.join(t.dir, 'sample.qdpx') });
    const qde = path.join(t.dir, 'sample.qde');
    fs.writeFileSync(qde, readQdpx(out.path).files['project.qde'] as Uint8Array);
    expect(execFileSync('xmllint', ['--noout', '--schema', XSD, qde], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    await t.newProject('sample-copy');
    const result = await t.call('import.qdpx', { path: out.path });
    expect(result.notImported).toEqual([]);
    const after = snapshot();
    expect(after.quotes).toEqual(before.quotes);
    expect(after.codes).toEqual(before.codes);
    expect(after.attributes).toEqual(before.attributes);
  });
});

describe('REFI-QDA export of an empty project', () => {
  it.skipIf(!sharedDataAvailable)('writes a valid .qdpx with just the coder, and refuses an empty .qdc', async () => {
    await t.newProject();
    const out = await t.call('export.qdpx', { path: path.join(t.dir, 'empty.qdpx') });
    expect(out.items).toBe(0);
    const qde = path.join(t.dir, 'empty.qde');
    fs.writeFileSync(qde, readQdpx(out.path).files['project.qde'] as Uint8Array);
    expect(execFileSync('xmllint', ['--noout', '--schema', XSD, qde], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    await expectError(t.call('export.codebook', { path: path.join(t.dir, 'none.qdc'), format: 'qdc' }), 'NOT_FOUND', /codebook is empty/);
    expect(fs.existsSync(path.join(t.dir, 'none.qdc'))).toBe(false);
  });
});

describe('offsets', () => {
  it('converts between UTF-16 indices and code points across emoji and rare CJK', () => {
    const text = 'a😀b𠮷c';
    const map = new OffsetMap(text);
    expect(map.codePointLength).toBe([...text].length);
    for (let cp = 0; cp <= map.codePointLength; cp++) {
      const u16 = map.toUtf16(cp);
      expect([...text].slice(0, cp).join('').length).toBe(u16);
      expect(map.toCodePoint(u16)).toBe(cp);
    }
  });
});

describe.skipIf(!sharedDataAvailable)('REFI-QDA import of files from other tools', () => {
  it('imports the ATLAS.ti standard project (.qde): codebook, coders and notes, and says which sources are missing', async () => {
    await t.newProject();
    const result = await t.call('import.qdpx', { path: ATLAS_QDE });
    expect(result.origin).toMatch(/^ATLAS\.ti 8/);
    expect(result.counts).toMatchObject({ codes: 14, coders: 3, documents: 0, segments: 0, memos: 2 });
    expect(result.notImported.join('\n')).toMatch(/8 text sources without their text .*"Simon.docx".*8 quotes and 9 codings/);
    expect(result.notImported.join('\n')).toMatch(/1 picture, 1 audio source, 2 video sources/);
    // Its 16 sets of codes and sources are kept as sets (written back on export).
    expect(db().prepare('SELECT name FROM exchange_set').pluck().all()).toHaveLength(16);
    const codes = db().prepare('SELECT name, color, definition FROM code ORDER BY name').all() as { name: string; color: string; definition: string }[];
    expect(codes.find((c) => c.name === 'Coke::diet Coke')).toEqual({ name: 'Coke::diet Coke', color: '#966450', definition: 'non sucré' });
    expect(codes.find((c) => c.name === '"rushed"')).toBeDefined();
    expect(codes.find((c) => c.name === 'milk')?.color).toBe('#868e96');
    const memos = db().prepare("SELECT title, body FROM memo WHERE target_kind = 'project' ORDER BY title").all();
    expect(memos).toEqual([
      { title: 'My favorite Coke ad', body: 'This version is much better than the new Director’s cut ' },
      { title: 'Research Plan', body: 'day to day log about this amazing project\n\nThis is a great project by a dynamic team of researcher-developers. ' },
    ]);
  });

  it('imports the .qdpx variant with "Project.qde" and an empty Sources folder the same way', async () => {
    await t.newProject();
    const result = await t.call('import.qdpx', { path: ATLAS_QDPX });
    expect(result.counts).toMatchObject({ codes: 14, coders: 3, documents: 0, memos: 2 });
    expect(result.notImported[0]).toMatch(/"Mabel\.txt"/);
  });

  it('reads the text of a source when the .qdpx carries it, with quotes and codings', async () => {
    // The ATLAS project with one text put back: Simon's document, cut to the length its quotes need.
    const qde = fs.readFileSync(ATLAS_QDE, 'utf8');
    const simon = 'x'.repeat(215) + 'I did try the gluten free bread, but it was always so soggy,' + 'y'.repeat(1000);
    const file = path.join(t.dir, 'with-text.qdpx');
    fs.writeFileSync(file, zipSync({ 'Project.qde': strToU8(qde), 'Sources/C1C745F7-8E4D-48B2-9710-655AFE7E54FA.txt': strToU8(simon) }));
    await t.newProject();
    const result = await t.call('import.qdpx', { path: file });
    expect(result.counts).toMatchObject({ documents: 1, segments: 3, codings: 3 });
    // The same files zipped inside a folder (as some tools and "compress folder" do) read the same.
    const nested = path.join(t.dir, 'nested.qdpx');
    fs.writeFileSync(nested, zipSync({ 'Study/project.qde': strToU8(qde), 'Study/Sources/C1C745F7-8E4D-48B2-9710-655AFE7E54FA.txt': strToU8(simon) }));
    await t.newProject('nested');
    expect((await t.call('import.qdpx', { path: nested })).counts).toMatchObject({ documents: 1, segments: 3, codings: 3 });
    const quote = db().prepare("SELECT s.text, c.name FROM segment s JOIN coding g ON g.segment_id = s.id JOIN code c ON c.id = g.code_id WHERE s.start_char = 215").get();
    expect(quote).toEqual({ text: 'I did try the gluten free bread, but it was always so soggy,', name: 'Feelings' });
    // The quote's description became a memo on it.
    const memo = db().prepare("SELECT body FROM memo WHERE target_kind = 'segment'").get();
    expect(memo).toEqual({ body: 'why does Simon feel the need to do this?' });
  });
});

describe('REFI-QDA import of hand-written files', () => {
  it('takes inline text, code points after an emoji, whole-source codings, and says what it left out', async () => {
    const guid = (n: number) => `{00000000-0000-4000-8000-${String(n).padStart(12, '0')}}`;
    const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="inline" origin="Hand">
  <CodeBook><Codes><Code guid="${guid(1)}" name="Joy" isCodable="true" color="#0A0"/></Codes></CodeBook>
  <Variables><Variable guid="${guid(5)}" name="Age" typeOfVariable="Integer"/></Variables>
  <Sources>
    <TextSource guid="${guid(2)}" name="Diary">
      <PlainTextContent>Day 1 😀 happy day</PlainTextContent>
      <PlainTextSelection guid="${guid(3)}" startPosition="8" endPosition="13">
        <Coding guid="${guid(4)}"><CodeRef targetGUID="${guid(1).toLowerCase()}"/></Coding>
      </PlainTextSelection>
      <Coding guid="${guid(6)}"><CodeRef targetGUID="${guid(1)}"/></Coding>
      <VariableValue><VariableRef targetGUID="${guid(5)}"/><IntegerValue>30</IntegerValue></VariableValue>
    </TextSource>
  </Sources>
</Project>`;
    const file = path.join(t.dir, 'inline.qde');
    fs.writeFileSync(file, qde);
    await t.newProject();
    const result = await t.call('import.qdpx', { path: file });
    expect(result.counts).toMatchObject({ codes: 1, documents: 1, segments: 2, codings: 2, attributes: 1 });
    expect(result.notImported).toEqual(['1 variable value set on sources rather than cases: Fieldbook keeps attributes on participants (cases).']);
    const segments = db().prepare('SELECT start_char, end_char, text FROM segment ORDER BY start_char, end_char').all();
    expect(segments).toEqual([
      { start_char: 0, end_char: 18, text: 'Day 1 😀 happy day' },
      { start_char: 9, end_char: 14, text: 'happy' },
    ]);
    expect(db().prepare('SELECT color FROM code').get()).toEqual({ color: '#00aa00' });
  });
});

describe('REFI-QDA import refuses bad files and leaves the project as it was', () => {
  async function seeded() {
    await t.newProject();
    seedStudy(db());
    return dumpProject(db());
  }

  it('refuses a zip bomb (declared ratio)', async () => {
    const before = await seeded();
    const file = path.join(t.dir, 'bomb.qdpx');
    fs.writeFileSync(file, zipSync({ 'project.qde': new Uint8Array(8 * 1024 * 1024) }, { level: 9 }));
    await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /zip bomb/);
    expect(dumpProject(db())).toEqual(before);
  });

  it('refuses an entry that inflates past the size it declares', async () => {
    const before = await seeded();
    const zip = zipSync({ 'project.qde': strToU8('<Project name="x">' + ' '.repeat(200_000) + '</Project>') }, { level: 9 });
    // Lie in the central directory: claim 100 bytes uncompressed.
    const view = new DataView(zip.buffer);
    for (let i = zip.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 100, true);
        break;
      }
    }
    const file = path.join(t.dir, 'liar.qdpx');
    fs.writeFileSync(file, zip);
    await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /more than the 100 bytes it declares/);
    expect(dumpProject(db())).toEqual(before);
  });

  it('refuses paths that escape the folder', async () => {
    const before = await seeded();
    for (const evil of ['../evil.txt', 'Sources/../../evil.txt', '/etc/evil', 'C:\\evil.txt']) {
      const file = path.join(t.dir, 'evil.qdpx');
      fs.writeFileSync(file, zipSync({ 'project.qde': strToU8('<Project name="x"/>'), [evil]: strToU8('boo') }));
      await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /points outside the project folder/);
    }
    expect(dumpProject(db())).toEqual(before);
  });

  it('refuses a quote outside its text, naming it, and writes nothing', async () => {
    const before = await seeded();
    const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="bad">
  <CodeBook><Codes><Code guid="${guid(1)}" name="New code" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="${guid(2)}" name="Short text" plainTextPath="internal://${guid(2)}.txt">
      <PlainTextSelection guid="${guid(3)}" startPosition="2" endPosition="50">
        <Coding guid="${guid(4)}"><CodeRef targetGUID="${guid(1)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>`;
    const file = path.join(t.dir, 'bad.qdpx');
    fs.writeFileSync(file, zipSync({ 'project.qde': strToU8(qde), [`Sources/${guid(2)}.txt`]: strToU8('only twenty chars!!!') }));
    const error = await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /quote 1 of "Short text" runs from position 2 to 50, but the text has only 20 characters/);
    expect(error.details?.record).toBe(1);
    expect(dumpProject(db())).toEqual(before);
  });

  it('reports malformed XML with its line and column', async () => {
    const before = await seeded();
    const file = path.join(t.dir, 'broken.qde');
    fs.writeFileSync(file, '<?xml version="1.0"?>\n<Project name="x">\n  <CodeBook>\n</Project>\n');
    const error = await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /not well-formed XML/);
    expect(error.details?.line).toBe(4);
    expect(error.details?.column).toBeGreaterThan(0);
    expect(dumpProject(db())).toEqual(before);
  });

  it('refuses entity declarations (billion laughs) and files that are not REFI', async () => {
    await seeded();
    const file = path.join(t.dir, 'laughs.qde');
    fs.writeFileSync(file, '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Project name="&lol2;"/>');
    await expectError(t.call('import.qdpx', { path: file }), 'PARSE_ERROR', /DTD or entities/);
    const notZip = path.join(t.dir, 'fake.qdpx');
    fs.writeFileSync(notZip, 'hello');
    await expectError(t.call('import.qdpx', { path: notZip }), 'PARSE_ERROR', /a \.qdpx is a zip file/);
    const other = path.join(t.dir, 'other.qde');
    fs.writeFileSync(other, '<?xml version="1.0"?><Survey/>');
    await expectError(t.call('import.qdpx', { path: other }), 'PARSE_ERROR', /not a REFI-QDA project/);
  });
});
