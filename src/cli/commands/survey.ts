import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import {
  SURVEY_FORMATS,
  SURVEY_VARIABLE_TYPES,
  surveyOverridesSchema,
  type SurveyFileFormat,
  type SurveyImportResult,
  type SurveyOverrides,
  type SurveyVariableType,
} from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import { metadataText, questionsText } from '../../shared/survey-summary';
import { output, textTable, withSession } from '../runtime';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "NAME=VALUE" pairs of a repeatable option (the name may itself hold "=": the last one splits). */
function pairs(option: string, values: string[], want: string): [string, string][] {
  return values.map((pair) => {
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new FieldbookError('INVALID_INPUT', `--${option} wants ${want}; got "${pair}".`, { field: option });
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** "Q4=numeric" pairs from repeated --type options. */
function typeOverrides(values: string[]): Record<string, SurveyVariableType> {
  const out: Record<string, SurveyVariableType> = {};
  for (const [column, type] of pairs('type', values, `COLUMN=TYPE with TYPE one of ${SURVEY_VARIABLE_TYPES.join(', ')}`)) {
    if (!SURVEY_VARIABLE_TYPES.includes(type as SurveyVariableType)) {
      throw new FieldbookError('INVALID_INPUT', `--type wants COLUMN=TYPE with TYPE one of ${SURVEY_VARIABLE_TYPES.join(', ')}; got "${column}=${type}".`, { field: 'type' });
    }
    out[column] = type as SurveyVariableType;
  }
  return out;
}

/** "Q1=Low|Medium|High" pairs: answers separated by "|". */
function listOverrides(option: string, values: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [column, list] of pairs(option, values, 'COLUMN=ANSWER|ANSWER|…')) out[column] = list === '' ? [] : list.split('|').map((a) => a.trim());
  return out;
}

function textOverrides(option: string, values: string[], want: string): Record<string, string> {
  return Object.fromEntries(pairs(option, values, want));
}

/** An overrides JSON file (as the app sends them), checked against the contract's schema. */
function overridesFile(file: string): SurveyOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
  } catch (error) {
    throw new FieldbookError('INVALID_INPUT', `--overrides ${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)}).`, { file });
  }
  const parsed = surveyOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FieldbookError('INVALID_INPUT', `--overrides ${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}`, { file, field: issue.path.join('.') });
  }
  return parsed.data;
}

interface OverrideOptions {
  type: string[];
  label: string[];
  order: string[];
  missing: string[];
  nonsubstantive: string[];
  group: string[];
  groupLabel: string[];
  id?: string;
  weight?: string;
  overrides?: string;
}

/** Every override the command line gives, over those of an --overrides file. */
function overridesOf(options: OverrideOptions): SurveyOverrides | undefined {
  const base = options.overrides ? overridesFile(options.overrides) : {};
  const merge = <T>(key: keyof SurveyOverrides, extra: Record<string, T>) => (Object.keys(extra).length ? { [key]: { ...((base[key] as Record<string, T> | undefined) ?? {}), ...extra } } : {});
  const out: SurveyOverrides = {
    ...base,
    ...merge('types', typeOverrides(options.type)),
    ...merge('labels', textOverrides('label', options.label, 'COLUMN=QUESTION TEXT')),
    ...merge('order', listOverrides('order', options.order)),
    ...merge('missing', listOverrides('missing', options.missing)),
    ...merge('nonsubstantive', listOverrides('nonsubstantive', options.nonsubstantive)),
    ...merge('groups', textOverrides('group', options.group, 'COLUMN=GROUP (GROUP empty for none)')),
    ...merge('groupLabels', textOverrides('group-label', options.groupLabel, 'GROUP=QUESTION TEXT')),
    ...(options.id ? { idColumn: options.id } : {}),
    ...(options.weight ? { weightColumn: options.weight } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function labelsText(labels: { code: number | string; label: string; missing: boolean; nonsubstantive?: boolean }[], limit = 6): string {
  const shown = labels.slice(0, limit).map((l) => `${l.code}=${l.label}${l.missing ? ' (missing)' : l.nonsubstantive ? ' (non-substantive)' : ''}`);
  return labels.length > limit ? `${shown.join('; ')}; … (${labels.length})` : shown.join('; ');
}

function importSummaryText(result: SurveyImportResult): string {
  const { summary } = result;
  const metadata = metadataText(summary);
  return [
    `Imported ${result.name}${result.wave ? ` (wave ${result.wave})` : ''}: ${summary.respondents} respondents, ${result.variableCount} variables (${result.format}).`,
    `${questionsText(summary)}.`,
    `${summary.openTextDocuments} open-answer document${summary.openTextDocuments === 1 ? '' : 's'} (searchable, codable).`,
    ...(summary.idColumn ? [`Respondent id: ${summary.idColumn}.`] : []),
    ...(summary.weightColumn ? [`Weight: ${summary.weightColumn}.`] : []),
    ...(metadata ? [`${metadata}.`] : []),
    ...(result.matched ? [`${result.matched} variables match an earlier wave; review them in Data → Waves.`] : []),
    ...(summary.warnings.length ? [`${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}:`, ...summary.warnings.map((w) => `  ${w.column ?? '(file)'}: ${w.message}`)] : []),
  ].join('\n');
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
    .option('--label <column=text>', 'the question text of a column (repeatable)', collect, [] as string[])
    .option('--order <column=a|b|c>', "a column's answers, low to high (repeatable)", collect, [] as string[])
    .option('--missing <column=a|b>', 'exactly these answers of a column are missing, out of the base (repeatable)', collect, [] as string[])
    .option('--nonsubstantive <column=a|b>', "exactly these answers of a column take no position (Don't know...): in the base, out of nets and means (repeatable)", collect, [] as string[])
    .option('--group <column=group>', 'put a column in a question group (columns sharing one form a multi-select or matrix; empty for none) (repeatable)', collect, [] as string[])
    .option('--group-label <group=text>', 'the question text of a group (repeatable)', collect, [] as string[])
    .option('--overrides <file.json>', 'overrides as JSON ({"types":{...},"order":{...},...}); the options above add to them')
    .option('--preview', "only show what would be imported: each column's guess and why")
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        options: OverrideOptions & {
          project: string;
          wave?: string;
          name?: string;
          format: string;
          encoding?: string;
          sheet?: string;
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
        const overrides = overridesOf(options);
        await withSession(options.project, async (session) => {
          if (options.preview) {
            const preview = await session.call('survey.preview', { ...read, ...(overrides ? { overrides } : {}) });
            output(options.json ?? false, preview, () =>
              [
                `${preview.fileName}: ${preview.format}, ${preview.encoding} (${preview.encodingReason}), ${preview.headerRows} header row(s), ${preview.rowsRead}${preview.truncated ? '+' : ''} rows`,
                ...preview.warnings.map((w) => `warning: ${w}`),
                textTable(
                  ['column', 'type', 'why', 'question', 'labels / samples'],
                  preview.columns.map((c) => [
                    c.name,
                    c.type,
                    c.reason,
                    (c.optionLabel ? `${c.groupLabel ?? c.label} — ${c.optionLabel}` : c.label).slice(0, 50),
                    c.valueLabels.length ? labelsText(c.valueLabels) : c.samples.join(' | ').slice(0, 60),
                  ]),
                ),
              ].join('\n'),
            );
            return;
          }
          const result = await session.job('survey.import', {
            ...read,
            ...(options.name ? { name: options.name } : {}),
            ...(options.wave ? { wave: options.wave } : {}),
            ...(overrides ? { overrides } : {}),
          });
          output(options.json ?? false, result, () => importSummaryText(result));
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
