import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import type { Project } from '../store/project';
import { createCode } from './codebook';
import { applyCoding, applyCodings, type CodingInput } from './segments';
import { runOperation } from '../history/history';
import { seedDocument } from './testing/seed';

let t: TestCore;
let projectPath: string;
const project = (): Project => t.core.currentProject()!;

beforeEach(async () => {
  t = createTestCore();
  projectPath = await t.newProject();
});
afterEach(() => t.cleanup());

/** Every row of the tables a coding batch touches, all columns, in id order. */
function rows(): { segment: unknown[]; coding: unknown[] } {
  const db = project().db;
  return {
    segment: db.prepare('SELECT * FROM segment ORDER BY id').all(),
    coding: db.prepare('SELECT * FROM coding ORDER BY id').all(),
  };
}

function seedDocuments(count: number, turns: number): { documentId: number; start: number; end: number }[] {
  const spans: { documentId: number; start: number; end: number }[] = [];
  for (let d = 0; d < count; d++) {
    const doc = seedDocument(project(), {
      name: `Interview ${d}`,
      participant: `P${d}`,
      turns: Array.from({ length: turns }, (_, i) => ({ speaker: `P${d}`, text: `Turn ${i}: the bus was late again, ${'and again '.repeat(i % 4)}today.` })),
    });
    for (const turn of doc.turns) spans.push({ documentId: doc.documentId, ...turn });
  }
  return spans;
}

describe('undo log of a bulk coding', () => {
  it('undo then redo of a 10,000-coding batch restores exactly the same rows, also after reopening', async () => {
    const spans = seedDocuments(50, 100);
    const costs = createCode(project(), { name: 'Costs' });
    const delays = createCode(project(), { name: 'Delays' });
    const other = Number(project().db.prepare(`INSERT INTO coder (name) VALUES ('Second coder')`).run().lastInsertRowid);
    // Quotes coded earlier: the batch reuses their segments (and one of their codings) instead of adding rows.
    applyCoding(project(), { ...spans[0]!, codeId: delays });
    applyCoding(project(), { ...spans[1]!, codeId: delays });
    const before = rows();

    // A mix: two codes, three sources, two coders, 5,000 whole turns and 5,000 shorter spans.
    const batch: CodingInput[] = spans.flatMap((s, i): CodingInput[] => [
      { ...s, codeId: i % 3 === 0 ? delays : costs, source: i % 7 === 0 ? 'suggestion' : 'human' },
      { documentId: s.documentId, start: s.start + 2, end: s.end, codeId: costs, ...(i % 5 === 0 ? { coderId: other, source: 'import' as const } : {}) },
    ]);
    expect(batch).toHaveLength(10_000);
    const results = applyCodings(project(), batch, 'Bulk');
    expect(results.filter((r) => !r.created)).toHaveLength(1); // spans[0] with Delays was coded already
    const after = rows();
    expect(after.coding).toHaveLength(before.coding.length + 9_999);
    expect(after.segment).toHaveLength(before.segment.length + 9_998);

    // The payload names each column once, not once per row.
    const op = project().db.prepare(`SELECT forward FROM operation WHERE label = 'Bulk'`).get() as { forward: string };
    expect(op.forward.split('"document_id"')).toHaveLength(2);

    // The shape of the benchmark: one code, one coder, one source, so those are stored once.
    const weather = createCode(project(), { name: 'Weather' });
    const beforeUniform = rows();
    applyCodings(
      project(),
      spans.flatMap((s) => [1, 3].map((shift) => ({ documentId: s.documentId, start: s.start + shift, end: s.end - 1, codeId: weather }))),
      'Uniform',
    );
    const uniform = rows();
    expect(uniform.coding).toHaveLength(beforeUniform.coding.length + 10_000);

    const undoRedo = async () => {
      expect((await t.call('history.undo', {})).label).toBe('Uniform');
      expect(rows()).toEqual(beforeUniform);
      expect((await t.call('history.undo', {})).label).toBe('Create code "Weather"');
      expect((await t.call('history.undo', {})).label).toBe('Bulk');
      expect(rows()).toEqual(before);
      expect((await t.call('history.redo', {})).label).toBe('Bulk');
      expect(rows()).toEqual(after);
      expect((await t.call('history.redo', {})).label).toBe('Create code "Weather"');
      expect((await t.call('history.redo', {})).label).toBe('Uniform');
      expect(rows()).toEqual(uniform);
    };
    await undoRedo();
    // The log is in the file: the same again after closing and reopening.
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    expect(rows()).toEqual(uniform);
    await undoRedo();
  });

  it('still undoes and redoes operations logged in the earlier form (one run per table, keys written once)', async () => {
    const [span] = seedDocuments(1, 2);
    const codeId = createCode(project(), { name: 'Costs' });
    const db = project().db;
    const text = (db.prepare('SELECT text FROM document WHERE id = ?').get(span!.documentId) as { text: string }).text;
    const stamp = '2026-01-02T03:04:05.678Z';
    // What a project saved by the previous version holds: the rows, and the operation that made them.
    const forward = JSON.stringify([
      {
        kind: 'inserts',
        table: 'segment',
        columns: ['document_id', 'start_char', 'end_char', 'text', 'created_at', 'id'],
        rows: [[span!.documentId, span!.start, span!.end, text.slice(span!.start, span!.end), stamp, 500]],
      },
      { kind: 'insert', table: 'coding', row: { segment_id: 500, code_id: codeId, coder_id: 1, source: 'human', created_at: stamp, id: 700 } },
    ]);
    db.prepare('INSERT INTO segment (id, document_id, start_char, end_char, text, created_at) VALUES (500, ?, ?, ?, ?, ?)').run(
      span!.documentId,
      span!.start,
      span!.end,
      text.slice(span!.start, span!.end),
      stamp,
    );
    db.prepare(`INSERT INTO coding (id, segment_id, code_id, coder_id, source, created_at) VALUES (700, 500, ?, 1, 'human', ?)`).run(codeId, stamp);
    db.prepare(`INSERT INTO operation (label, forward, backward) VALUES ('Old batch', ?, '{"inverseOf":"forward"}')`).run(forward);
    const saved = rows();

    expect((await t.call('history.undo', {})).label).toBe('Old batch');
    expect(rows()).toEqual({ segment: [], coding: [] });
    expect((await t.call('history.redo', {})).label).toBe('Old batch');
    expect(rows()).toEqual(saved);
  });
});

