import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TableSpecInput } from '../../../shared/contract/tables';
import { createTestCore, type TestCore } from '../../testing/index';
import { seedStudy, type SeededStudy } from '../fixtures/seed';
import { requireTool } from '../../testing/tools';

let t: TestCore;
let study: SeededStudy;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject('Cloud buyers');
  const db = t.core.currentProject()?.db;
  if (!db) throw new Error('no project');
  study = seedStudy(db);
  // A third participant whose sector would run as a formula in a spreadsheet.
  const p = Number(db.prepare("INSERT INTO participant (name) VALUES ('Mallory')").run().lastInsertRowid);
  db.prepare("INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, (SELECT id FROM attribute WHERE name = 'Sector'), ?)").run(p, '=cmd|\' /C calc\'!A0');
  db.prepare("INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, (SELECT id FROM attribute WHERE name = 'Country'), 'Japan')").run(p);
});
afterEach(() => t.cleanup());

const out = (name: string) => path.join(t.dir, name);
const bySector: TableSpecInput = { title: 'Sector by country', source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }], banner: ['attr:Country'] };

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book;
}

function sheetText(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push(cell.value === null || cell.value === undefined ? '' : String(cell.value)));
    rows.push(cells);
  });
  return rows;
}

describe('table exports', () => {
  it('XLSX: bases, counts and percentages as numbers with formats, block headers merged, notes, formulas neutralised', async () => {
    const direct = await t.call('tables.run', { spec: bySector });
    const result = await t.call('export.table', { path: out('sector.xlsx'), format: 'xlsx', spec: bySector }, 'xl');
    const book = await workbook(result.path);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Sector by country']);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    const text = sheetText(sheet);
    expect(text[0]?.[0]).toBe('Sector by country');
    const labels = text.map((r) => r[0]);
    const baseRow = labels.findIndex((l) => l?.startsWith('Base'));
    expect(baseRow).toBeGreaterThan(0);
    const base = sheet.getRow(baseRow + 1);
    expect(base.getCell(2).value).toBe(direct.groups[0]?.bases[0]?.unweighted);
    expect(base.getCell(2).value).toBe(3);
    // The healthcare row: count then column % as numbers, formatted, matching the table engine.
    const health = labels.indexOf('healthcare');
    const healthRow = direct.groups[0]?.rows.find((r) => r.label === 'healthcare');
    expect(sheet.getRow(health + 1).getCell(2).value).toBe(healthRow?.cells[0]?.count);
    const pct = sheet.getRow(health + 2).getCell(2);
    expect(pct.value).toBeCloseTo(healthRow?.cells[0]?.colPct ?? -1, 1);
    expect(pct.numFmt).toBe('0.0"%"');
    // The formula-looking answer is text starting with an apostrophe, never a formula.
    const evil = labels.find((l) => l?.includes('cmd|'));
    expect(evil?.startsWith("'=")).toBe(true);
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    // Column headers: Total and each country; the banner block label merged over its columns.
    const header = text.find((r) => r.includes('Japan'));
    expect(header).toContain('United States');
    // Significance: the chi-square line, the letters explained, and the method printed under the table.
    expect(labels.some((l) => l?.startsWith('Chi-square by Country: χ² = '))).toBe(true);
    expect(labels.some((l) => l?.startsWith('Letters: the value is significantly higher'))).toBe(true);
    expect(labels).toContain(direct.method);
    expect(t.events.some((e) => e.type === 'progress' && e.jobId === 'xl')).toBe(true);
  });

  it('the XLSX opens in another reader (Python openpyxl) with the same numbers and no formulas', async () => {
    requireTool('openpyxl');
    const result = await t.call('export.table', { path: out('other.xlsx'), format: 'xlsx', spec: bySector });
    const script = [
      'import json, sys, openpyxl',
      'wb = openpyxl.load_workbook(sys.argv[1])',
      'ws = wb.worksheets[0]',
      'rows = [[c.value for c in r] for r in ws.iter_rows()]',
      "formulas = sum(1 for r in ws.iter_rows() for c in r if c.data_type == 'f')",
      "fmt = [c.number_format for r in ws.iter_rows() for c in r if r[0].value == 'healthcare: Column %'][1]",
      "print(json.dumps({'title': ws.title, 'rows': rows, 'formulas': formulas, 'fmt': fmt}, default=str))",
    ].join('\n');
    const run = spawnSync('/usr/bin/python3', ['-c', script, result.path], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const read = JSON.parse(run.stdout) as { title: string; rows: (string | number | null)[][]; formulas: number; fmt: string };
    expect(read.title).toBe('Sector by country');
    expect(read.formulas).toBe(0);
    expect(read.fmt).toBe('0.0"%"');
    const health = read.rows.find((r) => r[0] === 'healthcare');
    const pct = read.rows.find((r) => r[0] === 'healthcare: Column %');
    expect(health?.slice(1)).toEqual([1, 0, 1]);
    expect(pct?.slice(1, 2)).toEqual([100 / 3]);
    expect(read.rows.some((r) => typeof r[0] === 'string' && r[0].startsWith("'=cmd"))).toBe(true);
  });

  it('every saved table: one sheet each, or all on one sheet; CSV and Markdown too', async () => {
    const a = await t.call('tables.save', { name: 'Sector: by country [all]', spec: bySector });
    await t.call('tables.save', { name: 'Codes by sector', spec: { source: { kind: 'participants' }, rows: [{ ref: `codes:${study.codes.trust},${study.codes.cost}` }], banner: ['attr:Sector'] } });
    const perSheet = await t.call('export.tables', { path: out('all.xlsx'), format: 'xlsx' });
    expect(perSheet.items).toBe(2);
    const book = await workbook(perSheet.path);
    expect(book.worksheets).toHaveLength(2);
    expect(book.worksheets.every((s) => s.name.length <= 31 && !/[[\]:*?/\\]/.test(s.name))).toBe(true);

    const one = await t.call('export.tables', { path: out('one.xlsx'), format: 'xlsx', layout: 'oneSheet', savedTableIds: [a.id] });
    expect((await workbook(one.path)).worksheets.map((s) => s.name)).toEqual(['Tables']);

    const csvText = fs.readFileSync((await t.call('export.tables', { path: out('all.csv'), format: 'csv' })).path, 'utf8');
    const rows = Papa.parse<string[]>(csvText.replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data;
    expect(rows.some((r) => r[0] === 'healthcare')).toBe(true);
    expect(rows.some((r) => r.some((c) => c.startsWith('=')))).toBe(false);
    const md = fs.readFileSync((await t.call('export.tables', { path: out('all.md'), format: 'md' })).path, 'utf8');
    expect(md).toMatch(/^## Sector/m);
    expect(md).toMatch(/\| healthcare \| 1 \|/);
  });

  it('TSV for the clipboard: one line per row, tab-separated, no line breaks inside cells', async () => {
    const { text } = await t.call('export.tableText', { format: 'tsv', spec: bySector });
    const lines = text.split('\r\n');
    const header = lines.find((l) => l.includes('Japan'))?.split('\t') ?? [];
    expect(header[0]).toBe('');
    expect(header).toContain('Total');
    const health = lines.find((l) => l.startsWith('healthcare\t'))?.split('\t');
    expect(health?.length).toBe(header.length);
    expect(lines.some((l) => l.startsWith("'=cmd"))).toBe(true);
  });

  it('charts: SVG and a PNG at report resolution', async () => {
    const svg = await t.call('export.chart', { path: out('chart.svg'), format: 'svg', spec: bySector, chart: { kind: 'grouped', width: 600, height: 400 } });
    const svgText = fs.readFileSync(svg.path, 'utf8');
    expect(svgText).toMatch(/^<svg[\s\S]*healthcare[\s\S]*<\/svg>\s*$/);
    const png = await t.call('export.chart', { path: out('chart.png'), format: 'png', spec: bySector, chart: { kind: 'grouped', width: 600, height: 400 }, scale: 3 });
    const bytes = fs.readFileSync(png.path);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1800);
    expect(bytes.readUInt32BE(20)).toBe(1200);
  });

  it('says plainly when there is nothing to export', async () => {
    await expect(t.call('export.tables', { path: out('none.xlsx'), format: 'xlsx' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: /no saved tables/ });
    await expect(t.call('export.table', { path: out('x.xlsx'), format: 'xlsx', savedTableId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
