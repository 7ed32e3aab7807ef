import type { Database } from 'better-sqlite3';
import type { WaveMatch, WaveMatchVariable } from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import { plainText } from './infer';

/**
 * Waves: the same question asked in 2024 and 2025 (perhaps once in SurveyMonkey, once in
 * Qualtrics) shares a `variable.concept`, so a cross-tab can put the waves side by side. Matches
 * are proposed at import and shown to the user; `concept_confirmed` records the user's decision.
 */

export function normalizeQuestion(text: string): string {
  return plainText(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface VariableRow {
  id: number;
  dataset_id: number;
  name: string;
  label: string;
  type: string;
  group_label: string | null;
  option_label: string | null;
  concept: string | null;
}

const FAMILY: Record<string, string> = {
  single: 'choice',
  ordinal: 'choice',
  multi: 'multi',
  numeric: 'number',
  weight: 'weight',
  date: 'date',
  text: 'text',
};

function questionKey(v: VariableRow): string {
  const question = normalizeQuestion(v.type === 'multi' ? (v.group_label ?? v.label) : v.label);
  if (question.length < 3) return '';
  return v.option_label ? `${question}|${normalizeQuestion(v.option_label)}` : question;
}

function words(v: VariableRow): Set<string> {
  const text = [v.type === 'multi' ? (v.group_label ?? v.label) : v.label, v.option_label ?? ''].join(' ');
  return new Set(normalizeQuestion(text).split(' ').filter((w) => w.length > 0));
}

function textsAgree(a: VariableRow, b: VariableRow): boolean {
  const hasText = (v: VariableRow) => v.label.trim() !== '' && v.label.trim().toLowerCase() !== v.name.toLowerCase();
  if (!hasText(a) || !hasText(b)) return true;
  const wa = words(a);
  const wb = words(b);
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.max(1, new Set([...wa, ...wb]).size) >= 0.5;
}

/** After a dataset goes, a concept left in one dataset is no match any more. */
export function dropLonelyConcepts(db: Database): void {
  db.prepare(
    'UPDATE variable SET concept = NULL WHERE concept IN (SELECT concept FROM variable WHERE concept IS NOT NULL GROUP BY concept HAVING count(DISTINCT dataset_id) < 2)',
  ).run();
}

/**
 * Proposes, for each variable of a newly imported dataset, the variable of an earlier wave that
 * asks the same thing: same question text first, else the same name with a compatible type.
 * Returns how many variables were matched.
 */
export function matchWaves(db: Database, datasetId: number): number {
  const fresh = db
    .prepare("SELECT id, dataset_id, name, label, type, group_label, option_label, concept FROM variable WHERE dataset_id = ? AND type NOT IN ('metadata', 'id') ORDER BY position")
    .all(datasetId) as VariableRow[];
  const earlier = db
    .prepare("SELECT id, dataset_id, name, label, type, group_label, option_label, concept FROM variable WHERE dataset_id <> ? AND type NOT IN ('metadata', 'id') ORDER BY dataset_id, position")
    .all(datasetId) as VariableRow[];
  if (earlier.length === 0) return 0;
  const byKey = new Map<string, VariableRow[]>();
  const byName = new Map<string, VariableRow[]>();
  for (const v of earlier) {
    const key = questionKey(v);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), v]);
    const name = v.name.toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), v]);
  }
  const setConcept = db.prepare('UPDATE variable SET concept = ?, concept_confirmed = 0, meta = json_set(meta, \'$.matchBasis\', ?) WHERE id = ?');
  const setOwnConcept = db.prepare('UPDATE variable SET concept = ? WHERE id = ? AND concept IS NULL');
  // One earlier variable per dataset can stand for one new variable: no two answers share a partner.
  const taken = new Set<number>();
  let matched = 0;
  for (const v of fresh) {
    const family = FAMILY[v.type];
    const compatible = (c: VariableRow) => !taken.has(c.id) && FAMILY[c.type] === family;
    const key = questionKey(v);
    let partner = key ? byKey.get(key)?.find(compatible) : undefined;
    let basis = 'question text';
    if (!partner) {
      // Generated names (Q1, Q2...) repeat across unrelated surveys: a name alone matches only
      // when the question texts do not disagree.
      partner = byName.get(v.name.toLowerCase())?.find((c) => compatible(c) && textsAgree(v, c));
      basis = 'name';
    }
    if (!partner) continue;
    const concept = partner.concept ?? `v${partner.id}`;
    if (!partner.concept) {
      setOwnConcept.run(concept, partner.id);
      partner.concept = concept;
    }
    // Every earlier variable already under this concept is matched too.
    for (const other of earlier) if (other.concept === concept) taken.add(other.id);
    setConcept.run(concept, basis, v.id);
    matched++;
  }
  return matched;
}

