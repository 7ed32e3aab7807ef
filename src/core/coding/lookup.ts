import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { cached } from '../store/statements';

/**
 * Finds things by what a person types on a command line: an id, a name, or for codes a path
 * "Parent/Child". Ambiguous names are refused with the candidates' ids rather than guessed.
 */
function pick(kind: string, ref: string, rows: { id: number }[], field: string): number {
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) throw new FieldbookError('NOT_FOUND', `There is no ${kind} "${ref}".`, { field });
  throw new FieldbookError('CONFLICT', `Several ${kind}s are called "${ref}" (ids ${rows.map((r) => r.id).join(', ')}); give the id.`, { field });
}

export function resolveDocument(project: Project, ref: string): number {
  const byId = /^\d+$/.test(ref) ? (cached(project.db, 'SELECT id FROM document WHERE id = ?').all(Number(ref)) as { id: number }[]) : [];
  if (byId.length) return byId[0]!.id;
  return pick('document', ref, cached(project.db, 'SELECT id FROM document WHERE name = ?').all(ref) as { id: number }[], '--document');
}

export function resolveCoder(project: Project, ref: string): number {
  const byName = cached(project.db, 'SELECT id FROM coder WHERE lower(name) = lower(?)').all(ref) as { id: number }[];
  if (byName.length) return byName[0]!.id;
  if (/^\d+$/.test(ref)) {
    const byId = cached(project.db, 'SELECT id FROM coder WHERE id = ?').all(Number(ref)) as { id: number }[];
    if (byId.length) return byId[0]!.id;
  }
  throw new FieldbookError('NOT_FOUND', `There is no coder "${ref}".`, { field: '--coders' });
}

export function resolveCode(project: Project, ref: string): number {
  if (/^\d+$/.test(ref)) {
    const byId = cached(project.db, 'SELECT id FROM code WHERE id = ?').all(Number(ref)) as { id: number }[];
    if (byId.length) return byId[0]!.id;
  }
  const exact = cached(project.db, 'SELECT id FROM code WHERE lower(name) = lower(?)').all(ref) as { id: number }[];
  if (exact.length || !ref.includes('/')) return pick('code', ref, exact, '--code');
  let parent: number | null = null;
  for (const part of ref.split('/').map((s) => s.trim())) {
    parent = pick('code', ref, cached(project.db, 'SELECT id FROM code WHERE parent_id IS ? AND lower(name) = lower(?)').all(parent, part) as { id: number }[], '--code');
  }
  return parent!;
}
