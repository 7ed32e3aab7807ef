import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCode } from '../src/core/coding/codebook';
import { listQuotes } from '../src/core/coding/quotes';
import { applyCoding, applyCodings, type CodingInput } from '../src/core/coding/segments';
import { openProject, type Project } from '../src/core/store/project';
import { defineRows } from './harness';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'coding');
const CODINGS = 10_000;
const QUOTES = 5_000;

function fresh(name: string): string {
  fs.mkdirSync(work, { recursive: true });
  const file = path.join(work, `${name}-${process.pid}.fieldbook`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

/**
 * A project with `documents` transcripts of `turns` turns each (participants with two attributes,
 * a wave), inserted directly: the bench measures coding, not import.
 */
function seed(file: string, documents: number, turns: number): { project: Project; turnSpans: { documentId: number; start: number; end: number }[] } {
  const project = openProject(file, { create: true });
  const db = project.db;
  const spans: { documentId: number; start: number; end: number }[] = [];
  project.transaction(() => {
    const dataset = Number(db.prepare(`INSERT INTO dataset (name, wave, source_file, format) VALUES ('w1', 'Wave 1', 'x.csv', 'csv')`).run().lastInsertRowid);
    db.prepare(`INSERT INTO attribute (name, type, position) VALUES ('age', 'number', 0), ('region', 'text', 1)`).run();
    for (let d = 0; d < documents; d++) {
      const participant = Number(db.prepare('INSERT INTO participant (name, dataset_id) VALUES (?, ?)').run(`P${d}`, dataset).lastInsertRowid);
      db.prepare('INSERT INTO participant_attribute VALUES (?, 1, ?), (?, 2, ?)').run(participant, 20 + (d % 50), participant, d % 2 ? 'North' : 'South');
      const lines: string[] = [];
      const local: { start: number; end: number }[] = [];
      let at = 0;
      for (let t = 0; t < turns; t++) {
        const line = `P${d}: In turn ${t} I talk about buses, trains, fares and how late everything always is.`;
        local.push({ start: at, end: at + line.length });
        lines.push(line);
        at += line.length + 2;
      }
      const documentId = Number(
        db.prepare(`INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', ?, 'txt', ?, ?)`).run(`Interview ${d}`, lines.join('\n\n'), participant)
          .lastInsertRowid,
      );
      const speaker = Number(db.prepare('INSERT INTO speaker (document_id, label, display_name, participant_id) VALUES (?, ?, ?, ?)').run(documentId, `P${d}`, `P${d}`, participant).lastInsertRowid);
      const insertTurn = db.prepare('INSERT INTO turn (document_id, position, speaker_id, start_char, end_char) VALUES (?, ?, ?, ?, ?)');
      local.forEach((s, t) => {
        insertTurn.run(documentId, t, speaker, s.start, s.end);
        spans.push({ documentId, ...s });
      });
    }
  });
  return { project, turnSpans: spans };
}

type Prepared = { project: Project; spans: CodingInput[][]; texts: Map<number, string> };
let ours: Prepared | null = null;
let base: Prepared | null = null;
let round = { ours: 0, base: 0 };

/** Each repetition codes different passages (shifted start) with its own code, so no run reuses another's rows. */
function prepareCodingRuns(file: string, repeat: number): Prepared {
  const { project, turnSpans } = seed(file, 100, CODINGS / 100);
  // The baseline stores the same text snapshot a quote keeps, so both sides write the same rows.
  const texts = new Map((project.db.prepare('SELECT id, text FROM document').all() as { id: number; text: string }[]).map((d) => [d.id, d.text]));
  const spans: CodingInput[][] = [];
  for (let r = 0; r < repeat; r++) {
    const codeId = createCode(project, { name: `Code ${r}` });
    spans.push(turnSpans.map((s) => ({ documentId: s.documentId, start: s.start + r, end: s.end, codeId })));
  }
  return { project, spans, texts };
}

let quotes: { project: Project; codeId: number } | null = null;

const REPEAT = 5;
// Batches prepared per side: more than the timed repeats, in case the runner adds warm-up rounds.
const PREPARED = 20;

export const rows = defineRows([
  {
    name: `apply ${CODINGS.toLocaleString('en')} codings (one undoable operation)`,
    baseline: `plain INSERT loop: ${CODINGS.toLocaleString('en')} segment + coding rows in one transaction`,
    target: '< 100 ms',
    repeat: REPEAT,
    setup() {
      ours = prepareCodingRuns(fresh('apply-ours'), PREPARED);
      base = prepareCodingRuns(fresh('apply-base'), PREPARED);
      round = { ours: 0, base: 0 };
    },
    ours() {
      const batch = ours!.spans[round.ours++ % PREPARED]!;
      const results = applyCodings(ours!.project, batch, 'bench');
      if (results.length !== CODINGS || !results.every((r) => r.created)) throw new Error('not every coding was created');
    },
    base() {
      const batch = base!.spans[round.base++ % PREPARED]!;
      const db = base!.project.db;
      const segment = db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, ?, ?, ?)');
      const coding = db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)');
      const texts = base!.texts;
      base!.project.transaction(() => {
        for (const c of batch) coding.run(segment.run(c.documentId, c.start, c.end, texts.get(c.documentId)!.slice(c.start, c.end)).lastInsertRowid, c.codeId);
      });
    },
    teardown() {
      ours?.project.close();
      base?.project.close();
    },
  },
  {
    name: 'code one passage (a key press: its own undoable operation and transaction)',
    baseline: 'plain INSERT of one segment + coding in its own transaction',
    target: '< 100 ms',
    repeat: 25,
    setup() {
      ours = prepareCodingRuns(fresh('one-ours'), 1);
      base = prepareCodingRuns(fresh('one-base'), 1);
      round = { ours: 0, base: 0 };
    },
    ours() {
      const result = applyCoding(ours!.project, ours!.spans[0]![round.ours++]!);
      if (!result.created) throw new Error('the coding was not created');
    },
    base() {
      const c = base!.spans[0]![round.base++]!;
      const db = base!.project.db;
      base!.project.transaction(() => {
        const segment = db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, ?, ?, ?)').run(c.documentId, c.start, c.end, base!.texts.get(c.documentId)!.slice(c.start, c.end));
        db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)').run(segment.lastInsertRowid, c.codeId);
      });
    },
    teardown() {
      ours?.project.close();
      base?.project.close();
    },
  },
  {
    name: `open the quotes view of a code with ${QUOTES.toLocaleString('en')} quotes (speaker, attributes, wave)`,
    baseline: 'plain SELECT of the same quotes (segment ⋈ coding by code)',
    target: '< 100 ms',
    repeat: 9,
    setup() {
      const { project, turnSpans } = seed(fresh('quotes'), 100, 100);
      const codeId = createCode(project, { name: 'Busy code' });
      const other = createCode(project, { name: 'Other code' });
      // 5,000 quotes of the code among 10,000 codings in the project.
      applyCodings(
        project,
        turnSpans.flatMap((s, i) => [
          ...(i % 2 === 0 ? [{ documentId: s.documentId, start: s.start, end: s.end, codeId }] : []),
          { documentId: s.documentId, start: s.start + 3, end: s.end, codeId: other },
        ]),
        'seed',
      );
      quotes = { project, codeId };
    },
    ours() {
      const page = listQuotes(quotes!.project, { codeId: quotes!.codeId, limit: QUOTES });
      if (page.total !== QUOTES || page.quotes[0]!.participant === null) throw new Error(`expected ${QUOTES} quotes with participants`);
    },
    base() {
      const rowsRead = quotes!.project.db
        .prepare('SELECT s.id, s.document_id, s.start_char, s.end_char, s.text FROM coding c JOIN segment s ON s.id = c.segment_id WHERE c.code_id = ?')
        .all(quotes!.codeId);
      if (rowsRead.length !== QUOTES) throw new Error('wrong count');
    },
    teardown() {
      quotes?.project.close();
    },
  },
]);
