import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VariableSummary } from '../../shared/contract/survey';
import { cliInTempFolder } from '../../core/testing/cli';

const fixture = path.resolve('src/core/survey/fixtures/variables/edits.csv');

describe('fieldbook variable', () => {
  const cli = cliInTempFolder();

  it('retypes, merges, regroups and marks missing from the command line; undo takes each back', () => {
    const project = path.join(cli.dir, 'v.fieldbook');
    expect(cli.run('new', project).status).toBe(0);
    expect(cli.run('import', 'survey', fixture, '--project', project).status).toBe(0);
    const json = (...args: string[]) => JSON.parse(cli.run('variable', project, ...args, '--json').stdout) as VariableSummary & VariableSummary[];

    const retyped = json('rating', '--type', 'ordinal', '--label', 'Rate it');
    expect(retyped).toMatchObject({ type: 'ordinal', label: 'Rate it' });
    // edits.csv's ratings by hand: 1 once, 2 twice, 3 once, 4 twice, 5 twice.
    expect(retyped.valueLabels.map((l) => [l.label, l.count])).toEqual([['1', 1], ['2', 2], ['3', 1], ['4', 2], ['5', 2]]);
    const merged = json('rating', '--merge', '4|5', '--merge-label', 'Top two', '--missing', '1');
    expect(merged.valueLabels.map((l) => [l.label, l.count, l.missing])).toEqual([['1', 1, true], ['2', 2, false], ['3', 1, false], ['Top two', 4, false]]);
    const shown = cli.run('variable', project, 'rating');
    expect(shown.stdout).toMatch(/rating \(ordinal\): Rate it\n {2}1=1: 1 \(missing\)\n/);
    expect(shown.stdout).toMatch(/7 answered, 1 missing/);

    const grouped = json('fruit_apple', '--group', 'fruit', '--group-label', 'Fruit liked', '--with', 'fruit_pear');
    expect(grouped.map((v) => [v.name, v.type, v.optionLabel, v.valid])).toEqual([['fruit_apple', 'multi', 'Apple', 6], ['fruit_pear', 'multi', 'Pear', 6]]);

    const bad = cli.run('variable', project, 'region', '--type', 'numeric');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/region cannot be numeric: respondent 1 answered "North", which is not a number/);

    expect(cli.run('undo', project).stdout).toMatch(/Undid: Group fruit_apple, fruit_pear as fruit/);
    expect(cli.run('undo', project).stdout).toMatch(/Undid: Merge 2 answers of rating, mark missing answers of rating/);
    expect(json('rating').valueLabels.map((l) => l.label)).toEqual(['1', '2', '3', '4', '5']);
    expect(json('fruit_apple').type).toBe('single');
  }, 240_000);
});
