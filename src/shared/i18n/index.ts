import { en, type Catalog } from './en';
import { zhCN } from './zh-CN';

export type { Catalog } from './en';

/**
 * The interface languages. Catalogs are plain objects so every layer can read them (shared imports
 * only zod); the renderer wires them into i18next, core and the CLI into their own i18next instance.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const catalogs: Record<Language, Catalog> = { en, 'zh-CN': zhCN };

/** What each language calls itself, for the switch in settings. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first supported language among the system's preferred ones (BCP 47 tags, best first):
 * any Chinese tag maps to Simplified Chinese, anything else unknown falls back to English.
 */
export function resolveLanguage(tags: readonly (string | undefined | null)[]): Language {
  for (const raw of tags) {
    if (!raw) continue;
    // POSIX locales (zh_CN.UTF-8) and BCP 47 tags alike.
    const tag = raw.replace(/[.@].*$/, '').replace('_', '-').toLowerCase();
    if (tag === 'c' || tag === 'posix' || tag === '') continue;
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Every dotted key of a catalog with its text, for the completeness test and lint. */
export function flattenCatalog(catalog: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else if (value && typeof value === 'object') for (const [k, v] of flattenCatalog(value as object, name)) out.set(k, v);
  }
  return out;
}
