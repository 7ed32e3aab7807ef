import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { FieldbookError } from '../../shared/errors';
import type { EvalPassage } from './engine/evaluate';

const TEXT = ['text', 'content', 'quote', 'passage', 'segment'];
const CODE = ['code', 'tag', 'label', 'theme'];
const DOCUMENT = ['document', 'doc', 'file', 'source'];
const ID = ['id', 'passage_id', 'segment_id'];

function pick(headers: readonly string[], names: readonly string[]): string | undefined {
  const lower = headers.map((h) => h.trim().toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0) return headers[i];
  }
  return undefined;
}

/**
 * Reads a coded-text CSV: one row per (passage, code), columns `text` and `code` (also accepted:
 * content/quote, tag/label), optional `document` and `coder`, optional `id`. Rows with the same id
 * (or, without ids, the same document and text) are one passage with several codes.
 */
export function readCodedCsv(file: string): EvalPassage[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FieldbookError('IO_ERROR', `Cannot read ${file}.`, { file });
  }
  const parsed = Papa.parse<Record<string, string>>(raw.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const headers = parsed.meta.fields ?? [];
  const textCol = pick(headers, TEXT);
  const codeCol = pick(headers, CODE);
  if (!textCol || !codeCol) {
    throw new FieldbookError(
      'PARSE_ERROR',
      `${path.basename(file)} needs a "text" column and a "code" column; it has: ${headers.join(', ') || 'no header'}.`,
      { file, line: 1 },
    );
  }
  const docCol = pick(headers, DOCUMENT);
  const idCol = pick(headers, ID);
  const firstError = parsed.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (firstError) {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}: ${firstError.message}.`, {
      file,
      ...(firstError.row !== undefined ? { record: firstError.row + 1 } : {}),
    });
  }
  const passages = new Map<string, EvalPassage>();
  parsed.data.forEach((row, i) => {
    const text = (row[textCol] ?? '').trim();
    const code = (row[codeCol] ?? '').trim();
    if (!text || !code) {
      throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}: record ${i + 1} has an empty ${!text ? textCol : codeCol}.`, {
        file,
        record: i + 1,
        field: !text ? textCol : codeCol,
      });
    }
    const group = docCol ? (row[docCol] ?? '').trim() : '';
    const key = idCol && row[idCol] ? `id:${row[idCol]}` : `${group}\u0000${text}`;
    let passage = passages.get(key);
    if (!passage) passages.set(key, (passage = { text, codes: [], group: group || key }));
    if (!passage.codes.includes(code)) passage.codes.push(code);
  });
  if (passages.size === 0) throw new FieldbookError('PARSE_ERROR', `${path.basename(file)} has no coded passages.`, { file });
  return [...passages.values()];
}
