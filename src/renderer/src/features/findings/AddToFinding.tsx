import { useAction, useCall } from '../../api/hooks';
import { useToast } from '../../ui/toast';
import { t } from '../../i18n';

/** "Add to a finding" for a quote in the reading view: the quote joins the chosen finding's quotes. */
export function AddToFinding({ segmentId }: { segmentId: number }) {
  const report = useCall('findings.report', {});
  const add = useAction('findings.addQuote');
  const toast = useToast();
  const findings = report.data?.findings ?? [];
  if (findings.length === 0) return null;
  return (
    <label className="field">
      <span>{t('exports.addToFinding')}</span>
      <select
        data-testid="add-to-finding"
        value=""
        onChange={(e) => {
          const findingId = Number(e.target.value);
          if (!findingId) return;
          add.mutate({ findingId, segmentId }, { onSuccess: () => toast.show({ kind: 'success', text: `Added to finding ${findings.findIndex((f) => f.id === findingId) + 1}.` }), onError: (error) => toast.error(error) });
        }}
      >
        <option value="">{t('exports.chooseFinding')}</option>
        {findings.map((f) => (
          <option key={f.id} value={f.id} disabled={f.quotes.some((q) => q.segmentId === segmentId)}>
            {f.position + 1}. {f.headlineText.slice(0, 80) || '(no headline yet)'}
          </option>
        ))}
      </select>
    </label>
  );
}
