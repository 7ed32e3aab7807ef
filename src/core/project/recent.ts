import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../shared/contract/index';
import { PROJECT_EXTENSION } from '../store/project';

const MAX_RECENT = 12;

interface RecentFile {
  projects: { path: string; openedAt: string }[];
}

function recentPath(appDataDir: string): string {
  return path.join(appDataDir, 'recent.json');
}

function read(appDataDir: string): RecentFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(recentPath(appDataDir), 'utf8')) as unknown;
    const list = (parsed as RecentFile).projects;
    if (!Array.isArray(list)) return { projects: [] };
    return {
      projects: list.filter(
        (p): p is { path: string; openedAt: string } => typeof p?.path === 'string' && typeof p?.openedAt === 'string',
      ),
    };
  } catch {
    // A missing or damaged list is not worth an error: it is only a convenience.
    return { projects: [] };
  }
}

function write(appDataDir: string, file: RecentFile): void {
  fs.mkdirSync(appDataDir, { recursive: true });
  const target = recentPath(appDataDir);
  fs.writeFileSync(`${target}.tmp`, JSON.stringify(file, null, 2));
  fs.renameSync(`${target}.tmp`, target);
}

export function listRecent(appDataDir: string): RecentProject[] {
  return read(appDataDir).projects.map((p) => ({
    path: p.path,
    name: path.basename(p.path, PROJECT_EXTENSION),
    openedAt: p.openedAt,
    exists: fs.existsSync(p.path),
  }));
}

export function rememberRecent(appDataDir: string, projectPath: string): void {
  const file = read(appDataDir);
  const projects = [{ path: projectPath, openedAt: new Date().toISOString() }, ...file.projects.filter((p) => p.path !== projectPath)];
  write(appDataDir, { projects: projects.slice(0, MAX_RECENT) });
}

export function forgetRecent(appDataDir: string, projectPath: string): void {
  const file = read(appDataDir);
  write(appDataDir, { projects: file.projects.filter((p) => p.path !== projectPath) });
}

export function clearRecent(appDataDir: string): void {
  write(appDataDir, { projects: [] });
}
