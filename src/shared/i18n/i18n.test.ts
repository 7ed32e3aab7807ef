import { describe, expect, it } from 'vitest';
import { catalogs, flattenCatalog, LANGUAGES, resolveLanguage } from './index';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('the catalogs', () => {
  const reference = flattenCatalog(catalogs.en);

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the English keys', (lang) => {
    const other = flattenCatalog(catalogs[lang]);
    const missing = [...reference.keys()].filter((k) => !other.has(k));
    const extra = [...other.keys()].filter((k) => !reference.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s uses the same {{placeholders}} in every text', (lang) => {
    const other = flattenCatalog(catalogs[lang]);
    const differ = [...reference].filter(([k, v]) => placeholders(v).join() !== placeholders(other.get(k) ?? '').join()).map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it('no text is empty, and no Chinese text was left in English', () => {
    for (const lang of LANGUAGES) for (const [k, v] of flattenCatalog(catalogs[lang])) expect(v.trim(), `${lang}: ${k}`).not.toBe('');
    // A text identical in both is almost always an untranslated copy; the few legitimate ones are listed.
    const sameOk = /^(Fieldbook|CSV|XLSX|DOCX|PNG|SVG|REFI-QDA|QDPX|SPSS|\W*|[\d\s%.{}a-z]*)$/;
    const zh = flattenCatalog(catalogs['zh-CN']);
    const copied = [...reference].filter(([k, v]) => zh.get(k) === v && !sameOk.test(v.replace(/\{\{\w+\}\}/g, ''))).map(([k]) => k);
    expect(copied).toEqual([]);
  });

  it('the detector treats the flattened test itself honestly: a key only in one language is reported', () => {
    const a = flattenCatalog({ x: { y: 'a', z: 'b' } });
    const b = flattenCatalog({ x: { y: 'a' } });
    expect([...a.keys()].filter((k) => !b.has(k))).toEqual(['x.z']);
  });
});

describe('resolveLanguage', () => {
  it('maps the system languages to the supported ones', () => {
    expect(resolveLanguage(['zh-CN'])).toBe('zh-CN');
    expect(resolveLanguage(['zh_CN.UTF-8'])).toBe('zh-CN');
    expect(resolveLanguage(['zh-Hans-SG', 'en-US'])).toBe('zh-CN');
    expect(resolveLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLanguage(['de-DE'])).toBe('en');
    expect(resolveLanguage(['C', undefined, 'zh-TW'])).toBe('zh-CN');
    expect(resolveLanguage([])).toBe('en');
  });
});
