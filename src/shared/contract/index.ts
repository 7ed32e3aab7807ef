import type { z } from 'zod';
import type { MethodSpec } from './method';
import { projectMethods } from './project';
import { surveyMethods } from './survey';
import { transcriptMethods } from './transcripts';
import { codingMethods } from './coding';
import { suggestMethods } from './suggest';
import { tableMethods } from './tables';
import { exportMethods } from './exports';
import { findingMethods } from './findings';

export * from './method';
export * from './project';
export * from './survey';
export * from './transcripts';
export * from './coding';
export * from './suggest';
export * from './tables';
export * from './exports';
export * from './findings';

/** The whole API: one map from method name to its input schema and result type. */
export const contract = {
  ...projectMethods,
  ...surveyMethods,
  ...transcriptMethods,
  ...codingMethods,
  ...suggestMethods,
  ...tableMethods,
  ...exportMethods,
  ...findingMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after validation and defaults). */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = Contract[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
