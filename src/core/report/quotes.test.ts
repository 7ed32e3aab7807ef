import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { seedFindingsStudy, type FindingsStudy } from './fixtures/study';

describe('finding quotes: attribution, one pseudonym per person, redaction', () => {
  let t: TestCore;
  let s: FindingsStudy;

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject();
    s = seedFindingsStudy(t.core.currentProject()!.db);
  });
  afterEach(() => t.cleanup());

  it('a person keeps the pseudonym the first export gave them, in every pack and in the report', async () => {
    // Cost's starred quote is Kenji's, so the first pack makes Kenji P01 and Ana P02.
    const pack = (codes: number[], name: string) =>
      t.call('export.quotePack', { path: path.join(t.dir, name), format: 'md', options: { codeIds: codes, pseudonyms: true, attributionAttributes: ['Role'] } });
    const cost = fs.readFileSync((await pack([s.codes.cost!], 'cost.md')).path, 'utf8');
    expect(cost).toContain('— P01, CTO (Interview P01)');
    expect(cost).toContain('— P02, Cloud engineering manager (Interview P02)');
    // Trust's first quote is Ana's: before, each pack renumbered from P01.
    const trust = fs.readFileSync((await pack([s.codes.trust!], 'trust.md')).path, 'utf8');
    expect(trust).toContain('— P02, Cloud engineering manager (Interview P02)');
    expect(trust).not.toContain('— P01, Cloud engineering manager');

    await t.call('findings.settings', { title: 'State of the edge', settings: { attributionAttributes: ['Role', 'Sector', 'Country'], verbatimAnswers: ['ROLE'], redact: ['Acme Cloud'] } });
    const f = await t.call('findings.create', { headline: 'Trust comes first' });
    await t.call('findings.addQuote', { findingId: f.id, segmentId: 1 });
    await t.call('findings.addQuote', { findingId: f.id, segmentId: 4 });
    const view = await t.call('findings.addQuote', { findingId: f.id, turnId: s.openTurns.get(0)! });
    expect(view.quotes.map((q) => [q.text, q.attribution, q.documentName])).toEqual([
      ['trust is everything 🙂. We moved to [redacted] because their support team answered at 3am.', 'P02, Cloud engineering manager, healthcare, United States', 'Interview P02'],
      ['信頼です。Support from [redacted] was slow, so we left after two years.', 'P01, CTO, retail, Japan', 'Interview P01'],
      ['We moved inference to the stores; [redacted] was too slow.', 'Platform engineer, 2025', 'Why? (2025)'],
    ]);

    // A change to one setting leaves the others as they were.
    const onlyRedaction = await t.call('findings.settings', { settings: { redact: ['Acme Cloud', 'Globex'] } });
    expect(onlyRedaction.settings).toEqual({ attributionAttributes: ['Role', 'Sector', 'Country'], verbatimAnswers: ['ROLE'], pseudonyms: true, redact: ['Acme Cloud', 'Globex'] });
    expect(onlyRedaction.title).toBe('State of the edge');
    const named = await t.call('findings.settings', { settings: { pseudonyms: false, verbatimAnswers: [] } });
    expect(named.findings[0]!.quotes.map((q) => [q.attribution, q.documentName])).toEqual([
      ['Cloud engineering manager, healthcare, United States', 'Interview Ana'],
      ['CTO, retail, Japan', 'Interview Kenji'],
      ['Respondent 1, 2025', 'Why? (2025)'],
    ]);
    // null goes back to every attribute (Age included).
    const every = await t.call('findings.settings', { settings: { attributionAttributes: null } });
    expect(every.settings.attributionAttributes).toBeUndefined();
    expect(every.findings[0]!.quotes[1]!.attribution).toBe('CTO, retail, Japan, 52.5');
    await t.call('history.undo', {});
    expect((await t.call('findings.report', {})).settings.attributionAttributes).toEqual(['Role', 'Sector', 'Country']);
  });

  it('offers a code’s quotes (with search) and a question’s open answers to pick from', async () => {
    const cost = await t.call('findings.quoteChoices', { codeId: s.codes.cost! });
    // Starred first, then by document name (the clinic survey before the interviews).
    expect(cost.map((c) => c.segmentId)).toEqual([5, 6, 2]);
    const habit = await t.call('findings.quoteChoices', { codeId: s.codes.cost!, search: 'HABIT' });
    expect(habit).toMatchObject([{ kind: 'segment', segmentId: 5, codes: ['Cost'], attribution: 'P01, CTO, retail, Japan, 52.5' }]);
    // Filters: a participant attribute, and a wave (only open answers have one).
    expect((await t.call('findings.quoteChoices', { codeId: s.codes.cost!, attributes: { Country: ['Japan'] } })).map((c) => c.segmentId)).toEqual([5]);
    expect((await t.call('findings.quoteChoices', { codeId: s.codes.cost!, waves: ['2025 Q3'] })).map((c) => c.segmentId)).toEqual([6]);
    expect(await t.call('findings.quoteChoices', { variable: 'OPEN', waves: ['2024'] })).toEqual([]);
    const trust = await t.call('findings.quoteChoices', { codeId: s.codes.trust! });
    expect(trust.find((c) => c.segmentId === 1)!.codes.sort()).toEqual(['Support quality', 'Trust']);
    const open = await t.call('findings.quoteChoices', { variable: 'OPEN' });
    expect(open.map((c) => [c.kind, c.turnId, c.text])).toEqual([
      ['verbatim', s.openTurns.get(0), 'We moved inference to the stores; Acme Cloud was too slow.'],
      ['verbatim', s.openTurns.get(2), 'Edge clusters are hard to patch.'],
    ]);
  });

  it('a quote whose segment was deleted is shown as missing, and comes back with undo', async () => {
    const f = await t.call('findings.create', {});
    await t.call('findings.addQuote', { findingId: f.id, segmentId: 4 });
    // Its only coding removed, the quote goes (segments.ts drops an unstarred segment with no coding or memo).
    const codingId = t.core.currentProject()!.db.prepare('SELECT id FROM coding WHERE segment_id = 4').pluck().get() as number;
    await t.call('codings.remove', { codingId });
    expect((await t.call('findings.report', {})).findings[0]!.quotes[0]).toMatchObject({ missing: true, segmentId: 4 });
    await t.call('history.undo', {});
    expect((await t.call('findings.report', {})).findings[0]!.quotes[0]).toMatchObject({ missing: false, segmentId: 4 });
  });
});
