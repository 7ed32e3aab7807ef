import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldbookError } from '../../shared/errors';
import { createTestCore, type TestCore } from '../testing/index';
import type { Project } from '../store/project';
import { dumpCoding, seedDocument } from './testing/seed';

let t: TestCore;
let projectPath: string;
const project = (): Project => t.core.currentProject()!;

beforeEach(async () => {
  t = createTestCore();
  projectPath = await t.newProject();
});
afterEach(() => t.cleanup());

async function expectError(promise: Promise<unknown>, code: string): Promise<FieldbookError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FieldbookError);
    expect((error as FieldbookError).code).toBe(code);
    return error as FieldbookError;
  }
  throw new Error(`expected ${code}`);
}

function interview(name = 'Interview 1', participant = 'P1') {
  return seedDocument(project(), {
    name,
    participant,
    attributes: { age: 34, region: 'North' },
    wave: 'Wave 1',
    turns: [
      { speaker: 'Interviewer', text: 'How do you get to work?', interviewer: true },
      { speaker: participant, text: 'I cycle every day. The bus is too expensive for me.' },
      { speaker: 'Interviewer', text: 'And in winter?', interviewer: true },
      { speaker: participant, text: 'In winter I take the bus, sadly. It is always late.' },
    ],
  });
}

/** Offsets of a phrase in a document, as the renderer would send them after a selection. */
function span(text: string, phrase: string) {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`phrase not found: ${phrase}`);
  return { start, end: start + phrase.length };
}

describe('codebook', () => {
  it('creates, renames, recolours and defines codes; refuses clashing names and shortcuts', async () => {
    const transport = await t.call('codes.create', { name: 'Transport', shortcut: 't' });
    expect(transport.color).toMatch(/^#[0-9a-f]{6}$/i);
    const bus = await t.call('codes.create', { name: 'Bus', parentId: transport.id });
    expect(bus.parentId).toBe(transport.id);
    await expectError(t.call('codes.create', { name: 'bus', parentId: transport.id }), 'ALREADY_EXISTS');
    await expectError(t.call('codes.create', { name: 'Cycling', shortcut: 'T' }), 'CONFLICT');
    const renamed = await t.call('codes.update', {
      id: bus.id,
      name: 'Public transport',
      color: '#112233',
      definition: 'Any shared vehicle',
      inclusion: 'bus, tram',
      exclusion: 'taxis',
      keywords: ['bus', 'tram'],
      shortcut: 'b',
    });
    expect(renamed).toMatchObject({
      name: 'Public transport',
      color: '#112233',
      definition: 'Any shared vehicle',
      inclusion: 'bus, tram',
      exclusion: 'taxis',
      keywords: ['bus', 'tram'],
      shortcut: 'b',
    });
    await expectError(t.call('codes.update', { id: 999, name: 'x' }), 'NOT_FOUND');
    await expectError(t.call('codes.create', { name: 'x', color: 'red' }), 'INVALID_INPUT');
    const list = await t.call('codes.list', {});
    expect(list.map((c) => c.name)).toEqual(['Transport', 'Public transport']);
  });

  it('reorders siblings and undoes the reorder', async () => {
    const names = async () => (await t.call('codes.list', {})).map((c) => c.name);
    for (const name of ['A', 'B', 'C']) await t.call('codes.create', { name });
    const c = (await t.call('codes.list', {})).find((x) => x.name === 'C')!;
    await t.call('codes.move', { id: c.id, parentId: null, position: 0 });
    expect(await names()).toEqual(['C', 'A', 'B']);
    await t.call('codes.move', { id: c.id, parentId: null, position: 2 });
    expect(await names()).toEqual(['A', 'B', 'C']);
    await t.call('history.undo', {});
    expect(await names()).toEqual(['C', 'A', 'B']);
    expect((await t.call('codes.list', {})).map((x) => x.position)).toEqual([0, 1, 2]);
  });

  it('counts quotes and participants per code, with and without sub-codes', async () => {
    const a = interview('Interview 1', 'P1');
    const b = interview('Interview 2', 'P2');
    const transport = await t.call('codes.create', { name: 'Transport' });
    const bus = await t.call('codes.create', { name: 'Bus', parentId: transport.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'The bus is too expensive'), codeId: bus.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'I take the bus'), codeId: bus.id });
    await t.call('codings.apply', { documentId: b.documentId, ...span(b.text, 'I take the bus'), codeId: bus.id });
    await t.call('codings.apply', { documentId: b.documentId, ...span(b.text, 'I cycle every day'), codeId: transport.id });
    // The same coding twice is one coding.
    const again = await t.call('codings.apply', { documentId: b.documentId, ...span(b.text, 'I cycle every day'), codeId: transport.id });
    expect(again.created).toBe(false);
    const codes = await t.call('codes.list', {});
    const byName = Object.fromEntries(codes.map((c) => [c.name, c]));
    expect(byName.Bus).toMatchObject({ quoteCount: 3, participantCount: 2, totalQuoteCount: 3 });
    expect(byName.Transport).toMatchObject({ quoteCount: 1, participantCount: 1, totalQuoteCount: 4, totalParticipantCount: 2 });
  });

  it('refuses a selection outside the document and an unknown code', async () => {
    const a = interview();
    const code = await t.call('codes.create', { name: 'Transport' });
    await expectError(t.call('codings.apply', { documentId: a.documentId, start: 5, end: 5, codeId: code.id }), 'INVALID_INPUT');
    await expectError(t.call('codings.apply', { documentId: a.documentId, start: 0, end: a.text.length + 1, codeId: code.id }), 'INVALID_INPUT');
    await expectError(t.call('codings.apply', { documentId: a.documentId, start: 0, end: 3, codeId: 999 }), 'NOT_FOUND');
    await expectError(t.call('codings.apply', { documentId: 999, start: 0, end: 3, codeId: code.id }), 'NOT_FOUND');
    expect(dumpCoding(project()).segment).toEqual([]);
  });
});

