/**
 * Calendar days for date questions, whose answers are stored as milliseconds since 1970 (UTC, the
 * way the survey readers store dates). A filter "from 2024-01-01 to 2024-01-31" keeps the whole of
 * both days: from the first millisecond of the first to the last millisecond of the last.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first millisecond of an ISO day ("2024-01-31"), or NaN when the text is no such day. */
export function dayStart(text: string): number {
  const m = DAY.exec(text.trim());
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2024-02-30 over into March: such a day does not exist.
  return new Date(time).getUTCDate() === day && month >= 1 && month <= 12 ? time : Number.NaN;
}

/** The last millisecond of an ISO day, or NaN. */
export function dayEnd(text: string): number {
  const start = dayStart(text);
  return Number.isNaN(start) ? start : start + 86_400_000 - 1;
}

/** The ISO day a time falls on ("2024-01-31"). */
export function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
