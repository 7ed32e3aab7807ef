import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgreementReport, Code } from '../../shared/contract/coding';
import { openProject } from '../store/project';
import { tempDir } from '../testing/index';
import { seedDocument } from './testing/seed';

const bin = path.resolve('bin/fieldbook.mjs');

// Each command is a fresh Node process through tsx (a few seconds each on a busy machine).
describe('fieldbook codes / code / agreement / undo', { timeout: 300_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  let turns: { start: number; end: number }[];
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    file = path.join(dir, 'study.fieldbook');
    const project = openProject(file, { create: true });
    turns = seedDocument(project, {
      name: 'Interview 1',
      participant: 'P1',
      turns: [
        { speaker: 'P1', text: 'The bus is too expensive.' },
        { speaker: 'P1', text: 'I cycle in summer.' },
        { speaker: 'P1', text: 'Trains are late.' },
      ],
    }).turns;
    project.db.prepare(`INSERT INTO coder (name) VALUES ('ana')`).run();
    project.close();
  });
  afterEach(() => cleanup());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FIELDBOOK_HOME: path.join(dir, 'home') } });

  it('imports a codebook, codes passages by name, lists counts, reports agreement, undoes', () => {
    const book = path.join(dir, 'book.csv');
    fs.writeFileSync(book, 'name,parent_id,id,shortcut\nTransport,,1,t\nCosts,1,2,c\nDelays,1,3,\n');
    const imported = run('import', 'codebook', file, book);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('Imported 3 code(s)');

    const code = (turn: number, codeRef: string, coder: string) =>
      run('code', file, '--document', 'Interview 1', '--start', String(turns[turn]!.start), '--end', String(turns[turn]!.end), '--code', codeRef, '--coder', coder, '--json');
    const first = code(0, 'Transport/Costs', 'me');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true });
    expect(code(0, 'Costs', 'ana').status).toBe(0);
    expect(code(2, 'Delays', 'me').status).toBe(0);
    expect(code(1, 'Delays', 'ana').status).toBe(0);

    const codes = JSON.parse(run('codes', file, '--json').stdout) as Code[];
    expect(codes.map((c) => [c.name, c.quoteCount, c.totalQuoteCount])).toEqual([
      ['Transport', 0, 3],
      ['Costs', 1, 1],
      ['Delays', 2, 2],
    ]);
    const table = run('codes', file).stdout;
    expect(table).toMatch(/ {2}Costs/);

    const report = JSON.parse(run('agreement', file, '--coders', 'me,ana', '--json').stdout) as AgreementReport;
    const costs = report.perCode.find((c) => c.codeName === 'Costs')!;
    expect(costs).toMatchObject({ units: 3, percentAgreement: 1, cohensKappa: 1 });
    const delays = report.perCode.find((c) => c.codeName === 'Delays')!;
    // me: [0,0,1], ana: [0,1,0] → po = 1/3, pe = (2/3)(2/3)+(1/3)(1/3) = 5/9, κ = (1/3 − 5/9)/(4/9) = −0.5
    expect(delays.cohensKappa!).toBeCloseTo(-0.5, 10);
    expect(report.disagreements).toHaveLength(2);
    expect(run('agreement', file, '--coders', 'me,ana').stdout).toMatch(/2 disagreement/);

    expect(run('undo', file).stdout).toMatch(/^Undid: Code with "Delays"/);
    expect((JSON.parse(run('codes', file, '--json').stdout) as Code[]).find((c) => c.name === 'Delays')!.quoteCount).toBe(1);
    expect(run('redo', file).stdout).toMatch(/^Redid/);
  });

  it('says plainly what is wrong: unknown code, bad offsets, unknown coder', () => {
    const unknown = run('code', file, '--document', 'Interview 1', '--start', '0', '--end', '3', '--code', 'Nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('fieldbook: There is no code "Nope". (field --code)');
    const book = run('import', 'codebook', file, writeBook());
    expect(book.stderr).toBe('');
    const outside = run('code', file, '--document', '1', '--start', '5', '--end', '99999', '--code', 'A');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toMatch(/is not inside "Interview 1"/);
    expect(run('agreement', file, '--coders', 'me,zed').stderr).toMatch(/There is no coder "zed"/);
  });

  it('counts --start/--end in characters (code points), as its help says', () => {
    const project = openProject(file);
    // "𠀀" (CJK Extension B) and "😀" are one character each but two UTF-16 units.
    const text = '𠀀 says 😀 then bus fares';
    const seeded = seedDocument(project, { name: 'Astral', turns: [{ speaker: 'P2', text }] });
    project.close();
    expect(run('import', 'codebook', file, writeBook()).stderr).toBe('');
    // Counted by hand over [...text]: "bus" is characters 14 to 17.
    expect([...text].slice(14, 17).join('')).toBe('bus');
    const coded = run('code', file, '--document', 'Astral', '--start', '14', '--end', '17', '--code', 'A', '--json');
    expect(coded.stderr).toBe('');
    const reopened = openProject(file);
    const segment = reopened.db.prepare('SELECT start_char, end_char, text FROM segment WHERE document_id = ?').get(seeded.documentId);
    reopened.close();
    // In the stored UTF-16 text the two astral characters shift "bus" by two.
    expect(segment).toEqual({ start_char: text.indexOf('bus'), end_char: text.indexOf('bus') + 3, text: 'bus' });
    expect(text.indexOf('bus')).toBe(16);
    const help = run('code', '--help').stdout;
    expect(help).toMatch(/code points/);
    const past = run('code', file, '--document', 'Astral', '--start', '20', '--end', '25', '--code', 'A');
    expect(past.stderr).toMatch(/which has 23 characters/);
  });

  function writeBook(): string {
    const book = path.join(dir, 'a.csv');
    fs.writeFileSync(book, 'name\nA\n');
    return book;
  }
});
