import { useEffect, useState } from 'react';
import type { Input } from '../../../../shared/contract/index';
import type { ParticipantInfo, TranscriptFilePreview } from '../../../../shared/contract/transcripts';
import { describePlace } from '../../../../shared/errors';
import { useCall } from '../../api/hooks';
import { Button, Dialog } from '../../ui/components';
import { t } from '../../i18n';

type ImportFile = Input<'transcripts.import'>['files'][number];

interface SpeakerChoice {
  label: string;
  displayName: string;
  isInterviewer: boolean;
  participant: string;
}

interface FileChoice {
  include: boolean;
  name: string;
  participant: string;
  speakers: SpeakerChoice[];
}

function initialChoice(file: TranscriptFilePreview): FileChoice {
  return {
    include: file.error === null,
    name: file.name,
    participant: '',
    speakers: file.speakers.map((s) => ({
      label: s.label,
      displayName: s.label || 'Unlabelled',
      isInterviewer: s.likelyInterviewer,
      participant: '',
    })),
  };
}

/** Preview → rename speakers, mark the interviewer, assign participants → import (as one batch). */
export function ImportDialog({
  files,
  onClose,
  onImport,
}: {
  files: TranscriptFilePreview[] | null;
  onClose: () => void;
  onImport: (files: ImportFile[]) => void;
}) {
  const participants = useCall('participants.list', {}, { enabled: files !== null });
  const [choices, setChoices] = useState<FileChoice[]>([]);
  useEffect(() => {
    setChoices(files ? files.map(initialChoice) : []);
  }, [files]);

  const byName = new Map<string, ParticipantInfo>((participants.data?.participants ?? []).map((p) => [p.name, p]));
  const update = (index: number, change: (c: FileChoice) => FileChoice) => setChoices((list) => list.map((c, i) => (i === index ? change(c) : c)));

  const submit = () => {
    if (!files) return;
    const out: ImportFile[] = [];
    files.forEach((file, i) => {
      const choice = choices[i];
      if (!choice || !choice.include || file.error) return;
      const participant = choice.participant.trim();
      const existing = byName.get(participant);
      out.push({
        path: file.path,
        name: choice.name.trim() || file.name,
        ...(participant ? (existing ? { participantId: existing.id } : { participantName: participant }) : {}),
        speakers: choice.speakers.map((s) => ({
          label: s.label,
          displayName: s.displayName.trim() || s.label || 'Unlabelled',
          isInterviewer: s.isInterviewer,
          ...(byName.get(s.participant.trim()) ? { participantId: byName.get(s.participant.trim())?.id ?? null } : {}),
        })),
      });
    });
    if (out.length > 0) onImport(out);
  };

  const count = choices.filter((c, i) => c.include && !files?.[i]?.error).length;
  return (
    <Dialog
      title={t('transcripts.import.title')}
      open={files !== null}
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" onClick={submit} disabled={count === 0} data-testid="import-transcripts-confirm">
            {t('transcripts.import.importN', { count })}
          </Button>
        </>
      }
    >
      <datalist id="participant-names">
        {(participants.data?.participants ?? []).map((p) => (
          <option key={p.id} value={p.name} />
        ))}
      </datalist>
      <p className="muted">
        {t('transcripts.import.check')}
      </p>
      {(files ?? []).map((file, i) => {
        const choice = choices[i];
        if (!choice) return null;
        return (
          <section key={file.path} className="tx-file" data-testid="import-file">
            <div className="tx-file-head">
              <input
                type="checkbox"
                aria-label={t('transcripts.import.importFile', { file: file.fileName })}
                checked={choice.include && !file.error}
                disabled={file.error !== null}
                onChange={(e) => update(i, (c) => ({ ...c, include: e.target.checked }))}
              />
              <strong>{file.fileName}</strong>
              {file.format && <span className="badge">{file.format}</span>}
              {!file.error && (
                <span className="muted">
                  {t('transcripts.import.turns', { count: file.turns })} · {t('transcripts.import.words', { count: file.words })}
                  {file.hasTimestamps ? t('transcripts.import.timestamps') : ''}
                  {file.encoding && file.encoding !== 'utf-8' ? ` · ${file.encoding}` : ''}
                </span>
              )}
            </div>
            {file.error ? (
              <div className="tx-error" role="alert">
                {file.error.message}
                {file.error.details && !file.error.message.includes(`line ${file.error.details.line ?? '∅'}`) && describePlace(file.error.details) && (
                  <span className="muted"> ({describePlace({ ...file.error.details, file: undefined })})</span>
                )}
              </div>
            ) : (
              <>
                <div className="tx-file-head">
                  <label className="field" style={{ flex: 1 }}>
                    <span className="field-label">{t('transcripts.import.documentName')}</span>
                    <input value={choice.name} onChange={(e) => update(i, (c) => ({ ...c, name: e.target.value }))} />
                  </label>
                  <label className="field" style={{ flex: 1 }}>
                    <span className="field-label">{t('transcripts.participantWhose')}</span>
                    <input
                      list="participant-names"
                      placeholder="e.g. P01"
                      value={choice.participant}
                      data-testid="import-participant"
                      onChange={(e) => update(i, (c) => ({ ...c, participant: e.target.value }))}
                    />
                    {file.suggestedParticipant && choice.participant.trim() === '' && (
                      <Button
                        variant="ghost"
                        data-testid="import-participant-suggestion"
                        title={`Suggested because ${file.suggestedParticipant.reason}.`}
                        onClick={() => update(i, (c) => ({ ...c, participant: file.suggestedParticipant?.name ?? '' }))}
                      >
                        Use “{file.suggestedParticipant.name}” ({file.suggestedParticipant.reason})
                      </Button>
                    )}
                  </label>
                </div>
                {file.speakers.length > 0 && (
                  <table className="grid-table">
                    <thead>
                      <tr>
                        <th>{t('transcripts.import.inTheFile')}</th>
                        <th>{t('transcripts.import.turns')}</th>
                        <th>{t('transcripts.import.showAs')}</th>
                        <th>{t('transcripts.import.interviewer')}</th>
                        <th>{t('transcripts.import.participantIfNot')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {choice.speakers.map((s, k) => (
                        <tr key={s.label} data-testid="import-speaker">
                          <td>{s.label || <span className="muted">{t('transcripts.import.noLabel')}</span>}</td>
                          <td>{file.speakers[k]?.turns}</td>
                          <td>
                            <input
                              aria-label={t('transcripts.import.nameFor', { label: s.label || t('transcripts.unlabelled') })}
                              value={s.displayName}
                              onChange={(e) =>
                                update(i, (c) => ({ ...c, speakers: c.speakers.map((x, j) => (j === k ? { ...x, displayName: e.target.value } : x)) }))
                              }
                            />
                          </td>
                          <td>
                            <input
                              type="checkbox"
                              aria-label={t('transcripts.import.isInterviewer', { label: s.label || t('transcripts.import.unlabelledCap') })}
                              checked={s.isInterviewer}
                              onChange={(e) =>
                                update(i, (c) => ({ ...c, speakers: c.speakers.map((x, j) => (j === k ? { ...x, isInterviewer: e.target.checked } : x)) }))
                              }
                            />
                          </td>
                          <td>
                            <input
                              list="participant-names"
                              aria-label={t('transcripts.import.participantFor', { label: s.label || t('transcripts.unlabelled') })}
                              value={s.participant}
                              onChange={(e) =>
                                update(i, (c) => ({ ...c, speakers: c.speakers.map((x, j) => (j === k ? { ...x, participant: e.target.value } : x)) }))
                              }
                            />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <div className="tx-excerpt">{file.excerpt}</div>
              </>
            )}
          </section>
        );
      })}
    </Dialog>
  );
}
