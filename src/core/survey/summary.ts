import type { SurveyImportSummary, SurveyVariableType } from '../../shared/contract/survey';
import type { ParsedSurvey } from './model';

const NOT_QUESTIONS = new Set<SurveyVariableType>(['metadata', 'id', 'weight']);

/** The column a warning names: the variable name it mentions first as a whole word (the longer at a tie), or null. */
export function columnOfWarning(message: string, names: string[]): string | null {
  let best: string | null = null;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const name of names) {
    let at = message.indexOf(name);
    while (at >= 0 && at <= bestAt) {
      const before = at === 0 ? ' ' : message[at - 1]!;
      const after = message[at + name.length] ?? ' ';
      if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) {
        if (at < bestAt || name.length > best!.length) {
          best = name;
          bestAt = at;
        }
        break;
      }
      at = message.indexOf(name, at + 1);
    }
  }
  return best;
}

/**
 * Counts a user can check against the file: respondents, questions by type (a multi-select once,
 * however many options), the columns kept as metadata, and the warnings with their columns.
 */
export function importSummary(survey: ParsedSurvey, openTextDocuments: number): SurveyImportSummary {
  const byType: Partial<Record<SurveyVariableType, number>> = {};
  const multiGroups = new Set<string>();
  let questions = 0;
  let options = 0;
  for (const v of survey.variables) {
    if (NOT_QUESTIONS.has(v.type)) continue;
    if (v.type === 'multi') {
      options++;
      const group = v.questionGroup ?? v.name;
      if (multiGroups.has(group)) continue;
      multiGroups.add(group);
    }
    questions++;
    byType[v.type] = (byType[v.type] ?? 0) + 1;
  }
  const sources = survey.variables.map((v) => (typeof v.meta?.source === 'string' ? v.meta.source : v.name));
  const names = [...new Set([...survey.variables.map((v) => v.name), ...sources])];
  return {
    respondents: survey.rowCount,
    questions,
    questionsByType: byType,
    variables: survey.variables.length,
    multiSelectOptions: options,
    openTextDocuments,
    idColumn: survey.variables.find((v) => v.type === 'id')?.name ?? null,
    weightColumn: survey.variables.find((v) => v.type === 'weight')?.name ?? null,
    metadataColumns: survey.variables.filter((v) => v.type === 'metadata').map((v) => v.name),
    warnings: survey.warnings.map((message) => ({ column: columnOfWarning(message, names), message })),
  };
}
