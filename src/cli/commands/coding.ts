import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Code } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import { resolveCode, resolveCoder, resolveDocument } from '../../core/coding/lookup';
import { OffsetMap } from '../../core/coding/offsets';
import { output, textTable, withSession, type Session } from '../runtime';

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new FieldbookError('INVALID_INPUT', `${flag} must be a whole number, not "${value}".`, { field: flag });
  return n;
}

function project(session: Session) {
  const open = session.core.currentProject();
  if (!open) throw new FieldbookError('NO_PROJECT', 'Open or create a project first.');
  return open;
}

function treeRows(codes: Code[]): string[][] {
  const depth = new Map<number, number>();
  return codes.map((c) => {
    const d = c.parentId === null ? 0 : (depth.get(c.parentId) ?? 0) + 1;
    depth.set(c.id, d);
    return [String(c.id), `${'  '.repeat(d)}${c.name}`, c.shortcut ?? '', String(c.quoteCount), String(c.totalQuoteCount), String(c.participantCount), c.color];
  });
}

/**
 * People count characters, not UTF-16 units: "😀" is one character on the command line and two
 * string indices inside the project. The core takes string indices, so the span is converted here.
 */
function codePointSpan(p: ReturnType<typeof project>, documentId: number, start: number, end: number): { start: number; end: number } {
  const row = p.db.prepare('SELECT name, text FROM document WHERE id = ?').get(documentId) as { name: string; text: string };
  const map = new OffsetMap(row.text);
  if (end > map.codePointLength || start >= end) {
    throw new FieldbookError(
      'INVALID_INPUT',
      `The passage from character ${start} to ${end} is not inside "${row.name}", which has ${map.codePointLength} characters (--start must be below --end).`,
      { field: end > map.codePointLength ? '--end' : '--start' },
    );
  }
  return { start: map.toUtf16(start), end: map.toUtf16(end) };
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));

