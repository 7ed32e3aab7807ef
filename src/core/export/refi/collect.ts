import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Job } from '../../context';
import type { Project } from '../../store/project';
import { describeCode, parseDescription } from '../../coding/qdc';
import {
  STARRED_NOTE,
  type RefiCase,
  type RefiCode,
  type RefiNote,
  type RefiProject,
  type RefiSelection,
  type RefiTextSource,
} from './model';
import { OffsetMap } from '../../coding/offsets';
import type { GuidKind } from './records';


/**
 * GUIDs per object, read from exchange_guid; objects without one get a fresh GUID that is
 * saved, so the next export (and the other tool) sees the same identity.
 */
export class GuidBook {
  private readonly known = new Map<string, string>();
  private readonly extras = new Map<string, Record<string, unknown>>();
  private readonly fresh: { kind: GuidKind; id: number; guid: string }[] = [];

  constructor(private readonly db: Database) {
    const rows = db.prepare('SELECT kind, local_id AS id, guid, extra FROM exchange_guid').all() as { kind: string; id: number; guid: string; extra: string }[];
    for (const row of rows) {
      this.known.set(`${row.kind}:${row.id}`, row.guid);
      if (row.extra !== '{}') this.extras.set(`${row.kind}:${row.id}`, JSON.parse(row.extra) as Record<string, unknown>);
    }
  }

  /** What the tool that wrote an imported object said of it that has no column here (exchange_guid.extra). */
  extra(kind: GuidKind, id: number): Record<string, unknown> {
    return this.extras.get(`${kind}:${id}`) ?? {};
  }

  /** Whether an object has a GUID already (without minting one). */
  has(kind: GuidKind, id: number): boolean {
    return this.known.has(`${kind}:${id}`);
  }

  get(kind: GuidKind, id: number): string {
    const key = `${kind}:${id}`;
    let guid = this.known.get(key);
    if (!guid) {
      guid = randomUUID().toUpperCase();
      this.known.set(key, guid);
      this.fresh.push({ kind, id, guid });
    }
    return guid;
  }

  /** Saves the GUIDs minted during this export. */
  save(): void {
    if (this.fresh.length === 0) return;
    const insert = this.db.prepare('INSERT OR IGNORE INTO exchange_guid (kind, local_id, guid) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const row of this.fresh) insert.run(row.kind, row.id, row.guid);
    })();
    this.fresh.length = 0;
  }
}

interface CodeRow {
  id: number;
  parent_id: number | null;
  name: string;
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string;
}

interface CodingRow {
  id: number;
  segment_id: number;
  code_id: number;
  coder_id: number;
  created_at: string;
}

interface MemoRow {
  id: number;
  target_kind: string;
  target_id: number | null;
  coder_id: number | null;
  title: string;
  body: string;
  created_at: string;
}

