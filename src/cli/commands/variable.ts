import type { Command } from 'commander';
import { SURVEY_VARIABLE_TYPES, type SurveyVariableType, type VariableSummary } from '../../shared/contract/survey';
import { FieldbookError } from '../../shared/errors';
import { output, withSession, type Session } from '../runtime';

interface VariableOptions {
  dataset?: string;
  type?: string;
  label?: string;
  order?: string;
  missing?: string;
  nonsubstantive?: string;
  merge?: string;
  mergeLabel?: string;
  group?: string;
  groupLabel?: string;
  as?: string;
  with?: string;
  ungroup?: boolean;
  json?: boolean;
}

/** "A|B|C": answers (codes or labels) separated by "|"; "" is none. */
function answers(value: string): string[] {
  return value === '' ? [] : value.split('|').map((a) => a.trim());
}

/** The variable called `name` (in --dataset when given); refused when the name is in several datasets. */
async function findVariable(session: Session, name: string, dataset: string | undefined): Promise<VariableSummary> {
  const datasetId = dataset === undefined ? undefined : Number(dataset);
  if (datasetId !== undefined && (!Number.isInteger(datasetId) || datasetId <= 0)) {
    throw new FieldbookError('INVALID_INPUT', `--dataset must be a dataset id (a whole number), not "${dataset}".`, { field: 'dataset' });
  }
  const variables = await session.call('survey.variables', datasetId === undefined ? {} : { datasetId });
  const found = variables.filter((v) => v.name === name);
  if (found.length === 0) throw new FieldbookError('NOT_FOUND', `There is no variable ${name}${datasetId ? ` in dataset ${datasetId}` : ''}; see \`fieldbook variables\`.`, { field: name });
  if (found.length > 1) {
    throw new FieldbookError('INVALID_INPUT', `${name} is in datasets ${found.map((v) => v.datasetId).join(', ')}: say which with --dataset.`, { field: name });
  }
  return found[0]!;
}

function describe(v: VariableSummary): string {
  const lines = [`${v.name} (${v.type}${v.questionGroup ? `, in group ${v.questionGroup}` : ''}): ${v.optionLabel ? `${v.groupLabel ?? v.label} — ${v.optionLabel}` : v.label}`];
  for (const l of v.valueLabels) lines.push(`  ${l.code}=${l.label}: ${l.count}${l.missing ? ' (missing)' : ''}${l.nonsubstantive ? ' (non-substantive)' : ''}`);
  if (v.missing.values.length > 0) lines.push(`  missing values: ${v.missing.values.join(', ')}`);
  lines.push(`  ${v.valid} answered, ${v.missingCount} missing`);
  return lines.join('\n');
}

export function registerVariableCommands(program: Command): void {
  program
    .command('variable')
    .description(
      'Change one survey variable after its import (each change one step that `fieldbook undo` takes back): its type, question text, answer order, missing or non-substantive answers, merged answers, or its question group. Without options it shows the variable.',
    )
    .argument('<project>', 'the .fieldbook project file')
    .argument('<name>', 'the variable (column) name')
    .option('--dataset <id>', 'the dataset, when the name is in several')
    .option('--type <type>', `retype it: ${SURVEY_VARIABLE_TYPES.join(', ')}`)
    .option('--label <text>', 'its question text')
    .option('--order <answers>', 'answers in this order, separated by | (the rest follow)')
    .option('--missing <answers>', 'exactly these answers (or numbers) are missing, separated by |; "" for none')
    .option('--nonsubstantive <answers>', 'exactly these answers are non-substantive, separated by |; "" for none')
    .option('--merge <answers>', 'merge these answers into the first, separated by |')
    .option('--merge-label <text>', 'the merged answer\'s label')
    .option('--group <name>', 'put it (and --with) into this question group')
    .option('--group-label <text>', 'the group\'s question text')
    .option('--as <kind>', 'the group is a multi-select (multi, the default) or a matrix', 'multi')
    .option('--with <names>', 'other variables of the same dataset for --group or --ungroup, separated by commas')
    .option('--ungroup', 'take it (and --with) out of its question group')
    .option('--json', 'print JSON')
    .action(async (project: string, name: string, options: VariableOptions) => {
      if (options.type !== undefined && !SURVEY_VARIABLE_TYPES.includes(options.type as SurveyVariableType)) {
        throw new FieldbookError('INVALID_INPUT', `--type wants one of ${SURVEY_VARIABLE_TYPES.join(', ')}; got "${options.type}".`, { field: 'type' });
      }
      if (options.as !== 'multi' && options.as !== 'matrix') throw new FieldbookError('INVALID_INPUT', `--as wants multi or matrix; got "${options.as}".`, { field: 'as' });
      if (options.group !== undefined && options.ungroup) throw new FieldbookError('INVALID_INPUT', 'Give --group or --ungroup, not both.', { field: 'group' });
      if (options.mergeLabel !== undefined && options.merge === undefined) throw new FieldbookError('INVALID_INPUT', '--merge-label goes with --merge.', { field: 'merge-label' });
      await withSession(project, async (session) => {
        const variable = await findVariable(session, name, options.dataset);
        const edit = {
          ...(options.type !== undefined ? { type: options.type as SurveyVariableType } : {}),
          ...(options.label !== undefined ? { label: options.label } : {}),
          ...(options.order !== undefined ? { order: answers(options.order) } : {}),
          ...(options.missing !== undefined ? { missing: answers(options.missing) } : {}),
          ...(options.nonsubstantive !== undefined ? { nonsubstantive: answers(options.nonsubstantive) } : {}),
          ...(options.merge !== undefined ? { merge: { answers: answers(options.merge), ...(options.mergeLabel !== undefined ? { label: options.mergeLabel } : {}) } } : {}),
        };
        let result: VariableSummary[] = [variable];
        if (Object.keys(edit).length > 0) result = [await session.call('survey.editVariable', { variableId: variable.id, ...edit })];
        if (options.group !== undefined || options.ungroup) {
          const others = (options.with ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const ids = [variable.id];
          for (const other of others) ids.push((await findVariable(session, other, String(variable.datasetId))).id);
          result = await session.call('survey.groupVariables', {
            variableIds: ids,
            group: options.ungroup ? null : options.group!,
            ...(options.groupLabel !== undefined ? { groupLabel: options.groupLabel } : {}),
            as: options.as as 'multi' | 'matrix',
          });
        }
        output(options.json ?? false, result.length === 1 ? result[0] : result, () => result.map(describe).join('\n'));
      });
    });
}
