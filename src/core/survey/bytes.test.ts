import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { failure, tempDir } from '../testing/index';
import { WorkerPool } from '../workers/pool';
import { withCoreTasks } from '../tasks';
import { parseAsciiNumber } from './cell-bytes';
import { findStrayQuote } from './bytes';
import { readSurvey, type ReadResult } from './reader';

const temp = tempDir();
afterAll(() => temp.cleanup());

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];
// 17 digits with a fraction: past the byte reader's 15, so Number() reads it (a 17-digit whole number is
// an id and stays text: large-numbers.test.ts).
const NUMBERS = ['007', '-0', '1.', '.5', '-.5', '1e5', '1234567890123456.5', '0.1', '3.14159', '+5', '99999.99', '-12.50', '123456789012345'];
const DATES = ['2024-03-05', '2024-03-05 14:07:09', '2024-02-29T23:59:59', '03/05/2024', '2024-02-30'];

/**
 * Every shape of cell the byte reader takes or hands back: quotes with doubled quotes, commas and
 * line breaks inside, padded and non-ASCII answers (trim() also removes a no-break space), every
 * form of number Number() reads, ISO and other dates, a column of 3,000 distinct answers, blank
 * lines, a trailing delimiter and empty quoted cells. Over 4 MB, so rows cross the reader's blocks.
 */
function trickyRows(rows: number, delimiter: string): string[] {
  const lines = [['id', 'likert', 'padded', 'number', 'price', 'when', 'code', 'comment', 'other'].join(delimiter)];
  for (let r = 0; r < rows; r++) {
    const comment =
      r % 9 === 0
        ? ''
        : r % 7 === 0
          ? `"She said ""no"", twice${delimiter} then left\nsecond line ${r}"`
          : r % 5 === 0
            ? '""'
            : `"plain answer ${r % 31}${delimiter} with the delimiter"`;
    const padded = [' Agree', 'Agree ', 'Agree\u00a0', 'Café', '日本', 'Agree', '"Agree"', '\u3000日本', '日本\ufeff', '\u2009Café\u202f', 'é', '😀'][r % 12]!;
    const cells = [
      `R${r}`,
      r % 13 === 0 ? '' : LIKERT[r % 5]!,
      padded,
      r < NUMBERS.length * 40 ? NUMBERS[r % NUMBERS.length]! : String(r % 17),
      `${(r % 100_000) / 100}`,
      DATES[r % 40 === 0 ? r % DATES.length : 1]!.replace('14', String(10 + (r % 12))),
      `C${r % 3000}`,
      comment,
      r % 3 === 0 ? `${r % 4}` : '',
    ];
    lines.push(cells.join(delimiter) + (r % 101 === 0 ? delimiter : ''));
    if (r % 997 === 0) lines.push('');
  }
  return lines;
}

function write(name: string, lines: string[], newline = '\n'): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, lines.join(newline) + newline);
  return file;
}

function sameReading(bytes: ReadResult, text: ReadResult): void {
  expect(bytes.survey).toEqual(text.survey);
  expect(bytes.columns).toEqual(text.columns);
  expect(bytes.firstRows).toEqual(text.firstRows);
}

