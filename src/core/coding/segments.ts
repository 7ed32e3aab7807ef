import type { ApplyCodingResult, CodingSource, Memo, Segment } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { dropSegmentIfBare, getCodeRow } from './codebook';
import { cached } from '../store/statements';
import { runOperation, type Recorder } from '../history/history';
import { coderExists, currentCoderId, visibleCoder } from './session';

export interface CodingInput {
  documentId: number;
  start: number;
  end: number;
  codeId: number;
  /** Defaults to the current coder. */
  coderId?: number;
  source?: CodingSource;
}

/**
 * What one operation reads once and reuses: document texts, codes already checked, the current
 * coder. A batch of 10,000 codings then costs about two statements per coding.
 */
export class DocumentTexts {
  private readonly texts = new Map<number, { name: string; text: string }>();
  private readonly codes = new Set<number>();
  private coder: number | null = null;
  private readonly coders = new Set<number>();
  constructor(private readonly project: Project) {}
  checkCode(codeId: number): void {
    if (this.codes.has(codeId)) return;
    getCodeRow(this.project, codeId);
    this.codes.add(codeId);
  }
  currentCoder(): number {
    this.coder ??= currentCoderId(this.project);
    return this.coder;
  }
  checkCoder(coderId: number): void {
    if (this.coders.has(coderId)) return;
    if (!coderExists(this.project, coderId)) {
      throw new FieldbookError('NOT_FOUND', `There is no coder number ${coderId}.`, { field: 'coderId' });
    }
    this.coders.add(coderId);
  }
  get(documentId: number): { name: string; text: string } {
    let doc = this.texts.get(documentId);
    if (!doc) {
      doc = cached(this.project.db, 'SELECT name, text FROM document WHERE id = ?').get(documentId) as
        | { name: string; text: string }
        | undefined;
      if (!doc) throw new FieldbookError('NOT_FOUND', `There is no document number ${documentId}.`, { field: 'documentId' });
      this.texts.set(documentId, doc);
    }
    return doc;
  }
}

function checkSpan(doc: { name: string; text: string }, start: number, end: number): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= doc.text.length)) {
    throw new FieldbookError(
      'INVALID_INPUT',
      `The selection ${start}–${end} is not inside "${doc.name}" (it has ${doc.text.length} characters); select some text first.`,
      { field: 'start' },
    );
  }
}

// One array per call site: the recorder keys its prepared insert on it, so a batch prepares once.
const SEGMENT_COLUMNS = ['document_id', 'start_char', 'end_char', 'text'] as const;
const CODING_COLUMNS = ['segment_id', 'code_id', 'coder_id', 'source'] as const;

/** The quote with exactly this span, created when new. */
export function ensureSegmentWith(rec: Recorder, project: Project, texts: DocumentTexts, documentId: number, start: number, end: number): number {
  const doc = texts.get(documentId);
  checkSpan(doc, start, end);
  return findOrInsertSegment(rec, project, doc, documentId, start, end).id;
}

function findOrInsertSegment(
  rec: Recorder,
  project: Project,
  doc: { text: string },
  documentId: number,
  start: number,
  end: number,
): { id: number; created: boolean } {
  // Plucked (a bare id, no row object): a batch looks up every span once.
  const found = cached(project.db, 'SELECT id AS found FROM segment WHERE document_id = ? AND start_char = ? AND end_char = ?')
    .pluck()
    .get(documentId, start, end) as number | undefined;
  if (found !== undefined) return { id: found, created: false };
  return { id: rec.insertValues('segment', SEGMENT_COLUMNS, [documentId, start, end, doc.text.slice(start, end)]), created: true };
}

/** Codes a span inside an operation. Exported so other areas (suggestions, imports) can compose it. */
export function applyCodingWith(
  rec: Recorder,
  project: Project,
  input: CodingInput,
  texts: DocumentTexts = new DocumentTexts(project),
): ApplyCodingResult {
  texts.checkCode(input.codeId);
  const coderId = input.coderId ?? texts.currentCoder();
  if (input.coderId !== undefined) texts.checkCoder(coderId);
  const doc = texts.get(input.documentId);
  checkSpan(doc, input.start, input.end);
  const segment = findOrInsertSegment(rec, project, doc, input.documentId, input.start, input.end);
  const segmentId = segment.id;
  // A quote made just now has no codings yet: skip the lookup.
  const existing = segment.created
    ? undefined
    : (cached(project.db, 'SELECT id FROM coding WHERE segment_id = ? AND code_id = ? AND coder_id = ?').get(segmentId, input.codeId, coderId) as
        | { id: number }
        | undefined);
  if (existing) return { segmentId, codingId: existing.id, created: false };
  const codingId = rec.insertValues('coding', CODING_COLUMNS, [segmentId, input.codeId, coderId, input.source ?? 'human']);
  return { segmentId, codingId, created: true };
}

