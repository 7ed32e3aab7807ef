// Exports and REFI-QDA exchange (issue 8).
import { z } from 'zod';
import { method } from './method';
import { chartOptionsSchema, tableSpecSchema } from './tables';

export interface ExportResult {
  /** The file written (its name sanitised; the right extension added when missing). */
  path: string;
  bytes: number;
  /** What went in: quotes, codes, tables or sources, as the method says. */
  items: number;
}

/** How a REFI file's startPosition/endPosition were read, and why (shown in the import report). */
export interface RefiPositionReading {
  /** REFI's code points, or UTF-16 code units as NVivo writes them. */
  unit: 'codePoints' | 'utf16';
  /** Quotes whose place depends on the reading (after a character outside the BMP). */
  differing: number;
  reason: string;
}

/** What an import found already in the project and merged into it (another coder's copy). */
export interface RefiMergeReport {
  /** Sources that are documents already here: by the same REFI GUID, or by the same text. */
  documents: { source: string; document: string; matchedBy: 'guid' | 'text' }[];
  codes: { matchedByGuid: number; matchedByPath: number; added: string[] };
  /** Codings in the file per coder: added, or already here (the same quote, code and coder). */
  codingsByCoder: { coder: string; added: number; alreadyThere: number }[];
  /** Where the two sides differ (a code renamed on one side...): the project's side is kept. */
  conflicts: string[];
}

export interface RefiImportResult {
  file: string;
  /** The tool that wrote the file (REFI "origin"), when it says. */
  origin: string;
  counts: {
    coders: number;
    codes: number;
    attributes: number;
    participants: number;
    documents: number;
    segments: number;
    codings: number;
    memos: number;
  };
  /** Plain sentences about what the file holds that Fieldbook could not take in. */
  notImported: string[];
  positions: RefiPositionReading;
  merge: RefiMergeReport;
}

/** What the Exports page offers to choose from. */
export interface ExportOptions {
  codes: { id: number; path: string; depth: number; quotes: number }[];
  savedTables: { id: number; name: string }[];
  attributes: { name: string; values: string[] }[];
  waves: string[];
  counts: { documents: number; quotes: number; starred: number };
}

const outPath = z.string().trim().min(1, 'Choose where to save the file.');
const id = z.number().int().positive();

export const quotePackFormatSchema = z.enum(['docx', 'md', 'html', 'csv']);
export type QuotePackFormat = z.infer<typeof quotePackFormatSchema>;

export const quotePackOptionsSchema = z.object({
  title: z.string().trim().max(300).optional(),
  /** Codes to include (their sub-codes too when includeSubcodes); empty = every code. */
  codeIds: z.array(id).max(10_000).default([]),
  includeSubcodes: z.boolean().default(true),
  /** Survey waves (dataset.wave) to keep; empty = all. */
  waves: z.array(z.string()).max(100).default([]),
  /** Participant attribute filters: every named attribute must have one of its listed values. */
  attributes: z.record(z.string(), z.array(z.string()).max(1000)).default({}),
  starredOnly: z.boolean().default(false),
  /** Attribute names (in order) for the attribution line; absent = every attribute, empty = none. */
  attributionAttributes: z.array(z.string()).max(100).optional(),
  /** Replace participant names with P01, P02... */
  pseudonyms: z.boolean().default(false),
  /** Names and organisations to blank out of quote text ("[redacted]"). */
  redact: z.array(z.string().trim().min(1).max(200)).max(1000).default([]),
});
export type QuotePackOptions = z.output<typeof quotePackOptionsSchema>;
export type QuotePackOptionsInput = z.input<typeof quotePackOptionsSchema>;

export const tableFormatSchema = z.enum(['xlsx', 'csv', 'md', 'tsv']);
export type TableFormat = z.infer<typeof tableFormatSchema>;

/** One table: a spec to run now, or a saved table by id. */
const tableTarget = z
  .object({ spec: tableSpecSchema.optional(), savedTableId: id.optional() })
  .refine((t) => t.spec !== undefined || t.savedTableId !== undefined, { message: 'Choose a table: a saved table or a table spec.' });

export const exportMethods = {
  'export.options': method<ExportOptions>()(z.object({})),
  /** How many quotes and themes a quote pack with these options would hold (a live preview). */
  'export.quotePackCount': method<{ quotes: number; themes: number; people: number }>()(z.object({ options: quotePackOptionsSchema.prefault({}) })),
  'export.qdpx': method<ExportResult>()(z.object({ path: outPath }), { job: true }),
  'import.qdpx': method<RefiImportResult>()(z.object({ path: z.string().trim().min(1, 'Choose a .qdpx, .qde or .qdc file.') }), { job: true }),
  'export.quotePack': method<ExportResult>()(
    z.object({ path: outPath, format: quotePackFormatSchema, options: quotePackOptionsSchema.prefault({}) }),
    { job: true },
  ),
  'export.codebook': method<ExportResult>()(z.object({ path: outPath, format: z.enum(['docx', 'csv', 'md', 'qdc']) }), { job: true }),
  'export.table': method<ExportResult>()(z.object({ path: outPath, format: tableFormatSchema }).and(tableTarget), { job: true }),
  /** The same table as text, for the clipboard (TSV pastes into Excel and Word as a table). */
  'export.tableText': method<{ text: string }>()(z.object({ format: z.enum(['tsv', 'csv', 'md']) }).and(tableTarget)),
  'export.tables': method<ExportResult>()(
    z.object({
      path: outPath,
      format: z.enum(['xlsx', 'csv', 'md']),
      /** Saved tables to include; empty = every saved table. */
      savedTableIds: z.array(id).max(1000).default([]),
      layout: z.enum(['sheetPerTable', 'oneSheet']).default('sheetPerTable'),
    }),
    { job: true },
  ),
  'export.chart': method<ExportResult>()(
    z
      .object({
        path: outPath,
        format: z.enum(['svg', 'png']),
        chart: chartOptionsSchema.prefault({}),
        /** PNG pixels per SVG unit (2 = about 200 dpi at the chart's size). */
        scale: z.number().min(0.5).max(8).default(2),
      })
      .and(tableTarget),
    { job: true },
  ),
};
