import ExcelJS from 'exceljs';
import { neutraliseCell } from '../safety';
import type { Language } from '../../../shared/i18n/index';
import { translator } from '../../i18n/index';
import type { TableGrid } from './grid';

const FORMATS = { count: '#,##0', pct: '0.0"%"', decimal: '0.00', weighted: '#,##0.0' } as const;
const GREY = 'FF495057';
const BLUE = 'FF1C7ED6';

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique within the book. */
export function sheetName(title: string, used: Set<string>): string {
  const base = (title.replace(/[:\\/?*[\]]/g, ' ').replace(/\s+/g, ' ').trim().replace(/^'+|'+$/g, '') || 'Table').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** Writes one grid from `startRow`; returns the next free row. */
function writeGrid(sheet: ExcelJS.Worksheet, grid: TableGrid, startRow: number): number {
  let r = startRow;
  for (const row of grid.rows) {
    const line = sheet.getRow(r);
    const labelCell = line.getCell(1);
    labelCell.value = neutraliseCell(row.label);
    switch (row.kind) {
      case 'title':
        labelCell.font = { bold: true, size: 13 };
        break;
      case 'blockHeader':
        for (const span of grid.blockSpans) {
          const cell = line.getCell(span.start + 2);
          cell.value = neutraliseCell(span.label);
          cell.font = { bold: true };
          cell.alignment = { horizontal: 'center' };
          if (span.count > 1) sheet.mergeCells(r, span.start + 2, r, span.start + span.count + 1);
        }
        break;
      case 'groupHeader':
        labelCell.font = { bold: true };
        break;
      case 'base':
      case 'lowBase':
        labelCell.font = { italic: true, color: { argb: GREY } };
        break;
      case 'stat':
      case 'note':
        labelCell.font = { italic: true, size: 9, color: { argb: GREY } };
        break;
      default:
        if (row.emphasis) labelCell.font = { bold: true };
    }
    if (row.kind !== 'blockHeader') {
      row.values.forEach((value, i) => {
        if (value === null) return;
        const cell = line.getCell(i + 2);
        if ('text' in value) {
          cell.value = neutraliseCell(value.text);
          cell.alignment = { horizontal: 'right' };
          if (row.kind === 'columnHeader') cell.font = { bold: true };
          if (row.kind === 'letters' || row.kind === 'letterHeader' || row.kind === 'change') cell.font = { color: { argb: BLUE }, size: 9, bold: row.kind !== 'letterHeader' };
        } else {
          cell.value = value.number;
          cell.numFmt = FORMATS[value.format];
          if (row.emphasis) cell.font = { bold: true };
          if (row.kind === 'base') cell.font = { italic: true, color: { argb: GREY } };
        }
      });
    }
    if (row.kind === 'columnHeader') line.eachCell((cell) => (cell.border = { bottom: { style: 'thin' } }));
    r++;
  }
  return r;
}

function sizeColumns(sheet: ExcelJS.Worksheet, width: number): void {
  sheet.getColumn(1).width = 42;
  for (let c = 2; c <= width + 1; c++) sheet.getColumn(c).width = 12;
}

export async function gridsXlsx(grids: TableGrid[], layout: 'sheetPerTable' | 'oneSheet', language?: Language): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Fieldbook';
  book.created = new Date();
  if (layout === 'oneSheet') {
    const sheet = book.addWorksheet(translator(language)('doc.sheetTables'));
    let row = 1;
    for (const grid of grids) row = writeGrid(sheet, grid, row) + 2;
    sizeColumns(sheet, Math.max(1, ...grids.map((g) => g.columns)));
  } else {
    const used = new Set<string>();
    for (const grid of grids) {
      const sheet = book.addWorksheet(sheetName(grid.title, used), { views: [{ state: 'frozen', xSplit: 1, ySplit: 0 }] });
      writeGrid(sheet, grid, 1);
      sizeColumns(sheet, grid.columns);
    }
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
