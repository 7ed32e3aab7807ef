import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { catalogs, isLanguage, LANGUAGES, resolveLanguage, type Language } from '../../shared/i18n/index';
import { getBridge } from './api/bridge';

const STORAGE_KEY = 'fieldbook.language';

/** The saved choice, else the system's languages (Electron and Chromium report the OS locale). */
function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage can be off (a locked-down profile): fall back to the system's language.
  }
  return resolveLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const i18n: I18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogs[l] }])),
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  initAsync: false,
});

function applyToPage(lang: Language) {
  document.documentElement.lang = lang;
  // The core writes export headings and table notes in the interface language.
  getBridge()
    .call('app.setLanguage', { language: lang })
    .catch(() => undefined);
}

/**
 * t() for render code: the root remounts on a language change (main.tsx), so every text drawn
 * with it follows the switch without each component holding a hook.
 */
export const t: I18n['t'] = i18n.t.bind(i18n);

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** The switch in settings: changes every page at once and is remembered for the next start. */
export async function setLanguage(lang: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still applied.
  }
  await i18n.changeLanguage(lang);
  applyToPage(lang);
}

/** A number in the interface language's conventions (Intl), for render code. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLanguage(), options).format(n);
}

/** A date (an ISO string or epoch ms) in the interface language's conventions. */
export function formatDate(value: string | number | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  return new Intl.DateTimeFormat(currentLanguage(), options).format(new Date(value));
}

export function startI18n(): void {
  applyToPage(currentLanguage());
}

/** Numbers and dates in the interface language's conventions (Intl). */
export function useFormat() {
  const { i18n: inst } = useTranslation();
  const lang = isLanguage(inst.language) ? inst.language : 'en';
  return {
    lang,
    number: (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(lang, options).format(n),
    date: (value: string | number | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }) =>
      new Intl.DateTimeFormat(lang, options).format(new Date(value)),
    dateTime: (value: string | number | Date) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)),
  };
}

export { useTranslation };
