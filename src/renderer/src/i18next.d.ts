import type { Catalog } from '../../shared/i18n/index';

// Typed keys: a t('…') of a key the English catalog lacks fails typecheck.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Catalog };
    returnNull: false;
  }
}
