import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject();
});
afterEach(() => t.cleanup());

const db = () => t.core.currentProject()!.db;

/** name, parent's name, colour and definition of every code, in tree order. */
function tree() {
  return db()
    .prepare('SELECT c.name, p.name AS parent, c.color, c.definition FROM code c LEFT JOIN code p ON p.id = c.parent_id ORDER BY c.parent_id IS NOT NULL, c.parent_id, c.position, c.id')
    .all();
}

async function xlsx(name: string, rows: (string | number)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Codebook');
  for (const row of rows) sheet.addRow(row);
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  return file;
}

describe('codebooks as spreadsheets', () => {
  it('imports a MAXQDA codebook exported to Excel: "Parent > Child" paths, GUID and colour', async () => {
    const file = await xlsx('maxqda-codes.xlsx', [
      ['Code', 'Description', 'Color', 'GUID'],
      ['Transport', 'Getting around', '#FF0000', '1a2b3c4d-0000-4000-8000-000000000001'],
      ['Transport > Costs', 'Money spent', '0,128,255', '1a2b3c4d-0000-4000-8000-000000000002'],
      ['Transport > Costs > Fares', '', '', ''],
      ['Feelings', '', '#0a0', ''],
    ]);
    const result = await t.call('codes.import', { path: file });
    expect(result).toEqual({ created: 4, skipped: 0, format: 'sheet' });
    expect(tree()).toEqual([
      { name: 'Transport', parent: null, color: '#ff0000', definition: 'Getting around' },
      { name: 'Feelings', parent: null, color: '#00aa00', definition: '' },
      { name: 'Costs', parent: 'Transport', color: '#0080ff', definition: 'Money spent' },
      { name: 'Fares', parent: 'Costs', color: expect.stringMatching(/^#[0-9a-f]{6}$/), definition: '' },
    ]);
    // The GUIDs are kept, as written, so a .qdpx from the same tool finds these codes.
    const guids = db().prepare("SELECT c.name, g.guid FROM exchange_guid g JOIN code c ON c.id = g.local_id WHERE g.kind = 'code' ORDER BY c.id").all();
    expect(guids).toEqual([
      { name: 'Transport', guid: '1a2b3c4d-0000-4000-8000-000000000001' },
      { name: 'Costs', guid: '1a2b3c4d-0000-4000-8000-000000000002' },
    ]);
    // Undone as one step.
    await t.call('history.undo', {});
    expect(tree()).toEqual([]);
  });

  it("imports Fieldbook's own codebook CSV export (code, path, level)", async () => {
    const transport = await t.call('codes.create', { name: 'Transport', color: '#112233', definition: 'Getting around' });
    const costs = await t.call('codes.create', { name: 'Costs > fares', parentId: transport.id, definition: 'A name with " > " in it' });
    await t.call('codes.create', { name: 'Tickets', parentId: costs.id });
    await t.call('codes.create', { name: 'Weather' });
    const before = tree();
    const out = await t.call('export.codebook', { path: path.join(t.dir, 'codebook.csv'), format: 'csv' });
    await t.newProject('other');
    const result = await t.call('codes.import', { path: out.path });
    expect(result).toMatchObject({ created: 4, format: 'sheet' });
    expect(tree()).toEqual(before);
  });

  it('a refusal names the column it needed, never "not a text file" for an .xlsx', async () => {
    const file = await xlsx('people.xlsx', [
      ['Participant', 'Age'],
      ['P01', 34],
    ]);
    const error = await failure(t.call('codes.import', { path: file }));
    expect(error.message).toBe('people.xlsx: a codebook needs a "Code" column with each code\'s path, like "Parent > Child" (or Fieldbook\'s "name", or Taguette\'s "tag"). Its columns are: "Participant", "Age".');
    expect(error.message).not.toMatch(/text file/);
    const bad = await xlsx('bad-colour.xlsx', [
      ['Code', 'Colour'],
      ['Joy', 'sunny yellow'],
    ]);
    expect((await failure(t.call('codes.import', { path: bad }))).message).toBe('bad-colour.xlsx, line 2: "sunny yellow" is not a colour like #3366cc or 51,102,204.');
    expect(tree()).toEqual([]);
  });
});
