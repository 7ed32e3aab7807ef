import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProject } from '../core/store/project';
import { cliInTempFolder, holdProject } from '../core/testing/cli';

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

  it('new --force refuses a project that is open elsewhere, and leaves it and its unsaved pages intact', async () => {
    const file = path.join(cli.dir, 'open.fieldbook');
    // Another process holds it open as the app does (one connection, SQLite's exclusive lock, work
    // still in the WAL). A separate process: closing any descriptor of a file drops every POSIX
    // lock this process has on it, so this test must not read the file from the holder's process.
    const holder = holdProject(file, ['months of coding']);
    await holder.ready;
    const bytes = (suffix: string) => (fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix).toString('base64') : null);
    const before = { main: bytes(''), wal: bytes('-wal') };
    expect(before.wal).not.toBeNull();
    const forced = cli.run('new', file, '--force');
    expect(forced.status).toBe(1);
    expect(forced.stderr.trim()).toBe(`fieldbook: open.fieldbook is open in another Fieldbook window or program. Close it there, then try again. (${file})`);
    expect({ main: bytes(''), wal: bytes('-wal') }).toEqual(before);
    // The window that holds it goes on working on the same file, and closes it.
    expect(await holder.finish(['and more'])).toBe(0);
    const reopened = openProject(file);
    expect(reopened.db.prepare('SELECT name FROM code ORDER BY id').pluck().all()).toEqual(['months of coding', 'and more']);
    reopened.close();
    // Once nobody holds it, --force replaces it.
    expect(cli.run('new', file, '--force').status).toBe(0);
    const replaced = openProject(file);
    expect(replaced.db.prepare('SELECT count(*) FROM code').pluck().get()).toBe(0);
    replaced.close();
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
