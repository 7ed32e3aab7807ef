import type { SurveyImportSummary, SurveyVariableType } from './contract/survey';

/** The words for an import summary, shared by the CLI and the app so both say the same. */
const TYPE_WORDS: Record<SurveyVariableType, [string, string]> = {
  single: ['single choice', 'single choice'],
  multi: ['multi-select', 'multi-select'],
  ordinal: ['scale', 'scales'],
  numeric: ['numeric', 'numeric'],
  text: ['open text', 'open text'],
  date: ['date', 'dates'],
  id: ['id', 'ids'],
  weight: ['weight', 'weights'],
  metadata: ['metadata', 'metadata'],
};

/** "12 questions: 3 single choice, 2 multi-select (7 options), 4 scales, 1 numeric, 2 open text" */
export function questionsText(summary: SurveyImportSummary): string {
  const parts = (Object.entries(summary.questionsByType) as [SurveyVariableType, number][]).map(([type, n]) => {
    const words = TYPE_WORDS[type][n === 1 ? 0 : 1];
    return `${n} ${words}${type === 'multi' ? ` (${summary.multiSelectOptions} options)` : ''}`;
  });
  return `${summary.questions} question${summary.questions === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** "Metadata (kept, not analysed): StartDate, EndDate, … (17)" or null when there is none. */
export function metadataText(summary: SurveyImportSummary, limit = 8): string | null {
  const list = summary.metadataColumns;
  if (list.length === 0) return null;
  const shown = list.slice(0, limit).join(', ');
  return `${list.length} metadata column${list.length === 1 ? '' : 's'} (kept, not analysed): ${shown}${list.length > limit ? `, … (${list.length - limit} more)` : ''}`;
}
