import { FieldbookError } from '../../../shared/errors';
import { buildTranscript, likelyInterviewer, type ParsedTranscript, type RawTurn } from './model';

/**
 * WebVTT (Zoom, Teams, YouTube) and SRT. A cue's speaker comes from `<v Name>` (Teams) or a
 * "Name: " prefix (Zoom). Consecutive cues of the same named speaker are one turn, because
 * captioners cut sentences into 2-second pieces; unnamed cues stay separate so no timing is lost.
 */

const VTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT_TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{1,3})$/;

function timeMs(value: string, pattern: RegExp): number | null {
  const m = pattern.exec(value.trim());
  if (!m) return null;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number((m[4] ?? '0').padEnd(3, '0'));
}

interface Cue {
  startMs: number;
  endMs: number;
  lines: string[];
}

function parseTiming(line: string, lineNo: number, file: string, pattern: RegExp, example: string): { startMs: number; endMs: number } {
  const arrow = line.indexOf('-->');
  const left = line.slice(0, arrow).trim();
  const right = line.slice(arrow + 3).trim().split(/\s+/)[0] ?? '';
  const startMs = timeMs(left, pattern);
  if (startMs === null) {
    throw new FieldbookError('PARSE_ERROR', `${file}, line ${lineNo}: the start time "${left}" is not a valid time (expected like ${example}).`, {
      file,
      line: lineNo,
      column: 1,
    });
  }
  const endMs = timeMs(right, pattern);
  if (endMs === null) {
    throw new FieldbookError('PARSE_ERROR', `${file}, line ${lineNo}: the end time "${right}" is not a valid time (expected like ${example}).`, {
      file,
      line: lineNo,
      column: line.indexOf(right, arrow) + 1,
    });
  }
  if (endMs < startMs) {
    throw new FieldbookError('PARSE_ERROR', `${file}, line ${lineNo}: the caption ends (${right}) before it starts (${left}).`, {
      file,
      line: lineNo,
      column: 1,
    });
  }
  return { startMs, endMs };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Speaker and plain text of one cue: voice tag first, then a "Name:" prefix. */
function cueText(lines: string[]): { speaker: string | null; text: string; voiced: boolean } {
  let speaker: string | null = null;
  const out: string[] = [];
  for (const line of lines) {
    const voice = /<v(?:\.[^\s>]+)*\s+([^>]+)>/.exec(line);
    if (voice?.[1] && speaker === null) speaker = decodeEntities(voice[1].trim());
    // Every tag goes: <v>, <c.x>, <b>, <i>, <u>, <ruby>, <lang>, and inline timestamps <00:17.500>.
    const plain = decodeEntities(line.replace(/<[^>]*>/g, '')).replace(/\{\\[^}]*\}/g, '');
    out.push(plain.trim());
  }
  let text = out.filter((l) => l !== '').join('\n');
  const voiced = speaker !== null;
  if (speaker === null) {
    const prefix = /^([\p{L}][\p{L}\p{N} .'’_-]{0,39}?)\s*:\s+(.+)$/su.exec(text);
    if (prefix?.[1] && prefix[2] && prefix[1].split(/\s+/).length <= 4) {
      speaker = prefix[1].trim();
      text = prefix[2];
    }
  }
  return { speaker, text, voiced };
}

/** "Interviewer", "P04", "MODERATOR": a label that names a speaker even when it appears once. */
function looksLikeSpeaker(label: string): boolean {
  const shouty = label === label.toUpperCase() && /\p{Lu}/u.test(label);
  const idLike = /^[\p{L}]{1,3}\d{1,3}$/u.test(label) || /^(speaker|participant|respondent|interviewee)\s*\d*$/i.test(label);
  return shouty || idLike || likelyInterviewer(label);
}

function cuesToTurns(cues: Cue[]): RawTurn[] {
  const parsed = cues.map((cue) => ({ cue, ...cueText(cue.lines) }));
  // A "Name:" prefix found only once might be text ("Note: ..."); voice tags are always trusted.
  const prefixCounts = new Map<string, number>();
  for (const p of parsed) if (p.speaker && !p.voiced) prefixCounts.set(p.speaker, (prefixCounts.get(p.speaker) ?? 0) + 1);
  const turns: RawTurn[] = [];
  for (const p of parsed) {
    if (p.text.trim() === '') continue;
    let speaker = p.speaker;
    let text = p.text;
    const recurring = [...prefixCounts.values()].some((n) => n >= 2) && prefixCounts.size >= 2;
    if (speaker !== null && !p.voiced && (prefixCounts.get(speaker) ?? 0) < 2 && !recurring && !looksLikeSpeaker(speaker)) {
      text = `${speaker}: ${text}`;
      speaker = null;
    }
    const last = turns[turns.length - 1];
    if (speaker !== null && last && last.speaker === speaker) {
      last.text += ' ' + text;
      last.endMs = p.cue.endMs;
      continue;
    }
    turns.push({ speaker, text, startMs: p.cue.startMs, endMs: p.cue.endMs });
  }
  return turns;
}

export function parseVtt(source: string, file: string, encoding: string | null): ParsedTranscript {
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const first = lines[0] ?? '';
  if (!/^WEBVTT(?:[ \t].*)?$/.test(first)) {
    throw new FieldbookError('PARSE_ERROR', `${file}, line 1: a WebVTT file must start with "WEBVTT".`, { file, line: 1, column: 1 });
  }
  const meta: Record<string, string> = {};
  const title = first.slice(6).trim().replace(/^-\s*/, '');
  if (title) meta.title = title;
  let i = 1;
  let lastKey: string | null = null;
  // Header: every line up to the first blank one ("Kind: captions", or multi-line values).
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) {
    const line = lines[i] ?? '';
    if (line.includes('-->')) break;
    const kv = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (kv?.[1] !== undefined) {
      lastKey = kv[1];
      meta[lastKey] = kv[2] ?? '';
    } else if (lastKey) meta[lastKey] += '\n' + line;
  }
  const cues: Cue[] = [];
  while (i < lines.length) {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') {
      // Some captioners write the next cue straight after the text, without a blank line: a second
      // timing line (or an identifier line right before one) starts a new cue.
      const line = lines[i] ?? '';
      const identifier = (lines[i + 1] ?? '').includes('-->') && /^[\w-]*\d[\w-]*$/.test(line.trim());
      const startsCue = line.includes('-->') || identifier;
      if (block.some((l) => l.includes('-->')) && startsCue) break;
      block.push(lines[i++] ?? '');
    }
    const head = block[0] ?? '';
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) continue;
    let timingIndex = block.findIndex((l) => l.includes('-->'));
    if (timingIndex > 1 || timingIndex < 0) {
      // Per the spec a cue is an optional identifier line, then its timing line.
      timingIndex = -1;
    }
    if (timingIndex < 0) {
      throw new FieldbookError(
        'PARSE_ERROR',
        `${file}, line ${blockStart + 1}: this caption has no timing line (like 00:00:01.000 --> 00:00:04.000) before "${head.slice(0, 40)}".`,
        { file, line: blockStart + 1, column: 1 },
      );
    }
    const timingLine = blockStart + timingIndex + 1;
    const { startMs, endMs } = parseTiming(block[timingIndex] ?? '', timingLine, file, VTT_TIME, '00:01:02.500');
    cues.push({ startMs, endMs, lines: block.slice(timingIndex + 1) });
  }
  return buildTranscript('vtt', encoding, cuesToTurns(cues), meta);
}

