import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, sharedData, sharedDataAvailable, type TestCore } from '../testing/index';
import { runCli } from '../testing/cli';

/**
 * Participant, attribute, speaker and document edits share the coding undo log: each user action is
 * one step, and undo/redo bring the project file back to exactly the rows before/after it.
 */

let t: TestCore;
let projectPath: string;
beforeEach(async () => {
  t = createTestCore();
  projectPath = await t.newProject();
});
afterEach(() => t.cleanup());

function write(name: string, content: string): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const TABLES = ['participant', 'attribute', 'participant_attribute', 'speaker', 'document', 'turn', 'segment', 'coding', 'memo'] as const;

/** Every row and column of the tables these edits touch (typed values as stored, in key order). */
function contents(): Record<string, unknown[]> {
  const db = t.core.currentProject()?.db;
  if (!db) throw new Error('no project');
  return Object.fromEntries(
    TABLES.map((table) => [
      table,
      db.prepare(`SELECT *, ${table === 'participant_attribute' ? 'typeof(value) AS value_type' : "''"} FROM ${table} ORDER BY 1, 2`).all(),
    ]),
  );
}

/** Runs one edit, then checks undo restores `before` and redo restores `after`; returns the step label. */
async function roundTrip(edit: () => Promise<unknown>): Promise<string | null> {
  const before = contents();
  await edit();
  const after = contents();
  expect(after).not.toEqual(before);
  const undone = await t.call('history.undo', {});
  expect(contents()).toEqual(before);
  const redone = await t.call('history.redo', {});
  expect(redone.label).toBe(undone.label);
  expect(contents()).toEqual(after);
  return undone.label;
}

const INTERVIEW = [
  'Interviewer: Tell me about model management at your company.',
  'Alice: We built our own model registry.',
  'Interviewer: What about cloud costs?',
  'Alice: Cloud costs are a constant worry.',
].join('\n');

async function importInterview(): Promise<{ documentId: number; alice: number; interviewer: number }> {
  const { documents } = await t.call('transcripts.import', { files: [{ path: write('interview-1.txt', INTERVIEW) }] });
  const documentId = documents[0]!.id;
  const doc = await t.call('documents.get', { id: documentId });
  const speaker = (label: string) => doc.speakers.find((s) => s.label === label)!.id;
  return { documentId, alice: speaker('Alice'), interviewer: speaker('Interviewer') };
}

describe('undo of speaker and transcript edits', () => {
  it('renames a speaker, marks the interviewer and assigns a participant, each one undo step', async () => {
    const { alice, interviewer } = await importInterview();
    const p = await t.call('participants.create', { name: 'P01' });

    expect(await roundTrip(() => t.call('speakers.update', { id: alice, displayName: 'Alice Chen' }))).toBe('Rename speaker Alice → Alice Chen');
    expect((await t.call('documents.get', { id: (await t.call('documents.list', {}))[0]!.id })).speakers.find((s) => s.id === alice)?.displayName).toBe(
      'Alice Chen',
    );
    expect(await roundTrip(() => t.call('speakers.update', { id: interviewer, isInterviewer: false }))).toBe('Mark Interviewer as not the interviewer');
    expect(await roundTrip(() => t.call('speakers.update', { id: alice, participantId: p.id }))).toBe('Assign speaker Alice Chen to P01');
    expect(await roundTrip(() => t.call('speakers.update', { id: alice, displayName: 'A. Chen', isInterviewer: true }))).toBe('Edit speaker Alice Chen');

    // Undo walks back through all of them, newest first, to the speaker as imported.
    const labels: (string | null)[] = [];
    for (let i = 0; i < 4; i++) labels.push((await t.call('history.undo', {})).label);
    expect(labels).toEqual(['Edit speaker Alice Chen', 'Assign speaker Alice Chen to P01', 'Mark Interviewer as not the interviewer', 'Rename speaker Alice → Alice Chen']);
    const speaker = (await t.call('documents.get', { id: (await t.call('documents.list', {}))[0]!.id })).speakers.find((s) => s.id === alice);
    expect(speaker).toMatchObject({ displayName: 'Alice', isInterviewer: false, participantId: null });
  });

  it('renames a transcript and assigns it to a participant', async () => {
    const { documentId } = await importInterview();
    const p = await t.call('participants.create', { name: 'P02' });
    expect(await roundTrip(() => t.call('documents.update', { id: documentId, name: 'Alice, March' }))).toBe('Rename transcript interview-1 → Alice, March');
    expect(await roundTrip(() => t.call('documents.update', { id: documentId, participantId: p.id }))).toBe('Assign transcript Alice, March to P02');
    expect(await roundTrip(() => t.call('documents.update', { id: documentId, participantId: null }))).toBe('Unassign transcript Alice, March from P02');
  });

  it('an edit that changes nothing adds no undo step', async () => {
    const { alice } = await importInterview();
    const before = await t.call('history.list', {});
    await t.call('speakers.update', { id: alice, displayName: 'Alice' });
    expect(await t.call('history.list', {})).toEqual(before);
  });

  it('a redo that can no longer apply (its survey dataset was removed) leaves the list with a plain message', async () => {
    const csv = write('wave1.csv', 'respondent_id,team_size\nR1,5\nR2,40\n');
    const imported = await t.call('survey.import', { path: csv, name: 'Wave 1', overrides: { idColumn: 'respondent_id' } }, 'survey');
    const p = await t.call('participants.create', { name: 'P02' });
    await t.call('participants.update', { id: p.id, datasetId: imported.datasetId, respondentKey: 'R2' });
    expect((await t.call('history.undo', {})).label).toBe('Link P02 to respondent R2');
    await t.call('survey.deleteDataset', { datasetId: imported.datasetId });
    const before = contents();
    const error = await failure(t.call('history.redo', {}));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/“Link P02 to respondent R2” could not be redone: a participant it touches was changed elsewhere/);
    expect(contents()).toEqual(before);
    expect(await t.call('history.state', {})).toMatchObject({ canRedo: false, canUndo: true, undoLabel: 'Add participant P02' });
  });
});

