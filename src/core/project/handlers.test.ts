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

  it('clears the recent list without touching the projects, and the list fills again on the next open', async () => {
    const a = await t.newProject('a');
    const b = await t.newProject('b');
    expect(await t.call('app.clearRecent', {})).toEqual([]);
    expect(await t.call('app.recent', {})).toEqual([]);
    expect(fs.existsSync(a) && fs.existsSync(b)).toBe(true);
    // The list lives in the app-data folder, so a restarted app sees it empty too.
    expect(JSON.parse(fs.readFileSync(path.join(t.dir, 'appdata', 'recent.json'), 'utf8'))).toEqual({ projects: [] });
    await t.call('project.open', { path: a });
    expect((await t.call('app.recent', {})).map((r) => r.path)).toEqual([a]);
  });
});
