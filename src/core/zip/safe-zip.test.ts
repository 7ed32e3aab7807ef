import { Deflate, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { QDPX_ZIP_LIMITS } from '../export/refi/read';
import { checkEntryName, isZip, OFFICE_ZIP_LIMITS, readZipDirectory, readZipEntry, verifyZip, writeZip, zipEntryText, type ZipLimits } from './safe-zip';
import { failureOf } from '../testing/index';

const LIMITS: ZipLimits = {
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  maxEntries: 10,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  refusalCode: 'UNSUPPORTED_FORMAT',
};

/** Offsets of every central directory record, to forge fields a real writer never would. */
function centralRecords(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const found: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) found.push(i);
  return found;
}

describe('safe zip: reading honest archives', () => {
  it('round-trips what writeZip writes, stored and deflated, and finds entries by name', () => {
    const text = 'Interviewer: hello\n'.repeat(2000);
    const zip = writeZip({ 'project.qde': strToU8('<Project name="x"/>'), 'Sources/a.txt': strToU8(text), 'empty.txt': new Uint8Array(0) });
    expect(isZip(zip)).toBe(true);
    const entries = verifyZip(zip, 'round.zip', LIMITS);
    expect(entries.map((e) => [e.name, e.size, e.isDirectory])).toEqual([
      ['project.qde', 19, false],
      ['Sources/a.txt', text.length, false],
      ['empty.txt', 0, false],
    ]);
    expect(zipEntryText(zip, entries, 'Sources/a.txt', 'round.zip', LIMITS)).toBe(text);
    expect(zipEntryText(zip, entries, 'missing.xml', 'round.zip', LIMITS)).toBeNull();

    const stored = zipSync({ 'folder/': new Uint8Array(0), 'folder/b.xml': strToU8('<b/>') }, { level: 0 });
    const storedEntries = readZipDirectory(stored, 'stored.zip', LIMITS);
    expect(storedEntries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['folder/', 0, true],
      ['folder/b.xml', 0, false],
    ]);
    const b = storedEntries[1];
    if (!b) throw new Error('no entry');
    expect(new TextDecoder().decode(readZipEntry(stored, b, 'stored.zip', LIMITS))).toBe('<b/>');
  });

  it('tells zips from other bytes by their signature', () => {
    expect(isZip(zipSync({}))).toBe(true);
    expect(isZip(strToU8('PK'))).toBe(false);
    expect(isZip(strToU8('Interviewer: plain text'))).toBe(false);
    expect(isZip(new Uint8Array([0x50, 0x4b, 0x03, 0x06]))).toBe(false);
  });
});

