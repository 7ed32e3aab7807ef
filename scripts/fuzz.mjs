#!/usr/bin/env node
// `npm run fuzz`: the fuzz suite of src/core/intake/fuzz.test.ts as a longer campaign. `npm test`
// runs it with 50 mutated files per importer; this runs FIELDBOOK_FUZZ_RUNS (default 1000) from
// FIELDBOOK_FUZZ_SEED (default: the suite's own), so a failure it finds replays with the same two.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, FIELDBOOK_FUZZ_RUNS: process.env.FIELDBOOK_FUZZ_RUNS ?? '1000' };
console.log(`fuzzing every importer: ${env.FIELDBOOK_FUZZ_RUNS} runs each${env.FIELDBOOK_FUZZ_SEED ? `, seed ${env.FIELDBOOK_FUZZ_SEED}` : ''}`);
const result = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', 'src/core/intake/fuzz.test.ts', ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: root });
process.exit(result.status ?? 1);
