import { FieldbookError } from '../../../shared/errors';
import type { SpssParsedSurvey } from './dictionary';

export function readPor(_bytes: Uint8Array, file: string, _options: { encoding?: string; signal?: AbortSignal } = {}): SpssParsedSurvey {
  throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is an SPSS portable file (.por), which is not supported yet.`, { file });
}
