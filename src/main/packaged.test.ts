import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleDirPath, sqliteBindingPath, unpackedPath } from './packaged';

describe('packaged paths', () => {
  it('leave a checkout alone: `electron .` runs from the repository', () => {
    const repo = path.resolve('/home/ana/fieldbook');
    expect(sampleDirPath(repo)).toBe(path.join(repo, 'resources', 'sample'));
    expect(sqliteBindingPath(repo, '45.5.0')).toBe(path.join(repo, 'build', 'native', 'electron', 'better_sqlite3-electron-45.5.0.node'));
  });

  it('point beside app.asar in a package, where asarUnpack puts the native module and the sample', () => {
    const app = path.resolve('/opt/Fieldbook/resources/app.asar');
    const unpacked = path.resolve('/opt/Fieldbook/resources/app.asar.unpacked');
    expect(sampleDirPath(app)).toBe(path.join(unpacked, 'resources', 'sample'));
    expect(sqliteBindingPath(app, '45.5.0')).toBe(path.join(unpacked, 'build', 'native', 'electron', 'better_sqlite3-electron-45.5.0.node'));
    // Only a path segment that is an archive counts, not a folder whose name merely contains ".asar".
    expect(unpackedPath(path.resolve('/data/my.asarfiles/x.node'))).toBe(path.resolve('/data/my.asarfiles/x.node'));
  });
});
