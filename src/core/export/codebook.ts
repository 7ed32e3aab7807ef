import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Language } from '../../shared/i18n/index';
import { translator } from '../i18n/index';
import type { Project } from '../store/project';
import { codeTree } from './quotes/collect';
import { csvLine, mdCell } from './safety';

export interface CodebookEntry {
  path: string;
  name: string;
  depth: number;
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string[];
  quotes: number;
  documents: number;
  participants: number;
  /** Memos written on the code (analytic notes), oldest first. */
  memos: { title: string; body: string }[];
}

export function collectCodebook(project: Project): { title: string; entries: CodebookEntry[] } {
  const db = project.db;
  const details = new Map(
    (db.prepare('SELECT id, name, color, inclusion, exclusion, keywords FROM code').all() as {
      id: number;
      name: string;
      color: string;
      inclusion: string;
      exclusion: string;
      keywords: string;
    }[]).map((r) => [r.id, r]),
  );
  // People counted as the coding area does: the speaker's participant, else the document's.
  const counts = new Map(
    (db
      .prepare(
        `SELECT g.code_id AS id, count(DISTINCT s.id) AS quotes, count(DISTINCT s.document_id) AS documents,
                count(DISTINCT COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id)) AS participants
         FROM coding g JOIN segment s ON s.id = g.segment_id JOIN document d ON d.id = s.document_id
         LEFT JOIN turn t ON t.id = (SELECT t2.id FROM turn t2 WHERE t2.document_id = s.document_id AND t2.start_char <= s.start_char ORDER BY t2.start_char DESC LIMIT 1)
         LEFT JOIN speaker sp ON sp.id = t.speaker_id
         GROUP BY g.code_id`,
      )
      .all() as { id: number; quotes: number; documents: number; participants: number }[]).map((r) => [r.id, r]),
  );
  const memos = new Map<number, { title: string; body: string }[]>();
  for (const m of db.prepare("SELECT target_id AS id, title, body FROM memo WHERE target_kind = 'code' ORDER BY created_at, id").all() as { id: number; title: string; body: string }[]) {
    memos.set(m.id, [...(memos.get(m.id) ?? []), { title: m.title, body: m.body }]);
  }
  const entries = codeTree(project).map((c) => {
    const d = details.get(c.id);
    let keywords: string[] = [];
    try {
      const parsed: unknown = JSON.parse(d?.keywords ?? '[]');
      if (Array.isArray(parsed)) keywords = parsed.filter((k): k is string => typeof k === 'string');
    } catch {
      keywords = [];
    }
    const n = counts.get(c.id);
    return {
      path: c.path,
      name: d?.name ?? c.path,
      depth: c.depth,
      color: d?.color ?? '',
      definition: c.definition,
      inclusion: d?.inclusion ?? '',
      exclusion: d?.exclusion ?? '',
      keywords,
      quotes: n?.quotes ?? 0,
      documents: n?.documents ?? 0,
      participants: n?.participants ?? 0,
      memos: memos.get(c.id) ?? [],
    };
  });
  return { title: `${project.name}: codebook`, entries };
}

export function codebookCsv(entries: CodebookEntry[]): string {
  const lines = [csvLine(['code', 'path', 'level', 'color', 'definition', 'inclusion', 'exclusion', 'keywords', 'quotes', 'documents', 'participants', 'memos'])];
  for (const e of entries) {
    const memos = e.memos.map((m) => (m.title ? `${m.title}: ${m.body}` : m.body)).join('\n\n');
    lines.push(csvLine([e.name, e.path, e.depth + 1, e.color, e.definition, e.inclusion, e.exclusion, e.keywords.join('; '), e.quotes, e.documents, e.participants, memos]));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function codebookMarkdown(title: string, entries: CodebookEntry[]): string {
  const lines = [`# ${mdCell(title)}`, '', '| Code | Quotes | Documents | Participants |', '|---|---:|---:|---:|'];
  for (const e of entries) lines.push(`| ${'&nbsp;&nbsp;'.repeat(e.depth)}${mdCell(e.name)} | ${e.quotes} | ${e.documents} | ${e.participants} |`);
  lines.push('');
  for (const e of entries) {
    lines.push(`${'#'.repeat(Math.min(6, e.depth + 2))} ${mdCell(e.path)}`, '');
    if (e.definition) lines.push(mdCell(e.definition), '');
    if (e.inclusion) lines.push(`**Include:** ${mdCell(e.inclusion)}`, '');
    if (e.exclusion) lines.push(`**Exclude:** ${mdCell(e.exclusion)}`, '');
    if (e.keywords.length > 0) lines.push(`**Keywords:** ${e.keywords.map(mdCell).join(', ')}`, '');
    lines.push(`${e.quotes} quotes in ${e.documents} documents from ${e.participants} participants.`, '');
    for (const m of e.memos) lines.push(`**Memo${m.title ? `: ${mdCell(m.title)}` : ''}** ${mdCell(m.body)}`, '');
  }
  return lines.join('\n');
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

export async function codebookDocx(title: string, entries: CodebookEntry[], language?: Language): Promise<Uint8Array> {
  const t = translator(language);
  const children: (Paragraph | Table)[] = [new Paragraph({ text: title, heading: HeadingLevel.TITLE })];
  children.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: [t('doc.codeCol'), t('doc.quotesCol'), t('doc.documentsCol'), t('doc.participantsCol')].map((h) => cell(h, true)) }),
        ...entries.map(
          (e) => new TableRow({ children: [cell(`${'    '.repeat(e.depth)}${e.name}`), cell(String(e.quotes)), cell(String(e.documents)), cell(String(e.participants))] }),
        ),
      ],
    }),
  );
  const headings = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];
  for (const e of entries) {
    children.push(new Paragraph({ text: e.path, heading: headings[Math.min(e.depth, headings.length - 1)] }));
    if (e.definition) children.push(new Paragraph({ text: e.definition }));
    if (e.inclusion) children.push(new Paragraph({ children: [new TextRun({ text: `${t('doc.include')} `, bold: true }), new TextRun(e.inclusion)] }));
    if (e.exclusion) children.push(new Paragraph({ children: [new TextRun({ text: `${t('doc.exclude')} `, bold: true }), new TextRun(e.exclusion)] }));
    if (e.keywords.length > 0) children.push(new Paragraph({ children: [new TextRun({ text: `${t('doc.keywords')} `, bold: true }), new TextRun(e.keywords.join(', '))] }));
    children.push(new Paragraph({ children: [new TextRun({ text: t('doc.codeCounts', { quotes: e.quotes, documents: e.documents, participants: e.participants }), color: '495057' })] }));
    for (const m of e.memos) children.push(new Paragraph({ children: [new TextRun({ text: `${m.title ? t('doc.memoTitled', { title: m.title }) : t('doc.memoLabel')} `, bold: true }), new TextRun(m.body)] }));
  }
  // Word picks the eastAsia face for Chinese text: name one every Windows and Office has.
  const doc = new Document({
    creator: 'Fieldbook',
    title,
    styles: { default: { document: { run: { font: { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'Microsoft YaHei' } } } } },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