describe('offsets stay correct', () => {
  it('after merge, split, move, undo, redo, and closing and reopening the project', async () => {
    const a = interview();
    const s1 = span(a.text, 'I cycle every day');
    const s2 = span(a.text, 'The bus is too expensive for me');
    const s3 = span(a.text, 'It is always late');
    const mobility = await t.call('codes.create', { name: 'Mobility' });
    const cycling = await t.call('codes.create', { name: 'Cycling' });
    const costs = await t.call('codes.create', { name: 'Costs' });
    await t.call('codings.apply', { documentId: a.documentId, ...s1, codeId: cycling.id });
    await t.call('codings.apply', { documentId: a.documentId, ...s2, codeId: costs.id });
    await t.call('codings.apply', { documentId: a.documentId, ...s2, codeId: mobility.id });
    await t.call('codings.apply', { documentId: a.documentId, ...s3, codeId: mobility.id });

    const check = async () => {
      const segments = await t.call('segments.list', { documentId: a.documentId });
      for (const s of segments) expect(s.text).toBe(a.text.slice(s.start, s.end));
      return segments;
    };
    const spansOf = async () => (await check()).map((s) => [s.start, s.end]);
    const before = await spansOf();
    expect(before).toEqual([[s1.start, s1.end], [s2.start, s2.end], [s3.start, s3.end]]);

    // Merge Costs into Mobility: s2 had both, so its two codings fold into one.
    const merged = await t.call('codes.merge', { sourceIds: [costs.id], targetId: mobility.id });
    expect(merged).toEqual({ targetId: mobility.id, moved: 0, folded: 1 });
    expect(await spansOf()).toEqual(before);
    const afterMerge = await t.call('quotes.list', { codeId: mobility.id });
    expect(afterMerge.quotes.map((q) => q.text)).toEqual(['The bus is too expensive for me', 'It is always late']);

    // Split Mobility: the late-bus quote goes to a new sub-code.
    const seg3 = (await check()).find((s) => s.start === s3.start)!;
    const [late] = await t.call('codes.split', { id: mobility.id, parts: [{ name: 'Delays', segmentIds: [seg3.id] }] });
    expect(late!.parentId).toBe(mobility.id);
    expect((await t.call('quotes.list', { codeId: late!.id })).quotes.map((q) => [q.start, q.end, q.text])).toEqual([
      [s3.start, s3.end, 'It is always late'],
    ]);
    expect((await t.call('quotes.list', { codeId: mobility.id, includeSubcodes: true })).total).toBe(2);
    expect((await t.call('quotes.list', { codeId: mobility.id })).total).toBe(1);

    // Move Cycling under Mobility.
    await t.call('codes.move', { id: cycling.id, parentId: mobility.id, position: 0 });
    await expectError(t.call('codes.move', { id: mobility.id, parentId: late!.id }), 'CONFLICT');
    expect(await spansOf()).toEqual(before);

    // Adjust a boundary, then undo everything back to the start.
    await t.call('segments.adjust', { id: seg3.id, start: s3.start, end: s3.end - 5 });
    expect((await check()).find((s) => s.id === seg3.id)!.text).toBe('It is always');
    const afterAll = dumpCoding(project());
    let steps = 0;
    while ((await t.call('history.undo', {})).label) steps++;
    expect(steps).toBe(11);
    expect(dumpCoding(project())).toMatchObject({ code: [], segment: [], coding: [] });

    // Redo half of it, close the app, reopen: the state and the redo stack are in the file.
    for (let i = 0; i < 8; i++) await t.call('history.redo', {});
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    expect(await spansOf()).toEqual(before);
    const state = await t.call('history.state', {});
    expect(state).toMatchObject({ canUndo: true, canRedo: true, redoLabel: 'Split "Mobility"' });
    for (let i = 0; i < 3; i++) await t.call('history.redo', {});
    expect(dumpCoding(project())).toEqual(afterAll);
    expect((await check()).find((s) => s.id === seg3.id)!.text).toBe('It is always');

    // Undo still works after reopening, and a new change drops the redo stack.
    await t.call('history.undo', {});
    expect((await check()).find((s) => s.id === seg3.id)!.text).toBe('It is always late');
    await t.call('codes.create', { name: 'New' });
    expect((await t.call('history.state', {})).canRedo).toBe(false);
  });
});

