import { useEffect, useState } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { getBridge } from '../api/bridge';
import { useCall, useJob } from '../api/hooks';
import { Button, Dialog, Field, ProgressDialog } from '../ui/components';
import { useToast } from '../ui/toast';

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
  const toast = useToast();
  const app = useCall('app.info', {});
  const recent = useCall('app.recent', {});
  const job = useJob();
  const [dialog, setDialog] = useState<'new' | 'open' | null>(null);
  const [name, setName] = useState('My study');
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
        title: 'New project',
        defaultName: 'My study.fieldbook',
        filters: [{ name: 'Fieldbook project', extensions: ['fieldbook'] }],
      });
      if (target) await run(() => bridge.call('project.create', { path: target, overwrite: true }));
    } else {
      setDialog('new');
    }
  };

  const openProject = async () => {
    if (bridge.host === 'electron') {
      const files = await bridge.openFiles({ title: 'Open project', filters: [{ name: 'Fieldbook project', extensions: ['fieldbook'] }] });
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
  return (
    <div className="start">
      <div className="start-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          <h1>Fieldbook</h1>
        </div>
        <p className="lead">Survey tables, interview quotes and your report&apos;s evidence, in one file on your computer.</p>
        <div className="start-actions">
          <Button variant="primary" onClick={() => void newProject()} data-testid="new-project">
            New project…
          </Button>
          <Button onClick={() => void openProject()} data-testid="open-project">
            Open project…
          </Button>
          {app.data?.sampleAvailable && (
            <Button
              onClick={() => void run(() => job.run('project.openSample', {}, 'Building the sample study'))}
              data-testid="open-sample"
            >
              Open the sample study
            </Button>
          )}
        </div>
        <section className="recent" aria-label="Recent projects">
          <h2>Recent projects</h2>
          {recent.data && recent.data.length === 0 && <p className="muted">Projects you open appear here.</p>}
          <ul>
            {recent.data?.map((p) => (
              <li key={p.path}>
                <button
                  type="button"
                  className="recent-item"
                  disabled={!p.exists}
                  title={p.exists ? p.path : `Missing: ${p.path}`}
                  onClick={() => void run(() => bridge.call('project.open', { path: p.path }))}
                >
                  <span className="recent-name">{p.name}</span>
                  <span className="recent-path">{p.exists ? p.path : 'File not found'}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <Dialog
        title="New project"
        open={dialog === 'new'}
        onClose={() => setDialog(null)}
        footer={
          <>
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button
              variant="primary"
              data-testid="create-project"
              disabled={!name.trim()}
              onClick={() => {
                setDialog(null);
                void run(() => bridge.call('project.create', { path: joinPath(defaultDir, `${name.trim()}.fieldbook`) }));
              }}
            >
              Create
            </Button>
          </>
        }
      >
        <Field label="Project name" hint={`Saved in ${defaultDir}`}>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} data-testid="project-name" />
        </Field>
      </Dialog>

      <Dialog
        title="Open project"
        open={dialog === 'open'}
        onClose={() => setDialog(null)}
        footer={
          <>
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button
              variant="primary"
              data-testid="open-path-submit"
              disabled={!openPath.trim()}
              onClick={() => {
                setDialog(null);
                void run(() => bridge.call('project.open', { path: openPath.trim() }));
              }}
            >
              Open
            </Button>
          </>
        }
      >
        <Field label="Path of the .fieldbook file" hint="The file stays where it is; Fieldbook works on it in place.">
          <input autoFocus value={openPath} onChange={(e) => setOpenPath(e.target.value)} placeholder={joinPath(defaultDir, 'My study.fieldbook')} data-testid="open-path" />
        </Field>
      </Dialog>
      <ProgressDialog job={job.state} onCancel={job.cancel} />
    </div>
  );
}
