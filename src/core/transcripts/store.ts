import type { Database } from 'better-sqlite3';
import path from 'node:path';
import type {
  DocumentDetail,
  DocumentKind,
  DocumentSummary,
  SpeakerInfo,
  TurnInfo,
} from '../../shared/contract/transcripts';
import { FieldbookError } from '../../shared/errors';
import { countWords, likelyInterviewer } from './parse/model';
import type { ParsedTranscript } from './parse/index';
import type { Recorder } from '../history/history';
import { cached } from '../store/statements';
import { ChunkIndexer } from '../store/search-index';

interface DocumentRow {
  id: number;
  kind: DocumentKind;
  name: string;
  format: string;
  source_file: string | null;
  participant_id: number | null;
  participant_name: string | null;
  chars: number | null;
  words: number | null;
  turns: number;
  speakers: number;
  has_ts: number;
  imported_at: string;
}

const SUMMARY_SQL = `
  SELECT d.id, d.kind, d.name, d.format, d.source_file, d.participant_id, p.name AS participant_name,
         json_extract(d.meta, '$.chars') AS chars, json_extract(d.meta, '$.words') AS words,
         (SELECT count(*) FROM turn t WHERE t.document_id = d.id) AS turns,
         (SELECT count(*) FROM speaker s WHERE s.document_id = d.id) AS speakers,
         EXISTS (SELECT 1 FROM turn t WHERE t.document_id = d.id AND t.start_ms IS NOT NULL) AS has_ts,
         d.imported_at
  FROM document d LEFT JOIN participant p ON p.id = d.participant_id`;

function toSummary(db: Database, row: DocumentRow): DocumentSummary {
  let { chars, words } = row;
  if (chars === null || words === null) {
    // Documents written by other importers (survey answers) carry no counts: work them out once.
    const text = (db.prepare('SELECT text FROM document WHERE id = ?').pluck().get(row.id) as string) ?? '';
    chars = text.length;
    words = countWords(text);
  }
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    format: row.format,
    sourceFile: row.source_file,
    participantId: row.participant_id,
    participantName: row.participant_name,
    chars,
    words,
    turns: row.turns,
    speakers: row.speakers,
    hasTimestamps: row.has_ts === 1,
    importedAt: row.imported_at,
  };
}

export function listDocuments(db: Database, kind?: DocumentKind): DocumentSummary[] {
  const rows = (
    kind
      ? db.prepare(`${SUMMARY_SQL} WHERE d.kind = ? ORDER BY d.name COLLATE NOCASE, d.id`).all(kind)
      : db.prepare(`${SUMMARY_SQL} ORDER BY d.kind, d.name COLLATE NOCASE, d.id`).all()
  ) as DocumentRow[];
  return rows.map((row) => toSummary(db, row));
}

/** Summaries of many documents at once, in the order of `ids` (one query, not one per document). */
export function documentSummaries(db: Database, ids: number[]): DocumentSummary[] {
  const rows = db.prepare(`${SUMMARY_SQL} WHERE d.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as DocumentRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new FieldbookError('NOT_FOUND', `There is no document ${id} in this project.`, { record: id });
    return toSummary(db, row);
  });
}

export function documentSummary(db: Database, id: number): DocumentSummary {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no document ${id} in this project.`, { record: id });
  return toSummary(db, row);
}

interface SpeakerRow {
  id: number;
  document_id: number;
  label: string;
  display_name: string;
  is_interviewer: number;
  participant_id: number | null;
  participant_name: string | null;
  turns: number;
}

const SPEAKER_SQL = `
  SELECT s.id, s.document_id, s.label, s.display_name, s.is_interviewer, s.participant_id, p.name AS participant_name,
         (SELECT count(*) FROM turn t WHERE t.document_id = s.document_id AND t.speaker_id = s.id) AS turns
  FROM speaker s LEFT JOIN participant p ON p.id = s.participant_id`;

function toSpeaker(row: SpeakerRow): SpeakerInfo {
  return {
    id: row.id,
    documentId: row.document_id,
    label: row.label,
    displayName: row.display_name,
    isInterviewer: row.is_interviewer === 1,
    participantId: row.participant_id,
    participantName: row.participant_name,
    turns: row.turns,
  };
}

