import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeColumn } from '../src/core/survey/columns';
import { openProject } from '../src/core/store/project';
import { defineRows } from './harness';
import { xorshift32 } from '../src/core/testing/random';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'project');
const ROWS = 1_000_000;
const COLS = 40;
const csvPath = path.join(work, `survey-${ROWS}x${COLS}.csv`);
const schemaPath = path.join(work, 'schema.sql');

/** Deterministic answer codes 1..5 (xorshift), the same for our writer and the CSV. */
function answers(): Int32Array[] {
  const next = xorshift32(2463534242);
  const columns = Array.from({ length: COLS }, () => new Int32Array(ROWS));
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) columns[c]![r] = (next() % 5) + 1;
  }
  return columns;
}

let columns: Int32Array[] | null = null;
let counter = 0;

function fresh(name: string): string {
  counter += 1;
  const file = path.join(work, `${name}-${process.pid}-${counter}`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

const root = path.resolve(import.meta.dirname, '..');
let infoProject = '';

export const rows = defineRows([
  {
    name: '`fieldbook info` on a project (CLI start-up, bundle already made)',
    baseline: "sqlite3 CLI: `sqlite3 FILE 'select 1'`",
    target: '< 0.3 s',
    repeat: 9,
    setup() {
      fs.mkdirSync(work, { recursive: true });
      infoProject = fresh('info.fieldbook');
      openProject(infoProject, { create: true }).close();
      // The first call makes the bundle (bin/cli-entry.mjs); the timed calls find it.
      execFileSync(process.execPath, [path.join(root, 'bin', 'fieldbook.mjs'), 'info', infoProject, '--json']);
    },
    ours() {
      execFileSync(process.execPath, [path.join(root, 'bin', 'fieldbook.mjs'), 'info', infoProject, '--json']);
    },
    base() {
      execFileSync('sqlite3', [infoProject, 'select 1']);
    },
  },
  {
    name: 'create and open a project',
    baseline: 'sqlite3 CLI: create a WAL file with the same schema',
    repeat: 9,
    setup() {
      fs.mkdirSync(work, { recursive: true });
      if (!fs.existsSync(schemaPath)) {
        const file = fresh('schema');
        openProject(file, { create: true }).close();
        // Full-text tables are left out: Debian's sqlite3 CLI may predate our FTS5 tokenizer options.
        const schema = execFileSync('sqlite3', [file, '.schema'], { encoding: 'utf8' })
          .split(/;\n/)
          .filter((statement) => !/VIRTUAL TABLE|CREATE TABLE IF NOT EXISTS '|TRIGGER|^\s*END/i.test(statement))
          .join(';\n');
        fs.writeFileSync(schemaPath, `PRAGMA journal_mode=WAL;\n${schema};\n`);
      }
    },
    ours() {
      const file = fresh('ours.fieldbook');
      openProject(file, { create: true }).close();
      openProject(file).close();
    },
    base() {
      const file = fresh('base.db');
      execFileSync('sqlite3', [file], { input: fs.readFileSync(schemaPath) });
      execFileSync('sqlite3', [file, 'SELECT count(*) FROM sqlite_schema;']);
    },
  },
  {
    name: 'write 1M rows of a 40-column survey',
    baseline: 'sqlite3 CLI .import of the same CSV',
    target: 'report',
    repeat: 3,
    setup() {
      fs.mkdirSync(work, { recursive: true });
      columns = answers();
      if (!fs.existsSync(csvPath)) {
        const out = fs.openSync(csvPath, 'w');
        fs.writeSync(out, `${Array.from({ length: COLS }, (_, c) => `Q${c + 1}`).join(',')}\n`);
        const chunk: string[] = [];
        for (let r = 0; r < ROWS; r++) {
          const line = new Array<number>(COLS);
          for (let c = 0; c < COLS; c++) line[c] = columns[c]![r]!;
          chunk.push(line.join(','));
          if (chunk.length === 20_000) {
            fs.writeSync(out, `${chunk.join('\n')}\n`);
            chunk.length = 0;
          }
        }
        if (chunk.length) fs.writeSync(out, `${chunk.join('\n')}\n`);
        fs.closeSync(out);
      }
    },
    ours() {
      const project = openProject(fresh('write.fieldbook'), { create: true });
      const data = columns!;
      project.transaction(() => {
        const dataset = project.db
          .prepare("INSERT INTO dataset (name, wave, source_file, format, row_count) VALUES ('bench', '2025', ?, 'csv', ?)")
          .run(csvPath, ROWS).lastInsertRowid;
        const variable = project.db.prepare("INSERT INTO variable (dataset_id, position, name, type) VALUES (?, ?, ?, 'single')");
        const label = project.db.prepare('INSERT INTO value_label (variable_id, code, label, position) VALUES (?, ?, ?, ?)');
        const blob = project.db.prepare("INSERT INTO variable_data (variable_id, encoding, data) VALUES (?, 'i32', ?)");
        data.forEach((values, c) => {
          const id = variable.run(dataset, c, `Q${c + 1}`).lastInsertRowid;
          for (let k = 1; k <= 5; k++) label.run(id, k, `Option ${k}`, k);
          blob.run(id, encodeColumn({ encoding: 'i32', values }));
        });
      });
      project.close();
    },
    base() {
      const file = fresh('import.db');
      execFileSync('sqlite3', [file, '-cmd', '.mode csv', '.import ' + csvPath.replaceAll(' ', '\\ ') + ' survey']);
    },
  },
]);
