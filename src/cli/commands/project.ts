import type { Command } from 'commander';
import { output, textTable, tr, withSession } from '../runtime';

export function registerProjectCommands(program: Command): void {
  program
    .command('new')
    .description('Create a new, empty project file.')
    .argument('<file>', 'path of the project (".fieldbook" is added when missing)')
    .option('--force', 'replace an existing file')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { force?: boolean; json?: boolean }) => {
      await withSession(undefined, async ({ call }) => {
        const info = await call('project.create', { path: file, overwrite: options.force ?? false });
        output(options.json ?? false, info, () => tr()('cli.created', { path: info.path, version: info.schemaVersion }));
      });
    });

  program
    .command('info')
    .description('Show a project\'s schema version and what it holds.')
    .argument('<file>', 'the project file')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      await withSession(file, async ({ call }) => {
        const info = await call('project.info', {});
        output(options.json ?? false, info, () =>
          [
            `${info.name}  (${info.path})`,
            `schema version ${info.schemaVersion} (this Fieldbook: ${info.appSchemaVersion}), created ${info.createdAt}`,
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
