import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import regexpTokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import type { SentimentLabel } from '../../shared/contract/suggest';
import { detectScript } from './engine/tokenize';

let analyzer: SentimentAnalyzer | null = null;
const words = new regexpTokenizers.WordTokenizer();

/**
 * natural's SentimentAnalyzer with the English AFINN list (negations flip the sign). Only English
 * is scored: Chinese and Japanese text gets null, and other Latin-script languages would be scored
 * against English words, so the UI labels the filter "English".
 */
export function sentimentOf(text: string): number | null {
  if (detectScript(text) !== 'latin') return null;
  const tokens = words.tokenize(text);
  if (tokens.length === 0) return null;
  analyzer ??= new SentimentAnalyzer('English', PorterStemmer, 'afinn');
  const score = analyzer.getSentiment(tokens);
  return Number.isFinite(score) ? Math.round(score * 1000) / 1000 : null;
}

/** AFINN averages per word: a passage above +0.05 reads positive, below -0.05 negative. */
export function sentimentLabel(score: number | null): SentimentLabel | null {
  if (score === null) return null;
  return score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral';
}
