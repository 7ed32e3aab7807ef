import fs from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { createTestCore, type TestCore } from '../testing/index';
import { pythonZip64 } from './fixtures/zip64';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function workbook(rows: (string | number)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Answers').addRows(rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

// Python's zipfile keeps the classic records beside the ZIP64 ones, which the zip reader inside
// mammoth and exceljs (JSZip) cannot follow: each import hands them a plain zip of the same entries.
describe('imports of Office files saved as ZIP64', () => {
  it('a .docx transcript, an .xlsx attribute sheet and an .xlsx survey import as their plain twins do', async () => {
    await t.newProject();
    const lines = ['Interviewer: How do you keep notes?', 'Ana: On paper first, then in the app.'];
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: lines.map((l) => new Paragraph(l)) }] })));
    const plainDoc = await t.call('transcripts.import', { files: [{ path: write('plain.docx', docx) }] });
    const zipDoc = await t.call('transcripts.import', { files: [{ path: write('zip64.docx', pythonZip64(docx, t.dir)) }] });
    const text = async (id: number) => (await t.call('documents.get', { id })).text;
    expect(await text(zipDoc.documents[0]!.id)).toBe(await text(plainDoc.documents[0]!.id));
    expect(await text(zipDoc.documents[0]!.id)).toContain('On paper first');

    const sheet = await workbook([
      ['Participant', 'Role'],
      ['Ana', 'Nurse'],
    ]);
    const imported = await t.call('participants.importSheet', { path: write('people.xlsx', pythonZip64(sheet, t.dir)), keyColumn: 'Participant' });
    expect(imported.created).toBe(1);

    const survey = await workbook([
      ['id', 'Q1', 'Q2'],
      ['r1', 'Agree', 3],
      ['r2', 'Disagree', 5],
    ]);
    const plain = await t.call('survey.import', { path: write('plain-survey.xlsx', survey), wave: '2024' });
    const zip64 = await t.call('survey.import', { path: write('zip64-survey.xlsx', pythonZip64(survey, t.dir)), wave: '2025' });
    expect(zip64.rowCount).toBe(plain.rowCount);
    expect(zip64.variableCount).toBe(plain.variableCount);
  });
});

describe('a survey workbook that is a zip bomb', () => {
  it('is refused before anything is inflated, and the project is unchanged', async () => {
    await t.newProject();
    const bomb = zipSync({ '[Content_Types].xml': new Uint8Array(16), 'xl/worksheets/sheet1.xml': new Uint8Array(64 * 1024 * 1024) });
    const before = await t.call('project.info', {});
    let error: unknown;
    try {
      await t.call('survey.import', { path: write('bomb.xlsx', bomb) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FieldbookError);
    expect((error as FieldbookError).message).toMatch(/bomb\.xlsx.*zip bomb/);
    expect((await t.call('project.info', {})).counts).toEqual(before.counts);
  });
});
