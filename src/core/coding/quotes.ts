import type { AnswersContext, Cooccurrence, CooccurrencePair, Quote, QuotesPage } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { getCodeRow, listCodes, SEGMENT_TURN_SQL, subtreeIds } from './codebook';
import { cached } from '../store/statements';
import { visibleCoder } from './session';

export interface QuotesQuery {
  codeId: number;
  includeSubcodes?: boolean;
  filters?: {
    documentId?: number;
    speaker?: string;
    wave?: string;
    starred?: boolean;
    coderId?: number;
    search?: string;
    attributes?: Record<string, string>;
  };
  sort?: 'document' | 'speaker' | 'participant' | 'wave' | 'length' | 'created';
  descending?: boolean;
  limit?: number;
  offset?: number;
}

interface QuoteRow {
  segmentId: number;
  documentId: number;
  documentName: string;
  documentKind: string;
  start: number;
  end: number;
  text: string;
  starred: number;
  createdAt: string;
  codeIds: string;
  coderIds: string;
  speaker: string | null;
  participantId: number | null;
  participant: string | null;
  wave: string | null;
  respondentRow: number | null;
  memoCount: number;
}

/**
 * Every quote of a code (optionally with its sub-codes) with who said it and their attributes.
 * One query gathers the quotes; attributes come in a second query keyed by participant, so the
 * cost stays linear in the number of quotes.
 */
export function listQuotes(project: Project, query: QuotesQuery): QuotesPage {
  getCodeRow(project, query.codeId);
  const codeIds = query.includeSubcodes ? subtreeIds(project, query.codeId) : [query.codeId];
  const blindCoder = visibleCoder(project);
  const coder = query.filters?.coderId ?? blindCoder;
  const rows = project.db
    .prepare(
      `WITH picked AS (
         SELECT c.segment_id, group_concat(DISTINCT c.code_id) AS code_ids, group_concat(DISTINCT c.coder_id) AS coder_ids
           FROM coding c
          WHERE c.code_id IN (${codeIds.map(Number).join(',')}) AND (@coder IS NULL OR c.coder_id = @coder)
          GROUP BY c.segment_id)
       SELECT s.id AS segmentId, s.document_id AS documentId, d.name AS documentName, d.kind AS documentKind,
              s.start_char AS start, s.end_char AS end, s.text, s.starred, s.created_at AS createdAt,
              picked.code_ids AS codeIds, picked.coder_ids AS coderIds,
              sp.display_name AS speaker,
              COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id) AS participantId,
              p.name AS participant,
              COALESCE(NULLIF(ds.wave, ''), NULLIF(pds.wave, ''), ds.name, pds.name) AS wave,
              t.respondent_row AS respondentRow,
              (SELECT count(*) FROM memo m WHERE m.target_kind = 'segment' AND m.target_id = s.id) AS memoCount
         FROM picked
         JOIN segment s ON s.id = picked.segment_id
         JOIN document d ON d.id = s.document_id
         LEFT JOIN turn t ON t.id = ${SEGMENT_TURN_SQL}
         LEFT JOIN speaker sp ON sp.id = t.speaker_id
         LEFT JOIN participant p ON p.id = COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id)
         LEFT JOIN dataset ds ON ds.id = d.dataset_id
         LEFT JOIN dataset pds ON pds.id = p.dataset_id`,
    )
    .all({ coder }) as QuoteRow[];

  const participantIds = [...new Set(rows.map((r) => r.participantId).filter((x): x is number => x !== null))];
  const attributes = new Map<number, Record<string, string | number | null>>();
  const attributeNames = new Set<string>();
  if (participantIds.length > 0) {
    const attrRows = project.db
      .prepare(
        `SELECT pa.participant_id AS pid, a.name, pa.value FROM participant_attribute pa JOIN attribute a ON a.id = pa.attribute_id
          WHERE pa.participant_id IN (${participantIds.join(',')}) ORDER BY a.position, a.name`,
      )
      .all() as { pid: number; name: string; value: string | number | null }[];
    for (const a of attrRows) {
      const map = attributes.get(a.pid) ?? {};
      map[a.name] = a.value;
      attributes.set(a.pid, map);
      attributeNames.add(a.name);
    }
  }

  let quotes: Quote[] = rows.map((r) => ({
    segmentId: r.segmentId,
    documentId: r.documentId,
    documentName: r.documentName,
    documentKind: r.documentKind,
    start: r.start,
    end: r.end,
    text: r.text,
    starred: r.starred === 1,
    codeIds: r.codeIds.split(',').map(Number),
    coderIds: r.coderIds.split(',').map(Number),
    speaker: r.speaker,
    participantId: r.participantId,
    participant: r.participant,
    attributes: (r.participantId !== null && attributes.get(r.participantId)) || {},
    wave: r.wave,
    respondentRow: r.respondentRow,
    memoCount: r.memoCount,
  }));
  const speakers = [...new Set(quotes.map((q) => q.speaker).filter((s): s is string => !!s))].sort();
  const waves = [...new Set(quotes.map((q) => q.wave).filter((s): s is string => !!s))].sort();
  const createdAt = new Map(rows.map((r) => [r.segmentId, r.createdAt]));

  const f = query.filters ?? {};
  const needle = f.search?.trim().toLocaleLowerCase();
  quotes = quotes.filter(
    (q) =>
      (f.documentId === undefined || q.documentId === f.documentId) &&
      (f.speaker === undefined || q.speaker === f.speaker) &&
      (f.wave === undefined || q.wave === f.wave) &&
      (f.starred === undefined || q.starred === f.starred) &&
      (!needle || q.text.toLocaleLowerCase().includes(needle)) &&
      Object.entries(f.attributes ?? {}).every(([name, value]) => String(q.attributes[name] ?? '') === value),
  );

  const text = (v: string | null) => v ?? '\uffff';
  // One collator for the whole sort: String.localeCompare builds one per call.
  const collator = new Intl.Collator(undefined, { numeric: true });
  const compare: Record<NonNullable<QuotesQuery['sort']>, (a: Quote, b: Quote) => number> = {
    document: (a, b) => collator.compare(a.documentName, b.documentName) || a.documentId - b.documentId || a.start - b.start,
    speaker: (a, b) => collator.compare(text(a.speaker), text(b.speaker)),
    participant: (a, b) => collator.compare(text(a.participant), text(b.participant)),
    wave: (a, b) => collator.compare(text(a.wave), text(b.wave)),
    length: (a, b) => a.end - a.start - (b.end - b.start),
    created: (a, b) => (createdAt.get(a.segmentId) ?? '').localeCompare(createdAt.get(b.segmentId) ?? '') || a.segmentId - b.segmentId,
  };
  const sort = compare[query.sort ?? 'document'];
  const sign = query.descending ? -1 : 1;
  quotes.sort((a, b) => sign * (sort(a, b) || compare.document(a, b)));
  const total = quotes.length;
  const offset = query.offset ?? 0;
  const page = quotes.slice(offset, offset + (query.limit ?? 500));
  return { total, quotes: page, attributeNames: [...attributeNames], speakers, waves };
}

