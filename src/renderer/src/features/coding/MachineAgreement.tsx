import { useState } from 'react';
import type { SuggestAgreementResult } from '../../../../shared/contract/suggest';
import { useJob } from '../../api/hooks';
import { Button, ProgressDialog } from '../../ui/components';
import { useToast } from '../../ui/toast';

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * "Fieldbook suggestions" as one more coder: how far the machine agrees with each person before
 * the team leans on it. Each document is judged by a model that never saw its coding.
 */
export function MachineAgreement({ unit }: { unit: 'turn' | 'sentence' }) {
  const toast = useToast();
  const job = useJob();
  const [report, setReport] = useState<SuggestAgreementResult | null>(null);
  const compare = async () => {
    try {
      setReport(await job.run('suggest.agreement', { unit }, 'Comparing with Fieldbook suggestions'));
    } catch (error) {
      toast.error(error);
    }
  };
  return (
    <section className="panel cb-stack" data-testid="machine-agreement">
      <h3>Fieldbook suggestions as a coder</h3>
      <div className="cb-row">
        <Button onClick={() => void compare()} data-testid="machine-agreement-run">
          Compare suggestions with each coder
        </Button>
      </div>
      {report && (
        <>
          <table className="grid-table" data-testid="machine-agreement-table">
            <thead>
              <tr>
                <th>Coder</th>
                <th>Code</th>
                <th>Units both judged</th>
                <th>Agreement</th>
                <th>Cohen’s κ</th>
                <th>Krippendorff’s α</th>
              </tr>
            </thead>
            <tbody>
              {report.perCoder.flatMap((p) => [
                ...p.perCode.map((c) => (
                  <tr key={`${p.coder.id}-${c.codeId}`}>
                    <td>{p.coder.name} vs {report.name}</td>
                    <td>{c.codeName}</td>
                    <td>{c.units}</td>
                    <td>{pct(c.percentAgreement)}</td>
                    <td>{fmt(c.cohensKappa)}</td>
                    <td>{fmt(c.krippendorffAlpha)}</td>
                  </tr>
                )),
                <tr key={`${p.coder.id}-all`}>
                  <th>{p.coder.name} vs {report.name}</th>
                  <th>All codes</th>
                  <td>{p.overall.units}</td>
                  <td>{pct(p.overall.percentAgreement)}</td>
                  <td>{fmt(p.overall.cohensKappa)}</td>
                  <td>{fmt(p.overall.krippendorffAlpha)}</td>
                </tr>,
              ])}
            </tbody>
          </table>
          <p className="muted">
            Each of {report.documents} documents was judged by a model that learned only from the others ({report.folds} folds). {report.viaSuggestions.total} quote(s) were
            coded by accepting a suggestion
            {report.viaSuggestions.perCoder.length > 0 && ` (${report.viaSuggestions.perCoder.map((c) => `${c.name}: ${c.quotes}`).join(', ')})`}; each stays the coding of
            the person who accepted it.
          </p>
        </>
      )}
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </section>
  );
}
