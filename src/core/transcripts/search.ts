import type { Database } from 'better-sqlite3';
import type { AttributeValue, DocumentKind, SearchHit, SearchResult } from '../../shared/contract/transcripts';
import { FieldbookError } from '../../shared/errors';
import { refreshRespondentLinks } from './respondents';
import { ftsForm, isAscii, tokenize } from '../store/search-index';

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

/** The query as a tree, judged on one turn at a time (FTS5 only finds candidate chunks). */
export type QueryNode =
  | { kind: 'term'; term: Term }
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; keep: QueryNode; drop: QueryNode };

export interface ParsedQuery {
  /** The query as FTS5 syntax, every term quoted (shown to the user as what was run). */
  fts: string;
  /**
   * The FTS5 query that selects chunks which may hold a matching turn: the query without its NOT
   * parts, since another turn of the same chunk may hold the excluded words.
   */
  candidates: string;
  tree: QueryNode;
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
  const tree = new TreeBuilder(parts, terms).build();
  return { fts: parts.join(' '), candidates: candidateQuery(tree), tree, terms: terms.filter((t) => !t.negated) };
}

/**
 * Builds the tree from the FTS5 parts written above (terms quoted, operators explicit), with
 * FTS5's precedence: NOT binds tighter than AND, AND tighter than OR.
 */
class TreeBuilder {
  private at = 0;
  private termIndex = 0;
  constructor(
    private readonly parts: string[],
    private readonly terms: Term[],
  ) {}

  build(): QueryNode {
    return this.or();
  }

