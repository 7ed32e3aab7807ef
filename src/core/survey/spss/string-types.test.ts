import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/index';
import { readSurvey } from '../reader';
import { writeTinySav } from './fixtures/tiny-sav-writer';
import { variable } from './test-helpers';

/**
 * How the importer types SPSS string variables that carry no value labels, as it would the same
 * column of a CSV: a few repeated words are a choice, unique single tokens in every row are the
 * respondent id, anything else is open text. The scan stops early once a column is open text;
 * these cases pin that the early stop decides exactly as the full scan would.
 */
describe('SPSS string variables without labels', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('few repeated words are a choice, unique tokens an id, the rest open text', async () => {
    const rows = 100;
    const words = ['tea', 'coffee', 'juice'];
    const col = (f: (r: number) => string | null) => Array.from({ length: rows }, (_, r) => f(r));
    const bytes = writeTinySav(
      [
        { name: 'mood', width: 12, values: col((r) => (r % 7 === 0 ? null : words[r % 3]!)) },
        { name: 'respid', width: 8, values: col((r) => `R${String(r).padStart(5, '0')}`) },
        // One repeat at the very start, then only new answers: more than 60 distinct with a repeat is text.
        { name: 'early', width: 16, values: col((r) => (r < 2 ? 'same answer' : `answer${r}`)) },
        // Repeats all through and far more than 60 distinct answers: text, decided part-way.
        { name: 'many', width: 16, values: col((r) => `note ${r % 80}`) },
        // Fewer than 60 distinct, but one answer longer than 80 characters: text.
        { name: 'long', width: 120, values: col((r) => (r === 50 ? 'x'.repeat(90) : words[r % 3]!)) },
        // Unique, but with spaces: answers to read, not an id.
        { name: 'phrases', width: 16, values: col((r) => `said ${r}`) },
      ],
      { littleEndian: true, compressed: true },
    );
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.dir, 'strings.sav');
    fs.writeFileSync(file, bytes);
    const { survey } = await readSurvey(file);

    const mood = variable(survey, 'mood');
    expect(mood.type).toBe('single');
    expect(mood.valueLabels.map((l) => l.label).sort()).toEqual(['coffee', 'juice', 'tea']);
    expect(variable(survey, 'respid').type).toBe('id');
    expect(variable(survey, 'early').type).toBe('text');
    expect(variable(survey, 'many').type).toBe('text');
    expect(variable(survey, 'long').type).toBe('text');
    expect(variable(survey, 'phrases').type).toBe('text');
  });
});
