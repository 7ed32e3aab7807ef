import { describe, expect, it } from 'vitest';
import type { RecentProject } from '../shared/contract/index';
import { RECENT_MENU_LIMIT, recentMenuItems } from './recent';

const project = (p: string, exists = true): RecentProject => ({
  path: p,
  name: p.split('/').pop()!.replace(/\.fieldbook$/, ''),
  openedAt: '2025-01-01T00:00:00.000Z',
  exists,
});

function recorder() {
  const calls: string[] = [];
  return { calls, actions: { open: (p: string) => calls.push(`open ${p}`), clear: () => calls.push('clear') } };
}

describe('recentMenuItems (File > Open Recent)', () => {
  it('lists projects newest first by name, opens the one clicked, and ends with Clear Recent', () => {
    const { calls, actions } = recorder();
    const items = recentMenuItems([project('/w/Wave 2025.fieldbook'), project('/w/Pilot.fieldbook')], actions, 'linux');
    expect(items.map((i) => i.label ?? i.type)).toEqual(['Wave 2025', 'Pilot', 'separator', 'Clear Recent']);
    expect(items[0]).toMatchObject({ enabled: true, sublabel: '/w/Wave 2025.fieldbook', toolTip: '/w/Wave 2025.fieldbook' });
    items[1]!.click?.({} as never, undefined, {} as never);
    items[3]!.click?.({} as never, undefined, {} as never);
    expect(calls).toEqual(['open /w/Pilot.fieldbook', 'clear']);
    expect(items[3]!.enabled).toBe(true);
  });

  it('says there are none, with Clear Recent greyed out, when the list is empty', () => {
    const items = recentMenuItems([], recorder().actions, 'linux');
    expect(items.map((i) => [i.label ?? i.type, i.enabled])).toEqual([
      ['No Recent Projects', false],
      ['separator', undefined],
      ['Clear Recent', false],
    ]);
  });

  it('tells apart two projects of the same name by their folder', () => {
    const items = recentMenuItems([project('/2024/study.fieldbook'), project('/2025/study.fieldbook'), project('/2025/other.fieldbook')], recorder().actions, 'darwin');
    expect(items.slice(0, 3).map((i) => i.label)).toEqual(['study — /2024', 'study — /2025', 'other']);
  });

  it('greys out a project that was moved or deleted, and says so', () => {
    const items = recentMenuItems([project('/gone/old.fieldbook', false)], recorder().actions, 'darwin');
    expect(items[0]).toMatchObject({ label: 'old (not found)', enabled: false });
  });

  it('shows an ampersand as itself: doubled on Windows and Linux (where & marks a mnemonic), as is on macOS', () => {
    const list = [project('/w/R&D survey.fieldbook')];
    expect(recentMenuItems(list, recorder().actions, 'win32')[0]!.label).toBe('R&&D survey');
    expect(recentMenuItems(list, recorder().actions, 'linux')[0]!.label).toBe('R&&D survey');
    expect(recentMenuItems(list, recorder().actions, 'darwin')[0]!.label).toBe('R&D survey');
  });

  it(`shows at most ${RECENT_MENU_LIMIT}`, () => {
    const list = Array.from({ length: 12 }, (_, i) => project(`/w/p${i}.fieldbook`));
    const items = recentMenuItems(list, recorder().actions, 'linux');
    expect(items.filter((i) => i.type !== 'separator' && i.label !== 'Clear Recent').map((i) => i.label)).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
  });
});