/** How many overlapping passages each pair of codes shares (a passage pair shares ≥ 1 character). */
export function runCooccurrence(project: Project, codeIds?: number[]): Cooccurrence {
  const coder = visibleCoder(project);
  // Tree order and the same (blind-aware) counts as the codebook.
  const codes = listCodes(project)
    .filter((c) => !codeIds || codeIds.includes(c.id))
    .map((c) => ({ id: c.id, name: c.name, color: c.color, quoteCount: c.quoteCount }));
  const wanted = codes.map((c) => c.id).join(',');
  if (!wanted) return { codes, cells: [] };
  // A sweep over each document's quotes sorted by start: only quotes that overlap are compared,
  // so a long, densely coded document costs n·log n plus the overlaps, not n².
  const rows = project.db
    .prepare(
      `SELECT DISTINCT c.code_id AS code, s.id AS sid, s.document_id AS doc, s.start_char AS a, s.end_char AS b
         FROM coding c JOIN segment s ON s.id = c.segment_id
        WHERE c.code_id IN (${wanted}) AND (@coder IS NULL OR c.coder_id = @coder)
        ORDER BY s.document_id, s.start_char`,
    )
    .all({ coder }) as { code: number; sid: number; doc: number; a: number; b: number }[];
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]!;
    for (let j = i + 1; j < rows.length; j++) {
      const y = rows[j]!;
      if (y.doc !== x.doc || y.a >= x.b) break;
      if (y.code === x.code) continue;
      const key = x.code < y.code ? `${x.code},${y.code}` : `${y.code},${x.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const cells = [...counts.entries()]
    .map(([key, count]) => {
      const [codeA, codeB] = key.split(',').map(Number) as [number, number];
      return { codeA, codeB, count };
    })
    .sort((p, q) => q.count - p.count || p.codeA - q.codeA || p.codeB - q.codeB);
  return { codes, cells };
}

/** The passages behind one co-occurrence cell, to read them in context. */
export function cooccurrencePairs(project: Project, codeA: number, codeB: number): CooccurrencePair[] {
  getCodeRow(project, codeA);
  getCodeRow(project, codeB);
  const coder = visibleCoder(project);
  const rows = cached(
    project.db,
    `WITH q AS (
       SELECT DISTINCT c.code_id, s.id AS sid, s.document_id AS doc, s.start_char AS a, s.end_char AS b, s.text
         FROM coding c JOIN segment s ON s.id = c.segment_id
        WHERE c.code_id IN (@codeA, @codeB) AND (@coder IS NULL OR c.coder_id = @coder))
     SELECT x.doc AS documentId, d.name AS documentName,
            x.sid AS aId, x.a AS aStart, x.b AS aEnd, x.text AS aText,
            y.sid AS bId, y.a AS bStart, y.b AS bEnd, y.text AS bText
       FROM q x JOIN q y ON y.doc = x.doc AND y.a < x.b AND x.a < y.b
       JOIN document d ON d.id = x.doc
      WHERE x.code_id = @codeA AND y.code_id = @codeB
      ORDER BY d.name, x.a`,
  ).all({ codeA, codeB, coder }) as {
    documentId: number;
    documentName: string;
    aId: number;
    aStart: number;
    aEnd: number;
    aText: string;
    bId: number;
    bStart: number;
    bEnd: number;
    bText: string;
  }[];
  return rows.map((r) => ({
    documentId: r.documentId,
    documentName: r.documentName,
    a: { segmentId: r.aId, start: r.aStart, end: r.aEnd, text: r.aText },
    b: { segmentId: r.bId, start: r.bStart, end: r.bEnd, text: r.bText },
  }));
}


export function answersContext(project: Project, documentId: number): AnswersContext {
  const row = cached(
    project.db,
    `SELECT d.id AS documentId, d.dataset_id AS datasetId, ds.name AS datasetName, NULLIF(ds.wave, '') AS wave,
            d.variable_id AS variableId, v.name AS variableName, NULLIF(v.label, '') AS question
       FROM document d LEFT JOIN dataset ds ON ds.id = d.dataset_id LEFT JOIN variable v ON v.id = d.variable_id
      WHERE d.id = ?`,
  ).get(documentId) as AnswersContext | undefined;
  if (!row) throw new FieldbookError('NOT_FOUND', `There is no document number ${documentId}.`, { field: 'documentId' });
  return row;
}
