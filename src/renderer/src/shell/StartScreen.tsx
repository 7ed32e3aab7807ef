import { useEffect, useState } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { getBridge } from '../api/bridge';
import { useCall, useJob } from '../api/hooks';
import { Button, Dialog, Field, ProgressDialog } from '../ui/components';
import { useToast } from '../ui/toast';
import { useTranslation } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return `${dir.replace(/[\\/]+$/, '')}${sep}${name}`;
}

/** First screen: New, Open, Recent, and the sample study. */
export function StartScreen({
  onOpened,
  command = null,
  onCommandDone,
}: {
  onOpened: (info: ProjectInfo) => void;
  /** A menu command to carry out on arrival (File > New / Open from inside a project). */
  command?: 'new' | 'open' | null;
  onCommandDone?: () => void;
}) {
  const bridge = getBridge();
  const { t } = useTranslation();
  const toast = useToast();
  const app = useCall('app.info', {});
  const recent = useCall('app.recent', {});
  const job = useJob();
  const [dialog, setDialog] = useState<'new' | 'open' | null>(null);
  const [name, setName] = useState(() => t('start.defaultName'));
  // The web route has no native save dialog: the folder is shown and can be changed here.
  const [folder, setFolder] = useState<string | null>(null);
  const [openPath, setOpenPath] = useState('');

  const run = async (fn: () => Promise<ProjectInfo>) => {
    try {
      onOpened(await fn());
    } catch (error) {
      toast.error(error);
    }
  };

  const newProject = async () => {
    if (bridge.host === 'electron') {
      const target = await bridge.saveFile({
        title: t('start.newTitle'),
        defaultName: `${t('start.defaultName')}.fieldbook`,
        filters: [{ name: t('start.projectKind'), extensions: ['fieldbook'] }],
      });
      if (target) await run(() => bridge.call('project.create', { path: target, overwrite: true }));
    } else {
      setDialog('new');
    }
  };

  const openProject = async () => {
    if (bridge.host === 'electron') {
      const files = await bridge.openFiles({ title: t('start.openTitle'), filters: [{ name: t('start.projectKind'), extensions: ['fieldbook'] }] });
      const first = files?.[0];
      if (first) await run(() => bridge.call('project.open', { path: first }));
    } else {
      setDialog('open');
    }
  };

  useEffect(() => {
    if (!command) return;
    onCommandDone?.();
    if (command === 'new') void newProject();
    else void openProject();
    // Run once per command; the actions read the latest state when they run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [command]);

  const defaultDir = app.data?.defaultProjectDir ?? '';
  const targetDir = (folder ?? defaultDir).trim();
  const targetFile = joinPath(targetDir, `${name.trim()}.fieldbook`);
  return (
    <div className="start">
      <LanguageSwitch />
      <div className="start-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          <h1>Fieldbook</h1>
        </div>
        <p className="lead">{t('start.lead')}</p>
        <div className="start-actions">
          <Button variant="primary" onClick={() => void newProject()} data-testid="new-project">
            {t('start.newProject')}
          </Button>
          <Button onClick={() => void openProject()} data-testid="open-project">
            {t('start.openProject')}
          </Button>
          {app.data?.sampleAvailable && (
            <Button
              onClick={() => void run(() => job.run('project.openSample', {}, t('start.buildingSample')))}
              data-testid="open-sample"
            >
              {t('start.openSample')}
            </Button>
          )}
        </div>
        <section className="recent" aria-label={t('start.recent')}>
          <h2>{t('start.recent')}</h2>
          {recent.data && recent.data.length === 0 && <p className="muted">{t('start.recentEmpty')}</p>}
          <ul>
            {recent.data?.map((p) => (
              <li key={p.path}>
                <button
                  type="button"
                  className="recent-item"
                  disabled={!p.exists}
                  title={p.exists ? p.path : t('start.missing', { path: p.path })}
                  onClick={() => void run(() => bridge.call('project.open', { path: p.path }))}
                >
                  <span className="recent-name">{p.name}</span>
                  <span className="recent-path">{p.exists ? p.path : t('start.notFound')}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <Dialog
        title={t('start.newTitle')}
        open={dialog === 'new'}
        onClose={() => setDialog(null)}
        footer={
          <>
            <Button onClick={() => setDialog(null)}>{t('common.cancel')}</Button>
            <Button
              variant="primary"
              data-testid="create-project"
              disabled={!name.trim() || !targetDir}
              onClick={() => {
                setDialog(null);
                void run(() => bridge.call('project.create', { path: targetFile }));
              }}
            >
              {t('common.create')}
            </Button>
          </>
        }
      >
        <Field label={t('start.projectName')}>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} data-testid="project-name" />
        </Field>
        <Field label={t('start.folder')} hint={t('start.folderHint', { file: targetFile })}>
          <input value={folder ?? defaultDir} onChange={(e) => setFolder(e.target.value)} data-testid="project-folder" spellCheck={false} />
        </Field>
      </Dialog>

      <Dialog
        title={t('start.openTitle')}
        open={dialog === 'open'}
        onClose={() => setDialog(null)}
        footer={
          <>
            <Button onClick={() => setDialog(null)}>{t('common.cancel')}</Button>
            <Button
              variant="primary"
              data-testid="open-path-submit"
              disabled={!openPath.trim()}
              onClick={() => {
                setDialog(null);
                void run(() => bridge.call('project.open', { path: openPath.trim() }));
              }}
            >
              {t('common.open')}
            </Button>
          </>
        }
      >
        <Field label={t('start.pathLabel')} hint={t('start.pathHint')}>
          <input autoFocus value={openPath} onChange={(e) => setOpenPath(e.target.value)} placeholder={joinPath(defaultDir, `${t('start.defaultName')}.fieldbook`)} data-testid="open-path" />
        </Field>
      </Dialog>
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
