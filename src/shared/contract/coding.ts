// Codebook, segments, codings, memos, coders, undo/redo, quotes, co-occurrence and agreement (issue 5).
import { z } from 'zod';
import { method } from './method';

export type CodingSource = 'human' | 'suggestion' | 'import';

export interface Code {
  id: number;
  parentId: number | null;
  name: string;
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string[];
  shortcut: string | null;
  position: number;
  /** Distinct quotes coded with this code itself (blind mode: by the current coder only). */
  quoteCount: number;
  participantCount: number;
  /** Quotes of this code and all its sub-codes. */
  totalQuoteCount: number;
  totalParticipantCount: number;
  memoCount: number;
}

export interface Coder {
  id: number;
  name: string;
  color: string;
  codingCount: number;
}

export interface CodingSession {
  currentCoderId: number;
  blind: boolean;
  coders: Coder[];
}

export interface SegmentCoding {
  codingId: number;
  codeId: number;
  coderId: number;
  source: CodingSource;
}

export interface Segment {
  id: number;
  documentId: number;
  start: number;
  end: number;
  text: string;
  starred: boolean;
  codings: SegmentCoding[];
  memoCount: number;
}

export interface Memo {
  id: number;
  targetKind: 'project' | 'code' | 'document' | 'segment' | 'participant';
  targetId: number | null;
  coderId: number | null;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface OperationEntry {
  id: number;
  label: string;
  state: 'done' | 'undone';
  createdAt: string;
}

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface HistoryStep extends HistoryState {
  /** The operation undone or redone; null when there was nothing to do. */
  label: string | null;
}

export interface ApplyCodingResult {
  segmentId: number;
  codingId: number;
  created: boolean;
}

export interface AffectedQuote {
  segmentId: number;
  documentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
  codeId: number;
  codeName: string;
}

export interface DeletePreview {
  codeIds: number[];
  codeNames: string[];
  codingCount: number;
  quotes: AffectedQuote[];
  memoCount: number;
}

export interface MergeResult {
  targetId: number;
  moved: number;
  folded: number;
}

export interface Quote {
  segmentId: number;
  documentId: number;
  documentName: string;
  documentKind: string;
  start: number;
  end: number;
  text: string;
  starred: boolean;
  codeIds: number[];
  coderIds: number[];
  speaker: string | null;
  participantId: number | null;
  participant: string | null;
  attributes: Record<string, string | number | null>;
  wave: string | null;
  respondentRow: number | null;
  memoCount: number;
}

export interface QuotesPage {
  total: number;
  quotes: Quote[];
  /** Every attribute name seen in the whole result, for filter menus. */
  attributeNames: string[];
  speakers: string[];
  waves: string[];
}

export interface CooccurrenceCell {
  codeA: number;
  codeB: number;
  /** Overlapping passages: pairs of quotes, one of each code, sharing characters. */
  count: number;
}

export interface Cooccurrence {
  codes: { id: number; name: string; color: string; quoteCount: number }[];
  cells: CooccurrenceCell[];
}

export interface CooccurrencePair {
  documentId: number;
  documentName: string;
  a: { segmentId: number; start: number; end: number; text: string };
  b: { segmentId: number; start: number; end: number; text: string };
}

export type AgreementUnitKind = 'turn' | 'sentence';

export interface AgreementStats {
  /** Units (per code: units; overall: unit × code decisions) that at least two coders judged. */
  units: number;
  percentAgreement: number | null;
  cohensKappa: number | null;
  krippendorffAlpha: number | null;
  fleissKappa: number | null;
}

export interface AgreementDisagreement {
  documentId: number;
  documentName: string;
  unitStart: number;
  unitEnd: number;
  text: string;
  codeId: number;
  codeName: string;
  appliedBy: number[];
  notAppliedBy: number[];
}

export interface AgreementReport {
  coders: { id: number; name: string }[];
  unit: AgreementUnitKind;
  documents: number;
  overall: AgreementStats;
  perCode: ({ codeId: number; codeName: string } & AgreementStats)[];
  disagreements: AgreementDisagreement[];
}

/** Where an open-ended answers document comes from, to show each answer beside the respondent's other answers. */
export interface AnswersContext {
  documentId: number;
  datasetId: number | null;
  datasetName: string | null;
  wave: string | null;
  variableId: number | null;
  variableName: string | null;
  question: string | null;
}

export interface CodebookImportResult {
  created: number;
  skipped: number;
  format: 'csv' | 'taguette' | 'qualcoder' | 'qdc' | 'sheet';
}

const id = z.number().int().positive();
const name = z.string().trim().min(1, 'A name is required.').max(200);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is written like #3366cc.');
const shortcut = z
  .string()
  .regex(/^[0-9a-zA-Z]$/, 'A shortcut is one letter or digit.')
  .nullable();
const offset = z.number().int().min(0);
const targetKind = z.enum(['project', 'code', 'document', 'segment', 'participant']);
const codeFields = {
  color: color.optional(),
  definition: z.string().max(20_000).optional(),
  inclusion: z.string().max(20_000).optional(),
  exclusion: z.string().max(20_000).optional(),
  keywords: z.array(z.string().trim().min(1).max(200)).max(500).optional(),
  shortcut: shortcut.optional(),
};
const quoteFilters = z.object({
  documentId: id.optional(),
  speaker: z.string().optional(),
  wave: z.string().optional(),
  starred: z.boolean().optional(),
  coderId: id.optional(),
  search: z.string().optional(),
  /** attribute name → the value to keep (compared as text). */
  attributes: z.record(z.string(), z.string()).optional(),
});

export const codingMethods = {
  'codes.list': method<Code[]>()(z.object({})),
  'codes.create': method<Code>()(z.object({ name, parentId: id.nullable().optional(), ...codeFields })),
  'codes.update': method<Code>()(z.object({ id, name: name.optional(), ...codeFields })),
  'codes.move': method<Code>()(
    z.object({ id, parentId: id.nullable(), position: z.number().int().min(0).optional() }),
  ),
  'codes.merge': method<MergeResult>()(z.object({ sourceIds: z.array(id).min(1), targetId: id })),
  'codes.split': method<Code[]>()(
    z.object({
      id,
      parts: z
        .array(z.object({ name, color: color.optional(), segmentIds: z.array(id) }))
        .min(1, 'Give at least one new sub-code.'),
    }),
  ),
  'codes.deletePreview': method<DeletePreview>()(z.object({ id })),
  'codes.delete': method<DeletePreview>()(z.object({ id })),
  'codes.export': method<{ text: string; fileName: string }>()(z.object({ format: z.enum(['csv', 'qdc']) })),
  'codes.import': method<CodebookImportResult>()(
    z.object({
      /** A file on disk (CLI, Electron) or its text (web upload). */
      path: z.string().min(1).optional(),
      text: z.string().optional(),
      fileName: z.string().optional(),
    }),
  ),

  'segments.list': method<Segment[]>()(z.object({ documentId: id })),
  'segments.create': method<Segment>()(z.object({ documentId: id, start: offset, end: offset })),
  'segments.adjust': method<Segment>()(z.object({ id, start: offset, end: offset })),
  'segments.star': method<Segment>()(z.object({ id, starred: z.boolean() })),

  'codings.apply': method<ApplyCodingResult>()(
    z.object({ documentId: id, start: offset, end: offset, codeId: id, coderId: id.optional() }),
  ),
  'codings.applyInVivo': method<ApplyCodingResult & { code: Code }>()(
    z.object({ documentId: id, start: offset, end: offset, parentId: id.nullable().optional() }),
  ),
  'codings.remove': method<{ removed: boolean }>()(z.object({ codingId: id })),

  'memos.list': method<Memo[]>()(z.object({ targetKind: targetKind.optional(), targetId: id.nullable().optional() })),
  'memos.save': method<Memo>()(
    z.object({
      id: id.optional(),
      targetKind,
      targetId: id.nullable().optional(),
      title: z.string().max(500).optional(),
      body: z.string().max(1_000_000),
    }),
  ),
  'memos.delete': method<{ deleted: boolean }>()(z.object({ id })),

  'coders.list': method<CodingSession>()(z.object({})),
  'coders.create': method<CodingSession>()(z.object({ name, color: color.optional() })),
  'coders.choose': method<CodingSession>()(z.object({ id })),
  'coders.setBlind': method<CodingSession>()(z.object({ blind: z.boolean() })),

  'history.state': method<HistoryState>()(z.object({})),
  'history.list': method<OperationEntry[]>()(z.object({ limit: z.number().int().min(1).max(1000).optional() })),
  'history.undo': method<HistoryStep>()(z.object({})),
  'history.redo': method<HistoryStep>()(z.object({})),

  'answers.context': method<AnswersContext>()(z.object({ documentId: id })),
  'quotes.list': method<QuotesPage>()(
    z.object({
      codeId: id,
      includeSubcodes: z.boolean().optional(),
      filters: quoteFilters.optional(),
      sort: z.enum(['document', 'speaker', 'participant', 'wave', 'length', 'created']).optional(),
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
  ),
  'cooccurrence.run': method<Cooccurrence>()(z.object({ codeIds: z.array(id).optional() })),
  'cooccurrence.pairs': method<CooccurrencePair[]>()(z.object({ codeA: id, codeB: id })),
  /** Settles one disagreement for everyone: all coders apply the code to the unit, or none does. */
  'agreement.resolve': method<{ applied: number; removed: number }>()(
    z.object({
      documentId: id,
      unitStart: offset,
      unitEnd: offset,
      codeId: id,
      coderIds: z.array(id).min(1),
      decision: z.enum(['apply', 'remove']),
    }),
  ),
  'agreement.run': method<AgreementReport>()(
    z.object({
      coderIds: z.array(id).min(2, 'Choose at least two coders.'),
      unit: z.enum(['turn', 'sentence']).optional(),
      codeIds: z.array(id).optional(),
      documentIds: z.array(id).optional(),
    }),
  ),
};
