import { describe, expect, it } from 'vitest';
import { csvCell, htmlEscape, mdCell, mdLines, neutraliseCell, sanitiseFileName, tsvCell } from './safety';
import { preferCjkSans } from './tables/chart';
import { sheetName } from './tables/xlsx';

describe('export safety', () => {
  it('neutralises cells that a spreadsheet would run as formulas, and keeps plain numbers', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3*cmd', '@SUM(1)', '\t=1', '\r=1', '=HYPERLINK("http://x")']) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    for (const fine of ['-3', '+44', '-0.5', '1e5', 'hello = world', '', 'Ana']) expect(neutraliseCell(fine)).toBe(fine);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(tsvCell('a\tb\r\nc')).toBe('a b c');
  });

  it('escapes HTML', () => {
    expect(htmlEscape(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('escapes Markdown so no text becomes HTML, a link or an image', () => {
    expect(mdCell('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(mdCell('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(mdCell('![i](javascript:1) <javascript:2>')).toBe('!\\[i\\](javascript:1) &lt;javascript:2&gt;');
    expect(mdCell('a|b\nc *d* _e_ `f` ~g~ \\')).toBe('a\\|b<br>c \\*d\\* \\_e\\_ \\`f\\` \\~g\\~ \\\\');
    // An entity in the text stays text; a lone ampersand stays as it is.
    expect(mdCell('&lt;b&gt; & AT&T')).toBe('&amp;lt;b&amp;gt; & AT&T');
    expect(mdCell(42)).toBe('42');
    expect(mdLines('# not a heading\n1. not a list\n- nor this\n> nor a quote')).toBe('\\# not a heading\n1\\. not a list\n\\- nor this\n&gt; nor a quote');
  });

  it('sanitises file and sheet names', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitiseFileName('report: Q3/Q4 <final>?')).toBe('report_ Q3_Q4 _final_');
    expect(sanitiseFileName('nul.txt')).toBe('_nul.txt');
    expect(sanitiseFileName('  ...  ')).toBe('export');
    expect(sanitiseFileName('a\u0000b\u001fc')).toBe('a_b_c');
    expect(Buffer.byteLength(sanitiseFileName('é'.repeat(300)))).toBeLessThanOrEqual(200);
    const used = new Set<string>();
    expect(sheetName('Sector: by country [all]', used)).toBe('Sector by country all');
    expect(sheetName('Sector  by country  all', used)).toBe('Sector by country all 2');
    expect(sheetName('x'.repeat(40), used)).toHaveLength(31);
  });
});

describe('chart fonts', () => {
  it('puts a sans-serif CJK face first on labels with CJK text only', () => {
    const svg = '<svg><text font-family="DejaVu Sans" x="1">小売 (retail)</text><text font-family="DejaVu Sans">healthcare</text></svg>';
    expect(preferCjkSans(svg)).toBe('<svg><text font-family="Noto Sans CJK SC, DejaVu Sans" x="1">小売 (retail)</text><text font-family="DejaVu Sans">healthcare</text></svg>');
  });
});