describe('undo of deleting a transcript', () => {
  it('brings back the document, speakers, turns, quotes, codings and suggestions with their ids, and search finds it again', async () => {
    const { documentId, alice } = await importInterview();
    const other = await importInterview();
    const p = await t.call('participants.create', { name: 'P01' });
    await t.call('documents.update', { id: documentId, participantId: p.id });
    await t.call('speakers.update', { id: alice, displayName: 'Alice Chen' });
    const code = await t.call('codes.create', { name: 'Registry' });
    const text = (await t.call('documents.get', { id: documentId })).text;
    const start = text.indexOf('model registry');
    await t.call('codings.apply', { documentId, start, end: start + 'model registry'.length, codeId: code.id });
    await t.call('codings.apply', { documentId: other.documentId, start, end: start + 'model registry'.length, codeId: code.id });
    const db = t.core.currentProject()!.db;
    db.prepare('INSERT INTO suggestion (document_id, start_char, end_char, code_id, score) VALUES (?, ?, ?, ?, 0.9)').run(documentId, 0, 10, code.id);
    // Sorted: the order of hits follows the index's own row order, which a rebuild may change.
    const search = async () =>
      (await t.call('search.run', { query: '"model registry"' })).hits.map((h) => [h.documentId, h.speaker, h.participantName]).sort((a, b) => Number(a[0]) - Number(b[0]));
    const found = await search();
    expect(found).toEqual([
      [documentId, 'Alice Chen', 'P01'],
      [other.documentId, 'Alice', null],
    ]);

    expect(await roundTrip(() => t.call('documents.delete', { id: documentId }))).toBe('Delete transcript interview-1');
    expect(await search()).toEqual([[other.documentId, 'Alice', null]]);
    await t.call('history.undo', {});
    expect(await search()).toEqual(found);
    expect((await t.call('quotes.list', { codeId: code.id })).total).toBe(2);
    // Earlier edits of the transcript still undo after it came back.
    expect((await t.call('history.undo', {})).label).toBe('Code with "Registry"');
    expect((await t.call('history.undo', {})).label).toBe('Code with "Registry"');
    expect((await t.call('history.undo', {})).label).toBe('Create code "Registry"');
    expect((await t.call('history.undo', {})).label).toBe('Rename speaker Alice → Alice Chen');
  });

  it('when a later import took the freed ids, undo takes that import back first, then the deletion', async () => {
    const { documentId } = await importInterview();
    const imported = contents();
    await t.call('documents.delete', { id: documentId });
    const { documents } = await t.call('transcripts.import', { files: [{ path: write('interview-2.txt', INTERVIEW) }] });
    expect(documents[0]?.id).toBe(documentId); // SQLite hands out the highest free id again
    expect((await t.call('history.undo', {})).label).toBe('Import transcript interview-2.txt');
    expect((await t.call('history.undo', {})).label).toBe('Delete transcript interview-1');
    expect(contents()).toEqual(imported);
    expect((await t.call('search.run', { query: 'registry' })).total).toBe(1);
  });

  it('survives closing the project: the deletion undoes after reopening', async () => {
    const { documentId } = await importInterview();
    const before = contents();
    await t.call('documents.delete', { id: documentId });
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    expect((await t.call('history.undo', {})).label).toBe('Delete transcript interview-1');
    expect(contents()).toEqual(before);
    expect((await t.call('search.run', { query: 'registry' })).total).toBe(1);
  });
});

