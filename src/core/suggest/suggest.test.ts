import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, sharedData, sharedDataAvailable, tempDir, type TestCore } from '../testing/index';
import { migrate } from '../store/project';
import { FieldbookError } from '../../shared/errors';
import { Suggester } from './engine/model';
import { tokenize } from './engine/tokenize';
import { existingRetrainer } from './retrain';
import { sentimentOf } from './sentiment';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

describe('tokenising', () => {
  it('stems English, drops stop words, keeps negations', () => {
    const stems = tokenize("The staff weren't helpful and it was NOT clear").map((t) => t.stem);
    expect(stems).toContain('staff');
    expect(stems).toContain('help');
    expect(stems).toContain('not');
    expect(stems).toContain('t');
    expect(stems).not.toContain('the');
  });

  it('segments Chinese and Japanese into words with Intl.Segmenter', () => {
    expect(tokenize('我们不知道这个查询怎么用').map((t) => t.stem)).toEqual(expect.arrayContaining(['我们', '查询']));
    expect(tokenize('日本語のテキストです').map((t) => t.stem)).toEqual(expect.arrayContaining(['日本語', 'テキスト']));
  });
});

describe('sentiment', () => {
  it('scores English and says unsupported (null) for Chinese', () => {
    expect(sentimentOf('The staff were wonderful and kind')!).toBeGreaterThan(0);
    expect(sentimentOf('The wait was terrible and awful')!).toBeLessThan(0);
    expect(sentimentOf('员工非常好')).toBeNull();
  });
});

describe('the suggester', () => {
  const passages = [
    { text: 'the price was too expensive', codes: ['cost'] },
    { text: 'fees and money, such a high bill', codes: ['cost'] },
    { text: 'I could not afford the medicine price', codes: ['cost'] },
    { text: 'the nurse was kind and friendly', codes: ['staff'] },
    { text: 'helpful receptionist, polite staff', codes: ['staff'] },
    { text: 'the doctor listened, staff were patient', codes: ['staff'] },
  ];
  const codes = [
    { key: 'cost', name: 'Cost', keywords: ['price'] },
    { key: 'staff', name: 'Staff' },
  ];

  it('ranks the right code first and explains it with words and a similar quote', () => {
    const model = Suggester.train(passages, codes, { calibrationFolds: 0 });
    const [best] = model.score('the bill was expensive and the price high');
    expect(best!.key).toBe('cost');
    expect(best!.evidence.terms.length).toBeGreaterThan(0);
    expect(best!.evidence.similar?.text).toMatch(/price|bill|fees/);
    expect(best!.evidence.keywords).toEqual(expect.arrayContaining(['price']));
  });

  it('gives the same scores for the same data', () => {
    const a = Suggester.train(passages, codes).score('friendly nurse but expensive fees');
    const b = Suggester.train(passages, codes).score('friendly nurse but expensive fees');
    expect(a).toEqual(b);
  });

  it('suggests from keywords alone before anything is coded', () => {
    const model = Suggester.train([], [{ key: 'cost', name: 'Cost', keywords: ['price', 'expensive'] }, { key: 'staff', name: 'Staff' }]);
    const scores = model.score('the price was expensive');
    expect(scores[0]!.key).toBe('cost');
    expect(scores[0]!.score).toBeGreaterThan(scores[1]!.score);
  });
});

describe('migration 0050', () => {
  it('keeps suggestions and adds the sentiment column', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 49);
      db.prepare(`INSERT INTO document (kind, name, format, text) VALUES ('text', 'a', 'txt', 'hello there')`).run();
      db.prepare(`INSERT INTO code (name) VALUES ('Greeting')`).run();
      db.prepare(`INSERT INTO suggestion (document_id, start_char, end_char, code_id, score) VALUES (1, 0, 5, 1, 0.7)`).run();
      migrate(db, 49, 50);
      expect(db.prepare('SELECT start_char, end_char, score, sentiment, status FROM suggestion').all()).toEqual([
        { start_char: 0, end_char: 5, score: 0.7, sentiment: null, status: 'open' },
      ]);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});

