import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { existingRetrainer } from './retrain';

/** A generated interview: varied answers about cost, staff and waiting, some given word for word more than once. */
function writeInterview(dir: string): string {
  const cost = ['The price was far too high for us.', 'I paid a lot of money for the forms.', 'The bill was more than I could afford.', 'Fees for parking add up to real money.'];
  const staff = ['The nurse was kind and patient.', 'Staff at the desk were helpful and friendly.', 'The doctor listened to every question.', 'The receptionist was polite and kind.'];
  const waiting = ['We waited two hours in a noisy room.', 'The waiting room was crowded for hours.', 'Nobody called us for a long time.', 'The wait before the doctor was awful.'];
  const lines: string[] = ['Interviewer: Tell me about the clinic.', ''];
  for (let i = 0; i < 6; i++) {
    for (const group of [cost, staff, waiting]) lines.push(`Pat: ${group[i % group.length]!} Visit ${i + 1}.`, '');
  }
  // The same answer four times, word for word or nearly (case, punctuation, spacing).
  for (const same of ['Too expensive.', 'too expensive', 'Too  expensive!', 'Too expensive.']) lines.push(`Pat: ${same}`, '');
  const file = path.join(dir, 'interview-gen.txt');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

describe('deciding on suggestions while the model retrains behind', () => {
  let t: TestCore;
  let cost: number;

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    await t.call('transcripts.import', { files: [{ path: writeInterview(t.dir) }] }, 'imp');
    const [doc] = await t.call('documents.list', {});
    const text = (await t.call('documents.get', { id: doc!.id })).text ?? '';
    cost = (await t.call('codes.create', { name: 'Cost', keywords: ['price', 'money'] })).id;
    const staff = (await t.call('codes.create', { name: 'Staff' })).id;
    const waiting = (await t.call('codes.create', { name: 'Waiting' })).id;
    const code = async (phrase: string, codeId: number) => {
      const start = text.indexOf(phrase);
      await t.call('codings.apply', { documentId: doc!.id, start, end: start + phrase.length, codeId });
    };
    await code('The price was far too high for us. Visit 1.', cost);
    await code('The nurse was kind and patient. Visit 1.', staff);
    await code('We waited two hours in a noisy room. Visit 1.', waiting);
    await t.call('suggest.run', { minScore: 0 }, 'run');
  });
  afterEach(() => t.cleanup());

  const db = () => t.core.currentProject()!.db;
  const retrainer = () => existingRetrainer(t.core.currentProject()!)!;
  const statusOf = (id: number) => (db().prepare('SELECT status FROM suggestion WHERE id = ?').pluck().get(id) as string);

  it('answers a decision before retraining, and ten quick decisions make one retrain that rescores what is open', async () => {
    const open = await t.call('suggest.list', { limit: 100 });
    expect(open.length).toBeGreaterThan(12);
    const versionBefore = db().prepare(`SELECT version FROM model_state WHERE key = 'suggest'`).pluck().get();
    for (const s of open.slice(0, 10)) {
      const result = await t.call('suggest.review', { action: s.codeId === cost ? 'accept' : 'reject', ids: [s.id] });
      expect(result.retraining).toBe(true);
    }
    // Written at once, before any retrain.
    expect(retrainer().runs).toBe(0);
    for (const s of open.slice(0, 10)) expect(statusOf(s.id)).toBe(s.codeId === cost ? 'accepted' : 'rejected');
    await retrainer().settled();
    expect(retrainer().runs).toBe(1);
    const versionAfter = db().prepare(`SELECT version FROM model_state WHERE key = 'suggest'`).pluck().get();
    expect(versionAfter).not.toBe(versionBefore);
    // Every still-open suggestion now carries the new model's scores.
    const versions = db().prepare(`SELECT DISTINCT model_version FROM suggestion WHERE status = 'open'`).pluck().all();
    expect(versions).toEqual([versionAfter]);
    expect(t.events.filter((e) => e.type === 'project.changed' && e.topics.includes('suggestions')).length).toBeGreaterThanOrEqual(11);
  });

  it('keeps a decision made while a retrain runs, and retrains once more to learn from it', async () => {
    const [first, second] = await t.call('suggest.list', { limit: 2 });
    await t.call('suggest.review', { action: 'reject', ids: [first!.id] });
    const deadline = Date.now() + 5000;
    while (!retrainer().retraining && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(retrainer().retraining).toBe(true);
    await t.call('suggest.review', { action: 'accept', ids: [second!.id] });
    expect(statusOf(second!.id)).toBe('accepted');
    await retrainer().settled();
    expect(retrainer().lastError).toBeNull();
    expect(retrainer().runs).toBe(2);
    expect(statusOf(first!.id)).toBe('rejected');
    expect(statusOf(second!.id)).toBe('accepted');
    const coded = db().prepare(`SELECT count(*) FROM coding WHERE source = 'suggestion'`).pluck().get();
    expect(coded).toBe(1);
  });

  it('names the decision in the undo log, and undo takes back exactly that one', async () => {
    const [first, second] = await t.call('suggest.list', { limit: 2 });
    await t.call('suggest.review', { action: 'reject', ids: [first!.id] });
    await t.call('suggest.review', { action: 'accept', ids: [second!.id] });
    const codeName = second!.codeName;
    const step = await t.call('history.undo', {});
    expect(step.label).toBe(`Accept "${codeName}" for “${second!.text.replace(/\s+/g, ' ').trim().slice(0, 47)}${second!.text.length > 48 ? '…' : ''}”`);
    expect(statusOf(second!.id)).toBe('open');
    expect(statusOf(first!.id)).toBe('rejected');
    await retrainer().settled();
  });

  it('shows the same answer as one card and codes every passage of it with one decision, each its own coding', async () => {
    const grouped = await t.call('suggest.list', { codeId: cost, group: true, limit: 500 });
    const card = grouped.find((s) => /too\s+expensive/i.test(s.text));
    expect(card).toBeDefined();
    expect(card!.duplicates).toHaveLength(3);
    const flat = await t.call('suggest.list', { codeId: cost, limit: 500 });
    expect(flat.filter((s) => /too\s+expensive/i.test(s.text)).map((s) => s.id).sort()).toEqual([card!.id, ...card!.duplicates].sort());
    // Every other card stands alone: no two cards share code and text.
    expect(new Set(grouped.map((s) => `${s.codeId}|${s.text}`)).size).toBe(grouped.length);
    await t.call('suggest.review', { action: 'accept', ids: [card!.id, ...card!.duplicates] });
    const codings = db()
      .prepare(`SELECT s.text FROM coding c JOIN segment s ON s.id = c.segment_id WHERE c.code_id = ? AND c.source = 'suggestion' ORDER BY s.start_char`)
      .pluck()
      .all(cost);
    expect(codings).toEqual(['Too expensive.', 'too expensive', 'Too  expensive!', 'Too expensive.']);
    const step = await t.call('history.undo', {});
    expect(step.label).toMatch(/\(4 passages\)$/);
    expect(db().prepare(`SELECT count(*) FROM coding WHERE source = 'suggestion'`).pluck().get()).toBe(0);
    await retrainer().settled();
  });

  it('leaves interviewer turns out unless asked for them', async () => {
    const [doc] = await t.call('documents.list', {});
    const question = 'Tell me about the clinic.';
    const text = (await t.call('documents.get', { id: doc!.id })).text ?? '';
    const at = text.indexOf(question);
    const onQuestion = async () => (await t.call('suggest.list', { limit: 10000 })).filter((s) => s.start <= at && s.end >= at + question.length);
    expect(await onQuestion()).toEqual([]);
    await t.call('suggest.run', { minScore: 0, interviewers: true }, 'with');
    expect((await onQuestion()).length).toBeGreaterThan(0);
    await retrainer()?.settled();
  });

  it('accepts part of a passage: only the selected words are coded', async () => {
    const item = (await t.call('suggest.list', { codeId: cost })).find((s) => s.text.startsWith('The bill was more'))!;
    // "The bill" plus the space after it: the space is left out.
    const span = { start: item.start, end: item.start + 'The bill '.length };
    await expect(t.call('suggest.review', { action: 'accept', ids: [item.id], span: { start: item.start - 1, end: item.end } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await t.call('suggest.review', { action: 'accept', ids: [item.id], span });
    const coded = db().prepare(`SELECT s.text, c.source FROM coding c JOIN segment s ON s.id = c.segment_id WHERE c.code_id = ? AND c.source = 'suggestion'`).all(cost);
    expect(coded).toEqual([{ text: 'The bill', source: 'suggestion' }]);
    expect(statusOf(item.id)).toBe('accepted');
    await retrainer().settled();
  });

  it('drops a waiting retrain when suggestions are run afresh, and writes nothing after the project closes', async () => {
    const [first, second] = await t.call('suggest.list', { limit: 2 });
    await t.call('suggest.review', { action: 'reject', ids: [first!.id] });
    await t.call('suggest.run', { minScore: 0 }, 'again');
    await retrainer().settled();
    expect(retrainer().runs).toBe(0);
    await t.call('suggest.review', { action: 'reject', ids: [second!.id] });
    const r = retrainer();
    await t.call('project.close', {});
    await r.settled();
    expect(r.runs).toBe(0);
    expect(r.lastError).toBeNull();
  });
});
