// Transcripts, participants and search (issue 4).
import { z } from 'zod';
import type { ErrorInfo } from '../errors';
import { method } from './method';

export type TranscriptFormat = 'txt' | 'md' | 'docx' | 'vtt' | 'srt' | 'sbv' | 'odt';
export type DocumentKind = 'transcript' | 'survey_text' | 'text';
export type AttributeValue = string | number | null;

export interface SpeakerPreview {
  /** The label as written in the file ("Interviewer", "id1", "MODERATOR"). */
  label: string;
  turns: number;
  words: number;
  /** A guess from the label (MODERATOR, Interviewer, I:...); the user confirms it. */
  likelyInterviewer: boolean;
}

export interface TranscriptFilePreview {
  path: string;
  /** The file name without folders, as shown to the user. */
  fileName: string;
  /** Suggested document name: the file name without its extension. */
  name: string;
  format: TranscriptFormat | null;
  encoding: string | null;
  speakers: SpeakerPreview[];
  turns: number;
  words: number;
  chars: number;
  hasTimestamps: boolean;
  /** The first few hundred characters of the text, for a glance. */
  excerpt: string;
  /** The participant the file name names (P04, interview_P04, "Maria Lopez.docx"), with why: a suggestion. */
  suggestedParticipant: { name: string; reason: string } | null;
  /** Null when the file can be imported. */
  error: ErrorInfo | null;
}

export interface DocumentSummary {
  id: number;
  kind: DocumentKind;
  name: string;
  format: string;
  sourceFile: string | null;
  participantId: number | null;
  participantName: string | null;
  chars: number;
  words: number;
  turns: number;
  speakers: number;
  hasTimestamps: boolean;
  importedAt: string;
}

export interface SpeakerInfo {
  id: number;
  documentId: number;
  label: string;
  displayName: string;
  isInterviewer: boolean;
  participantId: number | null;
  participantName: string | null;
  turns: number;
}

export interface TurnInfo {
  id: number;
  position: number;
  speakerId: number | null;
  respondentRow: number | null;
  /** [start, end) as JavaScript string indices into the document text. */
  start: number;
  end: number;
  startMs: number | null;
  endMs: number | null;
}

export interface DocumentDetail {
  document: DocumentSummary;
  /** The whole text (it never changes after import); empty when `includeText` is false. */
  text: string;
  speakers: SpeakerInfo[];
  /** The requested page of turns (all by default). */
  turns: TurnInfo[];
  totalTurns: number;
  turnOffset: number;
}

export interface AttributeInfo {
  id: number;
  name: string;
  type: 'text' | 'number';
  position: number;
}

export interface ParticipantInfo {
  id: number;
  name: string;
  datasetId: number | null;
  respondentKey: string | null;
  /** Attribute values keyed by attribute id (as a string: JSON object keys). */
  values: Record<string, AttributeValue>;
  documents: number;
}

export interface ParticipantGrid {
  attributes: AttributeInfo[];
  participants: ParticipantInfo[];
}

export interface SheetPreview {
  path: string;
  columns: string[];
  rows: string[][];
  rowCount: number;
  /** The column that most likely names participants (first one with unique, non-empty values). */
  suggestedKeyColumn: string | null;
}

export interface SheetImportResult {
  created: number;
  updated: number;
  attributesCreated: string[];
  linked: number;
}

export interface SearchHit {
  turnId: number;
  documentId: number;
  documentName: string;
  documentKind: DocumentKind;
  speakerId: number | null;
  speaker: string | null;
  isInterviewer: boolean;
  participantId: number | null;
  participantName: string | null;
  /** Attribute values of the participant, keyed by attribute name. */
  attributes: Record<string, AttributeValue>;
  respondentRow: number | null;
  /** The match as [start, end) string indices into the document text. */
  start: number;
  end: number;
  left: string;
  match: string;
  right: string;
  turnStart: number;
  turnEnd: number;
  startMs: number | null;
}

export interface SearchResult {
  query: string;
  /** The query as handed to SQLite FTS5 (shown in the CLI's --json for transparency). */
  ftsQuery: string;
  /** Matches counted up to 10,000; `totalIsCapped` says there are more. */
  total: number;
  totalIsCapped: boolean;
  /** False when the caller asked for the page only (`countTotal: false`): `total` is then a lower bound. */
  totalCounted: boolean;
  /** More matches after this page. */
  hasMore: boolean;
  offset: number;
  limit: number;
  hits: SearchHit[];
  tookMs: number;
}

