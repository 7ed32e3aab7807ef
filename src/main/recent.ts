import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { RecentProject } from '../shared/contract/index';

/** File > Open Recent, built from the core's recent list (`app.recent`). Only types from electron: tested without it. */

export const RECENT_MENU_LIMIT = 10;

export interface RecentMenuActions {
  open(projectPath: string): void;
  clear(): void;
}

/**
 * Windows and Linux menus read `&` as the mnemonic marker; `&&` shows one ampersand. macOS shows
 * labels as they are.
 */
export function menuLabel(text: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

/**
 * One item per recent project, newest first: its name, and where two projects share a name, the
 * folder too, so they can be told apart. A project that was moved or deleted stays listed,
 * greyed out, until the list is cleared or it is opened from its new place.
 */
export function recentMenuItems(recent: readonly RecentProject[], actions: RecentMenuActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const shown = recent.slice(0, RECENT_MENU_LIMIT);
  const nameCount = new Map<string, number>();
  for (const project of shown) nameCount.set(project.name, (nameCount.get(project.name) ?? 0) + 1);
  const items: MenuItemConstructorOptions[] = shown.map((project) => {
    const text = (nameCount.get(project.name) ?? 0) > 1 ? `${project.name} — ${path.dirname(project.path)}` : project.name;
    return {
      label: menuLabel(project.exists ? text : `${text} (not found)`, platform),
      sublabel: project.path,
      toolTip: project.path,
      enabled: project.exists,
      click: () => actions.open(project.path),
    };
  });
  if (items.length === 0) items.push({ label: 'No Recent Projects', enabled: false });
  items.push({ type: 'separator' }, { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clear() });
  return items;
}
