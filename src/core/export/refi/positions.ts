import type { RefiPositionReading } from '../../../shared/contract/exports';
import { OffsetMap } from '../../coding/offsets';
import type { RefiProject } from './model';

/**
 * REFI-QDA says positions are Unicode code points, but NVivo writes UTF-16 code units (as .NET
 * strings count). The two differ only after a character outside the Basic Multilingual Plane
 * (emoji, CJK Extension B...). Per file, both readings are tried on every quote they disagree on:
 * a reading that runs past the text or splits a character is impossible; otherwise the reading
 * whose quotes start and end on word boundaries more often wins; a tie goes by the writer (origin).
 */

const WORD = /[\p{L}\p{N}\p{M}]/u;
const IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function charBefore(text: string, at: number): string {
  const unit = text.charCodeAt(at - 1);
  return unit >= 0xdc00 && unit <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text.slice(at - 1, at);
}

function charAt(text: string, at: number): string {
  return String.fromCodePoint(text.codePointAt(at) ?? 0);
}

/** A cut between two characters that does not go through a word (CJK characters are words of their own). */
function isBoundary(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return true;
  const before = charBefore(text, at);
  const after = charAt(text, at);
  if (!WORD.test(before) || !WORD.test(after)) return true;
  return IDEOGRAPH.test(before) || IDEOGRAPH.test(after);
}

function splitsPair(text: string, at: number): boolean {
  const unit = text.charCodeAt(at);
  return at > 0 && at < text.length && unit >= 0xdc00 && unit <= 0xdfff;
}

interface Tally {
  impossible: number;
  onBoundaries: number;
}

function nvivo(origin: string): boolean {
  return /nvivo/i.test(origin) && !/fieldbook/i.test(origin);
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export function decidePositions(refi: RefiProject): RefiPositionReading {
  const codePoints: Tally = { impossible: 0, onBoundaries: 0 };
  const utf16: Tally = { impossible: 0, onBoundaries: 0 };
  let differing = 0;
  for (const source of refi.sources) {
    const text = source.text;
    if (text === null || source.selections.length === 0) continue;
    const map = new OffsetMap(text);
    if (map.codePointLength === map.utf16Length) continue;
    for (const s of source.selections) {
      const asCodePoints = [map.toUtf16(s.start), map.toUtf16(s.end)] as const;
      if (asCodePoints[0] === s.start && asCodePoints[1] === s.end) continue;
      differing++;
      if (s.end > map.codePointLength) codePoints.impossible++;
      else if (isBoundary(text, asCodePoints[0]) && isBoundary(text, asCodePoints[1])) codePoints.onBoundaries++;
      if (s.end > map.utf16Length || splitsPair(text, s.start) || splitsPair(text, s.end)) utf16.impossible++;
      else if (isBoundary(text, s.start) && isBoundary(text, s.end)) utf16.onBoundaries++;
    }
  }
  const writer = refi.origin ? `the file was written by ${refi.origin}` : 'the file does not say which program wrote it';
  const byOrigin: RefiPositionReading['unit'] = nvivo(refi.origin) ? 'utf16' : 'codePoints';
  const originReason = byOrigin === 'utf16' ? `${writer}, which counts UTF-16 code units` : `${writer}, and REFI-QDA counts code points`;
  if (differing === 0) {
    return {
      unit: byOrigin,
      differing,
      reason: `No quote comes after an emoji or other character outside the Basic Multilingual Plane, so both readings give the same quotes; ${originReason}.`,
    };
  }
  const quotes = plural(differing, 'quote');
  if (codePoints.impossible !== utf16.impossible && Math.min(codePoints.impossible, utf16.impossible) === 0) {
    const unit = codePoints.impossible === 0 ? 'codePoints' : 'utf16';
    const other = unit === 'codePoints' ? utf16 : codePoints;
    const otherName = unit === 'codePoints' ? 'UTF-16 code units' : 'code points';
    return { unit, differing, reason: `Of ${quotes} that depend on it, ${other.impossible} would run past the text or split a character if read as ${otherName}.` };
  }
  if (codePoints.onBoundaries !== utf16.onBoundaries) {
    const unit = codePoints.onBoundaries > utf16.onBoundaries ? 'codePoints' : 'utf16';
    return {
      unit,
      differing,
      reason: `Of ${quotes} that depend on it, ${codePoints.onBoundaries} start and end on word boundaries read as code points, ${utf16.onBoundaries} read as UTF-16 code units.`,
    };
  }
  return { unit: byOrigin, differing, reason: `The ${quotes} that depend on it fit both readings equally; ${originReason}.` };
}

/** Both ends of a selection as UTF-16 indices into its text, under the chosen reading. */
export function selectionToUtf16(map: OffsetMap, unit: RefiPositionReading['unit'], start: number, end: number): [number, number] {
  if (unit === 'utf16') return [start, end];
  return [map.toUtf16(start), map.toUtf16(end)];
}

/** The text's length in the chosen unit, to check a selection against. */
export function lengthIn(map: OffsetMap, unit: RefiPositionReading['unit']): number {
  return unit === 'utf16' ? map.utf16Length : map.codePointLength;
}
