import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config, { NATIVE_MODULE_GLOB } from '../build/electron-builder.config';
import { sampleDirPath, sqliteBindingPath } from '../src/main/packaged';

const ROOT = path.resolve(import.meta.dirname, '..');
const electronVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string, prefix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]));
}

describe('electron-builder configuration (build/electron-builder.config.ts)', () => {
  it('names the app and associates .fieldbook files with it, with a document icon for each platform', () => {
    expect(config.appId).toBe('org.fieldbook.app');
    expect(config.productName).toBe('Fieldbook');
    const associations = Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations];
    expect(associations).toHaveLength(1);
    const [association] = associations;
    expect(association).toMatchObject({ ext: 'fieldbook', role: 'Editor', mimeType: 'application/x-fieldbook' });
    expect(association?.name).toBeTruthy();
    // electron-builder looks for the icon as <icon>.icns (macOS) and <icon>.ico (Windows) in build/.
    for (const ext of ['icns', 'ico']) expect(fs.existsSync(path.join(ROOT, 'build', `${association?.icon}.${ext}`))).toBe(true);
    // NSIS writes the association to the registry only in a per-machine install.
    expect(config.nsis?.perMachine).toBe(true);
  });

  it('builds AppImage and .deb, an NSIS installer and a dmg, each with its icon', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    const linuxIcons = fs.readdirSync(path.join(ROOT, String(config.linux?.icon)));
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(linuxIcons).toContain(`${size}x${size}.png`);
    expect(config.win?.icon).toBe('build/icon.ico');
    expect(config.mac?.icon).toBe('build/icon.icns');
    for (const icon of [config.win?.icon, config.mac?.icon, config.nsis?.installerIcon]) expect(fs.existsSync(path.join(ROOT, String(icon)))).toBe(true);
    // The .deb's maintainer comes from package.json's author (electron-builder wants an email);
    // Electron takes the Linux window's app id from desktopName.
    expect((pkg.author as { email?: string }).email).toMatch(/@/);
    expect(pkg.desktopName).toBe('fieldbook.desktop');
  });

  it('`npm run dist` without an Electron binary says why in one line and succeeds, building nothing', () => {
    const missing = path.join(os.tmpdir(), 'fieldbook-no-electron-here');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'dist.mjs')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_EXEC_PATH: missing } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fieldbook: no package built: ELECTRON_EXEC_PATH=.*fieldbook-no-electron-here does not exist; /);
  });

  it('never rebuilds node_modules (that would replace the Node build of better-sqlite3 that tests and the CLI use)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });
});

/**
 * The asar archive's index as electron-builder wrote it: an 8-byte size pickle, then a pickle
 * holding the JSON header; file offsets count from the end of the header.
 */
interface AsarEntry {
  files?: Record<string, AsarEntry>;
  size?: number;
  offset?: string;
  unpacked?: boolean;
}
function readAsar(file: string): { entries: Map<string, AsarEntry>; read(name: string): Buffer } {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    const headerPickle = head.readUInt32LE(4);
    const json = Buffer.alloc(head.readUInt32LE(12));
    fs.readSync(fd, json, 0, json.length, 16);
    const root = JSON.parse(json.toString('utf8')) as AsarEntry;
    const entries = new Map<string, AsarEntry>();
    const walk = (node: AsarEntry, prefix: string) => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        if (child.files) walk(child, `${prefix}${name}/`);
        else entries.set(`${prefix}${name}`, child);
      }
    };
    walk(root, '');
    return {
      entries,
      read(name) {
        const entry = entries.get(name);
        if (!entry || entry.unpacked || entry.size === undefined) throw new Error(`${name} is not packed in the archive`);
        const bytes = Buffer.alloc(entry.size);
        const handle = fs.openSync(file, 'r');
        try {
          fs.readSync(handle, bytes, 0, entry.size, 8 + headerPickle + Number(entry.offset));
        } finally {
          fs.closeSync(handle);
        }
        return bytes;
      },
    };
  } finally {
    fs.closeSync(fd);
  }
}

