import { useEffect, useState } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { getBridge } from '../api/bridge';
import { useCall, useProjectEvents } from '../api/hooks';
import { Spinner } from '../ui/components';
import { useToast } from '../ui/toast';
import { ProjectShell } from './ProjectShell';
import { StartScreen } from './StartScreen';

export function App() {
  useProjectEvents();
  const toast = useToast();
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

  useEffect(
    () =>
      getBridge().onMenu((command) => {
        if (command === 'project.close') {
          void getBridge()
            .call('project.close', {})
            .then(() => setProject(null), toast.error);
        }
      }),
    [toast],
  );

  if (app.isError) return <div className="fatal">Fieldbook could not reach its core: {app.error.message}</div>;
  if (project === undefined) return <Spinner label="Starting Fieldbook…" />;
  if (project === null) return <StartScreen onOpened={(info) => { window.location.hash = '#/data'; setProject(info); }} />;
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
