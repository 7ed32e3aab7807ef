import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/core/core';
import { dispatch } from '../src/core/dispatch';
import { defineRows } from './harness';
import { rows as spssRows } from './spss.bench';
import { xorshift32 } from '../src/core/testing/random';

/**
 * Importing a 1M-row, 40-column survey CSV (~500 MB) into a project, against the sqlite3 CLI's
 * `.import` of the same file into a fresh database, in the same run. The columns are a survey's:
 * an id, a weight, 12 Likert answers, 8 short choices, 10 whole numbers, 4 decimals, 2 dates and
 * 2 open answers (quoted, with commas).
 */
const work = path.join(os.tmpdir(), 'fieldbook-bench', 'survey');
const ROWS = Number(process.env.FIELDBOOK_BENCH_SURVEY_ROWS ?? 1_000_000);
// The name carries the generator's version: a changed generator writes a new file.
export const csvPath = path.join(work, `survey-${ROWS}x40-v2.csv`);

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];
const CHOICES = [
  ['Yes', 'No'],
  ['North', 'South', 'East', 'West', 'Central'],
  ['Female', 'Male', 'Non-binary', 'Prefer not to say'],
  ['Bus', 'Car', 'Bike', 'Walk', 'Train', 'Other'],
];
const WORDS = ['the', 'staff', 'were', 'helpful', 'slow', 'quiet', 'rooms', 'prices', 'opening', 'hours', 'wifi', 'great', 'poor', 'more', 'books'];

export function generateSurveyCsv(file: string, rows: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const next = xorshift32(2463534242);
  const header: string[] = ['respondent_id', 'weight'];
  for (let i = 1; i <= 12; i++) header.push(`agree_${i}`);
  for (let i = 1; i <= 8; i++) header.push(`choice_${i}`);
  for (let i = 1; i <= 10; i++) header.push(`score_${i}`);
  for (let i = 1; i <= 4; i++) header.push(`amount_${i}`);
  header.push('started', 'finished', 'comment', 'suggestion');
  const fd = fs.openSync(`${file}.part`, 'w');
  let buffer: string[] = [header.join(',')];
  const flush = () => {
    fs.writeSync(fd, buffer.join('\n') + '\n');
    buffer = [];
  };
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [`R${String(r).padStart(8, '0')}`, ((next() % 2000) / 1000 + 0.2).toFixed(3)];
    for (let i = 0; i < 12; i++) cells.push(next() % 25 === 0 ? '' : LIKERT[next() % 5]!);
    for (let i = 0; i < 8; i++) {
      const set = CHOICES[i % CHOICES.length]!;
      cells.push(set[next() % set.length]!);
    }
    for (let i = 0; i < 10; i++) cells.push(String(next() % 11));
    for (let i = 0; i < 4; i++) cells.push(((next() % 10_000_000) / 100).toFixed(2));
    const day = next() % 365;
    const d = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + (next() % 86_400) * 1000);
    cells.push(d.toISOString().slice(0, 19).replace('T', ' '));
    cells.push(new Date(d.getTime() + (next() % 3600) * 1000).toISOString().slice(0, 19).replace('T', ' '));
    for (let k = 0; k < 2; k++) {
      if (next() % 3 === 0) cells.push('');
      else {
        const n = 10 + (next() % 20);
        const words: string[] = [];
        for (let w = 0; w < n; w++) words.push(WORDS[next() % WORDS.length]!);
        cells.push(`"${words.slice(0, 3).join(' ')}, ${words.slice(3).join(' ')}"`);
      }
    }
    buffer.push(cells.join(','));
    if (buffer.length >= 10_000) flush();
  }
  flush();
  fs.closeSync(fd);
  fs.renameSync(`${file}.part`, file);
}

/** The 100k-row, 40-variable .sav the SPSS reader's bench writes with PSPP (its first row's setup makes it). */
const spssRead = spssRows[0]!;
const savPath = path.join(os.tmpdir(), 'fieldbook-bench', 'spss', 'survey-100000x40.sav');

async function importInto(projectName: string, file: string, expectRows: number, minVariables: number): Promise<void> {
  const core = createCore({ appDataDir: path.join(work, 'appdata'), host: 'cli', version: 'bench', sampleDir: work });
  try {
    const project = fresh(projectName);
    const call = async (method: 'project.create' | 'survey.import', input: unknown, jobId?: string) => {
      const envelope = await dispatch(core, { method, input, jobId });
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.result;
    };
    await call('project.create', { path: project });
    const result = (await call('survey.import', { path: file, wave: 'bench' }, 'bench-job')) as { rowCount: number; variableCount: number };
    if (result.rowCount !== expectRows || result.variableCount < minVariables) throw new Error(`imported ${result.rowCount} rows, ${result.variableCount} variables`);
  } finally {
    core.close();
  }
}

