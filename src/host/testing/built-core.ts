import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Envelope } from '../../core/dispatch';

/**
 * The built utility-process bundle (out/main/utility.js), driven under plain Node with a stand-in
 * for Electron's parentPort. The bundle is ESM with dependencies left external, so a named import
 * of a CommonJS package passes tsc and vitest and only fails here.
 */
export const BUILT_CORE = path.resolve(import.meta.dirname, '../../../out/main/utility.js');
export const builtCoreAvailable = fs.existsSync(BUILT_CORE);
if (!builtCoreAvailable) console.log(`[bundle tests] ${BUILT_CORE} is not built: run \`npm run build\` (npm test builds first).`);

export interface BuiltCoreRun {
  code: number | null;
  stderr: string;
  /** One envelope per call, in the order of the calls. */
  replies: Envelope[];
}

/** Makes the calls one after another through the bundle, with FIELDBOOK_HOME set to `home`. */
export async function callBuiltCore(home: string, calls: { method: string; input: unknown }[]): Promise<BuiltCoreRun> {
  const harness = `
    const listeners = [];
    const waiting = new Map();
    process.parentPort = {
      on: (_e, fn) => listeners.push(fn),
      postMessage: (m) => { if (m.kind === 'reply') waiting.get(m.id)?.(m.envelope); },
    };
    await import(${JSON.stringify(BUILT_CORE)});
    const replies = [];
    for (const [index, call] of ${JSON.stringify(calls)}.entries()) {
      replies.push(await new Promise((resolve) => {
        waiting.set(index + 1, resolve);
        listeners.forEach((fn) => fn({ data: { kind: 'call', id: index + 1, method: call.method, input: call.input } }));
      }));
    }
    console.log(JSON.stringify(replies));
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', harness], {
    env: { ...process.env, FIELDBOOK_HOME: home, DOTENV_CONFIG_QUIET: 'true' },
  });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const last = out.trim().split('\n').pop() ?? '[]';
  return { code, stderr, replies: code === 0 ? (JSON.parse(last) as Envelope[]) : [] };
}
