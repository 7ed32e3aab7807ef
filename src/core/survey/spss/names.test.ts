import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../testing/tools';
import { tempDir } from '../../testing';
import { readSpssFile } from './index';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

/**
 * Variable names outside ASCII (fixtures written by PSPP from make-pspp-names.sps): the 8-byte
 * short names are in the file's encoding, and the long-name record maps them to the long names;
 * a string wider than 255 bytes is printed at its whole width, as ReadStat and PSPP report it.
 */
describe('SPSS names in other encodings, and the print width of long strings', () => {
  const cases: [string, string, string[], Record<string, string>][] = [
    ['pspp_names_cp1251.sav', 'windows-1251', ['номер', 'возраст_респондента', 'город', 'длинный_комментарий'], { возраст_респондента: 'Возраст респондента' }],
    ['pspp_names_cp1255.sav', 'windows-1255', ['מספר', 'גיל_המשיב', 'עיר'], { גיל_המשיב: 'גיל' }],
    ['pspp_names_utf8.sav', 'UTF-8', ['编号', '受访者年龄', '都市名', '長いコメント'], { 受访者年龄: '年龄' }],
  ];

  for (const [file, encoding, names, labels] of cases) {
    it(`${file}: long names in ${encoding}, as written`, () => {
      const survey = readSpssFile(fixture(file));
      expect(survey.encoding).toBe(encoding);
      expect(survey.variables.map((v) => v.name)).toEqual(names);
      for (const [name, label] of Object.entries(labels)) expect(survey.variables.find((v) => v.name === name)!.label).toBe(label);
      expect(survey.rowCount).toBe(2);
    });
  }

  it('a 1024-byte string prints as A1024 (not its first segment\'s A255), and holds its answer', () => {
    for (const [file, name, answer] of [
      ['pspp_names_cp1251.sav', 'длинный_комментарий', 'Да'],
      ['pspp_names_utf8.sav', '長いコメント', 'はい'],
    ] as const) {
      const v = readSpssFile(fixture(file)).variables.find((x) => x.name === name)!;
      expect(v.meta).toMatchObject({ format: 'A1024', width: 1024 });
      expect(v.values.values[0]).toBe(answer);
    }
    // The plain strings keep their own widths.
    const city = readSpssFile(fixture('pspp_names_utf8.sav')).variables.find((x) => x.name === '都市名')!;
    expect(city.meta).toMatchObject({ format: 'A12', width: 12 });
  });

  it('the names are the ones PSPP reads from the same files', () => {
    requireTool('pspp-convert');
    const temp = tempDir();
    try {
      for (const [file] of cases) {
        const csv = path.join(temp.dir, `${file}.csv`);
        execFileSync('pspp-convert', [fixture(file), csv], { stdio: 'ignore' });
        const header = fs.readFileSync(csv, 'utf8').split('\n')[0]!.split(',');
        expect(readSpssFile(fixture(file)).variables.map((v) => v.name)).toEqual(header);
      }
    } finally {
      temp.cleanup();
    }
  });
});