export function applyCoding(project: Project, input: CodingInput): ApplyCodingResult {
  const code = getCodeRow(project, input.codeId);
  return runOperation(project, `Code with "${code.name}"`, (rec) => applyCodingWith(rec, project, input));
}

/** Many codings as one undoable operation (bulk accept, imports). */
export function applyCodings(project: Project, inputs: CodingInput[], label?: string): ApplyCodingResult[] {
  return runOperation(project, label ?? `Code ${inputs.length} passages`, (rec) => {
    const texts = new DocumentTexts(project);
    return inputs.map((input) => applyCodingWith(rec, project, input, texts));
  });
}

export function removeCodingWith(rec: Recorder, project: Project, codingId: number): boolean {
  const row = cached(project.db, 'SELECT segment_id FROM coding WHERE id = ?').get(codingId) as { segment_id: number } | undefined;
  if (!row) return false;
  rec.remove('coding', codingId);
  dropSegmentIfBare(rec, project, row.segment_id);
  return true;
}

export function removeCoding(project: Project, codingId: number): boolean {
  const row = cached(project.db, 'SELECT k.name FROM coding c JOIN code k ON k.id = c.code_id WHERE c.id = ?').get(codingId) as
    | { name: string }
    | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no coding number ${codingId}. It may have been removed already.`);
  return runOperation(project, `Remove "${row.name}" from a quote`, (rec) => removeCodingWith(rec, project, codingId));
}

interface SegmentRow {
  id: number;
  document_id: number;
  start_char: number;
  end_char: number;
  text: string;
  starred: number;
}

function segmentRow(project: Project, id: number): SegmentRow {
  const row = cached(project.db, 'SELECT * FROM segment WHERE id = ?').get(id) as SegmentRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no quote number ${id}. It may have been removed.`, { field: 'id' });
  return row;
}

export function listSegments(project: Project, documentId: number, onlyId?: number): Segment[] {
  const coder = visibleCoder(project);
  const rows = cached(
    project.db,
    `SELECT s.*, (SELECT count(*) FROM memo m WHERE m.target_kind = 'segment' AND m.target_id = s.id) AS memo_count
       FROM segment s WHERE s.document_id = @documentId AND (@onlyId IS NULL OR s.id = @onlyId) ORDER BY s.start_char, s.end_char`,
  ).all({ documentId, onlyId: onlyId ?? null }) as (SegmentRow & { memo_count: number })[];
  const codings = cached(
    project.db,
    `SELECT c.id AS codingId, c.segment_id AS segmentId, c.code_id AS codeId, c.coder_id AS coderId, c.source
       FROM coding c JOIN segment s ON s.id = c.segment_id
      WHERE s.document_id = @documentId AND (@coder IS NULL OR c.coder_id = @coder) ORDER BY c.id`,
  ).all({ documentId, coder }) as (Segment['codings'][number] & { segmentId: number })[];
  const bySegment = new Map<number, Segment['codings']>();
  for (const { segmentId, ...c } of codings) {
    const list = bySegment.get(segmentId) ?? [];
    list.push(c);
    bySegment.set(segmentId, list);
  }
  return rows
    .map((r) => ({
      id: r.id,
      documentId: r.document_id,
      start: r.start_char,
      end: r.end_char,
      text: r.text,
      starred: r.starred === 1,
      codings: bySegment.get(r.id) ?? [],
      memoCount: r.memo_count,
    }))
    // Blind mode hides quotes that only others coded; an uncoded quote (memo, star) stays visible.
    .filter((s) => coder === null || s.codings.length > 0 || !cached(project.db, 'SELECT 1 FROM coding WHERE segment_id = ?').get(s.id));
}

