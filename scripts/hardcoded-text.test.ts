import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Interface text goes through t(): this flags English written straight into JSX (a text node
 * between tags, or a label-like attribute), the way a reviewer would spot it. Keys, test ids and
 * class names are not text; a few marks are not words (×, ◧, Ctrl+K in <kbd>).
 */
const ROOT = path.join(import.meta.dirname, '..', 'src', 'renderer', 'src');
const ATTRIBUTES = /\s(title|placeholder|aria-label|label|hint|alt)="([^"]*[A-Za-z]{2,}[^"]*)"/g;
const TEXT_NODE = />\s*([^<>{}]*[A-Za-z]{2,}[^<>{}]*?)\s*</g;
// Names that are the same in every language, and TypeScript generics the pattern takes for text.
const ALLOWED = new Set(['Fieldbook', 'Ctrl+K', 'Bonferroni', 'Promise']);

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsxFiles(full);
    return e.name.endsWith('.tsx') && !e.name.includes('.test.') ? [full] : [];
  });
}

export function hardcodedText(source: string): string[] {
  // Only JSX: drop comments and TypeScript generics like Array<string> before looking between tags.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(ATTRIBUTES)) found.push(`${m[1]}="${m[2]}"`);
  for (const m of code.matchAll(TEXT_NODE)) {
    const text = m[1]!.trim();
    // Arrow functions and comparisons (a => b, x > y) are code, not text.
    if (/=>|&&|\|\||[;=()]/.test(text) || /^\w+\.\w+$/.test(text) || ALLOWED.has(text)) continue;
    found.push(text);
  }
  return found;
}

/**
 * Pages that landed after the catalogs were written and still carry English (issue 20 stays open
 * until this list is empty). The number is how many strings each may still have: a file may only
 * go down, and one that is clean must leave the list, so the debt can shrink and never grow.
 */
const NOT_YET_TRANSLATED: Record<string, number> = {
  'features/coding/MachineAgreement.tsx': 9,
  'features/data/VariableEditor.tsx': 17,
  'features/data/index.tsx': 9,
  'features/findings/FindingCard.tsx': 18,
  'features/findings/QuotePicker.tsx': 10,
  'features/findings/SlotEditor.tsx': 16,
  'features/findings/index.tsx': 16,
  'features/tables/index.tsx': 13,
};

describe('hard-coded interface text', () => {
  it('the detector finds English in JSX text and attributes, and not t() calls or code', () => {
    expect(hardcodedText('<p title="Save it">Add a code</p>')).toEqual(['title="Save it"', 'Add a code']);
    expect(hardcodedText("<p title={t('a.b')}>{t('a.c')}</p>")).toEqual([]);
    expect(hardcodedText('const ok = a > b && c < d;')).toEqual([]);
  });

  it.each(tsxFiles(ROOT).map((f) => [path.relative(ROOT, f), f]))('%s has none (or no more than its listed debt)', (name, file) => {
    const found = hardcodedText(fs.readFileSync(file, 'utf8'));
    const debt = NOT_YET_TRANSLATED[name.split(path.sep).join('/')];
    if (debt === undefined) expect(found).toEqual([]);
    else {
      expect(found.length, `${name}: ${found.join(' | ')}`).toBeLessThanOrEqual(debt);
      expect(found.length, `${name} is clean: take it off NOT_YET_TRANSLATED`).toBeGreaterThan(0);
    }
  });

  it('lists only files that exist', () => {
    for (const name of Object.keys(NOT_YET_TRANSLATED)) expect(fs.existsSync(path.join(ROOT, name)), name).toBe(true);
  });
});
