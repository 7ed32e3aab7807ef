import path from 'node:path';
import { FieldbookError } from '../../../shared/errors';
import type { ParsedSurvey, ParsedVariable } from '../model';

/** Shared by the SPSS reader's tests: finding variables, reading their values, catching errors. */

export const fixture = (name: string): string => path.join(import.meta.dirname, 'fixtures', name);

export function variable(s: ParsedSurvey, name: string, options: { ignoreCase?: boolean } = {}): ParsedVariable {
  const same = (x: ParsedVariable) => (options.ignoreCase ? x.name.toLowerCase() === name.toLowerCase() : x.name === name);
  const v = s.variables.find(same);
  if (!v) throw new Error(`no variable ${name}; have ${s.variables.map((x) => x.name).join(', ')}`);
  return v;
}

export function nums(v: ParsedVariable): number[] {
  if (v.values.kind !== 'number') throw new Error(`${v.name} is not numeric`);
  return Array.from(v.values.values);
}

export function strs(v: ParsedVariable): (string | null)[] {
  if (v.values.kind !== 'string') throw new Error(`${v.name} is not a string variable`);
  return v.values.values;
}

export function caught(fn: () => unknown): FieldbookError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FieldbookError) return e;
    throw new Error(`expected a FieldbookError, got ${String(e)}`);
  }
  throw new Error('expected an error, got none');
}
