import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { CodebookImportResult } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { createCodeWith, listCodes } from './codebook';
import { cached } from '../store/statements';
import { runOperation } from '../history/history';
import { decodeText } from '../transcripts/parse/decode';
import { isZip, QDPX_ZIP_LIMITS, readZipDirectory, readZipEntry } from '../zip/safe-zip';
import { readQdc, writeQdc, type ImportedCode } from './qdc';
import { parsePathSheet } from './codebook-sheet';
import { readSheet } from '../transcripts/participants';

/**
 * Codebook files in and out: our CSV (one row per code, tree by id/parent_id), Taguette's codebook
 * CSV (tag, description, number of highlights), QualCoder's plain text ("cat>>sub>>code<TAB>memo")
 * and REFI-QDA .qdc/.qde. Every import is parsed completely before anything is written, then lands
 * as one undoable operation, so a bad file leaves the codebook exactly as it was.
 */

const CSV_COLUMNS = ['id', 'parent_id', 'name', 'color', 'shortcut', 'definition', 'inclusion', 'exclusion', 'keywords', 'quotes', 'participants'];

/** A spreadsheet would run a cell starting with = + - @ as a formula: quote it. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function unsafeCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function exportCodebookCsv(project: Project): string {
  const codes = listCodes(project);
  const rows = codes.map((c) => [
    String(c.id),
    c.parentId === null ? '' : String(c.parentId),
    safeCell(c.name),
    c.color,
    c.shortcut ?? '',
    safeCell(c.definition),
    safeCell(c.inclusion),
    safeCell(c.exclusion),
    safeCell(c.keywords.join('; ')),
    String(c.quoteCount),
    String(c.participantCount),
  ]);
  // BOM: Excel on Windows reads UTF-8 CSV correctly only with it.
  return '\ufeff' + Papa.unparse({ fields: CSV_COLUMNS, data: rows }, { newline: '\r\n' }) + '\r\n';
}

export function exportCodebookQdc(project: Project): string {
  return writeQdc(listCodes(project), project.meta('created_at') ?? project.path);
}

interface ParsedCodebook {
  format: CodebookImportResult['format'];
  codes: (ImportedCode & { shortcut?: string | null; guid?: string })[];
}

function parseCsvRows(text: string, fileName: string): string[][] {
  const result = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: 'greedy' });
  // A one-column file has no delimiter to detect; papaparse reports that but parses it fine.
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    throw new FieldbookError('PARSE_ERROR', `${fileName}: ${fatal.message}.`, {
      file: fileName,
      ...(fatal.row !== undefined ? { line: fatal.row + 1 } : {}),
    });
  }
  return result.data;
}

function parseOurCsv(rows: string[][], header: string[], fileName: string): ParsedCodebook {
  const col = (name: string) => header.indexOf(name);
  const at = (row: string[], name: string) => {
    const i = col(name);
    return i >= 0 ? unsafeCell((row[i] ?? '').trim()) : '';
  };
  const byKey = new Map<string, ImportedCode & { shortcut?: string | null; parentKey: string }>();
  const order: (ImportedCode & { shortcut?: string | null; parentKey: string })[] = [];
  rows.slice(1).forEach((row, index) => {
    const line = index + 2;
    const name = at(row, 'name');
    if (!name) throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: the code has no name.`, { file: fileName, line, field: 'name' });
    const color = at(row, 'color');
    if (color && !/^#[0-9a-fA-F]{6}$/.test(color)) {
      throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: "${color}" is not a colour like #3366cc.`, {
        file: fileName,
        line,
        column: col('color') + 1,
        field: 'color',
      });
    }
    const shortcut = at(row, 'shortcut');
    if (shortcut && !/^[0-9a-zA-Z]$/.test(shortcut)) {
      throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: a shortcut is one letter or digit, not "${shortcut}".`, {
        file: fileName,
        line,
        column: col('shortcut') + 1,
        field: 'shortcut',
      });
    }
    const key = at(row, 'id') || `line${line}`;
    const code = {
      name,
      ...(color ? { color: color.toLowerCase() } : {}),
      definition: at(row, 'definition'),
      inclusion: at(row, 'inclusion'),
      exclusion: at(row, 'exclusion'),
      keywords: at(row, 'keywords')
        .split(';')
        .map((k) => k.trim())
        .filter(Boolean),
      shortcut: shortcut || null,
      children: [],
      record: line,
      parentKey: at(row, 'parent_id'),
    };
    if (byKey.has(key)) throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: the id ${key} is used twice.`, { file: fileName, line });
    byKey.set(key, code);
    order.push(code);
  });
  const roots: ParsedCodebook['codes'] = [];
  for (const code of order) {
    if (!code.parentKey) {
      roots.push(code);
      continue;
    }
    const parent = byKey.get(code.parentKey);
    if (!parent) {
      throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${code.record}: parent_id ${code.parentKey} is not the id of any code in the file.`, {
        file: fileName,
        line: code.record,
        field: 'parent_id',
      });
    }
    parent.children.push(code);
  }
  // A cycle (a is b's parent, b is a's) leaves codes that no root reaches.
  const reached = new Set<ImportedCode>();
  const walk = (c: ImportedCode) => {
    reached.add(c);
    c.children.forEach(walk);
  };
  roots.forEach(walk);
  const lost = order.find((c) => !reached.has(c));
  if (lost) throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${lost.record}: this code is its own ancestor.`, { file: fileName, line: lost.record });
  return { format: 'csv', codes: roots };
}

function parseTaguette(rows: string[][], header: string[], fileName: string): ParsedCodebook {
  const tag = header.indexOf('tag');
  const description = header.indexOf('description');
  const codes = rows.slice(1).map((row, index) => {
    const line = index + 2;
    const name = (row[tag] ?? '').trim();
    if (!name) throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: the tag has no name.`, { file: fileName, line, column: tag + 1 });
    return {
      name,
      definition: description >= 0 ? (row[description] ?? '').trim() : '',
      inclusion: '',
      exclusion: '',
      keywords: [],
      children: [],
      record: line,
    };
  });
  return { format: 'taguette', codes };
}

/** QualCoder: each line a path of categories ending in a code, optionally a tab and a memo. */
function parseQualCoder(text: string): ParsedCodebook {
  const roots: ImportedCode[] = [];
  const find = (list: ImportedCode[], name: string) => list.find((c) => c.name.toLowerCase() === name.toLowerCase());
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    if (!raw.trim()) return;
    const [pathPart = '', ...memoParts] = raw.split('\t');
    const names = pathPart
      .split('>>')
      .map((n) => n.trim())
      .filter(Boolean);
    let level = roots;
    names.forEach((name, depth) => {
      let node = find(level, name);
      if (!node) {
        node = { name, definition: '', inclusion: '', exclusion: '', keywords: [], children: [], record: index + 1 };
        level.push(node);
      }
      if (depth === names.length - 1 && memoParts.length) node.definition = memoParts.join('\t').trim();
      level = node.children;
    });
  });
  return { format: 'qualcoder', codes: roots };
}

