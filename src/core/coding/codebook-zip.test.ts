import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipBomb } from '../testing/hazards';
import { createTestCore, failure, type TestCore } from '../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

describe('codes.import of a .qdpx goes through the bounded zip reader', () => {
  it('a project.qde packed 1000:1 is refused before it is unpacked, naming the file; the project is untouched', async () => {
    const projectPath = await t.newProject();
    const file = path.join(t.dir, 'bomb.qdpx');
    fs.writeFileSync(file, zipBomb('project.qde', 64));
    const before = fs.readFileSync(projectPath);
    const peakBefore = process.resourceUsage().maxRSS;
    const error = await failure(t.call('codes.import', { path: file }));
    const grewMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('bomb.qdpx was refused');
    expect(error.message).toMatch(/times bigger than it is stored/);
    expect(error.details).toMatchObject({ file: 'bomb.qdpx', entry: 'project.qde' });
    expect(grewMb).toBeLessThan(32);
    expect(fs.readFileSync(projectPath).equals(before)).toBe(true);
  });
});
