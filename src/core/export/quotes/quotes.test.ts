import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../testing/index';
import { seedStudy, type SeededStudy } from '../fixtures/seed';

let t: TestCore;
let study: SeededStudy;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject('Cloud buyers');
  const project = t.core.currentProject();
  if (!project) throw new Error('no project');
  study = seedStudy(project.db);
});
afterEach(() => t.cleanup());

const out = (name: string) => path.join(t.dir, name);

function csv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('quote packs', () => {
  it('DOCX: grouped by theme, starred first, attribution from attributes (read back with mammoth)', async () => {
    const result = await t.call('export.quotePack', { path: out('pack.docx'), format: 'docx', options: { codeIds: [study.codes.trust as number] } }, 'qp');
    expect(result.items).toBe(2);
    const { value } = await mammoth.extractRawText({ path: result.path });
    const lines = value.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe('Cloud buyers: quotes');
    const trust = lines.indexOf('Trust (1)');
    const support = lines.indexOf('Trust > Support quality (2)');
    expect(trust).toBeGreaterThan(0);
    expect(support).toBeGreaterThan(trust);
    expect(lines[trust + 1]).toBe('Confidence in a vendor or colleague.');
    expect(lines[trust + 2]).toBe('★ “trust is everything 🙂. We moved to Acme Cloud because their support team answered at 3am.”');
    expect(lines[trust + 3]).toBe('— Cloud engineering manager, healthcare, United States, 41 (Interview Ana)');
    // Under Support quality the starred quote (Ana) comes before Kenji's; Kenji is found through his speaker turn.
    expect(lines[support + 2]).toMatch(/^★ “trust is everything/);
    expect(lines[support + 4]).toBe('“信頼です。Support from Acme Cloud was slow, so we left after two years.”');
    expect(lines[support + 5]).toBe('— CTO, retail, Japan, 52.5 (Interview Kenji)');
    expect(value).not.toContain('Price matters');
    expect(t.events.some((e) => e.type === 'progress' && e.jobId === 'qp')).toBe(true);
  });

  it('pseudonyms and redaction replace names in quotes, attribution and every format', async () => {
    const options = { pseudonyms: true, redact: ['Acme Cloud', 'kenji'], attributionAttributes: ['Role', 'Country'] };
    const md = fs.readFileSync((await t.call('export.quotePack', { path: out('p.md'), format: 'md', options })).path, 'utf8');
    expect(md).not.toMatch(/Acme Cloud|Ana Souza|Kenji Watanabe/);
    // Markdown's own punctuation in quotes gets a backslash; it still prints as [redacted].
    expect(md).toContain('We moved to \\[redacted\\] because');
    expect(md).toContain('— P01, Cloud engineering manager, United States (Interview P01)');
    // Names in document names become pseudonyms too; Kenji is P02 (the second person quoted).
    expect(md).toContain('— P02, CTO, Japan (Interview P02)');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('> \\-Too expensive');

    const rows = csv((await t.call('export.quotePack', { path: out('p.csv'), format: 'csv', options })).path);
    expect(rows.map((r) => r.participant).filter(Boolean).sort()).toEqual(['P01', 'P01', 'P01', 'P02', 'P02']);
    expect(rows.some((r) => Object.values(r).some((v) => /Acme Cloud|Ana Souza|Kenji/.test(v)))).toBe(false);
  });

  it('attribution line: chosen attributes in the chosen order, or none (then the name)', async () => {
    const picked = csv((await t.call('export.quotePack', { path: out('a.csv'), format: 'csv', options: { attributionAttributes: ['Country', 'Role'] } })).path);
    expect(picked.find((r) => r.document === 'Interview Ana')?.attribution).toBe('United States, Cloud engineering manager');
    const none = csv((await t.call('export.quotePack', { path: out('b.csv'), format: 'csv', options: { attributionAttributes: [] } })).path);
    expect(none.find((r) => r.document === 'Interview Ana')?.attribution).toBe('Ana Souza');
  });

  it('pseudonyms also replace the names of quoted people inside quotes, as whole words', async () => {
    const db = t.core.currentProject()?.db;
    if (!db) throw new Error('no project');
    const text = "Ana Souza told me Ana's team trusts Banana Inc. more than Kenji does.";
    const doc = Number(db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('text', 'Notes', 'txt', ?, ?)").run(text, study.participants.ana).lastInsertRowid);
    const seg = Number(db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, 0, ?, ?)').run(doc, text.length, text).lastInsertRowid);
    db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)').run(seg, study.codes.unused);
    const rows = csv((await t.call('export.quotePack', { path: out('hidden.csv'), format: 'csv', options: { pseudonyms: true } })).path);
    expect(rows.find((r) => r.document === 'Notes')?.text).toBe("P01 told me P01's team trusts Banana Inc. more than P02 does.");
  });

  it('filters: starred only, attribute values, waves', async () => {
    const starred = await t.call('export.quotePack', { path: out('s.md'), format: 'md', options: { starredOnly: true } });
    expect(starred.items).toBe(2);
    const retail = await t.call('export.quotePack', { path: out('r.csv'), format: 'csv', options: { attributes: { Sector: ['retail'] } } });
    expect(csv(retail.path).map((r) => r.document)).toEqual(['Interview Kenji', 'Interview Kenji']);
    const wave = await t.call('export.quotePack', { path: out('w.csv'), format: 'csv', options: { waves: ['2025 Q3'] } });
    const rows = csv(wave.path);
    expect(rows.map((r) => r.wave)).toEqual(['2025 Q3', '2025 Q3']);
    expect(rows.map((r) => r.attribution)).toEqual(['2025 Q3', '2025 Q3']);
  });

  it('CSV: one row per quote, every attribute and code path a column, formulas neutralised', async () => {
    const result = await t.call('export.quotePack', { path: out('all.csv'), format: 'csv' });
    const rows = csv(result.path);
    expect(rows).toHaveLength(7);
    const headers = Object.keys(rows[0] as object);
    expect(headers).toEqual([
      'quote_id', 'document', 'start', 'end', 'starred', 'participant', 'wave', 'attribution', 'codes', 'text',
      'Role', 'Sector', 'Country', 'Age',
      'Trust', 'Trust > Support quality', 'Cost', 'Compliance <audits>', 'Unused',
    ]);
    const ana = rows.find((r) => r.text?.startsWith('trust is'));
    expect(ana).toMatchObject({ starred: '1', participant: 'Ana Souza', Role: 'Cloud engineering manager', Age: '41', Trust: '1', 'Trust > Support quality': '1', Cost: '0', codes: 'Trust; Trust > Support quality' });
    // Answers that begin with - and @ would run as formulas in Excel: they start with an apostrophe.
    expect(rows.map((r) => r.text)).toContain("'-Too expensive for a small clinic");
    expect(rows.map((r) => r.text)).toContain("'@everyone should read the contract twice");
    expect(rows.find((r) => r.text?.startsWith('Price'))?.text).toContain('=HYPERLINK'); // mid-cell: harmless, kept
  });

  it('HTML: self-contained, every piece of data escaped', async () => {
    const result = await t.call('export.quotePack', { path: out('pack'), format: 'html', options: { title: 'Pack <b>one</b>' } });
    expect(result.path.endsWith('pack.html')).toBe(true);
    const html = fs.readFileSync(result.path, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Pack &lt;b&gt;one&lt;/b&gt;</title>');
    expect(html).toContain('Compliance &lt;audits&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=|href=/);
  });

  it('refuses a folder that does not exist and sanitises the file name', async () => {
    await expect(t.call('export.quotePack', { path: path.join(t.dir, 'nope', 'x.md'), format: 'md' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const result = await t.call('export.quotePack', { path: path.join(t.dir, 'CON'), format: 'md' });
    expect(path.basename(result.path)).toBe('_CON.md');
    const odd = await t.call('export.quotePack', { path: path.join(t.dir, 'a:b*c?.md'), format: 'md' });
    expect(path.basename(odd.path)).toBe('a_b_c_.md');
  });
});

describe('codebook exports', () => {
  it('DOCX, CSV and Markdown with definitions and counts', async () => {
    const docx = await t.call('export.codebook', { path: out('codebook.docx'), format: 'docx' });
    expect(docx.items).toBe(5);
    const { value } = await mammoth.extractRawText({ path: docx.path });
    expect(value).toContain('Confidence in a vendor or colleague.');
    expect(value).toContain('Include: Explicit mentions of trust or reliance.');
    expect(value).toContain('Keywords: trust, 信頼');
    expect(value).toContain('Trust > Support quality');
    // Memos on codes leave with the codebook, not only inside .qdpx.
    expect(value).toContain('Memo: On trust Trust shows up before price in most interviews.');

    const rows = csv((await t.call('export.codebook', { path: out('codebook.csv'), format: 'csv' })).path);
    expect(rows.map((r) => [r.path, r.quotes, r.documents, r.participants])).toEqual([
      ['Trust', '1', '1', '1'],
      ['Trust > Support quality', '2', '2', '2'],
      ['Cost', '3', '3', '2'],
      ['Compliance <audits>', '2', '2', '1'],
      ['Unused', '0', '0', '0'],
    ]);
    expect(rows[2]?.definition).toBe('Price, budget & "value for money".');
    expect(rows.map((r) => r.memos)).toEqual(['On trust: Trust shows up before price in most interviews.', '', '', '', '']);

    const md = fs.readFileSync((await t.call('export.codebook', { path: out('codebook.md'), format: 'md' })).path, 'utf8');
    expect(md).toContain('| Trust | 1 | 1 | 1 |');
    expect(md).toContain('**Exclude:** Trust in tools only.');
    expect(md).toContain('**Memo: On trust** Trust shows up before price in most interviews.');
  });
});

describe('export options', () => {
  it('lists codes with paths and counts, attributes with their values, waves and saved tables', async () => {
    await t.call('tables.save', { name: 'Sector', spec: { source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }] } });
    const options = await t.call('export.options', {});
    expect(options.codes.map((c) => [c.path, c.depth, c.quotes])).toEqual([
      ['Trust', 0, 1],
      ['Trust > Support quality', 1, 2],
      ['Cost', 0, 3],
      ['Compliance <audits>', 0, 2],
      ['Unused', 0, 0],
    ]);
    expect(options.attributes).toEqual([
      { name: 'Role', values: ['Cloud engineering manager', 'CTO'] },
      { name: 'Sector', values: ['healthcare', 'retail'] },
      { name: 'Country', values: ['Japan', 'United States'] },
      { name: 'Age', values: ['41', '52.5'] },
    ]);
    expect(options.waves).toEqual(['2025 Q3']);
    expect(options.savedTables.map((s) => s.name)).toEqual(['Sector']);
    expect(options.counts).toEqual({ documents: 3, quotes: 7, starred: 2 });
    expect(await t.call('export.quotePackCount', { options: {} })).toEqual({ quotes: 7, themes: 4, people: 2 });
    expect(await t.call('export.quotePackCount', { options: { codeIds: [study.codes.cost as number], starredOnly: true } })).toEqual({ quotes: 1, themes: 1, people: 1 });
  });
});
