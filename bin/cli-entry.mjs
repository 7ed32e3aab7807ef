// Where the `fieldbook` command's code comes from: an esbuild bundle of src/cli, made on first use
// into node_modules/.cache/fieldbook/
// and made again only when one of its sources changed (a stat of each, ~2 ms). Compiling the
// TypeScript on every call (tsx) cost ~0.8 s of a one-line `fieldbook info`; a bundle loads zod and
// the contract as one file, and each domain (with exceljs, echarts, natural...) only when a
// command needs it. Where esbuild is missing, null: the caller falls back to tsx.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'fieldbook');
const stampFile = path.join(cacheDir, 'cli.json');

function stamp(files) {
  return files.map((f) => `${f}:${fs.statSync(path.join(root, f)).mtimeMs}`).join('\n');
}

/** The entry module of the CLI (it exports main), or null to run the sources through tsx. */
export async function cliEntry() {
  try {
    const last = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (fs.existsSync(last.script) && stamp(last.files) === last.stamp) return last.script;
  } catch {
    // No bundle yet, or a source is gone: build one.
  }
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const outdir = path.join(cacheDir, `cli-${process.pid}-${Date.now()}`);
  const result = await esbuild.build(bundleOptions(outdir));
  const files = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  // Several processes may build at once: each writes its own folder, then renames its stamp in.
  const temp = `${stampFile}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify({ files, stamp: stamp(files), script: path.join(outdir, 'index.mjs') }));
  fs.renameSync(temp, stampFile);
  removeOldBundles(outdir);
  return path.join(outdir, 'index.mjs');
}

/**
 * The CLI and the core's worker thread, split at dynamic imports (each domain loads on its first
 * call). Packages stay external, but for zod: the contract's schemas load at start-up, and one
 * file loads faster than zod's hundred.
 */
export function bundleOptions(outdir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => name !== 'zod')
    .flatMap((name) => [name, `${name}/*`]);
  return {
    entryPoints: { index: path.join(root, 'src/cli/index.ts'), worker: path.join(root, 'src/core/worker.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
  };
}

/** Bundles older than a day: no command still running can need their chunks. */
function removeOldBundles(keep) {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(cacheDir)) {
    const full = path.join(cacheDir, name);
    if (full === keep || !name.startsWith('cli-')) continue;
    try {
      if (fs.statSync(full).mtimeMs < dayAgo) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
