import { LANGUAGE_NAMES, LANGUAGES, isLanguage } from '../../../shared/i18n/index';
import { setLanguage, useFormat, useTranslation } from '../i18n';

/** Settings: the interface language (remembered; the first start follows the system). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { lang } = useFormat();
  return (
    <label className="language-switch" title={t('shell.languageHint')}>
      <span className="field-label">{t('common.language')}</span>
      <select
        data-testid="language"
        value={lang}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void setLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
