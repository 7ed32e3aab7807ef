import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';

describe('project handlers', () => {
  let t: TestCore;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(() => t.cleanup());

  it('opening the project that is already open returns it instead of refusing it as locked', async () => {
    const file = await t.newProject('again');
    await t.call('codes.create', { name: 'Kept' });
    const info = await t.call('project.open', { path: file });
    expect(info.path).toBe(file);
    expect(info.counts.codes).toBe(1);
    expect(t.core.currentProject()?.isOpen).toBe(true);
  });

  it('refuses to create a project over the one that is open', async () => {
    const file = await t.newProject('busy');
    await expect(t.call('project.create', { path: file, overwrite: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.existsSync(file)).toBe(true);
  });

  it('keeps the current project open when another file is refused', async () => {
    const file = await t.newProject('current');
    const bogus = path.join(t.dir, 'bogus.fieldbook');
    fs.writeFileSync(bogus, 'not sqlite at all');
    await expect(t.call('project.open', { path: bogus })).rejects.toMatchObject({ code: 'NOT_SQLITE' });
    expect((await t.call('project.info', {})).path).toBe(file);
  });

  it('remembers opened projects, most recent first, and forgets on request', async () => {
    const a = await t.newProject('a');
    const b = await t.newProject('b');
    expect((await t.call('app.recent', {})).map((r) => r.path)).toEqual([b, a]);
    expect((await t.call('app.forgetRecent', { path: b })).map((r) => r.path)).toEqual([a]);
  });
});
