import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';

/**
 * Spreadsheet formula injection: a cell that starts with = + - @ (or a tab or carriage return,
 * which some programs skip before looking) is run as a formula by Excel, LibreOffice and Sheets.
 * A leading apostrophe makes it text in all of them. Plain numbers ("-3", "+44") are left alone
 * so analysis-ready exports keep their values.
 */
export function neutraliseCell(value: string): string {
  if (value === '' || !/^[=+\-@\t\r]/.test(value)) return value;
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return value;
  return `'${value}`;
}

/** RFC 4180 CSV: every cell neutralised, quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}

/** TSV for the clipboard: tabs and line breaks inside a cell would break the grid, so they become spaces. */
export function tsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return neutraliseCell(value).replace(/[\t\r\n]+/g, ' ');
}

export function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Text that Markdown prints as it is and never reads as markup: raw HTML (`<img onerror=…>`,
 * `<script>`), links and images (`[x](javascript:…)`), autolinks (`<javascript:…>`), emphasis,
 * code, strikethrough, table pipes. `<` and `>` become entities, which every renderer prints as the
 * characters (not all honour a backslash before HTML); Markdown's own punctuation gets a backslash.
 */
export function mdText(value: string): string {
  return value
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** mdText for text that starts lines: a leading #, -, +, = or "1." would make a heading or a list. */
export function mdLines(value: string): string {
  return mdText(value)
    .replace(/^(\s*)([#+=-])/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.');
}

/** Markdown table cell: mdText, and a line break (which would end the row) as <br>. */
export function mdCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return mdText(String(value)).replace(/\r?\n/g, '<br>');
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** A file name that every OS accepts: no separators, control or reserved characters, not reserved on Windows. */
export function sanitiseFileName(name: string, fallback = 'export'): string {
  let clean = name.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_').replace(/\s+/g, ' ').trim();
  clean = clean.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (clean === '' || WINDOWS_RESERVED.test(clean)) clean = clean === '' ? fallback : `_${clean}`;
  // Most file systems stop at 255 bytes; leave room for an extension and a counter.
  while (Buffer.byteLength(clean, 'utf8') > 200) clean = clean.slice(0, -1);
  return clean;
}

/**
 * The path an export is written to: the folder as chosen, the file name sanitised, the expected
 * extension added when it is missing. The folder must exist.
 */
export function outputPath(requested: string, extension: string): string {
  const absolute = path.resolve(requested);
  const dir = path.dirname(absolute);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new FieldbookError('NOT_FOUND', `The folder ${dir} does not exist. Choose another place to save the file.`, { file: absolute });
  }
  let base = path.basename(absolute);
  const wanted = `.${extension}`;
  if (base.toLowerCase().endsWith(wanted)) base = base.slice(0, -wanted.length);
  return path.join(dir, `${sanitiseFileName(base)}${wanted}`);
}

/** Writes through a temporary file and a rename, so a failed export never leaves half a file. */
export function writeFileAtomic(target: string, data: Uint8Array | string): number {
  const temp = `${target}.${process.pid}.${Date.now()}.part`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new FieldbookError('IO_ERROR', `Could not write ${path.basename(target)}: ${(error as Error).message}`, { file: target });
  }
  return fs.statSync(target).size;
}