/** Verbs of this area; `importCommand` is the shared `fieldbook import <kind>` group. */
export function registerCodingCommands(program: Command, importCommand: Command): void {
  program
    .command('codes')
    .description('List the codebook: each code with its shortcut, quotes and participants.')
    .argument('<project>', 'the project file')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      await withSession(file, async ({ call }) => {
        const codes = await call('codes.list', {});
        output(options.json ?? false, codes, () =>
          codes.length === 0
            ? 'The codebook is empty.'
            : textTable(['id', 'code', 'key', 'quotes', 'with sub-codes', 'participants', 'colour'], treeRows(codes)),
        );
      });
    });

  program
    .command('code')
    .description(
      'Code a passage of a document: characters [start, end) get the code. Positions count characters as a person does ' +
        '(Unicode code points: an emoji or a rare CJK character is one), from 0.',
    )
    .argument('<project>', 'the project file')
    .requiredOption('--document <document>', 'document id or name')
    .requiredOption('--start <start>', 'first character, counted in characters (code points) from 0')
    .requiredOption('--end <end>', 'the character after the last one, in characters (code points)')
    .requiredOption('--code <code>', 'code id, name, or path "Parent/Child"')
    .option('--coder <coder>', 'coder name or id (default: the current coder)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { document: string; start: string; end: string; code: string; coder?: string; json?: boolean }) => {
      await withSession(file, async (session) => {
        const p = project(session);
        const documentId = resolveDocument(p, options.document);
        const codeId = resolveCode(p, options.code);
        const coderId = options.coder ? resolveCoder(p, options.coder) : undefined;
        const { start, end } = codePointSpan(p, documentId, integer(options.start, '--start'), integer(options.end, '--end'));
        const result = await session.call('codings.apply', {
          documentId,
          codeId,
          start,
          end,
          ...(coderId !== undefined ? { coderId } : {}),
        });
        output(options.json ?? false, result, () =>
          result.created ? `Coded quote ${result.segmentId} (coding ${result.codingId}).` : `Quote ${result.segmentId} already had that code.`,
        );
      });
    });

  program
    .command('agreement')
    .description('Inter-coder agreement per code and overall, on turns/answers or sentences.')
    .argument('<project>', 'the project file')
    .requiredOption('--coders <coders>', 'two or more coder names or ids, comma-separated')
    .option('--unit <unit>', 'turn (answers count as turns) or sentence', 'turn')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { coders: string; unit: string; json?: boolean }) => {
      if (options.unit !== 'turn' && options.unit !== 'sentence') {
        throw new FieldbookError('INVALID_INPUT', `--unit is "turn" or "sentence", not "${options.unit}".`, { field: '--unit' });
      }
      const unit = options.unit;
      await withSession(file, async (session) => {
        const p = project(session);
        const coderIds = options.coders
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((ref) => resolveCoder(p, ref));
        const report = await session.call('agreement.run', { coderIds, unit });
        output(options.json ?? false, report, () =>
          [
            `Coders: ${report.coders.map((c) => c.name).join(', ')}; unit: ${report.unit}; documents: ${report.documents}`,
            '',
            textTable(
              ['code', 'units', '% agreement', "Cohen's κ", "Krippendorff's α", "Fleiss' κ"],
              [
                ...report.perCode.map((c) => [c.codeName, c.units, c.percentAgreement === null ? '—' : (c.percentAgreement * 100).toFixed(1), fmt(c.cohensKappa), fmt(c.krippendorffAlpha), fmt(c.fleissKappa)]),
                ['(overall)', report.overall.units, report.overall.percentAgreement === null ? '—' : (report.overall.percentAgreement * 100).toFixed(1), fmt(report.overall.cohensKappa), fmt(report.overall.krippendorffAlpha), fmt(report.overall.fleissKappa)],
              ],
            ),
            '',
            `${report.disagreements.length} disagreement(s) to resolve.`,
          ].join('\n'),
        );
      });
    });

  for (const verb of ['undo', 'redo'] as const) {
    program
      .command(verb)
      .description(`${verb === 'undo' ? 'Undo the last' : 'Redo the last undone'} change (codebook, coding, participants, speakers, transcripts, survey variables, imports).`)
      .argument('<project>', 'the project file')
      .option('--json', 'print JSON')
      .action(async (file: string, options: { json?: boolean }) => {
        await withSession(file, async ({ call }) => {
          const step = await call(verb === 'undo' ? 'history.undo' : 'history.redo', {});
          output(options.json ?? false, step, () => (step.label ? `${verb === 'undo' ? 'Undid' : 'Redid'}: ${step.label}` : `Nothing to ${verb}.`));
        });
      });
  }

  importCommand
    .command('codebook')
    .description('Import a codebook: Fieldbook or Taguette CSV, a sheet (.csv/.xlsx) of "Parent > Child" code paths (MAXQDA), QualCoder .txt, REFI-QDA .qdc/.qde/.qdpx.')
    .argument('<project>', 'the project file')
    .argument('<file>', 'the codebook file')
    .option('--json', 'print JSON')
    .action(async (file: string, codebook: string, options: { json?: boolean }) => {
      await withSession(file, async ({ call }) => {
        const result = await call('codes.import', { path: path.resolve(codebook) });
        output(options.json ?? false, result, () => `Imported ${result.created} code(s) (${result.format}); ${result.skipped} already there.`);
      });
    });

  program
    .command('export-codebook')
    .description('Write the codebook as CSV or REFI-QDA .qdc.')
    .argument('<project>', 'the project file')
    .argument('<file>', 'where to write (.csv or .qdc)')
    .action(async (file: string, target: string) => {
      await withSession(file, async ({ call }) => {
        const format = target.toLowerCase().endsWith('.qdc') ? 'qdc' : 'csv';
        const result = await call('codes.export', { format });
        fs.writeFileSync(target, result.text);
        process.stdout.write(`Wrote ${target}.\n`);
      });
    });
}
