import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Deflate, strToU8, unzipSync, zipSync } from 'fflate';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, tempDir } from '../testing/index';
import { QDPX_ZIP_LIMITS } from '../export/refi/read';
import { parseDocx, parseOdt } from '../transcripts/parse/office';
import { readSheet } from '../transcripts/participants';
import { forceZip64, pythonReads, pythonZip64 } from './fixtures/zip64';
import { requireTool } from '../testing/tools';
import { isZip, OFFICE_ZIP_LIMITS, readZipDirectory, readZipEntry, verifyZip, verifyZipForLibrary, zipEntryText, type ZipLimits } from './safe-zip';

const LIMITS: ZipLimits = {
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  maxEntries: 10,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  refusalCode: 'UNSUPPORTED_FORMAT',
};

let work: { dir: string; cleanup(): void };
beforeEach(() => {
  work = tempDir('fieldbook-zip64-');
});
afterEach(() => work.cleanup());

/** Written to disk and read back, so the bytes tested are the bytes a user's file would hold. */
function onDisk(name: string, bytes: Uint8Array): Uint8Array {
  const file = path.join(work.dir, name);
  fs.writeFileSync(file, bytes);
  return new Uint8Array(fs.readFileSync(file));
}

/** Every entry's content by name, read through the bounded reader. */
function readAll(zip: Uint8Array, file: string, limits: ZipLimits = LIMITS): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const entry of verifyZip(zip, file, limits)) out[entry.name] = entry.size > 0 ? readZipEntry(zip, entry, file, limits) : new Uint8Array(0);
  return out;
}

/** Text, incompressible bytes, an empty file, a folder and a non-ASCII name: stored and deflated. */
function sampleFiles(): Record<string, Uint8Array> {
  const noise = new Uint8Array(70_000);
  let seed = 12345;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    noise[i] = seed >>> 24;
  }
  return {
    'project.qde': strToU8('<Project name="Zip64 test" xmlns="urn:QDA-XML:project:1.0"/>'),
    'Sources/Ümlaut € interview.txt': strToU8('Interviewer: Wie geht es Ihnen?\nAna: Gut, danke — 谢谢.\n'.repeat(500)),
    'Sources/noise.bin': noise,
    'Sources/empty.txt': new Uint8Array(0),
  };
}

function sampleZip(): Uint8Array {
  const files = sampleFiles();
  return zipSync({ 'Sources/': new Uint8Array(0), ...files, 'Sources/noise.bin': [files['Sources/noise.bin'] ?? new Uint8Array(0), { level: 0 }] });
}