const id = z.number().int().positive();
const path = z.string().trim().min(1, 'A file path is required.');
const attributeValue = z.union([z.string(), z.number(), z.null()]);

const speakerChoice = z.object({
  label: z.string(),
  displayName: z.string().trim().min(1).optional(),
  isInterviewer: z.boolean().optional(),
  participantId: id.nullable().optional(),
});

const importFile = z.object({
  path,
  name: z.string().trim().min(1).optional(),
  /** An existing participant the transcript belongs to. */
  participantId: id.nullable().optional(),
  /** Or a participant by name: found, or created when new. */
  participantName: z.string().trim().min(1).optional(),
  speakers: z.array(speakerChoice).optional(),
});

export const transcriptMethods = {
  'transcripts.preview': method<{ files: TranscriptFilePreview[] }>()(z.object({ files: z.array(path).min(1) })),
  'transcripts.import': method<{ documents: DocumentSummary[] }>()(
    z.object({ files: z.array(importFile).min(1) }),
    { job: true },
  ),
  'documents.list': method<DocumentSummary[]>()(
    z.object({ kind: z.enum(['transcript', 'survey_text', 'text']).optional() }),
  ),
  'documents.get': method<DocumentDetail>()(
    z.object({
      id,
      includeText: z.boolean().default(true),
      turnOffset: z.number().int().min(0).default(0),
      turnLimit: z.number().int().positive().optional(),
    }),
  ),
  'documents.update': method<DocumentSummary>()(
    z.object({ id, name: z.string().trim().min(1).optional(), participantId: id.nullable().optional() }),
  ),
  'documents.delete': method<{ deleted: boolean }>()(z.object({ id })),
  'speakers.update': method<SpeakerInfo>()(
    z.object({
      id,
      displayName: z.string().trim().min(1).optional(),
      isInterviewer: z.boolean().optional(),
      participantId: id.nullable().optional(),
    }),
  ),
  'participants.list': method<ParticipantGrid>()(z.object({})),
  'participants.create': method<ParticipantInfo>()(
    z.object({ name: z.string().trim().min(1), values: z.record(z.string(), attributeValue).optional() }),
  ),
  'participants.update': method<ParticipantInfo>()(
    z.object({
      id,
      name: z.string().trim().min(1).optional(),
      datasetId: id.nullable().optional(),
      respondentKey: z.string().nullable().optional(),
      /** Attribute id (as a string) → value; null clears it. */
      values: z.record(z.string(), attributeValue).optional(),
    }),
  ),
  'participants.delete': method<{ deleted: boolean }>()(z.object({ id })),
  'participants.previewSheet': method<SheetPreview>()(z.object({ path })),
  'participants.importSheet': method<SheetImportResult>()(
    z.object({
      path,
      keyColumn: z.string().min(1),
      /** A column holding survey respondent ids, linked to `datasetId`. */
      respondentColumn: z.string().min(1).optional(),
      datasetId: id.optional(),
    }),
    { job: true },
  ),
  'attributes.create': method<AttributeInfo>()(
    z.object({ name: z.string().trim().min(1), type: z.enum(['text', 'number']).default('text') }),
  ),
  'attributes.update': method<AttributeInfo>()(
    z.object({
      id,
      name: z.string().trim().min(1).optional(),
      type: z.enum(['text', 'number']).optional(),
      position: z.number().int().min(0).optional(),
    }),
  ),
  'attributes.delete': method<{ deleted: boolean }>()(z.object({ id })),
  'search.run': method<SearchResult>()(
    z.object({
      query: z.string().trim().min(1, 'Type something to search for.').max(1000),
      kinds: z.array(z.enum(['transcript', 'survey_text', 'text'])).optional(),
      documentIds: z.array(id).optional(),
      /** Every filter must hold: the participant's attribute value is one of `values`. */
      filters: z.array(z.object({ attributeId: id, values: z.array(z.union([z.string(), z.number()])).min(1) })).optional(),
      speakers: z.enum(['all', 'participants', 'interviewers']).default('all'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
      /** Characters of context either side of the match. */
      context: z.number().int().min(0).max(400).default(60),
      /** Count every match (up to 10,000). Off when only the page matters: the count can cost more than the page. */
      countTotal: z.boolean().default(true),
    }),
  ),
};