export type { WaveMatch, WaveMatchVariable } from '../../shared/contract/survey';

/** Every concept asked in two or more datasets, with its variables, for the user to review. */
export function waveMatches(db: Database): WaveMatch[] {
  const rows = db
    .prepare(
      `SELECT v.id, v.dataset_id AS datasetId, d.name AS datasetName, d.wave, v.name, v.label, v.type,
              v.option_label AS optionLabel, CASE WHEN v.type = 'multi' THEN v.group_label END AS groupLabel, v.concept, v.concept_confirmed AS confirmed,
              json_extract(v.meta, '$.matchBasis') AS basis
         FROM variable v JOIN dataset d ON d.id = v.dataset_id
        WHERE v.concept IS NOT NULL
          AND v.concept IN (SELECT concept FROM variable WHERE concept IS NOT NULL GROUP BY concept HAVING count(DISTINCT dataset_id) > 1)
        ORDER BY v.concept, d.id, v.position`,
    )
    .all() as (Omit<WaveMatchVariable, 'confirmed'> & { concept: string; confirmed: number })[];
  const out = new Map<string, WaveMatch>();
  for (const row of rows) {
    const match = out.get(row.concept) ?? { concept: row.concept, confirmed: true, variables: [] };
    const { concept: _concept, confirmed, ...rest } = row;
    void _concept;
    match.variables.push({ ...rest, confirmed: confirmed === 1 });
    // The first wave's variable carries no basis (it was the one matched to); the match is confirmed when every later one is.
    if (rest.basis !== null && confirmed !== 1) match.confirmed = false;
    out.set(row.concept, match);
  }
  return [...out.values()];
}

/**
 * The user's decision on a match: accept puts the variables under one concept, confirmed;
 * reject takes each of them out of any concept (a variable left alone in a concept is freed too).
 */
export function confirmMatch(db: Database, variableIds: number[], accept: boolean): WaveMatch[] {
  const rows = variableIds.map((id) => {
    const row = db.prepare('SELECT id, concept FROM variable WHERE id = ?').get(id) as { id: number; concept: string | null } | undefined;
    if (!row) throw new FieldbookError('NOT_FOUND', `There is no variable ${id} in this project.`, { record: id });
    return row;
  });
  db.transaction(() => {
    if (accept) {
      const concept = rows.find((r) => r.concept)?.concept ?? `v${rows[0]!.id}`;
      const update = db.prepare('UPDATE variable SET concept = ?, concept_confirmed = 1 WHERE id = ?');
      for (const row of rows) update.run(concept, row.id);
    } else {
      const update = db.prepare('UPDATE variable SET concept = NULL, concept_confirmed = 1 WHERE id = ?');
      for (const row of rows) update.run(row.id);
      for (const concept of new Set(rows.map((r) => r.concept).filter((c): c is string => c !== null))) {
        const left = db.prepare('SELECT count(DISTINCT dataset_id) AS n FROM variable WHERE concept = ?').get(concept) as { n: number };
        if (left.n < 2) db.prepare('UPDATE variable SET concept = NULL WHERE concept = ?').run(concept);
      }
    }
  })();
  return waveMatches(db);
}

/** "Confirm all suggested matches": every proposed match is accepted as it stands. */
export function confirmAllMatches(db: Database): WaveMatch[] {
  db.prepare(
    `UPDATE variable SET concept_confirmed = 1
      WHERE concept_confirmed = 0 AND concept IN (SELECT concept FROM variable WHERE concept IS NOT NULL GROUP BY concept HAVING count(DISTINCT dataset_id) > 1)`,
  ).run();
  return waveMatches(db);
}
