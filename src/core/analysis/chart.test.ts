import { describe, expect, it } from 'vitest';
import { tableSpecSchema } from '../../shared/contract/tables';
import { renderChartSvg, styleToAttributes } from './chart';
import { computeTable } from './crosstab';
import { arrayFrame, singleAxis } from './frame';

describe('charts', () => {
  const frame = arrayFrame(6, [
    singleAxis('Q', '<b>"Title"</b>', [{ key: '1', label: '<img src=x onerror=alert(1)>' }, { key: '2', label: 'Tom & "Jerry"' }], Int32Array.from([0, 1, 0, 1, 0, 0])),
    singleAxis('B', 'Banner', [{ key: '1', label: 'Left' }, { key: '2', label: 'Right' }], Int32Array.from([0, 0, 0, 1, 1, 1])),
  ]);
  const table = computeTable(frame, tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q', nets: [{ members: ['1', '2'], label: 'All' }] }], banner: ['B'] }));

  it('escapes labels from the data (the renderer inserts the SVG as markup)', () => {
    const svg = renderChartSvg(table, { kind: 'grouped' });
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('Tom &amp; &quot;Jerry&quot;');
  });

  it('draws one series per banner column, stacks without nets, and the Total for a bar chart', () => {
    const grouped = renderChartSvg(table, { kind: 'grouped' });
    expect(grouped).toContain('>Left<');
    expect(grouped).toContain('>All<');
    // Left: 2 of 3 chose the first answer = 67%.
    expect(grouped).toContain('>67%<');
    const stacked = renderChartSvg(table, { kind: 'stacked' });
    expect(stacked).not.toContain('>All<');
    const bar = renderChartSvg(table, { kind: 'bar' });
    expect(bar).not.toContain('>Left<');
    expect(bar).toContain('n=6');
  });

  it('moves inline styles into presentation attributes', () => {
    expect(styleToAttributes('<text x="1" style="font-size:12px;font-family:Noto Sans;fill:#222">a</text>')).toBe(
      '<text x="1" font-size="12px" font-family="Noto Sans" fill="#222">a</text>',
    );
    // An attribute already present wins over the style.
    expect(styleToAttributes('<text fill="#000" style="fill:#fff">a</text>')).toBe('<text fill="#000">a</text>');
  });
});
