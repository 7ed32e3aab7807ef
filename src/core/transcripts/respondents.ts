import type { Database } from 'better-sqlite3';
import { loadColumn } from '../survey/store';

/**
 * Survey answers meet interviews through participants linked to a respondent id
 * (participant.dataset_id + respondent_key). Answers are stored by row, so the link is worked
 * out as (dataset, row) → participant and put in a temporary table the search query joins.
 * Only linked participants are looked up: interviewees are a handful next to the respondents.
 */
const lastSignature = new WeakMap<Database, string>();

export function refreshRespondentLinks(db: Database): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS respondent_link (dataset_id INTEGER NOT NULL, row INTEGER NOT NULL, participant_id INTEGER NOT NULL, PRIMARY KEY (dataset_id, row))');
  // Loading an id column costs ~0.1 s per million respondents: redo it only when links or datasets changed.
  const signature = JSON.stringify([
    db.prepare('SELECT id, dataset_id, respondent_key FROM participant WHERE respondent_key IS NOT NULL ORDER BY id').raw().all(),
    db.prepare('SELECT id, imported_at, row_count FROM dataset ORDER BY id').raw().all(),
  ]);
  if (lastSignature.get(db) === signature) return;
  lastSignature.set(db, signature);
  db.exec('DELETE FROM temp.respondent_link');
  const linked = db
    .prepare(
      `SELECT p.id, p.respondent_key AS key, coalesce(p.dataset_id, d.id) AS datasetId
       FROM participant p JOIN dataset d ON (p.dataset_id = d.id OR p.dataset_id IS NULL)
       WHERE p.respondent_key IS NOT NULL`,
    )
    .all() as { id: number; key: string; datasetId: number }[];
  if (linked.length === 0) return;
  const insert = db.prepare('INSERT OR IGNORE INTO temp.respondent_link (dataset_id, row, participant_id) VALUES (?, ?, ?)');
  const byDataset = new Map<number, { id: number; key: string }[]>();
  for (const l of linked) byDataset.set(l.datasetId, [...(byDataset.get(l.datasetId) ?? []), l]);
  for (const [datasetId, people] of byDataset) {
    const idVariable = db.prepare("SELECT id FROM variable WHERE dataset_id = ? AND type = 'id' ORDER BY position LIMIT 1").pluck().get(datasetId) as
      | number
      | undefined;
    if (idVariable === undefined) continue;
    let column;
    try {
      column = loadColumn(db, idVariable);
    } catch {
      continue;
    }
    const rows = new Map<string, number>();
    column.values.forEach((value: unknown, row: number) => {
      if (value !== null && value !== undefined) rows.set(String(value).trim(), row);
    });
    for (const person of people) {
      const row = rows.get(person.key.trim());
      if (row !== undefined) insert.run(datasetId, row, person.id);
    }
  }
}
