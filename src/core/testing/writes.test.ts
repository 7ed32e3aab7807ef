import { afterEach, describe, expect, it } from 'vitest';
import { effects, type Effect } from '../../shared/contract/effects';
import { createTestCore, type TestCore } from './index';

describe('the effects check every test core makes', () => {
  let t: TestCore | null = null;
  afterEach(() => t?.cleanup());

  it('fails a call that writes a table outside the topics its method declares, naming the tables', async () => {
    t = createTestCore();
    await t.newProject();
    await t.call('codes.create', { name: 'Declared' });
    const table = effects as Record<string, Effect>;
    const declared = table['codes.create']!;
    // The same call, with a declaration that leaves out what it writes.
    table['codes.create'] = { changes: ['memos'], reads: [], undoable: false };
    try {
      await expect(t.call('codes.create', { name: 'Undeclared' })).rejects.toThrow(/codes\.create wrote code, operation, outside the topics it declares \(memos\)/);
    } finally {
      table['codes.create'] = declared;
    }
  });

  it('lets a call through that writes only what it declares, and announces exactly those topics', async () => {
    t = createTestCore();
    await t.newProject();
    t.events.length = 0;
    await t.call('codes.create', { name: 'Cost' });
    expect(t.events.filter((event) => event.type === 'project.changed')).toEqual([{ type: 'project.changed', topics: ['codes', 'history'] }]);
    t.events.length = 0;
    await t.call('codes.list', {});
    expect(t.events).toEqual([]);
  });
});
