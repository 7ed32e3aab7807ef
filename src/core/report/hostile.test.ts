import { unzipSync, strFromU8 } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';

/** Text that tries to become markup or a live link in the report (see export/hostile.test.ts). */
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const LINK = '[click me](javascript:alert(3))';
const AUTOLINK = '<javascript:alert(5)>';

function tagsIn(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

describe('the Findings report with hostile text', () => {
  let t: TestCore;
  const out = (name: string) => path.join(t.dir, name);

  beforeAll(async () => {
    t = createTestCore();
    await t.newProject('hostile');
    const code = await t.call('codes.create', { name: IMG });
    const file = out('hostile.txt');
    fs.writeFileSync(file, `Interviewer: Tell me.\n\nAna: ${SCRIPT} and ${LINK} is what they typed.\n`);
    const [doc] = (await t.call('transcripts.import', { files: [{ path: file, name: AUTOLINK, participantName: IMG }] })).documents;
    const stored = (await t.call('documents.get', { id: doc!.id })).text ?? '';
    const applied = await t.call('codings.apply', { documentId: doc!.id, start: stored.indexOf(SCRIPT), end: stored.indexOf(' is what'), codeId: code.id });
    const sector = await t.call('attributes.create', { name: 'Sector' });
    for (const [i, value] of [IMG, LINK, AUTOLINK].entries()) await t.call('participants.create', { name: `P${i}`, values: { [String(sector.id)]: value } });
    const tableId = (await t.call('tables.save', { name: LINK, spec: { source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }] } })).id;
    await t.call('findings.settings', { title: SCRIPT, settings: { pseudonyms: false } });
    const f = await t.call('findings.create', { headline: `${IMG} {a} ${LINK}`, body: `${AUTOLINK}\n\n${SCRIPT}` });
    const row = (await t.call('tables.get', { id: tableId })).result.groups[0]!.rows[0]!.key;
    await t.call('findings.setSlot', { findingId: f.id, key: 'a', source: { kind: 'cell', tableId, row, column: 'total' } });
    await t.call('findings.update', { id: f.id, chartTableId: tableId });
    await t.call('findings.addQuote', { findingId: f.id, segmentId: applied.segmentId });
  });
  afterAll(() => t.cleanup());

  it('Markdown rendered by marked keeps every hostile text as text, with no link or markup of its own', async () => {
    const md = fs.readFileSync((await t.call('findings.export', { path: out('r.md'), format: 'md' })).path, 'utf8');
    const html = await marked.parse(md);
    const own = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'h1', 'h2', 'h3', 'p', 'strong', 'em', 'blockquote', 'ul', 'li', 'br']);
    expect(tagsIn(html).filter((tag) => !own.has(tag))).toEqual([]);
    expect(html).not.toMatch(/<[^>]*\s(href|src|on[a-z]+)\s*=/i);
    const visible = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    for (const hostile of [IMG, SCRIPT, LINK, AUTOLINK]) expect(visible).toContain(hostile);
  });

  it('HTML holds no element or attribute that came from the data, chart labels included', async () => {
    const html = fs.readFileSync((await t.call('findings.export', { path: out('r.html'), format: 'html' })).path, 'utf8');
    expect(tagsIn(html).filter((tag) => ['img', 'script', 'iframe', 'object', 'embed'].includes(tag))).toEqual([]);
    // The only links are the report's own, from a number to its note and back.
    for (const m of html.matchAll(/\s(href|src)\s*=\s*"([^"]*)"/gi)) expect(m[2]).toMatch(/^#(note|ref)-\d+$/);
    // Every < of the data is escaped, so a handler could only sit inside one of the report's own tags.
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('DOCX has the text as plain runs: no hyperlink, field or external relationship', async () => {
    const file = (await t.call('findings.export', { path: out('r.docx'), format: 'docx' })).path;
    const parts = unzipSync(new Uint8Array(fs.readFileSync(file)));
    const xml = Object.entries(parts)
      .filter(([name]) => name.endsWith('.xml') || name.endsWith('.rels'))
      .map(([, data]) => strFromU8(data))
      .join('\n');
    expect(xml).not.toMatch(/<w:hyperlink|<w:fldSimple|<w:instrText|TargetMode="External"/);
    expect(xml).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });
});
