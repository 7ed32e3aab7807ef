import i18next, { type TFunction } from 'i18next';
import { catalogs, LANGUAGES, type Language } from '../../shared/i18n/index';

/**
 * What the core writes for people (export headings, table method notes, CLI messages) in the
 * chosen language, through the same i18next and the same catalogs as the renderer. Data (question
 * texts, quotes, names) never goes through here.
 */
const instance = i18next.createInstance();
void instance.init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogs[l] }])),
  interpolation: { escapeValue: false },
  initAsync: false,
});

const fixed = new Map<Language, TFunction>();

/** A t() bound to one language (the instance is shared; a bound function never switches under a caller). */
export function translator(language: Language | undefined): TFunction {
  const lang = language ?? 'en';
  let t = fixed.get(lang);
  if (!t) {
    t = instance.getFixedT(lang);
    fixed.set(lang, t);
  }
  return t;
}

/** Numbers in the language's conventions (Intl), for text the core writes. */
export function formatNumber(language: Language | undefined, n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(language ?? 'en', options).format(n);
}
