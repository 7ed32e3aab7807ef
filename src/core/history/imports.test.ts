import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, failure, type TestCore } from '../testing/index';

const surveyFixture = (name: string) => path.join(import.meta.dirname, '..', 'survey', 'fixtures', name);

/** Every table an import adds to, as plain rows (blobs as base64), and the full-text index's size. */
function snapshot(t: TestCore): Record<string, unknown> {
  const db = t.core.currentProject()!.db;
  const tables = ['dataset', 'variable', 'value_label', 'variable_data', 'document', 'turn', 'speaker', 'participant', 'search_chunk'];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = (db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all() as Record<string, unknown>[]).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v])),
    );
  }
  out.fts = db.prepare('SELECT count(*) AS n FROM chunk_fts').get();
  out.stash = db.prepare('SELECT count(*) AS n FROM operation_stash').get();
  return out;
}

const rowCounts = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));

describe('undoing an import', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
  });
  afterEach(() => t.cleanup());

  it('a survey import: undo removes exactly its rows (and the concepts it gave an earlier wave), redo restores them', async () => {
    const empty = snapshot(t);
    await t.call('survey.import', { path: surveyFixture('qualtrics_2024.csv'), wave: '2024' }, 'j1');
    const oneWave = snapshot(t);
    // qualtrics_2024.csv: 5 respondents; two open-text questions become 2 documents.
    expect(rowCounts(oneWave)).toMatchObject({ dataset: 1, document: 2 });
    await t.call('survey.import', { path: surveyFixture('surveymonkey_2025.csv'), wave: '2025', format: 'surveymonkey' }, 'j2');
    const twoWaves = snapshot(t);
    const db = t.core.currentProject()!.db;
    // The second wave's Q1 matched the first's: the first wave's Q1 got its concept then.
    expect(db.prepare("SELECT count(*) AS n FROM variable WHERE dataset_id = 1 AND concept IS NOT NULL").get()).not.toEqual({ n: 0 });
    expect((await t.call('history.state', {})).undoLabel).toBe('Import survey surveymonkey_2025.csv');

    await t.call('history.undo', {});
    expect(snapshot(t)).toEqual({ ...oneWave, stash: { n: (snapshot(t).stash as { n: number }).n } });
    expect((snapshot(t).stash as { n: number }).n).toBeGreaterThan(0);
    await t.call('history.undo', {});
    const undone = snapshot(t);
    expect({ ...undone, stash: null }).toEqual({ ...empty, stash: null });
    expect(await t.call('survey.datasets', {})).toEqual([]);
    expect((await t.call('search.run', { query: 'wifi' })).hits).toHaveLength(0);

    await t.call('history.redo', {});
    expect({ ...snapshot(t), stash: null }).toEqual({ ...oneWave, stash: null });
    await t.call('history.redo', {});
    expect(snapshot(t)).toEqual(twoWaves);
    expect(snapshot(t).stash).toEqual({ n: 0 });
    // The restored documents are searchable again and the tables read the restored answers.
    // Respondent R_004 wrote "Fix the wifi".
    expect((await t.call('search.run', { query: 'wifi' })).hits).toHaveLength(1);
    const table = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q1' }] } });
    expect(table.groups[0]!.bases[0]!.unweighted).toBe(4);
  });

  it('a transcript import: documents, speakers, turns, index rows and the participants it created go, and come back', async () => {
    const project = t.core.currentProject()!;
    const vtt = (who: string, question: string, answer: string) =>
      `WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Interviewer>${question}\n\n00:00:04.000 --> 00:00:06.000\n<v ${who}>${answer}\n`;
    fs.writeFileSync(path.join(t.dir, 'ana.vtt'), vtt('Ana', 'How do you plan?', 'With a paper notebook, mostly.'));
    fs.writeFileSync(path.join(t.dir, 'ben.vtt'), vtt('Ben', 'And you?', 'A shared calendar.'));
    await t.call('participants.create', { name: 'Ana' });
    const before = snapshot(t);
    await t.call(
      'transcripts.import',
      { files: [{ path: path.join(t.dir, 'ana.vtt'), participantName: 'Ana' }, { path: path.join(t.dir, 'ben.vtt'), participantName: 'Ben' }] },
      'tx',
    );
    const after = snapshot(t);
    // 2 documents, 2 speakers and 2 turns each; Ben is new, Ana was there.
    expect(rowCounts(after)).toMatchObject({ document: 2, speaker: 4, turn: 4, participant: 2 });
    expect((await t.call('search.run', { query: 'notebook' })).hits).toHaveLength(1);

    expect((await t.call('history.undo', {})).label).toBe('Import 2 transcripts');
    expect({ ...snapshot(t), stash: null }).toEqual({ ...before, stash: null });
    expect((await t.call('search.run', { query: 'notebook' })).hits).toHaveLength(0);
    expect(project.db.prepare('SELECT name FROM participant').pluck().all()).toEqual(['Ana']);
    await t.call('history.redo', {});
    expect(snapshot(t)).toEqual(after);
    expect((await t.call('search.run', { query: 'notebook' })).hits).toHaveLength(1);
    // The participant made before the import is an operation of its own, still undoable after.
    await t.call('history.undo', {});
    expect((await t.call('history.undo', {})).label).toBe('Add participant Ana');
  });

  it('refuses to undo an import whose dataset was deleted since, and takes it off the list', async () => {
    const { datasetId } = await t.call('survey.import', { path: surveyFixture('qualtrics_2024.csv') }, 'j');
    await t.call('survey.deleteDataset', { datasetId });
    const error = await failure(t.call('history.undo', {}));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/“Import survey qualtrics_2024.csv” could not be undone: a dataset it added was deleted since/);
    expect((await t.call('history.state', {})).canUndo).toBe(false);
  });
});
