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

describe('jobs', () => {
  it('a cancel sent before the job starts working still cancels it, and nothing is written', async () => {
    const { createTestCore } = await import('./testing/index');
    const t = createTestCore();
    try {
      await t.newProject();
      const fs = await import('node:fs');
      const path = await import('node:path');
      const csv = path.join(t.dir, 'tiny.csv');
      fs.writeFileSync(csv, 'id,q1\n1,Yes\n2,No\n');
      const running = t.core.run('survey.import', { path: csv }, 'job-early-cancel');
      expect(await t.core.run('jobs.cancel', { jobId: 'job-early-cancel' })).toEqual({ cancelled: true });
      await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
      const info = await t.call('project.info', {});
      expect(info.counts.datasets).toBe(0);
    } finally {
      t.cleanup();
    }
  });
});
