import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { OFFICE_ZIP_LIMITS, readZipDirectory, zipEntryText } from '../zip/safe-zip';
import { seedFindingsStudy, type FindingsStudy } from './fixtures/study';

/** The text of a DOCX part, as Word stores it (runs joined, tags dropped). */
function docxPart(file: string, part: string): string {
  const data = new Uint8Array(fs.readFileSync(file));
  const xml = zipEntryText(data, readZipDirectory(data, file, OFFICE_ZIP_LIMITS), part, file, OFFICE_ZIP_LIMITS);
  if (xml === null) throw new Error(`${file} has no ${part}`);
  return xml;
}

describe('exporting the Findings report', () => {
  let t: TestCore;
  let s: FindingsStudy;
  let tableId: number;
  const out = (name: string) => path.join(t.dir, name);

  beforeAll(async () => {
    t = createTestCore();
    await t.newProject('Edge study');
    const db = t.core.currentProject()!.db;
    s = seedFindingsStudy(db);
    // Fieldwork dates as Qualtrics records them (text metadata).
    db.prepare("INSERT INTO variable (dataset_id, position, name, type) VALUES (?, 9, 'RecordedDate', 'metadata')").run(s.w2025);
    const dates = ['2025-03-04 10:00:00', '2025-03-05 09:00:00', '2025-04-18 17:30:00', null, null, null, null, null];
    const { encodeTextColumn } = await import('../survey/store');
    db.prepare("INSERT INTO variable_data (variable_id, encoding, data) VALUES (last_insert_rowid(), 'text', ?)").run(encodeTextColumn(dates));
    tableId = (await t.call('tables.save', { name: 'Edge by wave', spec: { source: { kind: 'dataset', datasetIds: [s.w2024, s.w2025] }, rows: [{ ref: 'Q7' }, { ref: 'Q9' }] } })).id;
    await t.call('findings.settings', { title: 'The State of the Edge 2025', settings: { attributionAttributes: ['Role', 'Country'], verbatimAnswers: ['ROLE'], redact: ['Acme Cloud'] } });
    const one = await t.call('findings.create', { headline: '{a} run Kubernetes at the edge, up {b}', body: 'First paragraph.\n\nSecond <b>paragraph</b>.' });
    await t.call('findings.setSlot', { findingId: one.id, key: 'a', source: { kind: 'cell', tableId, row: 'cat:1', column: 'wave=2025' }, format: 'words' });
    await t.call('findings.setSlot', { findingId: one.id, key: 'b', source: { kind: 'change', tableId, row: 'cat:1', from: 'wave=2024', to: 'wave=2025' }, format: 'points' });
    await t.call('findings.update', { id: one.id, chartTableId: tableId });
    await t.call('findings.addQuote', { findingId: one.id, turnId: s.openTurns.get(0)! });
    const two = await t.call('findings.create', { headline: '{p} interviewees raise cost' });
    await t.call('findings.setSlot', { findingId: two.id, key: 'p', source: { kind: 'code', codeId: s.codes.cost! }, format: 'number' });
    await t.call('findings.addQuote', { findingId: two.id, segmentId: 4 });
  });
  afterAll(() => t.cleanup());

  it('Markdown: numbers with footnotes naming their source, base and fingerprint; quotes attributed; methodology; appendix', async () => {
    const result = await t.call('findings.export', { path: out('report'), format: 'md' });
    expect(result).toMatchObject({ items: 2, warnings: [] });
    expect(result.path.endsWith('report.md')).toBe(true);
    const md = fs.readFileSync(result.path, 'utf8');
    const fingerprint = (await t.call('findings.report', {})).findings[0]!.slots[0]!.fingerprint;
    // 62.5% → "over three in five"; 62.5 − 40 → +23 pts.
    expect(md).toContain('## 1. **over three in five**[^1] run Kubernetes at the edge, up **+23 pts**[^2]');
    expect(md).toContain('## 2. **2**[^3] interviewees raise cost');
    expect(md).toContain('Second &lt;b&gt;paragraph&lt;/b&gt;.');
    expect(md).toContain('> We moved inference to the stores; \\[redacted\\] was too slow.\n>\n> — Platform engineer, 2025');
    expect(md).toContain('> — P01, CTO, Japan');
    expect(md).toContain(`[^1]: Edge by wave: Q7 (Do you run Kubernetes at the edge?) = Yes, 2025, column %. Base: respondents who answered Q7 (Do you run Kubernetes at the edge?) (2025), n = 8. Data fingerprint ${fingerprint}.`);
    expect(md).toMatch(/\[\^3\]: participants and respondents whose text carries "Cost"\. Data fingerprint [0-9a-f]{12}\./);
    expect(md).toContain('**Figure 1. Edge by wave** (the chart\'s figures are table A1 in the appendix)');
    expect(md).toContain('| 2025 | Survey 2025 | 8 | 2025-03-04 to 2025-04-18 |');
    expect(md).toContain('| 2024 | Survey 2024 | 10 | not recorded in the data |');
    expect(md).toContain('Figures are unweighted.');
    expect(md).toContain('How the tables were computed: Bases: Q7, respondents who answered the question; Q9, respondents who chose at least one answer.');
    expect(md).toContain('2 interviews with 2 participants.');
    expect(md).toContain('Country: Japan (1), United States (1).');
    expect(md).toContain('The report quotes 2 passages from 2 people');
    expect(md).toContain('### A1. Edge by wave');
  });

  it('HTML: one inert file with the chart inline and each number linked to its source', async () => {
    const html = fs.readFileSync((await t.call('findings.export', { path: out('report.html'), format: 'html' })).path, 'utf8');
    expect(html).toContain("content=\"default-src 'none'");
    expect(html).not.toMatch(/<script|src="http/);
    expect(html).toContain('<span class="num" title="Edge by wave: Q7');
    expect(html).toMatch(/>over three in five<\/span><sup><a href="#note-1" id="ref-1">1<\/a><\/sup> run Kubernetes at the edge, up <span class="num"[^>]*>\+23 pts<\/span>/);
    expect(html).toContain('<figure><svg');
    expect(html).toContain('<figcaption>Figure 1. Edge by wave</figcaption>');
    expect(html).toContain('<p class="under">Base: respondents who answered (n): Total 18, 2024 10, 2025 8</p>');
    expect(html).toContain('— P01, CTO, Japan');
    expect(html).toContain('Second &lt;b&gt;paragraph&lt;/b&gt;.');
  });

  it('DOCX: Word headings, footnotes for the numbers, the chart as a picture with its caption, quotes in their styles', async () => {
    const result = await t.call('findings.export', { path: out('report.docx'), format: 'docx' });
    const xml = docxPart(result.path, 'word/document.xml');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Caption"/>');
    expect(xml).toContain('<w:pStyle w:val="FieldbookQuote"/>');
    expect(xml).toContain('<w:footnoteReference w:id="1"/>');
    expect(xml).toContain('<w:footnoteReference w:id="3"/>');
    expect(xml).toContain('r:embed=');
    const notes = docxPart(result.path, 'word/footnotes.xml');
    expect(notes).toContain('Edge by wave: Q7 (Do you run Kubernetes at the edge?) = Yes, 2025, column %. Base: respondents who answered');
    const { value } = await mammoth.extractRawText({ path: result.path });
    const lines = value.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toContain('The State of the Edge 2025');
    // mammoth's raw text leaves the footnote marks out (they are checked in the XML above).
    expect(lines).toContain('1. over three in five run Kubernetes at the edge, up +23 pts');
    expect(lines).toContain('Second <b>paragraph</b>.');
    expect(lines).toContain('“We moved inference to the stores; [redacted] was too slow.”');
    expect(lines).toContain('— Platform engineer, 2025');
    expect(lines).toContain('Figure 1. Edge by wave');
    expect(lines).toContain('Methodology');
    expect(lines).toContain('A1. Edge by wave');
  });

  it('warns while a number is stale, and names it', async () => {
    const db = t.core.currentProject()!.db;
    // Withdraw one 2025 Yes (4 of 8 = 50%): the words become "half" and the change +10 pts.
    const { encodeColumn } = await import('../survey/columns');
    const id = db.prepare("SELECT id FROM variable WHERE dataset_id = ? AND name = 'Q7'").pluck().get(s.w2025) as number;
    db.prepare('UPDATE variable_data SET data = ? WHERE variable_id = ?').run(encodeColumn({ encoding: 'i32', values: Int32Array.from([1, 1, 1, 1, 2, 2, 2, 2]) }), id);
    const result = await t.call('findings.export', { path: out('stale.md'), format: 'md' });
    expect(result.warnings).toEqual([
      'Finding 1: {a} was over three in five, now half; not yet accepted.',
      'Finding 1: {b} was +23 pts, now +10 pts; not yet accepted.',
    ]);
    expect(fs.readFileSync(result.path, 'utf8')).toContain('## 1. **half**[^1] run Kubernetes at the edge, up **+10 pts**[^2]');
  });
});