describe('ZIP64: reading honest archives byte for byte', () => {
  it('reads what Python’s zipfile writes as ZIP64 (classic end record kept, ZIP64 extra fields)', () => {
    const plain = sampleZip();
    const zip64 = onDisk('python.zip', pythonZip64(plain, work.dir));
    // It really is ZIP64: a ZIP64 end record and locator, and entries whose classic sizes are all ones.
    expect(Buffer.from(zip64).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    expect(Buffer.from(zip64).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBeGreaterThan(0);
    const entries = readZipDirectory(zip64, 'python.zip', LIMITS);
    expect(entries.map((e) => [e.name, e.size, e.isDirectory])).toEqual([
      ['Sources/', 0, true],
      ['project.qde', sampleFiles()['project.qde']?.length, false],
      ['Sources/Ümlaut € interview.txt', sampleFiles()['Sources/Ümlaut € interview.txt']?.length, false],
      ['Sources/noise.bin', 70_000, false],
      ['Sources/empty.txt', 0, false],
    ]);
    expect(entries.filter((e) => e.size > 0).map((e) => e.method)).toEqual([8, 8, 0]);
    const read = readAll(zip64, 'python.zip');
    expect(read).toEqual({ 'Sources/': new Uint8Array(0), ...sampleFiles() });
    expect(zipEntryText(zip64, entries, 'project.qde', 'python.zip', LIMITS)).toBe('<Project name="Zip64 test" xmlns="urn:QDA-XML:project:1.0"/>');
  });

  it('reads a ZIP64 archive whose classic fields are all ones, and the hand-built writer is a real zip to others', () => {
    const layout = forceZip64(sampleZip());
    const zip64 = onDisk('ones.zip', layout.bytes);
    expect(isZip(zip64)).toBe(true);
    const entries = readZipDirectory(zip64, 'ones.zip', LIMITS);
    expect(entries.map((e) => e.name)).toEqual(['Sources/', 'project.qde', 'Sources/Ümlaut € interview.txt', 'Sources/noise.bin', 'Sources/empty.txt']);
    expect(entries.map((e) => e.localOffset)).toEqual([...entries.map((e) => e.localOffset)].sort((a, b) => a - b));
    expect(readAll(zip64, 'ones.zip')).toEqual({ 'Sources/': new Uint8Array(0), ...sampleFiles() });
    // Readers we did not write agree that the test's ZIP64 writer is sound.
    if (fs.existsSync('/usr/bin/unzip')) execFileSync('/usr/bin/unzip', ['-tq', path.join(work.dir, 'ones.zip')], { stdio: 'pipe' });
    const python = pythonReads(zip64, work.dir);
    expect(python['Sources/noise.bin']).toBe(Buffer.from(sampleFiles()['Sources/noise.bin'] ?? []).toString('base64'));
    expect(Object.keys(python)).toHaveLength(5);
  });

  it('reads what Info-ZIP writes with -fz, to a file and streamed to a pipe', () => {
    requireTool('zip');
    const folder = path.join(work.dir, 'Sources');
    fs.mkdirSync(folder);
    const files = sampleFiles();
    const names = ['Sources/noise.bin', 'Sources/empty.txt', 'Sources/Ümlaut € interview.txt'];
    for (const name of names) fs.writeFileSync(path.join(work.dir, name), files[name] ?? new Uint8Array(0));
    const written = path.join(work.dir, 'infozip.zip');
    execFileSync('/usr/bin/zip', ['-q', '-fz', '-r', written, 'Sources'], { cwd: work.dir });
    // Written to stdout, zip cannot seek back: sizes follow each entry and the directory carries them.
    const streamed = execFileSync('/usr/bin/zip', ['-q', '-fz', '-r', '-', 'Sources'], { cwd: work.dir });
    for (const [label, bytes] of [
      ['infozip.zip', new Uint8Array(fs.readFileSync(written))],
      ['streamed.zip', onDisk('streamed.zip', new Uint8Array(streamed))],
    ] as const) {
      // Both say "see ZIP64" for the directory's offset; only the one written to a file adds the ZIP64 end record.
      expect(Buffer.from(bytes).readUInt32LE(bytes.length - 6), label).toBe(0xffffffff);
      expect(Buffer.from(bytes).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06])) > 0, label).toBe(label === 'infozip.zip');
      const read = readAll(bytes, label);
      expect(Object.keys(read).sort(), label).toEqual(['Sources/', ...names].sort());
      for (const name of names) expect(read[name], `${label}: ${name}`).toEqual(files[name]);
    }
  });

  it('knows an empty ZIP64 archive by its first bytes', () => {
    const empty = forceZip64(zipSync({})).bytes;
    expect(Array.from(empty.subarray(0, 4))).toEqual([0x50, 0x4b, 0x06, 0x06]);
    expect(isZip(empty)).toBe(true);
    expect(readZipDirectory(empty, 'empty.zip', LIMITS)).toEqual([]);
  });
});

