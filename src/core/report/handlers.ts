import type { findingMethods } from '../../shared/contract/findings';
import type { HandlerMap } from '../context';
import { writeExport } from '../export/write';
import { collectReport } from './document';
import { Attributor } from './quotes';
import { reportDocx } from './render-docx';
import { reportHtml, reportMarkdown } from './render-text';
import {
  acceptSlots,
  addQuote,
  bodyFromMemo,
  createFinding,
  mergeSettings,
  deleteFinding,
  moveFinding,
  moveQuote,
  removeQuote,
  removeSlot,
  setSlot,
  updateFinding,
  writeSettings,
} from './store';
import { buildReport, getFinding, reportSettings } from './view';

export const findingHandlers: HandlerMap<keyof typeof findingMethods> = {
  'findings.report': (_input, ctx) => buildReport(ctx.project()),
  'findings.settings': ({ title, settings }, ctx) => {
    const project = ctx.project();
    const merged = settings === undefined ? undefined : mergeSettings(reportSettings(project).settings, settings);
    writeSettings(project, title, merged);
    return buildReport(project);
  },
  'findings.create': (input, ctx) => {
    const id = createFinding(ctx.project(), input);
    return getFinding(ctx.project(), id);
  },
  'findings.update': (input, ctx) => {
    updateFinding(ctx.project(), input);
    return getFinding(ctx.project(), input.id);
  },
  'findings.delete': ({ id }, ctx) => {
    const deleted = deleteFinding(ctx.project(), id);
    return { deleted };
  },
  'findings.move': ({ id, position }, ctx) => {
    moveFinding(ctx.project(), id, position);
    return buildReport(ctx.project());
  },
  'findings.setSlot': (input, ctx) => {
    setSlot(ctx.project(), input);
    return getFinding(ctx.project(), input.findingId);
  },
  'findings.removeSlot': ({ findingId, key }, ctx) => {
    removeSlot(ctx.project(), findingId, key);
    return getFinding(ctx.project(), findingId);
  },
  'findings.accept': ({ findingId }, ctx) => {
    acceptSlots(ctx.project(), findingId);
    return buildReport(ctx.project());
  },
  'findings.addQuote': ({ findingId, segmentId, turnId }, ctx) => {
    addQuote(ctx.project(), findingId, { segmentId, turnId });
    return getFinding(ctx.project(), findingId);
  },
  'findings.removeQuote': ({ findingId, quoteId }, ctx) => {
    removeQuote(ctx.project(), findingId, quoteId);
    return getFinding(ctx.project(), findingId);
  },
  'findings.moveQuote': ({ findingId, quoteId, position }, ctx) => {
    moveQuote(ctx.project(), findingId, quoteId, position);
    return getFinding(ctx.project(), findingId);
  },
  'findings.bodyFromMemo': ({ findingId, memoId }, ctx) => {
    bodyFromMemo(ctx.project(), findingId, memoId);
    return getFinding(ctx.project(), findingId);
  },
  'findings.export': async ({ path, format }, ctx) => {
    ctx.job.progress(0, null, 'Reading the findings');
    const { document } = collectReport(ctx.project());
    const render = format === 'docx' ? () => reportDocx(document) : format === 'md' ? () => reportMarkdown(document) : () => reportHtml(document);
    const written = await writeExport(ctx, path, format, document.findings.length, render);
    return { ...written, warnings: document.warnings };
  },
  'findings.quoteChoices': (input, ctx) => new Attributor(ctx.project(), reportSettings(ctx.project()).settings).choices(input),
};
