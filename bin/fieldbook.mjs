#!/usr/bin/env node
// The `fieldbook` command. Runs the TypeScript CLI through tsx, so it works straight after
// `npm install` with no build step.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
