#!/usr/bin/env node
// `npm test`: typecheck, lint, build, unit tests, the built bundle's smoke test, and e2e in
// Debian's Chromium through the web bridge. Prints one closing line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const env = { ...process.env, DOTENV_CONFIG_QUIET: 'true', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, command, args, { count } = {}) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n=== ${name}: ${[path.basename(command), ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  if (count) {
    const counted = count();
    totals.passed += counted.passed;
    totals.failed += counted.failed;
    totals.skipped += counted.skipped;
    if (!ok && counted.failed === 0) {
      totals.failed += 1;
      failures.push(`${name} (exit ${result.status ?? result.signal})`);
    } else if (counted.failed > 0) {
      failures.push(`${name} (${counted.failed} failed)`);
    }
  } else {
    // A check without test counts (typecheck, lint, build) counts as one test.
    if (ok) totals.passed += 1;
    else {
      totals.failed += 1;
      failures.push(`${name} (exit ${result.status ?? result.signal})`);
    }
  }
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} in ${seconds}s`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

fs.mkdirSync('test-results', { recursive: true });
step('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
step('typecheck-web', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
step('typecheck-renderer-tests', bin('tsc'), ['-p', 'tsconfig.renderer-test.json', '--noEmit']);
step('typecheck-e2e', bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']);
step('lint', bin('eslint'), ['.', '--max-warnings', '0']);
step('build', bin('electron-vite'), ['build']);
step('unit', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json'], {
  count: () => {
    const report = readJson('test-results/unit.json');
    if (!report) return { passed: 0, failed: 0, skipped: 0 };
    return {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    };
  },
});
step('e2e', bin('playwright'), ['test'], {
  count: () => {
    const report = readJson('test-results/e2e.json');
    const stats = report?.stats;
    if (!stats) return { passed: 0, failed: 0, skipped: 0 };
    return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0), skipped: stats.skipped ?? 0 };
  },
});

console.log('');
if (failures.length) console.log(`Failed: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
