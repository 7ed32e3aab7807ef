import { describe, expect, it } from 'vitest';
import { tableSpecSchema } from '../../shared/contract/tables';
import { fitTitle, renderChartSvg } from './chart';
import { computeTable } from './crosstab';
import { arrayFrame, singleAxis } from './frame';

const frame = arrayFrame(4, [singleAxis('Q', 'Which GPU infrastructure do you use?', [{ key: '1', label: 'Cloud' }, { key: '2', label: 'On-premises' }], Int32Array.from([0, 1, 0, 0]))]);
const table = (title?: string) => computeTable(frame, tableSpecSchema.parse({ source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q' }], ...(title ? { title } : {}) }));
const titleLines = (svg: string) => [...svg.matchAll(/<text[^>]*font-size="15px"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('a chart title', () => {
  it("follows the table's own title, else the question", () => {
    expect(titleLines(renderChartSvg(table('Edge adoption 2024–2025')))).toEqual(['Edge adoption 2024–2025']);
    expect(titleLines(renderChartSvg(table()))).toEqual(['Q (Which GPU infrastructure do you use?)']);
  });

  it('breaks into lines that fit the image (14 characters at 9.5 px in 140 px), at most three, the last ending in … when cut', () => {
    const long = 'Share of platform teams running AI and machine learning workloads on Kubernetes clusters at the edge, by industry, 2024 and 2025 waves compared';
    const width = 320;
    const lines = titleLines(renderChartSvg(table(long), { width }));
    expect(lines.length).toBe(3);
    // 9.5 px per character is wider than any DejaVu Sans Bold glyph at 15 px bar a few (W, M), none in this title.
    for (const line of lines) expect(line.length * 9.5).toBeLessThanOrEqual(width - 24);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(fitTitle('Short title', 300)).toBe('Short title');
    expect(fitTitle('Edge adoption rose', 140).split('\n')).toEqual(['Edge adoption', 'rose']);
  });
});
