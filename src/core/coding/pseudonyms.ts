import type { Database } from 'better-sqlite3';

/**
 * One pseudonym per participant for the whole project, kept in the file: P03 is the same person in
 * every quote pack, report and export, whatever each one quotes. A person gets the next free
 * number the first time any export needs one, in the order that export first quotes people, so
 * the first pack of a study still starts at P01. An alias is never reused for someone else.
 */
export function projectPseudonyms(db: Database, participantIds: Iterable<number>): Map<number, string> {
  const wanted = [...new Set(participantIds)];
  const out = new Map<number, string>();
  if (wanted.length === 0) return out;
  const known = db.prepare('SELECT alias FROM pseudonym WHERE participant_id = ?').pluck();
  const missing: number[] = [];
  for (const id of wanted) {
    const alias = known.get(id) as string | undefined;
    if (alias === undefined) missing.push(id);
    else out.set(id, alias);
  }
  if (missing.length > 0) {
    db.transaction(() => {
      // Only our own P<number> aliases count towards the next number.
      const aliases = db.prepare('SELECT alias FROM pseudonym').pluck().all() as string[];
      let next = aliases.reduce((max, a) => (/^P\d+$/.test(a) ? Math.max(max, Number(a.slice(1))) : max), 0);
      const insert = db.prepare('INSERT INTO pseudonym (participant_id, alias) VALUES (?, ?)');
      for (const id of missing) {
        next += 1;
        const alias = `P${String(next).padStart(2, '0')}`;
        insert.run(id, alias);
        out.set(id, alias);
      }
    })();
  }
  return out;
}
