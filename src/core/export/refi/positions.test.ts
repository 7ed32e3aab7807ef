import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A one-source REFI project whose quotes are given as [start, end] in whatever unit the test means. */
function qde(origin: string, text: string, spans: [number, number][]): string {
  const selections = spans
    .map(
      ([start, end], i) =>
        `<PlainTextSelection guid="${guid(100 + i)}" startPosition="${start}" endPosition="${end}"><Coding guid="${guid(200 + i)}"><CodeRef targetGUID="${guid(1)}"/></Coding></PlainTextSelection>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="positions" origin="${origin}">
  <CodeBook><Codes><Code guid="${guid(1)}" name="Fares" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="${guid(2)}" name="Interview"><PlainTextContent>${text}</PlainTextContent>
${selections}
  </TextSource></Sources>
</Project>`;
}

// Emoji and CJK Extension B characters (outside the BMP: two UTF-16 units, one code point each).
const TEXT = '访谈者：𠀀𠀁 开始。 I love 😀 the bus 🚌 fares and 𪜀 trams';

/** Where a word is, counted by hand in both units: the string index and the index among [...TEXT]. */
function at(word: string): { utf16: [number, number]; codePoints: [number, number] } {
  const start = TEXT.indexOf(word);
  const before = [...TEXT.slice(0, start)].length;
  return { utf16: [start, start + word.length], codePoints: [before, before + [...word].length] };
}

async function importText(origin: string, spans: [number, number][]) {
  const file = path.join(t.dir, `${origin || 'none'}-${spans.length}.qde`);
  fs.writeFileSync(file, qde(origin, TEXT, spans));
  await t.newProject(path.basename(file, '.qde'));
  const result = await t.call('import.qdpx', { path: file });
  const quotes = t.core
    .currentProject()!
    .db.prepare('SELECT text FROM segment ORDER BY start_char')
    .pluck()
    .all() as string[];
  return { result, quotes };
}

describe('REFI-QDA positions: code points or UTF-16, decided per file', () => {
  const words = ['bus', 'fares', 'trams'];

  it('reads NVivo-style UTF-16 positions as UTF-16 and says why', async () => {
    const { result, quotes } = await importText('NVivo 14', words.map((w) => at(w).utf16));
    expect(quotes).toEqual(words);
    expect(result.positions.unit).toBe('utf16');
    expect(result.positions.differing).toBe(3);
    expect(result.positions.reason).toMatch(/3 quotes/);
  });

  it('reads code points as code points, whichever tool wrote them', async () => {
    const { result, quotes } = await importText('MAXQDA 2022', words.map((w) => at(w).codePoints));
    expect(quotes).toEqual(words);
    expect(result.positions.unit).toBe('codePoints');
  });

  it('trusts the quotes over the origin: an "NVivo" file whose positions are code points', async () => {
    const { result, quotes } = await importText('NVivo 12', words.map((w) => at(w).codePoints));
    expect(quotes).toEqual(words);
    expect(result.positions.unit).toBe('codePoints');
    expect(result.positions.reason).toMatch(/word boundaries|split a character/);
  });

  it('a quote running past the text in code points can only be UTF-16', async () => {
    // "trams" ends at the very end in UTF-16; as code points that runs five characters past it (five astral characters).
    const { result, quotes } = await importText('', [at('trams').utf16]);
    expect(quotes).toEqual(['trams']);
    expect(result.positions).toMatchObject({ unit: 'utf16', differing: 1 });
    expect(result.positions.reason).toMatch(/run past the text or split a character if read as code points/);
  });

  it('quotes before the first astral character do not depend on the reading; the origin breaks the tie', async () => {
    const start = TEXT.indexOf('访谈者');
    const { result, quotes } = await importText('NVivo 14', [[start, start + 3]]);
    expect(quotes).toEqual(['访谈者']);
    expect(result.positions).toMatchObject({ unit: 'utf16', differing: 0 });
    expect(result.positions.reason).toMatch(/No quote comes after an emoji.*written by NVivo 14, which counts UTF-16 code units/);
  });
});
