import type { QuoteChoice, QuoteText, ReportSettings } from '../../shared/contract/findings';
import { SEGMENT_TURN_SQL, subtreeIds } from '../coding/codebook';
import { projectPseudonyms } from '../coding/pseudonyms';
import { nameHider, redactor } from '../export/quotes/collect';
import type { Project } from '../store/project';
import { loadColumn } from '../survey/store';

/** A quote as read from the file, before attribution. */
interface QuoteRow {
  segment_id: number | null;
  turn_id: number | null;
  document_id: number;
  document_name: string;
  kind: string;
  dataset_id: number | null;
  wave: string | null;
  text: string;
  participant_id: number | null;
  participant_name: string | null;
  respondent_row: number | null;
}

export interface ResolvedQuote extends QuoteText {
  /** Who it is (for counting people in the methodology). */
  person: string | null;
}

const SEGMENT_SQL = `SELECT s.id AS segment_id, t.id AS turn_id, d.id AS document_id, d.name AS document_name, d.kind, d.dataset_id, ds.wave, s.text,
       p.id AS participant_id, p.name AS participant_name, t.respondent_row
  FROM segment s JOIN document d ON d.id = s.document_id LEFT JOIN dataset ds ON ds.id = d.dataset_id
  LEFT JOIN turn t ON t.id = ${SEGMENT_TURN_SQL}
  LEFT JOIN speaker sp ON sp.id = t.speaker_id
  LEFT JOIN participant p ON p.id = COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id)`;

const TURN_SQL = `SELECT NULL AS segment_id, t.id AS turn_id, d.id AS document_id, d.name AS document_name, d.kind, d.dataset_id, ds.wave,
       substr(d.text, t.start_char + 1, t.end_char - t.start_char) AS text,
       p.id AS participant_id, p.name AS participant_name, t.respondent_row
  FROM turn t JOIN document d ON d.id = t.document_id LEFT JOIN dataset ds ON ds.id = d.dataset_id
  LEFT JOIN speaker sp ON sp.id = t.speaker_id
  LEFT JOIN participant p ON p.id = COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id)`;

/**
 * Attributes quotes the way the report's settings say: interview quotes by the participant's
 * attributes (after the project pseudonym when pseudonyms are on), open-ended answers by the
 * respondent's answers to the chosen questions of that wave. Reused for one report read, so each
 * survey column is decoded once.
 */
export class Attributor {
  private readonly attributes = new Map<number, Record<string, string>>();
  private readonly attributeNames: string[];
  private readonly columns = new Map<string, ((row: number) => string | null) | null>();
  private readonly redact: (text: string) => string;

  constructor(
    private readonly project: Project,
    private readonly settings: ReportSettings,
  ) {
    const db = project.db;
    this.attributeNames = (db.prepare('SELECT name FROM attribute ORDER BY position, id').pluck().all() as string[]);
    for (const v of db.prepare('SELECT pa.participant_id, a.name, pa.value FROM participant_attribute pa JOIN attribute a ON a.id = pa.attribute_id').all() as {
      participant_id: number;
      name: string;
      value: string | number | null;
    }[]) {
      if (v.value === null || v.value === '') continue;
      const record = this.attributes.get(v.participant_id) ?? {};
      record[v.name] = String(v.value);
      this.attributes.set(v.participant_id, record);
    }
    this.redact = redactor(settings.redact);
  }

  /** The answer of one respondent of a dataset to a question (by name), as its label. */
  private answer(datasetId: number, name: string, row: number): string | null {
    const key = `${datasetId}:${name}`;
    let read = this.columns.get(key);
    if (read === undefined) {
      const db = this.project.db;
      const variable = db.prepare('SELECT id FROM variable WHERE dataset_id = ? AND (name = ? OR question_group = ?) ORDER BY position LIMIT 1').get(datasetId, name, name) as
        | { id: number }
        | undefined;
      if (!variable) read = null;
      else {
        const column = loadColumn(db, variable.id);
        const labels = new Map(
          (db.prepare('SELECT code, label FROM value_label WHERE variable_id = ?').all(variable.id) as { code: string | number; label: string }[]).map((l) => [String(l.code), l.label]),
        );
        read = (r: number) => {
          const value = column.values[r];
          if (value === undefined || value === null) return null;
          if (column.encoding === 'text') return value as string;
          const n = value as number;
          if (column.encoding === 'i32' && n === -2147483648) return null;
          if (column.encoding === 'f64' && Number.isNaN(n)) return null;
          return labels.get(String(n)) ?? String(n);
        };
      }
      this.columns.set(key, read);
    }
    return read ? read(row) : null;
  }

