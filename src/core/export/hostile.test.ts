import { unzipSync, strFromU8 } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';

/**
 * Labels, definitions, quotes and attribute values that try to become HTML or a live link in an
 * export. Markdown is rendered with marked (which passes raw HTML and any link scheme through,
 * like many Markdown viewers), HTML is read as it is, DOCX is unzipped; in each, the hostile text
 * must still be there, as text, and nothing of it may be markup.
 */
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const LINK = '[click me](javascript:alert(3))';
const IMAGE_LINK = '![x](javascript:alert(4))';
const AUTOLINK = '<javascript:alert(5)>';
const REF = '[ref]\n\n[ref]: javascript:alert(6)';
const HOSTILE = [IMG, SCRIPT, LINK, IMAGE_LINK, AUTOLINK, REF];

/** Elements a Markdown export may produce of its own; anything else came from the data. */
const OWN_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'strong', 'em', 'blockquote', 'ul', 'ol', 'li', 'br', 'hr', 'code', 'pre']);

function tagsIn(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

function expectInertHtml(html: string, allowed: Set<string>): void {
  expect(tagsIn(html).filter((tag) => !allowed.has(tag))).toEqual([]);
  // No attribute that loads or runs anything, in any tag that is left.
  expect(html).not.toMatch(/<[^>]*\s(href|src|on[a-z]+)\s*=/i);
}

/** Text as a reader sees it in rendered HTML: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('exports with hostile text', () => {
  let t: TestCore;
  const out = (name: string) => path.join(t.dir, name);

  beforeEach(async () => {
    t = createTestCore();
    await t.newProject('hostile');
    const parent = await t.call('codes.create', { name: IMG, definition: LINK, inclusion: SCRIPT, exclusion: AUTOLINK, keywords: ['<b onmouseover=alert(7)>bold</b>'] });
    const child = await t.call('codes.create', { name: LINK, parentId: parent.id, definition: REF });
    const text = `Interviewer: Tell me.\n\nAna: ${HOSTILE.join(' and ')} is what they typed.\n`;
    const file = out('hostile.txt');
    fs.writeFileSync(file, text);
    const [doc] = (await t.call('transcripts.import', { files: [{ path: file, name: IMAGE_LINK, participantName: IMG }] })).documents;
    const stored = (await t.call('documents.get', { id: doc!.id })).text ?? '';
    const start = stored.indexOf(IMG);
    const end = stored.indexOf(' is what they typed');
    await t.call('codings.apply', { documentId: doc!.id, start, end, codeId: child.id });
    const sector = await t.call('attributes.create', { name: 'Sector' });
    for (const [i, value] of [IMG, LINK, AUTOLINK].entries()) {
      await t.call('participants.create', { name: `P${i}`, values: { [String(sector.id)]: value } });
    }
    await t.call('tables.save', { name: IMAGE_LINK, spec: { source: { kind: 'participants' }, rows: [{ ref: 'attr:Sector' }] } });
  });
  afterEach(() => t.cleanup());

  it('Markdown (codebook, tables, quote pack) keeps every label as visible text and none of it as HTML or a link', async () => {
    const files = [
      (await t.call('export.codebook', { path: out('codebook.md'), format: 'md' })).path,
      (await t.call('export.tables', { path: out('tables.md'), format: 'md' })).path,
      (await t.call('export.quotePack', { path: out('quotes.md'), format: 'md' })).path,
    ];
    for (const file of files) {
      const html = await marked.parse(fs.readFileSync(file, 'utf8'));
      expectInertHtml(html, OWN_TAGS);
      const shown = visibleText(html);
      expect(shown, path.basename(file)).toContain(IMG);
      expect(shown, path.basename(file)).toContain(LINK);
    }
    const quotes = visibleText(await marked.parse(fs.readFileSync(files[2]!, 'utf8')));
    for (const hostile of [SCRIPT, IMAGE_LINK, AUTOLINK]) expect(quotes).toContain(hostile);
    const codebook = visibleText(await marked.parse(fs.readFileSync(files[0]!, 'utf8')));
    for (const hostile of [SCRIPT, AUTOLINK, '<b onmouseover=alert(7)>bold</b>']) expect(codebook).toContain(hostile);
  });

  it('the HTML quote pack shows the text and has no link, image or script of it', async () => {
    const html = fs.readFileSync((await t.call('export.quotePack', { path: out('quotes.html'), format: 'html' })).path, 'utf8');
    const body = html.slice(html.indexOf('<body>'));
    expectInertHtml(body, new Set(['body', 'h1', 'h2', 'small', 'section', 'blockquote', 'p', 'div', 'span', 'ul', 'li']));
    for (const hostile of [IMG, SCRIPT, LINK, IMAGE_LINK, AUTOLINK]) expect(visibleText(body)).toContain(hostile);
  });

  it('DOCX (quote pack, codebook) holds the text as plain runs: no hyperlink, field or external relationship', async () => {
    for (const file of [
      (await t.call('export.quotePack', { path: out('quotes.docx'), format: 'docx' })).path,
      (await t.call('export.codebook', { path: out('codebook.docx'), format: 'docx' })).path,
    ]) {
      const zip = unzipSync(fs.readFileSync(file));
      const document = strFromU8(zip['word/document.xml']!);
      expect(document).not.toMatch(/<w:hyperlink|HYPERLINK|<w:fldSimple|<w:instrText/);
      for (const [name, bytes] of Object.entries(zip)) {
        if (name.endsWith('.rels')) expect(strFromU8(bytes), name).not.toMatch(/javascript:|TargetMode="External"/i);
      }
      const text = visibleText(document.replace(/<\/w:p>/g, '\n'));
      expect(text, path.basename(file)).toContain(IMG);
      expect(text, path.basename(file)).toContain(LINK);
    }
  });
});
