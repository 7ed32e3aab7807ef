import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDataset } from '../analysis/fixtures';
import { createTestCore, failure, type TestCore } from '../testing/index';
import { labelTime, orderWaves } from './wave-order';

describe('wave labels read as times', () => {
  it('reads years, ISO dates, months, quarters, halves and seasons; nothing without a year', () => {
    expect(labelTime('2024')).toBe(20240000);
    expect(labelTime('Survey 2024-03-15')).toBe(20240315);
    expect(labelTime('2024/11')).toBe(20241100);
    expect(labelTime('March 2024')).toBe(20240300);
    expect(labelTime('Q3 2024')).toBe(20240700);
    expect(labelTime('2024 Q1')).toBe(20240100);
    expect(labelTime('H2 2023')).toBe(20230700);
    expect(labelTime('Autumn 2025')).toBe(20250900);
    expect(labelTime('Wave 2')).toBeNull();
    expect(labelTime('Baseline')).toBeNull();
  });

  it('orders by the user first, then label times, then label numbers, never by import order', () => {
    const row = (id: number, wave: string, order: number | null = null) => ({ id, name: `d${id}`, wave, wave_order: order });
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    expect(ids(orderWaves([row(1, '2025'), row(2, '2023'), row(3, 'Spring 2024')]).ordered)).toEqual([2, 3, 1]);
    expect(orderWaves([row(1, '2025'), row(2, '2023')]).reason).toBe('the years or dates in the wave labels');
    expect(ids(orderWaves([row(1, 'Wave 10'), row(2, 'Wave 9')]).ordered)).toEqual([2, 1]);
    expect(ids(orderWaves([row(1, '2023', 2), row(2, '2025', 1)]).ordered)).toEqual([2, 1]);
    expect(orderWaves([row(1, '2023', 2), row(2, '2025', 1)]).reason).toBe('the order you set');
    const guess = orderWaves([row(1, 'Pilot'), row(2, 'Main')]);
    expect(ids(guess.ordered)).toEqual([2, 1]);
    expect(guess.reason).toMatch(/set the order in Data → Waves/);
  });
});

describe('waves in time order through the real dispatch', () => {
  let t: TestCore;
  let d2025 = 0;
  let d2024 = 0;
  // Yes = 1: six of ten in 2025, three of ten in 2024 (counted by hand).
  const q1 = (yes: number) => Int32Array.from({ length: 10 }, (_, i) => (i < yes ? 1 : 2));
  const wave = (name: string, label: string, yes: number) => ({
    name,
    wave: label,
    rows: 10,
    variables: [{ name: 'Q1', label: 'Edge adoption', type: 'single' as const, column: { encoding: 'i32' as const, values: q1(yes) }, labels: [{ code: 1, label: 'Yes' }, { code: 2, label: 'No' }] }],
  });
  beforeAll(async () => {
    t = createTestCore();
    await t.newProject();
    const db = t.core.currentProject()!.db;
    // The later wave is imported first.
    d2025 = insertDataset(db, wave('Survey 2025', '2025', 6)).datasetId;
    d2024 = insertDataset(db, wave('Survey 2024', '2024', 3)).datasetId;
  });
  afterAll(() => t.cleanup());

  const table = () => t.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [d2025, d2024] }, rows: [{ ref: 'Q1' }] } });
  const waveColumns = (r: Awaited<ReturnType<typeof table>>) => r.columns.filter((c) => c.block === 'wave').map((c) => c.label);
  const changeOfYes = (r: Awaited<ReturnType<typeof table>>) => {
    const c = r.columns.findIndex((col) => col.block === 'wave' && col.letter === 'B');
    return r.groups[0]!.rows.find((x) => x.key === 'cat:1')!.cells[c]!.change!.pp;
  };

  it('puts 2024 before 2025 whatever the import order, so change is later − earlier and rose is ▲', async () => {
    const r = await table();
    expect(waveColumns(r)).toEqual(['2024', '2025']);
    expect(changeOfYes(r)).toBeCloseTo(60 - 30, 10);
    const datasets = await t.call('survey.datasets', {});
    expect(datasets.map((d) => [d.wave, d.timeOrder])).toEqual([['2025', 2], ['2024', 1]]);
    expect(datasets[0]!.orderReason).toBe('the years or dates in the wave labels');
  });

  it('a reorder in Data → Waves is one undoable step; redo puts it back', async () => {
    await t.call('survey.orderWaves', { datasetIds: [d2025, d2024] });
    let r = await table();
    expect(waveColumns(r)).toEqual(['2025', '2024']);
    expect(changeOfYes(r)).toBeCloseTo(30 - 60, 10);
    expect((await t.call('survey.datasets', {}))[0]!.orderReason).toBe('the order you set');
    const undone = await t.call('history.undo', {});
    expect(undone.label).toBe('Order waves: 2025, 2024');
    r = await table();
    expect(waveColumns(r)).toEqual(['2024', '2025']);
    await t.call('history.redo', {});
    expect(waveColumns(await table())).toEqual(['2025', '2024']);
    await t.call('history.undo', {});
  });

  it('refuses an order that leaves a wave out or names one twice', async () => {
    const error = await failure(t.call('survey.orderWaves', { datasetIds: [d2024, d2024] }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/Give every wave once, earliest first: this project has 2 \(2025, 2024\)/);
  });
});
