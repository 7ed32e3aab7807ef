import type { Catalog } from '../../shared/i18n/index';

// Typed keys in the core too: a t('…') of a key the English catalog lacks fails typecheck.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Catalog };
  }
}