describe('ZIP64: handing office files to mammoth and exceljs', () => {
  it('passes an ordinary zip through untouched', () => {
    const plain = sampleZip();
    expect(verifyZipForLibrary(plain, 'plain.zip', LIMITS)).toBe(plain);
  });

  it('turns a ZIP64 archive into an ordinary zip with the same entries, stored as they were', () => {
    const layout = forceZip64(sampleZip());
    const classic = verifyZipForLibrary(layout.bytes, 'ones.zip', LIMITS);
    expect(classic).not.toBe(layout.bytes);
    expect(Buffer.from(classic).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(-1);
    expect(unzipSync(classic)).toEqual({ 'Sources/': new Uint8Array(0), ...sampleFiles() });
    expect(readZipDirectory(classic, 'classic.zip', LIMITS).map((e) => [e.name, e.method, e.compressedSize])).toEqual(
      readZipDirectory(layout.bytes, 'ones.zip', LIMITS).map((e) => [e.name, e.method, e.compressedSize]),
    );
    if (fs.existsSync('/usr/bin/unzip')) {
      fs.writeFileSync(path.join(work.dir, 'classic.zip'), classic);
      execFileSync('/usr/bin/unzip', ['-tq', path.join(work.dir, 'classic.zip')], { stdio: 'pipe' });
    }
  });

  it('a Word document and an Excel workbook saved as ZIP64 read as they do unzipped', async () => {
    const words = 'Interviewer: How do you keep notes?\n\nAna: On paper first, then in the app — always on paper first.';
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: words.split('\n\n').map((p) => new Paragraph(p)) }] })));
    const docx64 = onDisk('notes.docx', pythonZip64(docx, work.dir));
    const expected = (await mammoth.extractRawText({ buffer: Buffer.from(docx) })).value;
    const forLibrary = verifyZipForLibrary(docx64, 'notes.docx', OFFICE_ZIP_LIMITS);
    expect((await mammoth.extractRawText({ buffer: Buffer.from(forLibrary) })).value).toBe(expected);
    expect(expected).toContain('always on paper first');
    // The transcript parser's own check of the archive accepts it too.
    expect(readZipDirectory(docx64, 'notes.docx', OFFICE_ZIP_LIMITS).some((e) => e.name === 'word/document.xml')).toBe(true);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRows([
      ['Participant', 'Role', 'Country'],
      ['Ana', 'Nurse', 'Portugal'],
      ['Kenji', 'Engineer', '日本'],
    ]);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    const xlsx64 = onDisk('people.xlsx', pythonZip64(xlsx, work.dir));
    const loaded = new ExcelJS.Workbook();
    await loaded.xlsx.load(verifyZipForLibrary(xlsx64, 'people.xlsx', OFFICE_ZIP_LIMITS) as unknown as ArrayBuffer);
    const rows: unknown[] = [];
    loaded.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['Participant', 'Role', 'Country'],
      ['Ana', 'Nurse', 'Portugal'],
      ['Kenji', 'Engineer', '日本'],
    ]);
  });

  it('an OpenDocument text saved as ZIP64 parses like the original', () => {
    const content =
      '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>' +
      '<text:p>Interviewer: Where do you work?</text:p><text:p>Ana: In a clinic in Porto.</text:p></office:text></office:body></office:document-content>';
    const odt = zipSync({ mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }], 'content.xml': strToU8(content) });
    const odt64 = onDisk('clinic.odt', pythonZip64(odt, work.dir));
    expect(parseOdt(odt64, 'clinic.odt')).toEqual(parseOdt(odt, 'clinic.odt'));
  });
});