function captionLines(source: string): string[] {
  return source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
}

function skipBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  return i;
}

export function parseSrt(source: string, file: string, encoding: string | null): ParsedTranscript {
  const lines = captionLines(source);
  const cues: Cue[] = [];
  let i = 0;
  while ((i = skipBlank(lines, i)) < lines.length) {
    const blockStart = i;
    let timingIndex = i;
    if (/^\d+\s*$/.test(lines[i] ?? '')) timingIndex = i + 1;
    const timing = lines[timingIndex] ?? '';
    if (!timing.includes('-->')) {
      throw new FieldbookError(
        'PARSE_ERROR',
        `${file}, line ${timingIndex + 1}: expected a timing line like 00:00:01,000 --> 00:00:04,000 for the subtitle starting at line ${blockStart + 1}.`,
        { file, line: timingIndex + 1, column: 1 },
      );
    }
    const { startMs, endMs } = parseTiming(timing, timingIndex + 1, file, SRT_TIME, '00:01:02,500');
    i = timingIndex + 1;
    const text: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') text.push(lines[i++] ?? '');
    cues.push({ startMs, endMs, lines: text });
  }
  if (cues.length === 0) throw new FieldbookError('PARSE_ERROR', `${file} has no subtitles in it.`, { file });
  return buildTranscript('srt', encoding, cuesToTurns(cues));
}

const SBV_TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)\.(\d{1,3})$/;

/**
 * YouTube's .sbv captions: "0:00:01.000,0:00:04.000" then the text, cues separated by blank lines.
 * Read like SRT (speakers from "Name:" prefixes, same merging of a speaker's cues).
 */
export function parseSbv(source: string, file: string, encoding: string | null): ParsedTranscript {
  const lines = captionLines(source);
  const cues: Cue[] = [];
  let i = 0;
  while ((i = skipBlank(lines, i)) < lines.length) {
    const timing = (lines[i] ?? '').trim();
    const [left = '', right = '', ...rest] = timing.split(',');
    if (rest.length > 0 || !right) {
      throw new FieldbookError('PARSE_ERROR', `${file}, line ${i + 1}: expected a timing line like 0:00:01.000,0:00:04.000, not "${timing.slice(0, 40)}".`, {
        file,
        line: i + 1,
        column: 1,
      });
    }
    const { startMs, endMs } = parseTiming(`${left} --> ${right}`, i + 1, file, SBV_TIME, '0:01:02.500');
    i++;
    const text: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') text.push(lines[i++] ?? '');
    cues.push({ startMs, endMs, lines: text });
  }
  if (cues.length === 0) throw new FieldbookError('PARSE_ERROR', `${file} has no captions in it.`, { file });
  return buildTranscript('sbv', encoding, cuesToTurns(cues));
}