export function speakerInfo(db: Database, id: number): SpeakerInfo {
  const row = db.prepare(`${SPEAKER_SQL} WHERE s.id = ?`).get(id) as SpeakerRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no speaker ${id} in this project.`, { record: id });
  return toSpeaker(row);
}

export function getDocument(
  db: Database,
  input: { id: number; includeText: boolean; turnOffset: number; turnLimit?: number | undefined },
): DocumentDetail {
  const document = documentSummary(db, input.id);
  const text = input.includeText ? (db.prepare('SELECT text FROM document WHERE id = ?').pluck().get(input.id) as string) : '';
  const speakers = (db.prepare(`${SPEAKER_SQL} WHERE s.document_id = ? ORDER BY s.id`).all(input.id) as SpeakerRow[]).map(toSpeaker);
  const turns = db
    .prepare(
      `SELECT id, position, speaker_id AS speakerId, respondent_row AS respondentRow, start_char AS start, end_char AS end,
              start_ms AS startMs, end_ms AS endMs
       FROM turn WHERE document_id = ? ORDER BY position LIMIT ? OFFSET ?`,
    )
    .all(input.id, input.turnLimit ?? -1, input.turnOffset) as TurnInfo[];
  return { document, text, speakers, turns, totalTurns: document.turns, turnOffset: input.turnOffset };
}

export interface SpeakerChoice {
  label: string;
  displayName?: string | undefined;
  isInterviewer?: boolean | undefined;
  participantId?: number | null | undefined;
}

export interface ImportItem {
  path: string;
  parsed: ParsedTranscript;
  /** countWords(parsed.text), when the parser already counted. */
  words?: number | undefined;
  name?: string | undefined;
  participantId?: number | null | undefined;
  participantName?: string | undefined;
  speakers?: SpeakerChoice[] | undefined;
}

function requireParticipant(db: Database, id: number, file: string): void {
  const found = db.prepare('SELECT 1 FROM participant WHERE id = ?').get(id);
  if (!found) throw new FieldbookError('NOT_FOUND', `${file}: participant ${id} does not exist (was it deleted?).`, { file, record: id });
}

export function findOrCreateParticipant(db: Database, name: string): number {
  const existing = db.prepare('SELECT id FROM participant WHERE name = ?').pluck().get(name) as number | undefined;
  if (existing !== undefined) return existing;
  return Number(db.prepare('INSERT INTO participant (name) VALUES (?)').run(name).lastInsertRowid);
}

/**
 * Writes parsed transcripts: document, speakers, turns and index rows. Call inside one
 * transaction; it throws (and so rolls everything back) on the first problem.
 */
export function writeTranscripts(db: Database, items: ImportItem[], onFile?: (done: number) => void): number[] {
  const insertDoc = cached(
    db,
    `INSERT INTO document (kind, name, source_file, format, text, participant_id, meta) VALUES ('transcript', ?, ?, ?, ?, ?, ?)`,
  );
  const insertSpeaker = cached(
    db,
    'INSERT INTO speaker (document_id, label, display_name, is_interviewer, participant_id) VALUES (?, ?, ?, ?, ?)',
  );
  const insertTurn = cached(
    db,
    'INSERT INTO turn (document_id, position, speaker_id, start_char, end_char, start_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const ids: number[] = [];
  items.forEach((item, index) => {
    const file = path.basename(item.path);
    const { parsed } = item;
    let participantId: number | null = null;
    if (item.participantId) {
      requireParticipant(db, item.participantId, file);
      participantId = item.participantId;
    } else if (item.participantName) participantId = findOrCreateParticipant(db, item.participantName);
    const choices = new Map((item.speakers ?? []).map((s) => [s.label, s]));
    const meta = {
      encoding: parsed.encoding,
      chars: parsed.text.length,
      words: item.words ?? countWords(parsed.text),
      header: parsed.meta,
    };
    const name = item.name ?? path.basename(item.path, path.extname(item.path));
    const documentId = Number(
      insertDoc.run(name, item.path, parsed.format, parsed.text, participantId, JSON.stringify(meta)).lastInsertRowid,
    );
    const speakerIds = new Map<string, number>();
    const speakerId = (label: string | null): number | null => {
      // Unlabelled turns get a speaker only when the user named them in the preview.
      const key = label ?? '';
      if (label === null && !choices.has('')) return null;
      const known = speakerIds.get(key);
      if (known !== undefined) return known;
      const choice = choices.get(key);
      if (choice?.participantId) requireParticipant(db, choice.participantId, file);
      const idNew = Number(
        insertSpeaker.run(
          documentId,
          key,
          choice?.displayName ?? (key || 'Unlabelled'),
          (choice?.isInterviewer ?? likelyInterviewer(key)) ? 1 : 0,
          choice?.participantId ?? null,
        ).lastInsertRowid,
      );
      speakerIds.set(key, idNew);
      return idNew;
    };
    const indexer = new ChunkIndexer(db, documentId, parsed.text);
    parsed.turns.forEach((turn, position) => {
      insertTurn.run(documentId, position, speakerId(turn.speaker), turn.start, turn.end, turn.startMs, turn.endMs);
      indexer.add(turn.start, turn.end);
    });
    indexer.flush();
    ids.push(documentId);
    onFile?.(index + 1);
  });
  return ids;
}

export interface DocumentEdit {
  id: number;
  name?: string | undefined;
  participantId?: number | null | undefined;
}

/** Renames a document or assigns it to a participant, through the undo log (see history/history.ts). */
export function updateDocument(rec: Recorder, input: DocumentEdit): void {
  documentSummary(rec.db, input.id);
  const set: Record<string, unknown> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.participantId !== undefined) {
    if (input.participantId !== null) requireParticipant(rec.db, input.participantId, `document ${input.id}`);
    set.participant_id = input.participantId;
  }
  rec.update('document', input.id, set);
}

function participantLabel(db: Database, id: number): string {
  return (db.prepare('SELECT name FROM participant WHERE id = ?').pluck().get(id) as string | undefined) ?? `participant ${id}`;
}

export function documentEditLabel(db: Database, input: DocumentEdit): string {
  const doc = documentSummary(db, input.id);
  const noun = doc.kind === 'transcript' ? 'transcript' : 'document';
  const parts: string[] = [];
  if (input.name !== undefined && input.name !== doc.name) parts.push(`Rename ${noun} ${doc.name} → ${input.name}`);
  if (input.participantId !== undefined && input.participantId !== doc.participantId) {
    parts.push(
      input.participantId === null
        ? `Unassign ${noun} ${doc.name} from ${doc.participantName ?? 'its participant'}`
        : `Assign ${noun} ${doc.name} to ${participantLabel(db, input.participantId)}`,
    );
  }
  return parts.length === 1 ? parts[0]! : `Edit ${noun} ${doc.name}`;
}

export interface SpeakerEdit {
  id: number;
  displayName?: string | undefined;
  isInterviewer?: boolean | undefined;
  participantId?: number | null | undefined;
}

/** Renames a speaker, marks the interviewer or assigns a participant, through the undo log. */
export function updateSpeaker(rec: Recorder, input: SpeakerEdit): void {
  speakerInfo(rec.db, input.id);
  const set: Record<string, unknown> = {};
  if (input.displayName !== undefined) set.display_name = input.displayName;
  if (input.isInterviewer !== undefined) set.is_interviewer = input.isInterviewer ? 1 : 0;
  if (input.participantId !== undefined) {
    if (input.participantId !== null) requireParticipant(rec.db, input.participantId, `speaker ${input.id}`);
    set.participant_id = input.participantId;
  }
  rec.update('speaker', input.id, set);
}

export function speakerEditLabel(db: Database, input: SpeakerEdit): string {
  const speaker = speakerInfo(db, input.id);
  const name = speaker.displayName;
  const parts: string[] = [];
  if (input.displayName !== undefined && input.displayName !== name) parts.push(`Rename speaker ${name} → ${input.displayName}`);
  if (input.isInterviewer !== undefined && input.isInterviewer !== speaker.isInterviewer) {
    parts.push(input.isInterviewer ? `Mark ${name} as the interviewer` : `Mark ${name} as not the interviewer`);
  }
  if (input.participantId !== undefined && input.participantId !== speaker.participantId) {
    parts.push(
      input.participantId === null
        ? `Unassign speaker ${name} from ${speaker.participantName ?? 'their participant'}`
        : `Assign speaker ${name} to ${participantLabel(db, input.participantId)}`,
    );
  }
  return parts.length === 1 ? parts[0]! : `Edit speaker ${name}`;
}

/**
 * Deletes a transcript through the undo log: its suggestions, codings and quotes, turns and speakers
 * are removed row by row (each remembered), then the document itself. Undo puts every row back with
 * its id, and the search index is rebuilt from the restored turns.
 */
export function deleteDocument(rec: Recorder, id: number): boolean {
  const db = rec.db;
  if (!db.prepare('SELECT 1 FROM document WHERE id = ?').get(id)) return false;
  rec.reindex(id);
  const ids = (sql: string) => db.prepare(sql).pluck().all(id) as number[];
  for (const s of ids('SELECT id FROM suggestion WHERE document_id = ? ORDER BY id')) rec.remove('suggestion', s);
  for (const c of ids('SELECT c.id FROM coding c JOIN segment s ON s.id = c.segment_id WHERE s.document_id = ? ORDER BY c.id')) rec.remove('coding', c);
  for (const s of ids('SELECT id FROM segment WHERE document_id = ? ORDER BY id')) rec.remove('segment', s);
  for (const t of ids('SELECT id FROM turn WHERE document_id = ? ORDER BY id')) rec.remove('turn', t);
  for (const s of ids('SELECT id FROM speaker WHERE document_id = ? ORDER BY id')) rec.remove('speaker', s);
  return rec.remove('document', id);
}
