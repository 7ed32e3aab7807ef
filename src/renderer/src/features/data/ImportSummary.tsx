import type { SurveyImportResult } from '../../../../shared/contract/survey';
import { metadataText, questionsText } from '../../../../shared/survey-summary';
import { formatNumber, t } from '../../i18n';

/** What an import made, in counts the user can check against the file. */
export function ImportSummary({ result }: { result: SurveyImportResult }) {
  const { summary } = result;
  const metadata = metadataText(summary, 12);
  return (
    <div className="data-summary" data-testid="import-summary">
      <p>
        <strong>{result.name}</strong>
        {result.wave ? ` (${t('data.wave', { wave: result.wave })})` : ''}:{' '}
        <span data-testid="summary-respondents">{t('data.summary.respondents', { count: formatNumber(summary.respondents) })}</span>,{' '}
        {t('data.summary.variablesFormat', { variables: result.variableCount, format: result.format })}
      </p>
      <ul>
        <li data-testid="summary-questions">{questionsText(summary)}.</li>
        <li>
          {t('data.summary.openDocs', { count: summary.openTextDocuments })}
        </li>
        {summary.idColumn && <li>{t('data.summary.idColumn', { name: summary.idColumn })}</li>}
        {summary.weightColumn && <li>{t('data.summary.weightColumn', { name: summary.weightColumn })}</li>}
        {metadata && <li data-testid="summary-metadata">{metadata}.</li>}
        {result.matched > 0 && <li>{t('data.summary.matched', { count: result.matched })}</li>}
      </ul>
      {summary.warnings.length > 0 && (
        <>
          <h3>
            {t('data.summary.warnings', { count: summary.warnings.length })}
          </h3>
          <ul data-testid="summary-warnings">
            {summary.warnings.map((w) => (
              <li key={w.message}>
                <span className="mono">{w.column ?? t('data.summary.theFile')}</span>: {w.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
