import type { Database } from 'better-sqlite3';
import path from 'node:path';
import { FieldbookError } from '../../../shared/errors';
import type { Project } from '../../store/project';
import { parseDescription } from '../../coding/qdc';
import { STARRED_NOTE, type RefiCode, type RefiCoding, type RefiProject } from './model';
import { OffsetMap } from '../../coding/offsets';
import type { RefiPositionReading } from '../../../shared/contract/exports';
import { decidePositions, lengthIn, selectionToUtf16 } from './positions';

export interface RefiImportCounts {
  coders: number;
  codes: number;
  attributes: number;
  participants: number;
  documents: number;
  segments: number;
  codings: number;
  memos: number;
}

export interface RefiImportOutcome {
  counts: RefiImportCounts;
  documentIds: number[];
  notImported: string[];
  positions: RefiPositionReading;
}

/** Paragraphs (text between blank lines) become turns, so imported texts are searchable like transcripts. */
export function paragraphSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /\S[\s\S]*?(?=\r?\n[ \t]*\r?\n|$)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    spans.push([m.index, m.index + m[0].trimEnd().length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return spans;
}

/**
 * Checks a REFI project against the texts it carries before anything is written: every quote
 * must lie inside its text. Returns the selections' UTF-16 offsets per source guid.
 */
function checkSelections(refi: RefiProject, file: string, unit: RefiPositionReading['unit']): void {
  for (const source of refi.sources) {
    if (source.text === null) continue;
    const length = lengthIn(new OffsetMap(source.text), unit);
    for (const [index, s] of source.selections.entries()) {
      if (s.start > s.end || s.end > length) {
        throw new FieldbookError(
          'PARSE_ERROR',
          `${path.basename(file)}: quote ${index + 1} of "${source.name}" runs from position ${s.start} to ${s.end}, but the text has only ${length} characters. The file is damaged or its text does not match its quotes; nothing was imported.`,
          { file, record: index + 1, field: source.name },
        );
      }
    }
  }
}

/**
 * Writes a REFI project into the open project in one transaction. Existing codes (same name
 * under the same parent), coders, attributes and participants (same name) are reused, so
 * importing a codebook into a coded project merges instead of duplicating.
 */
export function applyRefi(
  project: Project,
  refi: RefiProject,
  file: string,
  /** Runs inside the transaction once the documents exist (e.g. to index them for search). */
  afterDocuments: (db: Database, documentIds: number[]) => void = () => undefined,
): RefiImportOutcome {
  const positions = decidePositions(refi);
  checkSelections(refi, file, positions.unit);
  const db: Database = project.db;
  const notImported = [...refi.notImported];
  const counts: RefiImportCounts = { coders: 0, codes: 0, attributes: 0, participants: 0, documents: 0, segments: 0, codings: 0, memos: 0 };
  const documentIds: number[] = [];

  project.transaction(() => {
    const remember = db.prepare('INSERT OR IGNORE INTO exchange_guid (kind, local_id, guid) VALUES (?, ?, ?)');

    // Coders
    const coderByGuid = new Map<string, number>();
    const findCoder = db.prepare('SELECT id FROM coder WHERE name = ?');
    const insertCoder = db.prepare('INSERT INTO coder (name) VALUES (?)');
    for (const user of refi.users) {
      const existing = findCoder.get(user.name) as { id: number } | undefined;
      const id = existing?.id ?? Number(insertCoder.run(user.name).lastInsertRowid);
      if (!existing) counts.coders++;
      coderByGuid.set(user.guid, id);
      remember.run('coder', id, user.guid);
    }
    const defaultCoder = (db.prepare('SELECT id FROM coder ORDER BY id LIMIT 1').get() as { id: number } | undefined)?.id ?? Number(insertCoder.run('me').lastInsertRowid);
    const coderOf = (guid: string | null) => (guid ? coderByGuid.get(guid) : undefined) ?? defaultCoder;

    // Notes first: codes, sources and quotes point at them.
    const noteByGuid = new Map(refi.notes.map((n) => [n.guid, n]));
    const usedNotes = new Set<string>();
    const starredNotes = new Set(refi.notes.filter((n) => n.name === STARRED_NOTE).map((n) => n.guid));
    for (const guid of starredNotes) usedNotes.add(guid);
    const insertMemo = db.prepare('INSERT INTO memo (target_kind, target_id, coder_id, title, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const now = new Date().toISOString();
    const knownMemo = db.prepare("SELECT m.id FROM exchange_guid g JOIN memo m ON m.id = g.local_id WHERE g.kind = 'memo' AND g.guid = ?");
    const addMemo = (kind: string, target: number | null, title: string, body: string, coder: string | null, created: string | null, guid?: string) => {
      // A note this project already holds (the same file imported again) is not added twice.
      if (guid && knownMemo.get(guid)) return;
      const id = Number(insertMemo.run(kind, target, coder ? coderOf(coder) : null, title, body, created ?? now, created ?? now).lastInsertRowid);
      if (guid) remember.run('memo', id, guid);
      counts.memos++;
    };
    const attachNotes = (kind: string, target: number, guids: string[]) => {
      for (const guid of guids) {
        const note = noteByGuid.get(guid);
        if (!note || usedNotes.has(guid)) continue;
        usedNotes.add(guid);
        addMemo(kind, target, note.name, note.text, note.creatingUser, note.creationDateTime, guid);
      }
    };

    // Codes
    const codeByGuid = new Map<string, number>();
    const findCode = db.prepare('SELECT id FROM code WHERE name = ? AND parent_id IS ?');
    const nextPosition = db.prepare('SELECT coalesce(max(position) + 1, 0) AS p FROM code WHERE parent_id IS ?');
    const insertCode = db.prepare('INSERT INTO code (parent_id, name, color, definition, inclusion, exclusion, keywords, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const updateCode = db.prepare(
      "UPDATE code SET definition = CASE WHEN definition = '' THEN ? ELSE definition END, inclusion = CASE WHEN inclusion = '' THEN ? ELSE inclusion END, exclusion = CASE WHEN exclusion = '' THEN ? ELSE exclusion END WHERE id = ?",
    );
    const addCode = (code: RefiCode, parent: number | null) => {
      const fields = parseDescription(code.description);
      const existing = findCode.get(code.name, parent) as { id: number } | undefined;
      let id: number;
      if (existing) {
        id = existing.id;
        updateCode.run(fields.definition, fields.inclusion, fields.exclusion, id);
      } else {
        const position = (nextPosition.get(parent) as { p: number }).p;
        const color = code.color && /^#[0-9a-fA-F]{6}$/.test(code.color) ? code.color.toLowerCase() : code.color && /^#[0-9a-fA-F]{3}$/.test(code.color) ? `#${[...code.color.slice(1)].map((c) => c + c).join('').toLowerCase()}` : '#868e96';
        id = Number(insertCode.run(parent, code.name, color, fields.definition, fields.inclusion, fields.exclusion, JSON.stringify(fields.keywords), position).lastInsertRowid);
        counts.codes++;
      }
      codeByGuid.set(code.guid, id);
      remember.run('code', id, code.guid);
      attachNotes('code', id, code.noteGuids);
      for (const c of code.children) addCode(c, id);
    };
    for (const code of refi.codes) addCode(code, null);

    // Attributes (REFI variables)
    const attributeByGuid = new Map<string, number>();
    const findAttribute = db.prepare('SELECT id FROM attribute WHERE name = ?');
    const insertAttribute = db.prepare('INSERT INTO attribute (name, type, position) VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM attribute))');
    for (const variable of refi.variables) {
      const existing = findAttribute.get(variable.name) as { id: number } | undefined;
      const type = variable.type === 'Integer' || variable.type === 'Float' ? 'number' : 'text';
      const id = existing?.id ?? Number(insertAttribute.run(variable.name, type).lastInsertRowid);
      if (!existing) counts.attributes++;
      attributeByGuid.set(variable.guid, id);
      remember.run('attribute', id, variable.guid);
    }

    // Participants (REFI cases)
    const participantBySource = new Map<string, number>();
    const findParticipant = db.prepare('SELECT id FROM participant WHERE name = ?');
    const insertParticipant = db.prepare('INSERT INTO participant (name) VALUES (?)');
    const setValue = db.prepare('INSERT OR REPLACE INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)');
    const participantMemos: [number, string][] = [];
    for (const c of refi.cases) {
      const existing = findParticipant.get(c.name) as { id: number } | undefined;
      const id = existing?.id ?? Number(insertParticipant.run(c.name).lastInsertRowid);
      if (!existing) counts.participants++;
      remember.run('participant', id, c.guid);
      for (const value of c.values) {
        const attribute = attributeByGuid.get(value.variableGuid);
        if (attribute === undefined) continue;
        setValue.run(id, attribute, typeof value.value === 'boolean' ? String(value.value) : value.value);
      }
      for (const source of c.sourceGuids) if (!participantBySource.has(source)) participantBySource.set(source, id);
      if (c.description) participantMemos.push([id, c.description]);
    }
    const sameMemo = db.prepare("SELECT 1 FROM memo WHERE target_kind = 'participant' AND target_id = ? AND body = ?");
    for (const [id, body] of participantMemos) if (!sameMemo.get(id, body)) addMemo('participant', id, '', body, null, null);

    // Documents, quotes, codings
    const insertDocument = db.prepare(
      "INSERT INTO document (kind, name, source_file, format, text, participant_id, meta) VALUES ('text', ?, ?, 'refi-qda', ?, ?, ?)",
    );
    const insertTurn = db.prepare('INSERT INTO turn (document_id, position, start_char, end_char) VALUES (?, ?, ?, ?)');
    const insertSegment = db.prepare('INSERT INTO segment (document_id, start_char, end_char, text, created_at) VALUES (?, ?, ?, ?, ?)');
    const starSegment = db.prepare('UPDATE segment SET starred = 1 WHERE id = ?');
    const insertCoding = db.prepare("INSERT OR IGNORE INTO coding (segment_id, code_id, coder_id, source, created_at) VALUES (?, ?, ?, 'import', ?)");
    let emptyQuotes = 0;
    let unknownCodes = 0;
    const code = (coding: RefiCoding, segment: number) => {
      const codeId = codeByGuid.get(coding.codeGuid);
      if (codeId === undefined) {
        unknownCodes++;
        return;
      }
      const result = insertCoding.run(segment, codeId, coderOf(coding.creatingUser), coding.creationDateTime ?? now);
      if (result.changes > 0) {
        counts.codings++;
        remember.run('coding', Number(result.lastInsertRowid), coding.guid);
      }
    };
    // A source this project already holds (same REFI GUID, e.g. the same .qdpx imported twice,
    // or a project's own export) is not added a second time.
    const knownDocument = db.prepare("SELECT d.id FROM exchange_guid g JOIN document d ON d.id = g.local_id WHERE g.kind = 'document' AND g.guid = ?");
    const already: string[] = [];
    for (const source of refi.sources) {
      if (source.text === null) continue;
      if (knownDocument.get(source.guid)) {
        already.push(source.name);
        continue;
      }
      const text = source.text;
      const documentId = Number(
        insertDocument.run(source.name, file, text, participantBySource.get(source.guid) ?? null, JSON.stringify({ refiGuid: source.guid, origin: refi.origin })).lastInsertRowid,
      );
      counts.documents++;
      documentIds.push(documentId);
      remember.run('document', documentId, source.guid);
      paragraphSpans(text).forEach(([start, end], position) => insertTurn.run(documentId, position, start, end));
      if (source.description) addMemo('document', documentId, '', source.description, source.creatingUser, source.creationDateTime);
      attachNotes('document', documentId, source.noteGuids);

      const map = new OffsetMap(text);
      // Several tools write one selection per coding; quotes with the same span are one quote here.
      const segmentBySpan = new Map<string, number>();
      const segmentFor = (start: number, end: number, created: string | null, guid: string | null): number => {
        const key = `${start}:${end}`;
        let id = segmentBySpan.get(key);
        if (id === undefined) {
          id = Number(insertSegment.run(documentId, start, end, text.slice(start, end), created ?? now).lastInsertRowid);
          segmentBySpan.set(key, id);
          counts.segments++;
          if (guid) remember.run('segment', id, guid);
        }
        return id;
      };
      for (const selection of source.selections) {
        const [start, end] = selectionToUtf16(map, positions.unit, selection.start, selection.end);
        if (start >= end) {
          emptyQuotes++;
          continue;
        }
        const segment = segmentFor(start, end, selection.creationDateTime, selection.guid);
        if (selection.noteGuids.some((g) => starredNotes.has(g))) starSegment.run(segment);
        for (const coding of selection.codings) code(coding, segment);
        if (selection.description) addMemo('segment', segment, '', selection.description, selection.creatingUser, selection.creationDateTime);
        attachNotes('segment', segment, selection.noteGuids);
      }
      if (source.codings.length > 0 && text.length > 0) {
        const whole = segmentFor(0, text.length, null, null);
        for (const coding of source.codings) code(coding, whole);
      }
    }
    if (already.length > 0) {
      notImported.push(
        `${already.length} source${already.length === 1 ? '' : 's'} already in this project, left as they are: ${already.map((n) => `"${n}"`).join(', ')}.`,
      );
    }
    if (emptyQuotes > 0) notImported.push(`${emptyQuotes} empty quote${emptyQuotes === 1 ? '' : 's'} (start and end at the same place).`);
    if (unknownCodes > 0) notImported.push(`${unknownCodes} coding${unknownCodes === 1 ? '' : 's'} with a code that is not in the codebook.`);

    // Notes for the project, and notes nothing points to, become project memos.
    for (const guid of refi.projectNoteGuids) {
      const note = noteByGuid.get(guid);
      if (!note || usedNotes.has(guid)) continue;
      usedNotes.add(guid);
      addMemo('project', null, note.name, note.text, note.creatingUser, note.creationDateTime, guid);
    }
    for (const note of refi.notes) {
      if (usedNotes.has(note.guid)) continue;
      usedNotes.add(note.guid);
      addMemo('project', null, note.name, note.text, note.creatingUser, note.creationDateTime, note.guid);
    }
    afterDocuments(db, documentIds);
  });
  return { counts, documentIds, notImported, positions };
}