describe('undo when the world changed underneath', () => {
  it('a step that can no longer be replayed fails cleanly, leaves the list, and older steps still undo', async () => {
    const a = interview('Interview A', 'PA');
    const b = interview('Interview B', 'PB');
    const code = await t.call('codes.create', { name: 'Costs' });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'too expensive'), codeId: code.id });
    await t.call('codings.apply', { documentId: b.documentId, ...span(b.text, 'too expensive'), codeId: code.id });
    // Another part of the app removes document A (and, by cascade, its quote).
    project().db.prepare('DELETE FROM document WHERE id = ?').run(a.documentId);

    expect((await t.call('history.undo', {})).label).toBe('Code with "Costs"');
    const before = dumpCoding(project());
    const error = await expectError(t.call('history.undo', {}), 'CONFLICT');
    expect(error.message).toMatch(/could not be undone: a quote it touches was changed elsewhere/);
    expect(error.message).toMatch(/taken off the undo list/);
    expect(dumpCoding(project())).toEqual(before);
    expect(await t.call('history.state', {})).toMatchObject({ canUndo: true, undoLabel: 'Create code "Costs"', canRedo: true });
    expect((await t.call('history.undo', {})).label).toBe('Create code "Costs"');
    expect(dumpCoding(project()).code).toEqual([]);

    // Redo: the code comes back; the coding in B cannot (B is gone too) and the redo stack is dropped.
    await t.call('history.redo', {});
    project().db.prepare('DELETE FROM document WHERE id = ?').run(b.documentId);
    await expectError(t.call('history.redo', {}), 'CONFLICT');
    expect(await t.call('history.state', {})).toMatchObject({ canRedo: false, canUndo: true });
    expect((await t.call('codes.list', {})).map((c) => c.name)).toEqual(['Costs']);
  });
});

