import { z } from 'zod';
import { method } from './method';
import { LANGUAGES } from '../i18n/index';

export interface ProjectCounts {
  datasets: number;
  variables: number;
  respondents: number;
  documents: number;
  participants: number;
  codes: number;
  segments: number;
  codings: number;
  memos: number;
  savedTables: number;
}

export interface ProjectInfo {
  path: string;
  name: string;
  schemaVersion: number;
  appSchemaVersion: number;
  createdAt: string;
  counts: ProjectCounts;
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web' | 'cli' | 'test';
  /** Where new projects go by default (the web host has no native save dialog). */
  defaultProjectDir: string;
  sampleAvailable: boolean;
  openProject: ProjectInfo | null;
}

export interface JobAccepted {
  jobId: string;
}

const path = z.string().trim().min(1, 'A file path is required.');

export const projectMethods = {
  'app.info': method<AppInfo>()(z.object({})),
  /** The interface language: export headings, table notes and chart labels the core writes follow it. */
  'app.setLanguage': method<{ language: (typeof LANGUAGES)[number] }>()(z.object({ language: z.enum(LANGUAGES) })),
  'app.recent': method<RecentProject[]>()(z.object({})),
  'app.forgetRecent': method<RecentProject[]>()(z.object({ path })),
  /** File > Open Recent > Clear Recent: empties the list; the projects themselves are untouched. */
  'app.clearRecent': method<RecentProject[]>()(z.object({})),
  'project.create': method<ProjectInfo>()(z.object({ path, overwrite: z.boolean().optional() })),
  'project.open': method<ProjectInfo>()(z.object({ path })),
  'project.openSample': method<ProjectInfo>()(z.object({ path: path.optional() }), { job: true }),
  'project.close': method<{ closed: boolean }>()(z.object({})),
  'project.info': method<ProjectInfo>()(z.object({})),
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1) })),
};
