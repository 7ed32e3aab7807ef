import type { TranscriptFormat } from '../../../shared/contract/transcripts';
import { buildTranscript, likelyInterviewer, type ParsedTranscript, type RawTurn } from './model';

/**
 * Plain-text transcripts as people and tools write them:
 *  - "Name: what they said"  (also "**Name:**" in Markdown, "[00:01:02] Name:" with a time)
 *  - "[id1] what they said"  (QualCoder-style bracket ids)
 *  - Otter exports: a "Name  0:13" line, then what they said on the following lines
 *  - anything else: blank-line separated paragraphs, each its own turn without a speaker
 */

const TIME = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;
const LEADING_TIME = new RegExp(String.raw`^[\[(]?(${TIME})[\])]?\s+`);
const OTTER_HEADER = new RegExp(String.raw`^(\S.{0,59}?)\s+(${TIME})\s*$`);
const BRACKET = /^\[([^\]\s][^\]]{0,39})\]\s*(.*)$/;
// "Alice Smith (00:01:02): text" or "Alice Smith [1:02]" — the time after the name.
const NAME_TIME = new RegExp(String.raw`^([\p{L}][\p{L}\p{N} .'’_-]{0,39}?)\s*[\[(](${TIME})[\])]\s*[:：]?(?:\s+|$)(.*)$`, 'u');
// What transcribers put in brackets that is not a speaker: "[laughs]", "[inaudible 00:12]".
const ANNOTATION = /^(laugh\w*|inaudible|unintelligible|crosstalk|cross talk|overlapping|pause|silence|music|applause|noise|coughs?|sighs?|redacted|\?+|\.+)\b/i;
const ONLY_TIME = new RegExp(String.raw`^[\[(]?(${TIME})[\])]?$`);
// A label: 1-4 words starting with a letter, ≤ 40 characters, no sentence punctuation inside.
// A full-width colon (Chinese, Japanese) is followed directly by the words, with no space.
const COLON = /^(?:\*\*|__)?([\p{L}][\p{L}\p{N} .'’()_#-]{0,39}?)(?:\*\*|__)?\s*(?::(?:\*\*|__)?(?:\s+|$)|：(?:\*\*|__)?\s*)(.*)$/u;

export function parseTimestamp(value: string): number | null {
  const m = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/.exec(value);
  if (!m) return null;
  const hours = Number(m[1] ?? 0);
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  const fraction = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  if (seconds > 59 || (m[1] !== undefined && minutes > 59)) return null;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction;
}

interface Marker {
  speaker: string;
  rest: string;
  startMs: number | null;
  /** Brackets or a time next to the name: a speaker label beyond doubt. */
  strong?: boolean;
}

function colonMarker(line: string): Marker | null {
  let startMs: number | null = null;
  let body = line;
  const time = LEADING_TIME.exec(body);
  if (time?.[1]) {
    startMs = parseTimestamp(time[1]);
    body = body.slice(time[0].length);
  }
  const bracket = BRACKET.exec(body);
  if (bracket?.[1] && parseTimestamp(bracket[1]) === null && !ANNOTATION.test(bracket[1].trim())) {
    // Zoom's "[Alice Smith] 10:03:12" puts the time after the name.
    const rest = bracket[2] ?? '';
    const time = ONLY_TIME.exec(rest.trim());
    if (time?.[1]) return { speaker: bracket[1].trim(), rest: '', startMs: startMs ?? parseTimestamp(time[1]), strong: true };
    return { speaker: bracket[1].trim(), rest, startMs };
  }
  const named = NAME_TIME.exec(body);
  if (named?.[1] && named[2] && named[1].split(/\s+/).length <= 4) {
    return { speaker: named[1].trim(), rest: named[3] ?? '', startMs: startMs ?? parseTimestamp(named[2]), strong: true };
  }
  const colon = COLON.exec(body);
  if (colon?.[1]) {
    const label = colon[1].trim();
    if (label.split(/\s+/).length <= 4 && !/^(https?|mailto|ftp)$/i.test(label)) return { speaker: label, rest: colon[2] ?? '', startMs };
  }
  return null;
}

/**
 * A "Name:" at the start of a line is only a speaker if it looks like one across the file: it
 * recurs, is written in capitals, is a role word, or sits among other labels. "Note: ..." once in
 * a paragraph is text.
 */
function acceptedLabels(markers: (Marker | null)[]): Set<string> {
  const counts = new Map<string, number>();
  const accepted = new Set<string>();
  for (const marker of markers) {
    if (marker) counts.set(marker.speaker, (counts.get(marker.speaker) ?? 0) + 1);
    if (marker?.strong) accepted.add(marker.speaker);
  }
  const recurring = [...counts.values()].filter((n) => n >= 2).length;
  for (const [label, n] of counts) {
    const shouty = label === label.toUpperCase() && /\p{Lu}/u.test(label);
    const idLike = /^[\p{L}]{1,3}\d{1,3}$/u.test(label) || /^(speaker|participant|respondent|interviewee|p|r)\s*\d*$/i.test(label);
    if (n >= 2 || shouty || idLike || likelyInterviewer(label) || (recurring >= 1 && n >= 1 && counts.size >= 2 && label.length <= 20)) accepted.add(label);
  }
  return accepted;
}

function parseOtter(lines: string[], markers: (Marker | null)[]): RawTurn[] | null {
  let headers = 0;
  for (let i = 0; i < lines.length && headers < 2; i++) {
    // Otter headers are short lines; skip the regex on long ones.
    const line = lines[i] ?? '';
    if (line.length < 80 && markers[i] === null && OTTER_HEADER.test(line.trim())) headers++;
  }
  if (headers < 2) return null;
  const turns: RawTurn[] = [];
  let current: RawTurn | null = null;
  let body: string[] = [];
  const flush = () => {
    if (current) turns.push({ ...current, text: body.join('\n').replace(/\n{3,}/g, '\n\n') });
    else if (body.some((l) => l.trim())) turns.push({ speaker: null, text: body.join('\n'), startMs: null, endMs: null });
    body = [];
  };
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const header = line.length < 80 ? OTTER_HEADER.exec(line) : null;
    if (header?.[1] && header[2] && markers[index] === null) {
      flush();
      current = { speaker: header[1].trim(), text: '', startMs: parseTimestamp(header[2]), endMs: null };
      continue;
    }
    if (line === '' && body.length === 0) continue;
    body.push(line);
  }
  flush();
  for (const turn of turns) turn.text = turn.text.trim();
  return turns;
}

export function parseTextTurns(text: string): RawTurn[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const markers = lines.map((line) => colonMarker(line.trim()));
  const otter = parseOtter(lines, markers);
  if (otter) return otter;
  const accepted = acceptedLabels(markers);
  const turns: RawTurn[] = [];
  let current: RawTurn | null = null;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') {
      if (current) turns.push(current);
      current = null;
      continue;
    }
    const marker = markers[index] ?? null;
    if (marker && accepted.has(marker.speaker)) {
      if (current) turns.push(current);
      current = { speaker: marker.speaker, text: marker.rest, startMs: marker.startMs, endMs: null };
      continue;
    }
    if (current) current.text += (current.text ? '\n' : '') + line;
    else current = { speaker: null, text: raw.replace(/^\uFEFF/, '').trimEnd(), startMs: null, endMs: null };
  }
  if (current) turns.push(current);
  return turns;
}

export function parsePlainText(text: string, format: TranscriptFormat, encoding: string | null): ParsedTranscript {
  return buildTranscript(format, encoding, parseTextTurns(text));
}
