import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The built utility-process bundle is ESM with dependencies left external: a named import of a
// CommonJS package passes tsc and vitest, then crashes at run time. Run the real bundle under
// plain Node with a stand-in for Electron's parentPort and make a few real calls through it.
const bundle = path.resolve('out/main/utility.js');
const built = fs.existsSync(bundle);
if (!built) console.log('[bundle.test] out/main/utility.js is not built: run `npm run build` (npm test builds first).');

describe.skipIf(!built)('the built core bundle', () => {
  it('loads under plain Node and answers calls', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bundle-'));
    const harness = `
      const listeners = [];
      const replies = [];
      process.parentPort = {
        on: (_e, fn) => listeners.push(fn),
        postMessage: (m) => { if (m.kind === 'reply') { replies.push(m); if (replies.length === 3) { console.log(JSON.stringify(replies)); process.exit(0); } } },
      };
      await import(${JSON.stringify(bundle)});
      const send = (id, method, input) => listeners.forEach((fn) => fn({ data: { kind: 'call', id, method, input } }));
      send(1, 'app.info', {});
      send(2, 'project.create', { path: ${JSON.stringify(path.join(home, 'b.fieldbook'))} });
      send(3, 'no.such.method', {});
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
    const replies = (JSON.parse(out) as { id: number; envelope: { ok: boolean; result?: { host?: string; schemaVersion?: number }; error?: { code: string } } }[]).sort((a, b) => a.id - b.id);
    expect(replies[0]?.envelope.result?.host).toBe('electron');
    expect(replies[1]?.envelope.ok).toBe(true);
    expect(replies[1]?.envelope.result?.schemaVersion).toBeGreaterThan(0);
    expect(replies[2]?.envelope.error?.code).toBe('UNKNOWN_METHOD');
  });
});