  resolve(rows: QuoteRow[]): ResolvedQuote[] {
    const people = rows.flatMap((r) => (r.participant_id === null ? [] : [r.participant_id]));
    const aliases = this.settings.pseudonyms ? projectPseudonyms(this.project.db, people) : new Map<number, string>();
    const hide = this.settings.pseudonyms ? nameHider(rows, aliases) : (text: string) => text;
    const names = this.settings.attributionAttributes ?? this.attributeNames;
    return rows.map((row) => {
      let parts: string[];
      let person: string | null;
      if (row.participant_id !== null) {
        const own = this.attributes.get(row.participant_id) ?? {};
        const described = names.map((n) => own[n]).filter((v): v is string => v !== undefined && v !== '');
        const who = this.settings.pseudonyms ? (aliases.get(row.participant_id) as string) : (row.participant_name as string);
        parts = this.settings.pseudonyms ? [who, ...described] : described.length > 0 ? described : [who];
        person = `p${row.participant_id}`;
      } else if (row.respondent_row !== null && row.dataset_id !== null) {
        const datasetId = row.dataset_id;
        const respondentRow = row.respondent_row;
        const answers = this.settings.verbatimAnswers.map((n) => this.answer(datasetId, n, respondentRow)).filter((v): v is string => v !== null && v !== '');
        parts = answers.length > 0 ? answers : [`Respondent ${respondentRow + 1}`];
        if (row.wave) parts.push(row.wave);
        person = `r${datasetId}:${respondentRow}`;
      } else {
        parts = [];
        person = null;
      }
      const clean = (text: string) => this.redact(hide(text));
      return {
        kind: row.kind === 'survey_text' ? 'verbatim' : 'segment',
        segmentId: row.segment_id,
        turnId: row.segment_id === null ? row.turn_id : null,
        text: clean(row.text),
        attribution: this.redact(hide(parts.join(', '))),
        documentName: clean(row.document_name),
        person,
      };
    });
  }

  /** Quotes by their reference; a reference whose quote is gone is left out of the map. */
  quotes(refs: { segmentId: number | null; turnId: number | null }[]): Map<string, ResolvedQuote> {
    const db = this.project.db;
    const bySegment = db.prepare(`${SEGMENT_SQL} WHERE s.id = ?`);
    const byTurn = db.prepare(`${TURN_SQL} WHERE t.id = ?`);
    const rows: QuoteRow[] = [];
    const keys: string[] = [];
    for (const ref of refs) {
      const row = (ref.segmentId !== null ? bySegment.get(ref.segmentId) : byTurn.get(ref.turnId)) as QuoteRow | undefined;
      if (row) {
        rows.push(row);
        keys.push(quoteKey(ref));
      }
    }
    const resolved = this.resolve(rows);
    return new Map(keys.map((k, i) => [k, resolved[i]!]));
  }

  /** Quotes to pick from: a code's coded quotes, or the open answers of a question (every wave). */
  choices(input: {
    codeId?: number | undefined;
    variable?: string | undefined;
    search: string;
    attributes: Record<string, string[]>;
    waves: string[];
    limit: number;
  }): QuoteChoice[] {
    const db = this.project.db;
    const needle = input.search.toLocaleLowerCase();
    let rows: QuoteRow[] = [];
    const codesOf = new Map<number, string[]>();
    if (input.codeId !== undefined) {
      const ids = subtreeIds(this.project, input.codeId);
      const marks = ids.map(() => '?').join(',');
      rows = db.prepare(`${SEGMENT_SQL} WHERE s.id IN (SELECT segment_id FROM coding WHERE code_id IN (${marks})) ORDER BY s.starred DESC, d.name, s.start_char`).all(...ids) as QuoteRow[];
      for (const c of db.prepare(`SELECT DISTINCT g.segment_id AS id, c.name FROM coding g JOIN code c ON c.id = g.code_id WHERE g.code_id IN (${marks})`).all(...ids) as { id: number; name: string }[])
        codesOf.set(c.id, [...(codesOf.get(c.id) ?? []), c.name]);
    } else if (input.variable !== undefined) {
      rows = db
        .prepare(`${TURN_SQL} JOIN variable v ON v.id = d.variable_id WHERE d.kind = 'survey_text' AND v.name = ? ORDER BY ds.id, t.position`)
        .all(input.variable) as QuoteRow[];
    }
    if (needle) rows = rows.filter((r) => r.text.toLocaleLowerCase().includes(needle));
    const filters = Object.entries(input.attributes).filter(([, allowed]) => allowed.length > 0);
    if (filters.length > 0) {
      rows = rows.filter((r) => {
        const own = r.participant_id === null ? {} : (this.attributes.get(r.participant_id) ?? {});
        return filters.every(([name, allowed]) => allowed.includes(own[name] ?? ''));
      });
    }
    if (input.waves.length > 0) rows = rows.filter((r) => r.wave !== null && input.waves.includes(r.wave));
    rows = rows.slice(0, input.limit);
    return this.resolve(rows).map((q, i) => ({
      kind: q.kind,
      segmentId: q.segmentId,
      turnId: q.turnId,
      text: q.text,
      attribution: q.attribution,
      documentName: q.documentName,
      codes: codesOf.get(rows[i]!.segment_id ?? -1) ?? [],
    }));
  }
}

export function quoteKey(ref: { segmentId: number | null; turnId: number | null }): string {
  return ref.segmentId !== null ? `s${ref.segmentId}` : `t${ref.turnId}`;
}