describe('delete, memos, stars', () => {
  it('previews the quotes a delete affects, deletes sub-codes too, and undo brings every quote and memo back', async () => {
    const a = interview();
    const parent = await t.call('codes.create', { name: 'Transport' });
    const child = await t.call('codes.create', { name: 'Bus', parentId: parent.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'I cycle every day'), codeId: parent.id });
    const bus = await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'I take the bus'), codeId: child.id });
    await t.call('memos.save', { targetKind: 'code', targetId: child.id, body: 'Only scheduled buses.' });
    await t.call('memos.save', { targetKind: 'segment', targetId: bus.segmentId, body: 'Seasonal.' });
    const preview = await t.call('codes.deletePreview', { id: parent.id });
    expect(preview.codeNames).toEqual(['Transport', 'Bus']);
    expect(preview.codingCount).toBe(2);
    expect(preview.memoCount).toBe(1);
    expect(preview.quotes.map((q) => q.text).sort()).toEqual(['I cycle every day', 'I take the bus']);

    const before = dumpCoding(project());
    await t.call('codes.delete', { id: parent.id });
    const after = dumpCoding(project());
    expect(after.code).toEqual([]);
    expect(after.coding).toEqual([]);
    // The quote with a memo stays (the memo still points at it); the bare one goes.
    expect((after.segment as { text: string }[]).map((s) => s.text)).toEqual(['I take the bus']);
    await t.call('history.undo', {});
    expect(dumpCoding(project())).toEqual(before);
  });

  it('keeps memos on the project, a code, a document and a quote; stars quotes; all undoable', async () => {
    const a = interview();
    const code = await t.call('codes.create', { name: 'Costs' });
    const applied = await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'too expensive'), codeId: code.id });
    await t.call('memos.save', { targetKind: 'project', body: 'Research question: commuting.' });
    await t.call('memos.save', { targetKind: 'document', targetId: a.documentId, body: 'Recorded by phone.' });
    const memo = await t.call('memos.save', { targetKind: 'segment', targetId: applied.segmentId, title: 'Price', body: 'First draft' });
    await t.call('memos.save', { id: memo.id, targetKind: 'segment', targetId: applied.segmentId, body: 'Second draft' });
    expect((await t.call('memos.list', { targetKind: 'segment', targetId: applied.segmentId }))[0]).toMatchObject({ title: 'Price', body: 'Second draft' });
    expect(await t.call('memos.list', {})).toHaveLength(3);
    await expectError(t.call('memos.save', { targetKind: 'code', targetId: 999, body: 'x' }), 'NOT_FOUND');
    await t.call('history.undo', {});
    expect((await t.call('memos.list', { targetKind: 'segment', targetId: applied.segmentId }))[0]!.body).toBe('First draft');

    const starred = await t.call('segments.star', { id: applied.segmentId, starred: true });
    expect(starred.starred).toBe(true);
    expect((await t.call('quotes.list', { codeId: code.id, filters: { starred: true } })).total).toBe(1);
    await t.call('history.undo', {});
    expect((await t.call('quotes.list', { codeId: code.id, filters: { starred: true } })).total).toBe(0);
  });

  it('codes a selection in vivo and removes a coding', async () => {
    const a = interview();
    const result = await t.call('codings.applyInVivo', { documentId: a.documentId, ...span(a.text, 'always late') });
    expect(result.code.name).toBe('always late');
    expect(result.code.quoteCount).toBe(1);
    // The same words elsewhere reuse that code rather than failing on the name.
    const again = await t.call('codings.applyInVivo', { documentId: a.documentId, ...span(a.text, 'cycle every day') });
    expect(again.code.name).toBe('cycle every day');
    const twice = seedDocument(project(), { name: 'Other', turns: [{ speaker: 'X', text: 'The trams are always late!' }] });
    const reused = await t.call('codings.applyInVivo', { documentId: twice.documentId, ...span(twice.text, 'always late') });
    expect(reused.code.id).toBe(result.code.id);
    expect(reused.code.quoteCount).toBe(2);
    await t.call('history.undo', {});
    await t.call('history.undo', {});
    await t.call('codings.remove', { codingId: result.codingId });
    expect(dumpCoding(project()).segment).toEqual([]);
    await t.call('history.undo', {});
    await t.call('history.undo', {});
    expect(dumpCoding(project())).toMatchObject({ code: [], segment: [], coding: [] });
    expect((await t.call('history.list', {})).map((o) => o.state)).toEqual(['undone', 'undone']);
  });
});

