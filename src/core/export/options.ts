import type { ExportOptions } from '../../shared/contract/exports';
import type { Project } from '../store/project';
import { codeTree } from './quotes/collect';

/** The choices of the Exports page, read in one go. */
export function exportOptions(project: Project): ExportOptions {
  const db = project.db;
  const quotes = new Map(
    (db.prepare('SELECT code_id AS id, count(DISTINCT segment_id) AS n FROM coding GROUP BY code_id').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]),
  );
  // Values as the quote pack's filter compares them: JavaScript's text of the stored value
  // (SQLite would print a REAL 41 as "41.0").
  const values = db
    .prepare('SELECT a.name, pa.value FROM attribute a JOIN participant_attribute pa ON pa.attribute_id = a.id WHERE pa.value IS NOT NULL')
    .all() as { name: string; value: string | number }[];
  const attributes = new Map<string, Set<string>>();
  for (const name of (db.prepare('SELECT name FROM attribute ORDER BY position, id').all() as { name: string }[]).map((r) => r.name)) attributes.set(name, new Set());
  for (const v of values) if (String(v.value) !== '') attributes.get(v.name)?.add(String(v.value));
  const counts = db
    .prepare('SELECT (SELECT count(*) FROM document) AS documents, (SELECT count(*) FROM segment) AS quotes, (SELECT count(*) FROM segment WHERE starred = 1) AS starred')
    .get() as ExportOptions['counts'];
  return {
    codes: codeTree(project).map((c) => ({ id: c.id, path: c.path, depth: c.depth, quotes: quotes.get(c.id) ?? 0 })),
    savedTables: db.prepare('SELECT id, name FROM saved_table ORDER BY name, id').all() as { id: number; name: string }[],
    attributes: [...attributes].map(([name, set]) => ({ name, values: [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })) })),
    waves: (db.prepare("SELECT DISTINCT wave FROM dataset WHERE wave != '' ORDER BY wave").all() as { wave: string }[]).map((r) => r.wave),
    counts,
  };
}
