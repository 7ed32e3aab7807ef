// NLP suggestions, theme discovery, evaluation (issue 6).
import { z } from 'zod';
import type { AgreementStats, AgreementUnitKind } from './coding';
import { method } from './method';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface SuggestionEvidence {
  /** Words and phrases of the passage that pushed the score up, strongest first. */
  terms: string[];
  /** The most similar quote already coded with this code. */
  similar: { text: string; segmentId: number | null; similarity: number } | null;
  /** The code's name words and keywords found in the passage. */
  keywords: string[];
  parts: { classifier: number; similarity: number; keyword: number };
}

export interface SuggestionItem {
  id: number;
  documentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
  codeId: number;
  codeName: string;
  codeColor: string;
  /** Calibrated probability (0-1) that the code applies. */
  score: number;
  evidence: SuggestionEvidence;
  /** English only; null where unsupported (Chinese, Japanese). */
  sentiment: number | null;
  sentimentLabel: SentimentLabel | null;
  status: 'open' | 'accepted' | 'rejected';
  modelVersion: string;
  /**
   * With `group`: the other suggestions of the same code for the same answer (case, punctuation
   * and spacing aside), decided together with this one. Empty otherwise.
   */
  duplicates: number[];
}

export interface SuggestRunResult {
  suggestions: number;
  passages: number;
  trainedOn: number;
  modelVersion: string;
  seconds: number;
}

export interface ReviewResult {
  accepted: number;
  rejected: number;
  /**
   * The model retrains on the new decisions and rescores the open suggestions in the background;
   * a 'suggestions' change follows when the new scores are written.
   */
  retraining: boolean;
}

export interface ThemePassage {
  documentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
}

export interface ThemePhrase {
  phrase: string;
  /** Uncoded passages that contain it. */
  passages: number;
  weight: number;
  examples: ThemePassage[];
}

export interface ThemeGroup {
  label: string;
  phrases: string[];
  size: number;
  examples: ThemePassage[];
}

export interface ThemesResult {
  uncodedPassages: number;
  phrases: ThemePhrase[];
  groups: ThemeGroup[];
}

export interface EvalMethodScores {
  method: string;
  macroF1: number;
  microF1: number;
  microPrecision: number;
  microRecall: number;
  top3: number;
}

export interface EvalResult {
  source: string;
  passages: number;
  codes: number;
  documents: number;
  folds: number;
  grouped: boolean;
  dropped: string[];
  minPassages: number;
  perCode: { code: string; support: number; precision: number; recall: number; f1: number }[];
  results: EvalMethodScores[];
  learningCurve: { examplesPerCode: number; macroF1: number; microF1: number; top3: number }[];
  /**
   * Scores on the evaluation folds against how often they were right: expected calibration error
   * and a 10-bin reliability table (`observed` null for an empty bin).
   */
  calibration: {
    ece: number;
    maxScore: number;
    bins: { from: number; to: number; count: number; meanScore: number; observed: number | null }[];
  };
  seconds: number;
}

/** Fieldbook's suggestions as one more coder, against each person (issue 17). */
export interface SuggestAgreementResult {
  /** "Fieldbook suggestions". */
  name: string;
  unit: AgreementUnitKind;
  /** Each document is judged by a model that learned from the other documents (this many folds). */
  folds: number;
  documents: number;
  perCoder: {
    coder: { id: number; name: string };
    /** Units × codes both judged. */
    overall: AgreementStats;
    perCode: ({ codeId: number; codeName: string } & AgreementStats)[];
  }[];
  /** Quotes coded by accepting a suggestion (each stays the coding of the person who accepted it). */
  viaSuggestions: {
    total: number;
    perCode: { codeId: number; codeName: string; quotes: number }[];
    perCoder: { coderId: number; name: string; quotes: number }[];
  };
}

const id = z.number().int().positive();
const scope = {
  codeId: id.optional(),
  documentId: id.optional(),
  /** All open-ended answers of one survey question (its survey_text document). */
  variableId: id.optional(),
};

export const suggestMethods = {
  'suggest.run': method<SuggestRunResult>()(
    z.object({
      ...scope,
      /** Speaker turns / answers, or sentences within them. */
      unit: z.enum(['turn', 'sentence']).optional(),
      /** Suggestions scoring below this are not stored. */
      minScore: z.number().min(0).max(1).optional(),
      /** Interviewer turns too (left out by default: they are context, not data). */
      interviewers: z.boolean().optional(),
    }),
    { job: true },
  ),
  'suggest.list': method<SuggestionItem[]>()(
    z.object({
      ...scope,
      status: z.enum(['open', 'accepted', 'rejected']).optional(),
      minScore: z.number().min(0).max(1).optional(),
      sentiment: z.enum(['positive', 'negative', 'neutral']).optional(),
      limit: z.number().int().min(1).max(10000).optional(),
      /** One card per code and answer: identical and near-identical passages together. */
      group: z.boolean().optional(),
    }),
  ),
  'suggest.review': method<ReviewResult>()(
    z.union([
      z.object({
        action: z.enum(['accept', 'reject']),
        ids: z.array(id).min(1).max(10000),
        /** Accept only these words of the passage (document offsets; one accepted suggestion). */
        span: z.object({ start: z.number().int().min(0), end: z.number().int().min(1) }).optional(),
      }),
      z.object({ action: z.literal('accept'), threshold: z.number().min(0).max(1), ...scope }),
    ]),
  ),
  'suggest.themes': method<ThemesResult>()(
    z.object({ documentId: id.optional(), variableId: id.optional(), limit: z.number().int().min(1).max(50).optional() }),
    { job: true },
  ),
  /** Turns a discovered theme into a code in one step (name, keywords, and optionally its example passages coded). */
  'suggest.adoptTheme': method<{ codeId: number; coded: number }>()(
    z.object({
      name: z.string().trim().min(1, 'A code needs a name.').max(200),
      keywords: z.array(z.string().trim().min(1)).max(50).optional(),
      passages: z
        .array(z.object({ documentId: id, start: z.number().int().min(0), end: z.number().int().min(1) }))
        .max(1000)
        .optional(),
    }),
  ),
  'suggest.agreement': method<SuggestAgreementResult>()(
    z.object({
      /** The people to compare with (default: everyone who has coded). */
      coderIds: z.array(id).optional(),
      unit: z.enum(['turn', 'sentence']).optional(),
      codeIds: z.array(id).optional(),
    }),
    { job: true },
  ),
  'suggest.eval': method<EvalResult>()(
    z.object({
      /** A coded-text CSV (text, code, optional document, coder); without it, the open project's coding. */
      dataPath: z.string().trim().min(1).optional(),
      folds: z.number().int().min(2).max(20).optional(),
      minPassages: z.number().int().min(2).optional(),
      learningCurve: z.array(z.number().int().min(1)).max(10).optional(),
    }),
    { job: true },
  ),
};
