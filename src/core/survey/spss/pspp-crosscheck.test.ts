import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../testing/tools';
import { sharedData, sharedDataAvailable, tempDir } from '../../testing';
import type { ParsedSurvey, ParsedVariable } from '../model';
import { readSpssFile } from './index';

/**
 * A second, independent reader: GNU PSPP's pspp-convert writes every file as CSV, and every cell we
 * read must say the same. Runs where PSPP is installed (Debian package pspp), says why otherwise.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** PSPP's CSV spelling of one of our values. */
function psppSpelling(v: ParsedVariable, row: number): string | undefined {
  if (v.values.kind === 'string') return v.values.values[row] ?? '';
  const x = v.values.values[row]!;
  if (Number.isNaN(x)) return '';
  const format = String(v.meta?.format ?? '');
  if (v.type === 'date') {
    const d = new Date(x);
    if (d.getUTCFullYear() > 9999 || d.getUTCFullYear() < 1583) return undefined; // PSPP prints these oddly
    const day = `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
    return /^(DATETIME|YMDHMS)/.test(format) ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : day;
  }
  if (v.meta?.unit === 'seconds' && /^TIME/.test(format)) {
    const s = Math.floor(x);
    return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  }
  return undefined; // plain numbers are compared as numbers
}

function compareWithPspp(file: string, survey: ParsedSurvey, dir: string): number {
  const csv = path.join(dir, `${path.basename(file)}.csv`);
  execFileSync('pspp-convert', [file, csv], { stdio: 'ignore' });
  const parsed = Papa.parse<string[]>(fs.readFileSync(csv, 'utf8'), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  expect(header, file).toEqual(survey.variables.map((v) => v.name));
  expect(rows.length, file).toBe(survey.rowCount);
  let cells = 0;
  survey.variables.forEach((v, k) => {
    rows.forEach((cols, r) => {
      const cell = (cols[k] ?? '').trim();
      const spelled = psppSpelling(v, r);
      const where = `${path.basename(file)} ${v.name} row ${r + 1}`;
      // SPSS cut tegulu.sav's text inside a UTF-8 character: PSPP shows the fragment as "??",
      // pyreadstat's expected value (and we) drop it.
      const known = path.basename(file) === 'pyreadstat_tegulu.sav' && spelled !== undefined && cell === `${spelled}??`;
      if (spelled !== undefined && !known) expect(cell, where).toBe(spelled.trim());
      else if (v.values.kind === 'number' && !Number.isNaN(v.values.values[r]!) && v.type !== 'date') {
        const x = v.values.values[r]!;
        expect(Math.abs(Number(cell) - x), `${where}: PSPP ${cell}, ours ${x}`).toBeLessThanOrEqual(Math.abs(x) * 1e-12);
      }
      cells++;
    });
  });
  return cells;
}

describe('every cell agrees with GNU PSPP (pspp-convert)', () => {
  beforeAll(() => requireTool('pspp-convert'));
  it('the PSPP-written fixtures', () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const name of ['pspp_utf8_uncompressed.sav', 'pspp_utf8_compressed.sav', 'pspp_utf8.zsav', 'pspp_w1252.sav']) {
        const file = path.join(import.meta.dirname, 'fixtures', name);
        expect(compareWithPspp(file, readSpssFile(file), dir)).toBeGreaterThan(0);
      }
    } finally {
      cleanup();
    }
  });

  it.skipIf(!sharedDataAvailable)('every .sav and .zsav from pyreadstat and haven', () => {
    const { dir, cleanup } = tempDir();
    try {
      const folder = sharedData('survey/spss');
      const files = fs.readdirSync(folder).filter((f) => /\.z?sav$/.test(f));
      expect(files.length).toBeGreaterThanOrEqual(14);
      for (const f of files) compareWithPspp(path.join(folder, f), readSpssFile(path.join(folder, f)), dir);
    } finally {
      cleanup();
    }
  });

  it('5,000 generated cases saved by PSPP uncompressed, bytecode-compressed, zlib-compressed and as .por', () => {
    const { dir, cleanup } = tempDir();
    try {
      let state = 12345;
      const rnd = (n: number): number => {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        return state % n;
      };
      const words = ['yes', 'no', 'Zürich', 'naïve', 'a longer answer with several words', ''];
      const ratings = ['1', '2', '3', '4', '5', '1', '2', '3', '4', '5', '', '-9', '999', '2.5', '151', '152', '-99', '-100', '0'];
      const lines: string[] = [];
      for (let r = 0; r < 5000; r++) {
        const date = `${1950 + rnd(80)}/${pad(1 + rnd(12))}/${pad(1 + rnd(28))}`;
        lines.push(
          [
            r + 1,
            rnd(10) === 0 ? '' : rnd(7),
            (rnd(2_000_000) - 1_000_000) / 1000,
            rnd(1e9) * 1e-3,
            rnd(5) === 0 ? '' : date,
            words[rnd(words.length)],
            `id-${r}`,
            // A labelled scale kept as bytecodes, with the odd answer no bytecode holds.
            ratings[rnd(ratings.length)],
          ].join(','),
        );
      }
      const csv = path.join(dir, 'gen.csv');
      fs.writeFileSync(csv, lines.join('\n') + '\n');
      const syntax = [
        `GET DATA /TYPE=TXT /FILE='${csv}' /ENCODING='UTF-8' /ARRANGEMENT=DELIMITED /DELIMITERS="," /FIRSTCASE=1`,
        '  /VARIABLES=n F6.0 code F2.0 amount F10.3 big F14.3 day SDATE10 answer A40 respid A10 rating F8.2.',
        "VALUE LABELS code 0 'zero' 1 'one' 6 'six'.",
        "VALUE LABELS rating 1 'poor' 5 'great' -9 'refused'.",
        'MISSING VALUES code (6).',
        ...['UNCOMPRESSED', 'COMPRESSED', 'ZCOMPRESSED'].map((c) => `SAVE OUTFILE='${path.join(dir, `gen-${c}.${c === 'ZCOMPRESSED' ? 'zsav' : 'sav'}`)}' /${c}.`),
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'gen.sps'), syntax);
      execFileSync('pspp', ['-O', 'format=txt', '-o', path.join(dir, 'gen.txt'), path.join(dir, 'gen.sps')], { stdio: 'ignore' });
      for (const c of ['UNCOMPRESSED', 'COMPRESSED', 'ZCOMPRESSED']) {
        const file = path.join(dir, `gen-${c}.${c === 'ZCOMPRESSED' ? 'zsav' : 'sav'}`);
        const survey = readSpssFile(file);
        expect(survey.rowCount).toBe(5000);
        expect(compareWithPspp(file, survey, dir)).toBe(5000 * 8);
      }
      // The same cases as a portable file written by PSPP read the same as the system file.
      const sav = readSpssFile(path.join(dir, 'gen-COMPRESSED.sav'));
      const porFile = path.join(dir, 'gen.por');
      execFileSync('pspp-convert', [path.join(dir, 'gen-COMPRESSED.sav'), porFile], { stdio: 'ignore' });
      const por = readSpssFile(porFile);
      expect(por.format).toBe('por');
      expect(por.rowCount).toBe(5000);
      sav.variables.forEach((v, k) => {
        const p = por.variables[k]!;
        expect(p.name.toLowerCase()).toBe(v.name.toLowerCase());
        expect(p.type).toBe(v.type);
        if (v.values.kind === 'string') expect(p.values.values).toEqual(v.values.values);
        else {
          const a = v.values.values;
          const b = p.values.values as Float64Array;
          for (let r = 0; r < a.length; r++) {
            if (Number.isNaN(a[r]!)) expect(b[r], `${v.name} row ${r + 1}`).toBeNaN();
            else expect(Math.abs(b[r]! - a[r]!), `${v.name} row ${r + 1}`).toBeLessThanOrEqual(Math.abs(a[r]!) * 1e-9);
          }
        }
      });
    } finally {
      cleanup();
    }
  });
});
