import type { Code, DeletePreview, MergeResult } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { cached } from '../store/statements';
import { runOperation, type Recorder } from '../history/history';
import { visibleCoder } from './session';

interface CodeRow {
  id: number;
  parent_id: number | null;
  name: string;
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string;
  shortcut: string | null;
  position: number;
}

export interface CodeFields {
  name?: string;
  parentId?: number | null;
  color?: string;
  definition?: string;
  inclusion?: string;
  exclusion?: string;
  keywords?: string[];
  shortcut?: string | null;
}

/** Colours handed to new codes in turn, chosen to stay readable as highlights. */
export const PALETTE = ['#4c6ef5', '#f76707', '#37b24d', '#e64980', '#1098ad', '#f59f00', '#7048e8', '#d6336c', '#0ca678', '#74b816'];

/**
 * The participant a quote belongs to: the non-interviewer speaker's participant, else the
 * document's participant, else (open-ended answers) the respondent row in its dataset.
 * Used by counts and the quotes view alike so both count people the same way.
 */
export const SEGMENT_TURN_SQL = `(SELECT t2.id FROM turn t2 WHERE t2.document_id = s.document_id AND t2.start_char <= s.start_char
                                   ORDER BY t2.start_char DESC LIMIT 1)`;
export const PARTICIPANT_KEY_SQL = `COALESCE('p' || CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END,
                                             'p' || d.participant_id,
                                             CASE WHEN t.respondent_row IS NOT NULL THEN 'r' || d.id || ':' || t.respondent_row END)`;

