import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProject } from '../store/project';
import { tempDir } from '../testing/index';
import { seedStudy } from './fixtures/seed';

const bin = path.resolve('bin/fieldbook.mjs');

describe('fieldbook export / import qdpx (CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(dir, 'home') } });

  it('exports quotes, a table and the project, and imports the .qdpx into another project', async () => {
    // Projects made in-process (each CLI run costs seconds on a busy machine); the CLI does the rest.
    const project = path.join(dir, 'study.fieldbook');
    const open = openProject(project, { create: true });
    seedStudy(open.db);
    open.close();

    const quotes = run('export', 'quotes', '--project', project, '--out', path.join(dir, 'pack.docx'), '--codes', 'Trust', '--pseudonyms', '--redact', 'Acme Cloud', '--json');
    expect(quotes.stderr).toBe('');
    expect(quotes.status).toBe(0);
    const pack = JSON.parse(quotes.stdout) as { path: string; items: number };
    expect(pack.items).toBe(2);
    const text = (await mammoth.extractRawText({ path: pack.path })).value;
    expect(text).toContain('— P01, Cloud engineering manager, healthcare, United States, 41 (Interview P01)');
    expect(text).not.toContain('Acme');

    const spec = JSON.stringify({ source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }], banner: ['attr:Country'] });
    const table = run('export', 'table', '--project', project, '--out', path.join(dir, 'sector.md'), '--spec', spec);
    expect(table.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'sector.md'), 'utf8')).toMatch(/\| healthcare \| 1 \|/);

    expect(run('export', 'qdpx', '--project', project, '--out', path.join(dir, 'study.qdpx')).status).toBe(0);
    const copy = path.join(dir, 'copy.fieldbook');
    openProject(copy, { create: true }).close();
    const imported = run('import', 'qdpx', path.join(dir, 'study.qdpx'), '--project', copy, '--json');
    expect(imported.status).toBe(0);
    expect((JSON.parse(imported.stdout) as { counts: { segments: number } }).counts.segments).toBe(7);
    // The same file into the project it came from: a merge, reported as such, with the positions' reading.
    const merged = run('import', 'qdpx', path.join(dir, 'study.qdpx'), '--project', project);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toMatch(/^Positions read as Unicode code points \(as REFI-QDA says\): Of \d+ quotes? that depend on it/m);
    expect(merged.stdout).toContain('Merged into 3 document(s) already here:');
    expect(merged.stdout).toContain('- "Interview Ana" = "Interview Ana" (same GUID)');
    expect(merged.stdout).toMatch(/Codes: 5 matched by GUID, 0 by name, 0 added\./);
  }, 300_000);

  it('says what went wrong in one line', () => {
    const project = path.join(dir, 'empty.fieldbook');
    openProject(project, { create: true }).close();
    const wrong = run('export', 'quotes', '--project', project, '--out', path.join(dir, 'x.pdf'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim()).toBe('fieldbook: Choose a format: docx, md, html, csv (got "pdf"). (field format)');
    const bad = run('import', 'qdpx', path.join(dir, 'nothing.qdpx'), '--project', project);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/There is no file at/);
  }, 300_000);
});