describe('safe zip: refusing damaged and hostile archives', () => {
  it('names a file that is not a zip, or is cut short, as damaged', () => {
    const notZip = failureOf(() => readZipDirectory(strToU8('hello, not a zip at all, just some words'), 'fake.zip', LIMITS));
    expect(notZip.code).toBe('PARSE_ERROR');
    expect(notZip.message).toMatch(/fake\.zip is damaged: the zip directory at its end is missing/);
    expect(notZip.details).toMatchObject({ file: 'fake.zip' });

    const zip = zipSync({ 'a.txt': strToU8('some text to keep') });
    const cut = zip.subarray(0, zip.length - 30);
    expect(failureOf(() => readZipDirectory(cut, 'cut.zip', LIMITS)).code).toBe('PARSE_ERROR');
  });

  it('refuses a zip bomb from its directory, before inflating anything, with the caller’s code', () => {
    // 6 MB of zeros packs to a few KB: a ratio no real document has.
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(6 * 1024 * 1024) }, { level: 9 });
    const office = failureOf(() => readZipDirectory(bomb, 'bomb.docx', { ...LIMITS, maxEntryBytes: 16 * 1024 * 1024 }));
    expect(office.code).toBe('UNSUPPORTED_FORMAT');
    expect(office.message).toMatch(/bomb\.docx was refused: "word\/document\.xml" would unpack \d+ times bigger.*zip bomb/);
    expect(office.details).toMatchObject({ file: 'bomb.docx', field: 'word/document.xml' });
    const qdpx = failureOf(() => readZipDirectory(bomb, 'bomb.qdpx', { ...LIMITS, maxEntryBytes: 16 * 1024 * 1024, refusalCode: 'PARSE_ERROR' }));
    expect(qdpx.code).toBe('PARSE_ERROR');
    expect(qdpx.message).toMatch(/zip bomb/);
    // Below the ratio floor a high ratio is harmless (a small file of spaces) and is accepted.
    expect(readZipDirectory(zipSync({ 'small.xml': new Uint8Array(512 * 1024) }, { level: 9 }), 'small.zip', LIMITS)).toHaveLength(1);
  });

  it('refuses an entry, a total or a count above the limits', () => {
    const big = zipSync({ 'a.bin': new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7919) % 251) }, { level: 0 });
    expect(failureOf(() => readZipDirectory(big, 'big.zip', LIMITS)).message).toMatch(/"a\.bin" would unpack to 5242880 bytes, more than the 4194304 allowed/);
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 3; i++) files[`p${i}.bin`] = new Uint8Array(3 * 1024 * 1024).map((_, j) => (j * 7919 + i) % 251);
    expect(failureOf(() => readZipDirectory(zipSync(files, { level: 0 }), 'total.zip', LIMITS)).message).toMatch(/more than 8 MB in total/);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 11; i++) many[`f${i}.txt`] = strToU8(String(i));
    const tooMany = failureOf(() => readZipDirectory(zipSync(many), 'many.zip', LIMITS));
    expect(tooMany.code).toBe('UNSUPPORTED_FORMAT');
    expect(tooMany.message).toMatch(/lists 11 files, more than 10/);
  });

  it('refuses paths that escape the folder, in the directory and by name', () => {
    for (const evil of ['../evil.txt', 'Sources/../../evil.txt', '/etc/evil', '\\evil.txt', 'C:\\evil.txt', 'a\0b']) {
      const zip = zipSync({ 'content.xml': strToU8('<x/>'), [evil]: strToU8('boo') });
      const error = failureOf(() => readZipDirectory(zip, 'evil.odt', LIMITS));
      expect(error.code).toBe('UNSUPPORTED_FORMAT');
      expect(error.message).toMatch(/points outside the project folder/);
      expect(error.details).toMatchObject({ file: 'evil.odt', field: evil });
    }
    expect(() => checkEntryName('Sources/a..b.txt', 'ok.zip', LIMITS)).not.toThrow();
  });

  it('refuses encrypted entries and compression methods other than stored and deflate', () => {
    const encrypted = zipSync({ 'a.txt': strToU8('secret') });
    const at = centralRecords(encrypted)[0] ?? -1;
    new DataView(encrypted.buffer).setUint16(at + 8, 1, true);
    expect(failureOf(() => readZipDirectory(encrypted, 'locked.zip', LIMITS)).message).toMatch(/"a\.txt" is encrypted/);

    const lzma = zipSync({ 'a.txt': strToU8('text') });
    const record = centralRecords(lzma)[0] ?? -1;
    new DataView(lzma.buffer).setUint16(record + 10, 14, true);
    const error = failureOf(() => readZipDirectory(lzma, 'lzma.zip', LIMITS));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/compression method 14/);
  });

  it('stops inflating an entry that grows past the size its header declares (forged header)', () => {
    const packed: Uint8Array[] = [];
    const deflate = new Deflate({ level: 9 }, (chunk) => packed.push(chunk));
    const zeros = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 32; i++) deflate.push(zeros, i === 31);
    const body = Buffer.concat(packed);
    // A tiny honest zip, then the entry swapped for 32 MB of deflated zeros that claims 1,000 bytes.
    const honest = Buffer.from(zipSync({ 'content.xml': new Uint8Array(1000).fill(65) }, { level: 0 }));
    const name = Buffer.from('content.xml');
    const local = Buffer.alloc(30);
    honest.copy(local, 0, 0, 30);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(1000, 22);
    const centralStart = honest.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const central = Buffer.from(honest.subarray(centralStart));
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(1000, 24);
    const eocdAt = central.indexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    central.writeUInt32LE(30 + name.length + body.length, eocdAt + 16);
    const forged = Buffer.concat([local, name, body, central]);
    const entries = readZipDirectory(forged, 'forged.odt', OFFICE_ZIP_LIMITS);
    expect(entries[0]).toMatchObject({ name: 'content.xml', size: 1000 });
    const entry = entries[0];
    if (!entry) throw new Error('no entry');
    const error = failureOf(() => readZipEntry(forged, entry, 'forged.odt', OFFICE_ZIP_LIMITS));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/more than its header declares/);
    expect(error.message).toMatch(/more than the 1000 bytes it declares/);
    expect(failureOf(() => verifyZip(forged, 'forged.odt', OFFICE_ZIP_LIMITS)).message).toMatch(/zip bomb/);
  });

  it('keeps each caller’s own bounds and error code', () => {
    expect(QDPX_ZIP_LIMITS).toMatchObject({ maxTotalBytes: 1024 * 1024 * 1024, maxRatio: 500, refusalCode: 'PARSE_ERROR' });
    expect(OFFICE_ZIP_LIMITS).toMatchObject({ maxTotalBytes: 256 * 1024 * 1024, maxRatio: 200, refusalCode: 'UNSUPPORTED_FORMAT' });
    // The same entry is refused or accepted depending only on the ratio the caller allows.
    const zip = zipSync({ 'x.xml': new Uint8Array(2 * 1024 * 1024) }, { level: 9 });
    const entry = readZipDirectory(zip, 'x.zip', { ...LIMITS, maxRatio: Infinity })[0];
    if (!entry) throw new Error('no entry');
    const ratio = entry.size / entry.compressedSize;
    const between = { ...LIMITS, maxRatio: Math.floor(ratio) - 1 };
    expect(failureOf(() => readZipDirectory(zip, 'x.zip', between)).message).toMatch(/zip bomb/);
    expect(readZipDirectory(zip, 'x.zip', { ...between, maxRatio: Math.ceil(ratio) + 1 })).toHaveLength(1);
  });
});