export function parseCodebook(text: string, fileName: string): ParsedCodebook {
  const ext = path.extname(fileName).toLowerCase();
  const trimmed = text.replace(/^\ufeff/, '').trimStart();
  if (ext === '.qdc' || ext === '.qde' || trimmed.startsWith('<')) return { format: 'qdc', codes: readQdc(trimmed, fileName) };
  if (ext === '.txt') return parseQualCoder(trimmed);
  return parseCodebookTable(parseCsvRows(text, fileName), fileName);
}

/** A codebook as rows of cells (a CSV, or the first sheet of an .xlsx). */
export function parseCodebookTable(rows: string[][], fileName: string): ParsedCodebook {
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  if (header.includes('tag')) return parseTaguette(rows, header, fileName);
  if (header.includes('name') && !header.includes('level')) return parseOurCsv(rows, header, fileName);
  // Paths ("Parent > Child", MAXQDA) or Fieldbook's exported codebook (code + level); the refusal names the column.
  return { format: 'sheet', codes: parsePathSheet(rows, fileName) };
}

/**
 * A .qdpx is a zip holding one project.qde (the case of its name varies by tool) and the sources.
 * Read through the bounded zip reader: only the .qde is unpacked, and never past the size and
 * ratio limits, so a crafted archive is refused before it can exhaust memory.
 */