describe('coders', () => {
  it('records who coded, and blind mode shows a coder only their own codings', async () => {
    const a = interview();
    const code = await t.call('codes.create', { name: 'Costs' });
    const session = await t.call('coders.create', { name: 'Ana' });
    const me = session.coders.find((c) => c.name === 'me')!;
    const ana = session.coders.find((c) => c.name === 'Ana')!;
    await expectError(t.call('coders.create', { name: 'ana' }), 'ALREADY_EXISTS');
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'too expensive'), codeId: code.id });
    await t.call('coders.choose', { id: ana.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'always late'), codeId: code.id });
    expect((await t.call('codes.list', {}))[0]!.quoteCount).toBe(2);
    await t.call('coders.setBlind', { blind: true });
    expect((await t.call('codes.list', {}))[0]!.quoteCount).toBe(1);
    const quotes = await t.call('quotes.list', { codeId: code.id });
    expect(quotes.quotes.map((q) => q.text)).toEqual(['always late']);
    const segments = await t.call('segments.list', { documentId: a.documentId });
    expect(segments.map((s) => s.text)).toEqual(['always late']);
    expect(segments[0]!.codings[0]!.coderId).toBe(ana.id);
    await t.call('coders.choose', { id: me.id });
    expect((await t.call('quotes.list', { codeId: code.id })).quotes.map((q) => q.text)).toEqual(['too expensive']);
    const listed = await t.call('coders.list', {});
    expect(listed).toMatchObject({ currentCoderId: me.id, blind: true });
    expect(listed.coders.map((c) => c.codingCount)).toEqual([1, 1]);
  });
});

describe('quotes view and co-occurrence', () => {
  it('lists quotes with speaker, participant attributes and wave; filters and sorts them', async () => {
    const a = interview('Interview A', 'Pia');
    const b = seedDocument(project(), {
      name: 'Interview B',
      participant: 'Bo',
      attributes: { age: 61, region: 'South' },
      wave: 'Wave 2',
      turns: [{ speaker: 'Bo', text: 'The bus is fine for me, mostly. Though fares went up.' }],
    });
    const code = await t.call('codes.create', { name: 'Bus' });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'The bus is too expensive for me.'), codeId: code.id });
    await t.call('codings.apply', { documentId: b.documentId, ...span(b.text, 'The bus is fine for me, mostly.'), codeId: code.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'And in winter?'), codeId: code.id });
    const page = await t.call('quotes.list', { codeId: code.id });
    expect(page.total).toBe(3);
    const first = page.quotes[0]!;
    expect(first).toMatchObject({ documentName: 'Interview A', speaker: 'Pia', participant: 'Pia', wave: 'Wave 1', attributes: { age: 34, region: 'North' } });
    expect(page.quotes.find((q) => q.text === 'And in winter?')).toMatchObject({ speaker: 'Interviewer', participant: 'Pia' });
    expect(page.attributeNames).toEqual(['age', 'region']);
    expect(page.speakers).toEqual(['Bo', 'Interviewer', 'Pia']);
    expect(page.waves).toEqual(['Wave 1', 'Wave 2']);
    expect((await t.call('quotes.list', { codeId: code.id, filters: { attributes: { region: 'South' } } })).quotes.map((q) => q.participant)).toEqual(['Bo']);
    expect((await t.call('quotes.list', { codeId: code.id, filters: { wave: 'Wave 1', speaker: 'Pia' } })).total).toBe(1);
    expect((await t.call('quotes.list', { codeId: code.id, filters: { search: 'FINE' } })).total).toBe(1);
    const byLength = await t.call('quotes.list', { codeId: code.id, sort: 'length', descending: true });
    expect(byLength.quotes.map((q) => q.text.length)).toEqual([32, 31, 14]);
  });

  it('counts codes overlapping on the same passages and drills down to them', async () => {
    const a = interview();
    const costs = await t.call('codes.create', { name: 'Costs' });
    const bus = await t.call('codes.create', { name: 'Bus' });
    const winter = await t.call('codes.create', { name: 'Winter' });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'The bus is too expensive'), codeId: bus.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'too expensive for me'), codeId: costs.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'In winter I take the bus'), codeId: winter.id });
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'I take the bus, sadly'), codeId: bus.id });
    const result = await t.call('cooccurrence.run', {});
    const cell = (x: number, y: number) => result.cells.find((c) => c.codeA === Math.min(x, y) && c.codeB === Math.max(x, y))?.count ?? 0;
    expect(cell(costs.id, bus.id)).toBe(1);
    expect(cell(bus.id, winter.id)).toBe(1);
    expect(cell(costs.id, winter.id)).toBe(0);
    // The very same passage coded with both codes is one more shared passage.
    await t.call('codings.apply', { documentId: a.documentId, ...span(a.text, 'The bus is too expensive'), codeId: costs.id });
    const again = await t.call('cooccurrence.run', { codeIds: [costs.id, bus.id] });
    expect(again.cells).toEqual([{ codeA: costs.id, codeB: bus.id, count: 2 }]);
    expect(again.codes.map((c) => c.name)).toEqual(['Costs', 'Bus']);
    const pairs = await t.call('cooccurrence.pairs', { codeA: bus.id, codeB: winter.id });
    expect(pairs.map((p) => [p.a.text, p.b.text])).toEqual([['I take the bus, sadly', 'In winter I take the bus']]);
  });
});

