import type { exportMethods } from '../../shared/contract/exports';
import type { HandlerMap } from '../context';

export const exportHandlers: HandlerMap<keyof typeof exportMethods> = {};