/** The packages a built bundle loads by name: static imports, re-exports and dynamic import(). */
function importedPackages(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  // Package names only: the catalogs bundled with the core hold words like "from": "From".
  for (const match of source.matchAll(/(?:(?<!["'])\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["'](@?[a-z0-9][\w@/.-]*)["']/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith('node:')) continue;
    names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
  }
  return [...names];
}

// The real electron-builder, with this configuration, packing the real build into an unpacked
// Linux app (`--dir`). Electron's binary is not needed to collect and pack the app's files, so a
// stand-in takes its place; the native module is a stand-in too (only its path matters here),
// placed under a version no app will ever load and removed afterwards.
describe('what `npm run dist` packs (electron-builder --dir, run for real)', () => {
  const TEST_VERSION = '0.0.0-packaging-test';
  const nativeDir = path.join(ROOT, 'build', 'native', 'electron');
  const standIn = path.join(nativeDir, `better_sqlite3-electron-${TEST_VERSION}.node`);
  const createdDirs: string[] = [];
  let work = '';
  let appAsar = '';
  let archive: ReturnType<typeof readAsar>;

  beforeAll(() => {
    if (!['index.js', 'utility.js', 'worker.js'].every((f) => fs.existsSync(path.join(ROOT, 'out', 'main', f)))) {
      expect(spawnSync(path.join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: ROOT, encoding: 'utf8' }).status).toBe(0);
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-packaging-'));
    const electronDist = path.join(work, 'electron');
    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    for (let dir = nativeDir; !fs.existsSync(dir); dir = path.dirname(dir)) createdDirs.push(dir);
    fs.mkdirSync(nativeDir, { recursive: true });
    fs.writeFileSync(standIn, 'a stand-in for better-sqlite3 built for Electron');
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'electron-builder'),
      [
        '--config',
        path.join('build', 'electron-builder.config.ts'),
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${path.join(work, 'dist')}`,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } },
    );
    if (run.status !== 0) throw new Error(`electron-builder failed:\n${run.stdout}\n${run.stderr}`);
    const unpacked = fs.readdirSync(path.join(work, 'dist')).find((d) => d.endsWith('-unpacked'));
    appAsar = path.join(work, 'dist', String(unpacked), 'resources', 'app.asar');
    archive = readAsar(appAsar);
  }, 600_000);

  afterAll(() => {
    fs.rmSync(standIn, { force: true });
    for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs the built main, utility, worker, preload and renderer, and package.json pointing at the main', () => {
    const packed = [...archive.entries.keys()];
    for (const file of ['out/main/index.js', 'out/main/utility.js', 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(packed).toContain(file);
    }
    // Every chunk and asset of the build, not just the entries.
    const built = filesUnder(path.join(ROOT, 'out'), 'out/');
    expect(packed.filter((f) => f.startsWith('out/')).sort()).toEqual(built.sort());
    expect(JSON.parse(archive.read('package.json').toString('utf8'))).toMatchObject({ main: 'out/main/index.js', version: pkg.version });
  });

  it('keeps the sample study beside the archive, where src/main/packaged.ts points the core', () => {
    // electron-builder leaves out git's own files (.gitattributes), as it should.
    const sample = filesUnder(path.join(ROOT, 'resources', 'sample'), '').filter((f) => !path.basename(f).startsWith('.git'));
    expect(sample).toContain('manifest.json');
    const dir = sampleDirPath(appAsar);
    expect(dir).toContain('app.asar.unpacked');
    for (const file of sample) {
      expect(archive.entries.get(`resources/sample/${file}`)?.unpacked, file).toBe(true);
      expect(fs.readFileSync(path.join(dir, file)).equals(fs.readFileSync(path.join(ROOT, 'resources', 'sample', file))), file).toBe(true);
    }
  });

  it('packs the Electron build of better-sqlite3 where the main process tells the core to load it, and not the Node build', () => {
    expect(NATIVE_MODULE_GLOB.startsWith('build/native/electron/')).toBe(true);
    const binding = sqliteBindingPath(appAsar, TEST_VERSION);
    expect(binding).toContain('app.asar.unpacked');
    expect(fs.readFileSync(binding).equals(fs.readFileSync(standIn))).toBe(true);
    expect(archive.entries.get(`build/native/electron/better_sqlite3-electron-${TEST_VERSION}.node`)?.unpacked).toBe(true);
    // better-sqlite3's JavaScript is there; its own compiled module (Node's ABI) and sources are not.
    const sqlite = [...archive.entries.keys()].filter((f) => f.startsWith('node_modules/better-sqlite3/'));
    expect(sqlite).toContain('node_modules/better-sqlite3/lib/index.js');
    expect(sqlite.filter((f) => /\/(build|deps|src)\//.test(f))).toEqual([]);
    const nativeModules = [...archive.entries.keys()].filter((f) => f.endsWith('.node'));
    expect(nativeModules.filter((f) => f.includes('sqlite'))).toEqual([`build/native/electron/better_sqlite3-electron-${TEST_VERSION}.node`]);
    // Nothing else of build/ (icons, this configuration) goes into the app.
    expect([...archive.entries.keys()].filter((f) => f.startsWith('build/') && !f.startsWith('build/native/electron/'))).toEqual([]);
  });

  it('packs every package the built main, utility and worker bundles load by name, and not electron itself', () => {
    const bundles = filesUnder(path.join(ROOT, 'out', 'main'), '').map((f) => path.join(ROOT, 'out', 'main', f));
    const needed = new Set(bundles.flatMap(importedPackages));
    expect(needed.has('better-sqlite3')).toBe(true);
    needed.delete('electron');
    for (const name of needed) expect(archive.entries.has(`node_modules/${name}/package.json`), name).toBe(true);
    // Nor the tools that only run the CLI from a checkout, nor source maps.
    for (const tool of ['electron', 'tsx', 'esbuild']) expect([...archive.entries.keys()].some((f) => f.startsWith(`node_modules/${tool}/`)), tool).toBe(false);
    expect([...archive.entries.keys()].filter((f) => f.startsWith('node_modules/') && f.endsWith('.map'))).toEqual([]);
  });
});
