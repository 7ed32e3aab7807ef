import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { deeplyNestedXml, deflatedEntry, escapingZip, rawZip, truncated, utf16leNoBom, zipBomb } from '../testing/hazards';
import { createTestCore, type TestCore } from '../testing/index';

/**
 * The hazard corpus (issue 19): each hostile or careless file, in the form each import method
 * takes, through the real dispatch. Every call must import the file or refuse it with a
 * FieldbookError (not INTERNAL) that names the file, within a time bound, and a refused import
 * must leave the project file byte-identical.
 */
type Hazard = 'zip bomb' | 'escaping path' | 'truncated archive' | 'UTF-16 without BOM' | 'huge single field' | 'deeply nested XML';

const HUGE = 8 * 1024 * 1024;
const huge = 'word '.repeat(HUGE / 5);

/** A minimal, valid Office or REFI archive of the given kind, as the base for the archive hazards. */
function honestArchive(kind: 'xlsx' | 'docx' | 'qdpx'): Record<string, string> {
  if (kind === 'qdpx') return { 'project.qde': '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>' };
  if (kind === 'docx') {
    return {
      '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Anna: hello</w:t></w:r></w:p></w:body></w:document>',
    };
  }
  return {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
  };
}

const zipOf = (files: Record<string, string>) => rawZip(Object.entries(files).map(([name, text]) => deflatedEntry(name, Buffer.from(text, 'utf8'))));

/** The file for a hazard in the form a method reads: name and bytes, or null when the method takes no such form. */
type Maker = (hazard: Hazard) => { name: string; bytes: Uint8Array | string } | null;

const archiveHazards = (kind: 'xlsx' | 'docx' | 'qdpx', bomb: string, deep: () => string, deepEntry: string) => (hazard: Hazard) => {
  const honest = honestArchive(kind);
  if (hazard === 'zip bomb') return { name: `bomb.${kind}`, bytes: zipBomb(bomb, 64, honest) };
  if (hazard === 'escaping path') return { name: `escape.${kind}`, bytes: escapingZip(honest) };
  if (hazard === 'truncated archive') return { name: `cut.${kind}`, bytes: truncated(zipOf(honest)) };
  if (hazard === 'deeply nested XML') return { name: `deep.${kind}`, bytes: zipOf({ ...honest, [deepEntry]: deep() }) };
  return null;
};

