import type { Database } from 'better-sqlite3';
import type { AttributeValue, DocumentKind, SearchHit, SearchResult } from '../../shared/contract/transcripts';
import { FieldbookError } from '../../shared/errors';
import { refreshRespondentLinks } from './respondents';
import { ftsForm, tokenize, tokens, type FtsToken } from './search-index';

/**
 * The user's query language: words, "exact phrases", prefix*, AND / OR / NOT (capitals), and
 * parentheses; words side by side must all occur. It is parsed here and re-written as an FTS5
 * query in which every term is quoted, so nothing a user types can be an FTS5 syntax error or
 * reach a column filter.
 */
export interface Term {
  /** Folded tokens of the word or phrase, as the index holds them. */
  tokens: string[];
  prefix: boolean;
  negated: boolean;
}

export interface ParsedQuery {
  fts: string;
  /** Positive terms, for highlighting. */
  terms: Term[];
}

type Lexeme = { kind: 'term'; text: string; phrase: boolean; prefix: boolean; column: number } | { kind: 'op'; op: 'AND' | 'OR' | 'NOT' | '(' | ')'; column: number };

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: 'op', op: c, column: i + 1 });
      i++;
      continue;
    }
    if (c === '"' || c === '“' || c === '”' || c === '„') {
      const close = query.slice(i + 1).search(/["“”]/);
      const end = close < 0 ? query.length : i + 1 + close;
      const text = query.slice(i + 1, end);
      const prefix = query[end + 1] === '*';
      out.push({ kind: 'term', text, phrase: true, prefix, column: i + 1 });
      i = end + 1 + (prefix ? 1 : 0);
      continue;
    }
    let j = i;
    while (j < query.length && !/[\s()"“”„]/.test(query[j] ?? '')) j++;
    const word = query.slice(i, j);
    if (word === 'AND' || word === 'OR' || word === 'NOT') out.push({ kind: 'op', op: word, column: i + 1 });
    else {
      const prefix = word.endsWith('*');
      out.push({ kind: 'term', text: prefix ? word.replace(/\*+$/, '') : word, phrase: false, prefix, column: i + 1 });
    }
    i = j;
  }
  return out;
}

function quote(tokens: string[]): string {
  return `"${tokens.join(' ').replaceAll('"', '""')}"`;
}

function bad(message: string, column: number): FieldbookError {
  return new FieldbookError('INVALID_INPUT', message, { field: 'query', column });
}

export function parseQuery(query: string): ParsedQuery {
  const lexemes = lex(query);
  const terms: Term[] = [];
  const parts: string[] = [];
  let depth = 0;
  let expectOperand = true;
  let negateNext = false;
  let negDepth: number[] = [];
  for (const lexeme of lexemes) {
    if (lexeme.kind === 'term') {
      const tokens = tokenize(ftsForm(lexeme.text)).map((t) => t.norm);
      if (tokens.length === 0) continue;
      if (!expectOperand) parts.push('AND');
      const negated = negateNext || negDepth.length > 0;
      terms.push({ tokens, prefix: lexeme.prefix, negated });
      parts.push(quote(tokens) + (lexeme.prefix ? '*' : ''));
      expectOperand = false;
      negateNext = false;
      continue;
    }
    switch (lexeme.op) {
      case '(':
        if (!expectOperand) parts.push('AND');
        parts.push('(');
        depth++;
        if (negateNext) negDepth.push(depth);
        negateNext = false;
        expectOperand = true;
        break;
      case ')':
        if (depth === 0) throw bad(`The query has a ")" at column ${lexeme.column} without a "(" before it.`, lexeme.column);
        if (expectOperand) throw bad(`The brackets closed at column ${lexeme.column} hold nothing to search for.`, lexeme.column);
        parts.push(')');
        negDepth = negDepth.filter((d) => d !== depth);
        depth--;
        break;
      case 'AND':
      case 'OR':
        if (expectOperand) throw bad(`${lexeme.op} at column ${lexeme.column} needs a word on each side, e.g. cloud ${lexeme.op} aws.`, lexeme.column);
        parts.push(lexeme.op);
        expectOperand = true;
        break;
      case 'NOT':
        if (expectOperand) {
          throw bad(`NOT at column ${lexeme.column} needs something to keep before it, e.g. cloud NOT aws.`, lexeme.column);
        }
        parts.push('NOT');
        expectOperand = true;
        negateNext = true;
        break;
    }
  }
  if (depth > 0) throw bad('The query has a "(" that is never closed.', query.length);
  if (expectOperand && parts.length > 0) throw bad('The query ends with an operator; add the word it should apply to.', query.length);
  if (terms.length === 0) throw bad('The query has no words to search for.', 1);
  return { fts: parts.join(' '), terms: terms.filter((t) => !t.negated) };
}

/**
 * The first place in the turn where a positive term matches, as [start, end) within `text`.
 * Tokens are read one by one and the scan stops at the first completed match.
 */
export function findMatch(text: string, terms: Term[]): { start: number; end: number } | null {
  const longest = Math.max(1, ...terms.map((t) => t.tokens.length));
  const window: FtsToken[] = [];
  for (const token of tokens(text)) {
    window.push(token);
    if (window.length > longest) window.shift();
    for (const term of terms) {
      const n = term.tokens.length;
      if (window.length < n) continue;
      let ok = true;
      for (let k = 0; k < n; k++) {
        const have = window[window.length - n + k]?.norm ?? '';
        const want = term.tokens[k] ?? '';
        if (!(have === want || (k === n - 1 && term.prefix && have.startsWith(want)))) {
          ok = false;
          break;
        }
      }
      if (ok) return { start: window[window.length - n]?.start ?? 0, end: token.end };
    }
  }
  return null;
}

export interface SearchOptions {
  query: string;
  kinds?: DocumentKind[] | undefined;
  documentIds?: number[] | undefined;
  filters?: { attributeId: number; values: (string | number)[] }[] | undefined;
  speakers: 'all' | 'participants' | 'interviewers';
  offset: number;
  limit: number;
  context: number;
  /** False: only the page is wanted; `total` is then a lower bound and `hasMore` says if more exist. */
  countTotal: boolean;
}

// Who said a turn: the speaker's own participant, else the document's one (never for interviewers),
// else, for a survey answer, the participant linked to that respondent.
const PARTICIPANT_OF_TURN = `coalesce(s.participant_id, CASE WHEN coalesce(s.is_interviewer, 0) = 1 THEN NULL ELSE d.participant_id END,
  (SELECT l.participant_id FROM temp.respondent_link l WHERE l.dataset_id = d.dataset_id AND l.row = t.respondent_row))`;

export const COUNT_CAP = 10_000;

interface HitRow {
  turn_id: number;
  document_id: number;
  document_name: string;
  kind: DocumentKind;
  speaker_id: number | null;
  speaker: string | null;
  is_interviewer: number | null;
  participant_id: number | null;
  participant_name: string | null;
  respondent_row: number | null;
  start_char: number;
  end_char: number;
  start_ms: number | null;
}

function clip(text: string, from: number, to: number): string {
  // Never cut a surrogate pair in half.
  let a = Math.max(0, from);
  let b = Math.min(text.length, to);
  if (a > 0 && /[\uDC00-\uDFFF]/.test(text[a] ?? '')) a--;
  if (b < text.length && /[\uDC00-\uDFFF]/.test(text[b] ?? '')) b++;
  return text.slice(a, b).replace(/\s+/g, ' ');
}

export function runSearch(db: Database, options: SearchOptions): SearchResult {
  const started = performance.now();
  const parsed = parseQuery(options.query);
  refreshRespondentLinks(db);
  const where: string[] = ['turn_fts MATCH ?'];
  const params: unknown[] = [parsed.fts];
  if (options.kinds && options.kinds.length > 0) {
    where.push(`d.kind IN (${options.kinds.map(() => '?').join(',')})`);
    params.push(...options.kinds);
  }
  if (options.documentIds && options.documentIds.length > 0) {
    where.push(`d.id IN (${options.documentIds.map(() => '?').join(',')})`);
    params.push(...options.documentIds);
  }
  if (options.speakers === 'participants') where.push('coalesce(s.is_interviewer, 0) = 0');
  if (options.speakers === 'interviewers') where.push('s.is_interviewer = 1');
  for (const filter of options.filters ?? []) {
    where.push(
      `EXISTS (SELECT 1 FROM participant_attribute pa WHERE pa.participant_id = ${PARTICIPANT_OF_TURN}
               AND pa.attribute_id = ? AND pa.value IN (${filter.values.map(() => '?').join(',')}))`,
    );
    params.push(filter.attributeId, ...filter.values);
  }
  const from = `FROM turn_fts f JOIN turn t ON t.id = f.rowid JOIN document d ON d.id = t.document_id
                LEFT JOIN speaker s ON s.id = t.speaker_id WHERE ${where.join(' AND ')}`;
  let rows: HitRow[];
  let total: number;
  let hasMore = false;
  let counted = true;
  let capped = false;
  try {
    rows = db
      .prepare(
        `SELECT t.id AS turn_id, d.id AS document_id, d.name AS document_name, d.kind, t.speaker_id, s.display_name AS speaker,
                s.is_interviewer, ${PARTICIPANT_OF_TURN} AS participant_id,
                (SELECT name FROM participant WHERE id = ${PARTICIPANT_OF_TURN}) AS participant_name,
                t.respondent_row, t.start_char, t.end_char, t.start_ms
         ${from} ORDER BY f.rowid LIMIT ? OFFSET ?`,
      )
      .all(...params, options.limit + 1, options.offset) as HitRow[];
    hasMore = rows.length > options.limit;
    if (hasMore) rows = rows.slice(0, options.limit);
    // Counting means checking every match (a phrase: every candidate's positions), which costs more
    // than the page itself: skipped when the caller only wants the page, and capped otherwise.
    if (!hasMore) total = options.offset + rows.length;
    else if (options.countTotal) {
      total = db.prepare(`SELECT count(*) FROM (SELECT 1 ${from} LIMIT ${COUNT_CAP + 1})`).pluck().get(...params) as number;
      capped = total > COUNT_CAP;
    } else {
      total = options.offset + rows.length;
      counted = false;
    }
  } catch (error) {
    throw new FieldbookError('INVALID_INPUT', `The search "${options.query}" could not be run: ${(error as Error).message}.`, { field: 'query' });
  }

  // Texts of the documents with hits, once each (a document's text never changes).
  const texts = new Map<number, string>();
  const getText = db.prepare('SELECT text FROM document WHERE id = ?').pluck();
  const attributeNames = new Map(
    (db.prepare('SELECT id, name FROM attribute').all() as { id: number; name: string }[]).map((a) => [a.id, a.name]),
  );
  const participantIds = [...new Set(rows.map((r) => r.participant_id).filter((p): p is number => p !== null))];
  const attributes = new Map<number, Record<string, AttributeValue>>();
  if (participantIds.length > 0) {
    const values = db
      .prepare(`SELECT participant_id AS pid, attribute_id AS aid, value FROM participant_attribute WHERE participant_id IN (${participantIds.map(() => '?').join(',')})`)
      .all(...participantIds) as { pid: number; aid: number; value: AttributeValue }[];
    for (const v of values) {
      let record = attributes.get(v.pid);
      if (!record) attributes.set(v.pid, (record = {}));
      record[attributeNames.get(v.aid) ?? String(v.aid)] = v.value;
    }
  }

  const hits: SearchHit[] = rows.map((row) => {
    let text = texts.get(row.document_id);
    if (text === undefined) {
      text = getText.get(row.document_id) as string;
      texts.set(row.document_id, text);
    }
    const turnText = text.slice(row.start_char, row.end_char);
    const found = findMatch(turnText, parsed.terms) ?? { start: 0, end: 0 };
    const start = row.start_char + found.start;
    const end = row.start_char + found.end;
    return {
      turnId: row.turn_id,
      documentId: row.document_id,
      documentName: row.document_name,
      documentKind: row.kind,
      speakerId: row.speaker_id,
      speaker: row.speaker,
      isInterviewer: row.is_interviewer === 1,
      participantId: row.participant_id,
      participantName: row.participant_name,
      attributes: row.participant_id !== null ? (attributes.get(row.participant_id) ?? {}) : {},
      respondentRow: row.respondent_row,
      start,
      end,
      left: clip(text, Math.max(row.start_char, start - options.context), start),
      match: text.slice(start, end),
      right: clip(text, end, Math.min(row.end_char, end + options.context)),
      turnStart: row.start_char,
      turnEnd: row.end_char,
      startMs: row.start_ms,
    };
  });
  return {
    query: options.query,
    ftsQuery: parsed.fts,
    total: capped ? COUNT_CAP : total,
    totalIsCapped: capped,
    totalCounted: counted,
    hasMore,
    offset: options.offset,
    limit: options.limit,
    hits,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