describe('migration 0051', () => {
  it('keeps earlier suggestions visible to every coder (no coder) and ties new ones to a coder', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 50);
      db.prepare(`INSERT INTO document (kind, name, format, text) VALUES ('text', 'a', 'txt', 'hello there')`).run();
      db.prepare(`INSERT INTO code (name) VALUES ('Greeting')`).run();
      db.prepare(`INSERT INTO suggestion (document_id, start_char, end_char, code_id, score, status) VALUES (1, 0, 5, 1, 0.7, 'rejected')`).run();
      migrate(db, 50, 51);
      expect(db.prepare('SELECT status, coder_id FROM suggestion').all()).toEqual([{ status: 'rejected', coder_id: null }]);
      db.pragma('foreign_keys = ON');
      expect(() => db.prepare(`INSERT INTO suggestion (document_id, start_char, end_char, code_id, score, coder_id) VALUES (1, 0, 5, 1, 0.5, 99)`).run()).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});

describe('suggestions in a project', () => {
  let t: TestCore;
  let projectPath: string;
  let cost: number;
  let staff: number;
  let docs: { id: number; name: string }[];

  async function code(documentId: number, phrase: string, codeId: number) {
    const doc = await t.call('documents.get', { id: documentId });
    const start = (doc.text ?? '').indexOf(phrase);
    expect(start).toBeGreaterThanOrEqual(0);
    await t.call('codings.apply', { documentId, start, end: start + phrase.length, codeId });
  }

  beforeEach(async () => {
    t = createTestCore();
    projectPath = await t.newProject();
    await t.call('transcripts.import', { files: [{ path: fixture('interview-a.txt') }, { path: fixture('interview-b.txt') }] }, 'imp');
    docs = (await t.call('documents.list', {})).map((d) => ({ id: d.id, name: d.name }));
    cost = (await t.call('codes.create', { name: 'Cost', keywords: ['price', 'money'] })).id;
    staff = (await t.call('codes.create', { name: 'Staff', definition: 'How kind and helpful people at the clinic were' })).id;
    await t.call('codes.create', { name: 'Waiting' });
    const a = docs.find((d) => d.name.includes('interview-a'))!.id;
    await code(a, 'The staff at the front desk were really kind and helpful, they explained everything.', staff);
    await code(a, 'The nurse was friendly and patient with my questions.', staff);
    await code(a, 'Honestly the price was too expensive for me, the bill was much higher than I expected.', cost);
    await code(a, 'I had to pay extra fees for the parking and the forms, it all adds up to a lot of money.', cost);
  });
  afterEach(() => t.cleanup());

  function suggestionRows() {
    return t.core.currentProject()!.db.prepare('SELECT * FROM suggestion ORDER BY id').all();
  }

  it('suggests codes for uncoded turns with evidence, accepts, rejects, remembers both after reopening', async () => {
    const run = await t.call('suggest.run', {}, 'run1');
    expect(run.passages).toBeGreaterThan(5);
    expect(run.trainedOn).toBe(4);
    // The model's state lives in the project file, under the version the suggestions carry.
    const state = t.core.currentProject()!.db.prepare(`SELECT version FROM model_state WHERE key = 'suggest'`).get();
    expect(state).toEqual({ version: run.modelVersion });
    const list = await t.call('suggest.list', {});
    expect(list.length).toBeGreaterThan(0);
    // Already coded passages are never suggested the code they have.
    expect(list.some((s) => s.text.startsWith('Honestly the price') && s.codeId === cost)).toBe(false);
    const bill = list.find((s) => s.text.includes('could not afford') && s.codeId === cost);
    expect(bill).toBeDefined();
    expect(bill!.evidence.similar?.text).toMatch(/price|fees/);
    expect(bill!.sentimentLabel).not.toBeNull();
    const friendly = list.find((s) => s.text.includes('staff were friendly') && s.codeId === staff);
    expect(friendly).toBeDefined();
    expect(friendly!.score).toBeGreaterThan(list.find((s) => s.text.includes('staff were friendly') && s.codeId === cost)?.score ?? 0);

    const accepted = await t.call('suggest.review', { action: 'accept', ids: [bill!.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    expect(accepted).toMatchObject({ accepted: 1, retraining: true });
    const coding = t.core
      .currentProject()!
      .db.prepare(`SELECT c.source, s.text FROM coding c JOIN segment s ON s.id = c.segment_id WHERE c.code_id = ? AND s.text LIKE '%afford%'`)
      .get(cost);
    expect(coding).toEqual({ source: 'suggestion', text: bill!.text });

    const toReject = (await t.call('suggest.list', { codeId: staff })).find((s) => s.id !== bill!.id)!;
    await t.call('suggest.review', { action: 'reject', ids: [toReject.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    await t.call('suggest.run', {}, 'run2');
    const again = await t.call('suggest.list', {});
    expect(again.some((s) => s.documentId === toReject.documentId && s.start === toReject.start && s.codeId === staff)).toBe(false);

    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    expect((await t.call('suggest.list', { status: 'accepted' })).map((s) => s.text)).toEqual([bill!.text]);
    expect((await t.call('suggest.list', { status: 'rejected' })).map((s) => s.id)).toEqual([toReject.id]);
  });

  it('reuses the saved model after reopening instead of retraining, and retrains when the coding changes', async () => {
    await t.call('suggest.run', {}, 'first');
    const saved = () => t.core.currentProject()!.db.prepare(`SELECT version, trained_at FROM model_state WHERE key = 'suggest'`).get();
    const before = saved();
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    await new Promise((r) => setTimeout(r, 5));
    await t.call('suggest.run', {}, 'again');
    expect(saved()).toEqual(before);
    const [first] = await t.call('suggest.list', {});
    await t.call('suggest.review', { action: 'accept', ids: [first!.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    expect((saved() as { version: string }).version).not.toBe((before as { version: string }).version);
  });

  it('undoes an accept: the coding goes and the suggestion is open again', async () => {
    await t.call('suggest.run', { codeId: cost }, 'run');
    const [first] = await t.call('suggest.list', { codeId: cost });
    await t.call('suggest.review', { action: 'accept', ids: [first!.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    const count = () => t.core.currentProject()!.db.prepare(`SELECT count(*) AS n FROM coding WHERE source = 'suggestion'`).get();
    expect(count()).toEqual({ n: 1 });
    await t.call('history.undo', {});
    expect(count()).toEqual({ n: 0 });
    expect((await t.call('suggest.list', { codeId: cost })).map((s) => s.id)).toContain(first!.id);
  });

  it('bulk-accepts everything above a threshold in one undoable step', async () => {
    await t.call('suggest.run', {}, 'run');
    const open = await t.call('suggest.list', {});
    const threshold = open[Math.min(2, open.length - 1)]!.score;
    const expected = open.filter((s) => s.score >= threshold).map((s) => s.id);
    const result = await t.call('suggest.review', { action: 'accept', threshold });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    expect(result.accepted).toBe(expected.length);
    // (Retraining rescores what is still open, so other passages may rise above the threshold.)
    expect((await t.call('suggest.list', { status: 'accepted' })).map((s) => s.id).sort()).toEqual(expected.sort());
    await t.call('history.undo', {});
    expect(await t.call('suggest.list', { status: 'accepted' })).toEqual([]);
    const codings = t.core.currentProject()!.db.prepare(`SELECT count(*) AS n FROM coding WHERE source = 'suggestion'`).get();
    expect(codings).toEqual({ n: 0 });
  });

  it('cuts turns into sentences when asked', async () => {
    const turns = await t.call('suggest.run', { minScore: 0 }, 'turns');
    const sentences = await t.call('suggest.run', { minScore: 0, unit: 'sentence' }, 'sentences');
    expect(sentences.passages).toBeGreaterThan(turns.passages);
    for (const s of await t.call('suggest.list', { limit: 10000 })) {
      expect(s.text).toBe(s.text.trim());
      expect(s.text.length).toBeGreaterThan(0);
    }
  });

  it('learns only from the current coder in blind coding, so no other coder\'s quote shows as evidence', async () => {
    // The four quotes were coded by the first coder. A second coder, blind, starts from nothing.
    const session = await t.call('coders.create', { name: 'ana' });
    const ana = session.coders.find((c) => c.name === 'ana')!.id;
    await t.call('coders.choose', { id: ana });
    await t.call('coders.setBlind', { blind: true });
    const run = await t.call('suggest.run', { minScore: 0 }, 'blind');
    expect(run.trainedOn).toBe(0);
    for (const s of await t.call('suggest.list', { limit: 10000 })) expect(s.evidence.similar).toBeNull();
    // The first coder's quotes are open passages for ana: "Honestly the price..." can be suggested to her.
    expect((await t.call('suggest.list', { limit: 10000 })).some((s) => s.text.startsWith('Honestly the price'))).toBe(true);
    await t.call('coders.setBlind', { blind: false });
    expect((await t.call('suggest.run', {}, 'open')).trainedOn).toBe(4);
  });

  it('gives each coder their own review queue: one coder\'s reject does not hide a passage from another', async () => {
    await t.call('suggest.run', { codeId: cost }, 'me');
    const [mine] = await t.call('suggest.list', { codeId: cost });
    await t.call('suggest.review', { action: 'reject', ids: [mine!.id] });
    await existingRetrainer(t.core.currentProject()!)?.settled();
    const session = await t.call('coders.create', { name: 'ana' });
    await t.call('coders.choose', { id: session.coders.find((c) => c.name === 'ana')!.id });
    expect(await t.call('suggest.list', { status: 'rejected' })).toEqual([]);
    await expect(t.call('suggest.review', { action: 'accept', ids: [mine!.id] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.call('suggest.run', { codeId: cost, minScore: 0 }, 'ana');
    const hers = await t.call('suggest.list', { codeId: cost, limit: 10000 });
    expect(hers.some((s) => s.documentId === mine!.documentId && s.start === mine!.start)).toBe(true);
    await t.call('coders.choose', { id: 1 });
    expect((await t.call('suggest.list', { status: 'rejected' })).map((s) => s.id)).toEqual([mine!.id]);
  });

  it('filters by sentiment', async () => {
    await t.call('suggest.run', { minScore: 0 }, 'run');
    const negative = await t.call('suggest.list', { sentiment: 'negative' });
    expect(negative.length).toBeGreaterThan(0);
    for (const s of negative) expect(s.sentiment!).toBeLessThan(-0.05);
    expect(negative.some((s) => /awful|terrible/.test(s.text))).toBe(true);
  });

  it('leaves earlier suggestions exactly as they were when a run is cancelled', async () => {
    await t.call('suggest.run', {}, 'first');
    const before = suggestionRows();
    const running = t.call('suggest.run', { minScore: 0 }, 'second');
    // Cancel once the job has really started (its first progress event), as a user's click would.
    while (!t.events.some((e) => e.type === 'progress' && e.jobId === 'second')) await new Promise((r) => setImmediate(r));
    expect(await t.call('jobs.cancel', { jobId: 'second' })).toEqual({ cancelled: true });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(suggestionRows()).toEqual(before);
  });

  it('refuses an unknown code with a plain message', async () => {
    await expect(t.call('suggest.run', { codeId: 999 }, 'x')).rejects.toBeInstanceOf(FieldbookError);
    await expect(t.call('suggest.run', { codeId: 999 }, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finds themes in uncoded text and makes one a code in one step', async () => {
    const themes = await t.call('suggest.themes', {}, 'themes');
    expect(themes.uncodedPassages).toBeGreaterThan(3);
    expect(themes.phrases.map((p) => p.phrase).join(' ')).toMatch(/wait|room|crowd/);
    const wait = themes.phrases.find((p) => /wait/.test(p.phrase))!;
    const made = await t.call('suggest.adoptTheme', { name: 'Long waits', keywords: [wait.phrase], passages: wait.examples });
    expect(made.coded).toBe(wait.examples.length);
    const codes = await t.call('codes.list', {});
    expect(codes.find((c) => c.id === made.codeId)).toMatchObject({ name: 'Long waits', keywords: [wait.phrase] });
  });

  it('evaluates the project coding and refuses too little coding with a plain message', async () => {
    await expect(t.call('suggest.eval', {}, 'ev')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('suggestions in Chinese text', () => {
  it('segments with Intl.Segmenter, finds keywords and similar quotes, and leaves sentiment unsupported (null)', async () => {
    const t = createTestCore();
    try {
      await t.newProject();
      await t.call('transcripts.import', { files: [{ path: fixture('interview-zh.txt') }] }, 'imp');
      const [doc] = await t.call('documents.list', {});
      const text = (await t.call('documents.get', { id: doc!.id })).text ?? '';
      const cost = await t.call('codes.create', { name: '费用', keywords: ['价格', '贵'] });
      const phrase = '价格太贵了，药费和挂号费加起来很多钱。';
      await t.call('codings.apply', { documentId: doc!.id, start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length, codeId: cost.id });
      await t.call('suggest.run', {}, 'zh');
      const list = await t.call('suggest.list', {});
      const parking = list.find((s) => s.text.includes('停车费'));
      expect(parking).toMatchObject({ codeId: cost.id, sentiment: null, sentimentLabel: null });
      expect(parking!.evidence.keywords).toEqual(expect.arrayContaining(['价格']));
      expect(parking!.evidence.similar?.text).toBe(phrase);
    } finally {
      t.cleanup();
    }
  });
});

describe('suggestions for the open-ended answers of a survey question', () => {
  it('treats each answer as a passage and suggests from keywords before anything is coded', async () => {
    const t = createTestCore();
    try {
      await t.newProject();
      const survey = path.join(import.meta.dirname, '..', 'survey', 'fixtures', 'qualtrics_2024.csv');
      await t.call('survey.import', { path: survey, name: 'Library' }, 'imp');
      const db = t.core.currentProject()!.db;
      const q5 = (db.prepare(`SELECT id FROM variable WHERE name = 'Q5'`).get() as { id: number }).id;
      const wifi = await t.call('codes.create', { name: 'Internet', keywords: ['wifi', 'internet'] });
      await t.call('codes.create', { name: 'Noise', keywords: ['quiet', 'noise'] });
      const run = await t.call('suggest.run', { variableId: q5 }, 'q5');
      expect(run.passages).toBe(3);
      const list = await t.call('suggest.list', { variableId: q5 });
      const fix = list.find((s) => s.text === 'Fix the wifi');
      expect(fix).toMatchObject({ codeId: wifi.id });
      expect(fix!.evidence.keywords).toEqual(['wifi']);
      expect(list.find((s) => s.text.startsWith('More quiet rooms'))?.codeName).toBe('Noise');
      await expect(t.call('suggest.run', { variableId: 99999 }, 'bad')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      t.cleanup();
    }
  });
});

describe.skipIf(!sharedDataAvailable)('evaluation on the Taguette usability corpus (1,930 coded passages)', () => {
  const csv = sharedData('coded_text/taguette_serdif_all_tags_20220303.csv');

  it('beats the keyword baseline and the published LR reference, and repeats exactly', async () => {
    const t = createTestCore();
    try {
      const first = await t.call('suggest.eval', { dataPath: csv, learningCurve: [5, 20] }, 'e1');
      const model = first.results.find((r) => r.method === 'fieldbook')!;
      const keyword = first.results.find((r) => r.method.startsWith('keyword'))!;
      expect(first).toMatchObject({ passages: 1793, codes: 22, documents: 17, grouped: true, folds: 5 });
      expect(model.macroF1).toBeGreaterThan(keyword.macroF1 + 0.2);
      // scikit-learn TF-IDF + one LR per code on the same protocol: 0.47 / 0.53 / 0.77.
      expect(model.macroF1).toBeGreaterThan(0.47);
      expect(model.microF1).toBeGreaterThan(0.53);
      expect(model.top3).toBeGreaterThan(0.77);
      expect(first.learningCurve[1]!.macroF1).toBeGreaterThan(first.learningCurve[0]!.macroF1);
      // Determinism: the same data gives the same figures (the learning curve left out to save time).
      const second = await t.call('suggest.eval', { dataPath: csv, learningCurve: [] }, 'e2');
      expect(second.results).toEqual(first.results);
      expect(second.perCode).toEqual(first.perCode);
    } finally {
      t.cleanup();
    }
  }, 240_000);

  it('stops an evaluation when cancelled', async () => {
    const t = createTestCore();
    try {
      const running = t.call('suggest.eval', { dataPath: csv }, 'long');
      while (!t.events.some((e) => e.type === 'progress' && e.jobId === 'long')) await new Promise((r) => setTimeout(r, 20));
      expect(await t.call('jobs.cancel', { jobId: 'long' })).toEqual({ cancelled: true });
      await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      t.cleanup();
    }
  }, 120_000);

  it('reports a CSV without a code column with the file and line', async () => {
    const t = createTestCore();
    try {
      await expect(t.call('suggest.eval', { dataPath: fixture('interview-a.txt') }, 'e')).rejects.toMatchObject({
        code: 'PARSE_ERROR',
        details: { line: 1 },
      });
    } finally {
      t.cleanup();
    }
  });
});
