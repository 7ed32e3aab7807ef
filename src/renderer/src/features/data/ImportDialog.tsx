import { useEffect, useMemo, useState } from 'react';
import type { SurveyImportResult, SurveyOverrides, SurveyPreview } from '../../../../shared/contract/survey';
import { getBridge } from '../../api/bridge';
import { errorMessage, useJob } from '../../api/hooks';
import { Button, Dialog, Field, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { ImportSummary } from './ImportSummary';
import { PreviewColumns } from './PreviewColumns';
import { formatNumber, t } from '../../i18n';

const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'macintosh', 'iso-8859-1'];

interface Props {
  /** Files waiting to be imported, one preview after the other. */
  files: string[];
  onDone(datasetId: number | null): void;
}

/** The overrides that change what the reader makes (question texts do not: no new preview for them). */
function structural(overrides: SurveyOverrides): SurveyOverrides {
  const { labels: _labels, groupLabels: _groupLabels, idColumn: _id, weightColumn: _weight, ...rest } = overrides;
  return rest;
}

/**
 * Preview of one survey file with every guess, its reason, and everything the user may change:
 * encoding, sheet, each column's type, question text, group, the order of its answers and which
 * of them are missing or non-substantive, the id and weight columns, the dataset name and wave.
 * A change previews the file again with it, so what is shown is what the import makes. After the
 * import, its summary: respondents, questions by type, metadata columns, warnings.
 */