/** Reads the whole project into the REFI model (offsets converted to code points). */
export async function collectProject(project: Project, job: Job, options: { codesOnly?: boolean } = {}): Promise<{ refi: RefiProject; guids: GuidBook; userGuid: string | null }> {
  const db = project.db;
  const guids = new GuidBook(db);
  const notes: RefiNote[] = [];

  const coders = db.prepare('SELECT id, name FROM coder ORDER BY id').all() as { id: number; name: string }[];
  const users = coders.map((c) => ({ guid: guids.get('coder', c.id), name: c.name }));
  const coderGuid = (id: number | null) => (id === null ? null : guids.get('coder', id));

  const memos = db.prepare('SELECT id, target_kind, target_id, coder_id, title, body, created_at FROM memo ORDER BY id').all() as MemoRow[];
  const memosFor = new Map<string, MemoRow[]>();
  for (const memo of memos) {
    const key = `${memo.target_kind}:${memo.target_id ?? ''}`;
    memosFor.set(key, [...(memosFor.get(key) ?? []), memo]);
  }
  const noteFor = (memo: MemoRow): string => {
    const guid = guids.get('memo', memo.id);
    notes.push({ guid, name: memo.title, text: memo.body, creatingUser: coderGuid(memo.coder_id), creationDateTime: memo.created_at });
    return guid;
  };
  const noteRefs = (kind: string, id: number): string[] => (memosFor.get(`${kind}:${id}`) ?? []).map(noteFor);

  const codeRows = db.prepare('SELECT id, parent_id, name, color, definition, inclusion, exclusion, keywords FROM code ORDER BY position, id').all() as CodeRow[];
  const childrenOf = new Map<number | null, CodeRow[]>();
  for (const row of codeRows) childrenOf.set(row.parent_id, [...(childrenOf.get(row.parent_id) ?? []), row]);
  const buildCode = (row: CodeRow): RefiCode => {
    const guid = guids.get('code', row.id);
    // Inclusion, exclusion and keywords have no REFI field: they travel in the description, in
    // labelled paragraphs (the coding area's .qdc convention), which other tools show as text.
    let keywords: string[] = [];
    try {
      const parsed: unknown = JSON.parse(row.keywords);
      if (Array.isArray(parsed)) keywords = parsed.filter((k): k is string => typeof k === 'string');
    } catch {
      keywords = [];
    }
    const extra = guids.extra('code', row.id);
    const description = describeCode({ definition: row.definition, inclusion: row.inclusion, exclusion: row.exclusion, keywords });
    // The description as the other tool wrote it (its spacing and line breaks) while it still says the same.
    const written = typeof extra.description === 'string' && describeCode(parseDescription(extra.description)) === description ? extra.description : description;
    return {
      guid,
      name: row.name,
      // A code that came without a colour goes back without one, unless it was given one here since.
      color: extra.colorless === row.color ? null : row.color,
      description: written,
      isCodable: extra.isCodable !== false,
      noteGuids: noteRefs('code', row.id),
      children: (childrenOf.get(row.id) ?? []).map(buildCode),
    };
  };
  const codes = (childrenOf.get(null) ?? []).map(buildCode);

  // A project that came from another tool keeps its name, origin and creation date.
  const about = guids.extra('project', 0);
  const setRows = db.prepare('SELECT id, name, description, members FROM exchange_set ORDER BY id').all() as { id: number; name: string; description: string; members: string }[];
  const refi: RefiProject = {
    name: typeof about.name === 'string' ? about.name : project.name,
    origin: typeof about.origin === 'string' ? about.origin : 'Fieldbook',
    creatingUser: null,
    creationDateTime: typeof about.creationDateTime === 'string' ? about.creationDateTime : null,
    sets: [],
    spelling: new Map(),
    users,
    codes,
    variables: [],
    cases: [],
    sources: [],
    notes,
    projectNoteGuids: [],
    notImported: [],
  };
  refi.sets = setRows.map((row) => {
    const members = JSON.parse(row.members) as { kind: 'code' | 'document'; id: number }[];
    // Members deleted here since the import leave the set.
    const exists = (m: { kind: string; id: number }) => db.prepare(`SELECT 1 FROM ${m.kind === 'code' ? 'code' : 'document'} WHERE id = ?`).get(m.id) !== undefined;
    const live = members.filter(exists);
    return {
      guid: guids.get('set', row.id),
      name: row.name,
      description: row.description,
      codeGuids: live.filter((m) => m.kind === 'code').map((m) => guids.get('code', m.id)),
      sourceGuids: options.codesOnly ? [] : live.filter((m) => m.kind === 'document').map((m) => guids.get('document', m.id)),
    };
  });
  if (options.codesOnly) return { refi, guids, userGuid: users[0]?.guid ?? null };

  const attributes = db.prepare('SELECT id, name, type FROM attribute ORDER BY position, id').all() as { id: number; name: string; type: string }[];
  refi.variables = attributes.map((a) => ({
    guid: guids.get('attribute', a.id),
    name: a.name,
    type: a.type === 'number' ? 'Float' : 'Text',
    description: '',
  }));
  const attributeGuid = new Map(attributes.map((a) => [a.id, guids.get('attribute', a.id)]));

  const participants = db.prepare('SELECT id, name FROM participant ORDER BY id').all() as { id: number; name: string }[];
  const values = db.prepare('SELECT participant_id, attribute_id, value FROM participant_attribute ORDER BY attribute_id').all() as {
    participant_id: number;
    attribute_id: number;
    value: string | number | null;
  }[];
  const linked = db
    .prepare(
      `SELECT participant_id, id AS document_id FROM document WHERE participant_id IS NOT NULL
       UNION SELECT participant_id, document_id FROM speaker WHERE participant_id IS NOT NULL ORDER BY 1, 2`,
    )
    .all() as { participant_id: number; document_id: number }[];
  const cases = new Map<number, RefiCase>();
  for (const p of participants) {
    const memoText = (memosFor.get(`participant:${p.id}`) ?? []).map((m) => m.body).join('\n\n');
    cases.set(p.id, { guid: guids.get('participant', p.id), name: p.name, description: memoText, values: [], sourceGuids: [] });
  }
  for (const v of values) {
    const variableGuid = attributeGuid.get(v.attribute_id);
    const target = cases.get(v.participant_id);
    if (target && variableGuid && v.value !== null) target.values.push({ variableGuid, value: v.value });
  }
  for (const link of linked) cases.get(link.participant_id)?.sourceGuids.push(guids.get('document', link.document_id));
  refi.cases = [...cases.values()];

  const documents = db.prepare('SELECT id, name, text, imported_at FROM document ORDER BY id').all() as {
    id: number;
    name: string;
    text: string;
    imported_at: string;
  }[];
  // Local id 0 is never a memo's id: it names the one note that stands for "starred".
  let starredGuid: string | null = null;
  const starredNote = (): string => {
    if (!starredGuid) {
      starredGuid = guids.get('memo', 0);
      notes.push({ guid: starredGuid, name: STARRED_NOTE, text: 'Quotes starred in Fieldbook refer to this note.', creatingUser: null, creationDateTime: null });
    }
    return starredGuid;
  };
  const segmentsOf = db.prepare('SELECT id, start_char, end_char, text, starred, created_at FROM segment WHERE document_id = ? ORDER BY start_char, end_char, id');
  const codingsOf = db.prepare('SELECT id, segment_id, code_id, coder_id, created_at FROM coding WHERE segment_id IN (SELECT id FROM segment WHERE document_id = ?) ORDER BY id');
  const sources: RefiTextSource[] = [];
  let done = 0;
  for (const doc of documents) {
    const map = new OffsetMap(doc.text);
    const codingRows = codingsOf.all(doc.id) as CodingRow[];
    const bySegment = new Map<number, typeof codingRows>();
    for (const c of codingRows) bySegment.set(c.segment_id, [...(bySegment.get(c.segment_id) ?? []), c]);
    const selections: RefiSelection[] = (segmentsOf.all(doc.id) as { id: number; start_char: number; end_char: number; text: string; starred: number; created_at: string }[]).flatMap((s) => {
      const own = guids.get('segment', s.id);
      // Quotes another tool wrote as several selections of one span go back as those selections,
      // each with its own GUID and codings (exchange_guid.extra of a coding names its selection).
      const groups = new Map<string, CodingRow[]>([[own.toUpperCase(), []]]);
      for (const c of bySegment.get(s.id) ?? []) {
        const selection = guids.extra('coding', c.id).selection;
        const key = typeof selection === 'string' ? selection.toUpperCase() : own.toUpperCase();
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      const spelled = (key: string) => (key === own.toUpperCase() ? own : (guids.extra('coding', (groups.get(key) ?? [])[0]?.id ?? 0).selection as string));
      return [...groups.entries()]
        .filter(([key, codings], index) => index === 0 || codings.length > 0 || key === own.toUpperCase())
        .map(([key, codings], index) => ({
          guid: spelled(key),
          name: s.text.length > 80 ? `${s.text.slice(0, 79)}…` : s.text,
          start: map.toCodePoint(s.start_char),
          end: map.toCodePoint(s.end_char),
          description: '',
          creatingUser: coderGuid(codings[0]?.coder_id ?? null),
          creationDateTime: s.created_at,
          codings: codings.map((c) => ({
            guid: guids.get('coding', c.id),
            codeGuid: guids.get('code', c.code_id),
            creatingUser: coderGuid(c.coder_id),
            creationDateTime: c.created_at,
          })),
          noteGuids: index > 0 ? [] : [...(s.starred ? [starredNote()] : []), ...noteRefs('segment', s.id)],
        }));
    });
    const about = guids.extra('document', doc.id);
    const stated = (key: string) => (typeof about[key] === 'string' ? (about[key] as string) : null);
    sources.push({
      guid: guids.get('document', doc.id),
      name: doc.name,
      text: doc.text,
      textPath: null,
      description: '',
      creatingUser: stated('creatingUser'),
      creationDateTime: stated('creationDateTime') ?? doc.imported_at,
      modifyingUser: stated('modifyingUser'),
      modifiedDateTime: stated('modifiedDateTime'),
      selections,
      codings: [],
      noteGuids: noteRefs('document', doc.id),
    });
    done++;
    job.progress(done, documents.length, `Collecting ${doc.name}`);
    if (done % 50 === 0) await job.checkpoint();
  }
  refi.sources = sources;
  refi.projectNoteGuids = [...(memosFor.get('project:') ?? []), ...memos.filter((m) => m.target_kind === 'project' && m.target_id !== null)].map(noteFor);
  return { refi, guids, userGuid: users[0]?.guid ?? null };
}
