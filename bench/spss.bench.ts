import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/core/core';
import { readSpssFile } from '../src/core/survey/spss/index';
import { dispatch } from '../src/core/dispatch';
import { defineRows, type BenchRow } from './harness';
import { xorshift32 } from '../src/core/testing/random';

/**
 * Reading a 100k-row (and a 1M-row), 40-variable .sav written by GNU PSPP, against PSPP itself reading the same
 * file (GET FILE + EXECUTE passes every case through). The mix is a survey's: 30 coded answers with
 * value labels (bytecode-compressed), 5 decimals (raw doubles), 2 dates, 3 strings of 8-40 bytes.
 *
 * The baseline reads the data, not only the dictionary: GET FILE alone returns at once (0.00 s,
 * 12 MB peak, 100k rows), because PSPP reads cases lazily; with EXECUTE it takes 0.09 s and 58 MB,
 * 1.45 s for 1M rows (checked with /usr/bin/time on PSPP 1.6.2), so every case is decoded.
 */
const work = path.join(os.tmpdir(), 'fieldbook-bench', 'spss');
const savFor = (rows: number): string => path.join(work, `survey-${rows}x40.sav`);

function generate(ROWS: number): void {
  fs.mkdirSync(work, { recursive: true });
  const savPath = savFor(ROWS);
  const csvPath = path.join(work, `survey-${ROWS}x40.csv`);
  const next = xorshift32(88172645);
  const words = ['yes', 'no', 'maybe', 'often', 'rarely', 'never', 'always', 'sometimes'];
  const out = fs.openSync(csvPath, 'w');
  let lines: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 30; c++) cells.push(next() % 20 === 0 ? '' : String((next() % 5) + 1));
    for (let c = 0; c < 5; c++) cells.push(((next() % 1_000_000) / 100 - 2500).toFixed(2));
    for (let c = 0; c < 2; c++) {
      const d = new Date(Date.UTC(2000, 0, 1) + (next() % 9000) * 86_400_000);
      cells.push(`${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`);
    }
    cells.push(`R${String(r).padStart(7, '0')}`);
    cells.push(words[next() % words.length]!);
    cells.push(next() % 3 === 0 ? '' : `${words[next() % words.length]} and ${words[next() % words.length]} comment`);
    lines.push(cells.join(','));
    if (lines.length === 50_000) {
      fs.writeSync(out, lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(out, lines.join('\n') + '\n');
  fs.closeSync(out);
  const vars = [
    ...Array.from({ length: 30 }, (_, i) => `q${i + 1} F1.0`),
    ...Array.from({ length: 5 }, (_, i) => `amount${i + 1} F8.2`),
    'started SDATE10',
    'finished SDATE10',
    'respid A8',
    'mood A12',
    'comment A40',
  ];
  const labels = Array.from({ length: 30 }, (_, i) => `q${i + 1}`).join(' ');
  const syntax = [
    `GET DATA /TYPE=TXT /FILE='${csvPath}' /ARRANGEMENT=DELIMITED /DELIMITERS="," /FIRSTCASE=1`,
    `  /VARIABLES=${vars.join(' ')}.`,
    `VALUE LABELS ${labels} 1 'Strongly disagree' 2 'Disagree' 3 'Neutral' 4 'Agree' 5 'Strongly agree'.`,
    `SAVE OUTFILE='${savPath}' /COMPRESSED.`,
    '',
  ].join('\n');
  const sps = path.join(work, 'make.sps');
  fs.writeFileSync(sps, syntax);
  execFileSync('pspp', ['-O', 'format=txt', '-o', path.join(work, 'make.txt'), sps], { stdio: 'ignore' });
  fs.rmSync(csvPath);
}

function row(rows: number, repeat: number): BenchRow {
  const savPath = savFor(rows);
  const readSyntax = path.join(work, `read-${rows}.sps`);
  return {
    name: `read a ${rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`}-row, 40-variable SPSS .sav`,
    baseline: "GNU PSPP: GET FILE='x.sav'. EXECUTE.",
    target: '< 1.0× (faster than PSPP)',
    repeat,
    setup() {
      if (!fs.existsSync(savPath)) generate(rows);
      fs.writeFileSync(readSyntax, `GET FILE='${savPath}'.\nEXECUTE.\n`);
    },
    ours() {
      const survey = readSpssFile(savPath);
      if (survey.rowCount !== rows || survey.variables.length !== 40) throw new Error(`read ${survey.rowCount} rows × ${survey.variables.length} variables`);
    },
    base() {
      execFileSync('pspp', ['-O', 'format=txt', '-o', path.join(work, `read-${rows}.txt`), readSyntax], { stdio: 'ignore' });
    },
  };
}

/**
 * The issue's target row: the same 100k-row file imported into a fresh project through the core
 * (read, type, encode, store, commit; the core and project made per run, as the app would), against
 * the same PSPP baseline. bench/survey.bench.ts prints it too, after its 1M-row CSV row; here it
 * runs without that.
 */
function importRow(rows: number, repeat: number): BenchRow {
  const read = row(rows, repeat);
  const project = path.join(work, `import-${rows}.fieldbook`);
  return {
    name: `import a ${rows / 1000}k-row, 40-variable SPSS .sav into a project (read, encode, store)`,
    baseline: read.baseline,
    target: read.target ?? '',
    repeat,
    setup: read.setup?.bind(read),
    async ours() {
      const core = createCore({ appDataDir: path.join(work, 'appdata'), host: 'cli', version: 'bench', sampleDir: work });
      try {
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(project + suffix, { force: true });
        const call = async (method: 'project.create' | 'survey.import', input: unknown, jobId?: string): Promise<unknown> => {
          const envelope = await dispatch(core, { method, input, jobId });
          if (!envelope.ok) throw new Error(envelope.error.message);
          return envelope.result;
        };
        await call('project.create', { path: project });
        const result = (await call('survey.import', { path: savFor(rows), wave: 'bench' }, 'bench-job')) as { rowCount: number; variableCount: number };
        if (result.rowCount !== rows || result.variableCount !== 40) throw new Error(`imported ${result.rowCount} rows, ${result.variableCount} variables`);
      } finally {
        core.close();
      }
    },
    base: read.base.bind(read),
  };
}

// The issue's row is 100k; 1M shows how both scale (PSPP was measured at 9.0 s for 1M here).
export const rows = defineRows([row(100_000, 7), row(1_000_000, 3), importRow(100_000, 5)]);
