import type { Database } from 'better-sqlite3';
import { FieldbookError } from '../../shared/errors';
import { runOperation } from '../history/history';
import type { Project } from '../store/project';

/**
 * Waves in time order. A table compares waves left to right, earliest first, and its change is
 * later minus earlier, so the order must be the order in time: the order the user set in
 * Data → Waves, else the years or dates in the wave labels. Import order is never used: a 2023
 * file imported after the 2025 one is still the earlier wave.
 */

export interface WaveRow {
  id: number;
  name: string;
  wave: string;
  wave_order: number | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A sortable time (year·10000 + month·100 + day) read from a wave label: "2024", "2024-03",
 * "2024-03-15", "March 2024", "Q3 2024", "2024 Q3", "H2 2024", "Spring 2025"; null without a year.
 */
export function labelTime(label: string): number | null {
  const text = label.trim().toLowerCase();
  const iso = /\b((?:19|20)\d{2})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b/.exec(text);
  if (iso) return Number(iso[1]) * 10000 + Number(iso[2]) * 100 + Number(iso[3] ?? 0);
  const yearMatch = /\b((?:19|20)\d{2})\b/.exec(text);
  if (!yearMatch) return null;
  const year = Number(yearMatch[1]);
  let month = 0;
  const quarter = /\bq([1-4])\b/.exec(text);
  const half = /\bh([12])\b/.exec(text);
  const monthIndex = MONTHS.findIndex((m) => new RegExp(`\\b${m}`).test(text));
  if (quarter) month = (Number(quarter[1]) - 1) * 3 + 1;
  else if (half) month = half[1] === '1' ? 1 : 7;
  else if (monthIndex >= 0) month = monthIndex + 1;
  else if (/\bspring\b/.test(text)) month = 3;
  else if (/\bsummer\b/.test(text)) month = 6;
  else if (/\b(autumn|fall)\b/.test(text)) month = 9;
  else if (/\bwinter\b/.test(text)) month = 12;
  return year * 10000 + month * 100;
}

/** "Wave 2", "W3", "Round 10": the number in a label without a year. */
function labelNumber(label: string): number | null {
  const m = /(\d+)\D*$/.exec(label.trim());
  return m ? Number(m[1]) : null;
}

const labelOf = (d: WaveRow): string => d.wave.trim() || d.name;

/** The waves in time order, and why that order (shown to the user, who can change it). */
export function orderWaves<T extends WaveRow>(rows: T[]): { ordered: T[]; reason: string } {
  if (rows.length < 2) return { ordered: [...rows], reason: 'a single wave' };
  if (rows.every((d) => d.wave_order !== null)) {
    return { ordered: [...rows].sort((a, b) => a.wave_order! - b.wave_order! || a.id - b.id), reason: 'the order you set' };
  }
  const times = rows.map((d) => labelTime(labelOf(d)));
  if (times.every((t) => t !== null) && new Set(times).size === rows.length) {
    return { ordered: rows.map((d, i) => ({ d, t: times[i]! })).sort((a, b) => a.t - b.t).map((x) => x.d), reason: 'the years or dates in the wave labels' };
  }
  const numbers = rows.map((d) => labelNumber(labelOf(d)));
  if (numbers.every((x) => x !== null) && new Set(numbers).size === rows.length) {
    return { ordered: rows.map((d, i) => ({ d, k: numbers[i]! })).sort((a, b) => a.k - b.k).map((x) => x.d), reason: 'the numbers in the wave labels' };
  }
  const ordered = [...rows].sort((a, b) => labelOf(a).localeCompare(labelOf(b), undefined, { numeric: true }) || a.id - b.id);
  return { ordered, reason: 'the wave labels in alphabetical order (they hold no year or date): set the order in Data → Waves' };
}

export function waveRows(db: Database, ids?: number[]): WaveRow[] {
  const all = db.prepare('SELECT id, name, wave, wave_order FROM dataset ORDER BY id').all() as WaveRow[];
  if (!ids) return all;
  return ids.map((id) => {
    const row = all.find((d) => d.id === id);
    if (!row) throw new FieldbookError('NOT_FOUND', `There is no dataset with id ${id} in this project.`, { record: id });
    return row;
  });
}

/** Sets the time order of every wave (earliest first), as one undoable step. */
export function setWaveOrder(project: Project, datasetIds: number[]): void {
  const all = waveRows(project.db);
  const given = new Set(datasetIds);
  if (given.size !== datasetIds.length || all.length !== datasetIds.length || all.some((d) => !given.has(d.id))) {
    throw new FieldbookError('INVALID_INPUT', `Give every wave once, earliest first: this project has ${all.length} (${all.map((d) => labelOf(d)).join(', ')}).`, {
      field: 'datasetIds',
    });
  }
  const labels = datasetIds.map((id) => labelOf(all.find((d) => d.id === id)!));
  runOperation(project, `Order waves: ${labels.join(', ')}`, (rec) => {
    datasetIds.forEach((id, k) => rec.update('dataset', id, { wave_order: k + 1 }));
  });
}
