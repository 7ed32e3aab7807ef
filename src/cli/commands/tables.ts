import fs from 'node:fs';
import type { Command } from 'commander';
import type { CellContent, FilterCondition, NetSpec, TableBase, TableSpecInput } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { dayEnd, dayStart } from '../../shared/days';
import { tableToCsv, tableToMarkdown } from '../../core/analysis/format';
import { withSession } from '../runtime';

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** "Q1=1,2" (is one of), "Q1!=9" (is not), "AGE=18..30" (between), "DATE=2024-01-01..2024-03-31" (those days), "Q4?" (answered). */
export function parseFilter(text: string): FilterCondition {
  const answered = /^(.+)\?$/.exec(text.trim());
  if (answered) return { ref: answered[1]!.trim(), op: 'answered', values: [] };
  const m = /^([^!=]+)(!?=)(.*)$/.exec(text.trim());
  if (!m) throw new FieldbookError('INVALID_INPUT', `Cannot read the filter "${text}". Write it as Q1=1,2 or Q1!=9 or AGE=18..30 or Q4?`, { field: 'filter' });
  const ref = m[1]!.trim();
  const body = m[3]!.trim();
  const days = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(body);
  if (days && m[2] === '=' && (days[1] || days[2])) {
    // Whole days: from the first millisecond of the first to the last of the last.
    const [min, max] = [days[1] ? dayStart(days[1]) : undefined, days[2] ? dayEnd(days[2]) : undefined];
    const wrong = [days[1], days[2]].find((d, i) => d && Number.isNaN(i === 0 ? min : max));
    if (wrong) throw new FieldbookError('INVALID_INPUT', `The filter "${text}" has ${wrong}, which is no day of the calendar.`, { field: 'filter' });
    return { ref, op: 'between', values: [], ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  const range = /^(-?[\d.]*)\.\.(-?[\d.]*)$/.exec(body);
  if (range && m[2] === '=') {
    return { ref, op: 'between', values: [], ...(range[1] ? { min: Number(range[1]) } : {}), ...(range[2] ? { max: Number(range[2]) } : {}) };
  }
  return { ref, op: m[2] === '!=' ? 'notIn' : 'in', values: list(body) };
}

/** "Q5:Increase (net)=4,5" or "Q5:top2". */
export function parseNet(text: string): { ref: string; net: NetSpec } {
  const m = /^([^:]+):(.*)$/.exec(text.trim());
  if (!m) throw new FieldbookError('INVALID_INPUT', `Cannot read the net "${text}". Write it as Q5:Increase (net)=4,5 or Q5:top2`, { field: 'net' });
  const ref = m[1]!.trim();
  const body = m[2]!.trim();
  if (/^(top|bottom)[23]$/.test(body)) return { ref, net: { box: body as NetSpec['box'] } };
  const eq = body.lastIndexOf('=');
  if (eq < 0) return { ref, net: { members: list(body) } };
  return { ref, net: { label: body.slice(0, eq).trim(), members: list(body.slice(eq + 1)) } };
}

interface TableOptions {
  rows: string;
  cols?: string;
  weight?: string;
  filter: string[];
  net: string[];
  wave?: string;
  dataset?: string;
  participants?: boolean;
  cells?: string;
  level?: string;
  correction?: string;
  format: string;
  save?: string;
  chart?: string;
  chartKind?: string;
  title?: string;
  base: string;
}

export function registerTablesCommands(program: Command, _importCommand: Command): void {
  program
    .command('table')
    .description('Cross-tabulate questions (rows) by a banner of columns, with tests; print Markdown, CSV or JSON.')
    .argument('<project>', 'the project file')
    .requiredOption('--rows <refs>', 'row questions, comma-separated (a name, a question group, code:ID, codes:*, attr:Name)')
    .option('--cols <refs>', 'banner questions, comma-separated (Total is always first)')
    .option('--weight <ref>', 'weight variable')
    .option('--filter <condition>', 'keep respondents where Q1=1,2 / Q1!=9 / AGE=18..30 / DATE=2024-01-01..2024-03-31 / Q4? (repeatable)', collect, [])
    .option('--net <net>', 'a net on a row question: Q5:Increase (net)=4,5 or Q5:top2 (repeatable)', collect, [])
    .option('--wave <labels>', 'which wave(s), by label; two or more are compared side by side')
    .option('--dataset <ids>', 'which dataset(s), by id (default: the latest import)')
    .option('--participants', 'tabulate participants (attributes and codes) instead of survey respondents')
    .option('--base <base>', 'who the percentages are of: answered (who answered the question), all (every respondent of the filter) or shown (who was shown it, including those who ticked nothing)', 'answered')
    .option('--cells <contents>', 'count,colPct,rowPct,totalPct,weightedCount,mean', 'count,colPct')
    .option('--level <percent>', 'confidence of the tests: 95 or 99', '95')
    .option('--correction <kind>', 'none, bonferroni or fdr', 'none')
    .option('--format <format>', 'md, csv or json', 'md')
    .option('--title <text>', 'table title')
    .option('--save <name>', 'also save the table in the project under this name')
    .option('--chart <file.svg>', 'also write a chart of the first row question as SVG')
    .option('--chart-kind <kind>', 'bar, grouped or stacked', 'grouped')
    .action(async (projectPath: string, options: TableOptions) => {
      if (!['md', 'csv', 'json'].includes(options.format)) {
        throw new FieldbookError('INVALID_INPUT', `Unknown format "${options.format}": use md, csv or json.`, { field: 'format' });
      }
      if (!['answered', 'all', 'shown'].includes(options.base)) {
        throw new FieldbookError('INVALID_INPUT', `Unknown base "${options.base}": use answered, all or shown.`, { field: 'base' });
      }
      await withSession(projectPath, async ({ call }) => {
        let source: TableSpecInput['source'];
        if (options.participants) source = { kind: 'participants' };
        else {
          const { datasets } = await call('tables.variables', {});
          if (datasets.length === 0) throw new FieldbookError('NOT_FOUND', 'This project has no survey data yet. Import a survey first.');
          let ids: number[];
          if (options.dataset) ids = list(options.dataset).map(Number);
          else if (options.wave) {
            ids = list(options.wave).map((label) => {
              const match = datasets.filter((d) => d.wave === label || d.name === label);
              if (match.length === 0) throw new FieldbookError('NOT_FOUND', `There is no wave called ${label}. Waves: ${datasets.map((d) => d.wave || d.name).join(', ')}.`, { field: 'wave' });
              return match[match.length - 1]!.id;
            });
          } else ids = [datasets[datasets.length - 1]!.id];
          source = { kind: 'dataset', datasetIds: ids };
        }
        const nets = options.net.map(parseNet);
        const rowRefs = list(options.rows);
        for (const { ref } of nets) {
          if (!rowRefs.includes(ref)) throw new FieldbookError('INVALID_INPUT', `The net on ${ref} needs ${ref} among --rows.`, { field: 'net' });
        }
        const level = Number(options.level);
        if (level !== 95 && level !== 99) throw new FieldbookError('INVALID_INPUT', 'The test level is 95 or 99.', { field: 'level' });
        const spec: TableSpecInput = {
          ...(options.title ? { title: options.title } : {}),
          source,
          rows: rowRefs.map((ref) => ({ ref, nets: nets.filter((n) => n.ref === ref).map((n) => n.net) })),
          banner: list(options.cols),
          filter: options.filter.map(parseFilter),
          ...(options.weight ? { weight: options.weight } : {}),
          base: options.base as TableBase,
          cells: list(options.cells) as CellContent[],
          tests: { level: level === 99 ? 0.99 : 0.95, correction: options.correction as 'none' | 'bonferroni' | 'fdr' },
        };
        const result = await call('tables.run', { spec });
        if (options.save) {
          const saved = await call('tables.save', { name: options.save, spec });
          process.stderr.write(`Saved as "${saved.name}" (id ${saved.id}).\n`);
        }
        if (options.chart) {
          const kind = options.chartKind as 'bar' | 'grouped' | 'stacked';
          const { svg } = await call('tables.chart', { spec, chart: { kind } });
          fs.writeFileSync(options.chart, svg);
          process.stderr.write(`Chart written to ${options.chart}.\n`);
        }
        const text = options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : options.format === 'csv' ? tableToCsv(result) : tableToMarkdown(result);
        process.stdout.write(text);
      });
    });
}