describe('reading rows from the bytes', () => {
  it('gives exactly what the text parser gives, for every shape of cell, across block boundaries', async () => {
    const file = write('tricky.csv', trickyRows(60_000, ','));
    expect(fs.statSync(file).size).toBeGreaterThan(4 * 1024 * 1024);
    const bytes = await readSurvey(file);
    const text = await readSurvey(file, { parser: 'text' });
    expect(bytes.fromBytes).toBe(true);
    expect(text.fromBytes).toBe(false);
    sameReading(bytes, text);
    const byName = Object.fromEntries(bytes.survey.variables.map((v) => [v.name, v]));
    // The reading is what a researcher expects, not merely the same twice.
    expect(bytes.survey.rowCount).toBe(60_000);
    expect(byName.likert?.type).toBe('ordinal');
    expect(byName.code?.type).toBe('text');
    expect(byName.comment?.values.kind).toBe('string');
    const comments = byName.comment!.values.values as (string | null)[];
    expect(comments[7]).toBe('She said "no", twice, then left\nsecond line 7');
    expect(comments[5]).toBeNull();
    const numbers = byName.number!.values.values as Float64Array;
    expect([...numbers.slice(0, NUMBERS.length)]).toEqual(NUMBERS.map(Number));
  });

  it('reads CR LF rows and tab-separated files the same way', async () => {
    const crlf = write('crlf.csv', trickyRows(3000, ','), '\r\n');
    const tsv = write('tricky.tsv', trickyRows(3000, '\t'));
    for (const file of [crlf, tsv]) {
      const bytes = await readSurvey(file);
      expect(bytes.fromBytes).toBe(true);
      sameReading(bytes, await readSurvey(file, { parser: 'text' }));
    }
  });

  it('reads Windows-1252 and MacRoman files from their bytes too, exactly as the text parser does', async () => {
    const pool = new WorkerPool(withCoreTasks({ size: 1 }));
    try {
      for (const encoding of ['windows-1252', 'macintosh']) {
        // Only characters both encodings have (no emoji, no CJK): accented Latin, a no-break space, quotes.
        const lines = trickyRows(20_000, ',').map((line) => line.replaceAll('日本', 'Ørsted').replaceAll('😀', 'naïve').replaceAll('\u3000', ' ').replaceAll('\ufeff', '').replaceAll('\u2009', ' ').replaceAll('\u202f', '\u00a0'));
        const file = path.join(temp.dir, `${encoding}.csv`);
        fs.writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', encoding));
        const bytes = await readSurvey(file, { encoding });
        const text = await readSurvey(file, { encoding, parser: 'text' });
        expect(bytes.survey.encoding).toBe(encoding);
        expect(bytes.fromBytes).toBe(true);
        sameReading(bytes, text);
        const halves = await readSurvey(file, { encoding, parallel: { pool, minBytes: 0 } });
        expect(halves.fromBytes).toBe(true);
        sameReading(halves, text);
        const padded = halves.survey.variables.find((v) => v.name === 'padded')!;
        expect(padded.valueLabels.map((l) => l.label)).toContain('Ørsted');
        expect(padded.valueLabels.map((l) => l.label)).toContain('Café');
      }
    } finally {
      pool.close();
    }
  });

  it('takes a cell longer than its block', async () => {
    const long = 'word '.repeat(1_100_000);
    const file = write('long.csv', ['id,essay', 'R0,before', `R1,"${long}"`, ...Array.from({ length: 20 }, (_, r) => `R${r + 2},short`)]);
    const bytes = await readSurvey(file);
    expect(bytes.fromBytes).toBe(true);
    sameReading(bytes, await readSurvey(file, { parser: 'text' }));
    expect((bytes.survey.variables[1]!.values.values as string[])[1]).toBe(long.trim());
  });

  it('hands a file it does not take to the text parser, which reads it or names the damage the same way', async () => {
    const base = trickyRows(2000, ',');
    const cases: Record<string, string[]> = {
      // A quote inside an unquoted cell: the text parser keeps it as a character.
      'stray-quote.csv': base.map((line) => line.replace(/^R1499,/, 'R1499 12",')),
      // A carriage return alone, in a file of LF rows.
      'lone-cr.csv': base.map((line) => line.replace(/^R699,/, 'R699\rx,')),
      // A row with a cell too many, and one with a cell missing.
      'ragged.csv': base.map((line, i) => (i === 1800 ? `${line},extra` : line)),
      'short.csv': base.map((line, i) => (i === 900 ? line.split(',').slice(0, 4).join(',') : line)),
      // A quote that never closes.
      'unclosed.csv': [...base, 'R9999,Agree,Agree,1,1,2024-03-05,C1,"never closed,'],
      // Something after a closing quote.
      'after-quote.csv': base.map((line) => line.replace(/^R49,/, '"R49"x,')),
    };
    for (const [name, lines] of Object.entries(cases)) {
      expect(lines, name).not.toEqual(base);
      const file = write(name, lines);
      const text = await readSurvey(file, { parser: 'text' }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('result' in text) {
        const bytes = await readSurvey(file);
        expect(bytes.fromBytes, name).toBe(false);
        sameReading(bytes, text.result);
      } else {
        const [a, b] = [await failure(readSurvey(file)), await failure(readSurvey(file, { parser: 'text' }))];
        expect(a?.toInfo(), name).toEqual(b?.toInfo());
        expect(a?.details?.line, name).toBeGreaterThan(1);
      }
    }
  });

  it('names the stray quote itself when the text parser loses count because of it', async () => {
    // Every row holds a quoted line break, so the quote in 12" pairs with the next row's quotes.
    const lines = ['id,size,comment'];
    for (let r = 0; r < 3000; r++) lines.push(`R${r}${r === 1499 ? ' 12"' : ''},large,"said ${r},\nthen"`);
    const file = write('stray-far.csv', lines);
    for (const parser of ['auto', 'text'] as const) {
      const error = await failure(readSurvey(file, { parser }));
      // R1499 starts on line 2 + 2 × 1499; the quote is its ninth character.
      expect(error?.details).toMatchObject({ line: 3000, column: 9 });
      expect(error?.message).toContain('a quote inside a cell that does not start with one');
    }
  });

  it('finds a stray quote in any cell: after a quoted one, past a quoted line break, across blocks', () => {
    const filler = Array.from({ length: 40_000 }, (_, r) => `R${r},"said ""hi"", then",ok`);
    const cases: [string[], { line: number; column: number } | null][] = [
      [['a,b,c', 'R1,"x",12" pizza'], { line: 2, column: 10 }],
      [['a,b,c', 'R1,"two\nlines",fine', 'R2,Zürich 5",x'], { line: 4, column: 12 }],
      [['a,b,c', ...filler, 'R9,ok,6" sub'], { line: 40_002, column: 8 }],
      [['a,b,c', ...filler], null],
    ];
    for (const [lines, at] of cases) {
      const file = write('stray-at.csv', lines);
      expect(findStrayQuote(file, 0, 44), lines.at(-1)).toEqual(at);
    }
  });

  it('reads both halves from the bytes on worker threads, with the same result', async () => {
    const pool = new WorkerPool(withCoreTasks({ size: 1 }));
    try {
      const file = write('halves.csv', trickyRows(20_000, ','));
      const halves = await readSurvey(file, { parallel: { pool, minBytes: 0 } });
      expect(await pool.threaded()).toBe(true);
      expect(halves.fromBytes).toBe(true);
      sameReading(halves, await readSurvey(file, { parser: 'text' }));
    } finally {
      pool.close();
    }
  });
});

describe('parseAsciiNumber', () => {
  it('equals Number() for the plain forms and declines the others', () => {
    const bytes = (text: string) => Buffer.from(text, 'latin1');
    for (const text of ['0', '7', '-0', '007', '1.', '.5', '-.5', '0.1', '0.3', '3.14159', '99999.99', '123456789012345', '-1.000000000001', '4.35', '1.005']) {
      expect(Object.is(parseAsciiNumber(bytes(text), 0, text.length), Number(text)), text).toBe(true);
    }
    for (const text of ['', '-', '.', '1e5', '+5', '1.2.3', '1234567890123456', '0x1f', '1,5', ' 1']) {
      expect(parseAsciiNumber(bytes(text), 0, text.length), text).toBeNaN();
    }
  });

  it('equals Number() on a million random decimals', () => {
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const wrong: string[] = [];
    let read = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const digits = String(next() % 10 ** (1 + (next() % 9))) + String(next() % 10 ** (next() % 7));
      const point = next() % (digits.length + 1);
      const text = `${next() % 2 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`.slice(0, 16);
      const parsed = parseAsciiNumber(Buffer.from(text, 'latin1'), 0, text.length);
      if (Number.isNaN(parsed)) continue;
      read++;
      if (!Object.is(parsed, Number(text))) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    // Nearly all of them are plain forms of at most 15 digits, so the fast path did the reading.
    expect(read).toBeGreaterThan(900_000);
  });
});
