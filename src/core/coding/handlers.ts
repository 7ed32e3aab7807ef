import type { codingMethods } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { HandlerMap } from '../context';
import { resolveDisagreement, runAgreement } from './agreement';
import {
  createCode,
  createCodeWith,
  deleteCode,
  deletePreview,
  getCode,
  listCodes,
  mergeCodes,
  moveCode,
  splitCode,
  updateCode,
} from './codebook';
import { exportCodebookCsv, exportCodebookQdc, importCodebook } from './codebook-io';
import { historyState, listHistory, redo, runOperation, undo } from '../history/history';
import { answersContext, cooccurrencePairs, listQuotes, runCooccurrence } from './quotes';
import {
  adjustSegment,
  applyCoding,
  applyCodingWith,
  createSegment,
  deleteMemo,
  DocumentTexts,
  getSegment,
  listMemos,
  listSegments,
  removeCoding,
  saveMemo,
  starSegment,
} from './segments';
import { chooseCoder, codingSession, createCoder, setBlind } from './session';

/** The name an in-vivo code gets: the selection's own words, trimmed to a readable length. */
function inVivoName(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().replace(/^["'“‘]+|["'”’.,;:!?]+$/g, '');
  if (!words) throw new FieldbookError('INVALID_INPUT', 'Select some words to make an in-vivo code from.');
  return words.length > 60 ? `${words.slice(0, 57).trimEnd()}…` : words;
}

export const codingHandlers: HandlerMap<keyof typeof codingMethods> = {
  'codes.list': (_input, ctx) => listCodes(ctx.project()),
  'codes.create': ({ name, parentId, ...fields }, ctx) => {
    const project = ctx.project();
    const id = createCode(project, { name, parentId: parentId ?? null, ...fields });
    return getCode(project, id);
  },
  'codes.update': ({ id, ...fields }, ctx) => {
    const project = ctx.project();
    updateCode(project, id, fields);
    return getCode(project, id);
  },
  'codes.move': ({ id, parentId, position }, ctx) => {
    const project = ctx.project();
    moveCode(project, id, parentId, position);
    return getCode(project, id);
  },
  'codes.merge': ({ sourceIds, targetId }, ctx) => {
    const result = mergeCodes(ctx.project(), sourceIds, targetId);
    return result;
  },
  'codes.split': ({ id, parts }, ctx) => {
    const project = ctx.project();
    const ids = splitCode(project, id, parts);
    const all = listCodes(project);
    return ids.map((x) => all.find((c) => c.id === x)!).filter(Boolean);
  },
  'codes.deletePreview': ({ id }, ctx) => deletePreview(ctx.project(), id),
  'codes.delete': ({ id }, ctx) => {
    const result = deleteCode(ctx.project(), id);
    return result;
  },
  'codes.export': ({ format }, ctx) => {
    const project = ctx.project();
    return format === 'csv'
      ? { text: exportCodebookCsv(project), fileName: `${project.name} codebook.csv` }
      : { text: exportCodebookQdc(project), fileName: `${project.name} codebook.qdc` };
  },
  'codes.import': async (input, ctx) => {
    const result = await importCodebook(ctx.project(), input);
    return result;
  },

  'segments.list': ({ documentId }, ctx) => listSegments(ctx.project(), documentId),
  'segments.create': ({ documentId, start, end }, ctx) => {
    const project = ctx.project();
    const id = createSegment(project, documentId, start, end);
    return getSegment(project, id);
  },
  'segments.adjust': ({ id, start, end }, ctx) => {
    const project = ctx.project();
    adjustSegment(project, id, start, end);
    return getSegment(project, id);
  },
  'segments.star': ({ id, starred }, ctx) => {
    const project = ctx.project();
    starSegment(project, id, starred);
    return getSegment(project, id);
  },

  'codings.apply': (input, ctx) => {
    const result = applyCoding(ctx.project(), input);
    return result;
  },
  'codings.applyInVivo': ({ documentId, start, end, parentId }, ctx) => {
    const project = ctx.project();
    const texts = new DocumentTexts(project);
    const doc = texts.get(documentId);
    const name = inVivoName(doc.text.slice(start, end));
    const result = runOperation(project, `In-vivo code "${name}"`, (rec) => {
      // The same words selected again: reuse the in-vivo code made the first time.
      const existing = project.db.prepare('SELECT id FROM code WHERE parent_id IS ? AND lower(name) = lower(?)').get(parentId ?? null, name) as
        | { id: number }
        | undefined;
      const codeId = existing?.id ?? createCodeWith(rec, project, { name, parentId: parentId ?? null });
      return applyCodingWith(rec, project, { documentId, start, end, codeId }, texts);
    });
    const codeId = (project.db.prepare('SELECT code_id FROM coding WHERE id = ?').get(result.codingId) as { code_id: number }).code_id;
    return { ...result, code: getCode(project, codeId) };
  },
  'codings.remove': ({ codingId }, ctx) => {
    const removed = removeCoding(ctx.project(), codingId);
    return { removed };
  },

  'memos.list': ({ targetKind, targetId }, ctx) => listMemos(ctx.project(), targetKind, targetId),
  'memos.save': (input, ctx) => {
    const memo = saveMemo(ctx.project(), input);
    return memo;
  },
  'memos.delete': ({ id }, ctx) => {
    const deleted = deleteMemo(ctx.project(), id);
    return { deleted };
  },

  'coders.list': (_input, ctx) => codingSession(ctx.project()),
  'coders.create': ({ name, color }, ctx) => {
    const session = createCoder(ctx.project(), name, color);
    return session;
  },
  'coders.choose': ({ id }, ctx) => {
    const session = chooseCoder(ctx.project(), id);
    // Blind mode shows each coder only their own work: every coding view must refetch.
    return session;
  },
  'coders.setBlind': ({ blind }, ctx) => {
    const session = setBlind(ctx.project(), blind);
    return session;
  },

  'history.state': (_input, ctx) => historyState(ctx.project()),
  'history.list': ({ limit }, ctx) => listHistory(ctx.project(), limit),
  'history.undo': (_input, ctx) => {
    const step = undo(ctx.project());
    return step;
  },
  'history.redo': (_input, ctx) => {
    const step = redo(ctx.project());
    return step;
  },

  'answers.context': ({ documentId }, ctx) => answersContext(ctx.project(), documentId),
  'quotes.list': (input, ctx) => listQuotes(ctx.project(), input),
  'cooccurrence.run': ({ codeIds }, ctx) => runCooccurrence(ctx.project(), codeIds),
  'cooccurrence.pairs': ({ codeA, codeB }, ctx) => cooccurrencePairs(ctx.project(), codeA, codeB),
  'agreement.run': (input, ctx) => runAgreement(ctx.project(), input),
  'agreement.resolve': (input, ctx) => {
    const result = resolveDisagreement(ctx.project(), input);
    return result;
  },
};
