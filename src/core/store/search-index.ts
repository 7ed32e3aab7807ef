import type { Database, Statement } from 'better-sqlite3';
import { cached } from './statements';

/**
 * The full-text index. FTS5 rows are *chunks*: runs of consecutive turns of one document, about
 * CHUNK_CHARS long (table search_chunk; FTS rowid = chunk id), contentless (the words live once, in
 * document.text). A search asks FTS5 for the chunks that can hold a match, then checks each turn
 * of those chunks in JS (transcripts/search.ts), so results stay per turn — a phrase across two turns, or a
 * NOT that another turn of the chunk breaks, is judged on the turn alone.
 *
 * Why chunks and not one row per turn (measured here, 1,000 transcripts of 8,000 words = 101,553
 * turns; node 20, 2 cores): one row per turn 1,141 ms to index, 4,000-char chunks 931 ms,
 * 16,000-char chunks 768 ms, one row per document 614 ms. FTS5 pays per row (a doclist entry per
 * term per row, a docsize row), which a survey's million one-line answers made the largest cost
 * of an import. A chunk is up to 64,000 characters (a whole interview, usually): the JS check after
 * the query stays small, since one regular expression per term tests each ASCII turn.
 *
 * Scripts written without spaces. unicode61 would make a whole Chinese or Thai sentence one token.
 * Measured (20,000 turns of 60 words, 400 with Chinese/Japanese sentences):
 *
 *   tokenizer                          build   size     EN phrase  模型管理    模型 (2 chars)  東京都 inside 東京都知事選挙
 *   FTS5 trigram                       423 ms  16.8 MB  4.1 ms     400/400    0/400 (≥3 only)  133/133
 *   unicode61 + Intl.Segmenter words   141 ms   2.4 MB  1.9 ms     400/400    400/400          0/133 (segments differ)
 *   unicode61 + one token per CJK char  83 ms   2.4 MB  1.9 ms     400/400    400/400          133/133
 *
 * Trigram is 7× bigger, slower to build, cannot find 2-character words (most Chinese words) and
 * matches inside English words ("anagement" hits every "management"). The Segmenter splits the
 * same characters differently in different contexts (東京都 alone is 東京|都, inside 東京都知事選挙
 * it is 東京|都知事), so a phrase search misses real occurrences. One token per ideograph/kana,
 * searched as a phrase, finds every occurrence exactly like a substring search: that is what
 * Fieldbook does. Thai, Lao, Khmer and Myanmar get the same treatment with one token per letter and
 * its combining marks (a grapheme cluster, near enough), so "ภาษา" is found inside a sentence.
 * Words of space-separated scripts are unicode61 words (case and Latin diacritics folded;
 * combining marks kept inside words for Indic scripts).
 */

export const FTS_TOKENIZE = `unicode61 remove_diacritics 2 categories 'L* N* Co M*'`;

/** Target length of one indexed chunk, in UTF-16 units (see above). */
export const CHUNK_CHARS = 64000;

// Characters that are each a token of their own (CJK), and letter+marks clusters of the scripts
// written without spaces between words.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3005\\u30fc\\uff66-\\uff9f';
const SEA = '\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const SOLO = `[${CJK}]|[${SEA}]\\p{M}*`;
const SOLO_TEST = new RegExp(`[${CJK}${SEA}]`, 'u');
const NON_ASCII = /[^\x00-\x7f]/;

/** Plain ASCII text: no folding to do, no CJK or Thai to split, and one pattern finds a term. */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}
const SOLO_ALL = new RegExp(SOLO, 'gu');

/** The form handed to FTS5: unchanged, except that each CJK character (Thai cluster...) becomes its own token. */
export function ftsForm(text: string): string {
  // The ASCII test is far cheaper than the script classes, and most text is ASCII.
  return NON_ASCII.test(text) && SOLO_TEST.test(text) ? text.replace(SOLO_ALL, ' $& ') : text;
}

export interface FtsToken {
  /** Folded (lower case, no Latin diacritics), as unicode61 compares. */
  norm: string;
  start: number;
  end: number;
}

const TOKEN = new RegExp(`${SOLO}|[\\p{L}\\p{N}\\p{Co}\\p{M}]+`, 'gu');
const SOLO_SPLIT = new RegExp(`(${SOLO})`, 'u');

const LATIN_DIACRITICS = /^[\u0300-\u036f]+$/;

