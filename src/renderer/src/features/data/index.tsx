import { useEffect, useMemo, useState, type DragEvent } from 'react';
import type { DatasetSummary, VariableSummary } from '../../../../shared/contract/survey';
import { getBridge } from '../../api/bridge';
import { useAction, useCall } from '../../api/hooks';
import { Button, EmptyState, PageHeader, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { ImportDialog } from './ImportDialog';
import { typeName } from './types';
import { RespondentGrid } from './RespondentGrid';
import './data.css';
import { formatNumber, t } from '../../i18n';

const surveyFilters = () => [{ name: t('data.surveyFiles'), extensions: ['csv', 'tsv', 'txt', 'tab', 'xlsx', 'sav', 'zsav', 'por'] }];

type Tab = 'variables' | 'respondents' | 'waves';

export default function DataPage() {
  const datasets = useCall('survey.datasets', {});
  const [files, setFiles] = useState<string[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>('variables');
  const [dragging, setDragging] = useState(false);
  const toast = useToast();

  const list = useMemo(() => datasets.data ?? [], [datasets.data]);
  useEffect(() => {
    if (list.length > 0 && (selected === null || !list.some((d) => d.id === selected))) setSelected(list[list.length - 1]!.id);
  }, [list, selected]);

  const pick = async () => {
    try {
      const chosen = await getBridge().openFiles({ title: t('data.importTitle'), filters: surveyFilters(), multiple: true });
      if (chosen && chosen.length) setFiles(chosen);
    } catch (e) {
      toast.error(e);
    }
  };

  // The host menu's File → Import survey lands here too.
  useEffect(() => getBridge().onMenu((command) => command === 'import.survey' && void pick()));

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = Array.from(event.dataTransfer.files);
    if (dropped.length === 0) return;
    // Replacing the open dialog would lose an import in progress (and its Cancel button).
    if (files) {
      toast.show({ kind: 'info', text: t('data.importOpen') });
      return;
    }
    try {
      const paths = await getBridge().filesFromDrop(dropped);
      // In the desktop app a file dragged out of a zip or a browser has no path on disk.
      if (paths.length === 0) toast.show({ kind: 'info', text: t('data.notOnDisk') });
      else setFiles(paths);
    } catch (e) {
      toast.error(e);
    }
  };

  const dataset = list.find((d) => d.id === selected) ?? null;

  return (
    <div
      className={`page ${dragging ? 'data-dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        // Moving onto a child of the page is not leaving it (no flicker while dragging over the list).
        if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setDragging(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      <PageHeader title="Data">
        <Button variant="primary" data-testid="import-survey" onClick={() => void pick()}>
          {t('data.importButton')}
        </Button>
      </PageHeader>
      {datasets.isLoading && <Spinner />}
      {!datasets.isLoading && list.length === 0 && (
        <EmptyState
          title={t('data.emptyTitle')}
          actions={
            <Button variant="primary" onClick={() => void pick()}>
              {t('data.importButton')}
            </Button>
          }
        >
          {t('data.emptyText')}
        </EmptyState>
      )}
      {list.length > 0 && (
        <div className="data-layout">
          <DatasetList datasets={list} selected={selected} onSelect={setSelected} />
          {dataset && (
            <section className="data-main" aria-label={t('data.datasetAria', { name: dataset.name })}>
              <div className="tabs" role="tablist">
                {(['variables', 'respondents', 'waves'] as const).map((id) => (
                  <button key={id} type="button" role="tab" className="tab" aria-selected={tab === id} onClick={() => setTab(id)} data-testid={`data-tab-${id}`}>
                    {id === 'variables' ? t('data.tabVariables') : id === 'respondents' ? t('data.tabRespondents') : t('data.tabWaves')}
                  </button>
                ))}
              </div>
              {tab === 'variables' && <VariablesTab datasetId={dataset.id} />}
              {tab === 'respondents' && <RespondentsTab datasetId={dataset.id} />}
              {tab === 'waves' && <WavesTab />}
            </section>
          )}
        </div>
      )}
      {files && (
        <ImportDialog
          key={files.join('\n')}
          files={files}
          onDone={(datasetId) => {
            setFiles(null);
            if (datasetId !== null) {
              setSelected(datasetId);
              setTab('variables');
            }
          }}
        />
      )}
    </div>
  );
}

function DatasetList({ datasets, selected, onSelect }: { datasets: DatasetSummary[]; selected: number | null; onSelect: (id: number) => void }) {
  const remove = useAction('survey.deleteDataset');
  const rename = useAction('survey.renameDataset');
  const toast = useToast();
  return (
    <aside className="data-datasets" aria-label={t('data.datasets')}>
      <h2 className="data-side-title">{t('data.datasets')}</h2>
      <ul>
        {datasets.map((d) => (
          <li key={d.id}>
            <button type="button" className={`data-dataset ${d.id === selected ? 'active' : ''}`} onClick={() => onSelect(d.id)} data-testid="dataset-item">
              <span className="data-dataset-name">{d.name}</span>
              <span className="muted small">
                {d.wave ? <span className="badge">{t('data.wave', { wave: d.wave })}</span> : null}{' '}
                {t('data.datasetLine', { respondents: formatNumber(d.rowCount), variables: formatNumber(d.variableCount), format: d.format })}
              </span>
            </button>
            {d.id === selected && (
              <Button
                variant="ghost"
                className="small"
                data-testid="dataset-wave"
                onClick={() => {
                  const wave = window.prompt(t('data.wavePrompt', { name: d.name }), d.wave);
                  if (wave === null) return;
                  rename.mutate({ datasetId: d.id, wave: wave.trim() }, { onError: (e) => toast.error(e) });
                }}
              >
                {t('data.setWave')}
              </Button>
            )}
            {d.id === selected && (
              <Button
                variant="ghost"
                className="btn-danger small"
                onClick={() => {
                  if (!window.confirm(d.wave ? t('data.deleteConfirmWave', { name: d.name, wave: d.wave }) : t('data.deleteConfirm', { name: d.name }))) return;
                  remove.mutate({ datasetId: d.id }, { onError: (e) => toast.error(e) });
                }}
              >
                {t('data.deleteDataset')}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function labelsText(v: VariableSummary): string {
  if (v.type === 'multi') {
    const chosen = v.valueLabels.find((l) => l.code === 1)?.count ?? 0;
    return t('data.selected', { count: formatNumber(chosen) });
  }
  const shown = v.valueLabels.slice(0, 7).map((l) => `${l.label}${l.missing ? t('data.missingTag') : l.nonsubstantive ? t('data.nonsubstantiveTag') : ''}: ${formatNumber(l.count)}`);
  return v.valueLabels.length > 7 ? `${shown.join(' · ')} … (${v.valueLabels.length})` : shown.join(' · ');
}

function missingText(v: VariableSummary): string {
  const parts = v.missing.values.map(String);
  if (v.missing.range) parts.push(`${v.missing.range.low}–${v.missing.range.high}`);
  return parts.join(', ');
}

function VariablesTab({ datasetId }: { datasetId: number }) {
  const variables = useCall('survey.variables', { datasetId });
  const [query, setQuery] = useState('');
  if (variables.isLoading) return <Spinner />;
  if (variables.error) return <p className="data-error">{variables.error.message}</p>;
  const q = query.trim().toLowerCase();
  const shown = (variables.data ?? []).filter(
    (v) => !q || v.name.toLowerCase().includes(q) || v.label.toLowerCase().includes(q) || (v.optionLabel ?? '').toLowerCase().includes(q),
  );
  return (
    <div className="data-tab-body">
      <input className="data-search" placeholder={t('data.findVariable')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('data.findVariableAria')} />
      <div className="data-scroll data-variables">
        <table className="grid-table" data-testid="variables-table">
          <thead>
            <tr>
              <th>{t('data.colName')}</th>
              <th>{t('data.colQuestion')}</th>
              <th>{t('data.colType')}</th>
              <th>{t('data.colValueLabels')}</th>
              <th>{t('data.colMissingValues')}</th>
              <th>{t('data.colValid')}</th>
              <th>{t('data.colMissing')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((v) => (
              <tr key={v.id}>
                <td className="mono">{v.name}</td>
                <td>
                  {v.optionLabel ? (
                    <>
                      {v.groupLabel ?? v.label}
                      <div className="muted small">— {v.optionLabel}</div>
                    </>
                  ) : (
                    v.label
                  )}
                </td>
                <td>
                  {typeName(v.type)}
                  {v.concept && <div className="muted small">{v.conceptConfirmed ? t('data.matchedWaves') : t('data.matchToReview')}</div>}
                </td>
                <td className="small">{labelsText(v)}</td>
                <td className="small">{missingText(v)}</td>
                <td>{formatNumber(v.valid)}</td>
                <td>{formatNumber(v.missingCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function RespondentsTab({ datasetId }: { datasetId: number }) {
  const variables = useCall('survey.variables', { datasetId });
  if (variables.isLoading || !variables.data) return <Spinner />;
  return <RespondentGrid key={datasetId} datasetId={datasetId} variables={variables.data} />;
}

function WavesTab() {
  const matches = useCall('survey.waveMatches', {});
  const confirm = useAction('survey.confirmMatch');
  const toast = useToast();
  if (matches.isLoading) return <Spinner />;
  const list = matches.data ?? [];
  if (list.length === 0) {
    return (
      <p className="muted data-tab-body">
        {t('data.noMatches')}
      </p>
    );
  }
  return (
    <div className="data-tab-body data-scroll" data-testid="wave-matches">
      <p className="muted">
        {t('data.toReview', { open: list.filter((m) => !m.confirmed).length, total: list.length })}
      </p>
      <table className="grid-table">
        <thead>
          <tr>
            <th>{t('data.colQuestionEachWave')}</th>
            <th>{t('data.colMatchedBy')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={m.concept}>
              <td>
                {m.variables.map((v) => (
                  <div key={v.id}>
                    <span className="badge">{v.wave || v.datasetName}</span> <span className="mono">{v.name}</span> {v.label}
                    {v.optionLabel ? ` — ${v.optionLabel}` : ''}
                  </div>
                ))}
              </td>
              <td className="small">{[...new Set(m.variables.map((v) => v.basis).filter(Boolean))].join(', ')}</td>
              <td>
                {m.confirmed ? (
                  <span className="badge">{t('data.confirmed')}</span>
                ) : (
                  <span className="data-actions">
                    <Button onClick={() => confirm.mutate({ variableIds: m.variables.map((v) => v.id), accept: true }, { onError: (e) => toast.error(e) })}>{t('data.sameQuestion')}</Button>
                    <Button
                      variant="ghost"
                      onClick={() => confirm.mutate({ variableIds: m.variables.filter((v) => v.basis !== null).map((v) => v.id), accept: false }, { onError: (e) => toast.error(e) })}
                    >
                      {t('data.notSame')}
                    </Button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
