import { useEffect, useState, type DragEvent } from 'react';
import type { Input } from '../../../../shared/contract/index';
import type { SpeakerInfo, TranscriptFilePreview } from '../../../../shared/contract/transcripts';
import { getBridge } from '../../api/bridge';
import { errorMessage, useAction, useCall, useJob } from '../../api/hooks';
import { navigate, useLocation } from '../../shell/navigation';
import { Button, EmptyState, PageHeader, ProgressDialog, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { ImportDialog } from './ImportDialog';
import { ReadingView } from './ReadingView';
import { SearchPanel } from './SearchPanel';
import './transcripts.css';
import { formatNumber, t } from '../../i18n';

export { ReadingView } from './ReadingView';

const filters = () => [{ name: t('transcripts.filterName'), extensions: ['txt', 'md', 'docx', 'odt', 'vtt', 'srt', 'sbv'] }];

function SpeakerEditor({ speaker, participants }: { speaker: SpeakerInfo; participants: { id: number; name: string }[] }) {
  const update = useAction('speakers.update');
  const toast = useToast();
  const [name, setName] = useState(speaker.displayName);
  const save = (input: Omit<Input<'speakers.update'>, 'id'>) => update.mutate({ id: speaker.id, ...input }, { onError: (e) => toast.error(e) });
  return (
    <div className="tx-speaker" data-testid="speaker-editor">
      <input
        aria-label={t('transcripts.nameFor', { label: speaker.label || t('transcripts.unlabelled') })}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => name.trim() && name !== speaker.displayName && save({ displayName: name.trim() })}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
      <span className="muted" style={{ fontSize: 12 }}>
        {speaker.label ? t('transcripts.inFile', { label: speaker.label }) : t('transcripts.unlabelled')} · {t('transcripts.turnsCount', { count: speaker.turns })}
      </span>
      <label style={{ fontSize: 13 }}>
        <input type="checkbox" checked={speaker.isInterviewer} onChange={(e) => save({ isInterviewer: e.target.checked })} /> {t('reading.interviewer')}
      </label>
      <select
        aria-label={t('transcripts.participantFor', { name: speaker.displayName })}
        value={speaker.participantId ?? ''}
        onChange={(e) => save({ participantId: e.target.value ? Number(e.target.value) : null })}
      >
        <option value="">{t('transcripts.interviewParticipant')}</option>
        {participants.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function DocumentView({ id, at, length }: { id: number; at?: number; length?: number }) {
  const doc = useCall('documents.get', { id, includeText: false, turnLimit: 1 });
  const grid = useCall('participants.list', {});
  const update = useAction('documents.update');
  const toast = useToast();
  const [selection, setSelection] = useState<{ start: number; end: number; text: string } | null>(null);
  if (doc.isPending) return <Spinner />;
  if (doc.isError) return <div className="fatal">{errorMessage(doc.error)}</div>;
  const participants = grid.data?.participants ?? [];
  const highlights = at !== undefined && length ? [{ id: 'search', start: at, end: at + length, color: '#f59f00', title: t('transcripts.searchMatch') }] : [];
  return (
    <div className="page">
      <PageHeader title={doc.data.document.name}>
        <Button onClick={() => navigate('transcripts')}>{t('transcripts.allTranscripts')}</Button>
        <Button onClick={() => navigate('transcripts/search')}>{t('transcripts.search')}</Button>
      </PageHeader>
      <div className="tx-layout">
        <ReadingView documentId={id} highlights={highlights} onSelectionChange={setSelection} {...(at !== undefined ? { scrollToChar: at } : {})} />
        <aside className="tx-side panel">
          <label className="field">
            <span className="field-label">{t('transcripts.participantWhose')}</span>
            <select
              aria-label={t('transcripts.participantOfThis')}
              value={doc.data.document.participantId ?? ''}
              onChange={(e) => update.mutate({ id, participantId: e.target.value ? Number(e.target.value) : null }, { onError: (err) => toast.error(err) })}
            >
              <option value="">{t('transcripts.noneOption')}</option>
              {participants.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <div className="muted" style={{ fontSize: 12 }}>
            {doc.data.document.format} · {doc.data.document.turns} turns · {doc.data.document.words.toLocaleString()} words
          </div>
          {selection && (
            <div className="muted" style={{ fontSize: 12 }} data-testid="selection-info" data-start={selection.start} data-end={selection.end}>
              Selected {selection.text.length.toLocaleString()} characters (at {selection.start.toLocaleString()}–{selection.end.toLocaleString()}):{' '}
              <q>{selection.text.length > 120 ? `${selection.text.slice(0, 120)}…` : selection.text}</q>
            </div>
          )}
          <h3>{t('transcripts.speakers')}</h3>
          {doc.data.speakers.length === 0 && <p className="muted">{t('transcripts.noSpeakers')}</p>}
          {doc.data.speakers.map((s) => (
            <SpeakerEditor key={`${s.id}-${s.displayName}-${s.isInterviewer}-${s.participantId}`} speaker={s} participants={participants} />
          ))}
        </aside>
      </div>
    </div>
  );
}

function DocumentList({ onImport }: { onImport: () => void }) {
  const docs = useCall('documents.list', {});
  const remove = useAction('documents.delete');
  const toast = useToast();
  if (docs.isPending) return <Spinner />;
  if (docs.isError) return <div className="fatal">{errorMessage(docs.error)}</div>;
  if (docs.data.length === 0) {
    return (
      <EmptyState title={t('transcripts.emptyTitle')} actions={<Button variant="primary" onClick={onImport}>{t('transcripts.importTranscripts')}</Button>}>
        Text (.txt, .md), Word (.docx), OpenDocument (.odt), WebVTT and SRT files; speakers and timestamps are kept. You can also drop files here.
      </EmptyState>
    );
  }
  return (
    <table className="grid-table panel" data-testid="document-list">
      <thead>
        <tr>
          <th>{t('transcripts.colName')}</th>
          <th>{t('transcripts.colKind')}</th>
          <th>{t('transcripts.colParticipant')}</th>
          <th>{t('transcripts.colTurns')}</th>
          <th>{t('transcripts.colWords')}</th>
          <th>{t('transcripts.speakers')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {docs.data.map((d) => (
          <tr key={d.id} className="tx-row-click" data-testid="document-row">
            <td>
              <a href={`#/transcripts/${d.id}`}>{d.name}</a>
            </td>
            <td>
              <span className="badge">{d.kind === 'survey_text' ? t('transcripts.surveyAnswers') : d.format}</span>
            </td>
            <td>{d.participantName ?? <span className="muted">—</span>}</td>
            <td>{formatNumber(d.turns)}</td>
            <td>{formatNumber(d.words)}</td>
            <td>{d.speakers}</td>
            <td>
              {d.kind !== 'survey_text' && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    if (window.confirm(t('transcripts.removeConfirm', { name: d.name }))) remove.mutate({ id: d.id }, { onError: (e) => toast.error(e) });
                  }}
                >
                  {t('transcripts.remove')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function TranscriptsPage() {
  const location = useLocation();
  const toast = useToast();
  const job = useJob();
  const [preview, setPreview] = useState<TranscriptFilePreview[] | null>(null);
  const [dragging, setDragging] = useState(false);

  const previewFiles = async (paths: string[] | null) => {
    if (!paths || paths.length === 0) return;
    try {
      const result = await getBridge().call('transcripts.preview', { files: paths });
      setPreview(result.files);
    } catch (error) {
      toast.error(error);
    }
  };
  const pick = async () => previewFiles(await getBridge().openFiles({ title: t('transcripts.importTranscripts'), filters: filters(), multiple: true }));
  // File > Import Transcripts… in the Electron menu.
  useEffect(() => getBridge().onMenu((command) => command === 'import.transcripts' && void pick()));
  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    if (job.state) {
      toast.show({ kind: 'info', text: t('transcripts.busy') });
      return;
    }
    try {
      const paths = await getBridge().filesFromDrop(files);
      // In the desktop app a file dragged out of a zip or a browser has no path on disk.
      if (paths.length === 0) toast.show({ kind: 'info', text: 'Those files are not on disk: save them to a folder first, then drop or pick them.' });
      else await previewFiles(paths);
    } catch (error) {
      toast.error(error);
    }
  };
  const runImport = async (files: Input<'transcripts.import'>['files']) => {
    setPreview(null);
    try {
      const result = await job.run('transcripts.import', { files }, `Importing ${files.length} ${files.length === 1 ? 'transcript' : 'transcripts'}`);
      toast.show({ kind: 'success', text: `Imported ${result.documents.length} ${result.documents.length === 1 ? 'transcript' : 'transcripts'}.` });
    } catch (error) {
      toast.error(error);
    }
  };

  const [first] = location.rest;
  const docId = first && /^\d+$/.test(first) ? Number(first) : null;
  if (docId !== null) {
    const at = location.params.get('at');
    const len = location.params.get('len');
    return (
      <DocumentView
        key={docId}
        id={docId}
        {...(at !== null ? { at: Number(at) } : {})}
        {...(len !== null ? { length: Number(len) } : {})}
      />
    );
  }
  const tab = first === 'search' ? 'search' : 'documents';
  return (
    <div
      className={`page ${dragging ? 'tx-drop' : ''}`}
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
      <PageHeader title={t('shell.routes.transcripts')}>
        <Button variant="primary" onClick={() => void pick()} data-testid="import-transcripts">
          {t('transcripts.importTranscripts')}
        </Button>
      </PageHeader>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" className="tab" aria-selected={tab === 'documents'} onClick={() => navigate('transcripts')}>
          {t('transcripts.documents')}
        </button>
        <button type="button" role="tab" className="tab" aria-selected={tab === 'search'} onClick={() => navigate('transcripts/search')}>
          {t('transcripts.search')}
        </button>
      </div>
      {tab === 'search' ? <SearchPanel initialQuery={location.params.get('q') ?? ''} /> : <DocumentList onImport={() => void pick()} />}
      <ImportDialog files={preview} onClose={() => setPreview(null)} onImport={(files) => void runImport(files)} />
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
