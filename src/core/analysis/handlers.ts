import type { tableMethods } from '../../shared/contract/tables';
import type { HandlerMap } from '../context';

export const tableHandlers: HandlerMap<keyof typeof tableMethods> = {};
