import { htmlEscape, mdLines, mdText } from '../export/safety';
import { gridMarkdown, gridText } from '../export/tables/grid';
import type { ReportDocument } from './document';

/** Paragraphs of a body: blank lines separate them. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Markdown: numbers carry footnotes ([^1]) with their source; charts point at their table in the appendix. */
export function reportMarkdown(doc: ReportDocument): string {
  const lines: string[] = [`# ${mdLines(doc.title)}`, '', `*${doc.date}*`, ''];
  const appendixIndex = new Map(doc.appendix.map((t, i) => [t.id, i + 1]));
  for (const finding of doc.findings) {
    const headline = finding.headline.map((p) => ('text' in p ? mdText(p.text) : `**${mdText(p.value)}**${p.note ? `[^${p.note}]` : ''}`)).join('');
    lines.push(`## ${finding.number}. ${headline}`, '');
    for (const p of paragraphs(finding.body)) lines.push(mdLines(p), '');
    if (finding.chart) {
      lines.push(`**${mdText(finding.chart.caption)}** (the chart's figures are table A${appendixIndex.get(finding.chart.tableId) ?? '?'} in the appendix)`, '');
      for (const line of finding.chart.under) lines.push(`*${mdText(line)}*`, '');
    }
    for (const quote of finding.quotes) {
      lines.push(`> ${quote.text.split(/\r?\n/).map(mdLines).join('\n> ')}`, '>', `> — ${mdLines(quote.attribution)}`, '');
    }
  }
  lines.push('## Methodology', '');
  if (doc.methodology.waves.length > 0) {
    lines.push('| Wave | Dataset | Respondents | Fieldwork |', '|---|---|---:|---|');
    for (const w of doc.methodology.waves) lines.push(`| ${mdText(w.wave)} | ${mdText(w.name)} | ${w.respondents} | ${mdText(w.fieldwork ?? 'not recorded in the data')} |`);
    lines.push('');
  }
  for (const p of doc.methodology.paragraphs) lines.push(mdLines(p), '');
  if (doc.appendix.length > 0) {
    lines.push('## Appendix: tables used', '');
    doc.appendix.forEach((t, i) => lines.push(gridMarkdown([{ ...t.grid, title: `A${i + 1}. ${t.name}` }]).replace(/^## /, '### ')));
  }
  if (doc.notes.length > 0) {
    lines.push('');
    for (const note of doc.notes) lines.push(`[^${note.number}]: ${mdText(note.text)}`);
  }
  lines.push('');
  return lines.join('\n');
}

const STYLE = [
  'body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#212529;line-height:1.55}',
  'h1,h2,h3{font-family:system-ui,sans-serif}h2{margin-top:2.5rem}.date{color:#495057}',
  '.num{font-weight:600}sup a{text-decoration:none}figure{margin:1.5rem 0}figure svg{max-width:100%;height:auto}',
  'figcaption{font-family:system-ui,sans-serif;font-size:.9em}.under{color:#495057;font-size:.85em;margin:.2rem 0}',
  'blockquote{margin:1rem 0;padding:.4rem 1rem;border-left:4px solid #4c6ef5;background:#f8f9fa}blockquote p{margin:0;white-space:pre-wrap}',
  '.who{color:#495057;font-size:.9em;margin-top:.25rem}table{border-collapse:collapse;margin:1rem 0;font-size:.85em}',
  'td,th{border:1px solid #dee2e6;padding:.2rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}.notes{font-size:.85em;color:#495057}',
].join('');

function htmlTable(rows: string[][], header = 1): string {
  const e = htmlEscape;
  const body = rows.map((r, i) => `<tr>${r.map((c) => (i < header ? `<th>${e(c)}</th>` : `<td>${e(c)}</td>`)).join('')}</tr>`);
  return `<table>${body.join('')}</table>`;
}

/** One file, nothing loaded and no script run; charts are inline SVG, each number links to its source note. */
export function reportHtml(doc: ReportDocument): string {
  const e = htmlEscape;
  const notes = new Map(doc.notes.map((n) => [n.number, n.text]));
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${e(doc.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${e(doc.title)}</h1><p class="date">${e(doc.date)}</p>`,
  ];
  for (const finding of doc.findings) {
    const headline = finding.headline
      .map((p) =>
        'text' in p
          ? e(p.text)
          : `<span class="num" title="${e(p.note ? (notes.get(p.note) ?? '') : '')}">${e(p.value)}</span>${p.note ? `<sup><a href="#note-${p.note}" id="ref-${p.note}">${p.note}</a></sup>` : ''}`,
      )
      .join('');
    parts.push(`<section><h2>${finding.number}. ${headline}</h2>`);
    for (const p of paragraphs(finding.body)) parts.push(`<p>${e(p)}</p>`);
    if (finding.chart) {
      parts.push(`<figure>${finding.chart.svg}<figcaption>${e(finding.chart.caption)}</figcaption>${finding.chart.under.map((u) => `<p class="under">${e(u)}</p>`).join('')}</figure>`);
    }
    for (const quote of finding.quotes) parts.push(`<blockquote><p>${e(quote.text)}</p><div class="who">— ${e(quote.attribution)}</div></blockquote>`);
    parts.push('</section>');
  }
  parts.push('<section><h2>Methodology</h2>');
  if (doc.methodology.waves.length > 0) {
    parts.push(htmlTable([['Wave', 'Dataset', 'Respondents', 'Fieldwork'], ...doc.methodology.waves.map((w) => [w.wave, w.name, String(w.respondents), w.fieldwork ?? 'not recorded in the data'])]));
  }
  for (const p of doc.methodology.paragraphs) parts.push(`<p>${e(p)}</p>`);
  parts.push('</section>');
  if (doc.appendix.length > 0) {
    parts.push('<section><h2>Appendix: tables used</h2>');
    doc.appendix.forEach((t, i) => {
      const rows = gridText(t.grid).slice(1);
      parts.push(`<h3>A${i + 1}. ${e(t.name)}</h3>${htmlTable(rows, 2)}`);
    });
    parts.push('</section>');
  }
  if (doc.notes.length > 0) {
    parts.push(`<section><h2>Sources of the numbers</h2><ol class="notes">${doc.notes.map((n) => `<li id="note-${n.number}">${e(n.text)} <a href="#ref-${n.number}">↩</a></li>`).join('')}</ol></section>`);
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
