import type { surveyMethods } from '../../shared/contract/survey';
import type { HandlerMap } from '../context';

export const surveyHandlers: HandlerMap<keyof typeof surveyMethods> = {};
