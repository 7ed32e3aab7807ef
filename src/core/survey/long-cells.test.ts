import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, type TestCore } from '../testing/index';
import { RowCarry } from './table';

/**
 * Cells a hostile or careless file can hold: one answer packed with thousands of commas, one
 * quoted answer of many MB full of doubled quotes. Both were worse than quadratic (a 16 KB packed
 * cell took minutes; a 4 MB quoted cell over 11 minutes); they must take seconds, and a cancel
 * must reach the import while such a row is still being read.
 */
let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

/** Bounds with room for a loaded 2-core machine; the old code took minutes on each. */
const SECONDS = 20;

function packedCell(bytes: number): string {
  const items: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const item = `opt${i % 1000}`;
    items.push(item);
    length += item.length + 1;
  }
  return items.join(',');
}

/** Text whose CSV form is `"…"` with a doubled quote every few characters. */
function quotedText(bytes: number): string {
  const unit = 'she said "no", then "yes"; ';
  return unit.repeat(Math.ceil(bytes / unit.length)).trimEnd();
}

function writeCsv(name: string, header: string, rows: string[]): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, [header, ...rows].join('\n') + '\n');
  return file;
}

const csvQuote = (text: string) => `"${text.replaceAll('"', '""')}"`;

async function timed<T>(work: Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await work;
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** The answer stored for a respondent row of an open-text column (its turn in the column's document). */
function storedAnswer(column: string, row: number): string {
  const db = t.core.currentProject()!.db;
  const hit = db
    .prepare(
      `SELECT substr(d.text, u.start_char + 1, u.end_char - u.start_char) AS answer
         FROM turn u JOIN document d ON d.id = u.document_id JOIN variable v ON v.id = d.variable_id
        WHERE v.name = ? AND u.respondent_row = ?`,
    )
    .get(column, row) as { answer: string } | undefined;
  if (!hit) throw new Error(`no answer stored for ${column} row ${row}`);
  return hit.answer;
}

describe('a cell packed with commas', () => {
  for (const bytes of [16 * 1024, 1024 * 1024]) {
    it(`${bytes / 1024} KB: --preview and the import end in seconds, the answer kept whole`, async () => {
      await t.newProject();
      const cell = packedCell(bytes);
      const file = writeCsv('packed.csv', 'id,answers', [`1,"${cell}"`, '2,"opt1,opt2"', '3,opt1', '4,"opt2,opt3"']);
      const preview = await timed(t.call('survey.preview', { path: file }));
      expect(preview.seconds).toBeLessThan(SECONDS);
      expect(preview.value.columns.map((c) => c.name)).toEqual(['id', 'answers']);
      const imported = await timed(t.call('survey.import', { path: file, wave: 'w' }));
      expect(imported.seconds).toBeLessThan(SECONDS);
      expect(imported.value.rowCount).toBe(4);
      // A cell this long is no option list: kept as the respondent's text.
      expect(preview.value.columns[1]!.type).toBe('text');
      const stored = storedAnswer('answers', 0);
      expect({ length: stored.length, same: stored === cell }).toEqual({ length: cell.length, same: true });
    }, 60_000);
  }
});

describe('a long quoted cell with doubled quotes', () => {
  it('4 MB: --preview and the import end in seconds, the quotes read back single', async () => {
    await t.newProject();
    const text = quotedText(4 * 1024 * 1024);
    const file = writeCsv('quoted.csv', 'id,comment', [`1,${csvQuote(text)}`, '2,short', '3,"also ""short"""']);
    const preview = await timed(t.call('survey.preview', { path: file }));
    expect(preview.seconds).toBeLessThan(SECONDS);
    expect(preview.value.rowsRead).toBe(3);
    const imported = await timed(t.call('survey.import', { path: file, wave: 'w' }));
    expect(imported.seconds).toBeLessThan(SECONDS);
    const stored = storedAnswer('comment', 0);
    // Compared as a flag: a failure must not print 8 MB.
    expect({ length: stored.length, same: stored === text }).toEqual({ length: text.length, same: true });
    expect(storedAnswer('comment', 2)).toBe('also "short"');
  }, 60_000);

  it('a cancel reaches the import while one long row is still being gathered, and nothing is written', async () => {
    const projectPath = await t.newProject();
    const text = quotedText(40 * 1024 * 1024);
    // Old Mac line breaks (CR alone): the text parser reads it, not the bytes reader.
    const file = path.join(t.dir, 'long.csv');
    fs.writeFileSync(file, `id;comment\r1;${csvQuote(text)}\r2;short\r`);
    const before = fs.readFileSync(projectPath);
    let cancelled: Promise<unknown> | null = null;
    const stop = t.core.onEvent((event) => {
      if (cancelled === null && event.type === 'progress' && event.jobId === 'long-row') cancelled = t.call('jobs.cancel', { jobId: 'long-row' });
    });
    const started = performance.now();
    const timer = setTimeout(() => {
      cancelled ??= t.call('jobs.cancel', { jobId: 'long-row' });
    }, 300);
    const error = await failure(t.call('survey.import', { path: file, wave: 'w' }, 'long-row'));
    clearTimeout(timer);
    stop();
    expect(error.code).toBe('CANCELLED');
    expect((performance.now() - started) / 1000).toBeLessThan(SECONDS);
    expect(await cancelled).toEqual({ cancelled: true });
    expect(fs.readFileSync(projectPath).equals(before)).toBe(true);
  }, 60_000);
});

describe('RowCarry', () => {
  /** The rows' end by the definition: the last line break with an even number of quotes before it. */
  function lastBoundary(text: string): number {
    let quotes = 0;
    let cut = -1;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '"') quotes++;
      else if (text[i] === '\n' && quotes % 2 === 0) cut = i + 1;
    }
    return cut;
  }

  it('hands out exactly the whole rows, however the text is cut into chunks', () => {
    const text = 'a,"b\n""c""\n",d\ne,f\n"""",\n"x\ny"\nz,"\n\n"\ntail,"open\n';
    for (let size = 1; size <= text.length; size++) {
      const carry = new RowCarry(10);
      let seen = '';
      let handed = '';
      for (let at = 0; at < text.length; at += size) {
        const piece = text.slice(at, at + size);
        seen += piece;
        const rows = carry.push(piece);
        const cut = lastBoundary(seen);
        if (rows === null) expect(cut <= handed.length).toBe(true);
        else {
          handed += rows;
          expect(handed).toBe(seen.slice(0, cut));
        }
      }
      expect(handed + carry.take()).toBe(text);
    }
  });
});
