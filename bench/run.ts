/**
 * `npm run bench [-- filter...]`: every row of every bench/*.bench.ts, each side in its own child
 * process (so peak memory is that side's own), medians of `repeat` runs, ratio ours/baseline.
 * A filter picks the files whose name holds it; one that names no file picks the rows whose task
 * holds it (`npm run bench -- "quoted cell"`), so one row runs without its file's heavy neighbours.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow } from './harness';

const benchDir = import.meta.dirname;
process.env.DOTENV_CONFIG_QUIET = 'true';

async function loadRows(file: string): Promise<BenchRow[]> {
  const mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { rows?: BenchRow[] };
  return mod.rows ?? [];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function child(file: string, index: number, side: 'setup' | 'ours' | 'base'): Promise<void> {
  const row = (await loadRows(file))[index];
  if (!row) throw new Error(`No row ${index} in ${file}`);
  await row.setup?.();
  const times: number[] = [];
  if (side !== 'setup') {
    const fn = side === 'ours' ? row.ours.bind(row) : row.base.bind(row);
    for (let i = 0; i < (row.repeat ?? 3); i++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
  }
  if (side === 'base') await row.teardown?.();
  // maxRSS is in kilobytes.
  process.stdout.write(`\n@@BENCH ${JSON.stringify({ times, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function runChild(file: string, index: number, side: string): { times: number[]; maxRssMb: number } | { error: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(benchDir, 'run.ts'), '--child', file, String(index), side], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@BENCH '));
  if (result.status !== 0 || !line) return { error: (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ') };
  return JSON.parse(line.slice(8)) as { times: number[]; maxRssMb: number };
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, Number(args[2]), args[3] as 'setup' | 'ours' | 'base');
  const all = fs.readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();
  const rowFilters = args.filter((a) => !all.some((f) => f.includes(a)));
  const fileFilters = args.filter((a) => !rowFilters.includes(a));
  const files = rowFilters.length > 0 && fileFilters.length === 0 ? all : all.filter((f) => args.length === 0 || fileFilters.some((a) => f.includes(a)));
  console.log(`Fieldbook benchmarks — ${new Date().toISOString()} — node ${process.version}, ${process.platform} ${process.arch}`);
  console.log('Each side runs in its own process; times are medians; ratio = ours / baseline (lower is better).\n');
  const lines: string[][] = [['task', 'ours', 'baseline', 'baseline time', 'ratio', 'our peak RSS', 'target']];
  for (const file of files) {
    const rows = await loadRows(file);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      if (rowFilters.length > 0 && !rowFilters.some((a) => row.name.includes(a))) continue;
      process.stderr.write(`… ${row.name}\n`);
      const setup = runChild(file, index, 'setup');
      if ('error' in setup) {
        lines.push([row.name, `setup failed: ${setup.error}`, row.baseline, '', '', '', row.target ?? '']);
        continue;
      }
      const ours = runChild(file, index, 'ours');
      const base = runChild(file, index, 'base');
      if ('error' in ours || 'error' in base) {
        lines.push([row.name, 'error' in ours ? `failed: ${ours.error}` : ms(median(ours.times)), row.baseline, 'error' in base ? `failed: ${base.error}` : ms(median(base.times)), '', '', row.target ?? '']);
        continue;
      }
      const o = median(ours.times);
      const b = median(base.times);
      lines.push([row.name, ms(o), row.baseline, ms(b), `${(o / b).toFixed(2)}×`, `${ours.maxRssMb.toFixed(0)} MB`, row.target ?? '']);
    }
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  lines.forEach((l, i) => {
    console.log(`| ${l.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
