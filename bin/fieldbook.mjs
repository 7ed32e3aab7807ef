#!/usr/bin/env node
// The `fieldbook` command. Runs a bundle of the TypeScript CLI made on first use (cli-entry.mjs), so
// it works straight after `npm install` with no build step and starts fast; through tsx where
// esbuild cannot bundle.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { cliEntry } = await import('./cli-entry.mjs');
let entry = null;
try {
  entry = await cliEntry();
} catch (error) {
  process.stderr.write(`fieldbook: could not bundle the CLI (${error instanceof Error ? error.message : String(error)}); running it from source.\n`);
}
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(entry ? new URL(`file://${entry}`).href : '../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
