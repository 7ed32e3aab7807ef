import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ExportResult, QuotePackFormat, RefiMergeReport } from '../../shared/contract/exports';
import type { TableSpecInput } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { output, textTable, tr, withSession, type Session } from '../runtime';

interface Common {
  project: string;
  out: string;
  format?: string;
  json?: boolean;
}

/** The format: --format, else the --out file's extension, else the default. */
export function formatOf<T extends string>(options: Common, allowed: readonly T[], fallback: T): T {
  const wanted = (options.format ?? path.extname(options.out).slice(1) ?? '').toLowerCase();
  const alias: Record<string, string> = { markdown: 'md', htm: 'html', qde: 'qdpx' };
  const format = alias[wanted] ?? wanted;
  if (format === '' && !options.format) return fallback;
  if (!(allowed as readonly string[]).includes(format)) {
    throw new FieldbookError('INVALID_INPUT', `Choose a format: ${allowed.join(', ')} (got "${options.format ?? wanted}").`, { field: 'format' });
  }
  return format as T;
}

/** The merge report: only when the file held documents this project already had, or conflicts. */
function mergeLines(merge: RefiMergeReport): string[] {
  if (merge.documents.length === 0 && merge.conflicts.length === 0) return [];
  const by = { guid: 'same GUID', text: 'same text' };
  return [
    '',
    `Merged into ${merge.documents.length} document(s) already here:`,
    ...merge.documents.map((d) => `- "${d.source}" = "${d.document}" (${by[d.matchedBy]})`),
    `Codes: ${merge.codes.matchedByGuid} matched by GUID, ${merge.codes.matchedByPath} by name, ${merge.codes.added.length} added${merge.codes.added.length ? ` (${merge.codes.added.join(', ')})` : ''}.`,
    textTable(['coder', 'codings added', 'already here'], merge.codingsByCoder.map((c) => [c.coder, String(c.added), String(c.alreadyThere)])),
    ...(merge.conflicts.length > 0 ? ['Conflicts (this project\'s side kept):', ...merge.conflicts.map((c) => `- ${c}`)] : []),
  ];
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

function ids(value: string | undefined, what: string): number[] {
  return list(value).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new FieldbookError('INVALID_INPUT', `${what}: "${v}" is not an id.`, { field: what });
    return n;
  });
}

/** A table: --saved ID, or --spec with JSON or @file.json. */
function tableTarget(options: { saved?: string; spec?: string }): { savedTableId: number } | { spec: TableSpecInput } {
  if (options.saved) return { savedTableId: ids(options.saved, '--saved')[0] as number };
  if (options.spec) {
    const raw = options.spec.startsWith('@') ? fs.readFileSync(options.spec.slice(1), 'utf8') : options.spec;
    try {
      return { spec: JSON.parse(raw) as TableSpecInput };
    } catch (error) {
      throw new FieldbookError('INVALID_INPUT', `--spec is not valid JSON: ${(error as Error).message}`, { field: 'spec' });
    }
  }
  throw new FieldbookError('INVALID_INPUT', 'Choose a table with --saved ID or --spec JSON (or --spec @file.json).', { field: 'saved' });
}

function report(options: Common, result: ExportResult, what: string): void {
  output(options.json ?? false, result, () => tr()('cli.wrote', { path: result.path, what, bytes: result.bytes }));
}

/** Code ids from --codes: ids, names or paths ("Trust > Support quality"). */
async function resolveCodes(session: Session, value: string | undefined): Promise<number[]> {
  const wanted = list(value);
  if (wanted.length === 0) return [];
  const codes = await session.call('codes.list', {});
  const byId = new Map(codes.map((c) => [c.id, c]));
  const pathOf = (id: number): string => {
    const code = byId.get(id);
    if (!code) return '';
    return code.parentId === null ? code.name : `${pathOf(code.parentId)} > ${code.name}`;
  };
  return wanted.map((w) => {
    if (/^\d+$/.test(w) && byId.has(Number(w))) return Number(w);
    const match = codes.filter((c) => c.name.toLowerCase() === w.toLowerCase() || pathOf(c.id).toLowerCase() === w.toLowerCase());
    if (match.length === 0) throw new FieldbookError('NOT_FOUND', `There is no code "${w}".`, { field: 'codes' });
    if (match.length > 1) throw new FieldbookError('INVALID_INPUT', `"${w}" names ${match.length} codes; use its path ("Parent > ${w}") or id.`, { field: 'codes' });
    return (match[0] as { id: number }).id;
  });
}

