import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { writeTinySav } from './spss/fixtures/tiny-sav-writer';

/**
 * Files that used to lose data without a word: each must keep it (with a warning naming the
 * column, cell or line) or be refused.
 */
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

/** What a column holds after the import, from the project (through the real read path). */
async function importedColumn(file: string, column: string): Promise<(string | number | null)[]> {
  const result = await t.call('survey.import', { path: file, wave: 'w' });
  const variables = await t.call('survey.variables', { datasetId: result.datasetId });
  const v = variables.find((x) => x.name === column);
  if (!v) throw new Error(`no variable ${column}: ${variables.map((x) => x.name).join(', ')}`);
  const page = await t.call('survey.rows', { datasetId: result.datasetId, variableIds: [v.id], limit: 100 });
  return page.rows.map((row) => row.cells[0] ?? null);
}

describe('a last column with an empty header', () => {
  it('is kept, named after its place, with a warning, when it holds answers', async () => {
    await t.newProject();
    const file = write('blank-last.csv', 'id,q1,\n1,a,extra one\n2,b,extra two\n3,c,\n');
    const preview = await t.call('survey.preview', { path: file });
    expect(preview.columns.map((c) => c.name)).toEqual(['id', 'q1', 'column_3']);
    expect(preview.warnings.some((w) => /last column \(column 3\) has no name.*kept as column_3/.test(w))).toBe(true);
    expect(await importedColumn(file, 'column_3')).toEqual(['extra one', 'extra two', null]);
  });

  it('is no question when it is only a trailing delimiter', async () => {
    await t.newProject();
    const preview = await t.call('survey.preview', { path: write('trailing.csv', 'id,q1,\n1,a,\n2,b,\n') });
    expect(preview.columns.map((c) => c.name)).toEqual(['id', 'q1']);
    expect(preview.warnings).toEqual([]);
  });
});

describe('an Excel formula saved without its result', () => {
  it('is read as empty with a warning naming the cell, never as "[object Object]"', async () => {
    await t.newProject();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Answers');
    sheet.addRow(['id', 'score', 'double']);
    sheet.addRow([1, 4, { formula: 'B2*2', result: 8 }]);
    // What a script writes: the formula, no cached value.
    sheet.addRow([2, 5, { formula: 'B3*2' } as ExcelJS.CellFormulaValue]);
    const file = path.join(t.dir, 'formulas.xlsx');
    await workbook.xlsx.writeFile(file);
    const preview = await t.call('survey.preview', { path: file });
    const double = preview.columns.find((c) => c.name === 'double')!;
    expect(double.samples.join(' ')).not.toContain('object');
    expect(preview.warnings.some((w) => w.includes('cell C3') && w.includes('=B3*2') && w.includes('no saved result'))).toBe(true);
    expect(await importedColumn(file, 'double')).toEqual([8, null]);
  });
});

describe('a .sav whose compression bias is not a number', () => {
  it('is read with the standard bias 100 and a warning, not with blank answers', async () => {
    await t.newProject();
    const counts = [1, 2, 3, 40, 7];
    const bytes = writeTinySav([{ name: 'Count', width: 0, values: counts }], { littleEndian: true, compressed: true });
    // The header's bias: after the 4-byte magic, the 60-byte product and five 4-byte integers.
    Buffer.from(bytes.buffer, bytes.byteOffset).writeDoubleLE(NaN, 84);
    const file = write('nan-bias.sav', bytes);
    const preview = await t.call('survey.preview', { path: file });
    expect(preview.warnings.some((w) => /compression bias is NaN.*standard bias, 100/.test(w))).toBe(true);
    expect(await importedColumn(file, 'Count')).toEqual(counts);
  });
});

describe('a file mixing UTF-8 and Latin-1 lines', () => {
  it('reads each line in its own encoding and names the Latin-1 lines', async () => {
    await t.newProject();
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,Zoë\n2,', 'utf8'),
      Buffer.from('Zoë café', 'latin1'),
      Buffer.from('\n3,naïve\n4,', 'utf8'),
      Buffer.from('señor', 'latin1'),
      Buffer.from('\n', 'utf8'),
    ]);
    const file = write('mixed.csv', bytes);
    const preview = await t.call('survey.preview', { path: file });
    expect(preview.warnings.some((w) => w.includes('lines 3, 5') && /Windows-1252/.test(w))).toBe(true);
    expect(await importedColumn(file, 'name')).toEqual(['Zoë', 'Zoë café', 'naïve', 'señor']);
  });
});
