import { useState } from 'react';
import type { AgreementStats } from '../../../../shared/contract/coding';
import { useAction, useCall } from '../../api/hooks';
import { navigate } from '../../shell/navigation';
import { Button, EmptyState } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { t } from '../../i18n';
import { MachineAgreement } from './MachineAgreement';

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function StatCells({ s }: { s: AgreementStats }) {
  return (
    <>
      <td>{s.units}</td>
      <td>{pct(s.percentAgreement)}</td>
      <td>{fmt(s.cohensKappa)}</td>
      <td>{fmt(s.krippendorffAlpha)}</td>
      <td>{fmt(s.fleissKappa)}</td>
    </>
  );
}

/** Coders, blind mode and the agreement report with its list of disagreements to resolve. */
export function AgreementView() {
  const toast = useToast();
  const session = useCall('coders.list', {});
  const create = useAction('coders.create');
  const choose = useAction('coders.choose');
  const blind = useAction('coders.setBlind');
  const run = useAction('agreement.run');
  const resolve = useAction('agreement.resolve');
  const [lastRun, setLastRun] = useState<{ coderIds: number[]; unit: 'turn' | 'sentence' } | null>(null);
  const rerun = () => lastRun && run.mutate(lastRun, { onError: (e: unknown) => toast.error(e) });
  const [chosen, setChosen] = useState<number[]>([]);
  const [unit, setUnit] = useState<'turn' | 'sentence'>('turn');
  const [name, setName] = useState('');
  const coders = session.data?.coders ?? [];
  const onError = { onError: (e: unknown) => toast.error(e) };
  const report = run.data;
  return (
    <div className="cb-stack">
      <section className="panel cb-stack">
        <h3>{t('coding.agreement.coders')}</h3>
        <div className="cb-row cb-wrap">
          <label className="cb-inline">
            Coding as{' '}
            <select aria-label={t('coding.agreement.currentCoder')} value={session.data?.currentCoderId ?? ''} onChange={(e) => choose.mutate({ id: Number(e.target.value) }, onError)}>
              {coders.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.codingCount})
                </option>
              ))}
            </select>
          </label>
          <label className="cb-inline">
            <input type="checkbox" checked={session.data?.blind ?? false} onChange={(e) => blind.mutate({ blind: e.target.checked }, onError)} /> Blind mode (each coder sees only their own codings)
          </label>
          <input aria-label={t('coding.agreement.newCoderAria')} placeholder={t('coding.agreement.newCoder')} value={name} onChange={(e) => setName(e.target.value)} />
          <Button disabled={!name.trim()} onClick={() => create.mutate({ name: name.trim() }, { onSuccess: () => setName(''), ...onError })}>
            {t('coding.agreement.addCoder')}
          </Button>
        </div>
      </section>
      <section className="panel cb-stack">
        <h3>{t('coding.agreement.agreement')}</h3>
        {coders.length < 2 ? (
          <p className="muted">{t('coding.agreement.addSecond')}</p>
        ) : (
          <div className="cb-row cb-wrap">
            {coders.map((c) => (
              <label key={c.id} className="cb-inline">
                <input
                  type="checkbox"
                  checked={chosen.includes(c.id)}
                  onChange={(e) => setChosen((list) => (e.target.checked ? [...list, c.id] : list.filter((x) => x !== c.id)))}
                />{' '}
                {c.name}
              </label>
            ))}
            <select aria-label={t('coding.agreement.unit')} value={unit} onChange={(e) => setUnit(e.target.value as 'turn' | 'sentence')}>
              <option value="turn">{t('coding.agreement.perTurn')}</option>
              <option value="sentence">{t('coding.agreement.perSentence')}</option>
            </select>
            <Button variant="primary" disabled={chosen.length < 2} onClick={() => {
                setLastRun({ coderIds: chosen, unit });
                run.mutate({ coderIds: chosen, unit }, onError);
              }}>
              {t('coding.agreement.compare')}
            </Button>
          </div>
        )}
        {report && (
          <>
            <table className="grid-table" data-testid="agreement-table">
              <thead>
                <tr>
                  <th>{t('coding.agreement.code')}</th>
                  <th>{t('coding.agreement.units')}</th>
                  <th>{t('coding.agreement.agreement')}</th>
                  <th>{t('coding.agreement.cohen')}</th>
                  <th>{t('coding.agreement.kripp')}</th>
                  <th>{t('coding.agreement.fleiss')}</th>
                </tr>
              </thead>
              <tbody>
                {report.perCode.map((c) => (
                  <tr key={c.codeId}>
                    <td>{c.codeName}</td>
                    <StatCells s={c} />
                  </tr>
                ))}
                <tr>
                  <th>{t('coding.agreement.allCodes')}</th>
                  <StatCells s={report.overall} />
                </tr>
              </tbody>
            </table>
            <p className="muted">
              Units are {report.unit === 'turn' ? 'turns (answers in open-ended questions)' : 'sentences'} in {report.documents} document(s); a coder who coded nothing in a document counts as missing there.
            </p>
            <h3>Disagreements ({report.disagreements.length})</h3>
            {report.disagreements.length === 0 ? (
              <EmptyState title={t('coding.agreement.noDisagreements')}>{t('coding.agreement.noDisagreementsText')}</EmptyState>
            ) : (
              <table className="grid-table">
                <tbody>
                  {report.disagreements.slice(0, 500).map((d, i) => (
                    <tr key={i}>
                      <td>{d.codeName}</td>
                      <td className="cb-quote-cell">{d.text}</td>
                      <td>{t('coding.agreement.yes', { names: d.appliedBy.map((id) => coders.find((c) => c.id === id)?.name).join(', ') })}</td>
                      <td>{t('coding.agreement.no', { names: d.notAppliedBy.map((id) => coders.find((c) => c.id === id)?.name).join(', ') })}</td>
                      <td className="cb-nowrap">
                        <button type="button" className="link" onClick={() => navigate(`codebook/code/${d.documentId}?at=${d.unitStart}`)}>
                          {t('coding.agreement.read')}
                        </button>{' '}
                        {(['apply', 'remove'] as const).map((decision) => (
                          <Button
                            key={decision}
                            onClick={() =>
                              resolve.mutate(
                                { documentId: d.documentId, unitStart: d.unitStart, unitEnd: d.unitEnd, codeId: d.codeId, coderIds: report.coders.map((c) => c.id), decision },
                                { onSuccess: rerun, ...onError },
                              )
                            }
                            title={decision === 'apply' ? t('coding.agreement.applyTitle') : t('coding.agreement.removeTitle')}
                          >
                            {decision === 'apply' ? t('coding.agreement.allYes') : t('coding.agreement.allNo')}
                          </Button>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
      <MachineAgreement unit={unit} />
    </div>
  );
}