const projectOption = ['--project <file>', 'the project file'] as const;
const outOption = ['--out <file>', 'where to write (the format follows its extension unless --format)'] as const;

export function registerExportCommands(program: Command, importCommand: Command): void {
  const exp = program.command('export').description('Write tables, charts, quote packs, codebooks or the whole project (REFI-QDA .qdpx).');

  exp
    .command('table')
    .description('One table as XLSX, CSV, Markdown or TSV.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--format <format>', 'xlsx | csv | md | tsv')
    .option('--saved <id>', 'a saved table')
    .option('--spec <json>', 'a table spec as JSON, or @file.json')
    .option('--json', 'print JSON')
    .action(async (options: Common & { saved?: string; spec?: string }) => {
      const format = formatOf(options, ['xlsx', 'csv', 'md', 'tsv'] as const, 'xlsx');
      await withSession(options.project, async ({ job }) => report(options, await job('export.table', { path: options.out, format, ...tableTarget(options) }), tr()('cli.whatTable')));
    });

  exp
    .command('tables')
    .description('Every saved table (or those listed) as one XLSX, CSV or Markdown file.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--format <format>', 'xlsx | csv | md')
    .option('--ids <ids>', 'saved table ids, comma-separated (default: all)')
    .option('--one-sheet', 'XLSX: every table on one sheet instead of one sheet each')
    .option('--json', 'print JSON')
    .action(async (options: Common & { ids?: string; oneSheet?: boolean }) => {
      const format = formatOf(options, ['xlsx', 'csv', 'md'] as const, 'xlsx');
      await withSession(options.project, async ({ job }) => {
        const result = await job('export.tables', { path: options.out, format, savedTableIds: ids(options.ids, '--ids'), layout: options.oneSheet ? 'oneSheet' : 'sheetPerTable' });
        report(options, result, tr()('cli.whatTables', { count: result.items }));
      });
    });

  exp
    .command('chart')
    .description('A chart of a table as SVG or PNG.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--format <format>', 'svg | png')
    .option('--saved <id>', 'a saved table')
    .option('--spec <json>', 'a table spec as JSON, or @file.json')
    .option('--kind <kind>', 'bar | grouped | stacked', 'grouped')
    .option('--group <n>', 'which row question of the table (0 = first)', '0')
    .option('--width <px>', 'width', '800')
    .option('--height <px>', 'height', '480')
    .option('--scale <n>', 'PNG pixels per point (2 ≈ 200 dpi)', '2')
    .option('--json', 'print JSON')
    .action(async (options: Common & { saved?: string; spec?: string; kind: string; group: string; width: string; height: string; scale: string }) => {
      const format = formatOf(options, ['svg', 'png'] as const, 'png');
      const kind = options.kind as 'bar' | 'grouped' | 'stacked';
      await withSession(options.project, async ({ job }) => {
        const result = await job('export.chart', {
          path: options.out,
          format,
          scale: Number(options.scale),
          chart: { kind, group: Number(options.group), width: Number(options.width), height: Number(options.height) },
          ...tableTarget(options),
        });
        report(options, result, tr()('cli.whatChart'));
      });
    });

  exp
    .command('quotes')
    .description('A quote pack: quotes grouped by theme with attribution lines, as DOCX, Markdown, HTML or CSV.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--format <format>', 'docx | md | html | csv')
    .option('--codes <codes>', 'codes by id, name or path, comma-separated (default: all); sub-codes included')
    .option('--no-subcodes', 'leave out the sub-codes of the chosen codes')
    .option('--wave <waves>', 'survey waves, comma-separated')
    .option('--attr <name=values...>', 'keep participants whose attribute has one of the values, e.g. Sector=healthcare,retail')
    .option('--starred', 'starred quotes only')
    .option('--attribution <names>', 'attributes for the attribution line, in order (default: all)')
    .option('--pseudonyms', 'show participants as P01, P02...')
    .option('--redact <names>', 'names and organisations to blank out, comma-separated')
    .option('--title <title>', 'title of the pack')
    .option('--json', 'print JSON')
    .action(
      async (
        options: Common & { codes?: string; subcodes: boolean; wave?: string; attr?: string[]; starred?: boolean; attribution?: string; pseudonyms?: boolean; redact?: string; title?: string },
      ) => {
        const format = formatOf<QuotePackFormat>(options, ['docx', 'md', 'html', 'csv'] as const, 'docx');
        const attributes: Record<string, string[]> = {};
        for (const pair of options.attr ?? []) {
          const at = pair.indexOf('=');
          if (at <= 0) throw new FieldbookError('INVALID_INPUT', `--attr "${pair}": write it as Name=value1,value2.`, { field: 'attr' });
          attributes[pair.slice(0, at).trim()] = list(pair.slice(at + 1));
        }
        await withSession(options.project, async (session) => {
          const result = await session.job('export.quotePack', {
            path: options.out,
            format,
            options: {
              ...(options.title ? { title: options.title } : {}),
              codeIds: await resolveCodes(session, options.codes),
              includeSubcodes: options.subcodes,
              waves: list(options.wave),
              attributes,
              starredOnly: options.starred ?? false,
              ...(options.attribution !== undefined ? { attributionAttributes: list(options.attribution) } : {}),
              pseudonyms: options.pseudonyms ?? false,
              redact: list(options.redact),
            },
          });
          report(options, result, tr()('cli.whatQuotes', { count: result.items }));
        });
      },
    );

  exp
    .command('codebook')
    .description('The codebook with definitions and counts as DOCX, CSV or Markdown, or as a REFI-QDA .qdc.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--format <format>', 'docx | csv | md | qdc')
    .option('--json', 'print JSON')
    .action(async (options: Common) => {
      const format = formatOf(options, ['docx', 'csv', 'md', 'qdc'] as const, 'docx');
      await withSession(options.project, async ({ job }) => {
        const result = await job('export.codebook', { path: options.out, format });
        report(options, result, tr()('cli.whatCodes', { count: result.items }));
      });
    });

  exp
    .command('qdpx')
    .description('The whole project as a REFI-QDA .qdpx, for NVivo, ATLAS.ti, MAXQDA and QualCoder.')
    .requiredOption(...projectOption)
    .requiredOption(...outOption)
    .option('--json', 'print JSON')
    .action(async (options: Common) => {
      await withSession(options.project, async ({ job }) => {
        const result = await job('export.qdpx', { path: options.out });
        report(options, result, tr()('cli.whatSources', { count: result.items }));
      });
    });

  importCommand
    .command('qdpx')
    .description('A REFI-QDA project (.qdpx, .qde) or codebook (.qdc) from another QDA program.')
    .argument('<file>', 'the .qdpx, .qde or .qdc file')
    .requiredOption(...projectOption)
    .option('--json', 'print JSON')
    .action(async (file: string, options: { project: string; json?: boolean }) => {
      await withSession(options.project, async ({ job }) => {
        const result = await job('import.qdpx', { path: file });
        output(options.json ?? false, result, () =>
          [
            `Imported ${path.basename(result.file)}${result.origin ? ` (from ${result.origin})` : ''}:`,
            textTable(['what', 'added'], Object.entries(result.counts)),
            '',
            `Positions read as ${result.positions.unit === 'utf16' ? 'UTF-16 code units (as NVivo writes them)' : 'Unicode code points (as REFI-QDA says)'}: ${result.positions.reason}`,
            ...mergeLines(result.merge),
            ...(result.notImported.length > 0 ? ['', tr()('cli.notImported'), ...result.notImported.map((line) => `- ${line}`)] : []),
          ].join('\n'),
        );
      });
    });
}
