import { useState } from 'react';
import type { Memo } from '../../../../shared/contract/coding';
import { useAction, useCall } from '../../api/hooks';
import { Button, Dialog } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { t } from '../../i18n';

/** Memos on the project or a document: read them, write a new one, edit or delete one (all undoable). */
export function MemoDialog({ title, targetKind, targetId, onClose }: { title: string; targetKind: Memo['targetKind']; targetId: number | null; onClose: () => void }) {
  const toast = useToast();
  const memos = useCall('memos.list', { targetKind, targetId });
  const save = useAction('memos.save');
  const remove = useAction('memos.delete');
  const [editing, setEditing] = useState<{ id?: number; title: string; body: string }>({ title: '', body: '' });
  const onError = { onError: (e: unknown) => toast.error(e) };
  return (
    <Dialog title={title} open wide onClose={onClose}>
      <div className="cb-stack" data-testid="memo-dialog">
        <input aria-label={t('coding.memo.titleAria')} placeholder={t('coding.memo.titlePlaceholder')} value={editing.title} onChange={(e) => setEditing((m) => ({ ...m, title: e.target.value }))} />
        <textarea aria-label={t('coding.memo.memo')} rows={6} value={editing.body} onChange={(e) => setEditing((m) => ({ ...m, body: e.target.value }))} />
        <div className="cb-row">
          <Button
            variant="primary"
            disabled={!editing.body.trim()}
            onClick={() =>
              save.mutate(
                { ...(editing.id ? { id: editing.id } : {}), targetKind, targetId, title: editing.title, body: editing.body },
                { onSuccess: () => setEditing({ title: '', body: '' }), ...onError },
              )
            }
          >
            {editing.id ? t('coding.memo.saveChanges') : t('coding.memo.addMemo')}
          </Button>
          {editing.id && <Button onClick={() => setEditing({ title: '', body: '' })}>{t('coding.memo.newInstead')}</Button>}
        </div>
        <ul className="cb-plain">
          {(memos.data ?? []).map((m) => (
            <li key={m.id} className="panel">
              <div className="cb-row">
                <strong className="cb-grow">{m.title || t('coding.memo.memo')}</strong>
                <span className="muted">{new Date(m.updatedAt).toLocaleString()}</span>
                <button type="button" className="link" onClick={() => setEditing({ id: m.id, title: m.title, body: m.body })}>
                  {t('coding.memo.edit')}
                </button>
                <button type="button" className="link" onClick={() => remove.mutate({ id: m.id }, onError)}>
                  {t('coding.memo.delete')}
                </button>
              </div>
              <p className="cb-text">{m.body}</p>
            </li>
          ))}
        </ul>
      </div>
    </Dialog>
  );
}
