import { useEffect, useState } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { getBridge } from '../api/bridge';
import { useCall, useProjectEvents } from '../api/hooks';
import { Spinner } from '../ui/components';
import { useTranslation } from '../i18n';
import { useToast } from '../ui/toast';
import { ProjectShell } from './ProjectShell';
import { StartScreen } from './StartScreen';
import { navigate } from './navigation';

export function App() {
  useProjectEvents();
  const toast = useToast();
  const { t } = useTranslation();
  const app = useCall('app.info', {});
  const [project, setProject] = useState<ProjectInfo | null | undefined>(undefined);

  // The host may already have a project open (web bridge started with --project, or a reload).
  useEffect(() => {
    if (project === undefined && app.data) setProject(app.data.openProject);
  }, [app.data, project]);

  // A project opened or closed elsewhere (the native "Open Recent" menu, the sample at start-up):
  // follow the core's word rather than our own guess.
  useEffect(
    () =>
      getBridge().onEvent((event) => {
        if (event.type === 'project.changed' && event.topics.includes('project')) {
          void getBridge()
            .call('app.info', {})
            .then((info) => setProject((current) => (current?.path === info.openProject?.path ? current : info.openProject)));
        }
      }),
    [],
  );

  // A file dropped anywhere but on a drop zone must not replace the app with the file (the
  // browser's default): the zones handle their drops, everything else is ignored.
  useEffect(() => {
    const ignore = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);

  // Native menu commands (Electron). Import and Export open their sections; New and Open go back
  // to the start screen and run its action there.
  const [startCommand, setStartCommand] = useState<'new' | 'open' | null>(null);
  useEffect(
    () =>
      getBridge().onMenu((command) => {
        const closeThen = (then: () => void) =>
          void getBridge()
            .call('project.close', {})
            .then(() => {
              setProject(null);
              then();
            }, toast.error);
        if (command === 'project.close') closeThen(() => undefined);
        else if (command === 'project.new') closeThen(() => setStartCommand('new'));
        else if (command === 'project.open') closeThen(() => setStartCommand('open'));
        else if (command === 'import.survey') navigate('data');
        else if (command === 'import.transcripts') navigate('transcripts');
        else if (command === 'export.open') navigate('exports');
      }),
    [toast],
  );

  if (app.isError) return <div className="fatal">{t('shell.fatal', { message: app.error.message })}</div>;
  if (project === undefined) return <Spinner label={t('shell.startingApp')} />;
  if (project === null) {
    return (
      <StartScreen
        command={startCommand}
        onCommandDone={() => setStartCommand(null)}
        onOpened={(info) => {
          window.location.hash = '#/data';
          setProject(info);
        }}
      />
    );
  }
  return (
    <ProjectShell
      key={project.path}
      project={project}
      onClose={() => {
        void getBridge()
          .call('project.close', {})
          .then(() => setProject(null), toast.error);
      }}
    />
  );
}
