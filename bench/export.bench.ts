import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { QuotePackOptions } from '../src/shared/contract/exports';
import { tableSpecSchema, type TableResult } from '../src/shared/contract/tables';
import { computeTable } from '../src/core/analysis/crosstab';
import { frameFor } from '../src/core/analysis/data';
import { collectQuotePack } from '../src/core/export/quotes/collect';
import { collectProject } from '../src/core/export/refi/collect';
import { qdpxBytes } from '../src/core/export/refi/write';
import { quietJob } from '../src/core/jobs';
import { quotePackDocx, quotePackMarkdown } from '../src/core/export/quotes/render';
import { gridCsv, tableGrid } from '../src/core/export/tables/grid';
import { gridsXlsx } from '../src/core/export/tables/xlsx';
import { openProject, type Project } from '../src/core/store/project';
import { defineRows } from './harness';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'export');
const QUOTES = 5_000;
const TABLES = 50;
const ATTRIBUTES = ['Role', 'Sector', 'Country', 'Company size', 'Cloud', 'Tenure'];
const VALUES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

const options: QuotePackOptions = {
  codeIds: [],
  includeSubcodes: true,
  waves: [],
  attributes: {},
  starredOnly: false,
  pseudonyms: true,
  redact: ['Acme Cloud', 'Globex'],
};

function fresh(name: string): string {
  fs.mkdirSync(work, { recursive: true });
  const file = path.join(work, `${name}-${process.pid}.fieldbook`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

/**
 * 500 interviews of 10 coded quotes each (5,000 quotes over 12 codes, a tenth starred) and 2,000
 * participants with six attributes, written straight into the schema: the bench measures the
 * export, not the importers.
 */
function seed(file: string): Project {
  const project = openProject(file, { create: true });
  const db = project.db;
  project.transaction(() => {
    const attr = ATTRIBUTES.map((name, i) => Number(db.prepare("INSERT INTO attribute (name, type, position) VALUES (?, 'text', ?)").run(name, i).lastInsertRowid));
    const setAttr = db.prepare('INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)');
    const participants: number[] = [];
    for (let p = 0; p < 2_000; p++) {
      const id = Number(db.prepare('INSERT INTO participant (name) VALUES (?)').run(`Participant ${p}`).lastInsertRowid);
      attr.forEach((a, i) => setAttr.run(id, a, VALUES[(p * (i + 3) + i) % VALUES.length]));
      participants.push(id);
    }
    const codes: number[] = [];
    for (let c = 0; c < 12; c++) {
      const parent = c >= 8 ? codes[c - 8] ?? null : null;
      codes.push(Number(db.prepare('INSERT INTO code (parent_id, name, definition, position) VALUES (?, ?, ?, ?)').run(parent, `Theme ${c}`, `What theme ${c} is about.`, c).lastInsertRowid));
    }
    const insertDoc = db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', ?, 'txt', ?, ?)");
    const insertSegment = db.prepare('INSERT INTO segment (document_id, start_char, end_char, text, starred) VALUES (?, ?, ?, ?, ?)');
    const insertCoding = db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)');
    let q = 0;
    for (let d = 0; d < QUOTES / 10; d++) {
      const sentences = Array.from(
        { length: 10 },
        (_, s) => `In answer ${s}, I said we moved to Acme Cloud because support at Globex was slow, and costs kept rising every quarter (${d}).`,
      );
      const text = sentences.join('\n\n');
      const doc = Number(insertDoc.run(`Interview ${d}`, text, participants[d % participants.length]).lastInsertRowid);
      let at = 0;
      for (const sentence of sentences) {
        const segment = Number(insertSegment.run(doc, at, at + sentence.length, sentence, q % 10 === 0 ? 1 : 0).lastInsertRowid);
        insertCoding.run(segment, codes[q % codes.length]);
        at += sentence.length + 2;
        q++;
      }
    }
  });
  return project;
}

let project: Project | null = null;
let textsDir = '';
let tables: TableResult[] = [];

export const rows = defineRows([
  {
    name: `quote pack of ${QUOTES.toLocaleString('en')} quotes to DOCX (query, pseudonyms, redaction, write)`,
    baseline: 'the same pack as Markdown',
    target: '< 5 s',
    repeat: 3,
    setup() {
      project = seed(fresh('quotes'));
    },
    async ours() {
      const pack = collectQuotePack(project as Project, options);
      if (pack.quotes.length !== QUOTES) throw new Error(`expected ${QUOTES} quotes, got ${pack.quotes.length}`);
      fs.writeFileSync(path.join(work, `pack-${process.pid}.docx`), await quotePackDocx(pack));
    },
    base() {
      const pack = collectQuotePack(project as Project, options);
      fs.writeFileSync(path.join(work, `pack-${process.pid}.md`), quotePackMarkdown(pack));
    },
    teardown() {
      project?.close();
    },
  },
  {
    name: `XLSX of ${TABLES} tables, one sheet each (formatted bases, %, letters, notes)`,
    baseline: 'the same tables as CSV',
    target: '< 5 s',
    repeat: 3,
    setup() {
      project = seed(fresh('tables'));
      const frame = frameFor(project.db, { kind: 'participants' });
      tables = Array.from({ length: TABLES }, (_, i) => {
        const row = ATTRIBUTES[i % ATTRIBUTES.length] as string;
        const banner = ATTRIBUTES.filter((a) => a !== row).slice(0, 2 + (i % 3));
        return computeTable(frame, tableSpecSchema.parse({ title: `Table ${i + 1}: ${row}`, source: { kind: 'participants' }, rows: [{ ref: `attr:${row}` }], banner: banner.map((b) => `attr:${b}`) }));
      });
    },
    async ours() {
      fs.writeFileSync(path.join(work, `tables-${process.pid}.xlsx`), await gridsXlsx(tables.map((table) => tableGrid(table)), 'sheetPerTable'));
    },
    base() {
      fs.writeFileSync(path.join(work, `tables-${process.pid}.csv`), gridCsv(tables.map((table) => tableGrid(table))));
    },
    teardown() {
      project?.close();
    },
  },
  {
    name: `REFI-QDA .qdpx of 500 interviews with ${QUOTES.toLocaleString('en')} coded quotes (read, XML, zip, write)`,
    baseline: 'Python zipfile zipping the same 500 texts (no XML)',
    target: 'report',
    repeat: 3,
    setup() {
      project = seed(fresh('qdpx'));
      textsDir = path.join(work, `texts-${process.pid}`);
      fs.rmSync(textsDir, { recursive: true, force: true });
      fs.mkdirSync(textsDir, { recursive: true });
      for (const row of project.db.prepare('SELECT id, text FROM document').all() as { id: number; text: string }[]) {
        fs.writeFileSync(path.join(textsDir, `${row.id}.txt`), row.text);
      }
    },
    async ours() {
      const { refi, userGuid } = await collectProject(project as Project, quietJob());
      fs.writeFileSync(path.join(work, `project-${process.pid}.qdpx`), qdpxBytes(refi, userGuid));
    },
    base() {
      const script = 'import os, sys, zipfile\nwith zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:\n    for n in sorted(os.listdir(sys.argv[1])): z.write(os.path.join(sys.argv[1], n), "Sources/" + n)';
      const run = spawnSync('/usr/bin/python3', ['-c', script, textsDir, path.join(work, `texts-${process.pid}.zip`)], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
    },
    teardown() {
      project?.close();
      fs.rmSync(textsDir, { recursive: true, force: true });
    },
  },
]);
