import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import regexpTokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import stopwordList from 'natural/lib/natural/util/stopwords.js';

/** A token as features see it (stem) and as a person reads it (the first surface form seen). */
export interface Token {
  stem: string;
  surface: string;
}

// Negations and degree words decide codes like "Wording not clear" vs "... clear": keep them.
const KEPT = new Set(['not', 'no', 'nor', 'cannot', 'never', 'too', 'very', 't']);
const STOP = new Set(stopwordList.words.filter((word) => !KEPT.has(word)));
// natural's WordTokenizer splits "don't" into "don" + "t"; the "t" carries the negation.
STOP.delete('t');

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
const KANA = /[\u3040-\u30ff]/;
const wordTokenizer = new regexpTokenizers.WordTokenizer();
const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

export type Script = 'latin' | 'zh' | 'ja';

export function detectScript(text: string): Script {
  if (!CJK.test(text)) return 'latin';
  return KANA.test(text) ? 'ja' : 'zh';
}

// The Porter stemmer is the slowest step of scoring; words repeat, so their stems are remembered
// (bounded, so a huge import cannot grow it without limit).
const stems = new Map<string, string>();

function stem(lower: string): string {
  let s = stems.get(lower);
  if (s === undefined) {
    s = PorterStemmer.stem(lower);
    if (stems.size > 200_000) stems.clear();
    stems.set(lower, s);
  }
  return s;
}

function englishToken(raw: string): Token | null {
  const lower = raw.toLowerCase();
  if (STOP.has(lower) || lower.length === 0) return null;
  // Bare numbers are almost always timestamps or counts in transcripts: noise for themes.
  if (/^\d+$/.test(lower)) return null;
  return { stem: stem(lower), surface: lower };
}

/**
 * English (and other Latin-script text): natural's word tokenizer, its English stop words (minus
 * negations) and the Porter stemmer. Chinese and Japanese: Intl.Segmenter's dictionary word
 * boundaries (ICU), no stemming; Latin words inside such text still go through the English path.
 */
export function tokenize(text: string): Token[] {
  const script = detectScript(text);
  const out: Token[] = [];
  if (script === 'latin') {
    for (const raw of wordTokenizer.tokenize(text)) {
      const token = englishToken(raw);
      if (token) out.push(token);
    }
    return out;
  }
  for (const part of segmenter(script).segment(text)) {
    if (!part.isWordLike) continue;
    if (CJK.test(part.segment)) {
      out.push({ stem: part.segment, surface: part.segment });
    } else {
      for (const raw of wordTokenizer.tokenize(part.segment)) {
        const token = englishToken(raw);
        if (token) out.push(token);
      }
    }
  }
  return out;
}

/** Unigram and adjacent-bigram feature names, with a readable phrase for each (for evidence). */
export function featureTerms(tokens: readonly Token[]): { term: string; phrase: string }[] {
  const out: { term: string; phrase: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    out.push({ term: t.stem, phrase: t.surface });
    if (i + 1 < tokens.length) {
      const n = tokens[i + 1]!;
      out.push({ term: `${t.stem} ${n.stem}`, phrase: `${t.surface} ${n.surface}` });
    }
  }
  return out;
}

/** The feature names only (what vectors need, without the readable phrases). */
export function featureKeys(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    out.push(tokens[i]!.stem);
    if (i + 1 < tokens.length) out.push(`${tokens[i]!.stem} ${tokens[i + 1]!.stem}`);
  }
  return out;
}
