import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { FieldbookError } from '../../shared/errors';
import type { RowBatch, TableSource } from './table';
import { OFFICE_ZIP_LIMITS, verifyZipForLibrary, type ZipLimits } from '../zip/safe-zip';

/**
 * A cell as the text a researcher sees in Excel (dates as ISO, formulas as their result). A value
 * it cannot show (a formula saved without its result, as scripts write them) is empty, and
 * `unreadable` says why, so the reader can name the cell instead of storing "[object Object]".
 */
function cellText(value: ExcelJS.CellValue, unreadable: (why: string) => void): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((part) => part.text).join('');
    if ('result' in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue, unreadable);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return '';
    const formula = 'formula' in value ? value.formula : 'sharedFormula' in value ? value.sharedFormula : undefined;
    if (typeof formula === 'string') {
      unreadable(`holds the formula =${formula} with no saved result (the file was written without calculating it)`);
      return '';
    }
  }
  unreadable('holds a value Fieldbook cannot show as text');
  return '';
}

/** A survey workbook may be larger than a Word file (a sheet of 100k rows is ~100 MB of XML). */
const SURVEY_XLSX_LIMITS: ZipLimits = { ...OFFICE_ZIP_LIMITS, maxEntryBytes: 1024 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 };
/** Opens an .xlsx workbook and reads one sheet (the chosen one, else the first with data). */
export async function openXlsx(file: string, options: { sheet?: string | undefined } = {}): Promise<TableSource> {
  const display = path.basename(file);
  // The archive is checked first (bounded, no zip bombs); a ZIP64 workbook is handed to exceljs as
  // a plain zip, which its zip reader understands.
  const readable = verifyZipForLibrary(fs.readFileSync(file), display, SURVEY_XLSX_LIMITS);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(readable) as unknown as ArrayBuffer);
  } catch (error) {
    throw new FieldbookError('PARSE_ERROR', `${display} could not be read as an Excel workbook (${(error as Error).message}).`, { file });
  }
  const sheets = workbook.worksheets.map((ws) => ws.name);
  const sheet = options.sheet ? workbook.getWorksheet(options.sheet) : workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (options.sheet && !sheet) {
    throw new FieldbookError('NOT_FOUND', `${display} has no sheet named "${options.sheet}". Its sheets: ${sheets.join(', ')}.`, { file });
  }
  if (!sheet || sheet.actualRowCount === 0) {
    throw new FieldbookError('PARSE_ERROR', `${display} is empty: its sheets have no rows to import.`, { file });
  }
  const ws = sheet;
  const width = ws.columnCount;
  const all: RowBatch = { rows: [], lines: [] };
  const unreadable: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cells.push(cellText(cell.value, (why) => unreadable.push(`${cell.address} ${why}`)).trim());
    }
    if (cells.every((cell) => cell === '')) return;
    all.rows.push(cells);
    all.lines.push(rowNumber);
  });
  return {
    kind: 'xlsx',
    file,
    encoding: { encoding: 'utf-8', bomLength: 0, reason: 'Excel workbook' },
    delimiter: '',
    sheets,
    sheet: ws.name,
    size: fs.statSync(file).size,
    ...(unreadable.length > 0 ? { warnings: [unreadableWarning(display, ws.name, unreadable)] } : {}),
    async *batches(batchOptions = {}) {
      const max = batchOptions.maxRows ?? Infinity;
      yield { rows: all.rows.slice(0, max), lines: all.lines.slice(0, max) };
    },
  };
}

/** One warning for the cells read as empty, naming the first few (Excel's own addresses: C5). */
function unreadableWarning(display: string, sheet: string, cells: string[]): string {
  const more = cells.length > 3 ? ` (and ${cells.length - 3} more cell${cells.length - 3 > 1 ? 's' : ''})` : '';
  return `${display}, sheet "${sheet}": cell ${cells.slice(0, 3).join('; cell ')}${more}. ${cells.length > 1 ? 'These cells were' : 'It was'} read as empty. Open the workbook in Excel and save it to keep the calculated values.`;
}