  private or(): QueryNode {
    const items = [this.and()];
    while (this.parts[this.at] === 'OR') {
      this.at++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): QueryNode {
    const items = [this.not()];
    while (this.parts[this.at] === 'AND') {
      this.at++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private not(): QueryNode {
    let node = this.primary();
    while (this.parts[this.at] === 'NOT') {
      this.at++;
      node = { kind: 'not', keep: node, drop: this.primary() };
    }
    return node;
  }

  private primary(): QueryNode {
    const part = this.parts[this.at++];
    if (part === '(') {
      const node = this.or();
      this.at++; // ')'
      return node;
    }
    const term = this.terms[this.termIndex++];
    if (!term) throw new FieldbookError('INTERNAL', `The search query could not be read (at "${part ?? ''}").`);
    return { kind: 'term', term };
  }
}

function termFts(term: Term): string {
  return quote(term.tokens) + (term.prefix ? '*' : '');
}

function candidateQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return termFts(node.term);
    case 'not':
      return candidateQuery(node.keep);
    case 'and':
    case 'or':
      return `(${node.items.map(candidateQuery).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
  }
}

/**
 * One turn's text, read lazily: pure-ASCII text is first tested with a substring search (a word
 * that is not a substring of the lower-cased text cannot be one of its tokens), and tokenized only
 * when that cannot rule a term out.
 */
class TurnText {
  private lower: string | null = null;
  private norms: string[] | null = null;
  private readonly ascii: boolean;
  /** `ascii`: already known (the turn lies in an ASCII chunk), so the text is not scanned again. */
  constructor(
    private readonly text: string,
    ascii?: boolean,
  ) {
    this.ascii = ascii ?? isAscii(text);
  }

  has(term: Term): boolean {
    if (this.ascii) {
      // In ASCII text a token is a run of [a-z0-9]: the term is exactly this pattern.
      this.lower ??= this.text.toLowerCase();
      const pattern = asciiPattern(term);
      return pattern !== null && pattern.test(this.lower);
    }
    this.norms ??= tokenize(this.text).map((t) => t.norm);
    for (let at = 0; at < this.norms.length; at++) if (termAt(this.norms, at, term)) return true;
    return false;
  }
}

const asciiPatterns = new WeakMap<Term, RegExp | null>();

/** The term as a regular expression over lower-cased ASCII text; null when it cannot occur there. */
function asciiPattern(term: Term): RegExp | null {
  let pattern = asciiPatterns.get(term);
  if (pattern === undefined) {
    const ascii = term.tokens.every((t) => /^[a-z0-9]+$/.test(t));
    pattern = ascii
      ? new RegExp(`(?<![a-z0-9])${term.tokens.join('[^a-z0-9]+')}${term.prefix ? '' : '(?![a-z0-9])'}`)
      : null;
    asciiPatterns.set(term, pattern);
  }
  return pattern;
}

function matches(node: QueryNode, turn: TurnText): boolean {
  switch (node.kind) {
    case 'term':
      return turn.has(node.term);
    case 'and':
      return node.items.every((item) => matches(item, turn));
    case 'or':
      return node.items.some((item) => matches(item, turn));
    case 'not':
      return matches(node.keep, turn) && !matches(node.drop, turn);
  }
}

const chunkPatterns = new WeakMap<ParsedQuery, RegExp | null>();

/**
 * Where any positive term starts in the ASCII text[from, to), found with one regular expression
 * over the chunk instead of one pass per turn. Every turn that satisfies a query holds a positive
 * term (NOT is binary: "a NOT b" needs a), so only the turns where such a start falls need a look.
 */
function positiveMatchStarts(query: ParsedQuery, text: string, from: number, to: number): number[] {
  const span = text.slice(from, to);
  let pattern = chunkPatterns.get(query);
  if (pattern === undefined) {
    const sources = query.terms.map(asciiPattern).filter((p): p is RegExp => p !== null).map((p) => p.source);
    // Case-blind on ASCII text is what lower-casing it would give, without the copy.
    pattern = sources.length > 0 ? new RegExp(sources.join('|'), 'gi') : null;
    chunkPatterns.set(query, pattern);
  }
  const starts: number[] = [];
  if (!pattern) return starts;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(span); m; m = pattern.exec(span)) {
    starts.push(from + m.index);
    // Overlapping matches too: a match running into the next turn must not hide one starting there.
    pattern.lastIndex = m.index + 1;
  }
  return starts;
}

/** Does the turn's text satisfy the whole query (phrases, prefixes, AND/OR/NOT) on its own? */
export function turnMatches(query: ParsedQuery, text: string, ascii?: boolean): boolean {
  return matches(query.tree, new TurnText(text, ascii));
}

/** Whether `term` (its folded tokens, the last one a prefix if asked) starts at norms[at]. */
function termAt(norms: string[], at: number, term: Term): boolean {
  const n = term.tokens.length;
  if (at < 0 || at + n > norms.length) return false;
  for (let k = 0; k < n; k++) {
    const have = norms[at + k] ?? '';
    const want = term.tokens[k] ?? '';
    if (!(have === want || (k === n - 1 && term.prefix && have.startsWith(want)))) return false;
  }
  return true;
}

/** The first place in the turn where a positive term matches, as [start, end) within `text`. */
export function findMatch(text: string, terms: Term[]): { start: number; end: number } | null {
  const found = tokenize(text);
  const norms = found.map((t) => t.norm);
  // The first match to end, as a reader meets it.
  for (let last = 0; last < found.length; last++) {
    for (const term of terms) {
      const at = last - term.tokens.length + 1;
      if (termAt(norms, at, term)) return { start: found[at]!.start, end: found[last]!.end };
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

  // Chunks that may hold a match, in index order (= import order, then position in the document).
  const chunkWhere: string[] = ['chunk_fts MATCH ?'];
  const chunkParams: unknown[] = [parsed.candidates];
  if (options.kinds && options.kinds.length > 0) {
    chunkWhere.push(`d.kind IN (${options.kinds.map(() => '?').join(',')})`);
    chunkParams.push(...options.kinds);
  }
  if (options.documentIds && options.documentIds.length > 0) {
    chunkWhere.push(`d.id IN (${options.documentIds.map(() => '?').join(',')})`);
    chunkParams.push(...options.documentIds);
  }
  // The turns of one chunk that pass the speaker and attribute filters.
  const turnWhere: string[] = ['t.document_id = ?', 't.start_char BETWEEN ? AND ?'];
  const turnParams: unknown[] = [];
  if (options.speakers === 'participants') turnWhere.push('coalesce(s.is_interviewer, 0) = 0');
  if (options.speakers === 'interviewers') turnWhere.push('s.is_interviewer = 1');
  for (const filter of options.filters ?? []) {
    turnWhere.push(
      `EXISTS (SELECT 1 FROM participant_attribute pa WHERE pa.participant_id = ${PARTICIPANT_OF_TURN}
               AND pa.attribute_id = ? AND pa.value IN (${filter.values.map(() => '?').join(',')}))`,
    );
    turnParams.push(filter.attributeId, ...filter.values);
  }

  const texts = new Map<number, string>();
  const getText = db.prepare('SELECT text FROM document WHERE id = ?').pluck();
  const textOf = (documentId: number): string => {
    let text = texts.get(documentId);
    if (text === undefined) {
      text = getText.get(documentId) as string;
      texts.set(documentId, text);
    }
    return text;
  };

  const wanted = options.offset + options.limit + 1;
  const cap = options.countTotal ? Math.max(wanted, COUNT_CAP + 1) : wanted;
  const found: { turnId: number; documentId: number; start: number; end: number }[] = [];
  let seen = 0;
  try {
    const chunks = db.prepare(
      `SELECT c.document_id AS documentId, c.start_char AS start, c.last_start AS lastStart, c.end_char AS end, c.ascii
       FROM chunk_fts f JOIN search_chunk c ON c.id = f.rowid JOIN document d ON d.id = c.document_id
       WHERE ${chunkWhere.join(' AND ')} ORDER BY f.rowid`,
    );
    const turnsOf = db.prepare(
      turnWhere.length > 2
        ? `SELECT t.id, t.start_char AS start, t.end_char AS end FROM turn t JOIN document d ON d.id = t.document_id
           LEFT JOIN speaker s ON s.id = t.speaker_id WHERE ${turnWhere.join(' AND ')} ORDER BY t.start_char, t.position`
        : `SELECT t.id, t.start_char AS start, t.end_char AS end FROM turn t WHERE ${turnWhere.join(' AND ')} ORDER BY t.start_char, t.position`,
    );
    // The turn (passing the filters) that starts last at or before a position.
    const atWhere = [...turnWhere.slice(0, 2), 't.start_char <= ?', ...turnWhere.slice(2)].join(' AND ');
    const turnAt = db.prepare(
      `SELECT t.id, t.start_char AS start, t.end_char AS end FROM turn t JOIN document d ON d.id = t.document_id
       LEFT JOIN speaker s ON s.id = t.speaker_id WHERE ${atWhere} ORDER BY t.start_char DESC, t.position DESC LIMIT 1`,
    );
    type TurnSpan = { id: number; start: number; end: number };
    type ChunkRow = { documentId: number; start: number; lastStart: number; end: number; ascii: number };
    const candidates = (chunk: ChunkRow, text: string): TurnSpan[] => {
      const starts = chunk.ascii === 1 ? positiveMatchStarts(parsed, text, chunk.start, chunk.end) : null;
      if (!starts) return turnsOf.all(chunk.documentId, chunk.start, chunk.lastStart, ...turnParams) as TurnSpan[];
      const out: TurnSpan[] = [];
      let coveredUntil = -1;
      for (const at of starts) {
        if (at < coveredUntil) continue;
        const turn = turnAt.get(chunk.documentId, chunk.start, chunk.lastStart, at, ...turnParams) as TurnSpan | undefined;
        // Between two turns, or inside a turn the filters leave out.
        if (!turn || turn.end <= at) continue;
        coveredUntil = turn.end;
        if (out.at(-1)?.id !== turn.id) out.push(turn);
      }
      return out;
    };
    scan: for (const chunk of chunks.iterate(...chunkParams) as IterableIterator<ChunkRow>) {
      const text = textOf(chunk.documentId);
      for (const turn of candidates(chunk, text)) {
        if (!turnMatches(parsed, text.slice(turn.start, turn.end), chunk.ascii === 1 || undefined)) continue;
        seen++;
        if (seen > options.offset && found.length < options.limit + 1) {
          found.push({ turnId: turn.id, documentId: chunk.documentId, start: turn.start, end: turn.end });
        }
        if (seen >= cap) break scan;
      }
    }
  } catch (error) {
    throw new FieldbookError('INVALID_INPUT', `The search "${options.query}" could not be run: ${(error as Error).message}.`, { field: 'query' });
  }
  const hasMore = found.length > options.limit;
  if (hasMore) found.pop();
  // Counting means checking every candidate turn, which costs more than the page itself: skipped
  // when the caller only wants the page, and capped otherwise.
  const counted = !hasMore || options.countTotal;
  const capped = options.countTotal && seen > COUNT_CAP;
  const total = counted ? seen : options.offset + found.length;

  const detail = db.prepare(
    `SELECT t.id AS turn_id, d.id AS document_id, d.name AS document_name, d.kind, t.speaker_id, s.display_name AS speaker,
            s.is_interviewer, ${PARTICIPANT_OF_TURN} AS participant_id,
            (SELECT name FROM participant WHERE id = ${PARTICIPANT_OF_TURN}) AS participant_name,
            t.respondent_row, t.start_char, t.end_char, t.start_ms
     FROM turn t JOIN document d ON d.id = t.document_id LEFT JOIN speaker s ON s.id = t.speaker_id WHERE t.id = ?`,
  );
  const rows = found.map((hit) => detail.get(hit.turnId) as HitRow);

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
    const text = textOf(row.document_id);
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