function qdeFromQdpx(bytes: Uint8Array, fileName: string): string {
  if (!isZip(bytes)) throw new FieldbookError('PARSE_ERROR', `${fileName} is not a readable .qdpx file: it is not a zip archive.`, { file: fileName });
  const entries = readZipDirectory(bytes, fileName, QDPX_ZIP_LIMITS);
  const depth = (name: string) => name.split('/').length;
  const entry = entries
    .filter((e) => !e.isDirectory && /(^|\/)project\.qde$/i.test(e.name))
    .sort((a, b) => depth(a.name) - depth(b.name))[0];
  if (!entry) throw new FieldbookError('UNSUPPORTED_FORMAT', `${fileName} holds no project.qde, so it has no codebook to read.`, { file: fileName });
  return decodeText(readZipEntry(bytes, entry, fileName, QDPX_ZIP_LIMITS), fileName).text;
}

/** Imports a codebook file; codes that already exist at the same place are kept, not duplicated. */
export async function importCodebook(project: Project, input: { path?: string; text?: string; fileName?: string }): Promise<CodebookImportResult> {
  let text = input.text;
  const fileName = input.fileName ?? (input.path ? path.basename(input.path) : 'codebook.csv');
  const ext = path.extname(input.path ?? fileName).toLowerCase();
  let parsed: ParsedCodebook;
  if (text === undefined && input.path && ext === '.xlsx') {
    const sheet = await readSheet(input.path);
    parsed = parseCodebookTable([sheet.columns, ...sheet.rows], fileName);
  } else {
    if (text === undefined) {
      if (!input.path) throw new FieldbookError('INVALID_INPUT', 'Choose a codebook file to import.', { field: 'path' });
      if (ext === '.xls') {
        throw new FieldbookError('UNSUPPORTED_FORMAT', `${fileName} is an Excel 97-2003 workbook: save it as .xlsx (Excel Workbook) and import that.`, { file: fileName });
      }
      const bytes = fs.readFileSync(input.path);
      // Codebooks saved from Excel on Windows are often Windows-1252: detect rather than assume UTF-8.
      text = ext === '.qdpx' ? qdeFromQdpx(bytes, fileName) : decodeText(bytes, fileName).text;
    }
    parsed = parseCodebook(text, fileName);
  }
  return writeCodebook(project, parsed, fileName);
}

function writeCodebook(project: Project, parsed: ParsedCodebook, fileName: string): CodebookImportResult {
  let created = 0;
  let skipped = 0;
  runOperation(project, `Import codebook ${fileName}`, (rec) => {
    const insert = (code: ParsedCodebook['codes'][number], parentId: number | null) => {
      const existing = cached(project.db, 'SELECT id FROM code WHERE parent_id IS ? AND lower(name) = lower(?)').get(parentId, code.name) as
        | { id: number }
        | undefined;
      let id: number;
      if (existing) {
        id = existing.id;
        skipped++;
      } else {
        try {
          id = createCodeWith(rec, project, {
            name: code.name,
            parentId,
            definition: code.definition,
            inclusion: code.inclusion,
            exclusion: code.exclusion,
            keywords: code.keywords,
            ...(code.color ? { color: code.color } : {}),
            ...(code.shortcut ? { shortcut: code.shortcut } : {}),
          });
        } catch (error) {
          if (error instanceof FieldbookError) {
            throw new FieldbookError(error.code, `${fileName}, ${parsed.format === 'qdc' ? 'code' : 'line'} ${code.record}: ${error.message}`, {
              file: fileName,
              ...(parsed.format === 'qdc' ? { record: code.record } : { line: code.record }),
            });
          }
          throw error;
        }
        created++;
      }
      // A GUID from the sheet (MAXQDA) lets a later .qdpx from that tool find this code.
      const guid = code.guid;
      if (guid && !cached(project.db, "SELECT 1 FROM exchange_guid WHERE kind = 'code' AND (local_id = ? OR upper(guid) = upper(?))").get(id, guid)) {
        rec.insert('exchange_guid', { kind: 'code', local_id: id, guid, extra: '{}' });
      }
      for (const child of code.children) insert(child, id);
    };
    for (const code of parsed.codes) insert(code, null);
  });
  return { created, skipped, format: parsed.format };
}