describe('ZIP64: office files written by Info-ZIP go through the importers as they are', () => {
  beforeAll(() => requireTool('zip'));
  /** The archive's files unpacked into a folder and zipped again by `zip -fz` (ZIP64 records, classic offset all ones). */
  function infoZip64(zip: Uint8Array, name: string): string {
    const folder = path.join(work.dir, `${name}-files`);
    for (const [entry, content] of Object.entries(unzipSync(zip))) {
      if (entry.endsWith('/')) continue;
      fs.mkdirSync(path.dirname(path.join(folder, entry)), { recursive: true });
      fs.writeFileSync(path.join(folder, entry), content);
    }
    const out = path.join(work.dir, name);
    execFileSync('/usr/bin/zip', ['-q', '-fz', '-r', '-X', out, '.'], { cwd: folder });
    expect(fs.readFileSync(out).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    return out;
  }

  it('a Word transcript and an Excel participant sheet', async () => {
    const docx = new Uint8Array(
      await Packer.toBuffer(new Document({ sections: [{ children: ['Interviewer: What slows you down?', 'Ana: Paperwork, mostly. Forms in triplicate.'].map((p) => new Paragraph(p)) }] })),
    );
    const docx64 = new Uint8Array(fs.readFileSync(infoZip64(docx, 'interview.docx')));
    const parsed = await parseDocx(docx64, 'interview.docx');
    expect(parsed).toEqual(await parseDocx(docx, 'interview.docx'));
    expect(parsed.text).toContain('Forms in triplicate');

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('People').addRows([
      ['Participant', 'Role'],
      ['Ana', 'Nurse'],
      ['Kenji', 'Engineer'],
    ]);
    const plainFile = path.join(work.dir, 'people-plain.xlsx');
    fs.writeFileSync(plainFile, new Uint8Array(await workbook.xlsx.writeBuffer()));
    const sheet64 = await readSheet(infoZip64(new Uint8Array(fs.readFileSync(plainFile)), 'people.xlsx'));
    expect(sheet64).toEqual(await readSheet(plainFile));
    expect(JSON.stringify(sheet64)).toContain('Kenji');
  });
});

describe('ZIP64: damaged and lying records are refused, naming the file and the entry', () => {
  function corrupt(bytes: Uint8Array, change: (view: DataView) => void): Uint8Array {
    const copy = new Uint8Array(bytes);
    change(new DataView(copy.buffer));
    return copy;
  }

  it('a locator pointing elsewhere, or a ZIP64 end record cut short', () => {
    const layout = forceZip64(sampleZip());
    const moved = corrupt(layout.bytes, (v) => v.setBigUint64(layout.locator + 8, BigInt(layout.record - 4), true));
    const error = failureOf(() => readZipDirectory(moved, 'moved.qdpx', QDPX_ZIP_LIMITS));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('moved.qdpx is damaged: its ZIP64 end record is not where the ZIP64 locator says (a cut-off or damaged ZIP64 archive?).');
    expect(error.details).toMatchObject({ file: 'moved.qdpx' });

    // The last 8 bytes of the ZIP64 end record (the directory's offset) cut out of the file.
    const cut = new Uint8Array(Buffer.concat([layout.bytes.subarray(0, layout.record + 48), layout.bytes.subarray(layout.locator)]));
    expect(failureOf(() => readZipDirectory(cut, 'cut.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/cut\.qdpx is damaged: its ZIP64 end record is not where the ZIP64 locator says/);

    const oversized = corrupt(layout.bytes, (v) => v.setBigUint64(layout.record + 4, 1000n, true));
    expect(failureOf(() => readZipDirectory(oversized, 'long.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/its ZIP64 end record is cut short or overlaps the ZIP64 locator/);

    // Classic fields saying "see ZIP64" with no ZIP64 locator before the end record.
    const noLocator = corrupt(layout.bytes, (v) => v.setUint32(layout.locator, 0, true));
    expect(failureOf(() => readZipDirectory(noLocator, 'lost.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(
      /lost\.qdpx is damaged: its end record says the zip directory is described in a ZIP64 record, but there is none/,
    );
    // The offset marked as ZIP64 with no ZIP64 record is placed by the directory's size (as Info-ZIP
    // writes to a pipe) only when a directory record really starts there.
    const plain = sampleZip();
    const placed = corrupt(plain, (v) => v.setUint32(plain.length - 6, 0xffffffff, true));
    expect(readAll(placed, 'placed.zip')).toEqual({ 'Sources/': new Uint8Array(0), ...sampleFiles() });
    const misplaced = corrupt(placed, (v) => v.setUint32(plain.length - 10, v.getUint32(plain.length - 10, true) + 1, true));
    expect(failureOf(() => readZipDirectory(misplaced, 'misplaced.zip', LIMITS)).message).toMatch(/misplaced\.zip is damaged: its end record says .* ZIP64 record, but there is none/);
  });

  it('a ZIP64 end record that lies about the directory', () => {
    const layout = forceZip64(sampleZip());
    const tooMany = corrupt(layout.bytes, (v) => {
      v.setBigUint64(layout.record + 24, 7n, true);
      v.setBigUint64(layout.record + 32, 7n, true);
    });
    expect(failureOf(() => readZipDirectory(tooMany, 'count.qdpx', QDPX_ZIP_LIMITS)).message).toBe('count.qdpx is damaged: zip directory entry 6 of 7 is unreadable.');
    const twoCounts = corrupt(layout.bytes, (v) => v.setBigUint64(layout.record + 24, 4n, true));
    expect(failureOf(() => readZipDirectory(twoCounts, 'counts.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/its ZIP64 end record \(5 files.*contradicts its classic end record/);
    const past = corrupt(layout.bytes, (v) => v.setBigUint64(layout.record + 48, 1n << 40n, true));
    expect(failureOf(() => readZipDirectory(past, 'past.qdpx', QDPX_ZIP_LIMITS)).message).toBe('past.qdpx is damaged: the zip directory points past the end of the file.');
    const shifted = corrupt(layout.bytes, (v) => v.setBigUint64(layout.record + 48, BigInt((layout.central[0] ?? 0) - 4), true));
    expect(failureOf(() => readZipDirectory(shifted, 'shifted.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/shifted\.qdpx is damaged: zip directory entry 1 of 5 is unreadable/);
  });

  it('a ZIP64 end record that contradicts the classic one Python kept', () => {
    const zip64 = pythonZip64(sampleZip(), work.dir);
    const locator = zip64.length - 22 - 20;
    const view = new DataView(zip64.buffer, zip64.byteOffset);
    const record = Number(view.getBigUint64(locator + 8, true));
    view.setBigUint64(record + 40, view.getBigUint64(record + 40, true) + 46n, true);
    const error = failureOf(() => readZipDirectory(zip64, 'python.qdpx', QDPX_ZIP_LIMITS));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toMatch(/python\.qdpx is damaged: its ZIP64 end record \(5 files, directory of \d+ bytes at \d+\) contradicts its classic end record \(5 files, \d+ bytes at \d+\)/);
  });

  it('an entry whose ZIP64 extra field is missing, cut short or wrong', () => {
    const short = forceZip64(sampleZip(), { shortExtra: true }).bytes;
    const error = failureOf(() => readZipDirectory(short, 'short.qdpx', QDPX_ZIP_LIMITS));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('short.qdpx is damaged: the ZIP64 sizes of "Sources/" are missing or cut short in the zip directory.');
    expect(error.details).toMatchObject({ file: 'short.qdpx', entry: 'Sources/', field: 'Sources/' });

    const layout = forceZip64(sampleZip());
    const second = layout.central[1] ?? -1;
    const nameLength = new DataView(layout.bytes.buffer).getUint16(second + 28, true);
    // Rename the extra field's id, as if the ZIP64 field were missing altogether.
    const missing = corrupt(layout.bytes, (v) => v.setUint16(second + 46 + nameLength, 0x5455, true));
    const missingError = failureOf(() => readZipDirectory(missing, 'missing.qdpx', QDPX_ZIP_LIMITS));
    expect(missingError.message).toMatch(/the ZIP64 sizes of "project\.qde" are missing or cut short/);
    expect(missingError.details).toMatchObject({ entry: 'project.qde' });

    // A local offset in the extra field past the directory.
    const far = corrupt(layout.bytes, (v) => v.setBigUint64(second + 46 + nameLength + 4 + 16, 1n << 36n, true));
    expect(failureOf(() => readZipDirectory(far, 'far.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/far\.qdpx is damaged: the directory places "project\.qde" .* past the start of the zip directory/);

    // A 64-bit size bigger than what the entry really holds.
    const bigger = corrupt(layout.bytes, (v) => v.setBigUint64(second + 46 + nameLength + 4, 5000n, true));
    const entry = readZipDirectory(bigger, 'bigger.qdpx', QDPX_ZIP_LIMITS)[1];
    if (!entry) throw new Error('no entry');
    expect(failureOf(() => readZipEntry(bigger, entry, 'bigger.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/the entry "project\.qde" unpacks to \d+ bytes, not the 5000 it declares/);
  });

  it('a zip spread over several files is refused as such', () => {
    const layout = forceZip64(sampleZip());
    const spanned = corrupt(layout.bytes, (v) => v.setUint32(layout.locator + 16, 3, true));
    const error = failureOf(() => readZipDirectory(spanned, 'part1.qdpx', QDPX_ZIP_LIMITS));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toMatch(/part1\.qdpx was refused: it is one part of a zip split over several files/);
    expect(failureOf(() => readZipDirectory(spanned, 'part1.docx', OFFICE_ZIP_LIMITS)).code).toBe('UNSUPPORTED_FORMAT');
  });
});

describe('ZIP64: zip bombs are refused as before', () => {
  function deflatedZeros(megabytes: number): Uint8Array {
    const packed: Uint8Array[] = [];
    const deflate = new Deflate({ level: 9 }, (chunk) => packed.push(chunk));
    const zeros = new Uint8Array(1024 * 1024);
    for (let i = 0; i < megabytes; i++) deflate.push(zeros, i === megabytes - 1);
    return new Uint8Array(Buffer.concat(packed));
  }

  it('a ZIP64 bomb is caught by its ratio from the 64-bit sizes', () => {
    const bomb = forceZip64(zipSync({ 'word/document.xml': new Uint8Array(6 * 1024 * 1024) }, { level: 9 })).bytes;
    const error = failureOf(() => readZipDirectory(bomb, 'bomb.docx', { ...OFFICE_ZIP_LIMITS }));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/bomb\.docx was refused: "word\/document\.xml" would unpack \d+ times bigger.*zip bomb/);
    expect(error.details).toMatchObject({ file: 'bomb.docx', entry: 'word/document.xml' });
  });

  it(`a ZIP64 size past every limit, a count in the billions and a total too large are refused before anything is inflated`, () => {
    const layout = forceZip64(zipSync({ 'a.xml': strToU8('<a/>'), 'b.xml': strToU8('<b/>') }));
    const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset);
    const huge = new Uint8Array(layout.bytes);
    const first = layout.central[0] ?? -1;
    view(huge).setBigUint64(first + 46 + 'a.xml'.length + 4, 1n << 42n, true);
    const sizeError = failureOf(() => readZipDirectory(huge, 'huge.qdpx', QDPX_ZIP_LIMITS));
    expect(sizeError.message).toMatch(/huge\.qdpx was refused: "a\.xml" would unpack to 4398046511104 bytes, more than the 536870912 allowed for one file/);

    const many = new Uint8Array(layout.bytes);
    view(many).setBigUint64(layout.record + 24, 5_000_000_000n, true);
    view(many).setBigUint64(layout.record + 32, 5_000_000_000n, true);
    expect(failureOf(() => readZipDirectory(many, 'many.qdpx', QDPX_ZIP_LIMITS)).message).toMatch(/lists 5000000000 files, more than 20000/);

    // Each entry under the one-file limit, together past the total (ratios not in question here).
    const three = forceZip64(zipSync({ 'a.xml': strToU8('<a/>'), 'b.xml': strToU8('<b/>'), 'c.xml': strToU8('<c/>') }));
    const total = new Uint8Array(three.bytes);
    for (const at of three.central) view(total).setBigUint64(at + 46 + view(total).getUint16(at + 28, true) + 4, 3n * 1024n * 1024n, true);
    const totalError = failureOf(() => readZipDirectory(total, 'total.qdpx', { ...LIMITS, maxRatio: Infinity }));
    expect(totalError.message).toMatch(/total\.qdpx was refused: it would unpack to more than 8 MB in total.*zip bomb/);
    expect(totalError.details).toMatchObject({ entry: 'c.xml' });
  });

  it('a ZIP64 entry that inflates past its 64-bit declared size stops at the declared size', () => {
    const body = deflatedZeros(32);
    // A stored 1,000-byte entry made ZIP64, then its data swapped for 32 MB of deflated zeros claiming 1,000 bytes.
    const honest = forceZip64(zipSync({ 'content.xml': new Uint8Array(1000).fill(65) }, { level: 0 }));
    const src = Buffer.from(honest.bytes);
    const localExtra = src.readUInt16LE(28);
    const dataAt = 30 + src.readUInt16LE(26) + localExtra;
    const head = Buffer.from(src.subarray(0, dataAt));
    head.writeUInt16LE(8, 8);
    const tail = Buffer.from(src.subarray(honest.central[0]));
    tail.writeUInt16LE(8, 10);
    const nameLength = tail.readUInt16LE(28);
    tail.writeBigUInt64LE(BigInt(body.length), 46 + nameLength + 4 + 8);
    const shift = body.length - 1000;
    const recordAt = honest.record - (honest.central[0] ?? 0);
    tail.writeBigUInt64LE(BigInt(dataAt + body.length), recordAt + 48);
    tail.writeBigUInt64LE(BigInt(honest.record + shift), recordAt + 56 + 8);
    const forged = onDisk('forged.odt', new Uint8Array(Buffer.concat([head, body, tail])));

    const entries = readZipDirectory(forged, 'forged.odt', OFFICE_ZIP_LIMITS);
    expect(entries[0]).toMatchObject({ name: 'content.xml', size: 1000, compressedSize: body.length });
    const entry = entries[0];
    if (!entry) throw new Error('no entry');
    const error = failureOf(() => readZipEntry(forged, entry, 'forged.odt', OFFICE_ZIP_LIMITS));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/"content\.xml" unpacks to more than the 1000 bytes it declares.*zip bomb/);
    expect(failureOf(() => verifyZipForLibrary(forged, 'forged.odt', OFFICE_ZIP_LIMITS)).message).toMatch(/zip bomb/);
    expect(() => parseOdt(forged, 'forged.odt')).toThrow(/zip bomb/);
  });

  it('a bomb written by Python as ZIP64 is refused by the Word parser', async () => {
    const bomb = pythonZip64(zipSync({ 'word/document.xml': new Uint8Array(6 * 1024 * 1024) }, { level: 9 }), work.dir);
    await expect(parseDocx(bomb, 'bomb.docx')).rejects.toThrow(/bomb\.docx was refused: "word\/document\.xml" would unpack \d+ times bigger/);
  });
});
