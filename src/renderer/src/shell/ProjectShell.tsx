import { useEffect } from 'react';
import type { ProjectInfo } from '../../../shared/contract/index';
import { useCall } from '../api/hooks';
import { useUndoRedo } from '../features/coding/undo';
import { navigate, useLocation } from './navigation';
import { routes } from './routes';
import { useFormat, useTranslation } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

/** Inside a project: navigation, the current section, and a status bar with the file's path. */
export function ProjectShell({ project, onClose }: { project: ProjectInfo; onClose: () => void }) {
  const location = useLocation();
  const { t } = useTranslation();
  const format = useFormat();
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
      <nav className="nav" aria-label={t('shell.sections')}>
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
                title={t('shell.shortcut', { label: t(`shell.routes.${route.label}`), key: route.key })}
              >
                {t(`shell.routes.${route.label}`)}
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="nav-close link" onClick={onClose}>
          {t('shell.closeProject')}
        </button>
        <LanguageSwitch />
      </nav>
      <main className="content" id="main">
        <Page />
      </main>
      <footer className="statusbar" data-testid="statusbar">
        <span className="status-path" title={t('shell.projectFile')}>
          {info.data?.path ?? project.path}
        </span>
        {counts && (
          <span className="status-counts">
            {t('shell.counts', {
              datasets: format.number(counts.datasets),
              respondents: format.number(counts.respondents),
              documents: format.number(counts.documents),
              codes: format.number(counts.codes),
              quotes: format.number(counts.segments),
            })}
          </span>
        )}
        <span className="status-version">{t('shell.schema', { version: info.data?.schemaVersion ?? project.schemaVersion })}</span>
      </footer>
    </div>
  );
}
