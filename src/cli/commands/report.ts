import type { Command } from 'commander';
import type { Report } from '../../shared/contract/findings';
import { output, withSession } from '../runtime';
import { formatOf } from './export';

function listing(report: Report): string {
  if (report.findings.length === 0) return `${report.title}: no findings yet.`;
  const lines = [report.title, ''];
  for (const f of report.findings) {
    lines.push(`${f.position + 1}. ${f.headlineText}${f.stale ? '  [numbers changed]' : ''}`);
    for (const slot of f.slots.filter((s) => s.stale)) {
      lines.push(`   {${slot.key}} ${slot.error ? `has no source: ${slot.error}` : `was ${slot.acceptedText}, now ${slot.text}`} (${slot.label})`);
    }
  }
  if (report.staleCount > 0) lines.push('', `${report.staleCount} finding${report.staleCount === 1 ? ' has' : 's have'} numbers that changed; --accept takes today's numbers.`);
  return lines.join('\n');
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('The Findings report: list the findings (flagging numbers that moved), accept them, or write the report as DOCX, Markdown or HTML.')
    .argument('<project>', 'the project file')
    .option('--out <file>', 'write the report there (the format follows the extension: .docx, .md, .html)')
    .option('--format <format>', 'docx | md | html')
    .option('--accept', "accept every number's current value (undoable in the app)")
    .option('--json', 'print JSON')
    .action(async (file: string, options: { out?: string; format?: string; accept?: boolean; json?: boolean }) => {
      await withSession(file, async ({ call, job }) => {
        if (options.accept) await call('findings.accept', {});
        if (!options.out) {
          const report = await call('findings.report', {});
          output(options.json ?? false, report, () => listing(report));
          return;
        }
        const format = formatOf({ project: file, out: options.out, ...(options.format ? { format: options.format } : {}) }, ['docx', 'md', 'html'] as const, 'docx');
        const result = await job('findings.export', { path: options.out, format });
        // Stale numbers do not stop the export, but the researcher must see them.
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
        output(options.json ?? false, result, () => `Wrote ${result.path} (${result.items} findings, ${result.bytes} bytes).`);
      });
    });
}
