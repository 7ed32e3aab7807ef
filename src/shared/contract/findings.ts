// The Findings report (issue 17): findings with live, traceable numbers and attributed quotes.
import { z } from 'zod';
import { method } from './method';
import { chartOptionsSchema } from './tables';

const id = z.number().int().positive();

/** A slot's name inside a headline: "{a}" in the text refers to the slot with key "a". */
export const slotKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,19}$/, 'A number slot is named by a short lower-case word (a, b, share2025).');

export const cellStatSchema = z.enum(['colPct', 'rowPct', 'totalPct', 'count', 'weightedCount', 'mean']);
export type CellStat = z.infer<typeof cellStatSchema>;

/**
 * Where a number comes from. Table slots name a saved table, a row group (index), and row and
 * column keys exactly as the table result gives them (TableRow.key, TableColumn.key).
 */
export const slotSourceSchema = z.discriminatedUnion('kind', [
  /** One cell of a saved table. */
  z.object({ kind: z.literal('cell'), tableId: id, group: z.number().int().min(0).default(0), row: z.string().min(1), column: z.string().min(1), stat: cellStatSchema.default('colPct') }),
  /** The change in column % between two columns of a saved table (two waves), in points. */
  z.object({ kind: z.literal('change'), tableId: id, group: z.number().int().min(0).default(0), row: z.string().min(1), from: z.string().min(1), to: z.string().min(1) }),
  /** The base of a column of a saved table (respondents who answered, after the filter). */
  z.object({ kind: z.literal('base'), tableId: id, group: z.number().int().min(0).default(0), column: z.string().min(1), weighted: z.boolean().default(false) }),
  /** How many quotes, participants (or respondents), or documents carry a code. */
  z.object({ kind: z.literal('code'), codeId: id, count: z.enum(['quotes', 'participants', 'documents']).default('participants'), includeSubcodes: z.boolean().default(true) }),
]);
export type SlotSource = z.output<typeof slotSourceSchema>;
export type SlotSourceInput = z.input<typeof slotSourceSchema>;

/**
 * How a number is written: percent (50%), percent1 (50.1%), words ("half", "almost a third"),
 * points (+12 pts), points1 (+12.3 pts), number (1,234), decimal1 (3.4).
 */
export const slotFormatSchema = z.enum(['percent', 'percent1', 'words', 'points', 'points1', 'number', 'decimal1']);
export type SlotFormat = z.infer<typeof slotFormatSchema>;

export interface FindingSlot {
  key: string;
  source: SlotSource;
  format: SlotFormat;
  /** The source in plain words: "Uses Kubernetes at the edge = Yes, 2025, column %". */
  label: string;
  /** The value now, and as written. Null (with `error`) when it cannot be computed. */
  value: number | null;
  text: string;
  /** What the researcher last accepted. */
  acceptedValue: number | null;
  acceptedText: string;
  acceptedAt: string;
  /** The shown number moved since it was accepted ("was 41%, now 44%"). */
  stale: boolean;
  /** Fingerprint of the data the value was read from, now and when accepted. */
  fingerprint: string;
  acceptedFingerprint: string;
  /** The base of the figure (respondents or participants it is a share of), when it has one. */
  base: number | null;
  baseText: string | null;
  error: string | null;
}

/** A quote as printed: pseudonyms and redaction applied when the report asks for them. */
export interface QuoteText {
  kind: 'segment' | 'verbatim';
  segmentId: number | null;
  turnId: number | null;
  text: string;
  /** "P03, Platform engineer, Financial services, Germany". */
  attribution: string;
  documentName: string;
}

export interface FindingQuote extends QuoteText {
  id: number;
  position: number;
  /** The quoted source is gone (segment deleted, survey re-imported). */
  missing: boolean;
}

export interface FindingChart {
  tableId: number;
  tableName: string | null;
  options: z.output<typeof chartOptionsSchema>;
}

export interface Finding {
  id: number;
  position: number;
  /** The headline as written, with {key} slots. */
  headline: string;
  /** The headline with live numbers. */
  headlineText: string;
  body: string;
  memoId: number | null;
  chart: FindingChart | null;
  slots: FindingSlot[];
  quotes: FindingQuote[];
  stale: boolean;
  /** Slot keys used in the headline that have no slot. */
  unknownSlots: string[];
}

