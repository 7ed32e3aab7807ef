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

// 访谈者 / 采访者 (Chinese: interviewer), 主持人 (moderator).
const INTERVIEWER_LABELS = /^(interviewer|moderator|facilitator|researcher|host|int|mod|i|q|iv|interviewer \d+|moderator \d+|访谈者|采访者|访问者|主持人)$/i;

export function likelyInterviewer(label: string): boolean {
  return INTERVIEWER_LABELS.test(label.trim());
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Words as most word counters count them: runs of letters/digits (with ' and - inside), and each
 * CJK character on its own (CJK has no spaces). A character loop with an ASCII fast path: this runs
 * over every imported text, and the regex version cost a second per 45 MB.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let word: boolean;
    if (c < 128) {
      word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (inWord && (c === 39 || c === 45));
    } else {
      const ch = c >= 0xd800 && c <= 0xdbff ? text.slice(i, i + 2) : text[i] ?? '';
      if (CJK_CHAR.test(ch)) {
        words++;
        inWord = false;
        if (ch.length === 2) i++;
        continue;
      }
      word = WORD_CHAR.test(ch) || (inWord && c === 0x2019);
      if (ch.length === 2) i++;
    }
    if (word && !inWord) words++;
    inWord = word;
  }
  return words;
}
