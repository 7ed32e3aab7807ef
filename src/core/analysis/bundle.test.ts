import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// jstat is CommonJS and echarts is loaded in Node without a DOM: both can pass tsc and vitest and
// still fail in the built ESM bundle. Run the real bundle under plain Node (a stand-in for
// Electron's parentPort) and compute a table with chi-square and a chart through it.
const bundle = path.resolve('out/main/utility.js');
const built = fs.existsSync(bundle);
if (!built) console.log('[analysis bundle.test] out/main/utility.js is not built: run `npm run build` (npm test builds first).');

describe.skipIf(!built)('tables in the built core bundle', () => {
  it('runs a table with chi-square and draws a chart', { timeout: 120_000 }, async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bundle-tables-'));
    const harness = `
      const listeners = [];
      const waiting = new Map();
      process.parentPort = {
        on: (_e, fn) => listeners.push(fn),
        postMessage: (m) => { if (m.kind === 'reply') waiting.get(m.id)?.(m.envelope); },
      };
      await import(${JSON.stringify(bundle)});
      let next = 0;
      const call = (method, input) => new Promise((resolve) => {
        next += 1;
        waiting.set(next, resolve);
        listeners.forEach((fn) => fn({ data: { kind: 'call', id: next, method, input } }));
      });
      const out = [];
      out.push(await call('project.openSample', { path: ${JSON.stringify(path.join(home, 'sample.fieldbook'))} }));
      const spec = { source: { kind: 'dataset', datasetIds: [1, 2] }, rows: [{ ref: 'Q1' }], banner: ['Q2'] };
      out.push(await call('tables.run', { spec }));
      out.push(await call('tables.chart', { spec, chart: { kind: 'grouped' } }));
      console.log(JSON.stringify(out));
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', harness], {
      env: { ...process.env, FIELDBOOK_HOME: home, DOTENV_CONFIG_QUIET: 'true' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    fs.rmSync(home, { recursive: true, force: true });
    expect(err).toBe('');
    expect(code).toBe(0);
    type Envelope = { ok: boolean; result?: unknown; error?: { message: string } };
    const [opened, table, chart] = JSON.parse(out) as Envelope[];
    expect(opened?.ok).toBe(true);
    expect(table?.error?.message).toBeUndefined();
    const result = table!.result as { groups: { chiSquare: { p: number; df: number }[] }[] };
    expect(result.groups[0]!.chiSquare.find((c) => c.df > 0)!.p).toBeGreaterThanOrEqual(0);
    expect((chart!.result as { svg: string }).svg).toMatch(/^<svg/);
  });
});
