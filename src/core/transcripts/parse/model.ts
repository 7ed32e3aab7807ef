import type { TranscriptFormat } from '../../../shared/contract/transcripts';

/** One speaker turn as parsed: [start, end) are JavaScript string indices into the text. */
export interface ParsedTurn {
  speaker: string | null;
  start: number;
  end: number;
  startMs: number | null;
  endMs: number | null;
}

export interface ParsedTranscript {
  format: TranscriptFormat;
  encoding: string | null;
  /** What was said: turns joined by blank lines, without "Speaker:" prefixes. */
  text: string;
  turns: ParsedTurn[];
  /** Header metadata (WebVTT "Kind: captions"...). */
  meta: Record<string, string>;
}

export interface RawTurn {
  speaker: string | null;
  text: string;
  startMs: number | null;
  endMs: number | null;
}

/** Joins turns into the document text, recording where each one lands. Empty turns are dropped. */
export function buildTranscript(format: TranscriptFormat, encoding: string | null, raw: RawTurn[], meta: Record<string, string> = {}): ParsedTranscript {
  const parts: string[] = [];
  const turns: ParsedTurn[] = [];
  let offset = 0;
  for (const turn of raw) {
    const text = turn.text.trim();
    if (text === '') continue;
    if (parts.length > 0) offset += 2;
    parts.push(text);
    turns.push({ speaker: turn.speaker, start: offset, end: offset + text.length, startMs: turn.startMs, endMs: turn.endMs });
    offset += text.length;
  }
  return { format, encoding, text: parts.join('\n\n'), turns, meta };
}

const INTERVIEWER_LABELS = /^(interviewer|moderator|facilitator|researcher|host|int|mod|i|q|iv|interviewer \d+|moderator \d+)$/i;

export function likelyInterviewer(label: string): boolean {
  return INTERVIEWER_LABELS.test(label.trim());
}

export function countWords(text: string): number {
  // CJK has no spaces: count each ideograph/kana as a word, like most word counters do.
  let words = 0;
  for (const _ of text.matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*/gu)) words++;
  return words;
}
