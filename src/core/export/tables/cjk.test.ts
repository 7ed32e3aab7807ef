import { describe, expect, it } from 'vitest';
import { tableSpecSchema } from '../../../shared/contract/tables';
import { renderChartSvg } from '../../analysis/chart';
import { computeTable } from '../../analysis/crosstab';
import { arrayFrame, singleAxis } from '../../analysis/frame';
import { svgToPng } from './chart';

/**
 * Chinese labels in a chart PNG must be drawn with real glyphs, not "tofu" (the .notdef box a
 * font without the character draws). Every tofu box is the same shape, so two charts whose labels
 * differ only in which Chinese characters they use come out pixel-identical when the glyphs are
 * missing, and different when they are drawn.
 */
function chart(answers: [string, string], banner: [string, string], title: string) {
  const frame = arrayFrame(6, [
    singleAxis('Q', title, [{ key: '1', label: answers[0] }, { key: '2', label: answers[1] }], Int32Array.from([0, 1, 0, 1, 0, 0])),
    singleAxis('B', 'Banner', [{ key: '1', label: banner[0] }, { key: '2', label: banner[1] }], Int32Array.from([0, 0, 0, 1, 1, 1])),
  ]);
  const table = computeTable(frame, tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q' }], banner: ['B'] }));
  return renderChartSvg(table, { kind: 'grouped', width: 480, height: 260 });
}

const textSvg = (text: string, family: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="20" font-family="${family}">${text}</text></svg>`;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('CJK text in chart PNGs', () => {
  it('draws Chinese labels with glyphs: charts differing only in their Chinese characters differ', () => {
    const a = svgToPng(chart(['大幅增加', '略有减少'], ['二〇二四', '二〇二五'], '人工智能工作负载'), 1);
    const b = svgToPng(chart(['明显下降', '基本持平'], ['北京上海', '广州深圳'], '数据中心运营成本'), 1);
    expect(same(a, b)).toBe(false);
  });

  it('renders a Chinese label as the known CJK face does, and unlike the tofu of a font without it', () => {
    // The chart path (family list with the CJK face preferred) draws exactly what Noto Sans CJK SC draws…
    const viaChart = svgToPng(textSvg('人工智能', 'Noto Sans, DejaVu Sans'), 1);
    const known = svgToPng(textSvg('人工智能', 'Noto Sans CJK SC'), 1);
    expect(same(viaChart, known)).toBe(true);
    // …and two different characters in it differ, where tofu boxes would be identical.
    expect(same(svgToPng(textSvg('人', 'Noto Sans CJK SC'), 1), svgToPng(textSvg('工', 'Noto Sans CJK SC'), 1))).toBe(false);
  });

  it('the check itself can fail: private-use characters (tofu everywhere) give identical images', () => {
    const a = svgToPng(textSvg('\uE000\uE001', 'Noto Sans CJK SC'), 1);
    const b = svgToPng(textSvg('\uE002\uE003', 'Noto Sans CJK SC'), 1);
    expect(same(a, b)).toBe(true);
  });
});

describe('export headings follow the chosen language; data is never translated', () => {
  const frame = arrayFrame(4, [
    singleAxis('Q', 'Do you use AI?', [{ key: '1', label: 'Yes' }, { key: '2', label: 'No' }], Int32Array.from([0, 1, 0, 0])),
  ]);
  const table = computeTable(frame, tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q' }] }));

  it('writes the base row and the chart subtitle in Chinese, the question and answers as imported', async () => {
    const { tableGrid } = await import('./grid');
    const zh = tableGrid(table, 'zh-CN').rows.map((r) => r.label);
    const en = tableGrid(table, 'en').rows.map((r) => r.label);
    expect(en).toContain('Base: respondents who answered');
    expect(zh).toContain('基数：作答的受访者');
    // The rows Fieldbook writes; the method note under the table is still English (see README).
    const zhRows = tableGrid(table, 'zh-CN').rows.filter((r) => r.kind !== 'note').map((r) => r.label);
    expect(zhRows.filter((l) => l.startsWith('Base'))).toEqual([]);
    for (const data of ['Yes', 'No']) expect(zh).toContain(data);
    expect(renderChartSvg(table, { kind: 'bar' }, 'zh-CN')).toContain('基数：');
    expect(renderChartSvg(table, { kind: 'bar' }, 'en')).toContain('Base: ');
  });
});