describe('agreement on units', () => {
  it('compares two coders turn by turn, lists disagreements, and treats uncoded documents as missing', async () => {
    const doc = seedDocument(project(), {
      name: 'Answers',
      kind: 'survey_text',
      turns: ['Too expensive', 'Bus is late', 'Love cycling', 'Fares are high and the bus is late', 'No comment', 'Cheap enough'].map(
        (text, i) => ({ speaker: '', text, respondentRow: i }),
      ),
    });
    const unrelated = interview();
    const session = await t.call('coders.create', { name: 'B' });
    const a = session.coders.find((c) => c.name === 'me')!.id;
    const b = session.coders.find((c) => c.name === 'B')!.id;
    const costs = await t.call('codes.create', { name: 'Costs' });
    const delay = await t.call('codes.create', { name: 'Delay' });
    const code = (coderId: number, turn: number, codeId: number) =>
      t.call('codings.apply', { documentId: doc.documentId, ...doc.turns[turn]!, codeId, coderId });
    // Costs: A on turns 0, 3, 5; B on 0, 3. Delay: A on 1, 3; B on 1, 3 (+ a selection running on over the blank line after turn 1).
    await code(a, 0, costs.id);
    await code(a, 3, costs.id);
    await code(a, 5, costs.id);
    await code(b, 0, costs.id);
    await code(b, 3, costs.id);
    await code(a, 1, delay.id);
    await code(a, 3, delay.id);
    await t.call('codings.apply', { documentId: doc.documentId, start: doc.turns[1]!.start, end: doc.turns[2]!.start, codeId: delay.id, coderId: b });
    await code(b, 3, delay.id);
    // Only A coded the interview: B's judgement there is missing, so those units do not count.
    await t.call('codings.apply', { documentId: unrelated.documentId, ...span(unrelated.text, 'always late'), codeId: delay.id, coderId: a });

    const report = await t.call('agreement.run', { coderIds: [a, b] });
    expect(report.documents).toBe(2);
    const perCode = Object.fromEntries(report.perCode.map((c) => [c.codeName, c]));
    // Costs table over 6 units: (1,1)=2, (1,0)=1, (0,0)=3 → po=5/6, pe=(3/6)(2/6)+(3/6)(4/6)=1/2, κ=2/3.
    expect(perCode.Costs!.units).toBe(6);
    expect(perCode.Costs!.percentAgreement!).toBeCloseTo(5 / 6, 10);
    expect(perCode.Costs!.cohensKappa!).toBeCloseTo(2 / 3, 10);
    expect(perCode.Delay!).toMatchObject({ units: 6, percentAgreement: 1, cohensKappa: 1, krippendorffAlpha: 1 });
    expect(report.overall.units).toBe(12);
    expect(report.overall.percentAgreement!).toBeCloseTo(11 / 12, 10);
    expect(report.disagreements).toEqual([
      expect.objectContaining({ codeName: 'Costs', text: 'Cheap enough', appliedBy: [a], notAppliedBy: [b] }),
    ]);
    // α for Costs from its coincidence matrix: n = 12 values (five 1s, seven 0s), o(0,1) = o(1,0) = 1
    // → α = 1 − (n−1)·Σo(c≠k) / Σ n_c·n_k(c≠k) = 1 − 11·2 / (2·5·7).
    expect(perCode.Costs!.krippendorffAlpha!).toBeCloseTo(1 - (11 * 2) / (2 * 5 * 7), 10);

    const sentences = await t.call('agreement.run', { coderIds: [a, b], unit: 'sentence', codeIds: [costs.id] });
    expect(sentences.perCode).toHaveLength(1);
    await expectError(t.call('agreement.run', { coderIds: [a, a] }), 'INVALID_INPUT');

    // Resolve the one disagreement: everyone applies Costs to "Cheap enough" (one undoable step).
    const d = report.disagreements[0]!;
    const resolved = await t.call('agreement.resolve', { documentId: d.documentId, unitStart: d.unitStart, unitEnd: d.unitEnd, codeId: d.codeId, coderIds: [a, b], decision: 'apply' });
    expect(resolved).toEqual({ applied: 1, removed: 0 });
    const after = await t.call('agreement.run', { coderIds: [a, b] });
    expect(after.disagreements).toEqual([]);
    expect(after.perCode.find((c) => c.codeName === 'Costs')!.cohensKappa).toBe(1);
    await t.call('history.undo', {});
    expect((await t.call('agreement.run', { coderIds: [a, b] })).disagreements).toHaveLength(1);
    // Or no one: A's coding of that answer goes.
    expect(await t.call('agreement.resolve', { documentId: d.documentId, unitStart: d.unitStart, unitEnd: d.unitEnd, codeId: d.codeId, coderIds: [a, b], decision: 'remove' })).toEqual({
      applied: 0,
      removed: 1,
    });
    expect((await t.call('agreement.run', { coderIds: [a, b] })).disagreements).toEqual([]);
  });

  it('sentence units tell apart coders who coded different sentences of the same turn (CJK punctuation too)', async () => {
    const doc = seedDocument(project(), {
      name: 'Mixed',
      participant: 'Li',
      turns: [
        { speaker: 'Li', text: 'The bus is cheap. The train is fast. I like both.' },
        { speaker: 'Li', text: '公交车很便宜。火车很快！我都喜欢。' },
      ],
    });
    const session = await t.call('coders.create', { name: 'B' });
    const [a, b] = [session.coders[0]!.id, session.coders[1]!.id];
    const code = await t.call('codes.create', { name: 'Praise' });
    const apply = (phrase: string, coderId: number) => t.call('codings.apply', { documentId: doc.documentId, ...span(doc.text, phrase), codeId: code.id, coderId });
    await apply('The bus is cheap.', a);
    await apply('The train is fast.', b);
    await apply('公交车很便宜。', a);
    await apply('公交车很便宜。', b);
    const turns = await t.call('agreement.run', { coderIds: [a, b], unit: 'turn' });
    expect(turns.perCode[0]).toMatchObject({ units: 2, percentAgreement: 1 });
    const sentences = await t.call('agreement.run', { coderIds: [a, b], unit: 'sentence' });
    // English turn: 3 sentences (A: 1 0 0, B: 0 1 0); Chinese turn: 3 sentences (A: 1 0 0, B: 1 0 0).
    expect(sentences.perCode[0]!.units).toBe(6);
    expect(sentences.perCode[0]!.percentAgreement!).toBeCloseTo(4 / 6, 10);
    expect(sentences.disagreements.map((d) => d.text)).toEqual(['The bus is cheap.', 'The train is fast.']);
  });
});
