import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInTempFolder } from '../core/testing/cli';

describe('fieldbook command', () => {
  const cli = cliInTempFolder();

  it('creates a project and reports its schema and counts as JSON', () => {
    const created = cli.run('new', path.join(cli.dir, 'study'), '--json');
    expect(created.status).toBe(0);
    const info = JSON.parse(cli.run('info', path.join(cli.dir, 'study.fieldbook'), '--json').stdout) as { schemaVersion: number; appSchemaVersion: number; counts: Record<string, number> };
    expect(info.schemaVersion).toBe(info.appSchemaVersion);
    expect(info.counts.codes).toBe(0);
    expect(info.counts.datasets).toBe(0);
  });

  it('prints one clear line and exits 1 for a file that is not a project', () => {
    const file = path.join(cli.dir, 'notes.txt');
    fs.writeFileSync(file, 'hello');
    const result = cli.run('info', file);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`fieldbook: notes.txt is not a Fieldbook project: it is not an SQLite database file. (${file})`);
  });

  it('refuses to overwrite without --force', () => {
    expect(cli.run('new', path.join(cli.dir, 'a.fieldbook')).status).toBe(0);
    const again = cli.run('new', path.join(cli.dir, 'a.fieldbook'));
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(cli.run('new', path.join(cli.dir, 'a.fieldbook'), '--force').status).toBe(0);
  });

  it('has --help everywhere and exits 2 on a wrong command line', () => {
    const help = cli.run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: fieldbook/);
    expect(cli.run('info', '--help').stdout).toMatch(/schema version/);
    expect(cli.run('frobnicate').status).toBe(2);
  });
});

describe('the CLI bundle (bin/cli-entry.mjs)', () => {
  it('is made once, found again while the sources stand still, and made anew when one changes', async () => {
    const { cliEntry } = await import('../../bin/cli-entry.mjs');
    const first = await cliEntry();
    expect(first).toMatch(/node_modules\/\.cache\/fieldbook\/cli-[^/]+\/index\.mjs$/);
    expect(fs.existsSync(path.join(path.dirname(first!), 'worker.mjs'))).toBe(true);
    expect(await cliEntry()).toBe(first);
    const source = path.resolve(import.meta.dirname, 'runtime.ts');
    const { atime, mtime } = fs.statSync(source);
    try {
      fs.utimesSync(source, atime, new Date(mtime.getTime() + 5000));
      const rebuilt = await cliEntry();
      expect(rebuilt).not.toBe(first);
      expect(fs.existsSync(rebuilt!)).toBe(true);
    } finally {
      fs.utimesSync(source, atime, mtime);
    }
  });
});
