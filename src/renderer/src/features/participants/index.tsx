import { useState } from 'react';
import type { AttributeInfo, ParticipantInfo, SheetPreview } from '../../../../shared/contract/transcripts';
import { getBridge } from '../../api/bridge';
import { errorMessage, useAction, useCall, useJob } from '../../api/hooks';
import { Button, Dialog, EmptyState, Field, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import '../transcripts/transcripts.css';
import { compareAttributeValues } from './sort';
import { currentLanguage, t } from '../../i18n';

/** A cell that saves on Enter or when focus leaves, and puts the old value back on Escape. */
function Cell({ value, label, onSave, testId, placeholder }: { value: string; label: string; onSave: (value: string) => void; testId?: string; placeholder?: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      aria-label={label}
      // Long values are cut with an ellipsis (CSS); the whole value is in the tooltip.
      title={draft ?? value}
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
      title={t('participants.sheetTitle')}
      open={preview !== null}
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" data-testid="sheet-import-confirm" onClick={() => onImport(keyColumn, respondent, dataset ? Number(dataset) : null)}>
            {t('participants.importN', { count: preview?.rowCount ?? 0 })}
          </Button>
        </>
      }
    >
      {preview && (
        <>
          <p className="muted">{t('participants.sheetHelp')}</p>
          <div className="search-bar">
            <Field label={t('participants.nameColumn')}>
              <select value={keyColumn} onChange={(e) => setKey(e.target.value)} aria-label={t('participants.nameColumn')}>
                {preview.columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </Field>
            <Field label={t('participants.respondentColumn')}>
              <select value={respondent} onChange={(e) => setRespondent(e.target.value)} aria-label={t('participants.respondentColumnAria')}>
                <option value="">{t('participants.noneOption')}</option>
                {preview.columns.filter((c) => c !== keyColumn).map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </Field>
            {respondent && (
              <Field label={t('participants.dataset')}>
                <select value={dataset} onChange={(e) => setDataset(e.target.value)} aria-label={t('participants.dataset')}>
                  <option value="">{t('participants.choose')}</option>
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

function sortParticipants(list: ParticipantInfo[], attributes: AttributeInfo[], sort: { by: 'name' | number; desc: boolean } | null): ParticipantInfo[] {
  if (!sort) return list;
  const attribute = attributes.find((a) => a.id === sort.by);
  const lang = currentLanguage();
  const sorted = [...list].sort((a, b) =>
    attribute
      ? compareAttributeValues(a.values[String(attribute.id)], b.values[String(attribute.id)], attribute.type === 'number' ? 'number' : 'text', lang)
      : compareAttributeValues(a.name, b.name, 'text', lang),
  );
  return sort.desc ? sorted.reverse() : sorted;
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
  const [sort, setSort] = useState<{ by: 'name' | number; desc: boolean } | null>(null);
  const onError = { onError: (e: unknown) => toast.error(e) };

  const pickSheet = async () => {
    const paths = await getBridge().openFiles({ title: t('participants.sheetTitle'), filters: [{ name: t('participants.sheets'), extensions: ['csv', 'tsv', 'xlsx'] }] });
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
        t('participants.importing'),
      );
      toast.show({ kind: 'success', text: t('participants.imported', { created: result.created, updated: result.updated }) });
    } catch (error) {
      toast.error(error);
    }
  };

  if (grid.isPending) return <Spinner />;
  if (grid.isError) return <div className="fatal">{errorMessage(grid.error)}</div>;
  const { attributes } = grid.data;
  const participants = sortParticipants(grid.data.participants, attributes, sort);
  const sortButton = (by: 'name' | number, name: string) => {
    const active = sort?.by === by;
    return (
      <button
        type="button"
        className="link pgrid-sort"
        aria-label={t('participants.sortBy', { name })}
        aria-pressed={active}
        data-testid={`sort-${name}`}
        onClick={() => setSort(!active ? { by, desc: false } : sort.desc ? null : { by, desc: true })}
      >
        {active ? (sort.desc ? '▼' : '▲') : '↕'}
      </button>
    );
  };
  return (
    <div className="page">
      <PageHeader title={t('shell.routes.participants')}>
        <Button onClick={() => void pickSheet()} data-testid="import-sheet">
          {t('participants.importSheet')}
        </Button>
      </PageHeader>
      <form
        className="search-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (newName.trim()) create.mutate({ name: newName.trim() }, { ...onError, onSuccess: () => setNewName('') });
        }}
      >
        <input aria-label={t('participants.newNameAria')} placeholder={t('participants.newNamePlaceholder')} value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="new-participant" />
        <Button type="submit">{t('participants.addParticipant')}</Button>
        <span style={{ width: 24 }} />
        <input aria-label={t('participants.newAttributeAria')} placeholder={t('participants.newAttributePlaceholder')} value={newAttribute} onChange={(e) => setNewAttribute(e.target.value)} data-testid="new-attribute" />
        <select aria-label={t('participants.newAttributeType')} value={newType} onChange={(e) => setNewType(e.target.value as 'text' | 'number')}>
          <option value="text">{t('participants.typeText')}</option>
          <option value="number">{t('participants.typeNumber')}</option>
        </select>
        <Button
          onClick={() => newAttribute.trim() && addAttribute.mutate({ name: newAttribute.trim(), type: newType }, { ...onError, onSuccess: () => setNewAttribute('') })}
          data-testid="add-attribute"
        >
          {t('participants.addAttribute')}
        </Button>
      </form>
      {participants.length === 0 ? (
        <EmptyState title={t('participants.emptyTitle')}>
          {t('participants.emptyText')}
        </EmptyState>
      ) : (
        <div className="panel" style={{ overflow: 'auto' }}>
          <table className="grid-table pgrid" data-testid="participant-grid">
            <thead>
              <tr>
                <th>
                  {t('participants.colName')} {sortButton('name', t('participants.colName'))}
                </th>
                {attributes.map((a) => (
                  <th key={a.id}>
                    {sortButton(a.id, a.name)}
                    <Cell value={a.name} label={t('participants.attributeName', { name: a.name })} onSave={(name) => name.trim() && renameAttribute.mutate({ id: a.id, name: name.trim() }, onError)} />
                    <span className="muted" style={{ fontWeight: 400, fontSize: 11 }}>
                      {a.type === 'number' ? t('participants.typeNumber') : t('participants.typeText')}{' '}
                      <button
                        type="button"
                        className="link"
                        aria-label={t('participants.removeAttribute', { name: a.name })}
                        onClick={() => window.confirm(t('participants.removeAttributeConfirm', { name: a.name })) && removeAttribute.mutate({ id: a.id }, onError)}
                      >
                        {t('participants.removeLower')}
                      </button>
                    </span>
                  </th>
                ))}
                <th>{t('participants.colRespondent')}</th>
                <th>{t('participants.colDocuments')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.id} data-testid="participant-row">
                  <td>
                    <Cell value={p.name} label={t('participants.nameOf', { name: p.name })} onSave={(name) => name.trim() && update.mutate({ id: p.id, name: name.trim() }, onError)} />
                  </td>
                  {attributes.map((a) => (
                    <td key={a.id}>
                      <Cell
                        value={valueText(p, a)}
                        label={t('participants.valueOf', { attribute: a.name, name: p.name })}
                        testId={`cell-${p.name}-${a.name}`}
                        onSave={(value) => update.mutate({ id: p.id, values: { [a.id]: value.trim() === '' ? null : value.trim() } }, onError)}
                      />
                    </td>
                  ))}
                  <td style={{ minWidth: 200 }}>
                    <div style={{ display: 'flex', gap: 4 }}>
                      <select
                        aria-label={t('participants.datasetOf', { name: p.name })}
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
                      <Cell value={p.respondentKey ?? ''} placeholder={t('participants.respondentPlaceholder')} label={t('participants.respondentOf', { name: p.name })} onSave={(key) => update.mutate({ id: p.id, respondentKey: key.trim() || null }, onError)} />
                    </div>
                  </td>
                  <td>{p.documents}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => window.confirm(t('participants.removeConfirm', { name: p.name })) && remove.mutate({ id: p.id }, onError)}
                    >
                      {t('participants.remove')}
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
