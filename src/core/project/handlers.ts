import fs from 'node:fs';
import path from 'node:path';
import type { projectMethods } from '../../shared/contract/project';
import { FieldbookError } from '../../shared/errors';
import type { HandlerContext, HandlerMap } from '../context';
import { openProject, PROJECT_EXTENSION } from '../store/project';
import { projectInfo } from './info';
import { clearRecent, forgetRecent, listRecent, rememberRecent } from './recent';

function withExtension(filePath: string): string {
  return filePath.endsWith(PROJECT_EXTENSION) ? filePath : filePath + PROJECT_EXTENSION;
}

function switchTo(ctx: HandlerContext, target: string | null, open: () => ReturnType<typeof openProject>) {
  // Opening the project that is already open is not an error: it is already there.
  const current = ctx.currentProject();
  if (current && target !== null && path.resolve(target) === current.path) {
    rememberRecent(ctx.settings.appDataDir, current.path);
    return projectInfo(current);
  }
  // Open the new one first: if it is refused, the current project stays open.
  const next = open();
  ctx.currentProject()?.close();
  ctx.setProject(next);
  rememberRecent(ctx.settings.appDataDir, next.path);
  return projectInfo(next);
}

function openCreated(ctx: HandlerContext, target: string, overwrite: boolean) {
  return switchTo(ctx, null, () => openProject(target, { create: true, overwrite }));
}

export const projectHandlers: HandlerMap<keyof typeof projectMethods> = {
  'app.info': (_input, ctx) => {
    const open = ctx.currentProject();
    return {
      version: ctx.settings.version,
      host: ctx.settings.host,
      defaultProjectDir: path.join(ctx.settings.appDataDir, 'projects'),
      sampleAvailable: fs.existsSync(ctx.settings.sampleDir),
      openProject: open ? projectInfo(open) : null,
    };
  },
  'app.setLanguage': (input, ctx) => {
    ctx.settings.language = input.language;
    return { language: input.language };
  },
  'app.recent': (_input, ctx) => listRecent(ctx.settings.appDataDir),
  'app.forgetRecent': (input, ctx) => {
    forgetRecent(ctx.settings.appDataDir, input.path);
    return listRecent(ctx.settings.appDataDir);
  },
  'app.clearRecent': (_input, ctx) => {
    clearRecent(ctx.settings.appDataDir);
    return listRecent(ctx.settings.appDataDir);
  },
  'project.create': (input, ctx) => {
    const target = withExtension(input.path);
    if (ctx.currentProject()?.path === path.resolve(target)) {
      throw new FieldbookError('CONFLICT', `${path.basename(target)} is the project open now; close it before creating a new one in its place.`, { file: target });
    }
    return openCreated(ctx, target, input.overwrite ?? false);
  },
  'project.open': (input, ctx) => switchTo(ctx, input.path, () => openProject(input.path)),
  'project.openSample': async (input, ctx) => {
    const target = input.path ?? path.join(ctx.settings.appDataDir, 'Sample study.fieldbook');
    if (!fs.existsSync(target)) {
      // Loaded on demand: building the sample pulls in every importer.
      const { buildSampleProject } = await import('./sample');
      await buildSampleProject(target, ctx);
    }
    return switchTo(ctx, target, () => openProject(target));
  },
  'project.close': (_input, ctx) => {
    const open = ctx.currentProject();
    if (!open) return { closed: false };
    open.close();
    ctx.setProject(null);
    return { closed: true };
  },
  'project.info': (_input, ctx) => projectInfo(ctx.project()),
  'jobs.cancel': () => {
    // Answered by the core itself (it owns the job registry); see core.ts.
    throw new FieldbookError('INTERNAL', 'jobs.cancel is handled by the core.');
  },
};
