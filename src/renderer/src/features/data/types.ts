import type { SurveyVariableType } from '../../../../shared/contract/survey';
import { t } from '../../i18n';

export function typeName(type: SurveyVariableType): string {
  return t(`data.types.${type}`);
}
