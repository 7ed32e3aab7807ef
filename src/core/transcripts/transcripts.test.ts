import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../store/project';
import { createTestCore, failure, sharedData, sharedDataAvailable, tempDir, type TestCore } from '../testing/index';
import { indexDocumentTurns } from '../store/search-index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Every row of every table (FTS shadow tables included): "exactly as before" means equal dumps. */
function dump(): Record<string, unknown[]> {
  const db = t.core.currentProject()?.db;
  if (!db) throw new Error('no project');
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
}

const INTERVIEW_A = [
  'Interviewer: Tell me about model management at your company.',
  'Maria: We built our own model registry. Model management was chaos before that.',
  'Interviewer: What about cloud costs?',
  'Maria: Cloud costs are a constant worry, especially for GPU training.',
].join('\n');

const INTERVIEW_B = [
  'WEBVTT',
  '',
  '00:00:01.000 --> 00:00:04.000',
  '<v Interviewer>How do you deploy?</v>',
  '',
  '00:00:04.000 --> 00:00:09.000',
  '<v Chen>我们需要更好的模型管理工具，因为模型越来越多。</v>',
  '',
  '00:00:09.000 --> 00:00:12.000',
  '<v Chen>We deploy on premises, not in the cloud.</v>',
].join('\n');

describe('importing transcripts', () => {
  it('previews speakers, imports with renames, interviewer and participant, and reads back exact offsets', async () => {
    await t.newProject();
    const a = write('maria.txt', INTERVIEW_A);
    const b = write('chen.vtt', INTERVIEW_B);
    const preview = await t.call('transcripts.preview', { files: [a, b] });
    expect(preview.files.map((f) => [f.format, f.turns, f.error])).toEqual([
      ['txt', 4, null],
      ['vtt', 2, null],
    ]);
    expect(preview.files[0]?.speakers.map((s) => [s.label, s.turns, s.likelyInterviewer])).toEqual([
      ['Interviewer', 2, true],
      ['Maria', 2, false],
    ]);
    expect(preview.files[1]?.hasTimestamps).toBe(true);

    const result = await t.call(
      'transcripts.import',
      {
        files: [
          { path: a, participantName: 'P01', speakers: [{ label: 'Maria', displayName: 'Maria (P01)' }] },
          { path: b, name: 'Chen interview', participantName: 'P02' },
        ],
      },
      'job-1',
    );
    expect(result.documents.map((d) => [d.name, d.participantName, d.turns, d.speakers])).toEqual([
      ['maria', 'P01', 4, 2],
      ['Chen interview', 'P02', 2, 2],
    ]);
    expect(t.events.some((e) => e.type === 'progress' && e.jobId === 'job-1')).toBe(true);

    const doc = await t.call('documents.get', { id: result.documents[0]?.id ?? 0 });
    const byId = new Map(doc.speakers.map((s) => [s.id, s]));
    expect(doc.turns.map((turn) => [byId.get(turn.speakerId ?? 0)?.displayName, doc.text.slice(turn.start, turn.end)])).toEqual([
      ['Interviewer', 'Tell me about model management at your company.'],
      ['Maria (P01)', 'We built our own model registry. Model management was chaos before that.'],
      ['Interviewer', 'What about cloud costs?'],
      ['Maria (P01)', 'Cloud costs are a constant worry, especially for GPU training.'],
    ]);
    expect(doc.speakers.find((s) => s.label === 'Interviewer')?.isInterviewer).toBe(true);
    expect(doc.text).not.toContain('Maria:');

    // Paged turns for a long reading view.
    const page = await t.call('documents.get', { id: doc.document.id, includeText: false, turnOffset: 2, turnLimit: 1 });
    expect(page.text).toBe('');
    expect(page.turns.map((x) => x.position)).toEqual([2]);
    expect(page.totalTurns).toBe(4);

    // Offsets stay valid after closing and reopening the file.
    const projectPath = t.core.currentProject()?.path ?? '';
    await t.call('project.close', {});
    await t.call('project.open', { path: projectPath });
    const again = await t.call('documents.get', { id: doc.document.id });
    expect(again.text).toBe(doc.text);
    expect(again.turns).toEqual(doc.turns);

    const speaker = doc.speakers.find((s) => s.label === 'Maria');
    const renamed = await t.call('speakers.update', { id: speaker?.id ?? 0, displayName: 'Maria L.', isInterviewer: false });
    expect(renamed.displayName).toBe('Maria L.');
    const list = await t.call('documents.list', { kind: 'transcript' });
    expect(list.map((d) => d.name)).toEqual(['Chen interview', 'maria']);
    expect(list.find((d) => d.name === 'Chen interview')?.hasTimestamps).toBe(true);
  });

  it('imports nothing when one file of the batch is bad, and says which file and where', async () => {
    await t.newProject();
    await t.call('transcripts.import', { files: [{ path: write('first.txt', INTERVIEW_A) }] });
    const before = dump();
    const good = write('good.vtt', INTERVIEW_B);
    const bad = write('broken.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHello\n');
    const error = await failure(t.call('transcripts.import', { files: [{ path: good }, { path: bad }] }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('broken.vtt, line 3');
    expect(error.details?.file).toBe(bad);
    expect(dump()).toEqual(before);

    const preview = await t.call('transcripts.preview', { files: [good, bad, write('empty.txt', '')] });
    expect(preview.files.map((f) => f.error?.code ?? null)).toEqual([null, 'PARSE_ERROR', 'PARSE_ERROR']);
    expect(preview.files[2]?.error?.message).toMatch(/empty\.txt is empty/);
  });

  it('refuses every kind of bad file inside a batch, naming it, with the project unchanged', async () => {
    await t.newProject();
    await t.call('transcripts.import', { files: [{ path: write('first.txt', INTERVIEW_A) }] });
    const before = dump();
    const good = write('good.vtt', INTERVIEW_B);
    const binary = new Uint8Array(2048).map((_, i) => (i * 31) % 256);
    const unknown = Buffer.concat([Buffer.from('A: hi\nB: '), Buffer.from(Array.from({ length: 60 }, (_, i) => [0x61, 0x81, 0x20, 0x8d][i % 4] ?? 0x20))]);
    const bad: [string, string | Uint8Array, RegExp][] = [
      ['photo.txt', binary, /photo\.txt is not a text file/],
      ['fake.docx', 'Interviewer: plain text', /fake\.docx is not a real Word document/],
      ['bomb.docx', zipSync({ 'word/document.xml': new Uint8Array(64 * 1024 * 1024) }), /zip bomb/],
      ['empty.srt', '', /empty\.srt is empty/],
      ['mystery.txt', unknown, /mystery\.txt is in a character encoding/],
    ];
    for (const [name, content, message] of bad) {
      const file = write(name, content);
      const error = await failure(t.call('transcripts.import', { files: [{ path: good }, { path: file }] }));
      expect(error.message).toMatch(message);
      expect(error.details?.file).toBe(file);
      expect(dump()).toEqual(before);
    }
  });

  it('a cancelled import leaves the project exactly as before', async () => {
    await t.newProject();
    const files = Array.from({ length: 30 }, (_, i) => ({ path: write(`t${i}.txt`, INTERVIEW_A) }));
    const before = dump();
    const running = t.call('transcripts.import', { files }, 'job-cancel');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.call('jobs.cancel', { jobId: 'job-cancel' })).toEqual({ cancelled: true });
    const error = await failure(running);
    expect(error.code).toBe('CANCELLED');
    expect(dump()).toEqual(before);
  });

  it('deleting a document removes its turns from the search index', async () => {
    await t.newProject();
    const { documents } = await t.call('transcripts.import', { files: [{ path: write('a.txt', INTERVIEW_A) }] });
    expect((await t.call('search.run', { query: 'registry' })).total).toBe(1);
    await t.call('documents.delete', { id: documents[0]?.id ?? 0 });
    expect((await t.call('search.run', { query: 'registry' })).total).toBe(0);
  });
});

describe('search', () => {
  async function setup() {
    await t.newProject();
    const role = await t.call('attributes.create', { name: 'role', type: 'text' });
    const country = await t.call('attributes.create', { name: 'country', type: 'text' });
    const p1 = await t.call('participants.create', { name: 'P01', values: { [role.id]: 'engineering manager', [country.id]: 'US' } });
    const p2 = await t.call('participants.create', { name: 'P02', values: { [role.id]: 'data scientist', [country.id]: 'CN' } });
    await t.call('transcripts.import', {
      files: [
        { path: write('maria.txt', INTERVIEW_A), participantId: p1.id },
        { path: write('chen.vtt', INTERVIEW_B), participantId: p2.id },
      ],
    });
    return { role, country, p1, p2 };
  }

  it('finds words, phrases, prefixes and AND/OR/NOT, with KWIC, speaker, participant and attributes', async () => {
    await setup();
    const phrase = await t.call('search.run', { query: '"model management"' });
    expect(phrase.total).toBe(2);
    const hit = phrase.hits[1];
    // Maria's turn belongs to the document's participant; the interviewer's question to nobody.
    expect(hit).toMatchObject({ match: 'Model management', speaker: 'Maria', participantName: 'P01', isInterviewer: false });
    expect(phrase.hits[0]).toMatchObject({ match: 'model management', speaker: 'Interviewer', participantName: null, isInterviewer: true });
    expect(hit?.attributes).toEqual({ role: 'engineering manager', country: 'US' });
    const doc = await t.call('documents.get', { id: hit?.documentId ?? 0 });
    expect(doc.text.slice(hit?.start, hit?.end)).toBe('Model management');
    expect(hit?.left.endsWith('We built our own model registry. ')).toBe(true);
    expect(hit?.right.startsWith(' was chaos')).toBe(true);

    expect((await t.call('search.run', { query: 'cloud' })).total).toBe(3);
    expect((await t.call('search.run', { query: 'cloud NOT premises' })).total).toBe(2);
    expect((await t.call('search.run', { query: 'cloud AND GPU' })).total).toBe(1);
    expect((await t.call('search.run', { query: 'GPU OR premises' })).total).toBe(2);
    expect((await t.call('search.run', { query: '(GPU OR premises) cloud' })).total).toBe(2);
    const prefix = await t.call('search.run', { query: 'regist*' });
    expect(prefix.hits.map((h) => h.match)).toEqual(['registry']);
    // Word search: "anage" is inside a word, not a word.
    expect((await t.call('search.run', { query: 'anage' })).total).toBe(0);
  });

  it('finds 模型管理 inside a Chinese sentence', async () => {
    await setup();
    const result = await t.call('search.run', { query: '模型管理' });
    expect(result.total).toBe(1);
    expect(result.hits[0]).toMatchObject({ match: '模型管理', speaker: 'Chen', participantName: 'P02' });
    expect(result.hits[0]?.left).toBe('我们需要更好的');
    expect(result.hits[0]?.attributes).toEqual({ role: 'data scientist', country: 'CN' });
    expect((await t.call('search.run', { query: '模型' })).total).toBe(1);
    expect((await t.call('search.run', { query: '型管' })).total).toBe(1);
  });

  it('judges every turn on its own, though the index groups turns into chunks', async () => {
    await t.newProject();
    // Turns long enough that the document spans several index chunks.
    const filler = (i: number) => `Turn ${i} talks about budgets and hiring plans in some detail, `.repeat(30);
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      let words = filler(i);
      if (i % 10 === 3) words += 'we adopted a model registry last year';
      if (i === 50) words += 'the cloud bill doubled';
      if (i === 51) words += 'mostly aws, some on premises';
      if (i === 60) words += 'everything ends with a model';
      if (i === 61) words = 'registry ' + words;
      lines.push(`${i % 2 ? 'Ana' : 'Interviewer'}: ${words}`);
    }
    await t.call('transcripts.import', { files: [{ path: write('long.txt', lines.join('\n\n')) }] });
    const db = t.core.currentProject()?.db;
    expect(db?.prepare("SELECT count(*) FROM search_chunk").pluck().get()).toBeGreaterThan(2);

    const phrase = await t.call('search.run', { query: '"model registry"', limit: 5 });
    // 12 turns hold the phrase; "…a model" + "registry…" across two turns is not a match.
    expect(phrase.total).toBe(12);
    expect(phrase.hasMore).toBe(true);
    const rest = await t.call('search.run', { query: '"model registry"', limit: 20, offset: 5 });
    expect(rest.hits).toHaveLength(7);
    const all = [...phrase.hits, ...rest.hits];
    expect(all.every((h) => h.match === 'model registry')).toBe(true);
    // In reading order, each turn once.
    expect(all.map((h) => h.start)).toEqual([...all.map((h) => h.start)].sort((a, b) => a - b));
    expect(new Set(all.map((h) => h.turnId)).size).toBe(12);
    // Speaker filters apply to the turns the chunk's text scan points at.
    expect((await t.call('search.run', { query: '"model registry"', speakers: 'participants' })).total).toBe(12);
    expect((await t.call('search.run', { query: '"model registry"', speakers: 'interviewers' })).total).toBe(0);
    expect((await t.call('search.run', { query: '"everything ends"', speakers: 'interviewers' })).total).toBe(1);
    // "aws" in the next turn (same chunk) does not hide the turn about the cloud bill.
    const cloud = await t.call('search.run', { query: 'cloud NOT aws' });
    expect(cloud.hits.map((h) => h.right.trim())).toEqual(['bill doubled']);
    expect((await t.call('search.run', { query: 'cloud AND aws' })).total).toBe(0);
    expect((await t.call('search.run', { query: '(cloud OR aws) NOT premises' })).total).toBe(1);
    // Counted only when asked: the page alone says there is more.
    const page = await t.call('search.run', { query: 'budgets', limit: 10, countTotal: false });
    expect(page).toMatchObject({ totalCounted: false, hasMore: true });
    expect((await t.call('search.run', { query: 'budgets', limit: 10 })).total).toBe(120);
  });

  it('finds words inside Thai, Hindi, Greek and accented sentences', async () => {
    await t.newProject();
    const text = [
      'Interviewer: ภาษาไทยเป็นภาษาที่สวยงามมาก',
      'Ana: मुझे हिन्दी में बात करना पसंद है',
      'Interviewer: Η ΟΔΟΣ ήταν μεγάλη',
      'Ana: Le café était crème, très naïf.',
    ].join('\n\n');
    await t.call('transcripts.import', { files: [{ path: write('many.txt', text) }] });
    const match = async (query: string) => (await t.call('search.run', { query })).hits.map((h) => h.match);
    expect(await match('ที่สวย')).toEqual(['ที่สวย']);
    expect(await match('ภาษา')).toEqual(['ภาษา']);
    expect(await match('हिन्दी')).toEqual(['हिन्दी']);
    expect(await match('οδος')).toEqual(['ΟΔΟΣ']);
    expect(await match('cafe')).toEqual(['café']);
    expect(await match('"etait creme"')).toEqual(['était crème']);
  });

  it('filters by participant attributes and speaker role, and pages', async () => {
    const { role } = await setup();
    // Chen's two consecutive cues are one turn, so four turns match.
    const all = await t.call('search.run', { query: 'cloud OR 模型 OR deploy' });
    expect(all.total).toBe(4);
    const managers = await t.call('search.run', { query: 'cloud OR 模型 OR deploy', filters: [{ attributeId: role.id, values: ['engineering manager'] }] });
    // Maria's two turns; the interviewer's "cloud costs?" question belongs to nobody.
    expect(managers.hits.map((h) => h.participantName)).toEqual(['P01']);
    const interviewers = await t.call('search.run', { query: 'cloud OR deploy', speakers: 'interviewers' });
    expect(interviewers.hits.every((h) => h.isInterviewer)).toBe(true);
    expect(interviewers.total).toBe(2);
    const page1 = await t.call('search.run', { query: 'cloud OR 模型 OR deploy', limit: 2 });
    const page2 = await t.call('search.run', { query: 'cloud OR 模型 OR deploy', limit: 2, offset: 2 });
    expect(page1.total).toBe(4);
    expect(page1.hits).toHaveLength(2);
    expect(new Set([...page1.hits, ...page2.hits].map((h) => h.turnId)).size).toBe(4);
  });

  it('counts matches up to 10,000 and says when there are more', async () => {
    await t.newProject();
    const lines = Array.from({ length: 10_001 }, (_, i) => `${i % 2 ? 'Ana' : 'Bo'}: cloud number ${i}`);
    await t.call('transcripts.import', { files: [{ path: write('many.txt', lines.join('\n')) }] });
    const capped = await t.call('search.run', { query: 'cloud', limit: 50 });
    expect(capped).toMatchObject({ total: 10_000, totalIsCapped: true, totalCounted: true, hasMore: true });
    expect(capped.hits).toHaveLength(50);
    // Only the page: no count, but the caller still learns that more follow.
    const page = await t.call('search.run', { query: 'cloud', limit: 50, offset: 100, countTotal: false });
    expect(page).toMatchObject({ total: 150, totalCounted: false, hasMore: true });
    expect(page.hits.map((h) => h.match)).toEqual(Array.from({ length: 50 }, () => 'cloud'));
    const last = await t.call('search.run', { query: 'cloud', limit: 50, offset: 9_990, countTotal: false });
    expect(last).toMatchObject({ total: 10_001, totalCounted: true, hasMore: false });
    const exact = await t.call('search.run', { query: 'cloud AND Ana', limit: 50 });
    expect(exact).toMatchObject({ total: 0, totalIsCapped: false });
    const some = await t.call('search.run', { query: '"number 1234"', limit: 50 });
    expect(some).toMatchObject({ total: 1, totalIsCapped: false });
  });

  it('explains malformed queries instead of failing inside SQLite', async () => {
    await setup();
    for (const [query, pattern] of [
      ['NOT cloud', /NOT at column 1/],
      ['cloud AND', /ends with an operator/],
      ['(cloud', /never closed/],
      ['cloud)', /without a "\("/],
      ['!!!', /no words/],
    ] as const) {
      const error = await failure(t.call('search.run', { query }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    }
    // Quotes and FTS5 syntax characters in words are just text.
    expect((await t.call('search.run', { query: 'body:cloud' })).total).toBe(0);
    expect((await t.call('search.run', { query: '"cloud costs' })).total).toBe(2);
  });

  it('attributes a survey answer to the participant linked to its respondent id, and filters by their attributes', async () => {
    await t.newProject();
    const csv = write(
      'wave1.csv',
      'respondent_id,team_size,comment\nR1,5,Our model registry is a spreadsheet\nR2,40,We bought a model registry last year\nR3,12,No opinion\n',
    );
    const imported = await t.call('survey.import', { path: csv, name: 'Wave 1', overrides: { idColumn: 'respondent_id', types: { comment: 'text' } } }, 'survey');
    const role = await t.call('attributes.create', { name: 'role', type: 'text' });
    const p = await t.call('participants.create', { name: 'P02', values: { [role.id]: 'platform lead' } });
    await t.call('participants.update', { id: p.id, datasetId: imported.datasetId, respondentKey: 'R2' });
    const result = await t.call('search.run', { query: '"model registry"', kinds: ['survey_text'] });
    expect(result.hits.map((h) => [h.respondentRow, h.participantName])).toEqual([
      [0, null],
      [1, 'P02'],
    ]);
    expect(result.hits[1]?.attributes).toEqual({ role: 'platform lead' });
    const filtered = await t.call('search.run', { query: '"model registry"', filters: [{ attributeId: role.id, values: ['platform lead'] }] });
    expect(filtered.hits.map((h) => h.respondentRow)).toEqual([1]);
    // Unlinking takes effect at the next search.
    await t.call('participants.update', { id: p.id, respondentKey: null });
    expect((await t.call('search.run', { query: '"model registry"', filters: [{ attributeId: role.id, values: ['platform lead'] }] })).total).toBe(0);
  });

  it('indexes documents written by other importers through indexDocumentTurns', async () => {
    await t.newProject();
    const db = t.core.currentProject()?.db;
    if (!db) throw new Error('no project');
    const answers = ['Better dashboards please', '模型管理太难了', 'Faster support'];
    const text = answers.join('\n\n');
    const docId = Number(db.prepare("INSERT INTO document (kind, name, format, text) VALUES ('survey_text', 'Q5 comments', 'csv', ?)").run(text).lastInsertRowid);
    let offset = 0;
    answers.forEach((answer, i) => {
      db.prepare('INSERT INTO turn (document_id, position, respondent_row, start_char, end_char) VALUES (?, ?, ?, ?, ?)').run(docId, i, i, offset, offset + answer.length);
      offset += answer.length + 2;
    });
    expect(indexDocumentTurns(db, docId)).toBe(3);
    const result = await t.call('search.run', { query: '模型管理', kinds: ['survey_text'] });
    expect(result.hits.map((h) => [h.respondentRow, h.match, h.documentKind])).toEqual([[1, '模型管理', 'survey_text']]);
    expect((await t.call('search.run', { query: 'dashboards', kinds: ['transcript'] })).total).toBe(0);
    // Listing a document another importer wrote works out its counts.
    expect((await t.call('documents.list', { kind: 'survey_text' }))[0]).toMatchObject({ turns: 3, chars: text.length });
  });
});

describe('participants and attributes', () => {
  it('edits the grid: create, rename, values, number attributes, respondent link, delete', async () => {
    await t.newProject();
    const size = await t.call('attributes.create', { name: 'company size', type: 'number' });
    const p = await t.call('participants.create', { name: 'P07', values: { [size.id]: '250' } });
    expect(p.values).toEqual({ [size.id]: 250 });
    const error = await failure(t.call('participants.update', { id: p.id, values: { [size.id]: 'big' } }));
    expect(error.message).toMatch(/"big" is not a number/);
    const dup = await failure(t.call('participants.create', { name: 'P07' }));
    expect(dup.code).toBe('ALREADY_EXISTS');
    const updated = await t.call('participants.update', { id: p.id, name: 'P7', respondentKey: ' R_123 ', values: { [size.id]: null } });
    expect(updated).toMatchObject({ name: 'P7', respondentKey: 'R_123', values: {} });
    await t.call('attributes.update', { id: size.id, name: 'employees' });
    const grid = await t.call('participants.list', {});
    expect(grid.attributes.map((a) => a.name)).toEqual(['employees']);
    expect(await t.call('participants.delete', { id: p.id })).toEqual({ deleted: true });
    expect((await t.call('participants.list', {})).participants).toEqual([]);
  });

  it('imports an attribute sheet from CSV: creates, updates, types columns, links respondents; bad sheets change nothing', async () => {
    await t.newProject();
    await t.call('participants.create', { name: 'P01' });
    const csv = write('people.csv', 'pseudonym,role,industry,country,employees,respondent\nP01,engineering manager,healthcare,US,"1,200",R_9\nP02,data scientist,finance,DE,"40,5",\n');
    const preview = await t.call('participants.previewSheet', { path: csv });
    expect(preview).toMatchObject({ rowCount: 2, suggestedKeyColumn: 'pseudonym' });
    const result = await t.call('participants.importSheet', { path: csv, keyColumn: 'pseudonym', respondentColumn: 'respondent' });
    expect(result).toEqual({ created: 1, updated: 1, attributesCreated: ['role', 'industry', 'country', 'employees'], linked: 1 });
    const grid = await t.call('participants.list', {});
    const employees = grid.attributes.find((a) => a.name === 'employees');
    expect(employees?.type).toBe('number');
    const p1 = grid.participants.find((p) => p.name === 'P01');
    expect(p1?.respondentKey).toBe('R_9');
    expect(p1?.values[String(employees?.id)]).toBe(1200);
    // "40,5" is a decimal comma, "1,200" a thousands separator.
    expect(grid.participants.find((p) => p.name === 'P02')?.values[String(employees?.id)]).toBe(40.5);

    const before = dump();
    const duplicate = write('dup.csv', 'pseudonym,role\nP03,x\nP03,y\n');
    const error = await failure(t.call('participants.importSheet', { path: duplicate, keyColumn: 'pseudonym' }));
    expect(error.message).toMatch(/dup\.csv, row 3: "P03" is listed twice/);
    expect(dump()).toEqual(before);
  });

  it('imports an attribute sheet from XLSX', async () => {
    await t.newProject();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['Name', 'Role', 'Age']);
    sheet.addRow(['Ana', 'designer', 31]);
    sheet.addRow(['Bo', 'engineer', 45]);
    const file = path.join(t.dir, 'people.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await t.call('participants.importSheet', { path: file, keyColumn: 'Name' });
    expect(result.created).toBe(2);
    const grid = await t.call('participants.list', {});
    const age = grid.attributes.find((a) => a.name === 'Age');
    expect(grid.participants.map((p) => [p.name, p.values[String(age?.id)]])).toEqual([
      ['Ana', 31],
      ['Bo', 45],
    ]);
    const fake = await failure(t.call('participants.previewSheet', { path: write('fake.xlsx', 'not a workbook') }));
    expect(fake.message).toMatch(/not a real Excel workbook/);
  });
});

describe.skipIf(!sharedDataAvailable)('real-world files through the core', () => {
  it('imports every valid transcript in ../shared/data/transcripts and refuses the invalid ones', async () => {
    await t.newProject();
    const root = sharedData('transcripts');
    const files = fs.readdirSync(root).flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((f) => path.join(root, dir, f)));
    const preview = await t.call('transcripts.preview', { files });
    const invalid = preview.files.filter((f) => f.error).map((f) => f.fileName);
    expect(invalid.sort()).toEqual(['invalid_timeframe.vtt', 'missing_timeframe.vtt']);
    const good = preview.files.filter((f) => !f.error);
    const { documents } = await t.call('transcripts.import', { files: good.map((f) => ({ path: f.path })) });
    expect(documents).toHaveLength(good.length);
    const bracket = documents.find((d) => d.name === 'qualcoder_transcript_bracket_speakers');
    expect(bracket?.speakers).toBe(3);
    const hits = await t.call('search.run', { query: '"lecture slides"' });
    expect(hits.hits.map((h) => [h.documentName, h.speaker])).toEqual([
      ['qualcoder_ID1', null],
      ['qualcoder_transcript_bracket_speakers', 'id2'],
    ]);
    const odt = await t.call('search.run', { query: '"data lineage"' });
    expect(odt.total).toBeGreaterThan(0);
    expect(odt.hits[0]?.documentName).toBe('P1_GMT20211118');
  });

  it('imports the QualCoder attribute sheets (CSV and XLSX)', async () => {
    await t.newProject();
    const csv = await t.call('participants.importSheet', { path: sharedData('survey/qualcoder_survey456_freetext.csv'), keyColumn: 'Case' });
    expect(csv.created).toBeGreaterThan(0);
    const xlsx = await t.call('participants.importSheet', { path: sharedData('survey/qualcoder_survey789.xlsx'), keyColumn: 'Case' });
    expect(xlsx.created).toBeGreaterThan(0);
    const grid = await t.call('participants.list', {});
    const age = grid.attributes.find((a) => a.name === 'Age');
    expect(age?.type).toBe('number');
    expect(grid.participants.find((p) => p.name === 'ID7')?.values[String(age?.id)]).toBe(33);
  });
});

describe('migrations 0072 and 0073', () => {
  it('moves a project at 71 (indexed per turn by 0030) to the chunk index', () => {
    const temp = tempDir();
    const db = new Database(path.join(temp.dir, 'm.fieldbook'));
    try {
      migrate(db, 0, 71);
      db.prepare("INSERT INTO document (kind, name, format, text) VALUES ('transcript', 'old', 'txt', 'An older interview about 模型管理.')").run();
      db.prepare('INSERT INTO turn (document_id, position, start_char, end_char) VALUES (1, 0, 0, 30)').run();
      db.prepare('INSERT INTO turn_fts (rowid, body) VALUES (1, ?)').run('An older interview about 模 型 管 理 .');
      migrate(db, 71);
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'turn_fts%'").pluck().all();
      expect(tables).toEqual([]);
      expect(
        db.prepare('SELECT c.document_id FROM chunk_fts f JOIN search_chunk c ON c.id = f.rowid WHERE chunk_fts MATCH ?').pluck().all('"模 型 管 理"'),
      ).toEqual([1]);
      expect(db.prepare('SELECT start_char, last_start, end_char, ascii FROM search_chunk').raw().all()).toEqual([[0, 0, 30, 0]]);
      expect(db.prepare('SELECT name FROM document').pluck().all()).toEqual(['old']);
      // Deleting the document takes its chunks and their index rows with it.
      db.prepare('DELETE FROM document WHERE id = 1').run();
      expect(db.prepare('SELECT count(*) FROM search_chunk').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM chunk_fts WHERE chunk_fts MATCH ?').pluck().get('older')).toBe(0);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
