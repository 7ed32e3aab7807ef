import type { Command } from 'commander';
import path from 'node:path';
import { SURVEY_FORMATS, SURVEY_VARIABLE_TYPES, type SurveyFileFormat, type SurveyVariableType } from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import { output, textTable, withSession } from '../runtime';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "Q4=numeric" pairs from repeated --type options. */
function typeOverrides(pairs: string[]): Record<string, SurveyVariableType> {
  const out: Record<string, SurveyVariableType> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const column = pair.slice(0, at);
    const type = pair.slice(at + 1) as SurveyVariableType;
    if (at <= 0 || !SURVEY_VARIABLE_TYPES.includes(type)) {
      throw new FieldbookError('INVALID_INPUT', `--type wants COLUMN=TYPE with TYPE one of ${SURVEY_VARIABLE_TYPES.join(', ')}; got "${pair}".`, { field: 'type' });
    }
    out[column] = type;
  }
  return out;
}

function labelsText(labels: { code: number | string; label: string; missing: boolean }[], limit = 6): string {
  const shown = labels.slice(0, limit).map((l) => `${l.code}=${l.label}${l.missing ? ' (missing)' : ''}`);
  return labels.length > limit ? `${shown.join('; ')}; … (${labels.length})` : shown.join('; ');
}

/** Verbs of this area; `importCommand` is the shared `fieldbook import <kind>` group. */
export function registerSurveyCommands(program: Command, importCommand: Command): void {
  importCommand
    .command('survey')
    .description('Import a survey export (Qualtrics, SurveyMonkey, Google Forms, CSV/TSV, Excel .xlsx, SPSS .sav/.zsav/.por) as one dataset: all of it, or nothing.')
    .argument('<file>', 'the survey file')
    .requiredOption('--project <project>', 'the .fieldbook project file')
    .option('--wave <label>', 'the wave this file is (e.g. 2025)')
    .option('--name <name>', 'the dataset name (default: the file name)')
    .option('--format <format>', `auto, or one of: ${SURVEY_FORMATS.join(', ')}`, 'auto')
    .option('--encoding <encoding>', 'read the file in this encoding (default: detected)')
    .option('--sheet <sheet>', 'the Excel sheet to read')
    .option('--id <column>', 'the respondent id column')
    .option('--weight <column>', 'the weight column')
    .option('--type <column=type>', 'use this type for a column (repeatable)', collect, [] as string[])
    .option('--preview', 'only show what would be imported')
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        options: {
          project: string;
          wave?: string;
          name?: string;
          format: string;
          encoding?: string;
          sheet?: string;
          id?: string;
          weight?: string;
          type: string[];
          preview?: boolean;
          json?: boolean;
        },
      ) => {
        if (options.format !== 'auto' && !SURVEY_FORMATS.includes(options.format as SurveyFileFormat)) {
          throw new FieldbookError('INVALID_INPUT', `--format must be auto or one of ${SURVEY_FORMATS.join(', ')}; got "${options.format}".`, { field: 'format' });
        }
        const read = {
          path: path.resolve(file),
          format: options.format as SurveyFileFormat | 'auto',
          ...(options.encoding ? { encoding: options.encoding } : {}),
          ...(options.sheet ? { sheet: options.sheet } : {}),
        };
        await withSession(options.project, async (session) => {
          if (options.preview) {
            const preview = await session.call('survey.preview', read);
            output(options.json ?? false, preview, () =>
              [
                `${preview.fileName}: ${preview.format}, ${preview.encoding} (${preview.encodingReason}), ${preview.headerRows} header row(s), ${preview.rowsRead}${preview.truncated ? '+' : ''} rows`,
                textTable(
                  ['column', 'type', 'question', 'labels / samples'],
                  preview.columns.map((c) => [c.name, c.type, (c.optionLabel ? `${c.groupLabel ?? c.label} — ${c.optionLabel}` : c.label).slice(0, 60), c.valueLabels.length ? labelsText(c.valueLabels) : c.samples.join(' | ').slice(0, 60)]),
                ),
              ].join('\n'),
            );
            return;
          }
          const types = typeOverrides(options.type);
          const overrides = {
            ...(Object.keys(types).length ? { types } : {}),
            ...(options.id ? { idColumn: options.id } : {}),
            ...(options.weight ? { weightColumn: options.weight } : {}),
          };
          const result = await session.job('survey.import', {
            ...read,
            ...(options.name ? { name: options.name } : {}),
            ...(options.wave ? { wave: options.wave } : {}),
            ...(Object.keys(overrides).length ? { overrides } : {}),
          });
          output(options.json ?? false, result, () =>
            [
              `Imported ${result.name}${result.wave ? ` (wave ${result.wave})` : ''}: ${result.rowCount} respondents, ${result.variableCount} variables, ${result.documentCount} open-answer documents (${result.format}).`,
              ...(result.matched ? [`${result.matched} variables match an earlier wave; review them in Data → Waves.`] : []),
              ...result.warnings,
            ].join('\n'),
          );
        });
      },
    );

  program
    .command('variables')
    .description('List the variables of a project\'s survey datasets: name, question, type, labels, answered and missing counts.')
    .argument('<project>', 'the .fieldbook project file')
    .option('--dataset <id>', 'only this dataset')
    .option('--json', 'print JSON')
    .action(async (project: string, options: { dataset?: string; json?: boolean }) => {
      const datasetId = options.dataset === undefined ? undefined : Number(options.dataset);
      if (datasetId !== undefined && (!Number.isInteger(datasetId) || datasetId <= 0)) {
        throw new FieldbookError('INVALID_INPUT', `--dataset must be a dataset id (a whole number), not "${options.dataset}".`, { field: 'dataset' });
      }
      await withSession(project, async (session) => {
        const datasets = await session.call('survey.datasets', {});
        const variables = await session.call('survey.variables', datasetId === undefined ? {} : { datasetId });
        output(options.json ?? false, variables, () => {
          if (variables.length === 0) return 'No survey variables yet: import one with `fieldbook import survey FILE --project P`.';
          return datasets
            .filter((d) => datasetId === undefined || d.id === datasetId)
            .map((d) =>
              [
                `${d.name}${d.wave ? ` (wave ${d.wave})` : ''}: ${d.rowCount} respondents, ${d.variableCount} variables, ${d.format}`,
                textTable(
                  ['name', 'type', 'question', 'labels', 'valid', 'missing'],
                  variables
                    .filter((v) => v.datasetId === d.id)
                    .map((v) => [v.name, v.type, (v.optionLabel ? `${v.groupLabel ?? v.label} — ${v.optionLabel}` : v.label).slice(0, 60), labelsText(v.valueLabels), v.valid, v.missingCount]),
                ),
              ].join('\n'),
            )
            .join('\n\n');
        });
      });
    });
}
