import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlotSourceInput } from '../../shared/contract/findings';
import type { TableSpecInput } from '../../shared/contract/tables';
import { createTestCore, failure, type TestCore } from '../testing/index';
import { seedFindingsStudy, type FindingsStudy } from './fixtures/study';

/** Numbers below are worked out by hand from the fixture (see fixtures/study.ts). */
describe('findings: slots, order and undo through the real dispatch', () => {
  let t: TestCore;
  let s: FindingsStudy;
  let tableId: number;

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    s = seedFindingsStudy(t.core.currentProject()!.db);
    const spec: TableSpecInput = { source: { kind: 'dataset', datasetIds: [s.w2024, s.w2025] }, rows: [{ ref: 'Q7' }, { ref: 'Q9' }] };
    tableId = (await t.call('tables.save', { name: 'Edge by wave', spec })).id;
  });
  afterEach(() => t.cleanup());

  it('a cell, a change between waves, a base and a multi-select share, each in its format', async () => {
    const f = await t.call('findings.create', { headline: '{a} run Kubernetes at the edge, {b} since 2024 (n = {n}); {m} of 2024 run AI at the edge' });
    await t.call('findings.setSlot', { findingId: f.id, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' }, format: 'percent' });
    await t.call('findings.setSlot', { findingId: f.id, key: 'b', source: { kind: 'change', tableId, row: 'cat:1', from: 'wave=2024', to: 'wave=2025' }, format: 'points' });
    await t.call('findings.setSlot', { findingId: f.id, key: 'n', source: { kind: 'base', tableId, column: 'wave=2025' }, format: 'number' });
    const view = await t.call('findings.setSlot', { findingId: f.id, key: 'm', source: { kind: 'cell', tableId, group: 1, row: 'cat:Q9_2', column: 'wave=2024' }, format: 'words' });
    // 5 of 8 = 62.5% → 63%; 62.5 − 40 = +22.5 → +23 pts; base 8; Edge 2 of the 8 who chose any = 25%.
    expect(view.headlineText).toBe('63% run Kubernetes at the edge, +23 pts since 2024 (n = 8); a quarter of 2024 run AI at the edge');
    const a = view.slots.find((x) => x.key === 'a')!;
    expect(a).toMatchObject({ value: 62.5, text: '63%', acceptedText: '63%', stale: false, base: 8, error: null });
    expect(a.label).toBe('Edge by wave: Q7 (Do you run Kubernetes at the edge?) = Yes, 2025, column %');
    expect(a.baseText).toContain('n = 8');
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(view.slots.find((x) => x.key === 'b')!.value).toBeCloseTo(22.5, 10);
    expect(view.stale).toBe(false);
    expect(view.unknownSlots).toEqual([]);

    const again = await t.call('findings.setSlot', { findingId: f.id, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' }, format: 'percent1' });
    expect(again.headlineText.startsWith('62.5% run')).toBe(true);
    const count = await t.call('findings.setSlot', { findingId: f.id, key: 'c', source: { kind: 'cell', tableId, row: 'cat:2', column: 'total', stat: 'count' }, format: 'number' });
    // No: 6 in 2024 + 3 in 2025.
    expect(count.slots.find((x) => x.key === 'c')!.text).toBe('9');
  });

  it('counts quotes, people and documents of a code, with or without its sub-codes', async () => {
    const f = await t.call('findings.create', { headline: '{p} people ({q} quotes in {d} documents) talk about cost; trust {t}/{o}' });
    const set = (key: string, source: SlotSourceInput) => t.call('findings.setSlot', { findingId: f.id, key, source, format: 'number' });
    await set('p', { kind: 'code', codeId: s.codes.cost!, count: 'participants' });
    await set('q', { kind: 'code', codeId: s.codes.cost!, count: 'quotes' });
    await set('d', { kind: 'code', codeId: s.codes.cost!, count: 'documents' });
    await set('t', { kind: 'code', codeId: s.codes.trust!, count: 'quotes' });
    const view = await set('o', { kind: 'code', codeId: s.codes.trust!, count: 'quotes', includeSubcodes: false });
    // Cost: Ana's and Kenji's interview quotes and one survey answer nobody is linked to.
    // Trust: Ana's quote (Trust and Support quality) and Kenji's (Support quality only).
    expect(view.headlineText).toBe('2 people (3 quotes in 3 documents) talk about cost; trust 2/1');
  });

  it('refuses a slot on a cell that does not exist, and flags headline keys without a slot', async () => {
    const f = await t.call('findings.create', { headline: 'Up {x}' });
    const error = await failure(t.call('findings.setSlot', { findingId: f.id, key: 'x', source: { kind: 'cell', tableId, row: 'cat:7', column: 'wave=2025' } }));
    expect(error.message).toMatch(/no longer has the answer cat:7/);
    expect(await failure(t.call('findings.setSlot', { findingId: f.id, key: 'X', source: { kind: 'base', tableId, column: 'total' } }))).toBeTruthy();
    const report = await t.call('findings.report', {});
    expect(report.findings[0]!.unknownSlots).toEqual(['x']);
  });

  it('keeps findings in order; deleting, moving and editing are each one undoable step', async () => {
    const one = await t.call('findings.create', { headline: 'One' });
    const two = await t.call('findings.create', { headline: 'Two' });
    await t.call('findings.create', { headline: 'Zero', position: 0 });
    const headlines = async () => (await t.call('findings.report', {})).findings.map((f) => f.headline);
    expect(await headlines()).toEqual(['Zero', 'One', 'Two']);
    await t.call('findings.move', { id: two.id, position: 0 });
    expect(await headlines()).toEqual(['Two', 'Zero', 'One']);
    await t.call('history.undo', {});
    expect(await headlines()).toEqual(['Zero', 'One', 'Two']);

    await t.call('findings.setSlot', { findingId: one.id, key: 'a', source: { kind: 'base', tableId, column: 'total' }, format: 'number' });
    await t.call('findings.addQuote', { findingId: one.id, segmentId: 1 });
    await t.call('findings.update', { id: one.id, headline: 'One: {a} answered', body: 'Because.' });
    expect((await t.call('findings.report', {})).findings[1]!.headlineText).toBe('One: 18 answered');
    await t.call('findings.delete', { id: one.id });
    expect(await headlines()).toEqual(['Zero', 'Two']);
    await t.call('history.undo', {});
    const back = (await t.call('findings.report', {})).findings[1]!;
    expect(back).toMatchObject({ headline: 'One: {a} answered', headlineText: 'One: 18 answered', body: 'Because.' });
    expect(back.quotes.map((q) => q.segmentId)).toEqual([1]);
    await t.call('history.undo', {});
    expect((await t.call('findings.report', {})).findings[1]!.headline).toBe('One');
    await t.call('history.redo', {});
    expect((await t.call('findings.report', {})).findings[1]!.headline).toBe('One: {a} answered');
    expect((await t.call('history.state', {})).undoLabel).toBe('Edit a finding');
  });

  it('quotes keep their order, and a memo can become the body', async () => {
    const f = await t.call('findings.create', {});
    await t.call('findings.addQuote', { findingId: f.id, segmentId: 2 });
    await t.call('findings.addQuote', { findingId: f.id, turnId: s.openTurns.get(2)! });
    const added = await t.call('findings.addQuote', { findingId: f.id, segmentId: 4 });
    expect(await failure(t.call('findings.addQuote', { findingId: f.id, segmentId: 4 }))).toMatchObject({ message: 'This quote is already in the finding.' });
    const moved = await t.call('findings.moveQuote', { findingId: f.id, quoteId: added.quotes[2]!.id, position: 0 });
    expect(moved.quotes.map((q) => [q.kind, q.segmentId ?? q.turnId])).toEqual([
      ['segment', 4],
      ['segment', 2],
      ['verbatim', s.openTurns.get(2)],
    ]);
    expect(moved.quotes[2]!.text).toBe('Edge clusters are hard to patch.');
    const removed = await t.call('findings.removeQuote', { findingId: f.id, quoteId: moved.quotes[1]!.id });
    expect(removed.quotes.map((q) => q.position)).toEqual([0, 1]);
    const memo = (await t.call('memos.list', { targetKind: 'code' }))[0]!;
    const withBody = await t.call('findings.bodyFromMemo', { findingId: f.id, memoId: memo.id });
    expect(withBody).toMatchObject({ body: 'Trust shows up before price in most interviews.', memoId: memo.id });
  });
});
