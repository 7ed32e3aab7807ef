import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../testing/index';
import { requireTool } from '../testing/tools';

/*
 * A .sav written by GNU PSPP (an independent writer) with a skip pattern: cloud is asked only of
 * those who use Kubernetes. Twelve cases, counted by hand:
 *   k8s:   1 1 1 1 1 1 1 1 2 2 2 2
 *   cloud: 1 1 1 2 2 9 9 1 . . . .     9 = "Refused", declared MISSING VALUES; . = system-missing
 * answered: 4 Yes of 6; shown (asked, Refused included, system-missing out): 4 of 8; all: 4 of 12.
 */
describe('SPSS system-missing against user-missing in the "shown" base', () => {
  let t: TestCore;
  let datasetId = 0;
  beforeAll(async () => {
    // pspp and pspp-convert come in one package.
    requireTool('pspp-convert');
    t = createTestCore();
    const csv = path.join(t.dir, 'skip.csv');
    const rows = [
      [1, 1], [1, 1], [1, 1], [1, 2], [1, 2], [1, 9], [1, 9], [1, 1], [2, ''], [2, ''], [2, ''], [2, ''],
    ];
    fs.writeFileSync(csv, `${rows.map((r) => r.join(',')).join('\n')}\n`);
    const sav = path.join(t.dir, 'skip.sav');
    const syntax = [
      `GET DATA /TYPE=TXT /FILE='${csv}' /ENCODING='UTF-8' /ARRANGEMENT=DELIMITED /DELIMITERS="," /FIRSTCASE=1 /VARIABLES=k8s F1.0 cloud F1.0.`,
      "VARIABLE LABELS k8s 'Do you run Kubernetes?' cloud 'Do you use a dedicated GPU cloud?'.",
      "VALUE LABELS k8s 1 'Yes' 2 'No' /cloud 1 'Yes' 2 'No' 9 'Refused'.",
      'MISSING VALUES cloud (9).',
      `SAVE OUTFILE='${sav}'.`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(t.dir, 'skip.sps'), syntax);
    execFileSync('pspp', ['-O', 'format=txt', '-o', path.join(t.dir, 'skip.txt'), path.join(t.dir, 'skip.sps')], { stdio: 'ignore' });
    await t.newProject();
    datasetId = (await t.call('survey.import', { path: sav, wave: '2025' })).datasetId;
  });
  afterAll(() => t?.cleanup());

  it('counts a declared missing answer as shown and system-missing as not asked', async () => {
    const yes = async (base: 'answered' | 'shown' | 'all') => {
      const r = await t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [datasetId] }, rows: [{ ref: 'cloud' }], base } });
      const g = r.groups[0]!;
      return [g.rows.find((x) => x.label === 'Yes')!.cells[0]!.count, g.bases[0]!.unweighted, g.baseText];
    };
    expect((await yes('answered')).slice(0, 2)).toEqual([4, 6]);
    const shown = await yes('shown');
    expect(shown.slice(0, 2)).toEqual([4, 8]);
    expect(shown[2]).toMatch(/declared missing code such as "Refused"/);
    expect((await yes('all')).slice(0, 2)).toEqual([4, 12]);
  });
});
