import { describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../shared/contract/index';
import { resolveHandler } from './core';

describe('core', () => {
  it('has a handler for every method of the contract', async () => {
    const missing: string[] = [];
    for (const method of Object.keys(contract) as MethodName[]) {
      try {
        expect(typeof (await resolveHandler(method))).toBe('function');
      } catch {
        missing.push(method);
      }
    }
    expect(missing).toEqual([]);
  });
});