const surveyFiles: Maker = (hazard) =>
  archiveHazards('xlsx', 'xl/worksheets/sheet1.xml', () => deeplyNestedXml(['worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 'sheetData'], 50_000, 'row'), 'xl/worksheets/sheet1.xml')(hazard) ??
  (hazard === 'UTF-16 without BOM' ? { name: 'u16.csv', bytes: utf16leNoBom('id,name\n1,Zoë\n2,Bob\n') } : { name: 'huge.csv', bytes: `id,comment\n1,"${huge}"\n2,short\n` });

const transcriptFiles: Maker = (hazard) =>
  archiveHazards('docx', 'word/document.xml', () => deeplyNestedXml(['w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', 'w:body'], 50_000, 'w:p'), 'word/document.xml')(hazard) ??
  (hazard === 'UTF-16 without BOM' ? { name: 'u16.txt', bytes: utf16leNoBom('Interviewer: Hello.\nAnna: Hi, I am Zoë.\n') } : { name: 'huge.txt', bytes: `Anna: ${huge}\n` });

const sheetFiles: Maker = (hazard) =>
  archiveHazards('xlsx', 'xl/worksheets/sheet1.xml', () => deeplyNestedXml(['worksheet', 'sheetData'], 50_000, 'row'), 'xl/worksheets/sheet1.xml')(hazard) ??
  (hazard === 'UTF-16 without BOM' ? { name: 'u16.csv', bytes: utf16leNoBom('name,age\nZoë,34\nBob,40\n') } : { name: 'huge.csv', bytes: `name,notes\nAnna,"${huge}"\n` });

const codebookFiles: Maker = (hazard) => {
  const qde = ['Project xmlns="urn:QDA-XML:project:1.0" name="x"', 'CodeBook', 'Codes'];
  return (
    archiveHazards('qdpx', 'project.qde', () => deeplyNestedXml(qde, 50_000), 'project.qde')(hazard) ??
    (hazard === 'UTF-16 without BOM' ? { name: 'u16.csv', bytes: utf16leNoBom('name,definition\nPrice,what it costs\n') } : { name: 'huge.csv', bytes: `name,definition\nPrice,"${huge}"\n` })
  );
};

const refiFiles: Maker = (hazard) => {
  const qde = ['Project xmlns="urn:QDA-XML:project:1.0" name="x"', 'CodeBook', 'Codes'];
  return (
    archiveHazards('qdpx', 'project.qde', () => deeplyNestedXml(qde, 50_000), 'project.qde')(hazard) ??
    (hazard === 'UTF-16 without BOM'
      ? { name: 'u16.qde', bytes: utf16leNoBom('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>') }
      : { name: 'huge.qde', bytes: `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="${huge}"/>` })
  );
};

interface Method {
  method: string;
  files: Maker;
  run(t: TestCore, file: string): Promise<unknown>;
}

const METHODS: Method[] = [
  { method: 'survey.preview', files: surveyFiles, run: (t, file) => t.call('survey.preview', { path: file }) },
  { method: 'survey.import', files: surveyFiles, run: (t, file) => t.call('survey.import', { path: file, wave: 'w' }) },
  { method: 'transcripts.preview', files: transcriptFiles, run: (t, file) => t.call('transcripts.preview', { files: [file] }) },
  { method: 'transcripts.import', files: transcriptFiles, run: (t, file) => t.call('transcripts.import', { files: [{ path: file }] }) },
  { method: 'participants.previewSheet', files: sheetFiles, run: (t, file) => t.call('participants.previewSheet', { path: file }) },
  { method: 'participants.importSheet', files: sheetFiles, run: (t, file) => t.call('participants.importSheet', { path: file, keyColumn: 'name' }) },
  { method: 'codes.import', files: codebookFiles, run: (t, file) => t.call('codes.import', { path: file }) },
  { method: 'import.qdpx', files: refiFiles, run: (t, file) => t.call('import.qdpx', { path: file }) },
];

const HAZARDS: Hazard[] = ['zip bomb', 'escaping path', 'truncated archive', 'UTF-16 without BOM', 'huge single field', 'deeply nested XML'];

/** A preview reports a file it cannot read inside its result: that is its refusal. */
function reportedError(result: unknown): FieldbookError | null {
  const files = (result as { files?: { error?: { code: string; message: string } | null }[] }).files;
  const error = files?.find((f) => f.error)?.error;
  return error ? new FieldbookError(error.code as FieldbookError['code'], error.message) : null;
}

let t: TestCore;
let projectPath: string;
beforeAll(async () => {
  t = createTestCore();
  projectPath = await t.newProject();
});
afterAll(() => t.cleanup());

describe('the hazard corpus against every import method', () => {
  const cases = METHODS.flatMap((m) => HAZARDS.map((hazard) => ({ ...m, hazard })));
  it.each(cases)('$method: $hazard', async ({ method, files, run, hazard }) => {
    const made = files(hazard);
    if (!made) throw new Error(`${method} has no file for ${hazard}`);
    const file = path.join(t.dir, made.name);
    fs.writeFileSync(file, made.bytes);
    const before = fs.readFileSync(projectPath);
    const started = performance.now();
    let error: FieldbookError | null = null;
    try {
      error = reportedError(await run(t, file));
    } catch (thrown) {
      if (!(thrown instanceof FieldbookError)) throw thrown;
      error = thrown;
    }
    expect((performance.now() - started) / 1000).toBeLessThan(30);
    if (error) {
      expect(error.code, error.message).not.toBe('INTERNAL');
      expect(error.message).toContain(made.name);
      if (!method.endsWith('preview') && !method.endsWith('previewSheet')) expect(fs.readFileSync(projectPath).equals(before)).toBe(true);
    }
  }, 60_000);
});

describe('the gate is the only way in', () => {
  it('no importer parses XML or unzips except through src/core/intake and src/core/zip', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !/\/(testing|fixtures)\//.test(full)) {
          const rel = path.relative(root, full);
          if (rel.startsWith('intake/') || rel.startsWith('zip/')) continue;
          const source = fs.readFileSync(full, 'utf8');
          if (/new XMLParser|XMLValidator|unzipSync|\bunzip\(/.test(source)) offenders.push(rel);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
