import { useState } from 'react';
import type { AttributeInfo, ParticipantInfo, SheetPreview } from '../../../../shared/contract/transcripts';
import { getBridge } from '../../api/bridge';
import { errorMessage, useAction, useCall, useJob } from '../../api/hooks';
import { Button, Dialog, EmptyState, Field, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import '../transcripts/transcripts.css';

/** A cell that saves on Enter or when focus leaves, and puts the old value back on Escape. */
function Cell({ value, label, onSave, testId, placeholder }: { value: string; label: string; onSave: (value: string) => void; testId?: string; placeholder?: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      aria-label={label}
      placeholder={placeholder}
      data-testid={testId}
      value={draft ?? value}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        if (draft !== null && draft !== value) onSave(draft);
        setDraft(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') {
          setDraft(null);
          (e.target as HTMLInputElement).blur();
        }
      }}
    />
  );
}

function SheetDialog({ preview, onClose, onImport }: { preview: SheetPreview | null; onClose: () => void; onImport: (key: string, respondent: string, datasetId: number | null) => void }) {
  const [key, setKey] = useState<string>('');
  const [respondent, setRespondent] = useState<string>('');
  const [dataset, setDataset] = useState<string>('');
  const datasets = useCall('survey.datasets', {}, { enabled: preview !== null, retry: false });
  const keyColumn = key || preview?.suggestedKeyColumn || preview?.columns[0] || '';
  return (
    <Dialog
      title="Import an attribute sheet"
      open={preview !== null}
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" data-testid="sheet-import-confirm" onClick={() => onImport(keyColumn, respondent, dataset ? Number(dataset) : null)}>
            Import {preview?.rowCount ?? 0} participants
          </Button>
        </>
      }
    >
      {preview && (
        <>
          <p className="muted">One row per participant. The other columns become attributes (role, industry, country…); existing participants with the same name are updated.</p>
          <div className="search-bar">
            <Field label="Participant name column">
              <select value={keyColumn} onChange={(e) => setKey(e.target.value)} aria-label="Participant name column">
                {preview.columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </Field>
            <Field label="Survey respondent id column (optional)">
              <select value={respondent} onChange={(e) => setRespondent(e.target.value)} aria-label="Respondent id column">
                <option value="">— none —</option>
                {preview.columns.filter((c) => c !== keyColumn).map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </Field>
            {respondent && (
              <Field label="Survey dataset">
                <select value={dataset} onChange={(e) => setDataset(e.target.value)} aria-label="Survey dataset">
                  <option value="">— choose —</option>
                  {(datasets.data ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                      {d.wave ? ` (${d.wave})` : ''}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </div>
          <table className="grid-table">
            <thead>
              <tr>
                {preview.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Dialog>
  );
}

function valueText(p: ParticipantInfo, a: AttributeInfo): string {
  const v = p.values[String(a.id)];
  return v === null || v === undefined ? '' : String(v);
}

export default function ParticipantsPage() {
  const grid = useCall('participants.list', {});
  const datasets = useCall('survey.datasets', {}, { retry: false });
  const create = useAction('participants.create');
  const update = useAction('participants.update');
  const remove = useAction('participants.delete');
  const addAttribute = useAction('attributes.create');
  const renameAttribute = useAction('attributes.update');
  const removeAttribute = useAction('attributes.delete');
  const toast = useToast();
  const job = useJob();
  const [newName, setNewName] = useState('');
  const [newAttribute, setNewAttribute] = useState('');
  const [newType, setNewType] = useState<'text' | 'number'>('text');
  const [sheet, setSheet] = useState<SheetPreview | null>(null);
  const onError = { onError: (e: unknown) => toast.error(e) };

  const pickSheet = async () => {
    const paths = await getBridge().openFiles({ title: 'Import an attribute sheet', filters: [{ name: 'Sheets', extensions: ['csv', 'tsv', 'xlsx'] }] });
    const file = paths?.[0];
    if (!file) return;
    try {
      setSheet(await getBridge().call('participants.previewSheet', { path: file }));
    } catch (error) {
      toast.error(error);
    }
  };
  const importSheet = async (keyColumn: string, respondentColumn: string, datasetId: number | null) => {
    const preview = sheet;
    setSheet(null);
    if (!preview) return;
    try {
      const result = await job.run(
        'participants.importSheet',
        { path: preview.path, keyColumn, ...(respondentColumn ? { respondentColumn } : {}), ...(datasetId ? { datasetId } : {}) },
        'Importing the attribute sheet',
      );
      toast.show({ kind: 'success', text: `${result.created} participants added, ${result.updated} updated. Ctrl+Z undoes the import.` });
    } catch (error) {
      toast.error(error);
    }
  };

  if (grid.isPending) return <Spinner />;
  if (grid.isError) return <div className="fatal">{errorMessage(grid.error)}</div>;
  const { attributes, participants } = grid.data;
  return (
    <div className="page">
      <PageHeader title="Participants">
        <Button onClick={() => void pickSheet()} data-testid="import-sheet">
          Import attribute sheet
        </Button>
      </PageHeader>
      <form
        className="search-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (newName.trim()) create.mutate({ name: newName.trim() }, { ...onError, onSuccess: () => setNewName('') });
        }}
      >
        <input aria-label="New participant name" placeholder="New participant, e.g. P01" value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="new-participant" />
        <Button type="submit">Add participant</Button>
        <span style={{ width: 24 }} />
        <input aria-label="New attribute name" placeholder="New attribute, e.g. role" value={newAttribute} onChange={(e) => setNewAttribute(e.target.value)} data-testid="new-attribute" />
        <select aria-label="New attribute type" value={newType} onChange={(e) => setNewType(e.target.value as 'text' | 'number')}>
          <option value="text">text</option>
          <option value="number">number</option>
        </select>
        <Button
          onClick={() => newAttribute.trim() && addAttribute.mutate({ name: newAttribute.trim(), type: newType }, { ...onError, onSuccess: () => setNewAttribute('') })}
          data-testid="add-attribute"
        >
          Add attribute
        </Button>
      </form>
      {participants.length === 0 ? (
        <EmptyState title="Participants link quotes to who said them.">
          Add participants with their role, industry and country, or import an attribute sheet (CSV or Excel). Transcripts can name their participant when you import them.
        </EmptyState>
      ) : (
        <div className="panel" style={{ overflow: 'auto' }}>
          <table className="grid-table pgrid" data-testid="participant-grid">
            <thead>
              <tr>
                <th>Name</th>
                {attributes.map((a) => (
                  <th key={a.id}>
                    <Cell value={a.name} label={`Attribute name ${a.name}`} onSave={(name) => name.trim() && renameAttribute.mutate({ id: a.id, name: name.trim() }, onError)} />
                    <span className="muted" style={{ fontWeight: 400, fontSize: 11 }}>
                      {a.type}{' '}
                      <button
                        type="button"
                        className="link"
                        aria-label={`Remove attribute ${a.name}`}
                        onClick={() => window.confirm(`Remove the attribute “${a.name}” and its values? (Ctrl+Z brings them back.)`) && removeAttribute.mutate({ id: a.id }, onError)}
                      >
                        remove
                      </button>
                    </span>
                  </th>
                ))}
                <th>Survey respondent</th>
                <th>Documents</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.id} data-testid="participant-row">
                  <td>
                    <Cell value={p.name} label={`Name of ${p.name}`} onSave={(name) => name.trim() && update.mutate({ id: p.id, name: name.trim() }, onError)} />
                  </td>
                  {attributes.map((a) => (
                    <td key={a.id}>
                      <Cell
                        value={valueText(p, a)}
                        label={`${a.name} of ${p.name}`}
                        testId={`cell-${p.name}-${a.name}`}
                        onSave={(value) => update.mutate({ id: p.id, values: { [a.id]: value.trim() === '' ? null : value.trim() } }, onError)}
                      />
                    </td>
                  ))}
                  <td style={{ minWidth: 200 }}>
                    <div style={{ display: 'flex', gap: 4 }}>
                      <select
                        aria-label={`Survey dataset of ${p.name}`}
                        value={p.datasetId ?? ''}
                        onChange={(e) => update.mutate({ id: p.id, datasetId: e.target.value ? Number(e.target.value) : null }, onError)}
                      >
                        <option value="">—</option>
                        {(datasets.data ?? []).map((d) => (
                          <option key={d.id} value={d.id}>
                            {d.name}
                          </option>
                        ))}
                      </select>
                      <Cell value={p.respondentKey ?? ''} placeholder="respondent id" label={`Respondent id of ${p.name}`} onSave={(key) => update.mutate({ id: p.id, respondentKey: key.trim() || null }, onError)} />
                    </div>
                  </td>
                  <td>{p.documents}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => window.confirm(`Remove ${p.name}? Their transcripts stay, without a participant. (Ctrl+Z brings them back.)`) && remove.mutate({ id: p.id }, onError)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SheetDialog key={sheet?.path ?? 'none'} preview={sheet} onClose={() => setSheet(null)} onImport={(k, r, d) => void importSheet(k, r, d)} />
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
