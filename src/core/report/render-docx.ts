import { AlignmentType, Document, FootnoteReferenceRun, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { QUOTE_STYLES } from '../export/quotes/render';
import { gridText } from '../export/tables/grid';
import { svgToPng } from '../export/tables/chart';
import type { ReportDocument } from './document';
import { paragraphs } from './render-text';

/** A chart's display size on the page, in pixels at 96 to the inch (6.25 in wide: inside Letter and A4 margins). */
const CHART_WIDTH = 600;

function cell(text: string, bold = false, align: 'left' | 'right' = 'right'): TableCell {
  return new TableCell({
    children: [new Paragraph({ style: 'FieldbookTable', alignment: align === 'left' ? AlignmentType.LEFT : AlignmentType.RIGHT, children: [new TextRun({ text, bold })] })],
  });
}

function table(rows: string[][], headerRows: number): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (r, i) =>
        new TableRow({
          tableHeader: i < headerRows,
          children: r.map((c, k) => cell(c, i < headerRows, k === 0 ? 'left' : 'right')),
        }),
    ),
  });
}

/**
 * Word's own styles (Title, Heading 1-2, Caption) and named Fieldbook styles for quotes, chart
 * notes and tables, so a researcher restyles the whole report in Word at once. Every number of a
 * headline carries a footnote with its source, base and data fingerprint.
 */
export async function reportDocx(doc: ReportDocument): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE }), new Paragraph({ style: 'FieldbookNote', text: doc.date })];
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  for (const note of doc.notes) footnotes[note.number] = { children: [new Paragraph({ text: note.text })] };

  for (const finding of doc.findings) {
    const runs = [
      new TextRun(`${finding.number}. `),
      ...finding.headline.flatMap((p) => ('text' in p ? [new TextRun(p.text)] : [new TextRun({ text: p.value, bold: true }), ...(p.note ? [new FootnoteReferenceRun(p.note)] : [])])),
    ];
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs }));
    for (const p of paragraphs(finding.body)) children.push(new Paragraph({ text: p }));
    if (finding.chart) {
      const png = svgToPng(finding.chart.svg, 2);
      const height = Math.round((CHART_WIDTH * 360) / 640);
      children.push(
        new Paragraph({
          keepNext: true,
          children: [new ImageRun({ type: 'png', data: png, transformation: { width: CHART_WIDTH, height }, altText: { name: finding.chart.caption, description: finding.chart.under.join(' '), title: finding.chart.caption } })],
        }),
      );
      children.push(new Paragraph({ style: 'Caption', text: finding.chart.caption, keepNext: true }));
      for (const line of finding.chart.under) children.push(new Paragraph({ style: 'FieldbookNote', text: line }));
    }
    for (const quote of finding.quotes) {
      children.push(new Paragraph({ style: 'FieldbookQuote', text: `“${quote.text}”` }));
      children.push(new Paragraph({ style: 'FieldbookAttribution', text: `— ${quote.attribution}` }));
    }
  }

  children.push(new Paragraph({ text: 'Methodology', heading: HeadingLevel.HEADING_1 }));
  if (doc.methodology.waves.length > 0) {
    children.push(table([['Wave', 'Dataset', 'Respondents', 'Fieldwork'], ...doc.methodology.waves.map((w) => [w.wave, w.name, String(w.respondents), w.fieldwork ?? 'not recorded in the data'])], 1));
  }
  for (const p of doc.methodology.paragraphs) children.push(new Paragraph({ text: p }));

  if (doc.appendix.length > 0) {
    children.push(new Paragraph({ text: 'Appendix: tables used', heading: HeadingLevel.HEADING_1 }));
    doc.appendix.forEach((t, i) => {
      children.push(new Paragraph({ text: `A${i + 1}. ${t.name}`, heading: HeadingLevel.HEADING_2 }));
      const rows = gridText(t.grid).slice(1);
      const width = Math.max(...rows.map((r) => r.length));
      const wide = rows.filter((r) => r.length === width);
      const notes = rows.filter((r) => r.length < width).map((r) => r[0] ?? '');
      children.push(table(wide, 2));
      for (const note of notes) children.push(new Paragraph({ style: 'FieldbookNote', text: note }));
    });
  }

  const document = new Document({
    creator: 'Fieldbook',
    title: doc.title,
    footnotes,
    styles: {
      default: { document: { run: { font: 'Calibri', size: 22 } } },
      paragraphStyles: [
        ...QUOTE_STYLES,
        { id: 'Caption', name: 'caption', basedOn: 'Normal', next: 'Normal', run: { bold: true, size: 18 }, paragraph: { spacing: { before: 60 } } },
        { id: 'FieldbookNote', name: 'Chart note', basedOn: 'Normal', run: { size: 16, color: '495057' } },
        { id: 'FieldbookTable', name: 'Table text', basedOn: 'Normal', run: { size: 16 }, paragraph: { spacing: { before: 0, after: 0 } } },
      ],
    },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