describe('undo log of keyed tables (participant_attribute has no id column)', () => {
  function values(): unknown[] {
    return project().db.prepare('SELECT participant_id, attribute_id, value, typeof(value) AS type FROM participant_attribute ORDER BY 1, 2').all();
  }

  function seedPeople(): { p1: number; p2: number; role: number; size: number } {
    const db = project().db;
    const p1 = Number(db.prepare(`INSERT INTO participant (name) VALUES ('P01')`).run().lastInsertRowid);
    const p2 = Number(db.prepare(`INSERT INTO participant (name) VALUES ('P02')`).run().lastInsertRowid);
    const role = Number(db.prepare(`INSERT INTO attribute (name) VALUES ('role')`).run().lastInsertRowid);
    const size = Number(db.prepare(`INSERT INTO attribute (name, type) VALUES ('size', 'number')`).run().lastInsertRowid);
    db.prepare('INSERT INTO participant_attribute VALUES (?, ?, ?)').run(p1, role, 'engineer');
    db.prepare('INSERT INTO participant_attribute VALUES (?, ?, ?)').run(p2, role, 'designer');
    return { p1, p2, role, size };
  }

  it('finds rows by their key columns, not by rowid: undo and redo work after the rows moved', async () => {
    const { p1, p2, role, size } = seedPeople();
    const before = values();
    runOperation(project(), 'Edit values', (rec) => {
      rec.insert('participant_attribute', { participant_id: p1, attribute_id: size, value: 250 });
      rec.insert('participant_attribute', { participant_id: p2, attribute_id: size, value: 12.5 });
      rec.update('participant_attribute', { participant_id: p1, attribute_id: role }, { value: 'manager' });
      rec.remove('participant_attribute', { participant_id: p2, attribute_id: role });
    });
    const after = values();
    expect(after).toEqual([
      { participant_id: p1, attribute_id: role, value: 'manager', type: 'text' },
      { participant_id: p1, attribute_id: size, value: 250, type: 'real' },
      { participant_id: p2, attribute_id: size, value: 12.5, type: 'real' },
    ]);
    const forward = project().db.prepare(`SELECT forward FROM operation WHERE label = 'Edit values'`).pluck().get() as string;
    expect(forward).not.toMatch(/"id"|rowid/);

    // Rewrite every row outside the log: same keys and values, new rowids (as a VACUUM may do).
    const db = project().db;
    const shuffle = () => {
      const rows = db.prepare('SELECT participant_id, attribute_id, value FROM participant_attribute ORDER BY 1 DESC, 2 DESC').all() as Record<string, unknown>[];
      db.prepare('DELETE FROM participant_attribute').run();
      const insert = db.prepare('INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (@participant_id, @attribute_id, @value)');
      for (const row of rows) insert.run(row);
    };
    shuffle();
    expect((await t.call('history.undo', {})).label).toBe('Edit values');
    expect(values()).toEqual(before);
    shuffle();
    expect((await t.call('history.redo', {})).label).toBe('Edit values');
    expect(values()).toEqual(after);
  });

  it('refuses a damaged key read back from the file, changing nothing', async () => {
    const { p1, role } = seedPeople();
    const forward = JSON.stringify([
      { kind: 'update', table: 'participant_attribute', key: { participant_id: String(p1), attribute_id: role }, before: { value: 'x' }, after: { value: 'y' } },
    ]);
    project().db.prepare(`INSERT INTO operation (label, forward, backward) VALUES ('Damaged', ?, '{"inverseOf":"forward"}')`).run(forward);
    const before = values();
    await expect(t.call('history.undo', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/participant_attribute\.participant_id is not a row key/) });
    expect(values()).toEqual(before);
  });
});
