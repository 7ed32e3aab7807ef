import type { Database } from 'better-sqlite3';

/**
 * The full-text index: one FTS5 row per speaker turn (rowid = turn.id), contentless (the words
 * live once, in document.text), with a trigger that drops a turn's row when the turn goes.
 *
 * CJK (Chinese, Japanese) has no spaces, and unicode61 would make a whole sentence one token.
 * Measured here (20,000 turns of 60 words, 400 with Chinese/Japanese sentences; node 20, 2 cores):
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
 * searched as a phrase, finds every occurrence exactly like a substring search and is the fastest
 * and smallest: that is what Fieldbook does. Words of space-separated scripts are unicode61 words
 * (case and Latin diacritics folded; combining marks kept inside words for Indic scripts).
 */

export const FTS_TOKENIZE = `unicode61 remove_diacritics 2 categories 'L* N* Co M*'`;

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc\uff66-\uff9f]/u;
const CJK_CHARS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc\uff66-\uff9f]/gu;

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/** The form handed to FTS5: unchanged, except that each CJK character becomes its own token. */
export function ftsForm(text: string): string {
  return hasCjk(text) ? text.replace(CJK_CHARS, ' $& ') : text;
}

export interface FtsToken {
  /** Folded (lower case, no Latin diacritics), as unicode61 compares. */
  norm: string;
  start: number;
  end: number;
}

const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc\uff66-\uff9f]|[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const CJK_SPLIT_INSIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc\uff66-\uff9f]/u;

const NON_ASCII = /[^\x00-\x7f]/;

export function foldToken(token: string): string {
  // Most words are ASCII: skip Unicode normalisation for them (it dominated search time).
  if (!NON_ASCII.test(token)) return token.toLowerCase();
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Tokens as the index sees them, with their [start, end) in the original string (for highlights). */
export function tokenize(text: string): FtsToken[] {
  return [...tokens(text)];
}

/** The same tokens, one at a time, so a search can stop at the first match. */
export function* tokens(text: string): Generator<FtsToken> {
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index ?? 0;
    if (raw.length > 1 && CJK_SPLIT_INSIDE.test(raw)) {
      // A letter run that touches CJK: split it where the CJK characters are.
      let offset = 0;
      for (const part of raw.split(/([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc\uff66-\uff9f])/u)) {
        if (part) yield { norm: foldToken(part), start: start + offset, end: start + offset + part.length };
        offset += part.length;
      }
      continue;
    }
    yield { norm: foldToken(raw), start, end: start + raw.length };
  }
}

export function createSearchIndex(db: Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE turn_fts USING fts5(body, content='', contentless_delete=1, tokenize="${FTS_TOKENIZE}");
    CREATE TRIGGER turn_fts_delete AFTER DELETE ON turn BEGIN
      DELETE FROM turn_fts WHERE rowid = old.id;
    END;
  `);
}

/**
 * Indexes every turn of one document (call it inside the importer's transaction, after the turns
 * are written). Safe to call again: a turn's old row is replaced.
 */
export function indexDocumentTurns(db: Database, documentId: number): number {
  const doc = db.prepare('SELECT text FROM document WHERE id = ?').get(documentId) as { text: string } | undefined;
  if (!doc) return 0;
  const turns = db.prepare('SELECT id, start_char AS start, end_char AS end FROM turn WHERE document_id = ? ORDER BY position').all(documentId) as {
    id: number;
    start: number;
    end: number;
  }[];
  const remove = db.prepare('DELETE FROM turn_fts WHERE rowid = ?');
  const insert = db.prepare('INSERT INTO turn_fts (rowid, body) VALUES (?, ?)');
  for (const turn of turns) {
    remove.run(turn.id);
    insert.run(turn.id, ftsForm(doc.text.slice(turn.start, turn.end)));
  }
  return turns.length;
}

/** Indexes turns whose text is already at hand (the transcript importer's fast path). */
export function indexTurnTexts(db: Database, rows: { turnId: number; text: string }[]): void {
  const insert = db.prepare('INSERT INTO turn_fts (rowid, body) VALUES (?, ?)');
  for (const row of rows) insert.run(row.turnId, ftsForm(row.text));
}
