import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../../shared/errors';
import { createTestCore, type TestCore } from '../../testing/index';
import { forceZip64, pythonZip64 } from '../../zip/fixtures/zip64';
import { dumpProject, seedStudy } from '../fixtures/seed';

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

/**
 * A project's rows without the moments they were written, so two imports of the same content at
 * different times compare equal.
 */
function contents(): Record<string, unknown[]> {
  const dump = dumpProject(db());
  const out: Record<string, unknown[]> = {};
  for (const [table, rows] of Object.entries(dump)) {
    // The undo log holds the moment of the import inside its steps: compared by label only.
    if (table === 'operation') {
      out[table] = rows.map((row) => (row as { label: string }).label);
      continue;
    }
    out[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row as Record<string, unknown>)
          .filter(([column]) => !/(^|_)(at|time|created|modified|updated)$/.test(column))
          .map(([column, value]) => [column, typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? 'a moment' : value]),
      ),
    );
  }
  return out;
}

async function exportSeeded(): Promise<Uint8Array> {
  await t.newProject('original');
  seedStudy(db());
  const out = await t.call('export.qdpx', { path: path.join(t.dir, 'study.qdpx') });
  return new Uint8Array(fs.readFileSync(out.path));
}

async function importInto(name: string, bytes: Uint8Array) {
  await t.newProject(name);
  // The same path each time, since the path is stored with what the file brings.
  const file = path.join(t.dir, 'incoming', 'study.qdpx');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  const { file: where, ...result } = await t.call('import.qdpx', { path: file });
  expect(where).toBe(file);
  return { result, contents: contents() };
}

describe('REFI-QDA import of ZIP64 .qdpx files', () => {
  it('imports our own export rewritten as ZIP64 by Python exactly as the plain file', async () => {
    const plain = await exportSeeded();
    const zip64 = pythonZip64(plain, t.dir);
    expect(Buffer.from(zip64).indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);

    const fromPlain = await importInto('plain', plain);
    expect(fromPlain.result.counts).toMatchObject({ codes: 5, documents: 3, segments: 7, codings: 9, participants: 2, attributes: 4, memos: 4 });
    const fromZip64 = await importInto('python64', zip64);
    expect(fromZip64.result).toEqual(fromPlain.result);
    expect(fromZip64.contents).toEqual(fromPlain.contents);
    expect((fromZip64.contents.segment ?? []).length).toBe(7);
  });

  it('imports it with every classic field all ones (sizes, offsets and counts only in ZIP64 records)', async () => {
    const plain = await exportSeeded();
    const fromPlain = await importInto('plain', plain);
    const fromZip64 = await importInto('ones64', forceZip64(plain).bytes);
    expect(fromZip64.result).toEqual(fromPlain.result);
    expect(fromZip64.contents).toEqual(fromPlain.contents);
  });

  it('refuses a damaged or lying ZIP64 record with a clear message and leaves the project as it was', async () => {
    const plain = await exportSeeded();
    const layout = forceZip64(plain);
    const before = dumpProject(db());

    const cases: { name: string; change(view: DataView): void; message: RegExp; entry?: string }[] = [
      { name: 'moved', change: (v) => v.setBigUint64(layout.locator + 8, 12n, true), message: /moved\.qdpx is damaged: its ZIP64 end record is not where the ZIP64 locator says/ },
      { name: 'count', change: (v) => v.setBigUint64(layout.record + 24, 1n, true), message: /count\.qdpx is damaged: its ZIP64 end record \(\d+ files.*contradicts its classic end record/ },
      {
        name: 'entry',
        change: (v) => {
          const at = layout.central[0] ?? -1;
          v.setUint16(at + 46 + v.getUint16(at + 28, true) + 2, 8, true);
        },
        message: /entry\.qdpx is damaged: the ZIP64 sizes of "project\.qde" are missing or cut short in the zip directory/,
        entry: 'project.qde',
      },
    ];
    for (const c of cases) {
      const bytes = new Uint8Array(layout.bytes);
      c.change(new DataView(bytes.buffer));
      const file = path.join(t.dir, `${c.name}.qdpx`);
      fs.writeFileSync(file, bytes);
      const error = await t.call('import.qdpx', { path: file }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FieldbookError);
      expect((error as FieldbookError).code).toBe('PARSE_ERROR');
      expect((error as FieldbookError).message).toMatch(c.message);
      expect((error as FieldbookError).details).toMatchObject({ file, ...(c.entry ? { entry: c.entry } : {}) });
      expect(dumpProject(db())).toEqual(before);
    }

    // Cut off inside the ZIP64 records, as an interrupted download would be.
    const cut = path.join(t.dir, 'cut.qdpx');
    fs.writeFileSync(cut, layout.bytes.subarray(0, layout.locator + 10));
    await expect(t.call('import.qdpx', { path: cut })).rejects.toThrow(/cut\.qdpx is damaged: the zip directory at its end is missing/);
    expect(dumpProject(db())).toEqual(before);
  });

  it('refuses a ZIP64 zip bomb and leaves the project as it was', async () => {
    await t.newProject();
    seedStudy(db());
    const before = dumpProject(db());
    const bomb = forceZip64(zipSync({ 'project.qde': new Uint8Array(8 * 1024 * 1024) }, { level: 9 })).bytes;
    const file = path.join(t.dir, 'bomb.qdpx');
    fs.writeFileSync(file, bomb);
    await expect(t.call('import.qdpx', { path: file })).rejects.toThrow(/bomb\.qdpx was refused: "project\.qde" would unpack \d+ times bigger.*zip bomb/);
    expect(dumpProject(db())).toEqual(before);
  });
});