function parseKeywords(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

export function getCodeRow(project: Project, id: number): CodeRow {
  const row = cached(project.db, 'SELECT * FROM code WHERE id = ?').get(id) as CodeRow | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no code number ${id}. It may have been deleted.`, { field: 'id' });
  return row;
}

/** The code and every code below it, parents before children. */
export function subtreeIds(project: Project, id: number): number[] {
  const rows = cached(
    project.db,
    `WITH RECURSIVE tree(id, depth) AS (SELECT ?, 0 UNION ALL SELECT c.id, tree.depth + 1 FROM code c JOIN tree ON c.parent_id = tree.id)
     SELECT id FROM tree ORDER BY depth`,
  ).all(id) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Every code with its counts, in tree order (parents first, siblings by position). */
export function listCodes(project: Project): Code[] {
  const rows = cached(project.db, 'SELECT * FROM code ORDER BY position, id').all() as CodeRow[];
  const coder = visibleCoder(project);
  const usage = cached(
    project.db,
    `SELECT c.code_id AS codeId, c.segment_id AS segmentId, ${PARTICIPANT_KEY_SQL} AS pkey
       FROM coding c
       JOIN segment s ON s.id = c.segment_id
       JOIN document d ON d.id = s.document_id
       LEFT JOIN turn t ON t.id = ${SEGMENT_TURN_SQL}
       LEFT JOIN speaker sp ON sp.id = t.speaker_id
      WHERE (@coder IS NULL OR c.coder_id = @coder)`,
  ).all({ coder }) as { codeId: number; segmentId: number; pkey: string | null }[];
  const memoCounts = new Map<number, number>();
  for (const m of cached(project.db, `SELECT target_id AS id, count(*) AS n FROM memo WHERE target_kind = 'code' GROUP BY target_id`).all() as {
    id: number;
    n: number;
  }[])
    memoCounts.set(m.id, m.n);

  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const own = new Map<number, { q: Set<number>; p: Set<string> }>();
  const total = new Map<number, { q: Set<number>; p: Set<string> }>();
  const bucket = (map: typeof own, id: number) => {
    let b = map.get(id);
    if (!b) map.set(id, (b = { q: new Set(), p: new Set() }));
    return b;
  };
  for (const u of usage) {
    const o = bucket(own, u.codeId);
    o.q.add(u.segmentId);
    if (u.pkey) o.p.add(u.pkey);
    let at: number | null | undefined = u.codeId;
    const seen = new Set<number>();
    while (at != null && !seen.has(at)) {
      seen.add(at);
      const b = bucket(total, at);
      b.q.add(u.segmentId);
      if (u.pkey) b.p.add(u.pkey);
      at = parent.get(at);
    }
  }

  const toCode = (r: CodeRow): Code => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    color: r.color,
    definition: r.definition,
    inclusion: r.inclusion,
    exclusion: r.exclusion,
    keywords: parseKeywords(r.keywords),
    shortcut: r.shortcut,
    position: r.position,
    quoteCount: own.get(r.id)?.q.size ?? 0,
    participantCount: own.get(r.id)?.p.size ?? 0,
    totalQuoteCount: total.get(r.id)?.q.size ?? 0,
    totalParticipantCount: total.get(r.id)?.p.size ?? 0,
    memoCount: memoCounts.get(r.id) ?? 0,
  });

  // Depth-first, so a flat list reads as the tree.
  const children = new Map<number | null, CodeRow[]>();
  for (const r of rows) {
    const key = r.parent_id !== null && parent.has(r.parent_id) ? r.parent_id : null;
    const list = children.get(key) ?? [];
    list.push(r);
    children.set(key, list);
  }
  const out: Code[] = [];
  const visit = (key: number | null) => {
    for (const r of children.get(key) ?? []) {
      out.push(toCode(r));
      visit(r.id);
    }
  };
  visit(null);
  return out;
}

export function getCode(project: Project, id: number): Code {
  const found = listCodes(project).find((c) => c.id === id);
  if (!found) throw new FieldbookError('NOT_FOUND', `There is no code number ${id}.`, { field: 'id' });
  return found;
}

function checkName(project: Project, name: string, parentId: number | null, exceptId: number | null): void {
  const clash = cached(
    project.db,
    'SELECT id FROM code WHERE parent_id IS ? AND lower(name) = lower(?) AND id IS NOT ?',
  ).get(parentId, name, exceptId);
  if (clash) {
    throw new FieldbookError('ALREADY_EXISTS', `There is already a code called "${name}" at that level of the codebook.`, {
      field: 'name',
    });
  }
}

function checkShortcut(project: Project, shortcut: string | null | undefined, exceptId: number | null): void {
  if (!shortcut) return;
  const clash = cached(project.db, 'SELECT name FROM code WHERE lower(shortcut) = lower(?) AND id IS NOT ?').get(shortcut, exceptId) as
    | { name: string }
    | undefined;
  if (clash) throw new FieldbookError('CONFLICT', `The shortcut ${shortcut} already belongs to "${clash.name}".`, { field: 'shortcut' });
}

function nextPosition(project: Project, parentId: number | null): number {
  const row = cached(project.db, 'SELECT max(position) AS p FROM code WHERE parent_id IS ?').get(parentId) as { p: number | null };
  return row.p === null ? 0 : row.p + 1;
}

/** Creates a code inside an operation (for callers composing a larger undoable change). */
export function createCodeWith(rec: Recorder, project: Project, fields: CodeFields & { name: string }): number {
  const parentId = fields.parentId ?? null;
  if (parentId !== null) getCodeRow(project, parentId);
  const name = fields.name.trim();
  checkName(project, name, parentId, null);
  checkShortcut(project, fields.shortcut, null);
  const count = (cached(project.db, 'SELECT count(*) AS n FROM code').get() as { n: number }).n;
  return rec.insert('code', {
    parent_id: parentId,
    name,
    color: fields.color ?? PALETTE[count % PALETTE.length],
    definition: fields.definition ?? '',
    inclusion: fields.inclusion ?? '',
    exclusion: fields.exclusion ?? '',
    keywords: JSON.stringify(fields.keywords ?? []),
    shortcut: fields.shortcut ?? null,
    position: nextPosition(project, parentId),
  });
}

export function createCode(project: Project, fields: CodeFields & { name: string }): number {
  return runOperation(project, `Create code "${fields.name.trim()}"`, (rec) => createCodeWith(rec, project, fields));
}

export function updateCode(project: Project, id: number, fields: Omit<CodeFields, 'parentId'>): void {
  const row = getCodeRow(project, id);
  const set: Record<string, unknown> = {};
  if (fields.name !== undefined && fields.name.trim() !== row.name) {
    checkName(project, fields.name.trim(), row.parent_id, id);
    set.name = fields.name.trim();
  }
  if (fields.shortcut !== undefined) {
    checkShortcut(project, fields.shortcut, id);
    set.shortcut = fields.shortcut;
  }
  if (fields.color !== undefined) set.color = fields.color;
  if (fields.definition !== undefined) set.definition = fields.definition;
  if (fields.inclusion !== undefined) set.inclusion = fields.inclusion;
  if (fields.exclusion !== undefined) set.exclusion = fields.exclusion;
  if (fields.keywords !== undefined) set.keywords = JSON.stringify(fields.keywords);
  const what =
    Object.keys(set).length === 1 && set.name ? `Rename "${row.name}" to "${String(set.name)}"` :
    Object.keys(set).length === 1 && set.color ? `Recolour "${row.name}"` : `Edit code "${row.name}"`;
  runOperation(project, what, (rec) => rec.update('code', id, set));
}

/** Puts `ids` (siblings under `parentId`) at positions 0..n-1, logging only what moved. */
function renumber(rec: Recorder, ids: number[]): void {
  ids.forEach((id, index) => rec.update('code', id, { position: index }));
}

function siblings(project: Project, parentId: number | null, exceptId: number): number[] {
  return (
    cached(project.db, 'SELECT id FROM code WHERE parent_id IS ? AND id != ? ORDER BY position, id').all(parentId, exceptId) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

export function moveCode(project: Project, id: number, parentId: number | null, position?: number): void {
  const row = getCodeRow(project, id);
  if (parentId !== null) {
    getCodeRow(project, parentId);
    if (subtreeIds(project, id).includes(parentId)) {
      throw new FieldbookError('CONFLICT', `"${row.name}" cannot go inside itself or one of its own sub-codes.`, { field: 'parentId' });
    }
  }
  checkName(project, row.name, parentId, id);
  const parentName = parentId === null ? 'the top level' : `"${getCodeRow(project, parentId).name}"`;
  runOperation(project, `Move "${row.name}" to ${parentName}`, (rec) => {
    const order = siblings(project, parentId, id);
    const at = Math.min(position ?? order.length, order.length);
    order.splice(at, 0, id);
    rec.update('code', id, { parent_id: parentId });
    renumber(rec, order);
    if (row.parent_id !== parentId) renumber(rec, siblings(project, row.parent_id, id));
  });
}

/** Moves every coding, sub-code, memo and suggestion of `sourceId` to `targetId`, then removes it. */
function mergeOne(rec: Recorder, project: Project, sourceId: number, targetId: number): { moved: number; folded: number } {
  let moved = 0;
  let folded = 0;
  const codings = cached(project.db, 'SELECT id, segment_id, coder_id FROM coding WHERE code_id = ?').all(sourceId) as {
    id: number;
    segment_id: number;
    coder_id: number;
  }[];
  const existing = cached(project.db, 'SELECT id FROM coding WHERE segment_id = ? AND code_id = ? AND coder_id = ?');
  for (const c of codings) {
    if (existing.get(c.segment_id, targetId, c.coder_id)) {
      // The same coder already gave the target code to this quote: one coding is enough.
      rec.remove('coding', c.id);
      folded++;
    } else {
      rec.update('coding', c.id, { code_id: targetId });
      moved++;
    }
  }
  let position = nextPosition(project, targetId);
  for (const child of cached(project.db, 'SELECT id, name FROM code WHERE parent_id = ? ORDER BY position, id').all(sourceId) as {
    id: number;
    name: string;
  }[]) {
    checkName(project, child.name, targetId, child.id);
    rec.update('code', child.id, { parent_id: targetId, position: position++ });
  }
  for (const memo of cached(project.db, `SELECT id FROM memo WHERE target_kind = 'code' AND target_id = ?`).all(sourceId) as {
    id: number;
  }[])
    rec.update('memo', memo.id, { target_id: targetId });
  for (const s of cached(project.db, 'SELECT id FROM suggestion WHERE code_id = ?').all(sourceId) as { id: number }[])
    rec.update('suggestion', s.id, { code_id: targetId });
  const source = getCodeRow(project, sourceId);
  const target = getCodeRow(project, targetId);
  const keywords = [...new Set([...parseKeywords(target.keywords), ...parseKeywords(source.keywords)])];
  rec.update('code', targetId, { keywords: JSON.stringify(keywords) });
  rec.remove('code', sourceId);
  return { moved, folded };
}

export function mergeCodes(project: Project, sourceIds: number[], targetId: number): MergeResult {
  const target = getCodeRow(project, targetId);
  const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
  if (sources.length === 0) throw new FieldbookError('INVALID_INPUT', 'Choose at least one other code to merge into this one.');
  for (const id of sources) {
    const source = getCodeRow(project, id);
    if (subtreeIds(project, id).includes(targetId)) {
      throw new FieldbookError(
        'CONFLICT',
        `"${source.name}" contains "${target.name}". Move "${target.name}" out of it first, or merge the other way round.`,
      );
    }
  }
  const names = sources.map((id) => `"${getCodeRow(project, id).name}"`).join(', ');
  return runOperation(project, `Merge ${names} into "${target.name}"`, (rec) => {
    let moved = 0;
    let folded = 0;
    for (const id of sources) {
      const r = mergeOne(rec, project, id, targetId);
      moved += r.moved;
      folded += r.folded;
    }
    return { targetId, moved, folded };
  });
}

/** Divides a code's quotes among new sub-codes; quotes not listed stay on the code itself. */
export function splitCode(project: Project, id: number, parts: { name: string; color?: string; segmentIds: number[] }[]): number[] {
  const row = getCodeRow(project, id);
  const coded = new Set(
    (cached(project.db, 'SELECT DISTINCT segment_id AS s FROM coding WHERE code_id = ?').all(id) as { s: number }[]).map((r) => r.s),
  );
  const claimed = new Set<number>();
  for (const part of parts) {
    for (const segmentId of part.segmentIds) {
      if (!coded.has(segmentId)) {
        throw new FieldbookError('INVALID_INPUT', `Quote ${segmentId} is not coded with "${row.name}", so it cannot be split off.`, {
          field: 'parts',
        });
      }
      if (claimed.has(segmentId)) {
        throw new FieldbookError('INVALID_INPUT', `Quote ${segmentId} is given to two new sub-codes; give it to one.`, { field: 'parts' });
      }
      claimed.add(segmentId);
    }
  }
  return runOperation(project, `Split "${row.name}"`, (rec) => {
    const created: number[] = [];
    for (const part of parts) {
      const childId = createCodeWith(rec, project, { name: part.name, parentId: id, ...(part.color ? { color: part.color } : {}) });
      created.push(childId);
      for (const segmentId of part.segmentIds) {
        for (const c of cached(project.db, 'SELECT id FROM coding WHERE code_id = ? AND segment_id = ?').all(id, segmentId) as {
          id: number;
        }[])
          rec.update('coding', c.id, { code_id: childId });
      }
    }
    return created;
  });
}

export function deletePreview(project: Project, id: number): DeletePreview {
  getCodeRow(project, id);
  const ids = subtreeIds(project, id);
  const list = ids.join(',');
  const quotes = project.db
    .prepare(
      `SELECT DISTINCT s.id AS segmentId, s.document_id AS documentId, d.name AS documentName, s.start_char AS start,
              s.end_char AS end, s.text, c.code_id AS codeId, k.name AS codeName
         FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id JOIN code k ON k.id = c.code_id
        WHERE c.code_id IN (${list}) ORDER BY d.name, s.start_char`,
    )
    .all() as DeletePreview['quotes'];
  const codingCount = (project.db.prepare(`SELECT count(*) AS n FROM coding WHERE code_id IN (${list})`).get() as { n: number }).n;
  const memoCount = (
    project.db.prepare(`SELECT count(*) AS n FROM memo WHERE target_kind = 'code' AND target_id IN (${list})`).get() as { n: number }
  ).n;
  const names = ids.map((x) => getCodeRow(project, x).name);
  return { codeIds: ids, codeNames: names, codingCount, quotes, memoCount };
}

/** Removes a quote that no longer carries any coding, unless a memo or star keeps it. */
export function dropSegmentIfBare(rec: Recorder, project: Project, segmentId: number): void {
  const seg = cached(project.db, 'SELECT starred FROM segment WHERE id = ?').get(segmentId) as { starred: number } | undefined;
  if (!seg || seg.starred) return;
  if (cached(project.db, 'SELECT 1 FROM coding WHERE segment_id = ? LIMIT 1').get(segmentId)) return;
  if (cached(project.db, `SELECT 1 FROM memo WHERE target_kind = 'segment' AND target_id = ? LIMIT 1`).get(segmentId)) return;
  rec.remove('segment', segmentId);
}

export function deleteCode(project: Project, id: number): DeletePreview {
  const preview = deletePreview(project, id);
  const row = getCodeRow(project, id);
  runOperation(project, `Delete code "${row.name}"`, (rec) => {
    // Children and dependants first, each logged, so undo restores all of it (cascades are not logged).
    for (const codeId of [...preview.codeIds].reverse()) {
      const codings = cached(project.db, 'SELECT id, segment_id FROM coding WHERE code_id = ?').all(codeId) as {
        id: number;
        segment_id: number;
      }[];
      for (const c of codings) {
        rec.remove('coding', c.id);
        dropSegmentIfBare(rec, project, c.segment_id);
      }
      for (const s of cached(project.db, 'SELECT id FROM suggestion WHERE code_id = ?').all(codeId) as { id: number }[])
        rec.remove('suggestion', s.id);
      for (const m of cached(project.db, `SELECT id FROM memo WHERE target_kind = 'code' AND target_id = ?`).all(codeId) as {
        id: number;
      }[])
        rec.remove('memo', m.id);
      rec.remove('code', codeId);
    }
    renumber(rec, siblings(project, row.parent_id, id));
  });
  return preview;
}
