import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { RefiImportResult, RefiMergeReport, RefiPositionReading } from '../../../shared/contract/exports';
import type { Recorder } from '../../history/history';
import { parseDescription } from '../../coding/qdc';
import { OffsetMap } from '../../coding/offsets';
import { STARRED_NOTE, type RefiCode, type RefiCoding, type RefiNote, type RefiProject, type RefiTextSource } from './model';
import { selectionToUtf16 } from './positions';
import { ExchangeRecords } from './records';

export type RefiImportCounts = RefiImportResult['counts'];

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

const DEFAULT_COLOR = '#868e96';

/** REFI projects have no GUID of their own: one derived from what names the project, the same on every import. */
function projectGuid(refi: RefiProject): string {
  const hex = createHash('sha256').update(`${refi.name}\0${refi.origin}\0${refi.creationDateTime ?? ''}`).digest('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function normalColor(color: string | null): string | null {
  if (color && /^#[0-9a-fA-F]{6}$/.test(color)) return color.toLowerCase();
  if (color && /^#[0-9a-fA-F]{3}$/.test(color)) return `#${[...color.slice(1)].map((c) => c + c).join('').toLowerCase()}`;
  return null;
}

/**
 * Writes a REFI project through the undo log (one operation). Everything already in the project
 * stays as it is: a source whose GUID or text the project already holds is that document (a
 * merge: its quotes land on the document's own quotes where the span is the same), codes are
 * matched by GUID then by name under the same parent, coders by name, and codings are added under
 * their own coder. What differs between the two sides is reported as a conflict, never changed.
 */
export class RefiImporter {
  readonly counts: RefiImportCounts = { coders: 0, codes: 0, attributes: 0, participants: 0, documents: 0, segments: 0, codings: 0, memos: 0 };
  readonly notImported: string[];
  readonly merge: RefiMergeReport = { documents: [], codes: { matchedByGuid: 0, matchedByPath: 0, added: [] }, codingsByCoder: [], conflicts: [] };
  readonly documentIds: number[] = [];
  private readonly db: Database;
  private readonly records: ExchangeRecords;
  private readonly now = new Date().toISOString();
  private readonly coderByGuid = new Map<string, number>();
  private readonly codeByGuid = new Map<string, number>();
  private readonly documentByGuid = new Map<string, number>();
  private readonly noteByGuid: Map<string, RefiNote>;
  private readonly usedNotes = new Set<string>();
  private readonly starredNotes: Set<string>;
  private readonly perCoder = new Map<number, { coder: string; added: number; alreadyThere: number }>();
  private defaultCoderId: number | null = null;

  constructor(
    private readonly rec: Recorder,
    private readonly refi: RefiProject,
    private readonly file: string,
    private readonly positions: RefiPositionReading,
  ) {
    this.db = rec.db;
    this.records = new ExchangeRecords(rec, refi.spelling);
    this.notImported = [...refi.notImported];
    this.noteByGuid = new Map(refi.notes.map((n) => [n.guid, n]));
    this.starredNotes = new Set(refi.notes.filter((n) => n.name === STARRED_NOTE).map((n) => n.guid));
    for (const guid of this.starredNotes) this.usedNotes.add(guid);
  }

  run(): void {
    const fresh = (this.db.prepare('SELECT (SELECT count(*) FROM document) + (SELECT count(*) FROM code)').pluck().get() as number) === 0;
    // A project made from another tool's file keeps its name, origin and creation date for the next export.
    if (fresh && this.refi.sources.length > 0) {
      this.records.remember('project', 0, projectGuid(this.refi), {
        name: this.refi.name,
        ...(this.refi.origin ? { origin: this.refi.origin } : {}),
        ...(this.refi.creationDateTime ? { creationDateTime: this.refi.creationDateTime } : {}),
      });
    }
    this.coders();
    for (const code of this.refi.codes) this.code(code, null, []);
    const participantBySource = this.cases();
    const stats = { emptyQuotes: 0, unknownCodes: 0 };
    for (const source of this.refi.sources) if (source.text !== null) this.source(source, source.text, participantBySource, stats);
    if (stats.emptyQuotes > 0) this.notImported.push(`${stats.emptyQuotes} empty quote${stats.emptyQuotes === 1 ? '' : 's'} (start and end at the same place).`);
    if (stats.unknownCodes > 0) this.notImported.push(`${stats.unknownCodes} coding${stats.unknownCodes === 1 ? '' : 's'} with a code that is not in the codebook.`);
    // Notes for the project, and notes nothing points to, become project memos.
    for (const guid of this.refi.projectNoteGuids) this.attachNotes('project', null, [guid]);
    this.attachNotes('project', null, this.refi.notes.map((n) => n.guid));
    this.sets();
    this.merge.codingsByCoder = [...this.perCoder.values()].sort((a, b) => a.coder.localeCompare(b.coder));
  }

  /** REFI sets become exchange_set rows (members by local id), written back on export. */
  private sets(): void {
    for (const set of this.refi.sets) {
      if (this.records.find('set', set.guid) !== undefined) continue;
      const members = [
        ...set.codeGuids.map((g) => ({ kind: 'code', id: this.codeByGuid.get(g) })),
        ...set.sourceGuids.map((g) => ({ kind: 'document', id: this.documentByGuid.get(g) })),
      ].filter((m): m is { kind: string; id: number } => m.id !== undefined);
      const id = this.rec.insert('exchange_set', { name: set.name, description: set.description, members: JSON.stringify(members) });
      this.records.remember('set', id, set.guid);
    }
  }

  private coders(): void {
    for (const user of this.refi.users) {
      const existing = this.db.prepare('SELECT id FROM coder WHERE name = ?').pluck().get(user.name) as number | undefined;
      const id = existing ?? this.rec.insert('coder', { name: user.name });
      if (existing === undefined) this.counts.coders++;
      this.coderByGuid.set(user.guid, id);
      this.records.remember('coder', id, user.guid);
    }
  }

  private coderOf(guid: string | null): number {
    const known = guid ? this.coderByGuid.get(guid) : undefined;
    if (known !== undefined) return known;
    if (this.defaultCoderId === null) {
      const first = this.db.prepare('SELECT id FROM coder ORDER BY id LIMIT 1').pluck().get() as number | undefined;
      this.defaultCoderId = first ?? this.rec.insert('coder', { name: 'me' });
    }
    return this.defaultCoderId;
  }

  private addMemo(kind: string, target: number | null, note: Pick<RefiNote, 'name' | 'text' | 'creatingUser' | 'creationDateTime'>, guid?: string): void {
    // A note this project already holds (the same file imported again) is not added twice.
    if (guid && this.records.find('memo', guid) !== undefined) return;
    const coder = note.creatingUser ? this.coderOf(note.creatingUser) : null;
    const created = note.creationDateTime ?? this.now;
    const id = this.rec.insert('memo', { target_kind: kind, target_id: target, coder_id: coder, title: note.name, body: note.text, created_at: created, updated_at: created });
    if (guid) this.records.remember('memo', id, guid);
    this.counts.memos++;
  }

  /** A memo without a GUID of its own (a description) is not added where the same text is already. */
  private addDescription(kind: string, target: number, body: string, user: string | null, created: string | null): void {
    if (this.db.prepare('SELECT 1 FROM memo WHERE target_kind = ? AND target_id = ? AND body = ?').get(kind, target, body)) return;
    this.addMemo(kind, target, { name: '', text: body, creatingUser: user, creationDateTime: created });
  }

  private attachNotes(kind: string, target: number | null, guids: string[]): void {
    for (const guid of guids) {
      const note = this.noteByGuid.get(guid);
      if (!note || this.usedNotes.has(guid)) continue;
      this.usedNotes.add(guid);
      this.addMemo(kind, target, note, guid);
    }
  }

  private code(code: RefiCode, parent: number | null, path: string[]): void {
    const here = [...path, code.name];
    let id = this.records.find('code', code.guid);
    if (id !== undefined) {
      this.merge.codes.matchedByGuid++;
      const local = this.db.prepare('SELECT name, parent_id AS parent FROM code WHERE id = ?').get(id) as { name: string; parent: number | null };
      if (local.name !== code.name) this.merge.conflicts.push(`The code "${here.join(' > ')}" is called "${local.name}" here; kept "${local.name}".`);
      else if (local.parent !== parent) this.merge.conflicts.push(`The code "${here.join(' > ')}" sits under another code here; kept where it is.`);
    } else {
      id = this.db.prepare('SELECT id FROM code WHERE name = ? AND parent_id IS ?').pluck().get(code.name, parent) as number | undefined;
      if (id !== undefined) this.merge.codes.matchedByPath++;
    }
    if (id === undefined) {
      const fields = parseDescription(code.description);
      const color = normalColor(code.color);
      const position = this.db.prepare('SELECT coalesce(max(position) + 1, 0) FROM code WHERE parent_id IS ?').pluck().get(parent) as number;
      id = this.rec.insert('code', {
        parent_id: parent,
        name: code.name,
        color: color ?? DEFAULT_COLOR,
        definition: fields.definition,
        inclusion: fields.inclusion,
        exclusion: fields.exclusion,
        keywords: JSON.stringify(fields.keywords),
        position,
      });
      this.counts.codes++;
      this.merge.codes.added.push(here.join(' > '));
      this.records.remember('code', id, code.guid, {
        ...(code.isCodable ? {} : { isCodable: false }),
        ...(color === null ? { colorless: DEFAULT_COLOR } : {}),
        ...(code.description ? { description: code.description } : {}),
      });
    } else this.records.remember('code', id, code.guid);
    this.codeByGuid.set(code.guid, id);
    this.attachNotes('code', id, code.noteGuids);
    for (const c of code.children) this.code(c, id, here);
  }

  /** Attributes (REFI variables) and participants (cases); returns the participant of each source. */
  private cases(): Map<string, number> {
    const attributeByGuid = new Map<string, number>();
    for (const variable of this.refi.variables) {
      const existing = this.db.prepare('SELECT id FROM attribute WHERE name = ?').pluck().get(variable.name) as number | undefined;
      const type = variable.type === 'Integer' || variable.type === 'Float' ? 'number' : 'text';
      const position = this.db.prepare('SELECT coalesce(max(position) + 1, 0) FROM attribute').pluck().get() as number;
      const id = existing ?? this.rec.insert('attribute', { name: variable.name, type, position });
      if (existing === undefined) this.counts.attributes++;
      attributeByGuid.set(variable.guid, id);
      this.records.remember('attribute', id, variable.guid);
    }
    const participantBySource = new Map<string, number>();
    for (const c of this.refi.cases) {
      const existing = this.db.prepare('SELECT id FROM participant WHERE name = ?').pluck().get(c.name) as number | undefined;
      const id = existing ?? this.rec.insert('participant', { name: c.name });
      if (existing === undefined) this.counts.participants++;
      this.records.remember('participant', id, c.guid);
      for (const value of c.values) {
        const attribute = attributeByGuid.get(value.variableGuid);
        if (attribute === undefined) continue;
        const stored = typeof value.value === 'boolean' ? String(value.value) : value.value;
        const current = this.db.prepare('SELECT value FROM participant_attribute WHERE participant_id = ? AND attribute_id = ?').get(id, attribute) as { value: unknown } | undefined;
        if (!current) this.rec.insert('participant_attribute', { participant_id: id, attribute_id: attribute, value: stored });
        else if (current.value !== stored) {
          const name = this.db.prepare('SELECT name FROM attribute WHERE id = ?').pluck().get(attribute) as string;
          this.merge.conflicts.push(`${c.name}'s ${name} is ${JSON.stringify(current.value)} here and ${JSON.stringify(stored)} in the file; kept ${JSON.stringify(current.value)}.`);
        }
      }
      for (const source of c.sourceGuids) if (!participantBySource.has(source)) participantBySource.set(source, id);
      if (c.description) this.addDescription('participant', id, c.description, null, null);
    }
    return participantBySource;
  }

  /** The document this source already is here (same GUID, or the same text), or null for a new one. */
  private matchDocument(source: RefiTextSource, text: string): { id: number; name: string; by: 'guid' | 'text' } | null | 'conflict' {
    const byGuid = this.records.find('document', source.guid);
    if (byGuid !== undefined) {
      const local = this.db.prepare('SELECT name, text FROM document WHERE id = ?').get(byGuid) as { name: string; text: string };
      if (local.text === text) return { id: byGuid, name: local.name, by: 'guid' };
      const codings = source.selections.reduce((n, s) => n + s.codings.length, source.codings.length);
      this.merge.conflicts.push(
        `"${source.name}" is the document "${local.name}" here (same GUID) but its text differs, so its ${codings} coding${codings === 1 ? '' : 's'} were not merged.`,
      );
      return 'conflict';
    }
    const byText = this.db.prepare('SELECT id, name FROM document WHERE text = ? ORDER BY id LIMIT 1').get(text) as { id: number; name: string } | undefined;
    return byText ? { ...byText, by: 'text' } : null;
  }

  private newDocument(source: RefiTextSource, text: string, participant: number | null): number {
    const id = this.rec.insert('document', {
      kind: 'text',
      name: source.name,
      source_file: this.file,
      format: 'refi-qda',
      text,
      participant_id: participant,
      meta: JSON.stringify({ refiGuid: source.guid, origin: this.refi.origin }),
    });
    this.counts.documents++;
    this.documentIds.push(id);
    this.records.remember('document', id, source.guid, {
      ...(source.creatingUser ? { creatingUser: this.records.spell(source.creatingUser) } : {}),
      ...(source.creationDateTime ? { creationDateTime: source.creationDateTime } : {}),
      ...(source.modifyingUser ? { modifyingUser: this.records.spell(source.modifyingUser) } : {}),
      ...(source.modifiedDateTime ? { modifiedDateTime: source.modifiedDateTime } : {}),
    });
    paragraphSpans(text).forEach(([start, end], position) => this.rec.insert('turn', { document_id: id, position, start_char: start, end_char: end }));
    this.rec.reindex(id);
    if (source.description) this.addMemo('document', id, { name: '', text: source.description, creatingUser: source.creatingUser, creationDateTime: source.creationDateTime });
    return id;
  }

  private source(source: RefiTextSource, text: string, participantBySource: Map<string, number>, stats: { emptyQuotes: number; unknownCodes: number }): void {
    const match = this.matchDocument(source, text);
    if (match === 'conflict') return;
    let documentId: number;
    const segmentBySpan = new Map<string, number>();
    const fresh = new Set<number>();
    if (match) {
      documentId = match.id;
      this.merge.documents.push({ source: source.name, document: match.name, matchedBy: match.by });
      this.records.remember('document', documentId, source.guid);
      const existing = this.db.prepare('SELECT id, start_char AS s, end_char AS e FROM segment WHERE document_id = ? ORDER BY id').all(documentId) as { id: number; s: number; e: number }[];
      for (const row of existing) if (!segmentBySpan.has(`${row.s}:${row.e}`)) segmentBySpan.set(`${row.s}:${row.e}`, row.id);
    } else {
      documentId = this.newDocument(source, text, participantBySource.get(source.guid) ?? null);
    }
    this.documentByGuid.set(source.guid, documentId);
    this.attachNotes('document', documentId, source.noteGuids);
    const map = new OffsetMap(text);
    const segmentFor = (start: number, end: number, created: string | null, guid: string | null): number => {
      const key = `${start}:${end}`;
      let id = segmentBySpan.get(key);
      if (id === undefined) {
        id = this.rec.insert('segment', { document_id: documentId, start_char: start, end_char: end, text: text.slice(start, end), created_at: created ?? this.now });
        segmentBySpan.set(key, id);
        fresh.add(id);
        this.counts.segments++;
        if (guid) this.records.remember('segment', id, guid);
      }
      return id;
    };
    for (const selection of source.selections) {
      const [start, end] = selectionToUtf16(map, this.positions.unit, selection.start, selection.end);
      if (start >= end) {
        stats.emptyQuotes++;
        continue;
      }
      const segment = segmentFor(start, end, selection.creationDateTime, selection.guid);
      if (fresh.has(segment) && selection.noteGuids.some((g) => this.starredNotes.has(g))) this.rec.update('segment', segment, { starred: 1 });
      for (const coding of selection.codings) this.coding(coding, segment, selection.guid, stats);
      if (selection.description) this.addDescription('segment', segment, selection.description, selection.creatingUser, selection.creationDateTime);
      this.attachNotes('segment', segment, selection.noteGuids);
    }
    if (source.codings.length > 0 && text.length > 0) {
      const whole = segmentFor(0, text.length, null, null);
      for (const coding of source.codings) this.coding(coding, whole, null, stats);
    }
  }

  private coding(coding: RefiCoding, segment: number, selectionGuid: string | null, stats: { unknownCodes: number }): void {
    const codeId = this.codeByGuid.get(coding.codeGuid);
    if (codeId === undefined) {
      stats.unknownCodes++;
      return;
    }
    const coderId = this.coderOf(coding.creatingUser);
    let tally = this.perCoder.get(coderId);
    if (!tally) {
      const coder = this.db.prepare('SELECT name FROM coder WHERE id = ?').pluck().get(coderId) as string;
      this.perCoder.set(coderId, (tally = { coder, added: 0, alreadyThere: 0 }));
    }
    if (this.db.prepare('SELECT 1 FROM coding WHERE segment_id = ? AND code_id = ? AND coder_id = ?').get(segment, codeId, coderId)) {
      tally.alreadyThere++;
      return;
    }
    const id = this.rec.insert('coding', { segment_id: segment, code_id: codeId, coder_id: coderId, source: 'import', created_at: coding.creationDateTime ?? this.now });
    tally.added++;
    this.counts.codings++;
    this.records.remember('coding', id, coding.guid, selectionGuid ? { selection: this.records.spell(selectionGuid) } : {});
  }
}
