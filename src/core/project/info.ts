import type { ProjectCounts, ProjectInfo } from '../../shared/contract/index';
import { LATEST_SCHEMA_VERSION } from '../store/migrations/index';
import type { Project } from '../store/project';

function count(project: Project, sql: string): number {
  return (project.db.prepare(sql).get() as { n: number }).n;
}

export function projectCounts(project: Project): ProjectCounts {
  return {
    datasets: count(project, 'SELECT count(*) AS n FROM dataset'),
    variables: count(project, 'SELECT count(*) AS n FROM variable'),
    respondents: count(project, 'SELECT coalesce(sum(row_count), 0) AS n FROM dataset'),
    documents: count(project, 'SELECT count(*) AS n FROM document'),
    participants: count(project, 'SELECT count(*) AS n FROM participant'),
    codes: count(project, 'SELECT count(*) AS n FROM code'),
    segments: count(project, 'SELECT count(*) AS n FROM segment'),
    codings: count(project, 'SELECT count(*) AS n FROM coding'),
    memos: count(project, 'SELECT count(*) AS n FROM memo'),
    savedTables: count(project, 'SELECT count(*) AS n FROM saved_table'),
  };
}

export function projectInfo(project: Project): ProjectInfo {
  return {
    path: project.path,
    name: project.name,
    schemaVersion: project.schemaVersion,
    appSchemaVersion: LATEST_SCHEMA_VERSION,
    createdAt: project.meta('created_at') ?? '',
    counts: projectCounts(project),
  };
}
