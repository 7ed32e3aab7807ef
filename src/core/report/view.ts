import { reportSettingsSchema, slotFormatSchema, slotSourceSchema, type Finding, type FindingSlot, type Report, type ReportSettings, type SlotSource } from '../../shared/contract/findings';
import { chartOptionsSchema } from '../../shared/contract/tables';
import type { Project } from '../store/project';
import { fillHeadline, formatSlotValue, headlineKeys } from './format';
import { Attributor, quoteKey } from './quotes';
import { readSlot, TableCache } from './slots';
import { findingRow, readSettings, type FindingRow, type QuoteRefRow, type SlotRow } from './store';

/** Settings as stored, with defaults; a hand-edited or damaged value falls back to the defaults. */
export function reportSettings(project: Project): { title: string; settings: ReportSettings } {
  const { title, settings } = readSettings(project);
  const parsed = reportSettingsSchema.safeParse(settings);
  return { title: title || `${project.name}: findings`, settings: parsed.success ? parsed.data : reportSettingsSchema.parse({}) };
}

/** What one report read shares between findings: computed tables, decoded survey columns. */
export interface ReportReader {
  project: Project;
  tables: TableCache;
  attributor: Attributor;
}

export function reportReader(project: Project, settings: ReportSettings): ReportReader {
  return { project, tables: new TableCache(project), attributor: new Attributor(project, settings) };
}

/** A slot's stored source, checked: a file edited by hand or by another build must not feed bad input to the engine. */
function storedSource(json: string): SlotSource | null {
  try {
    const parsed = slotSourceSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const DAMAGED: SlotSource = { kind: 'code', codeId: 1, count: 'quotes', includeSubcodes: false };

function slotView(reader: ReportReader, row: SlotRow): FindingSlot {
  const source = storedSource(row.source);
  const format = slotFormatSchema.safeParse(row.format).data ?? 'number';
  const reading = source
    ? readSlot(reader.project, reader.tables, source)
    : { value: null, label: 'damaged source', fingerprint: '', base: null, baseText: null, error: `The number {${row.key}} is damaged in the project file; set it again.`, tableId: null };
  const text = formatSlotValue(reading.value, format);
  return {
    key: row.key,
    source: source ?? DAMAGED,
    format,
    label: reading.label,
    value: reading.value,
    text,
    acceptedValue: row.value,
    acceptedText: row.text,
    acceptedAt: row.accepted_at,
    // The number as the reader sees it moved, or its source is gone. A fingerprint that moved
    // while the printed number stood still is no news for the reader.
    stale: reading.error !== null || text !== row.text,
    fingerprint: reading.fingerprint,
    acceptedFingerprint: row.fingerprint,
    base: reading.base,
    baseText: reading.baseText,
    error: reading.error,
  };
}

export function findingView(reader: ReportReader, row: FindingRow): Finding {
  const db = reader.project.db;
  const slots = (db.prepare('SELECT * FROM finding_slot WHERE finding_id = ? ORDER BY key').all(row.id) as SlotRow[]).map((s) => slotView(reader, s));
  const refs = db.prepare('SELECT * FROM finding_quote WHERE finding_id = ? ORDER BY position, id').all(row.id) as QuoteRefRow[];
  const resolved = reader.attributor.quotes(refs.map((r) => ({ segmentId: r.segment_id, turnId: r.turn_id })));
  const quotes = refs.map((r) => {
    const q = resolved.get(quoteKey({ segmentId: r.segment_id, turnId: r.turn_id }));
    return {
      id: r.id,
      position: r.position,
      kind: q?.kind ?? (r.segment_id !== null ? 'segment' : 'verbatim'),
      segmentId: r.segment_id,
      turnId: r.turn_id,
      text: q?.text ?? '',
      attribution: q?.attribution ?? '',
      documentName: q?.documentName ?? '',
      missing: q === undefined,
    } as const;
  });
  let chart: Finding['chart'] = null;
  if (row.chart_table_id !== null) {
    const name = db.prepare('SELECT name FROM saved_table WHERE id = ?').pluck().get(row.chart_table_id) as string | undefined;
    let options: unknown = {};
    try {
      options = JSON.parse(row.chart);
    } catch {
      options = {};
    }
    const parsed = chartOptionsSchema.safeParse(options);
    chart = { tableId: row.chart_table_id, tableName: name ?? null, options: parsed.success ? parsed.data : chartOptionsSchema.parse({}) };
  }
  const texts = new Map(slots.map((s) => [s.key, s.text]));
  const known = new Set(slots.map((s) => s.key));
  return {
    id: row.id,
    position: row.position,
    headline: row.headline,
    headlineText: fillHeadline(row.headline, texts),
    body: row.body,
    memoId: row.memo_id,
    chart,
    slots,
    quotes,
    stale: slots.some((s) => s.stale),
    unknownSlots: headlineKeys(row.headline).filter((k) => !known.has(k)),
  };
}

export function buildReport(project: Project): Report {
  const { title, settings } = reportSettings(project);
  const reader = reportReader(project, settings);
  const rows = project.db.prepare('SELECT * FROM finding ORDER BY position, id').all() as FindingRow[];
  const findings = rows.map((r) => findingView(reader, r));
  return { title, settings, findings, staleCount: findings.filter((f) => f.stale).length };
}

export function getFinding(project: Project, id: number): Finding {
  return findingView(reportReader(project, reportSettings(project).settings), findingRow(project, id));
}
