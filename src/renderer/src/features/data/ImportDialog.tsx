import { useEffect, useMemo, useState } from 'react';
import type { SurveyOverrides, SurveyPreview, SurveyVariableType } from '../../../../shared/contract/survey';
import { SURVEY_VARIABLE_TYPES } from '../../../../shared/contract/survey';
import { getBridge } from '../../api/bridge';
import { errorMessage, useJob } from '../../api/hooks';
import { Button, Dialog, Field, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';

const TYPE_NAMES: Record<SurveyVariableType, string> = {
  single: 'Single choice',
  multi: 'Multi-select',
  ordinal: 'Ordinal / Likert',
  numeric: 'Numeric',
  text: 'Open text',
  date: 'Date',
  id: 'Respondent id',
  weight: 'Weight',
  metadata: 'Metadata',
};

const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'macintosh', 'iso-8859-1'];

export function typeName(type: SurveyVariableType): string {
  return TYPE_NAMES[type];
}

interface Props {
  /** Files waiting to be imported, one preview after the other. */
  files: string[];
  onDone(datasetId: number | null): void;
}

/**
 * Preview of one survey file with everything the user may change: encoding, sheet, each
 * column's type and question text, the id and weight columns, the dataset name and wave.
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
  const [types, setTypes] = useState<Record<string, SurveyVariableType>>({});
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [idColumn, setIdColumn] = useState('');
  const [weightColumn, setWeightColumn] = useState('');
  const job = useJob();
  const toast = useToast();
  const [lastDataset, setLastDataset] = useState<number | null>(null);

  useEffect(() => {
    if (!file) return;
    let live = true;
    setPreview(null);
    setError(null);
    getBridge()
      .call('survey.preview', { path: file, ...(encoding ? { encoding } : {}), ...(sheet ? { sheet } : {}) })
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
  }, [file, encoding, sheet]);

  const next = (datasetId: number | null) => {
    if (index + 1 < files.length) {
      setIndex(index + 1);
      setEncoding(undefined);
      setSheet(undefined);
      setName('');
      setTypes({});
      setLabels({});
      setIdColumn('');
      setWeightColumn('');
      setLastDataset(datasetId ?? lastDataset);
    } else onDone(datasetId ?? lastDataset);
  };

  const overrides = useMemo<SurveyOverrides>(
    () => ({
      ...(Object.keys(types).length ? { types } : {}),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(idColumn && idColumn !== preview?.idColumn ? { idColumn } : {}),
      ...(weightColumn && weightColumn !== preview?.weightColumn ? { weightColumn } : {}),
    }),
    [types, labels, idColumn, weightColumn, preview],
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
        `Importing ${preview.fileName}`,
      );
      toast.show({
        kind: 'success',
        text: `Imported ${result.name}: ${result.rowCount} respondents, ${result.variableCount} variables${result.matched ? `, ${result.matched} matched to an earlier wave` : ''}.`,
      });
      next(result.datasetId);
    } catch (e) {
      toast.error(e);
    }
  };

  return (
    <>
      <Dialog title={`Import survey${files.length > 1 ? ` (${index + 1} of ${files.length})` : ''}`} open={!job.state} onClose={() => onDone(lastDataset)} wide
        footer={
          <>
            {files.length > 1 && <Button onClick={() => next(null)}>Skip this file</Button>}
            <Button onClick={() => onDone(lastDataset)}>Cancel</Button>
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
        {!preview && !error && <Spinner label="Reading the file…" />}
        {preview && (
          <div className="data-preview" data-testid="survey-preview">
            <p>
              <strong>{preview.fileName}</strong>: <span data-testid="survey-format">{preview.format}</span>, {preview.headerRows} header{' '}
              {preview.headerRows === 1 ? 'row' : 'rows'}, {preview.rowsRead}
              {preview.truncated ? '+' : ''} respondents, {preview.columns.length} columns ({preview.variableCount} variables).
            </p>
            <div className="data-form-row">
              <Field label="Dataset name">
                <input value={name} onChange={(e) => setName(e.target.value)} data-testid="survey-name" />
              </Field>
              <Field label="Wave" hint="e.g. 2025; waves are compared in tables">
                <input value={wave} onChange={(e) => setWave(e.target.value)} data-testid="survey-wave" />
              </Field>
              <Field label="Encoding" hint={`detected: ${preview.encodingReason}`}>
                <select value={encoding ?? preview.encoding} onChange={(e) => setEncoding(e.target.value)} data-testid="survey-encoding">
                  {[...new Set([preview.encoding, ...ENCODINGS])].map((enc) => (
                    <option key={enc} value={enc}>
                      {enc}
                    </option>
                  ))}
                </select>
              </Field>
              {preview.sheets.length > 1 && (
                <Field label="Sheet">
                  <select value={sheet ?? preview.sheet ?? ''} onChange={(e) => setSheet(e.target.value)}>
                    {preview.sheets.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </Field>
              )}
              <Field label="Respondent id">
                <select value={idColumn} onChange={(e) => setIdColumn(e.target.value)}>
                  <option value="">(none)</option>
                  {preview.columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </Field>
              <Field label="Weight">
                <select value={weightColumn} onChange={(e) => setWeightColumn(e.target.value)}>
                  <option value="">(none)</option>
                  {preview.columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </Field>
            </div>
            {preview.warnings.map((w) => (
              <p key={w} className="muted">
                {w}
              </p>
            ))}
            <div className="data-scroll">
              <table className="grid-table" data-testid="survey-preview-columns">
                <thead>
                  <tr>
                    <th>Column</th>
                    <th>Type</th>
                    <th>Question</th>
                    <th>Answers</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.columns.map((c) => (
                    <tr key={c.name}>
                      <td className="mono">{c.name}</td>
                      <td>
                        <select
                          aria-label={`Type of ${c.name}`}
                          value={types[c.name] ?? c.type}
                          onChange={(e) => setTypes({ ...types, [c.name]: e.target.value as SurveyVariableType })}
                        >
                          {SURVEY_VARIABLE_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {TYPE_NAMES[t]}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          aria-label={`Question text of ${c.name}`}
                          className="data-question-input"
                          value={labels[c.name] ?? c.label}
                          onChange={(e) => setLabels({ ...labels, [c.name]: e.target.value })}
                        />
                        {c.optionLabel && <div className="muted small">option: {c.optionLabel}</div>}
                      </td>
                      <td className="small">
                        {c.valueLabels.length > 0
                          ? c.valueLabels.slice(0, 8).map((l) => `${l.label}${l.missing ? ' (missing)' : ''}`).join(' · ')
                          : c.samples.slice(0, 3).join(' · ')}
                        {c.valueLabels.length > 8 && ` … (${c.valueLabels.length})`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <details>
              <summary>First rows as in the file</summary>
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
