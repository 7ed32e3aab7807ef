import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrations } from './index';

/**
 * Shipped migrations are frozen: a project at version N never runs steps ≤ N again, so editing
 * one changes nothing for existing files and silently forks the schema. frozen.json holds each
 * migration file's SHA-256; a new migration adds its line (the failure message prints it).
 */
const dir = import.meta.dirname;
const frozen = JSON.parse(fs.readFileSync(path.join(dir, 'frozen.json'), 'utf8')) as Record<string, string>;
const files = fs.readdirSync(dir).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
// Line endings normalised, so a checkout with CR LF endings hashes the same.
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file), 'utf8').replaceAll('\r\n', '\n')).digest('hex');

describe('migrations', () => {
  it('are numbered by their file names, each once, and listed in index.ts', () => {
    const versions = migrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(files.map((f) => Number(f.slice(0, 4))).sort((a, b) => a - b)).toEqual(versions);
    expect(Math.max(...versions)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('are frozen once written: each file matches its line in frozen.json', () => {
    const changed = files.filter((f) => frozen[f] !== sha(f)).map((f) => `"${f}": "${sha(f)}"`);
    expect(changed, 'A shipped migration changed (write a new one instead), or a new one lacks its line in frozen.json').toEqual([]);
    expect(Object.keys(frozen).filter((f) => !files.includes(f)), 'frozen.json names a migration that is gone').toEqual([]);
  });

  it('each has an N-1 → N test of its own', () => {
    const tested = new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, 4)));
    // Tested beside the domain whose data they move.
    const elsewhere: Record<string, string> = {
      '0050': '../../suggest/suggest.test.ts',
      '0051': '../../suggest/suggest.test.ts',
      '0072': '../../transcripts/transcripts.test.ts',
      '0073': '../../transcripts/transcripts.test.ts',
    };
    for (const [version, file] of Object.entries(elsewhere)) {
      expect(fs.readFileSync(path.join(dir, file), 'utf8'), `${file} tests migration ${version}`).toMatch(new RegExp(`describe\\('migrations? [^']*${version}`));
    }
    expect(files.map((f) => f.slice(0, 4)).filter((v) => !tested.has(v) && !(v in elsewhere))).toEqual([]);
  });
});
