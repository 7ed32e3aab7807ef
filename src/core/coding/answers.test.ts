import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, sharedData, sharedDataAvailable, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject();
});
afterEach(() => t.cleanup());

describe.skipIf(!sharedDataAvailable)('coding open-ended survey answers (real QualCoder survey CSV)', () => {
  it('codes answers row by row; quotes carry the wave and respondent row; the answer sits beside the other answers', async () => {
    const imported = await t.call('survey.import', { path: sharedData('survey/qualcoder_survey456_freetext.csv'), wave: '2024' });
    const [doc] = await t.call('documents.list', { kind: 'survey_text' });
    expect(doc).toBeDefined();
    const context = await t.call('answers.context', { documentId: doc!.id });
    expect(context).toMatchObject({ datasetId: imported.datasetId, wave: '2024', variableName: 'freetext' });

    const detail = await t.call('documents.get', { id: doc!.id });
    const code = await t.call('codes.create', { name: 'Work gets in the way', shortcut: 'w' });
    // Code the answers that mention work, the way the grid does: the whole answer, trimmed.
    const coded: number[] = [];
    for (const turn of detail.turns) {
      const raw = detail.text.slice(turn.start, turn.end);
      if (!/\bwork/i.test(raw)) continue;
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      await t.call('codings.apply', { documentId: doc!.id, start: turn.start + lead, end: turn.start + lead + body.length, codeId: code.id });
      coded.push(turn.respondentRow!);
    }
    expect(coded.length).toBeGreaterThan(1);
    const quotes = await t.call('quotes.list', { codeId: code.id, sort: 'document' });
    expect(quotes.total).toBe(coded.length);
    expect(quotes.quotes.map((q) => q.respondentRow).sort()).toEqual([...coded].sort());
    expect(new Set(quotes.quotes.map((q) => q.wave))).toEqual(new Set(['2024']));
    expect(quotes.quotes.every((q) => q.text === q.text.trim() && /work/i.test(q.text))).toBe(true);
    // Each respondent counts once per code, identified by their row in the dataset.
    expect((await t.call('codes.list', {}))[0]).toMatchObject({ quoteCount: coded.length, participantCount: coded.length });

    // The respondent's other answers, for the grid's side columns.
    const variables = await t.call('survey.variables', { datasetId: context.datasetId! });
    const gender = variables.find((v) => v.name === 'Gender')!;
    const rows = await t.call('survey.rows', { datasetId: context.datasetId!, variableIds: [gender.id] });
    const byRow = new Map(rows.rows.map((r) => [r.row, r.cells[0]]));
    for (const q of quotes.quotes) expect(byRow.has(q.respondentRow!)).toBe(true);
  });
});
