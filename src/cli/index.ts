import { Command, CommanderError } from 'commander';
import { registerProjectCommands } from './commands/project';
import { registerSampleCommands } from './commands/sample';
import { registerSurveyCommands } from './commands/survey';
import { registerVariableCommands } from './commands/variable';
import { registerTranscriptsCommands } from './commands/transcripts';
import { registerCodingCommands } from './commands/coding';
import { registerSuggestCommands } from './commands/suggest';
import { registerTablesCommands } from './commands/tables';
import { registerExportCommands } from './commands/export';
import { registerReportCommands } from './commands/report';
import { formatError, setCliLanguage } from './runtime';

export function buildProgram(): Command {
  const program = new Command('fieldbook')
    .description('Fieldbook: survey cross-tabs, interview coding and exports, on one local project file.')
    .showHelpAfterError('(add --help for usage)')
    .option('--lang <language>', 'language of messages and export headings: en or zh-CN (default: from LANG); data is never translated')
    .exitOverride();
  // Set before any command runs, so its messages and the core's export headings follow it.
  program.hook('preAction', () => {
    const lang = program.opts<{ lang?: string }>().lang;
    if (lang) setCliLanguage(lang);
  });
  const importCommand = program.command('import').description('Bring survey exports, transcripts or REFI-QDA projects into a project.');
  registerProjectCommands(program);
  registerSampleCommands(program);
  registerSurveyCommands(program, importCommand);
  registerVariableCommands(program);
  registerTranscriptsCommands(program, importCommand);
  registerCodingCommands(program, importCommand);
  registerSuggestCommands(program, importCommand);
  registerTablesCommands(program, importCommand);
  registerExportCommands(program, importCommand);
  registerReportCommands(program);
  // Every subcommand exits through our handler, so errors print one clear line and a code.
  for (const command of [importCommand, ...program.commands]) command.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 the work failed, 2 the command line was wrong). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    process.stderr.write(`${formatError(error)}\n`);
    return 1;
  }
}
