import fs from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { writeTinySav } from '../survey/spss/fixtures/tiny-sav-writer';
import { deflatedEntry, rawZip } from '../testing/hazards';
import { createTestCore, SHARED_DATA_DIR, sharedData, sharedDataAvailable, type TestCore } from '../testing/index';

/**
 * Fuzzing every importer (issue 21): real files from ../shared/data (where present) and generated
 * ones, mutated by fast-check (bytes flipped, inserted, deleted, duplicated, the file cut short),
 * through the real dispatch. Property: the file is imported, or refused with a FieldbookError
 * (never INTERNAL) naming the file, within a time and memory bound; a refused import leaves the
 * project file byte-identical. Seeded, so a failure replays; `npm run fuzz` runs a longer campaign
 * (FIELDBOOK_FUZZ_RUNS runs per importer, FIELDBOOK_FUZZ_SEED to start elsewhere).
 */
const RUNS = Number(process.env.FIELDBOOK_FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FIELDBOOK_FUZZ_SEED ?? 2119);
/** Per call: a mutated small file must never take long, nor grow the process without bound. */
const MAX_SECONDS = 15;
const MAX_RSS_MB = 2048;

if (!sharedDataAvailable) console.log(`[fuzz] ${SHARED_DATA_DIR} is absent: fuzzing generated files only.`);

interface Seed {
  name: string;
  bytes: Uint8Array;
}

const text = (name: string, content: string): Seed => ({ name, bytes: new Uint8Array(Buffer.from(content, 'utf8')) });
const zipOf = (name: string, files: Record<string, string>): Seed => ({ name, bytes: rawZip(Object.entries(files).map(([n, c]) => deflatedEntry(n, Buffer.from(c, 'utf8')))) });

/** The real files for an importer, where ../shared/data is present. */
function shared(...relative: string[]): Seed[] {
  if (!sharedDataAvailable) return [];
  return relative.filter((r) => fs.existsSync(sharedData(r))).map((r) => ({ name: path.basename(r), bytes: new Uint8Array(fs.readFileSync(sharedData(r))) }));
}

async function xlsxSeed(name: string, rows: (string | number)[][]): Promise<Seed> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return { name, bytes: new Uint8Array(await workbook.xlsx.writeBuffer()) };
}

async function docxSeed(): Promise<Seed> {
  const doc = new Document({ sections: [{ children: ['Interviewer: How was it?', 'Anna: Fine, but slow.', 'Interviewer: Why?'].map((t) => new Paragraph(t)) }] });
  return { name: 'interview.docx', bytes: new Uint8Array(await Packer.toBuffer(doc)) };
}

const QDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="fuzz"><CodeBook><Codes>
<Code guid="11111111-1111-1111-1111-111111111111" name="Price" isCodable="true" color="#ff0000"><Description>what it costs</Description>
<Code guid="22222222-2222-2222-2222-222222222222" name="Too high" isCodable="true"/></Code>
<Code guid="33333333-3333-3333-3333-333333333333" name="Speed" isCodable="true"/>
</Codes></CodeBook></Project>`;

interface Importer {
  name: string;
  seeds: () => Promise<Seed[]>;
  run(t: TestCore, file: string): Promise<unknown>;
}

const IMPORTERS: Importer[] = [
  {
    name: 'survey CSV/TSV',
    seeds: async () => [
      text('answers.csv', 'id,age,colour,comment\n1,34,red,"fine, thanks"\n2,41,blue,"said ""no"""\n3,,red,\n'),
      text('answers.tsv', 'id\tscore\tfruit\n1\t5\tapple, pear\n2\t3\tpear\n'),
      ...shared('survey/qualtrics_sample_3header_de.csv', 'survey/surveymonkey_538_steak_risk_2header.csv'),
    ],
    run: (t, file) => t.call('survey.import', { path: file, wave: 'w' }),
  },
  {
    name: 'survey XLSX',
    seeds: async () => [await xlsxSeed('answers.xlsx', [['id', 'age', 'colour'], [1, 34, 'red'], [2, 41, 'blue']]), ...shared('survey/qualcoder_survey789.xlsx')],
    run: (t, file) => t.call('survey.import', { path: file, wave: 'w' }),
  },
  {
    name: 'survey SPSS',
    seeds: async () => [
      {
        name: 'tiny.sav',
        bytes: writeTinySav(
          [
            { name: 'Count', width: 0, values: [1, 2, 3, null] },
            { name: 'Comment', width: 12, values: ['fine', 'slow', '', 'ok'] },
          ],
          { littleEndian: true, compressed: true },
        ),
      },
      ...shared('survey/spss/pyreadstat_sample.sav', 'survey/spss/pyreadstat_sample.zsav', 'survey/spss/pyreadstat_sample.por', 'survey/spss/haven_labelled-num-na.sav'),
    ],
    run: (t, file) => t.call('survey.import', { path: file, wave: 'w' }),
  },
  {
    name: 'transcripts txt/vtt/srt',
    seeds: async () => [
      text('interview.txt', 'Interviewer: How was it?\nAnna: Fine, but slow.\n'),
      text('captions.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Anna>Fine, but slow.\n\n00:00:03.000 --> 00:00:04.000\n<v Bob>Why?\n'),
      text('captions.srt', '1\n00:00:01,000 --> 00:00:02,500\nAnna: Fine, but slow.\n\n2\n00:00:03,000 --> 00:00:04,000\nBob: Why?\n'),
      ...shared('transcripts/webvtt_py/cue_tags.vtt', 'transcripts/qualcoder/qualcoder_transcript_bracket_speakers.txt'),
    ],
    run: (t, file) => t.call('transcripts.import', { files: [{ path: file }] }),
  },
  {
    name: 'transcripts docx/odt',
    seeds: async () => [
      await docxSeed(),
      zipOf('interview.odt', {
        mimetype: 'application/vnd.oasis.opendocument.text',
        'content.xml': '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Anna: Fine.</text:p><text:p>Bob: Why?</text:p></office:text></office:body></office:document-content>',
      }),
      ...shared('transcripts/qualcoder/qualcoder_ID1.docx', 'transcripts/usability/P1_GMT20211118.odt'),
    ],
    run: (t, file) => t.call('transcripts.import', { files: [{ path: file }] }),
  },
  {
    name: 'codebook',
    seeds: async () => [
      text('codebook.csv', 'id,parent_id,name,color,definition\n1,,Price,#ff0000,what it costs\n2,1,Too high,#00ff00,\n'),
      await xlsxSeed('codebook.xlsx', [['Code', 'Color', 'Description'], ['Price', '#ff0000', 'what it costs'], ['Price > Too high', '0,255,0', ''], ['Speed', '', '']]),
      text('codebook.qdc', QDE.replace('<Project xmlns="urn:QDA-XML:project:1.0" name="fuzz">', '').replace('</Project>', '').replace('<CodeBook>', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">')),
      ...shared('qda/taguette/codebook_20220303_8.csv', 'qda/qualcoder/qualcoder_plain_codes_categories_for_import.txt'),
    ],
    run: (t, file) => t.call('codes.import', { path: file }),
  },
  {
    name: 'participants sheet',
    seeds: async () => [text('people.csv', 'name,age,role\nAnna,34,nurse\nBob,41,doctor\n'), await xlsxSeed('people.xlsx', [['name', 'age'], ['Anna', 34], ['Bob', 41]])],
    run: (t, file) => t.call('participants.importSheet', { path: file, keyColumn: 'name' }),
  },
  {
    name: 'REFI .qdpx/.qde/.qdc',
    seeds: async () => [text('project.qde', QDE), zipOf('project.qdpx', { 'project.qde': QDE }), ...shared('qda/refi/atlasti8_standard_project_nosources.qdpx', 'qda/refi/atlasti8_standard_project.qde')],
    run: (t, file) => t.call('import.qdpx', { path: file }),
  },
];

/** One edit to a file's bytes; positions are fractions of its length, so one edit fits every seed. */
type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'cut'; at: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
/** Interesting bytes to put in: quotes, delimiters, line breaks, high and zero bytes, UTF-8 and XML pieces. */
const SPICE = ['"', ',', '\t', ';', '\n', '\r', '\r\n', '""', '\u0000', '\u00ff', 'é', '💥', '<', '>', '&amp;', '<a>', '</a>', '-->', '00:00:01.000 --> ', 'Anna: '];
const spice = fc.constantFrom(...SPICE).map((piece) => new Uint8Array(Buffer.from(piece, piece === '\u00ff' ? 'latin1' : 'utf8')));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fraction, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, bytes: fc.oneof(spice, fc.uint8Array({ minLength: 1, maxLength: 64 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 4096 }) }) },
  // A cut-off file keeps at least half of itself.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fraction.map((f) => 0.5 + f / 2) }) },
);

/**
 * Byte edits inside a zip mostly break its checksums, which only tests the zip reader. With
 * `inner`, the edits go to one entry's unpacked bytes and the archive is packed again, so the XML
 * and spreadsheet readers behind the zip see damaged content too.
 */
function mutateSeed(bytes: Uint8Array, edits: Mutation[], inner: number | null): Uint8Array {
  if (inner === null || !(bytes[0] === 0x50 && bytes[1] === 0x4b)) return mutate(bytes, edits);
  const files = unzipSync(bytes);
  const names = Object.keys(files).filter((n) => !n.endsWith('/'));
  if (names.length === 0) return mutate(bytes, edits);
  const target = names[inner % names.length]!;
  return rawZip(names.map((n) => deflatedEntry(n, n === target ? mutate(files[n]!, edits) : files[n]!)));
}

function mutate(bytes: Uint8Array, edits: Mutation[]): Uint8Array {
  let out = Buffer.from(bytes);
  for (const edit of edits) {
    const at = Math.floor(edit.at * out.length);
    if (edit.kind === 'flip' && out.length > 0) out[at] = edit.value;
    else if (edit.kind === 'insert') out = Buffer.concat([out.subarray(0, at), edit.bytes, out.subarray(at)]);
    else if (edit.kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + edit.length)]);
    else if (edit.kind === 'duplicate') out = Buffer.concat([out.subarray(0, at + edit.length), out.subarray(at, at + edit.length), out.subarray(at + edit.length)]);
    else if (edit.kind === 'cut') out = out.subarray(0, at);
  }
  return new Uint8Array(out);
}

let t: TestCore;
let projectPath: string;
beforeAll(async () => {
  t = createTestCore();
  projectPath = await t.newProject();
});
afterAll(() => t.cleanup());

describe(`fuzzing every importer (${RUNS} runs each, seed ${SEED})`, () => {
  for (const importer of IMPORTERS) {
    it(importer.name, async () => {
      const seeds = await importer.seeds();
      const outcome = { imported: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(), { freq: 2 }), async (which, edits, inner) => {
          const seed = seeds[which]!;
          // A fresh name per run: an imported file's name must not collide with an earlier one's.
          const file = path.join(t.dir, 'fuzz', `${Math.random().toString(36).slice(2, 8)}-${seed.name}`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, mutateSeed(seed.bytes, edits, inner));
          const before = fs.readFileSync(projectPath);
          const started = performance.now();
          try {
            await importer.run(t, file);
            outcome.imported++;
          } catch (error) {
            if (!(error instanceof FieldbookError)) throw error;
            outcome.refused++;
            if (process.env.FIELDBOOK_FUZZ_VERBOSE) console.log(`[fuzz] refused: ${error.code}: ${error.message.slice(0, 160)}`);
            expect(error.code, error.message).not.toBe('INTERNAL');
            expect(error.message, `${error.code}: ${error.message}`).toContain(path.basename(file));
            expect(fs.readFileSync(projectPath).equals(before), 'a refused import changed the project file').toBe(true);
          } finally {
            fs.rmSync(file, { force: true });
          }
          expect((performance.now() - started) / 1000).toBeLessThan(MAX_SECONDS);
          expect(process.memoryUsage().rss / 1048576).toBeLessThan(MAX_RSS_MB);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true, unbiased: true },
      );
      console.log(`[fuzz] ${importer.name}: ${seeds.length} seed files, ${outcome.imported} mutated files imported, ${outcome.refused} refused`);
      expect(outcome.imported + outcome.refused).toBe(RUNS);
    }, 600_000);
  }
});
