import { useEffect } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { useCall } from '../api/hooks';
import { useUndoRedo } from '../features/coding/undo';
import { navigate, useLocation } from './navigation';
import { routes } from './routes';

/** Inside a project: navigation, the current section, and a status bar with the file's path. */
export function ProjectShell({ project, onClose }: { project: ProjectInfo; onClose: () => void }) {
  const location = useLocation();
  const info = useCall('project.info', {}, { initialData: project });
  const current = routes.find((r) => r.id === location.section) ?? routes[0]!;
  const Page = current.page;
  // Ctrl/Cmd+Z and the Edit menu undo the last codebook or coding change from any section.
  useUndoRedo();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const route = routes.find((r) => r.key === event.key);
      if (route) {
        event.preventDefault();
        navigate(route.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const counts = info.data?.counts;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Sections">
        <div className="nav-project" title={project.path}>
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          <span className="nav-project-name">{info.data?.name ?? project.name}</span>
        </div>
        <ul>
          {routes.map((route) => (
            <li key={route.id}>
              <a
                href={`#/${route.id}`}
                className={route.id === current.id ? 'active' : ''}
                aria-current={route.id === current.id ? 'page' : undefined}
                title={`${route.label} (Alt+${route.key})`}
              >
                {route.label}
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="nav-close link" onClick={onClose}>
          Close project
        </button>
      </nav>
      <main className="content" id="main">
        <Page />
      </main>
      <footer className="statusbar" data-testid="statusbar">
        <span className="status-path" title="Project file">
          {info.data?.path ?? project.path}
        </span>
        {counts && (
          <span className="status-counts">
            {counts.datasets} datasets · {counts.respondents.toLocaleString()} respondents · {counts.documents} documents · {counts.codes} codes ·{' '}
            {counts.segments} quotes
          </span>
        )}
        <span className="status-version">schema {info.data?.schemaVersion ?? project.schemaVersion}</span>
      </footer>
    </div>
  );
}
