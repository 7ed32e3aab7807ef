import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../testing/index';
import { seedDocument } from '../../coding/testing/seed';
import { dumpProject } from '../fixtures/seed';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

const db = () => t.core.currentProject()!.db;
const id = (sql: string, ...args: unknown[]) => db().prepare(sql).pluck().get(...args) as number;

const TURNS = ['The bus is too expensive.', 'I cycle in summer 🚲.', 'Trains are late.', 'Fares went up twice.'];
const SHARED = 'Both coders received this note later.';

/** The base study both coders start from: exported once, so its documents and codes have GUIDs. */
async function base(): Promise<string> {
  const file = await t.newProject('base');
  seedDocument(t.core.currentProject()!, { name: 'Interview 1', participant: 'P1', turns: TURNS.map((text) => ({ speaker: 'P1', text })) });
  db().prepare("INSERT INTO coder (name) VALUES ('ana'), ('ben')").run();
  const transport = (await t.call('codes.create', { name: 'Transport' })).id;
  await t.call('codes.create', { name: 'Costs', parentId: transport });
  await t.call('export.qdpx', { path: path.join(t.dir, 'base.qdpx') });
  await t.call('project.close', {});
  return file;
}

/** A copy of the base project, opened, with the same document added under another name (no shared GUID). */
async function copy(from: string, name: string): Promise<void> {
  const to = path.join(t.dir, `${name}.fieldbook`);
  fs.copyFileSync(from, to);
  await t.call('project.open', { path: to });
  seedDocument(t.core.currentProject()!, { name: `Note (${name})`, turns: [{ speaker: 'P1', text: SHARED }] });
}

async function code(document: string, turn: number, codeName: string, coder: string): Promise<void> {
  const documentId = id('SELECT id FROM document WHERE name = ?', document);
  const span = db().prepare('SELECT start_char AS start, end_char AS end FROM turn WHERE document_id = ? ORDER BY position LIMIT 1 OFFSET ?').get(documentId, turn) as { start: number; end: number };
  await t.call('codings.apply', { documentId, codeId: id('SELECT id FROM code WHERE name = ?', codeName), coderId: id('SELECT id FROM coder WHERE name = ?', coder), ...span });
}

function codings() {
  return db()
    .prepare(
      `SELECT d.name AS document, s.text, c.name AS code, k.name AS coder FROM coding g JOIN segment s ON s.id = g.segment_id
       JOIN document d ON d.id = s.document_id JOIN code c ON c.id = g.code_id JOIN coder k ON k.id = g.coder_id ORDER BY coder, document, s.start_char, code`,
    )
    .all();
}

describe("merging another coder's copy (.qdpx)", () => {
  it('matches documents by GUID or text and codes by GUID or name, adds codings under their coder, reports conflicts, undoes as one step', async () => {
    const file = await base();
    // Ana codes her copy.
    await copy(file, 'ana');
    await code('Interview 1', 0, 'Costs', 'ana');
    await code('Interview 1', 1, 'Costs', 'ana');
    await code('Note (ana)', 0, 'Transport', 'ana');
    await t.call('project.close', {});
    // Ben codes his, renames Costs to Fares, and adds a code of his own.
    await copy(file, 'ben');
    await t.call('codes.update', { id: id("SELECT id FROM code WHERE name = 'Costs'"), name: 'Fares' });
    const delays = (await t.call('codes.create', { name: 'Delays' })).id;
    await code('Interview 1', 0, 'Fares', 'ben');
    await code('Interview 1', 1, 'Fares', 'ben');
    await code('Interview 1', 2, 'Fares', 'ben');
    await code('Interview 1', 2, 'Delays', 'ben');
    await code('Note (ben)', 0, 'Transport', 'ben');
    expect(delays).toBeGreaterThan(0);
    const benFile = (await t.call('export.qdpx', { path: path.join(t.dir, 'ben.qdpx') })).path;
    await t.call('project.close', {});

    await t.call('project.open', { path: path.join(t.dir, 'ana.fieldbook') });
    const before = dumpProject(db());
    const anaCodings = codings();
    const result = await t.call('import.qdpx', { path: benFile });

    expect(result.counts).toMatchObject({ documents: 0, codes: 1, codings: 5 });
    expect(result.merge.documents).toEqual([
      { source: 'Interview 1', document: 'Interview 1', matchedBy: 'guid' },
      { source: 'Note (ben)', document: 'Note (ana)', matchedBy: 'text' },
    ]);
    expect(result.merge.codes).toEqual({ matchedByGuid: 2, matchedByPath: 0, added: ['Delays'] });
    expect(result.merge.codingsByCoder).toEqual([{ coder: 'ben', added: 5, alreadyThere: 0 }]);
    expect(result.merge.conflicts).toEqual(['The code "Transport > Fares" is called "Costs" here; kept "Costs".']);

    // Ana's codings are untouched; Ben's are added under his name, on Ana's code for "Fares".
    const after = codings();
    expect(after.filter((c) => (c as { coder: string }).coder === 'ana')).toEqual(anaCodings);
    expect(after.filter((c) => (c as { coder: string }).coder === 'ben')).toEqual([
      { document: 'Interview 1', text: TURNS[0], code: 'Costs', coder: 'ben' },
      { document: 'Interview 1', text: TURNS[1], code: 'Costs', coder: 'ben' },
      { document: 'Interview 1', text: TURNS[2], code: 'Costs', coder: 'ben' },
      { document: 'Interview 1', text: TURNS[2], code: 'Delays', coder: 'ben' },
      { document: 'Note (ana)', text: SHARED, code: 'Transport', coder: 'ben' },
    ]);
    // Both coders coded the same quotes of turns 0 and 1: one quote each, coded twice.
    expect(id("SELECT count(*) FROM segment WHERE document_id = (SELECT id FROM document WHERE name = 'Interview 1')")).toBe(3);

    // Agreement on the merged coders, Costs over the 5 turns both coded in (Interview 1's four and the
    // note's one): ana [1,1,0,0,0], ben [1,1,1,0,0]. po = 4/5; pe = .4·.6 + .6·.4 = .48; κ = .32/.52 = 8/13.
    const report = await t.call('agreement.run', { coderIds: [id("SELECT id FROM coder WHERE name = 'ana'"), id("SELECT id FROM coder WHERE name = 'ben'")], unit: 'turn' });
    const costs = report.perCode.find((c) => c.codeName === 'Costs')!;
    expect(costs.units).toBe(5);
    expect(costs.cohensKappa).toBeCloseTo(8 / 13, 10);

    // One undo takes the whole merge back.
    const step = await t.call('history.undo', {});
    expect(step.label).toBe('Import and merge ben.qdpx');
    const undone = dumpProject(db());
    for (const table of ['code', 'coder', 'segment', 'coding', 'document', 'exchange_guid', 'memo']) {
      expect(undone[table], table).toEqual(before[table]);
    }
    await t.call('history.redo', {});
    expect(codings()).toEqual(after);

    // Importing the same file again adds nothing and says every coding is already there.
    const again = await t.call('import.qdpx', { path: benFile });
    expect(again.counts).toMatchObject({ codes: 0, codings: 0, segments: 0, documents: 0 });
    expect(again.merge.codingsByCoder).toEqual([{ coder: 'ben', added: 0, alreadyThere: 5 }]);
  });
});
