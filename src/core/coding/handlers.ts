import type { codingMethods } from '../../shared/contract/coding';
import type { HandlerMap } from '../context';

export const codingHandlers: HandlerMap<keyof typeof codingMethods> = {};