describe('undo of participant and attribute edits', () => {
  it('undoes creating, renaming, setting, changing and clearing values, and the respondent link', async () => {
    const role = await t.call('attributes.create', { name: 'role', type: 'text' });
    const size = await t.call('attributes.create', { name: 'company size', type: 'number' });
    let id = 0;
    expect(
      await roundTrip(async () => {
        id = (await t.call('participants.create', { name: 'P07', values: { [role.id]: 'engineer', [size.id]: '1,200' } })).id;
      }),
    ).toBe('Add participant P07');
    expect(await roundTrip(() => t.call('participants.update', { id, name: 'P7' }))).toBe('Rename participant P07 → P7');
    expect(await roundTrip(() => t.call('participants.update', { id, values: { [role.id]: 'manager' } }))).toBe('Set role of P7 to “manager”');
    expect(await roundTrip(() => t.call('participants.update', { id, values: { [size.id]: null } }))).toBe('Clear company size of P7');
    expect(await roundTrip(() => t.call('participants.update', { id, values: { [size.id]: 40 } }))).toBe('Set company size of P7 to 40');
    expect(await roundTrip(() => t.call('participants.update', { id, respondentKey: ' R_123 ' }))).toBe('Link P7 to respondent R_123');
    expect(await roundTrip(() => t.call('participants.update', { id, respondentKey: null }))).toBe('Unlink P7 from their survey respondent');
    expect(await roundTrip(() => t.call('participants.update', { id, name: 'P07', values: { [role.id]: 'lead' } }))).toBe('Edit participant P7');
    const grid = await t.call('participants.list', {});
    expect(grid.participants[0]).toMatchObject({ name: 'P07', values: { [role.id]: 'lead', [size.id]: 40 } });
  });

  it('a refused edit (not a number) changes nothing and adds no step', async () => {
    const size = await t.call('attributes.create', { name: 'company size', type: 'number' });
    const p = await t.call('participants.create', { name: 'P01', values: { [size.id]: 10 } });
    const before = contents();
    const history = await t.call('history.list', {});
    const error = await failure(t.call('participants.update', { id: p.id, name: 'P1', values: { [size.id]: 'big' } }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(contents()).toEqual(before);
    expect(await t.call('history.list', {})).toEqual(history);
  });

  it('undoes renaming an attribute and changing its type (values converted back to the text they were)', async () => {
    const age = await t.call('attributes.create', { name: 'age', type: 'text' });
    await t.call('participants.create', { name: 'P01', values: { [age.id]: '34' } });
    await t.call('participants.create', { name: 'P02', values: { [age.id]: '1,200' } });
    await t.call('participants.create', { name: 'P03' });
    expect(await roundTrip(() => t.call('attributes.update', { id: age.id, name: 'age (years)' }))).toBe('Rename attribute age → age (years)');
    expect(await roundTrip(() => t.call('attributes.update', { id: age.id, type: 'number' }))).toBe('Make attribute age (years) a number');
    const grid = await t.call('participants.list', {});
    expect(grid.participants.map((p) => p.values[String(age.id)] ?? null)).toEqual([34, 1200, null]);
    await t.call('history.undo', {});
    const back = await t.call('participants.list', {});
    expect(back.participants.map((p) => p.values[String(age.id)] ?? null)).toEqual(['34', '1,200', null]);
  });

  it('undoes deleting a participant: their values, transcript and speaker assignments come back', async () => {
    const { documentId, alice } = await importInterview();
    const role = await t.call('attributes.create', { name: 'role', type: 'text' });
    const p = await t.call('participants.create', { name: 'P01', values: { [role.id]: 'engineer' } });
    await t.call('documents.update', { id: documentId, participantId: p.id });
    await t.call('speakers.update', { id: alice, participantId: p.id });
    expect(await roundTrip(() => t.call('participants.delete', { id: p.id }))).toBe('Delete participant P01');
    // After redo the participant is gone again; one more undo and search sees it on the turn again.
    await t.call('history.undo', {});
    const hits = await t.call('search.run', { query: 'registry' });
    expect(hits.hits[0]?.participantName).toBe('P01');
    expect(await t.call('participants.delete', { id: 9999 })).toEqual({ deleted: false });
  });

  it('undoes adding and deleting an attribute with its values', async () => {
    await t.call('participants.create', { name: 'P01' });
    let id = 0;
    expect(
      await roundTrip(async () => {
        id = (await t.call('attributes.create', { name: 'country', type: 'text' })).id;
      }),
    ).toBe('Add attribute country');
    const p2 = await t.call('participants.create', { name: 'P02', values: { [id]: 'Japan' } });
    await t.call('participants.update', { id: p2.id - 1, values: { [id]: 'Brazil' } });
    expect(await roundTrip(() => t.call('attributes.delete', { id }))).toBe('Delete attribute country');
  });

  it('keeps one history with coding: undo goes back across both kinds of step, also after reopening', async () => {
    const { documentId, alice } = await importInterview();
    const code = await t.call('codes.create', { name: 'Costs' });
    await t.call('speakers.update', { id: alice, displayName: 'Alice Chen' });
    await t.call('codings.apply', { documentId, start: 0, end: 10, codeId: code.id });
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    expect((await t.call('history.undo', {})).label).toBe('Code with "Costs"');
    expect((await t.call('history.undo', {})).label).toBe('Rename speaker Alice → Alice Chen');
    expect((await t.call('documents.get', { id: documentId })).speakers.find((s) => s.id === alice)?.displayName).toBe('Alice');
    expect((await t.call('history.undo', {})).label).toBe('Create code "Costs"');
  });

  it('tells hosts that participants and documents changed after an edit', async () => {
    const { alice } = await importInterview();
    t.events.length = 0;
    await t.call('speakers.update', { id: alice, displayName: 'Alice Chen' });
    const topics = t.events.flatMap((e) => (e.type === 'project.changed' ? e.topics : []));
    expect(topics).toEqual(expect.arrayContaining(['documents', 'participants', 'history']));
  });
});

describe('undo of a participants sheet import', () => {
  it('the whole sheet is one step: undo restores the grid as before (updated rows included), redo brings it back', async () => {
    const role = await t.call('attributes.create', { name: 'role', type: 'text' });
    await t.call('participants.create', { name: 'P01', values: { [role.id]: 'intern' } });
    const csv = write(
      'people.csv',
      ['pseudonym,role,employees,respondent', 'P01,engineer,"1,200",R1', 'P02,designer,40.5,R2', 'P03,,7,'].join('\n'),
    );
    let result: unknown;
    const label = await roundTrip(async () => {
      result = await t.call('participants.importSheet', { path: csv, keyColumn: 'pseudonym', respondentColumn: 'respondent' });
    });
    expect(label).toBe('Import participants from people.csv');
    expect(result).toEqual({ created: 2, updated: 1, attributesCreated: ['employees'], linked: 2 });
    expect((await t.call('history.list', {})).filter((o) => o.label === label)).toHaveLength(1);
    await t.call('history.undo', {});
    const grid = await t.call('participants.list', {});
    expect(grid.attributes.map((a) => a.name)).toEqual(['role']);
    expect(grid.participants.map((p) => [p.name, p.values[String(role.id)], p.respondentKey])).toEqual([['P01', 'intern', null]]);
  });
});

describe('undo from the command line', () => {
  it('fieldbook undo / redo take back a participants sheet import as one step', () => {
    const run = runCli(t.dir);
    const project = path.join(t.dir, 'cli.fieldbook');
    expect(run('new', project).status).toBe(0);
    const sheet = write('people.csv', 'name,role\nAna,engineer\nBo,designer\n');
    const names = () => {
      const listed = run('participants', project, '--json');
      expect(listed.status, listed.stderr).toBe(0);
      return (JSON.parse(listed.stdout) as { participants: { name: string }[] }).participants.map((p) => p.name);
    };
    expect(run('participants', project, '--import-sheet', sheet).status).toBe(0);
    expect(names()).toEqual(['Ana', 'Bo']);
    const undone = run('undo', project);
    expect(undone.status, undone.stderr).toBe(0);
    expect(undone.stdout).toContain('Undid: Import participants from people.csv');
    expect(names()).toEqual([]);
    expect(run('redo', project).stdout).toContain('Redid: Import participants from people.csv');
    expect(names()).toEqual(['Ana', 'Bo']);
  });
});

describe.skipIf(!sharedDataAvailable)('undo on real-world files', () => {
  it('imports the QualCoder attribute sheet and a WebVTT file, edits them, and undoes every edit exactly', async () => {
    expect(
      await roundTrip(() => t.call('participants.importSheet', { path: sharedData('survey/qualcoder_survey456_freetext.csv'), keyColumn: 'Case' })),
    ).toBe('Import participants from qualcoder_survey456_freetext.csv');
    const grid = await t.call('participants.list', {});
    const age = grid.attributes.find((a) => a.name === 'Age')!;
    expect(age.type).toBe('number');
    expect(await roundTrip(() => t.call('attributes.update', { id: age.id, type: 'text' }))).toBe('Make attribute Age text');
    const { documents } = await t.call('transcripts.import', { files: [{ path: sharedData('transcripts/webvtt_py/using_identifiers.vtt') }] });
    const doc = await t.call('documents.get', { id: documents[0]!.id });
    const first = grid.participants[0]!;
    expect(await roundTrip(() => t.call('documents.update', { id: doc.document.id, participantId: first.id }))).toBe(
      `Assign transcript using_identifiers to ${first.name}`,
    );
    expect(await roundTrip(() => t.call('participants.delete', { id: first.id }))).toBe(`Delete participant ${first.name}`);
  });
});