export function getSegment(project: Project, id: number): Segment {
  const row = segmentRow(project, id);
  const found = listSegments(project, row.document_id, id)[0];
  if (found) return found;
  return { id, documentId: row.document_id, start: row.start_char, end: row.end_char, text: row.text, starred: row.starred === 1, codings: [], memoCount: 0 };
}

export function createSegment(project: Project, documentId: number, start: number, end: number): number {
  return runOperation(project, 'Mark a passage', (rec) => ensureSegmentWith(rec, project, new DocumentTexts(project), documentId, start, end));
}

/** Moves a quote's boundaries; the text snapshot follows so the quote always matches the document. */
export function adjustSegment(project: Project, id: number, start: number, end: number): void {
  const row = segmentRow(project, id);
  const doc = new DocumentTexts(project).get(row.document_id);
  checkSpan(doc, start, end);
  const clash = cached(project.db, 'SELECT id FROM segment WHERE document_id = ? AND start_char = ? AND end_char = ? AND id != ?').get(
    row.document_id,
    start,
    end,
    id,
  );
  if (clash) throw new FieldbookError('CONFLICT', 'Another quote already has exactly these boundaries.', { field: 'start' });
  runOperation(project, 'Adjust quote boundaries', (rec) =>
    rec.update('segment', id, { start_char: start, end_char: end, text: doc.text.slice(start, end) }),
  );
}

export function starSegment(project: Project, id: number, starred: boolean): void {
  segmentRow(project, id);
  runOperation(project, starred ? 'Star a quote' : 'Unstar a quote', (rec) => rec.update('segment', id, { starred: starred ? 1 : 0 }));
}

interface MemoRow {
  id: number;
  target_kind: Memo['targetKind'];
  target_id: number | null;
  coder_id: number | null;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
}

function toMemo(r: MemoRow): Memo {
  return {
    id: r.id,
    targetKind: r.target_kind,
    targetId: r.target_id,
    coderId: r.coder_id,
    title: r.title,
    body: r.body,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listMemos(project: Project, targetKind?: Memo['targetKind'], targetId?: number | null): Memo[] {
  const rows = cached(
    project.db,
    `SELECT * FROM memo WHERE (@kind IS NULL OR target_kind = @kind) AND (@any = 1 OR target_id IS @id) ORDER BY updated_at DESC, id DESC`,
  ).all({ kind: targetKind ?? null, any: targetId === undefined ? 1 : 0, id: targetId ?? null }) as MemoRow[];
  return rows.map(toMemo);
}

function checkTarget(project: Project, kind: Memo['targetKind'], id: number | null): void {
  if (kind === 'project') return;
  const table = kind === 'code' ? 'code' : kind === 'document' ? 'document' : kind === 'segment' ? 'segment' : 'participant';
  if (id === null || !project.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id)) {
    throw new FieldbookError('NOT_FOUND', `The ${kind} this memo belongs to does not exist.`, { field: 'targetId' });
  }
}

export function saveMemo(
  project: Project,
  input: { id?: number; targetKind: Memo['targetKind']; targetId?: number | null; title?: string; body: string },
): Memo {
  const targetId = input.targetKind === 'project' ? null : (input.targetId ?? null);
  checkTarget(project, input.targetKind, targetId);
  const id = runOperation(project, input.id ? 'Edit memo' : `Write a memo on the ${input.targetKind}`, (rec) => {
    if (input.id) {
      const found = cached(project.db, 'SELECT id FROM memo WHERE id = ?').get(input.id);
      if (!found) throw new FieldbookError('NOT_FOUND', `There is no memo number ${input.id}.`, { field: 'id' });
      rec.update('memo', input.id, {
        body: input.body,
        ...(input.title !== undefined ? { title: input.title } : {}),
        updated_at: new Date().toISOString(),
      });
      return input.id;
    }
    return rec.insert('memo', {
      target_kind: input.targetKind,
      target_id: targetId,
      coder_id: currentCoderId(project),
      title: input.title ?? '',
      body: input.body,
    });
  });
  return toMemo(cached(project.db, 'SELECT * FROM memo WHERE id = ?').get(id) as MemoRow);
}

export function deleteMemo(project: Project, id: number): boolean {
  return runOperation(project, 'Delete memo', (rec) => rec.remove('memo', id));
}