/** One cell of ~1 MB packed with 150,000 comma-separated items (multi-select detection was cubic in it), and three short rows. */
const packedPath = path.join(work, 'packed-cell-1mb-v1.csv');

function generatePackedCsv(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cell = Array.from({ length: 150_000 }, (_, i) => `opt${i % 1000}`).join(',');
  fs.writeFileSync(file, `id,answers\n1,"${cell}"\n2,"opt1,opt2"\n3,opt1\n4,"opt2,opt3"\n`);
}

/** One quoted answer of ~50 MB with a doubled quote every few characters (the reader rescanned it on every chunk), and two short rows. */
const quotedPath = path.join(work, 'quoted-cell-50mb-v1.csv');

function generateQuotedCsv(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const unit = 'she said ""no"", then ""yes""; ';
  const cell = unit.repeat(Math.ceil((50 * 1024 * 1024) / unit.length));
  fs.writeFileSync(file, `id,comment\n1,"${cell}"\n2,short\n3,"also ""short"""\n`);
}

function fresh(name: string): string {
  const file = path.join(work, name);
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
  return file;
}

export const rows = defineRows([
  {
    name: `import a ${ROWS.toLocaleString('en')}-row, 40-column survey CSV (${ROWS >= 1_000_000 ? '~500 MB' : 'smaller'}) into a project`,
    baseline: 'sqlite3 CLI .import of the same file',
    target: '≤ 1.0×, peak < 1 GB',
    repeat: 1,
    setup() {
      if (!fs.existsSync(csvPath)) generateSurveyCsv(csvPath, ROWS);
    },
    async ours() {
      await importInto('bench.fieldbook', csvPath, ROWS, 40);
    },
    base() {
      const db = fresh('baseline.sqlite');
      execFileSync('sqlite3', [db, '-cmd', '.mode csv', `.import '${csvPath}' answers`], { stdio: 'inherit' });
      const count = execFileSync('sqlite3', [db, 'SELECT count(*) FROM answers']).toString().trim();
      if (Number(count) !== ROWS) throw new Error(`sqlite3 imported ${count} rows`);
    },
  },
  {
    name: '1 MB comma-packed cell import (one answer of 150,000 comma-separated items)',
    baseline: 'sqlite3 CLI .import of the same file',
    target: '< 1 s (was minutes: cubic splitting)',
    repeat: 3,
    setup() {
      if (!fs.existsSync(packedPath)) generatePackedCsv(packedPath);
    },
    async ours() {
      await importInto('bench-packed.fieldbook', packedPath, 4, 2);
    },
    base() {
      const db = fresh('baseline-packed.sqlite');
      execFileSync('sqlite3', [db, '-cmd', '.mode csv', `.import '${packedPath}' answers`], { stdio: 'inherit' });
    },
  },
  {
    name: '50 MB quoted cell import (one answer full of doubled quotes)',
    baseline: 'sqlite3 CLI .import of the same file',
    target: 'seconds (was quadratic: a 4 MB cell took over 11 minutes)',
    repeat: 3,
    setup() {
      if (!fs.existsSync(quotedPath)) generateQuotedCsv(quotedPath);
    },
    async ours() {
      await importInto('bench-quoted.fieldbook', quotedPath, 3, 2);
    },
    base() {
      const db = fresh('baseline-quoted.sqlite');
      execFileSync('sqlite3', [db, '-cmd', '.mode csv', `.import '${quotedPath}' answers`], { stdio: 'inherit' });
    },
  },
  {
    name: 'import a 100k-row, 40-variable SPSS .sav into a project (read, encode, store)',
    baseline: "GNU PSPP: GET FILE='x.sav'. EXECUTE.",
    target: '< 1.0× (faster than PSPP)',
    repeat: 3,
    async setup() {
      fs.mkdirSync(work, { recursive: true });
      await spssRead.setup?.();
    },
    async ours() {
      await importInto('bench-sav.fieldbook', savPath, 100_000, 40);
    },
    base() {
      spssRead.base();
    },
  },
]);
