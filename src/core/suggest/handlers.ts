import type { suggestMethods } from '../../shared/contract/suggest';
import type { HandlerMap } from '../context';

export const suggestHandlers: HandlerMap<keyof typeof suggestMethods> = {};
