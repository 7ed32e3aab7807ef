import type { Database } from 'better-sqlite3';
import crypto from 'node:crypto';
import type { TableSource } from '../../shared/contract/tables';

/**
 * Fingerprints of the data a number was read from, so an exported figure names exactly what it
 * stands on: a hash of each dataset's stored answers, labels and questions, and of the codings
 * of the codes involved. Two equal fingerprints mean the same inputs; the report shows the first
 * 12 hex digits (enough to tell versions apart, short enough to print under a chart).
 */

/** Dataset hashes by database, valid while analysis_generation stands still (it moves on any answer change). */
const datasetCache = new WeakMap<Database, { generation: number; hashes: Map<number, string> }>();

function generation(db: Database): number {
  const row = db.prepare('SELECT value FROM analysis_generation WHERE id = 1').get() as { value: number } | undefined;
  return row?.value ?? 0;
}

export function datasetHash(db: Database, datasetId: number): string {
  const now = generation(db);
  let cache = datasetCache.get(db);
  if (!cache || cache.generation !== now) datasetCache.set(db, (cache = { generation: now, hashes: new Map() }));
  const known = cache.hashes.get(datasetId);
  if (known) return known;
  const hash = crypto.createHash('sha256');
  const dataset = db.prepare('SELECT id, wave, row_count FROM dataset WHERE id = ?').get(datasetId) as { id: number; wave: string; row_count: number } | undefined;
  hash.update(JSON.stringify(dataset ?? null));
  const variables = db.prepare('SELECT id, name, type, missing, question_group, concept FROM variable WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number }[];
  const labels = db.prepare('SELECT code, label, is_missing, nonsubstantive FROM value_label WHERE variable_id = ? ORDER BY position, code');
  const data = db.prepare('SELECT encoding, data FROM variable_data WHERE variable_id = ?');
  for (const variable of variables) {
    hash.update(JSON.stringify(variable));
    hash.update(JSON.stringify(labels.all(variable.id)));
    const stored = data.get(variable.id) as { encoding: string; data: Buffer } | undefined;
    if (stored) hash.update(stored.encoding).update(stored.data);
  }
  // Open answers live as turns of their document (see survey/store.ts documentColumn).
  for (const turn of db
    .prepare("SELECT t.respondent_row, t.start_char, t.end_char FROM turn t JOIN document d ON d.id = t.document_id WHERE d.dataset_id = ? AND d.kind = 'survey_text' ORDER BY t.id")
    .raw()
    .iterate(datasetId) as IterableIterator<unknown[]>)
    hash.update(turn.join(','));
  const hex = hash.digest('hex');
  cache.hashes.set(datasetId, hex);
  return hex;
}

/** The codings of the given codes (every code when null), with who each quote belongs to. */
export function codingHash(db: Database, codeIds: number[] | null): string {
  const hash = crypto.createHash('sha256');
  const wanted = codeIds === null ? null : new Set(codeIds);
  const rows = db
    .prepare(
      `SELECT c.code_id, c.segment_id, c.coder_id, s.document_id, s.start_char, s.end_char, d.participant_id, d.dataset_id
         FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = s.document_id
        ORDER BY c.code_id, c.segment_id, c.coder_id`,
    )
    .raw()
    .all() as unknown[][];
  for (const row of rows) if (wanted === null || wanted.has(row[0] as number)) hash.update(`${row.join(',')}\n`);
  // Speakers decide whose a quote is (counts of participants).
  hash.update(JSON.stringify(db.prepare('SELECT id, document_id, is_interviewer, participant_id FROM speaker ORDER BY id').raw().all()));
  return hash.digest('hex');
}

function attributeHash(db: Database): string {
  const rows = db.prepare('SELECT participant_id, attribute_id, value FROM participant_attribute ORDER BY participant_id, attribute_id').raw().all();
  return crypto.createHash('sha256').update(JSON.stringify(rows)).update(JSON.stringify(db.prepare('SELECT id, name FROM participant ORDER BY id').raw().all())).digest('hex');
}

function combine(parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 12);
}

/** What a saved table reads: its definition, and its datasets (or the participants and all codings). */
export function tableFingerprint(db: Database, specJson: string, source: TableSource): string {
  if (source.kind === 'dataset') {
    const parts = [specJson, ...source.datasetIds.map((id) => `d${id}:${datasetHash(db, id)}`)];
    // Codes used as questions ("code:12", "codes:*") make the table read the codings too.
    if (/"codes?:/.test(specJson)) parts.push(`c:${codingHash(db, null)}`);
    return combine(parts);
  }
  return combine([specJson, `a:${attributeHash(db)}`, `c:${codingHash(db, null)}`]);
}

export function codeFingerprint(db: Database, codeIds: number[]): string {
  return combine([codeIds.join(','), `c:${codingHash(db, codeIds)}`]);
}