export function ImportDialog({ files, onDone }: Props) {
  const [index, setIndex] = useState(0);
  const file = files[index];
  const [encoding, setEncoding] = useState<string | undefined>(undefined);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<SurveyPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [wave, setWave] = useState('');
  const [edits, setEdits] = useState<SurveyOverrides>({});
  const [idColumn, setIdColumn] = useState('');
  const [weightColumn, setWeightColumn] = useState('');
  const [imported, setImported] = useState<SurveyImportResult | null>(null);
  const job = useJob();
  const toast = useToast();
  const [lastDataset, setLastDataset] = useState<number | null>(null);

  // What the reader must know: a new preview when it changes (typing a question text needs none).
  const readKey = JSON.stringify(structural(edits));
  useEffect(() => {
    if (!file) return;
    let live = true;
    setError(null);
    const overrides = JSON.parse(readKey) as SurveyOverrides;
    getBridge()
      .call('survey.preview', { path: file, ...(encoding ? { encoding } : {}), ...(sheet ? { sheet } : {}), ...(Object.keys(overrides).length ? { overrides } : {}) })
      .then((p) => {
        if (!live) return;
        setPreview(p);
        setName((current) => current || p.suggestedName);
        setIdColumn((current) => current || p.idColumn || '');
        setWeightColumn((current) => current || p.weightColumn || '');
      })
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [file, encoding, sheet, readKey]);

  const next = (datasetId: number | null) => {
    setImported(null);
    if (index + 1 < files.length) {
      setIndex(index + 1);
      setPreview(null);
      setEncoding(undefined);
      setSheet(undefined);
      setName('');
      setEdits({});
      setIdColumn('');
      setWeightColumn('');
      setLastDataset(datasetId ?? lastDataset);
    } else onDone(datasetId ?? lastDataset);
  };

  const overrides = useMemo<SurveyOverrides>(
    () => ({
      ...edits,
      ...(idColumn && idColumn !== preview?.idColumn ? { idColumn } : {}),
      ...(weightColumn && weightColumn !== preview?.weightColumn ? { weightColumn } : {}),
    }),
    [edits, idColumn, weightColumn, preview],
  );

  const runImport = async () => {
    if (!file || !preview) return;
    try {
      const result = await job.run(
        'survey.import',
        {
          path: file,
          ...(encoding ? { encoding } : {}),
          ...(sheet ? { sheet } : {}),
          name: name.trim() || preview.suggestedName,
          wave: wave.trim(),
          ...(Object.keys(overrides).length ? { overrides } : {}),
        },
        t('data.import.importing', { file: preview.fileName }),
      );
      setLastDataset(result.datasetId);
      setImported(result);
    } catch (e) {
      toast.error(e);
    }
  };

  if (imported) {
    const more = index + 1 < files.length;
    return (
      <Dialog
        title={`Imported ${imported.name}`}
        open
        onClose={() => next(imported.datasetId)}
        wide
        footer={
          <Button variant="primary" data-testid="import-summary-done" onClick={() => next(imported.datasetId)} autoFocus>
            {more ? t('data.import.nextFile') : t('data.import.done')}
          </Button>
        }
      >
        <ImportSummary result={imported} />
      </Dialog>
    );
  }

  return (
    <>
      <Dialog title={files.length > 1 ? t('data.import.titleOf', { index: index + 1, total: files.length }) : t('data.import.title')} open={!job.state} onClose={() => onDone(lastDataset)} wide
        footer={
          <>
            {files.length > 1 && <Button onClick={() => next(null)}>{t('data.import.skip')}</Button>}
            <Button onClick={() => onDone(lastDataset)}>{t('common.cancel')}</Button>
            <Button variant="primary" data-testid="survey-import-confirm" disabled={!preview} onClick={() => void runImport()}>
              Import
            </Button>
          </>
        }
      >
        {error && (
          <p className="data-error" role="alert" data-testid="survey-preview-error">
            {error}
          </p>
        )}
        {!preview && !error && <Spinner label={t('data.import.reading')} />}
        {preview && (
          <div className="data-preview" data-testid="survey-preview">
            <p>
              <strong>{preview.fileName}</strong>: <span data-testid="survey-format">{preview.format}</span>,{' '}
              {t('data.import.headline', {
                headerRows: preview.headerRows,
                rows: `${formatNumber(preview.rowsRead)}${preview.truncated ? '+' : ''}`,
                columns: preview.columns.length,
                variables: preview.variableCount,
              })}
            </p>
            <div className="data-form-row">
              <Field label={t('data.import.datasetName')}>
                <input value={name} onChange={(e) => setName(e.target.value)} data-testid="survey-name" />
              </Field>
              <Field label={t('data.import.wave')} hint={t('data.import.waveHint')}>
                <input value={wave} onChange={(e) => setWave(e.target.value)} data-testid="survey-wave" />
              </Field>
              <Field label={t('data.import.encoding')} hint={t('data.import.detected', { reason: preview.encodingReason })}>
                <select value={encoding ?? preview.encoding} onChange={(e) => setEncoding(e.target.value)} data-testid="survey-encoding">
                  {[...new Set([preview.encoding, ...ENCODINGS])].map((enc) => (
                    <option key={enc} value={enc}>
                      {enc}
                    </option>
                  ))}
                </select>
              </Field>
              {preview.sheets.length > 1 && (
                <Field label={t('data.import.sheet')}>
                  <select value={sheet ?? preview.sheet ?? ''} onChange={(e) => setSheet(e.target.value)}>
                    {preview.sheets.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </Field>
              )}
              <Field label={t('data.import.respondentId')}>
                <select value={idColumn} onChange={(e) => setIdColumn(e.target.value)}>
                  <option value="">{t('data.import.noneOption')}</option>
                  {preview.columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </Field>
              <Field label={t('data.import.weight')}>
                <select value={weightColumn} onChange={(e) => setWeightColumn(e.target.value)}>
                  <option value="">{t('data.import.noneOption')}</option>
                  {preview.columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </Field>
            </div>
            {preview.warnings.map((w) => (
              <p key={w} className="data-warning" role="note">
                {w}
              </p>
            ))}
            <p className="muted small">
              {t('data.import.guessNote')}
            </p>
            <div className="data-scroll">
              <PreviewColumns columns={preview.columns} overrides={edits} onChange={setEdits} />
            </div>
            <details>
              <summary>{t('data.import.firstRows')}</summary>
              <div className="data-scroll">
                <table className="grid-table small">
                  <tbody>
                    {[...preview.headerText, ...preview.firstRows.slice(0, 8)].map((row, i) => (
                      <tr key={i} className={i < preview.headerText.length ? 'data-header-row' : ''}>
                        {row.slice(0, 30).map((cell, j) => (
                          <td key={j}>{cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </div>
        )}
      </Dialog>
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </>
  );
}
