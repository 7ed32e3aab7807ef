import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ReviewResult, SuggestionEvidence, SuggestionItem, SuggestRunResult } from '../../shared/contract/suggest';
import { FieldbookError } from '../../shared/errors';
import type { Job } from '../context';
import { runOperation } from '../history/history';
import { applyCodingWith, DocumentTexts } from '../coding/segments';
import { currentCoderId, visibleCoder } from '../coding/session';
import type { Project } from '../store/project';
import { Suggester, type CodeSpec, type Evidence, type SuggesterState, type TrainingPassage } from './engine/model';
import { tokenize } from './engine/tokenize';
import { codedSpans, overlaps, passagesOf, type Scope } from './passages';
import { sentimentLabel, sentimentOf } from './sentiment';

const MODEL_KEY = 'suggest';
/** Below this a suggestion is noise: not stored, not shown. */
export const DEFAULT_MIN_SCORE = 0.2;
/** At most this many codes are suggested for one passage. */
const PER_PASSAGE = 3;

const keywordsSchema = z.array(z.string());

export function codeSpecs(project: Project): CodeSpec[] {
  const rows = project.db
    .prepare('SELECT id, name, definition, inclusion, keywords FROM code ORDER BY id')
    .all() as { id: number; name: string; definition: string; inclusion: string; keywords: string }[];
  return rows.map((r) => {
    let keywords: string[] = [];
    try {
      const parsed = keywordsSchema.safeParse(JSON.parse(r.keywords));
      if (parsed.success) keywords = parsed.data;
    } catch {
      // A damaged keywords cell only loses the keyword source for that code.
    }
    return { key: String(r.id), name: r.name, definition: [r.definition, r.inclusion].filter(Boolean).join('\n'), keywords };
  });
}

/**
 * What the model learns from: every coded quote with all its codes (any coder, any source), and
 * each rejected suggestion's passage as an example of none of its codes.
 */
export function trainingData(project: Project): TrainingPassage[] {
  // In blind coding the model learns from the current coder's work only: suggestions and their
  // "most similar quote" must not reveal what the other coders did.
  const coder = visibleCoder(project);
  const rows = project.db
    .prepare(
      `SELECT s.id, s.document_id AS documentId, s.text, group_concat(DISTINCT c.code_id) AS codes
         FROM segment s JOIN coding c ON c.segment_id = s.id
        WHERE (@coder IS NULL OR c.coder_id = @coder) GROUP BY s.id ORDER BY s.id`,
    )
    .all({ coder }) as { id: number; documentId: number; text: string; codes: string }[];
  const out: TrainingPassage[] = rows.map((r) => ({
    text: r.text,
    codes: r.codes.split(',').sort(),
    group: String(r.documentId),
    ref: r.id,
  }));
  const rejected = project.db
    .prepare(
      `SELECT DISTINCT g.document_id AS documentId, g.start_char AS start, g.end_char AS end
         FROM suggestion g
        WHERE g.status = 'rejected' AND (g.coder_id IS NULL OR g.coder_id = @me) AND NOT EXISTS (
          SELECT 1 FROM segment s JOIN coding c ON c.segment_id = s.id
           WHERE s.document_id = g.document_id AND s.start_char = g.start_char AND s.end_char = g.end_char
             AND (@coder IS NULL OR c.coder_id = @coder))
        ORDER BY g.document_id, g.start_char`,
    )
    .all({ coder, me: currentCoderId(project) }) as { documentId: number; start: number; end: number }[];
  const passage = passageReader(project);
  for (const r of rejected) out.push({ text: passage(r.documentId, r.start, r.end), codes: [], group: String(r.documentId) });
  return out;
}

export function fingerprint(passages: readonly TrainingPassage[], codes: readonly CodeSpec[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(codes));
  for (const p of passages) hash.update(`${p.ref ?? ''}|${p.group ?? ''}|${p.codes.join(',')}|${p.text}\n`);
  return hash.digest('hex').slice(0, 16);
}

