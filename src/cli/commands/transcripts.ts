import type { Command } from 'commander';
import path from 'node:path';
import { FieldbookError } from '../../shared/errors';
import { output, textTable, withSession } from '../runtime';

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new FieldbookError('INVALID_INPUT', `${name} must be a whole number, not "${value}".`, { field: name });
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Verbs of this area; `importCommand` is the shared `fieldbook import <kind>` group. */
export function registerTranscriptsCommands(program: Command, importCommand: Command): void {
  importCommand
    .command('transcripts')
    .description('Import interview transcripts (.txt .md .docx .odt .vtt .srt) as one batch: all of them, or none if one is bad.')
    .argument('<files...>', 'transcript files')
    .requiredOption('--project <project>', 'the .fieldbook project file')
    .option('--participant <name>', 'the participant every imported transcript belongs to (created when new)')
    .option('--interviewer <label>', 'a speaker label to mark as the interviewer (repeatable)', collect, [] as string[])
    .option('--json', 'print the imported documents as JSON')
    .action(async (files: string[], options: { project: string; participant?: string; interviewer: string[]; json?: boolean }) => {
      await withSession(options.project, async (session) => {
        const paths = files.map((f) => path.resolve(f));
        const preview = options.interviewer.length > 0 ? await session.call('transcripts.preview', { files: paths }) : null;
        const result = await session.job('transcripts.import', {
          files: paths.map((p, i) => ({
            path: p,
            ...(options.participant ? { participantName: options.participant } : {}),
            ...(preview
              ? {
                  speakers: (preview.files[i]?.speakers ?? []).map((s) => ({
                    label: s.label,
                    isInterviewer: options.interviewer.includes(s.label) || s.likelyInterviewer,
                  })),
                }
              : {}),
          })),
        });
        output(options.json ?? false, result.documents, () =>
          [
            `Imported ${result.documents.length} ${result.documents.length === 1 ? 'transcript' : 'transcripts'}.`,
            textTable(
              ['id', 'name', 'format', 'turns', 'words', 'speakers', 'participant'],
              result.documents.map((d) => [d.id, d.name, d.format, d.turns, d.words, d.speakers, d.participantName]),
            ),
          ].join('\n'),
        );
      });
    });

  program
    .command('documents')
    .description('List the documents (transcripts and survey answers) of a project.')
    .argument('<project>', 'the .fieldbook project file')
    .option('--json', 'print as JSON')
    .action(async (project: string, options: { json?: boolean }) => {
      await withSession(project, async (session) => {
        const docs = await session.call('documents.list', {});
        output(options.json ?? false, docs, () =>
          textTable(
            ['id', 'name', 'kind', 'format', 'turns', 'words', 'participant'],
            docs.map((d) => [d.id, d.name, d.kind, d.format, d.turns, d.words, d.participantName]),
          ),
        );
      });
    });

  program
    .command('participants')
    .description('List participants and their attributes; optionally import an attribute sheet first.')
    .argument('<project>', 'the .fieldbook project file')
    .option('--import-sheet <file>', 'a CSV/TSV/XLSX attribute sheet to import first (one row per participant)')
    .option('--key <column>', 'the sheet column naming participants (default: the first column with unique names)')
    .option('--respondent <column>', 'the sheet column holding survey respondent ids')
    .option('--json', 'print as JSON')
    .action(async (project: string, options: { importSheet?: string; key?: string; respondent?: string; json?: boolean }) => {
      await withSession(project, async (session) => {
        if (options.importSheet) {
          const sheetPath = path.resolve(options.importSheet);
          const preview = await session.call('participants.previewSheet', { path: sheetPath });
          const keyColumn = options.key ?? preview.suggestedKeyColumn;
          if (!keyColumn) {
            throw new FieldbookError('INVALID_INPUT', `${path.basename(sheetPath)}: no column has a unique name on every row; say which with --key.`, { file: sheetPath });
          }
          await session.job('participants.importSheet', { path: sheetPath, keyColumn, ...(options.respondent ? { respondentColumn: options.respondent } : {}) });
        }
        const grid = await session.call('participants.list', {});
        const rows = grid.participants.map((p) => ({
          id: p.id,
          name: p.name,
          respondent: p.respondentKey,
          documents: p.documents,
          attributes: Object.fromEntries(grid.attributes.map((a) => [a.name, p.values[String(a.id)] ?? null])),
        }));
        output(options.json ?? false, { attributes: grid.attributes, participants: rows }, () =>
          rows.length === 0
            ? 'No participants yet.'
            : textTable(
                ['name', ...grid.attributes.map((a) => a.name), 'respondent', 'documents'],
                rows.map((r) => [r.name, ...grid.attributes.map((a) => r.attributes[a.name]), r.respondent, r.documents]),
              ),
        );
      });
    });

  program
    .command('search')
    .description('Search transcripts and open-ended answers: words, "phrases", prefix*, AND/OR/NOT. Prints keyword-in-context lines.')
    .argument('<project>', 'the .fieldbook project file')
    .argument('<query>', 'what to find')
    .option('--limit <n>', 'how many hits to print', '50')
    .option('--offset <n>', 'skip this many hits first', '0')
    .option('--kind <kind>', 'only transcript or survey_text documents')
    .option('--where <attribute=value>', 'only what participants with this attribute value said (repeatable)', collect, [] as string[])
    .option('--json', 'print as JSON')
    .action(async (project: string, query: string, options: { limit: string; offset: string; kind?: string; where: string[]; json?: boolean }) => {
      await withSession(project, async (session) => {
        const kind = options.kind;
        if (kind !== undefined && kind !== 'transcript' && kind !== 'survey_text') {
          throw new FieldbookError('INVALID_INPUT', `--kind must be transcript or survey_text, not "${kind}".`, { field: 'kind' });
        }
        const grid = options.where.length > 0 ? await session.call('participants.list', {}) : null;
        const filters = options.where.map((clause) => {
          const at = clause.indexOf('=');
          const name = clause.slice(0, Math.max(0, at)).trim();
          const attribute = grid?.attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());
          if (at < 0 || !attribute) {
            const known = grid?.attributes.map((a) => a.name).join(', ') || 'none yet';
            throw new FieldbookError('INVALID_INPUT', `--where "${clause}": give attribute=value with a known attribute (${known}).`, { field: 'where' });
          }
          const value = clause.slice(at + 1).trim();
          return { attributeId: attribute.id, values: [attribute.type === 'number' && Number.isFinite(Number(value)) ? Number(value) : value] };
        });
        const result = await session.call('search.run', {
          query,
          limit: positiveInt(options.limit, 'limit') || 50,
          offset: positiveInt(options.offset, 'offset'),
          ...(kind ? { kinds: [kind] } : {}),
          ...(filters.length > 0 ? { filters } : {}),
        });
        output(options.json ?? false, result, () => {
          const lines = result.hits.map((h) => {
            const who = [h.documentName, h.speaker, h.participantName].filter(Boolean).join(' / ');
            return `${who}: …${h.left}[${h.match}]${h.right}…`;
          });
          return [`${result.total}${result.totalIsCapped || !result.totalCounted ? '+' : ''} ${result.total === 1 ? 'match' : 'matches'} (${result.tookMs} ms)`, ...lines].join('\n');
        });
      });
    });
}
