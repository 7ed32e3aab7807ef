import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { csvLine, htmlEscape, mdLines } from '../safety';
import type { PackQuote, QuotePack } from './collect';

const STAR = '★';

function source(quote: PackQuote): string {
  return quote.attribution ? `${quote.attribution} (${quote.documentName})` : quote.documentName;
}


export function quotePackMarkdown(pack: QuotePack): string {
  const lines: string[] = [`# ${mdLines(pack.title)}`, ''];
  for (const line of pack.description) lines.push(`- ${mdLines(line)}`);
  if (pack.description.length > 0) lines.push('');
  lines.push(`${pack.quotes.length} quote${pack.quotes.length === 1 ? '' : 's'} in ${pack.groups.length} theme${pack.groups.length === 1 ? '' : 's'}.`, '');
  for (const group of pack.groups) {
    lines.push(`## ${mdLines(group.path)} (${group.quotes.length})`, '');
    if (group.definition) lines.push(`*${mdLines(group.definition)}*`, '');
    for (const quote of group.quotes) {
      const text = quote.text.split(/\r?\n/).map(mdLines);
      lines.push(`> ${quote.starred ? `${STAR} ` : ''}${text.join('\n> ')}`, `>`, `> — ${mdLines(source(quote))}`, '');
    }
  }
  return lines.join('\n');
}

export function quotePackHtml(pack: QuotePack): string {
  const e = htmlEscape;
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Self-contained and inert: nothing is loaded and no script runs, whatever the quotes contain.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${e(pack.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#212529;line-height:1.5}',
    'h2{margin-top:2rem;border-bottom:1px solid #dee2e6}blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #4c6ef5;background:#f8f9fa}',
    'blockquote p{margin:0;white-space:pre-wrap}.who{color:#495057;font-size:.9em;margin-top:.25rem}.star{color:#f59f00}.def{color:#495057;font-style:italic}</style>',
    '</head><body>',
    `<h1>${e(pack.title)}</h1>`,
  ];
  if (pack.description.length > 0) parts.push(`<ul>${pack.description.map((d) => `<li>${e(d)}</li>`).join('')}</ul>`);
  parts.push(`<p>${pack.quotes.length} quotes in ${pack.groups.length} themes.</p>`);
  for (const group of pack.groups) {
    parts.push(`<section><h2>${e(group.path)} <small>(${group.quotes.length})</small></h2>`);
    if (group.definition) parts.push(`<p class="def">${e(group.definition)}</p>`);
    for (const quote of group.quotes) {
      parts.push(
        `<blockquote><p>${quote.starred ? `<span class="star" title="Starred">${STAR}</span> ` : ''}${e(quote.text)}</p><div class="who">— ${e(source(quote))}</div></blockquote>`,
      );
    }
    parts.push('</section>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}

/** One row per quote; every attribute and every chosen code path a column (1 = the quote has it). */
export function quotePackCsv(pack: QuotePack): string {
  const header = ['quote_id', 'document', 'start', 'end', 'starred', 'participant', 'wave', 'attribution', 'codes', 'text', ...pack.attributeNames, ...pack.codePaths];
  const lines = [csvLine(header)];
  for (const q of pack.quotes) {
    lines.push(
      csvLine([
        q.segmentId,
        q.documentName,
        q.start,
        q.end,
        q.starred ? 1 : 0,
        q.who ?? '',
        q.wave ?? '',
        q.attribution,
        q.codePaths.join('; '),
        q.text,
        ...pack.attributeNames.map((n) => q.attributes[n] ?? ''),
        ...pack.codePaths.map((p) => (q.codePaths.includes(p) ? 1 : 0)),
      ]),
    );
  }
  // A BOM so Excel opens the UTF-8 file with the right characters.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function textRuns(text: string): TextRun[] {
  return text.split(/\r?\n/).map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0 }));
}

/** The Word styles of quotes and their attribution lines (quote packs and the Findings report share them). */
export const QUOTE_STYLES = [
  { id: 'FieldbookQuote', name: 'Quote text', basedOn: 'Normal', next: 'FieldbookAttribution', run: { italics: true }, paragraph: { indent: { left: 567 }, spacing: { before: 160 } } },
  { id: 'FieldbookAttribution', name: 'Quote attribution', basedOn: 'Normal', run: { size: 18, color: '495057' }, paragraph: { indent: { left: 567 } } },
];

/**
 * Quotes and attributions use two named paragraph styles ("Quote text", "Quote attribution")
 * instead of formatting on every paragraph: a researcher restyles all quotes at once in Word, and
 * the file is written about 2.5 times faster (docx serialises each paragraph's own formatting).
 */
export async function quotePackDocx(pack: QuotePack): Promise<Uint8Array> {
  const children: Paragraph[] = [new Paragraph({ text: pack.title, heading: HeadingLevel.TITLE })];
  for (const line of pack.description) children.push(new Paragraph({ text: line, bullet: { level: 0 } }));
  children.push(new Paragraph({ text: `${pack.quotes.length} quotes in ${pack.groups.length} themes.` }));
  for (const group of pack.groups) {
    children.push(new Paragraph({ text: `${group.path} (${group.quotes.length})`, heading: HeadingLevel.HEADING_1 }));
    if (group.definition) children.push(new Paragraph({ style: 'FieldbookDefinition', children: textRuns(group.definition) }));
    for (const quote of group.quotes) {
      const text = `“${quote.text}”`;
      const plain = !quote.starred && !/[\r\n]/.test(text);
      children.push(
        plain
          ? new Paragraph({ style: 'FieldbookQuote', text })
          : new Paragraph({ style: 'FieldbookQuote', children: [...(quote.starred ? [new TextRun({ text: `${STAR} `, color: 'F59F00' })] : []), ...textRuns(text)] }),
      );
      children.push(new Paragraph({ style: 'FieldbookAttribution', text: `— ${source(quote)}` }));
    }
  }
  const doc = new Document({
    creator: 'Fieldbook',
    title: pack.title,
    styles: {
      // Word takes the eastAsia face for Chinese quotes: name one every Windows and Office has.
      default: { document: { run: { font: { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'Microsoft YaHei' }, size: 22 } } },
      paragraphStyles: [...QUOTE_STYLES, { id: 'FieldbookDefinition', name: 'Theme definition', basedOn: 'Normal', run: { italics: true, color: '495057' } }],
    },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
