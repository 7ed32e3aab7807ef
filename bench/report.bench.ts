import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableSpecSchema } from '../src/shared/contract/tables';
import { insertDataset, type FixtureVariable } from '../src/core/analysis/fixtures';
import { saveTable } from '../src/core/analysis/saved';
import { collectReport } from '../src/core/report/document';
import { reportDocx } from '../src/core/report/render-docx';
import { reportMarkdown } from '../src/core/report/render-text';
import { addQuote, createFinding, setSlot, updateFinding } from '../src/core/report/store';
import { openProject, type Project } from '../src/core/store/project';
import { defineRows } from './harness';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'report');
const FINDINGS = 30;
const CHARTS = 10;
const QUOTES = 60;
const RESPONDENTS = 2_000;
const QUESTIONS = 10;

function fresh(name: string): string {
  fs.mkdirSync(work, { recursive: true });
  const file = path.join(work, `${name}-${process.pid}.fieldbook`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

/** Two waves of 2,000 respondents with ten five-point questions, one table per question by wave. */
function wave(project: Project, name: string, seed: number): number {
  const variables: FixtureVariable[] = Array.from({ length: QUESTIONS }, (_, q) => ({
    name: `Q${q + 1}`,
    label: `How much do you agree with statement ${q + 1}?`,
    type: 'single',
    column: { encoding: 'i32', values: Int32Array.from({ length: RESPONDENTS }, (_, i) => 1 + ((i * (q + 7) + seed) % 5)) },
    labels: ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'].map((label, k) => ({ code: k + 1, label })),
  }));
  return insertDataset(project.db, { name: `Survey ${name}`, wave: name, rows: RESPONDENTS, variables }).datasetId;
}

/** A report of 30 findings (two numbers each, ten with a chart) and 60 interview quotes. */
function seed(file: string): Project {
  const project = openProject(file, { create: true });
  const db = project.db;
  const datasetIds = [wave(project, '2024', 1), wave(project, '2025', 3)];
  const tables = Array.from({ length: QUESTIONS }, (_, q) => saveTable(db, `Statement ${q + 1} by wave`, tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds }, rows: [{ ref: `Q${q + 1}` }] })).id);
  const segments = project.transaction(() => {
    const role = Number(db.prepare("INSERT INTO attribute (name, type, position) VALUES ('Role', 'text', 0)").run().lastInsertRowid);
    const code = Number(db.prepare("INSERT INTO code (name, position) VALUES ('Theme', 0)").run().lastInsertRowid);
    const ids: number[] = [];
    for (let p = 0; p < QUOTES; p++) {
      const person = Number(db.prepare('INSERT INTO participant (name) VALUES (?)').run(`Person ${p}`).lastInsertRowid);
      db.prepare('INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)').run(person, role, `Role ${p % 7}`);
      const text = `Person ${p} said we moved to Acme Cloud because support at Globex was slow, and costs kept rising every quarter.`;
      const doc = Number(db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', ?, 'txt', ?, ?)").run(`Interview ${p}`, text, person).lastInsertRowid);
      const segment = Number(db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, 0, ?, ?)').run(doc, text.length, text).lastInsertRowid);
      db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)').run(segment, code);
      ids.push(segment);
    }
    return ids;
  });
  for (let f = 0; f < FINDINGS; f++) {
    const tableId = tables[f % tables.length]!;
    const id = createFinding(project, { headline: `{a} agree with statement ${(f % QUESTIONS) + 1}, {b} since 2024`, body: `What finding ${f + 1} means, in a paragraph or two.` });
    setSlot(project, { findingId: id, key: 'a', source: { kind: 'cell', tableId, group: 0, row: 'cat:4', column: 'wave=2025', stat: 'colPct' }, format: 'percent' });
    setSlot(project, { findingId: id, key: 'b', source: { kind: 'change', tableId, group: 0, row: 'cat:4', from: 'wave=2024', to: 'wave=2025' }, format: 'points' });
    if (f < CHARTS) updateFinding(project, { id, chartTableId: tableId });
    for (let q = 0; q < QUOTES / FINDINGS; q++) addQuote(project, id, { segmentId: segments[f * (QUOTES / FINDINGS) + q]! });
  }
  db.prepare('UPDATE report SET settings = ? WHERE id = 1').run(JSON.stringify({ redact: ['Acme Cloud', 'Globex'] }));
  return project;
}

let project: Project | null = null;

export const rows = defineRows([
  {
    name: `Findings report of ${FINDINGS} findings, ${CHARTS} charts, ${QUOTES} quotes to DOCX (recompute every number, draw the charts, write)`,
    baseline: 'the same report as Markdown (same numbers, no pictures)',
    target: '< 3 s',
    repeat: 3,
    setup() {
      project = seed(fresh('report'));
    },
    async ours() {
      const { document } = collectReport(project as Project);
      if (document.findings.filter((f) => f.chart).length !== CHARTS || document.findings.reduce((n, f) => n + f.quotes.length, 0) !== QUOTES) throw new Error('the report is not what was seeded');
      fs.writeFileSync(path.join(work, `report-${process.pid}.docx`), await reportDocx(document));
    },
    base() {
      const { document } = collectReport(project as Project);
      fs.writeFileSync(path.join(work, `report-${process.pid}.md`), reportMarkdown(document));
    },
    teardown() {
      project?.close();
    },
  },
]);
