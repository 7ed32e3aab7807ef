import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../shared/contract/project';
import { cliInTempFolder } from '../../core/testing/cli';

describe('fieldbook sample', () => {
  const cli = cliInTempFolder();

  it('builds the sample study where asked, then reopens it instead of building again', () => {
    const target = path.join(cli.dir, 'tour', 'Sample.fieldbook');
    fs.mkdirSync(path.dirname(target));
    const built = cli.run('sample', target, '--json');
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const info = JSON.parse(built.stdout) as ProjectInfo;
    expect(info.path).toBe(target);
    expect(info.counts).toMatchObject({ datasets: 2, respondents: 857, participants: 10, codes: 12 });
    const modified = fs.statSync(target).mtimeMs;
    const again = cli.run('sample', target);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`The sample study is at ${target}`);
    expect(again.stdout).toMatch(/respondents\s+857/);
    expect(fs.statSync(target).mtimeMs).toBe(modified);
  }, 240_000);
});
