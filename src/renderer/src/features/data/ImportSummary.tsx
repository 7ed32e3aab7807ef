import type { SurveyImportResult } from '../../../../shared/contract/survey';
import { metadataText, questionsText } from '../../../../shared/survey-summary';

/** What an import made, in counts the user can check against the file. */
export function ImportSummary({ result }: { result: SurveyImportResult }) {
  const { summary } = result;
  const metadata = metadataText(summary, 12);
  return (
    <div className="data-summary" data-testid="import-summary">
      <p>
        <strong>{result.name}</strong>
        {result.wave ? ` (wave ${result.wave})` : ''}: <span data-testid="summary-respondents">{summary.respondents.toLocaleString()} respondents</span>,{' '}
        {result.variableCount} variables ({result.format}).
      </p>
      <ul>
        <li data-testid="summary-questions">{questionsText(summary)}.</li>
        <li>
          {summary.openTextDocuments} open-answer document{summary.openTextDocuments === 1 ? '' : 's'} (searchable, codable).
        </li>
        {summary.idColumn && <li>Respondent id: {summary.idColumn}.</li>}
        {summary.weightColumn && <li>Weight: {summary.weightColumn}.</li>}
        {metadata && <li data-testid="summary-metadata">{metadata}.</li>}
        {result.matched > 0 && <li>{result.matched} variables match an earlier wave: review them in Data → Waves.</li>}
      </ul>
      {summary.warnings.length > 0 && (
        <>
          <h3>
            {summary.warnings.length} warning{summary.warnings.length === 1 ? '' : 's'}
          </h3>
          <ul data-testid="summary-warnings">
            {summary.warnings.map((w) => (
              <li key={w.message}>
                <span className="mono">{w.column ?? 'the file'}</span>: {w.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
