import type { SurveyVariableType } from '../../../../shared/contract/survey';

const TYPE_NAMES: Record<SurveyVariableType, string> = {
  single: 'Single choice',
  multi: 'Multi-select',
  ordinal: 'Ordinal / Likert',
  numeric: 'Numeric',
  text: 'Open text',
  date: 'Date',
  id: 'Respondent id',
  weight: 'Weight',
  metadata: 'Metadata',
};

export function typeName(type: SurveyVariableType): string {
  return TYPE_NAMES[type];
}