/**
 * Folds a token as unicode61 with remove_diacritics 2 does: lower case; a letter whose canonical
 * decomposition is a Latin base plus Latin combining diacritics (U+0300–U+036F) becomes its base, and
 * those diacritics on their own vanish. Marks of other scripts (Devanagari vowel signs, Thai
 * vowels) stay part of the word, in FTS5 and here alike.
 */
export function foldToken(token: string): string {
  // Most words are ASCII: skip the per-character work for them (it dominated search time).
  if (!NON_ASCII.test(token)) return token.toLowerCase();
  let out = '';
  for (const ch of token) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x300 && code <= 0x36f) continue;
    if ((code >= 0xc0 && code < 0x250) || (code >= 0x1e00 && code < 0x1f00)) {
      const decomposed = ch.normalize('NFD');
      if (decomposed.length > 1 && LATIN_DIACRITICS.test(decomposed.slice(1))) {
        out += decomposed[0];
        continue;
      }
    }
    out += ch;
  }
  // FTS5 folds the word-final sigma ς to σ.
  return out.toLowerCase().replaceAll('ς', 'σ');
}

/** Tokens as the index sees them, with their [start, end) in the original string (for highlights). */
export function tokenize(text: string): FtsToken[] {
  return [...tokens(text)];
}

function* tokens(text: string): Generator<FtsToken> {
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index ?? 0;
    if (raw.length > 1 && SOLO_TEST.test(raw) && !isSolo(raw)) {
      // A letter run that touches CJK or Thai: split it where those characters are.
      let offset = 0;
      for (const part of raw.split(SOLO_SPLIT)) {
        if (part) yield { norm: foldToken(part), start: start + offset, end: start + offset + part.length };
        offset += part.length;
      }
      continue;
    }
    yield { norm: foldToken(raw), start, end: start + raw.length };
  }
}

const SOLO_WHOLE = new RegExp(`^(?:${SOLO})$`, 'u');
function isSolo(raw: string): boolean {
  return SOLO_WHOLE.test(raw);
}

/**
 * Collects the turns of one document, in order, into chunks and indexes each chunk as it fills.
 * Importers that have the text at hand feed the turns here as they write them (no re-read). A
 * chunk's indexed text runs from its first turn's start to its last turn's end, so words between
 * turns (a speaker's label) are indexed too: harmless, as every turn is judged on its own text.
 */
export class ChunkIndexer {
  private readonly insertChunk: Statement;
  private readonly insertFts: Statement;
  private start = -1;
  private lastStart = -1;
  private end = -1;

  constructor(
    db: Database,
    private readonly documentId: number,
    private readonly text: string,
  ) {
    this.insertChunk = cached(db, 'INSERT INTO search_chunk (document_id, start_char, last_start, end_char, ascii) VALUES (?, ?, ?, ?, ?)');
    this.insertFts = cached(db, 'INSERT INTO chunk_fts (rowid, body) VALUES (?, ?)');
  }

  /** One turn [start, end) of the text, in increasing start order. */
  add(start: number, end: number): void {
    // Never split turns that start at the same place: a chunk is "turns starting in a range".
    if (this.start >= 0 && this.end - this.start >= CHUNK_CHARS && start > this.lastStart) this.flush();
    if (this.start < 0) this.start = start;
    this.lastStart = start;
    this.end = Math.max(this.end, end);
  }

  flush(): void {
    if (this.start < 0) return;
    const body = this.text.slice(this.start, this.end);
    const ascii = isAscii(body);
    const id = Number(this.insertChunk.run(this.documentId, this.start, this.lastStart, this.end, ascii ? 1 : 0).lastInsertRowid);
    this.insertFts.run(id, ascii ? body : ftsForm(body));
    this.start = -1;
    this.lastStart = -1;
    this.end = -1;
  }
}

/**
 * (Re)indexes every turn of one document from the stored text (call it inside the importer's
 * transaction, after the turns are written). Safe to call again: the document's old chunks go.
 * Returns the number of turns indexed.
 */
export function indexDocumentTurns(db: Database, documentId: number): number {
  const doc = db.prepare('SELECT text FROM document WHERE id = ?').get(documentId) as { text: string } | undefined;
  if (!doc) return 0;
  db.prepare('DELETE FROM search_chunk WHERE document_id = ?').run(documentId);
  const turns = db
    .prepare('SELECT start_char AS start, end_char AS end FROM turn WHERE document_id = ? ORDER BY start_char, position')
    .all(documentId) as { start: number; end: number }[];
  const indexer = new ChunkIndexer(db, documentId, doc.text);
  for (const turn of turns) indexer.add(turn.start, turn.end);
  indexer.flush();
  return turns.length;
}