const cache = new WeakMap<Project, { version: string; suggester: Suggester }>();

function saveState(project: Project, version: string, state: SuggesterState): void {
  // Delete then insert rather than an upsert: an upsert's conflict policy overrides that of the
  // statements its triggers run (the test core's write recorder among them).
  project.transaction(() => {
    project.db.prepare('DELETE FROM model_state WHERE key = ?').run(MODEL_KEY);
    project.db
      .prepare(`INSERT INTO model_state (key, version, data, trained_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
      .run(MODEL_KEY, version, Buffer.from(JSON.stringify(state), 'utf8'));
  });
}

/** Keeps a model trained elsewhere (the background retrain's worker) as the project's current one. */
export function rememberModel(project: Project, version: string, state: SuggesterState): void {
  saveState(project, version, state);
  // The next run restores it from the saved state (same version) instead of training again.
  cache.delete(project);
}

/**
 * The project's model, trained on its current coding. Reused from memory or from model_state when
 * the coding has not changed (same fingerprint); otherwise retrained (about a second for 2,000
 * quotes) and saved.
 */
export function currentModel(project: Project): { version: string; suggester: Suggester; trainedOn: number } {
  const passages = trainingData(project);
  const codes = codeSpecs(project);
  const version = fingerprint(passages, codes);
  const hit = cache.get(project);
  if (hit && hit.version === version) return { ...hit, trainedOn: passages.length };
  const saved = project.db.prepare('SELECT version, data FROM model_state WHERE key = ?').get(MODEL_KEY) as
    | { version: string; data: Buffer }
    | undefined;
  let suggester: Suggester | null = null;
  if (saved && saved.version === version) {
    try {
      suggester = Suggester.restore(JSON.parse(saved.data.toString('utf8')) as SuggesterState);
    } catch {
      suggester = null; // a damaged state is simply retrained
    }
  }
  if (!suggester) {
    suggester = Suggester.train(passages, codes);
    saveState(project, version, suggester.state());
  }
  cache.set(project, { version, suggester });
  return { version, suggester, trainedOn: passages.length };
}

export function toStoredEvidence(e: Evidence): SuggestionEvidence {
  return {
    terms: e.terms,
    similar: e.similar ? { text: e.similar.text, segmentId: e.similar.ref, similarity: e.similar.similarity } : null,
    keywords: e.keywords,
    parts: e.parts,
  };
}

export async function runSuggestions(
  project: Project,
  input: Scope & { unit?: 'turn' | 'sentence' | undefined; minScore?: number | undefined; interviewers?: boolean | undefined },
  job: Job,
): Promise<SuggestRunResult> {
  const started = performance.now();
  if (input.codeId !== undefined && !project.db.prepare('SELECT 1 FROM code WHERE id = ?').get(input.codeId)) {
    throw new FieldbookError('NOT_FOUND', `There is no code number ${input.codeId}.`, { field: 'codeId' });
  }
  const codeCount = (project.db.prepare('SELECT count(*) FROM code').pluck().get() as number) ?? 0;
  if (codeCount === 0) throw new FieldbookError('INVALID_INPUT', 'Create a code first: suggestions are for codes.', { field: 'codeId' });
  job.progress(0, null, 'Learning from your coding');
  const model = currentModel(project);
  await job.checkpoint();
  const passages = passagesOf(project, input, input.unit ?? 'turn', input.interviewers ?? false);
  const coded = codedSpans(project);
  const me = currentCoderId(project);
  const rejected = new Set(
    (
      project.db
        .prepare(
          `SELECT document_id AS d, start_char AS s, end_char AS e, code_id AS c FROM suggestion
            WHERE status = 'rejected' AND (coder_id IS NULL OR coder_id = ?)`,
        )
        .all(me) as {
        d: number;
        s: number;
        e: number;
        c: number;
      }[]
    ).map((r) => `${r.d}:${r.s}:${r.e}:${r.c}`),
  );
  const minScore = input.minScore ?? DEFAULT_MIN_SCORE;
  const rows: { p: (typeof passages)[number]; codeId: number; score: number; evidence: string; sentiment: number | null }[] = [];
  for (let i = 0; i < passages.length; i++) {
    if (i % 500 === 0) {
      job.progress(i, passages.length, 'Scoring passages');
      await job.checkpoint();
    }
    const p = passages[i]!;
    const already = (coded.get(p.documentId) ?? []).filter((c) => overlaps(c, p)).map((c) => c.codeId);
    const scores = model.suggester
      .score(p.text, tokenize(p.text))
      .filter((s) => s.score >= minScore)
      .filter((s) => input.codeId === undefined || Number(s.key) === input.codeId)
      .filter((s) => !already.includes(Number(s.key)))
      .filter((s) => !rejected.has(`${p.documentId}:${p.start}:${p.end}:${s.key}`))
      .slice(0, PER_PASSAGE);
    if (scores.length === 0) continue;
    const sentiment = sentimentOf(p.text);
    for (const s of scores) {
      rows.push({ p, codeId: Number(s.key), score: s.score, evidence: JSON.stringify(toStoredEvidence(s.evidence)), sentiment });
    }
  }
  job.throwIfCancelled();
  // Parse and score first, write last: a cancelled run leaves the earlier suggestions as they were.
  const documents = [...new Set(passages.map((p) => p.documentId))];
  project.transaction(() => {
    const clear = project.db.prepare(
      `DELETE FROM suggestion WHERE status = 'open' AND document_id = ? AND (? IS NULL OR code_id = ?)
          AND (coder_id IS NULL OR coder_id = ?)`,
    );
    for (const d of documents) clear.run(d, input.codeId ?? null, input.codeId ?? null, me);
    const insert = project.db.prepare(
      `INSERT INTO suggestion (document_id, start_char, end_char, code_id, score, evidence, status, model_version, sentiment, coder_id)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
    );
    for (const r of rows) insert.run(r.p.documentId, r.p.start, r.p.end, r.codeId, r.score, r.evidence, model.version, r.sentiment, me);
  });
  job.progress(passages.length, passages.length, 'Done');
  return {
    suggestions: rows.length,
    passages: passages.length,
    trainedOn: model.trainedOn,
    modelVersion: model.version,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

const evidenceSchema = z.object({
  terms: z.array(z.string()),
  similar: z.object({ text: z.string(), segmentId: z.number().nullable(), similarity: z.number() }).nullable(),
  keywords: z.array(z.string()),
  parts: z.object({ classifier: z.number(), similarity: z.number(), keyword: z.number() }),
});

const EMPTY_EVIDENCE: SuggestionEvidence = { terms: [], similar: null, keywords: [], parts: { classifier: 0, similarity: 0, keyword: 0 } };

function parseEvidence(json: string): SuggestionEvidence {
  try {
    const parsed = evidenceSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : EMPTY_EVIDENCE;
  } catch {
    return EMPTY_EVIDENCE;
  }
}

interface ListRow {
  id: number;
  documentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
  codeId: number;
  codeName: string;
  codeColor: string;
  score: number;
  evidence: string;
  sentiment: number | null;
  status: SuggestionItem['status'];
  modelVersion: string;
}

export function listSuggestions(
  project: Project,
  input: Scope & {
    status?: SuggestionItem['status'] | undefined;
    minScore?: number | undefined;
    sentiment?: string | undefined;
    limit?: number | undefined;
    group?: boolean | undefined;
  },
): SuggestionItem[] {
  // Each coder reviews their own queue (rows from before suggestions had a coder: everyone's).
  const where: string[] = ['g.status = @status', '(g.coder_id IS NULL OR g.coder_id = @me)'];
  const limit = input.limit ?? 500;
  // Grouping needs every row first: the limit then counts cards, not rows.
  const params: Record<string, unknown> = { status: input.status ?? 'open', limit: input.group ? GROUP_SCAN : limit, me: currentCoderId(project) };
  if (input.codeId !== undefined) {
    where.push('g.code_id = @codeId');
    params.codeId = input.codeId;
  }
  if (input.documentId !== undefined) {
    where.push('g.document_id = @documentId');
    params.documentId = input.documentId;
  }
  if (input.variableId !== undefined) {
    where.push('d.variable_id = @variableId');
    params.variableId = input.variableId;
  }
  if (input.minScore !== undefined) {
    where.push('g.score >= @minScore');
    params.minScore = input.minScore;
  }
  if (input.sentiment === 'positive') where.push('g.sentiment > 0.05');
  if (input.sentiment === 'negative') where.push('g.sentiment < -0.05');
  if (input.sentiment === 'neutral') where.push('g.sentiment BETWEEN -0.05 AND 0.05');
  const rows = project.db
    .prepare(
      `SELECT g.id, g.document_id AS documentId, d.name AS documentName, g.start_char AS start, g.end_char AS end,
              g.code_id AS codeId, k.name AS codeName, k.color AS codeColor, g.score, g.evidence, g.sentiment,
              g.status, g.model_version AS modelVersion
         FROM suggestion g JOIN document d ON d.id = g.document_id JOIN code k ON k.id = g.code_id
        WHERE ${where.join(' AND ')}
        ORDER BY g.score DESC, g.id LIMIT @limit`,
    )
    .all(params) as Omit<ListRow, 'text'>[];
  const passage = passageReader(project);
  const items = rows.map((r): SuggestionItem => ({ ...r, text: passage(r.documentId, r.start, r.end), evidence: parseEvidence(r.evidence), sentimentLabel: sentimentLabel(r.sentiment), duplicates: [] }));
  return input.group ? groupDuplicates(items).slice(0, limit) : items;
}

/**
 * Passage text by document and JavaScript string offsets: each document read once. SQLite's substr
 * would read the whole document again for every row (seconds for 10,000 answers of one survey
 * question) and counts code points, not the UTF-16 units offsets are in.
 */
export function passageReader(project: Project): (documentId: number, start: number, end: number) => string {
  const texts = new Map<number, string>();
  const read = project.db.prepare('SELECT text FROM document WHERE id = ?').pluck();
  return (documentId, start, end) => {
    let text = texts.get(documentId);
    if (text === undefined) texts.set(documentId, (text = (read.get(documentId) as string | undefined) ?? ''));
    return text.slice(start, end);
  };
}

/** At most this many rows are read to group a queue (far more than anyone reviews one by one). */
const GROUP_SCAN = 50_000;

/**
 * The form two passages must share to be "the same answer": case, punctuation, spacing and
 * accents aside (an open question gets "Too expensive." and "too expensive" many times).
 */
export function sameAnswerKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * One card per code and answer: the best-scored suggestion stands for the group and lists the
 * others in `duplicates`, so one decision covers them all (each passage still gets its own coding).
 */
export function groupDuplicates(items: readonly SuggestionItem[]): SuggestionItem[] {
  const groups = new Map<string, SuggestionItem>();
  const out: SuggestionItem[] = [];
  for (const item of items) {
    const answer = sameAnswerKey(item.text);
    const key = `${item.codeId}|${item.status}|${answer}`;
    const head = answer ? groups.get(key) : undefined;
    if (head) {
      head.duplicates.push(item.id);
      continue;
    }
    const card = { ...item, duplicates: [] };
    groups.set(key, card);
    out.push(card);
  }
  return out;
}

/** What the undo log and its toast call a decision: "Accept "Cost" for “The price was…”". */
function decisionLabel(project: Project, action: 'accept' | 'reject', rows: readonly SuggestionRow[]): string {
  const verb = action === 'accept' ? 'Accept' : 'Reject';
  const row = rows[0]!;
  const oneCode = rows.every((r) => r.code_id === row.code_id);
  if (rows.length > 1 && !oneCode) return `${verb} ${rows.length} suggestions`;
  const name = project.db.prepare('SELECT name FROM code WHERE id = ?').pluck().get(row.code_id) as string | undefined;
  if (name === undefined) return rows.length > 1 ? `${verb} ${rows.length} suggestions` : `${verb} a suggestion`;
  const flat = passageReader(project)(row.document_id, row.start_char, row.end_char).replace(/\s+/g, ' ').trim();
  const times = rows.length > 1 ? ` (${rows.length} passages)` : '';
  return `${verb} "${name}" for “${flat.length > 48 ? `${flat.slice(0, 47)}…` : flat}”${times}`;
}

/**
 * Accepting part of a passage: the words selected in the card, inside the suggested passage,
 * surrounding spaces left out.
 */
function partOf(project: Project, rows: readonly SuggestionRow[], span: { start: number; end: number }): [number, number] {
  const row = rows[0];
  if (rows.length !== 1 || !row) throw new FieldbookError('INVALID_INPUT', 'Part of a passage can be accepted for one suggestion at a time.', { field: 'span' });
  if (span.start < row.start_char || span.end > row.end_char || span.end <= span.start) {
    throw new FieldbookError('INVALID_INPUT', 'The words to accept must lie inside the suggested passage.', { field: 'span' });
  }
  const text = passageReader(project)(row.document_id, 0, row.end_char);
  let start = span.start;
  let end = span.end;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end <= start) throw new FieldbookError('INVALID_INPUT', 'Select some words of the passage to accept, not only spaces.', { field: 'span' });
  return [start, end];
}

interface SuggestionRow {
  id: number;
  document_id: number;
  start_char: number;
  end_char: number;
  code_id: number;
  status: string;
}

/**
 * Accept (a coding by the current coder, marked as an accepted suggestion) or reject (remembered),
 * as one undoable operation, in its own small transaction. Retraining on it and rescoring the open
 * suggestions happen behind (retrain.ts), so the answer comes back at once.
 */
export function reviewSuggestions(
  project: Project,
  input: { action: 'accept' | 'reject'; ids?: number[]; threshold?: number; span?: { start: number; end: number } | undefined } & Scope,
): ReviewResult {
  let targets: SuggestionRow[];
  if (input.ids) {
    const get = project.db.prepare('SELECT * FROM suggestion WHERE id = ? AND (coder_id IS NULL OR coder_id = ?)');
    const me = currentCoderId(project);
    targets = input.ids.map((id) => {
      const row = get.get(id, me) as SuggestionRow | undefined;
      if (!row) {
        throw new FieldbookError('NOT_FOUND', `There is no suggestion number ${id} in your review queue. Run suggestions again.`, {
          field: 'ids',
        });
      }
      return row;
    });
  } else {
    targets = listSuggestions(project, { ...input, status: 'open', minScore: input.threshold ?? 1, limit: 10000 }).map((s) => ({
      id: s.id,
      document_id: s.documentId,
      start_char: s.start,
      end_char: s.end,
      code_id: s.codeId,
      status: s.status,
    }));
  }
  const open = targets.filter((t) => t.status === 'open');
  if (open.length === 0) return { accepted: 0, rejected: 0, retraining: false };
  if (input.span && input.action !== 'accept') throw new FieldbookError('INVALID_INPUT', 'Only an accept can take part of a passage.', { field: 'span' });
  const span = input.span ? partOf(project, open, input.span) : null;
  const label = decisionLabel(project, input.action, open);
  runOperation(project, label, (rec) => {
    const texts = new DocumentTexts(project);
    for (const t of open) {
      if (input.action === 'accept') {
        const [start, end] = span ? span : [t.start_char, t.end_char];
        applyCodingWith(rec, project, { documentId: t.document_id, start, end, codeId: t.code_id, source: 'suggestion' }, texts);
        rec.update('suggestion', t.id, { status: 'accepted' });
      } else {
        rec.update('suggestion', t.id, { status: 'rejected' });
      }
    }
  });
  return {
    accepted: input.action === 'accept' ? open.length : 0,
    rejected: input.action === 'reject' ? open.length : 0,
    retraining: true,
  };
}
