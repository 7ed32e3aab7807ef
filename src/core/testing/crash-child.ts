import fs from 'node:fs';
import { createCore } from '../core';
import { dispatch } from '../dispatch';
import { applyCodings, type CodingInput } from '../coding/segments';

/**
 * A child process for the fault tests (src/core/faults.test.ts): opens a project with the real core
 * and runs one piece of work, printing every progress event as a line, so the test can kill it
 * with SIGKILL at a chosen point. Argument: a JSON file holding { project, appData, work }.
 *
 * work: { call: method, input } runs a method through dispatch (an import, an undo);
 *       { codings: CodingInput[] } applies them as one undoable operation (a coding batch).
 */
interface Args {
  project: string;
  appData: string;
  work: { call: string; input: unknown } | { codings: CodingInput[] };
}

const args = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as Args;
const core = createCore({ appDataDir: args.appData, host: 'cli', version: 'crash-test', sampleDir: args.appData });
core.onEvent((event) => {
  if (event.type === 'progress') process.stdout.write(`progress ${JSON.stringify(event.message)}\n`);
});
const opened = await dispatch(core, { method: 'project.open', input: { path: args.project } });
if (!opened.ok) {
  process.stdout.write(`failed ${JSON.stringify(opened.error)}\n`);
  process.exit(1);
}
process.stdout.write('started\n');
if ('codings' in args.work) {
  applyCodings(core.currentProject()!, args.work.codings, 'Crash batch');
} else {
  const envelope = await dispatch(core, { method: args.work.call, input: args.work.input, jobId: 'crash' });
  if (!envelope.ok) {
    process.stdout.write(`failed ${JSON.stringify(envelope.error)}\n`);
    process.exit(1);
  }
}
process.stdout.write('done\n');
core.close();
