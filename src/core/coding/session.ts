import type { CodingSession } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { cached } from '../store/statements';

/**
 * Who is coding and whether they see others' work. Kept in the project's `meta` table so a team
 * member's choice survives reopening; not part of the undo log (it changes no research data).
 */
const CURRENT_CODER = 'coding.current_coder';
const BLIND = 'coding.blind';

function setMeta(project: Project, key: string, value: string): void {
  cached(project.db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

export function coderExists(project: Project, id: number): boolean {
  return !!cached(project.db, 'SELECT 1 FROM coder WHERE id = ?').get(id);
}

export function currentCoderId(project: Project): number {
  const stored = Number(project.meta(CURRENT_CODER));
  if (Number.isInteger(stored) && stored > 0 && coderExists(project, stored)) return stored;
  const first = cached(project.db, 'SELECT id FROM coder ORDER BY id LIMIT 1').get() as { id: number } | undefined;
  if (first) return first.id;
  // A project always has a coder: codings must say who made them.
  return Number(cached(project.db, `INSERT INTO coder (name) VALUES ('me')`).run().lastInsertRowid);
}

export function isBlind(project: Project): boolean {
  return project.meta(BLIND) === '1';
}

/** In blind mode, the only coder whose codings the current user may see; otherwise null (all). */
export function visibleCoder(project: Project): number | null {
  return isBlind(project) ? currentCoderId(project) : null;
}

export function codingSession(project: Project): CodingSession {
  const coders = cached(
    project.db,
    `SELECT c.id, c.name, c.color, (SELECT count(*) FROM coding WHERE coder_id = c.id) AS codingCount
       FROM coder c ORDER BY c.id`,
  ).all() as CodingSession['coders'];
  return { currentCoderId: currentCoderId(project), blind: isBlind(project), coders };
}

export function createCoder(project: Project, name: string, color?: string): CodingSession {
  const clash = cached(project.db, 'SELECT id FROM coder WHERE lower(name) = lower(?)').get(name);
  if (clash) throw new FieldbookError('ALREADY_EXISTS', `There is already a coder called "${name}".`, { field: 'name' });
  cached(project.db, 'INSERT INTO coder (name, color) VALUES (?, ?)').run(name, color ?? '#4c6ef5');
  return codingSession(project);
}

export function chooseCoder(project: Project, id: number): CodingSession {
  if (!coderExists(project, id)) throw new FieldbookError('NOT_FOUND', `There is no coder number ${id}.`, { field: 'id' });
  setMeta(project, CURRENT_CODER, String(id));
  return codingSession(project);
}

export function setBlind(project: Project, blind: boolean): CodingSession {
  setMeta(project, BLIND, blind ? '1' : '0');
  return codingSession(project);
}

export function coderByName(project: Project, name: string): number | undefined {
  const row = cached(project.db, 'SELECT id FROM coder WHERE lower(name) = lower(?)').get(name) as { id: number } | undefined;
  return row?.id;
}