export const reportSettingsSchema = z.object({
  /** Attribute names (in order) that attribute interview quotes; absent = every attribute. */
  attributionAttributes: z.array(z.string()).max(100).optional(),
  /** Survey question names (per wave, matched by name) whose answers attribute open-ended answers. */
  verbatimAnswers: z.array(z.string()).max(50).default([]),
  pseudonyms: z.boolean().default(true),
  redact: z.array(z.string().trim().min(1).max(200)).max(1000).default([]),
});
export type ReportSettings = z.output<typeof reportSettingsSchema>;

/** A change to some settings; what is left out stays as it is (no defaults here, unlike reportSettingsSchema). */
export const reportSettingsPatchSchema = z.object({
  /** null goes back to every attribute. */
  attributionAttributes: z.array(z.string()).max(100).nullable().optional(),
  verbatimAnswers: z.array(z.string()).max(50).optional(),
  pseudonyms: z.boolean().optional(),
  redact: z.array(z.string().trim().min(1).max(200)).max(1000).optional(),
});
export type ReportSettingsPatch = z.output<typeof reportSettingsPatchSchema>;

export interface Report {
  title: string;
  settings: ReportSettings;
  findings: Finding[];
  /** Findings with at least one moved number. */
  staleCount: number;
}

export interface QuoteChoice extends QuoteText {
  codes: string[];
}

export const reportFormatSchema = z.enum(['docx', 'md', 'html']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

export interface ReportExportResult {
  path: string;
  bytes: number;
  items: number;
  /** Plain sentences to show the user: stale numbers, missing quotes. */
  warnings: string[];
}

const headline = z.string().max(2000);
const body = z.string().max(100_000);

export const findingMethods = {
  'findings.report': method<Report>()(z.object({})),
  'findings.settings': method<Report>()(z.object({ title: z.string().trim().max(300).optional(), settings: reportSettingsPatchSchema.optional() })),
  'findings.create': method<Finding>()(z.object({ headline: headline.default(''), body: body.default(''), position: z.number().int().min(0).optional() })),
  'findings.update': method<Finding>()(
    z.object({
      id,
      headline: headline.optional(),
      body: body.optional(),
      /** A saved table whose chart goes with the finding; null removes it. */
      chartTableId: id.nullable().optional(),
      chart: chartOptionsSchema.partial().optional(),
    }),
  ),
  'findings.delete': method<{ deleted: boolean }>()(z.object({ id })),
  'findings.move': method<Report>()(z.object({ id, position: z.number().int().min(0) })),
  'findings.setSlot': method<Finding>()(z.object({ findingId: id, key: slotKeySchema, source: slotSourceSchema, format: slotFormatSchema.default('percent') })),
  'findings.removeSlot': method<Finding>()(z.object({ findingId: id, key: slotKeySchema })),
  /** Accepts the current numbers of one finding (or of every finding): they stop being flagged. */
  'findings.accept': method<Report>()(z.object({ findingId: id.optional() })),
  'findings.addQuote': method<Finding>()(z.object({ findingId: id, segmentId: id.optional(), turnId: id.optional() }).refine((q) => (q.segmentId === undefined) !== (q.turnId === undefined), { message: 'Choose one quote: a coded quote or an open-ended answer.' })),
  'findings.removeQuote': method<Finding>()(z.object({ findingId: id, quoteId: id })),
  'findings.moveQuote': method<Finding>()(z.object({ findingId: id, quoteId: id, position: z.number().int().min(0) })),
  /** The memo's text becomes the finding's body. */
  'findings.bodyFromMemo': method<Finding>()(z.object({ findingId: id, memoId: id })),
  /** Quotes to pick from: a code's quotes, or open-ended answers of a survey question. */
  /** Writes the report; `warnings` lists numbers that moved and are not accepted yet, and quotes that are gone. */
  'findings.export': method<ReportExportResult>()(z.object({ path: z.string().trim().min(1, 'Choose where to save the file.'), format: reportFormatSchema }), { job: true }),
  'findings.quoteChoices': method<QuoteChoice[]>()(
    z.object({
      codeId: id.optional(),
      /** An open-text question by name (every wave that has it). */
      variable: z.string().trim().min(1).max(200).optional(),
      search: z.string().trim().max(200).default(''),
      /** Participant attribute filters: every named attribute must have one of its listed values. */
      attributes: z.record(z.string(), z.array(z.string()).max(1000)).default({}),
      /** Survey waves to keep (open answers); empty = all. Interview quotes have no wave. */
      waves: z.array(z.string()).max(100).default([]),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
  ),
};
