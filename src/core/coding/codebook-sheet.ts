import { FieldbookError } from '../../shared/errors';
import type { ImportedCode } from './qdc';

/**
 * Codebooks as spreadsheets: one row per code, the tree given either by a path ("Parent > Child",
 * MAXQDA's code system as Excel, also "Parent\Child") or, in Fieldbook's own export, by the code's
 * name and its level in tree order. A GUID column is kept so a later .qdpx from the same tool finds
 * the same codes; a colour column is read as #rrggbb, rrggbb, #rgb or "r,g,b".
 */

export type SheetCode = ImportedCode & { guid?: string; children: SheetCode[] };

const PATH_COLUMNS = ['path', 'code path', 'code system', 'codesystem', 'code', 'codes', 'code name'];
const COLOR_COLUMNS = ['color', 'colour', 'code color', 'code colour'];
const GUID_COLUMNS = ['guid', 'code guid', 'id'];
const DEFINITION_COLUMNS = ['definition', 'description', 'memo', 'code memo', 'comment'];
const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

function colour(raw: string, where: { file: string; line: number; column: number }): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  let m = /^#?([0-9a-fA-F]{6})$/.exec(value);
  if (m?.[1]) return `#${m[1].toLowerCase()}`;
  m = /^#([0-9a-fA-F]{3})$/.exec(value);
  if (m?.[1]) return `#${[...m[1]].map((c) => c + c).join('').toLowerCase()}`;
  const rgb = /^(?:rgb\()?\s*(\d{1,3})\s*[,;]\s*(\d{1,3})\s*[,;]\s*(\d{1,3})\s*\)?$/i.exec(value);
  if (rgb && rgb.slice(1).every((n) => Number(n) <= 255)) return `#${rgb.slice(1).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
  throw new FieldbookError('PARSE_ERROR', `${where.file}, line ${where.line}: "${value}" is not a colour like #3366cc or 51,102,204.`, { ...where, field: 'color' });
}

/** Whether a table's header is one this reader takes. */
export function isPathSheet(header: string[]): boolean {
  return PATH_COLUMNS.some((c) => header.includes(c));
}

export function parsePathSheet(table: string[][], fileName: string): SheetCode[] {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  const byLevel = header.includes('level') && (header.includes('code') || header.includes('name'));
  const nameColumn = byLevel ? find(['code', 'name']) : find(PATH_COLUMNS);
  if (nameColumn < 0) {
    const shown = (table[0] ?? []).filter((h) => h.trim()).map((h) => `"${h.trim()}"`).join(', ') || 'none';
    throw new FieldbookError(
      'UNSUPPORTED_FORMAT',
      `${fileName}: a codebook needs a "Code" column with each code's path, like "Parent > Child" (or Fieldbook's "name", or Taguette's "tag"). Its columns are: ${shown}.`,
      { file: fileName, line: 1, field: 'Code' },
    );
  }
  const level = header.indexOf('level');
  const colorColumn = find(COLOR_COLUMNS);
  const guidColumn = find(GUID_COLUMNS);
  const definitionColumn = find(DEFINITION_COLUMNS);
  const at = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
  const roots: SheetCode[] = [];
  const stack: SheetCode[] = [];
  table.slice(1).forEach((row, index) => {
    const line = index + 2;
    const raw = at(row, nameColumn);
    if (!raw && row.every((c) => !c.trim())) return;
    if (!raw) throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: the code has no name.`, { file: fileName, line, column: nameColumn + 1 });
    const guid = at(row, guidColumn);
    const fields = {
      definition: at(row, definitionColumn),
      inclusion: at(row, header.indexOf('inclusion')),
      exclusion: at(row, header.indexOf('exclusion')),
      keywords: at(row, header.indexOf('keywords')).split(';').map((k) => k.trim()).filter(Boolean),
      ...(colorColumn >= 0 && at(row, colorColumn) ? { color: colour(at(row, colorColumn), { file: fileName, line, column: colorColumn + 1 }) } : {}),
      ...(GUID.test(guid) ? { guid } : {}),
      record: line,
    };
    if (byLevel) {
      const depth = Number(at(row, level)) - 1;
      if (!Number.isInteger(depth) || depth < 0 || depth > stack.length) {
        throw new FieldbookError('PARSE_ERROR', `${fileName}, line ${line}: level "${at(row, level)}" does not follow the code above it.`, { file: fileName, line, column: level + 1, field: 'level' });
      }
      const code: SheetCode = { name: raw, ...fields, children: [] };
      stack.length = depth;
      (depth === 0 ? roots : (stack[depth - 1] as SheetCode).children).push(code);
      stack.push(code);
      return;
    }
    const names = raw.split(/\s*>\s*|\s*\\\s*/).map((n) => n.trim()).filter(Boolean);
    let siblings = roots;
    names.forEach((name, depth) => {
      let node = siblings.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!node) {
        node = { name, definition: '', inclusion: '', exclusion: '', keywords: [], children: [], record: line };
        siblings.push(node);
      }
      if (depth === names.length - 1) Object.assign(node, fields);
      siblings = node.children;
    });
  });
  return roots;
}
