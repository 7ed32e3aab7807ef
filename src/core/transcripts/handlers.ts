import type { transcriptMethods } from '../../shared/contract/transcripts';
import type { HandlerMap } from '../context';

export const transcriptHandlers: HandlerMap<keyof typeof transcriptMethods> = {};
