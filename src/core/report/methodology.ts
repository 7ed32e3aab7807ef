import type { QuoteText } from '../../shared/contract/findings';
import { isoDay } from '../../shared/days';
import type { Project } from '../store/project';
import { loadColumn } from '../survey/store';
import type { ReportReader } from './view';

/**
 * The methodology section, written from the project itself: the waves and their sample sizes,
 * fieldwork dates (from the survey's own date fields), weighting, the tests the tables ran, the
 * bases, and the interviews with the participants' mix.
 */
export interface MethodologyWave {
  name: string;
  wave: string;
  respondents: number;
  /** "2025-03-04 to 2025-04-18", or null when the data has no dates. */
  fieldwork: string | null;
}

export interface Methodology {
  waves: MethodologyWave[];
  paragraphs: string[];
}

/** Dates the survey tool recorded (Qualtrics StartDate/RecordedDate, SurveyMonkey's dates, a date question). */
const DATE_NAME = /date|time|submitted|recorded/i;
const PLAUSIBLE = [Date.UTC(1990, 0, 1), Date.UTC(2100, 0, 1)] as const;

function fieldwork(project: Project, datasetId: number): string | null {
  const db = project.db;
  const variables = db.prepare("SELECT id, name, type FROM variable WHERE dataset_id = ? AND type IN ('date', 'metadata') ORDER BY position").all(datasetId) as {
    id: number;
    name: string;
    type: string;
  }[];
  let min = Infinity;
  let max = -Infinity;
  for (const v of variables) {
    if (v.type !== 'date' && !DATE_NAME.test(v.name)) continue;
    const column = loadColumn(db, v.id);
    const list = column.values as ArrayLike<number | string | null>;
    for (let i = 0; i < list.length; i++) {
      const raw = list[i];
      const time = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      if (!Number.isFinite(time) || time < PLAUSIBLE[0] || time > PLAUSIBLE[1]) continue;
      if (time < min) min = time;
      if (time > max) max = time;
    }
  }
  if (!Number.isFinite(min)) return null;
  return isoDay(min) === isoDay(max) ? isoDay(min) : `${isoDay(min)} to ${isoDay(max)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function participantMix(project: Project): string[] {
  const db = project.db;
  const interviewed = db
    .prepare(
      `SELECT DISTINCT p FROM (SELECT d.participant_id AS p FROM document d WHERE d.kind = 'transcript' AND d.participant_id IS NOT NULL
        UNION SELECT sp.participant_id FROM speaker sp JOIN document d ON d.id = sp.document_id WHERE d.kind = 'transcript' AND sp.is_interviewer = 0 AND sp.participant_id IS NOT NULL)`,
    )
    .pluck()
    .all() as number[];
  const transcripts = db.prepare("SELECT count(*) FROM document WHERE kind = 'transcript'").pluck().get() as number;
  if (transcripts === 0) return [];
  const lines = [`${plural(transcripts, 'interview')} with ${plural(interviewed.length, 'participant')}.`];
  if (interviewed.length === 0) return lines;
  const people = new Set(interviewed);
  const values = db
    .prepare("SELECT a.name, a.type, pa.participant_id, pa.value FROM participant_attribute pa JOIN attribute a ON a.id = pa.attribute_id WHERE a.type != 'number' ORDER BY a.position, a.id")
    .all() as { name: string; participant_id: number; value: string | number | null }[];
  const mix = new Map<string, Map<string, number>>();
  for (const v of values) {
    if (!people.has(v.participant_id) || v.value === null || v.value === '') continue;
    const counts = mix.get(v.name) ?? new Map<string, number>();
    counts.set(String(v.value), (counts.get(String(v.value)) ?? 0) + 1);
    mix.set(v.name, counts);
  }
  for (const [name, counts] of mix) {
    const list = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, n]) => `${value} (${n})`);
    lines.push(`${name}: ${list.join(', ')}.`);
  }
  return lines;
}

export function methodology(project: Project, reader: ReportReader, tableIds: number[], quotes: QuoteText[]): Methodology {
  const quoted = [...reader.attributor.quotes(quotes).values()];
  const db = project.db;
  const tables = tableIds.flatMap((id) => {
    try {
      return [reader.tables.get(id)];
    } catch {
      return [];
    }
  });
  const datasetIds = new Set(tables.flatMap((t) => (t.saved.spec.source.kind === 'dataset' ? t.saved.spec.source.datasetIds : [])));
  const datasets = db.prepare('SELECT id, name, wave, row_count FROM dataset ORDER BY wave, id').all() as { id: number; name: string; wave: string; row_count: number }[];
  const waves = datasets
    .filter((d) => datasetIds.size === 0 || datasetIds.has(d.id))
    .map((d) => ({ name: d.name, wave: d.wave, respondents: d.row_count, fieldwork: fieldwork(project, d.id) }));

  const paragraphs: string[] = [];
  if (waves.length > 0) {
    const sizes = waves.map((w) => `${w.wave || w.name}: ${w.respondents} respondents${w.fieldwork ? `, fieldwork ${w.fieldwork}` : ''}`);
    paragraphs.push(`Survey: ${plural(waves.length, 'wave')} (${sizes.join('; ')}).`);
  }
  const weighted = tables.filter((t) => t.result.weighted);
  if (tables.length > 0) {
    paragraphs.push(
      weighted.length === 0
        ? 'Figures are unweighted.'
        : `Weighting: ${weighted.map((t) => `“${t.saved.name}” is weighted by ${t.result.weightLabel ?? 'a weight'}`).join('; ')}${weighted.length < tables.length ? '; the other tables are unweighted' : ''}.`,
    );
    paragraphs.push(
      'Bases: each percentage is of the respondents (or participants) who answered the question, after any filter; multi-select shares are of respondents who chose at least one answer, so they can add up to more than 100%. The base of every figure is in its note; bases under 30 are flagged in the appendix.',
    );
    const methods = [...new Set(tables.map((t) => t.result.method).filter(Boolean))];
    for (const method of methods) paragraphs.push(`How the tables were computed: ${method}`);
  }
  paragraphs.push(...participantMix(project));
  if (quoted.length > 0) {
    const people = new Set(quoted.map((q) => q.person ?? `q${q.segmentId}`));
    paragraphs.push(`The report quotes ${plural(quotes.length, 'passage')} from ${plural(people.size, 'person', 'people')}; interview quotes are attributed by participant attributes, open-ended answers by the respondent's answers.`);
  }
  return { waves, paragraphs };
}
