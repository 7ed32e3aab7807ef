import type { Project } from '../store/project';
import { FieldbookError } from '../../shared/errors';
import { visibleCoder } from '../coding/session';

/** A stretch of a document the engine scores: a speaker turn, a survey answer, or a sentence. */
export interface Passage {
  documentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
}

export interface Scope {
  codeId?: number | undefined;
  documentId?: number | undefined;
  variableId?: number | undefined;
}

interface DocRow {
  id: number;
  name: string;
  text: string;
}

export function scopeDocuments(project: Project, scope: Scope): DocRow[] {
  const db = project.db;
  if (scope.documentId !== undefined) {
    const doc = db.prepare('SELECT id, name, text FROM document WHERE id = ?').get(scope.documentId) as DocRow | undefined;
    if (!doc) throw new FieldbookError('NOT_FOUND', `There is no document number ${scope.documentId}.`, { field: 'documentId' });
    return [doc];
  }
  if (scope.variableId !== undefined) {
    const docs = db
      .prepare(`SELECT id, name, text FROM document WHERE variable_id = ? AND kind = 'survey_text' ORDER BY id`)
      .all(scope.variableId) as DocRow[];
    if (docs.length === 0) {
      throw new FieldbookError('NOT_FOUND', `Question number ${scope.variableId} has no open-ended answers in this project.`, {
        field: 'variableId',
      });
    }
    return docs;
  }
  return db.prepare('SELECT id, name, text FROM document ORDER BY id').all() as DocRow[];
}

/** [start, end) with surrounding whitespace left out, or null when nothing is left. */
function trimmed(text: string, start: number, end: number): [number, number] | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? [start, end] : null;
}

// A sentence ends at . ! ? (or their CJK forms) followed by space or the end; keeps offsets exact.
const SENTENCE_END = /[.!?。！？]+["'”’)\]]*(?=\s|$)|[。！？]/g;

function sentences(text: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  const slice = text.slice(start, end);
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(slice); m; m = SENTENCE_END.exec(slice)) {
    const to = m.index + m[0].length;
    const span = trimmed(text, start + from, start + to);
    if (span) out.push(span);
    from = to;
  }
  const rest = trimmed(text, start + from, end);
  if (rest) out.push(rest);
  return out;
}

/**
 * The passages of the documents in scope: each speaker turn (interviewer turns left out unless
 * asked for: they are context, the researcher codes what participants say) or survey answer;
 * documents without turns are split at blank lines. With unit 'sentence', each of those is cut
 * into sentences.
 */
export function passagesOf(project: Project, scope: Scope, unit: 'turn' | 'sentence' = 'turn', interviewers = false): Passage[] {
  const turnsOf = project.db.prepare(
    `SELECT t.start_char AS start, t.end_char AS end FROM turn t LEFT JOIN speaker s ON s.id = t.speaker_id
      WHERE t.document_id = ? AND (? OR COALESCE(s.is_interviewer, 0) = 0) ORDER BY t.start_char`,
  );
  const anyTurn = project.db.prepare('SELECT 1 FROM turn WHERE document_id = ? LIMIT 1').pluck();
  const out: Passage[] = [];
  for (const doc of scopeDocuments(project, scope)) {
    let spans: [number, number][];
    if (anyTurn.get(doc.id)) {
      spans = (turnsOf.all(doc.id, interviewers ? 1 : 0) as { start: number; end: number }[])
        .map((t) => trimmed(doc.text, t.start, Math.min(t.end, doc.text.length)))
        .filter((s): s is [number, number] => s !== null);
    } else {
      spans = [];
      const para = /\n\s*\n/g;
      let from = 0;
      for (let m = para.exec(doc.text); m; m = para.exec(doc.text)) {
        const s = trimmed(doc.text, from, m.index);
        if (s) spans.push(s);
        from = m.index + m[0].length;
      }
      const s = trimmed(doc.text, from, doc.text.length);
      if (s) spans.push(s);
    }
    if (unit === 'sentence') spans = spans.flatMap(([a, b]) => sentences(doc.text, a, b));
    for (const [start, end] of spans) {
      out.push({ documentId: doc.id, documentName: doc.name, start, end, text: doc.text.slice(start, end) });
    }
  }
  return out;
}

/** Coded spans per document (blind coding: the current coder's only), to skip passages already coded with a code. */
export function codedSpans(project: Project): Map<number, { start: number; end: number; codeId: number }[]> {
  const coder = visibleCoder(project);
  const rows = project.db
    .prepare(
      `SELECT s.document_id AS documentId, s.start_char AS start, s.end_char AS end, c.code_id AS codeId
         FROM segment s JOIN coding c ON c.segment_id = s.id WHERE (@coder IS NULL OR c.coder_id = @coder)`,
    )
    .all({ coder }) as { documentId: number; start: number; end: number; codeId: number }[];
  const map = new Map<number, { start: number; end: number; codeId: number }[]>();
  for (const r of rows) {
    let list = map.get(r.documentId);
    if (!list) map.set(r.documentId, (list = []));
    list.push(r);
  }
  return map;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}
