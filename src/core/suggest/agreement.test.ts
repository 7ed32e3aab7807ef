import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { existingRetrainer } from './retrain';

// Three topics with words of their own, so a model that learned from three interviews judges the
// fourth exactly as a careful person would.
const TOPICS = {
  Cost: ['The price and the fees cost too much money.', 'Money for fees and the price of parking.', 'The bill and price took all my money.'],
  Staff: ['The nurse was kind and the staff friendly.', 'Friendly staff and a kind patient nurse.', 'A kind nurse, the staff so friendly.'],
  Waiting: ['We waited hours in the waiting room.', 'Hours of waiting, the room was full.', 'The waiting room, hours and hours waited.'],
} as const;
type Topic = keyof typeof TOPICS;

function writeInterviews(dir: string): string[] {
  return [1, 2, 3, 4].map((n) => {
    const lines: string[] = [];
    for (const topic of Object.keys(TOPICS) as Topic[]) for (const text of TOPICS[topic]) lines.push(`Pat: ${text} (${n})`, '');
    const file = path.join(dir, `interview-${n}.txt`);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  });
}

describe('Fieldbook suggestions as one more coder in the agreement report', () => {
  let t: TestCore;
  let codeIds: Record<Topic, number>;
  let docs: { id: number; text: string }[];
  let me: number;
  let ana: number;

  async function codeAll(documentId: number, text: string, skip: (topic: Topic, i: number) => boolean) {
    for (const topic of Object.keys(TOPICS) as Topic[]) {
      for (const [i, phrase] of TOPICS[topic].entries()) {
        if (skip(topic, i)) continue;
        const start = text.indexOf(phrase);
        await t.call('codings.apply', { documentId, start, end: start + phrase.length + 4, codeId: codeIds[topic] });
      }
    }
  }

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    await t.call('transcripts.import', { files: writeInterviews(t.dir).map((p) => ({ path: p })) }, 'imp');
    const list = await t.call('documents.list', {});
    docs = [];
    for (const d of list.sort((a, b) => a.name.localeCompare(b.name))) docs.push({ id: d.id, text: (await t.call('documents.get', { id: d.id })).text ?? '' });
    codeIds = {
      Cost: (await t.call('codes.create', { name: 'Cost' })).id,
      Staff: (await t.call('codes.create', { name: 'Staff' })).id,
      Waiting: (await t.call('codes.create', { name: 'Waiting' })).id,
    };
    const session = await t.call('coders.list', {});
    me = session.currentCoderId;
    // I code all four interviews carefully.
    for (const d of docs) await codeAll(d.id, d.text, () => false);
    // Ana codes interview 4 only, and misses two of its Cost passages.
    ana = (await t.call('coders.create', { name: 'Ana' })).coders.find((c) => c.name === 'Ana')!.id;
    await t.call('coders.choose', { id: ana });
    await codeAll(docs[3]!.id, docs[3]!.text, (topic, i) => topic === 'Cost' && i < 2);
    await t.call('coders.choose', { id: me });
  });
  afterEach(() => t.cleanup());

  it('compares the suggestions with each person, per code, on the passages both judged', async () => {
    const report = await t.call('suggest.agreement', {}, 'agree');
    expect(report.name).toBe('Fieldbook suggestions');
    expect(report.documents).toBe(4);
    expect(report.folds).toBe(4);
    const mine = report.perCoder.find((c) => c.coder.id === me)!;
    const hers = report.perCoder.find((c) => c.coder.id === ana)!;
    // Me: 4 interviews × 9 passages judged by both, every one the same (κ and α 1).
    for (const code of mine.perCode) expect(code).toMatchObject({ units: 36, percentAgreement: 1, cohensKappa: 1, krippendorffAlpha: 1 });
    // Ana judged interview 4 only: 9 passages. Cost: the suggestions apply it to 3, she to 1.
    // Table (Ana rows, machine columns): [[6, 2], [0, 1]] → po = 7/9, pe = (8·6 + 1·3)/81 = 51/81,
    // κ = (63/81 − 51/81) / (30/81) = 0.4.
    const cost = hers.perCode.find((c) => c.codeId === codeIds.Cost)!;
    expect(cost.units).toBe(9);
    expect(cost.percentAgreement).toBeCloseTo(7 / 9, 10);
    expect(cost.cohensKappa).toBeCloseTo(0.4, 10);
    const staff = hers.perCode.find((c) => c.codeId === codeIds.Staff)!;
    expect(staff).toMatchObject({ units: 9, percentAgreement: 1, cohensKappa: 1 });
    expect(report.viaSuggestions.total).toBe(0);
  });

  it('keeps an accepted suggestion the coding of the person who accepted it, and counts it', async () => {
    // A fifth interview nobody has coded: Ana runs suggestions there and accepts one.
    const fifth = path.join(t.dir, 'interview-5.txt');
    fs.writeFileSync(fifth, `Pat: ${TOPICS.Cost[0]} (5)\n\nPat: ${TOPICS.Staff[0]} (5)\n`);
    await t.call('transcripts.import', { files: [{ path: fifth }] }, 'imp5');
    const doc5 = (await t.call('documents.list', {})).find((d) => d.name.includes('interview-5'))!.id;
    await t.call('coders.choose', { id: ana });
    await t.call('suggest.run', { documentId: doc5 }, 'run');
    const best = (await t.call('suggest.list', { documentId: doc5, codeId: codeIds.Cost }))[0]!;
    await t.call('suggest.review', { action: 'accept', ids: [best.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    const coding = t.core
      .currentProject()!
      .db.prepare(`SELECT c.coder_id AS coder, c.source FROM coding c JOIN segment s ON s.id = c.segment_id WHERE s.document_id = ?`)
      .all(doc5);
    expect(coding).toEqual([{ coder: ana, source: 'suggestion' }]);
    const report = await t.call('suggest.agreement', { coderIds: [me, ana] }, 'agree');
    expect(report.viaSuggestions).toEqual({
      total: 1,
      perCode: [{ codeId: codeIds.Cost, codeName: 'Cost', quotes: 1 }],
      perCoder: [{ coderId: ana, name: 'Ana', quotes: 1 }],
    });
  });

  it('refuses with plain words when coding covers fewer than two documents', async () => {
    await expect(t.call('suggest.agreement', { coderIds: [ana] }, 'one')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/at least two documents/),
    });
  });
});
