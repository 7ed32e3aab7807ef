import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeTextColumn } from '../survey/store';
import { createTestCore, type TestCore } from '../testing/index';
import { seedFindingsStudy, type FindingsStudy } from './fixtures/study';

/** Open answers of 2024 (rows 0-3), one survey_text document with a turn per answer, as the importer writes them. */
function open2024(db: Database, datasetId: number): { documentId: number; text: string } {
  const answers = ['GPU prices hurt.', 'Nothing much.', 'Patching sites.', 'Skills.'];
  const variable = Number(db.prepare("INSERT INTO variable (dataset_id, position, name, label, type) VALUES (?, 9, 'OPEN', 'Why?', 'text')").run(datasetId).lastInsertRowid);
  db.prepare("INSERT INTO variable_data (variable_id, encoding, data) VALUES (?, 'text', ?)").run(variable, encodeTextColumn([...answers, ...Array<null>(6).fill(null)]));
  const text = answers.join('\n\n');
  const documentId = Number(
    db.prepare("INSERT INTO document (kind, name, format, text, dataset_id, variable_id) VALUES ('survey_text', 'Why? (2024)', 'survey', ?, ?, ?)").run(text, datasetId, variable).lastInsertRowid,
  );
  let at = 0;
  answers.forEach((answer, row) => {
    db.prepare('INSERT INTO turn (document_id, position, respondent_row, start_char, end_char) VALUES (?, ?, ?, ?, ?)').run(documentId, row, row, at, at + answer.length);
    at += answer.length + 2;
  });
  return { documentId, text };
}

describe('theme prevalence across waves as number slots', () => {
  let t: TestCore;
  let s: FindingsStudy;

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    s = seedFindingsStudy(t.core.currentProject()!.db);
  });
  afterEach(() => t.cleanup());

  it("a code's share of the respondents who answered, by wave, with its change; new coding flags it", async () => {
    const db = t.core.currentProject()!.db;
    const y2024 = open2024(db, s.w2024);
    // 2024: 1 of the 4 who answered mentions cost (25%); 2025: 1 of 2 (50%).
    await t.call('codings.apply', { documentId: y2024.documentId, start: 0, end: 16, codeId: s.codes.cost! });
    await t.call('codings.apply', { documentId: s.openDocument, start: 0, end: 20, codeId: s.codes.cost! });
    const ref = `code:${s.codes.cost}`;
    const tableId = (await t.call('tables.save', { name: 'Cost mentions by wave', spec: { source: { kind: 'dataset', datasetIds: [s.w2024, s.w2025] }, rows: [{ ref }] } })).id;
    const f = await t.call('findings.create', { headline: 'Mentions of cost rose from {a} to {b} ({c})' });
    await t.call('findings.setSlot', { findingId: f.id, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2024' } });
    await t.call('findings.setSlot', { findingId: f.id, key: 'b', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' } });
    const view = await t.call('findings.setSlot', { findingId: f.id, key: 'c', source: { kind: 'change', tableId, row: 'cat:1', from: 'wave=2024', to: 'wave=2025' }, format: 'points' });
    expect(view.headlineText).toBe('Mentions of cost rose from 25% to 50% (+25 pts)');
    expect(view.slots.find((x) => x.key === 'b')!.base).toBe(2);

    // The second 2025 answer is coded too: 2 of 2.
    await t.call('codings.apply', { documentId: s.openDocument, start: 62, end: 80, codeId: s.codes.cost! });
    const moved = (await t.call('findings.report', {})).findings[0]!;
    expect(moved.headlineText).toBe('Mentions of cost rose from 25% to 100% (+75 pts)');
    expect(moved.slots.filter((x) => x.stale).map((x) => [x.key, x.acceptedText, x.text])).toEqual([
      ['b', '50%', '100%'],
      ['c', '+25 pts', '+75 pts'],
    ]);
  });
});
