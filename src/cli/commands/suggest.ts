import path from 'node:path';
import type { Command } from 'commander';
import type { EvalResult, SuggestionItem } from '../../shared/contract/suggest';
import { FieldbookError } from '../../shared/errors';
import { resolveCode, resolveDocument } from '../../core/coding/lookup';
import { output, textTable, withSession } from '../runtime';

const f3 = (x: number) => x.toFixed(3);

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function humanSuggestions(items: SuggestionItem[]): string {
  if (items.length === 0) return 'No open suggestions. Code a few quotes or add keywords to your codes, then run again.';
  return textTable(
    ['id', 'score', 'code', 'document', 'passage', 'why'],
    items.map((s) => [
      s.id,
      f3(s.score),
      s.codeName,
      s.documentName,
      clip(s.text, 60),
      clip(
        [
          s.evidence.terms.slice(0, 3).join(', '),
          s.evidence.keywords.length ? `keywords: ${s.evidence.keywords.join(', ')}` : '',
          s.evidence.similar ? `like "${clip(s.evidence.similar.text, 40)}"` : '',
        ]
          .filter(Boolean)
          .join('; '),
        70,
      ),
    ]),
  );
}

export function humanEval(r: EvalResult): string {
  const lines = [
    `${r.source}: ${r.passages} passages, ${r.codes} codes (≥${r.minPassages} passages each), ${r.documents} documents, ` +
      `${r.folds}-fold cross-validation${r.grouped ? ' grouped by document' : ' (too few documents to group: by passage)'}` +
      `${r.dropped.length ? `; left out: ${r.dropped.join(', ')}` : ''}.`,
    '',
    textTable(
      ['method', 'macro-F1', 'micro-F1', 'micro-P', 'micro-R', 'top-3 hit'],
      r.results.map((m) => [m.method, f3(m.macroF1), f3(m.microF1), f3(m.microPrecision), f3(m.microRecall), f3(m.top3)]),
    ),
    '',
    'Per code (fieldbook):',
    textTable(
      ['code', 'passages', 'precision', 'recall', 'F1'],
      r.perCode.map((c) => [c.code, c.support, f3(c.precision), f3(c.recall), f3(c.f1)]),
    ),
  ];
  if (r.learningCurve.length) {
    lines.push(
      '',
      'Learning curve (training cut to N coded passages per code):',
      textTable(
        ['N per code', 'macro-F1', 'micro-F1', 'top-3 hit'],
        r.learningCurve.map((p) => [p.examplesPerCode, f3(p.macroF1), f3(p.microF1), f3(p.top3)]),
      ),
    );
  }
  const c = r.calibration;
  lines.push(
    '',
    `Calibration (fieldbook scores on the evaluation folds, every passage × code): expected calibration error ${f3(c.ece)}, highest score ${f3(c.maxScore)}`,
    textTable(
      ['score', 'suggestions', 'mean score', 'applied by coders'],
      c.bins.map((b) => [`${f3(b.from)}–${f3(b.to)}`, b.count, b.count ? f3(b.meanScore) : '', b.observed === null ? '' : f3(b.observed)]),
    ),
    '',
    `${r.seconds} s`,
  );
  return lines.join('\n');
}

/** Verbs of this area; `importCommand` is the shared `fieldbook import <kind>` group. */
export function registerSuggestCommands(program: Command, _importCommand: Command): void {
  program
    .command('suggest')
    .description('Suggest codes for uncoded passages (trained on the project\'s own coding), with the evidence for each.')
    .argument('<project>', 'the project file')
    .option('--code <code>', 'only this code (id, name, or "Parent/Child")')
    .option('--document <document>', 'only this document (id or name)')
    .option('--question <question>', 'all open-ended answers of this survey question (variable id or name)')
    .option('--unit <unit>', 'turn (default) or sentence')
    .option('--min-score <score>', 'leave out suggestions below this score (0-1)')
    .option('--limit <n>', 'show at most this many', '50')
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        options: { code?: string; document?: string; question?: string; unit?: string; minScore?: string; limit: string; json?: boolean },
      ) => {
        if (options.unit !== undefined && options.unit !== 'turn' && options.unit !== 'sentence') {
          throw new FieldbookError('INVALID_INPUT', `--unit must be "turn" or "sentence", not "${options.unit}".`, { field: '--unit' });
        }
        const minScore = options.minScore === undefined ? undefined : Number(options.minScore);
        if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) {
          throw new FieldbookError('INVALID_INPUT', `--min-score must be a number from 0 to 1, not "${options.minScore}".`, { field: '--min-score' });
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) {
          throw new FieldbookError('INVALID_INPUT', `--limit must be a whole number above 0, not "${options.limit}".`, { field: '--limit' });
        }
        await withSession(file, async (session) => {
          const project = session.core.currentProject()!;
          const codeId = options.code !== undefined ? resolveCode(project, options.code) : undefined;
          const documentId = options.document !== undefined ? resolveDocument(project, options.document) : undefined;
          let variableId: number | undefined;
          if (options.question !== undefined) {
            const row = project.db
              .prepare(
                `SELECT v.id FROM variable v WHERE (v.id = ? OR lower(v.name) = lower(?))
                   AND EXISTS (SELECT 1 FROM document d WHERE d.variable_id = v.id) ORDER BY v.dataset_id DESC LIMIT 1`,
              )
              .get(Number(options.question) || -1, options.question) as { id: number } | undefined;
            if (!row) {
              throw new FieldbookError('NOT_FOUND', `No open-ended question "${options.question}" with answers in this project.`, {
                field: '--question',
              });
            }
            variableId = row.id;
          }
          const scope = {
            ...(codeId !== undefined ? { codeId } : {}),
            ...(documentId !== undefined ? { documentId } : {}),
            ...(variableId !== undefined ? { variableId } : {}),
          };
          const run = await session.job('suggest.run', {
            ...scope,
            ...(options.unit ? { unit: options.unit as 'turn' | 'sentence' } : {}),
            ...(minScore !== undefined ? { minScore } : {}),
          });
          const items = await session.call('suggest.list', { ...scope, limit });
          output(options.json ?? false, { run, suggestions: items }, () =>
            [
              `${run.suggestions} suggestions for ${run.passages} passages (learned from ${run.trainedOn} coded quotes, model ${run.modelVersion}, ${run.seconds} s).`,
              humanSuggestions(items),
            ].join('\n'),
          );
        });
      },
    );

  const evalCommand = program.command('eval').description('Measure the quality of Fieldbook\'s helpers against human work.');
  evalCommand
    .command('suggest')
    .description('Cross-validate code suggestions (grouped by document) against human coding, with baselines.')
    .option('--data <csv>', 'a coded-text CSV: columns text, code, optional document, coder, id')
    .option('--project <project>', 'evaluate on a project\'s own coding')
    .option('--folds <n>', 'number of folds', '5')
    .option('--json', 'print JSON')
    .action(async (options: { data?: string; project?: string; folds: string; json?: boolean }) => {
      if (!options.data === !options.project) {
        throw new FieldbookError('INVALID_INPUT', 'Give either --data CSV or --project FILE.', { field: '--data' });
      }
      const folds = Number(options.folds);
      if (!Number.isInteger(folds) || folds < 2) {
        throw new FieldbookError('INVALID_INPUT', `--folds must be a whole number of 2 or more, not "${options.folds}".`, { field: '--folds' });
      }
      await withSession(options.project, async (session) => {
        const result = await session.job('suggest.eval', {
          ...(options.data ? { dataPath: path.resolve(options.data) } : {}),
          folds,
        });
        output(options.json ?? false, result, () => humanEval(result));
      });
    });
}
