import path from 'node:path';
import type { Command } from 'commander';
import { output, textTable, withSession } from '../runtime';

/** `fieldbook sample [file]`: the sample study, built from resources/sample through the importers. */
export function registerSampleCommands(program: Command): void {
  program
    .command('sample')
    .description('Build the sample study (two survey waves, ten interviews, a starter codebook) into a project file, or open the one already built.')
    .argument('[file]', 'where to put it (default: "Sample study.fieldbook" in the app data folder)')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      await withSession(undefined, async ({ job }) => {
        const info = await job('project.openSample', file ? { path: path.resolve(file) } : {});
        output(options.json ?? false, info, () =>
          [
            `The sample study is at ${info.path}`,
            '',
            textTable(
              ['what', 'count'],
              Object.entries(info.counts).map(([key, value]) => [key, value]),
            ),
          ].join('\n'),
        );
      });
    });
}
