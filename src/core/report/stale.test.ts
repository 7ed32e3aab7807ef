import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeColumn } from '../survey/columns';
import { createTestCore, type TestCore } from '../testing/index';
import { seedFindingsStudy, type FindingsStudy } from './fixtures/study';

/** Rewrites one stored survey column, as a re-import of a corrected file would. */
function rewriteAnswers(db: Database, datasetId: number, name: string, values: number[]): void {
  const id = db.prepare('SELECT id FROM variable WHERE dataset_id = ? AND name = ?').pluck().get(datasetId, name) as number;
  db.prepare('UPDATE variable_data SET encoding = ?, data = ? WHERE variable_id = ?').run('i32', encodeColumn({ encoding: 'i32', values: Int32Array.from(values) }), id);
}

describe('traceability: numbers that moved are flagged until accepted', () => {
  let t: TestCore;
  let s: FindingsStudy;
  let db: Database;
  let findingId: number;

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    db = t.core.currentProject()!.db;
    s = seedFindingsStudy(db);
    const tableId = (await t.call('tables.save', { name: 'Edge by wave', spec: { source: { kind: 'dataset', datasetIds: [s.w2024, s.w2025] }, rows: [{ ref: 'Q7' }] } })).id;
    findingId = (await t.call('findings.create', { headline: '{a} run it at the edge, {b} since 2024; {p} people mention cost' })).id;
    await t.call('findings.setSlot', { findingId, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' }, format: 'percent' });
    await t.call('findings.setSlot', { findingId, key: 'b', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2024' }, format: 'percent' });
    await t.call('findings.setSlot', { findingId, key: 'p', source: { kind: 'code', codeId: s.codes.cost! }, format: 'number' });
  });
  afterEach(() => t.cleanup());

  it('a corrected survey file moves 63% to 75%: the finding is flagged "was 63%, now 75%" until the user accepts it', async () => {
    const before = (await t.call('findings.report', {})).findings[0]!;
    expect(before.stale).toBe(false);
    const fingerprint = before.slots.find((x) => x.key === 'a')!.fingerprint;

    // 2025: one more Yes (6 of 8 = 75%).
    rewriteAnswers(db, s.w2025, 'Q7', [1, 1, 1, 1, 1, 1, 2, 2]);
    const report = await t.call('findings.report', {});
    expect(report.staleCount).toBe(1);
    const a = report.findings[0]!.slots.find((x) => x.key === 'a')!;
    expect(a).toMatchObject({ stale: true, acceptedText: '63%', text: '75%', acceptedValue: 62.5, value: 75 });
    expect(a.fingerprint).not.toBe(fingerprint);
    expect(a.acceptedFingerprint).toBe(fingerprint);
    // The 2024 cell read the same table (so its fingerprint moved too) but its number did not.
    expect(report.findings[0]!.slots.find((x) => x.key === 'b')!).toMatchObject({ stale: false, text: '40%' });
    expect(report.findings[0]!.headlineText).toBe('75% run it at the edge, 40% since 2024; 2 people mention cost');

    const accepted = await t.call('findings.accept', { findingId });
    expect(accepted.staleCount).toBe(0);
    expect(accepted.findings[0]!.slots.find((x) => x.key === 'a')!).toMatchObject({ acceptedText: '75%', acceptedFingerprint: a.fingerprint, stale: false });
    // Accepting is undoable like any edit: undo brings the flag back.
    await t.call('history.undo', {});
    expect((await t.call('findings.report', {})).staleCount).toBe(1);
  });

  it('new coding moves a code count: flagged; a change the printed number does not show is not', async () => {
    // A third person (a respondent of the clinic survey, through a turn) now talks about cost.
    const doc = s.documents.survey!;
    db.prepare('INSERT INTO turn (document_id, position, respondent_row, start_char, end_char) VALUES (?, 0, 1, 0, 26)').run(doc);
    // The quote s6 sits in the survey document: it now belongs to respondent 2 of that wave.
    let report = await t.call('findings.report', {});
    expect(report.findings[0]!.slots.find((x) => x.key === 'p')!).toMatchObject({ stale: true, acceptedText: '2', text: '3' });
    await t.call('findings.accept', {});

    // 2024 Yes answers reshuffled among respondents: the share stays 40%, nothing is flagged.
    rewriteAnswers(db, s.w2024, 'Q7', [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]);
    report = await t.call('findings.report', {});
    expect(report.staleCount).toBe(0);
    expect(report.findings[0]!.slots.find((x) => x.key === 'b')!.fingerprint).not.toBe(report.findings[0]!.slots.find((x) => x.key === 'b')!.acceptedFingerprint);
  });

  it('a slot damaged in the file (bad JSON, unknown format) is flagged, and the rest of the report still reads', async () => {
    db.prepare("UPDATE finding_slot SET source = '{not json', format = 'fancy' WHERE key = 'b'").run();
    const finding = (await t.call('findings.report', {})).findings[0]!;
    expect(finding.slots.find((x) => x.key === 'b')!).toMatchObject({ stale: true, text: '–', error: 'The number {b} is damaged in the project file; set it again.' });
    expect(finding.slots.find((x) => x.key === 'a')!).toMatchObject({ stale: false, text: '63%' });
    expect((await t.call('findings.accept', {})).staleCount).toBe(1);
  });

  it('a deleted saved table leaves the number flagged with the reason, never a crash', async () => {
    const tableId = (await t.call('tables.list', {}))[0]!.id;
    await t.call('tables.delete', { id: tableId });
    const slot = (await t.call('findings.report', {})).findings[0]!.slots.find((x) => x.key === 'a')!;
    expect(slot).toMatchObject({ stale: true, value: null, text: '–', acceptedText: '63%', error: `Saved table ${tableId} was deleted.` });
  });
});
