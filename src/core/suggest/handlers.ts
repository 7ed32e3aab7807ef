import path from 'node:path';
import type { suggestMethods } from '../../shared/contract/suggest';
import { FieldbookError } from '../../shared/errors';
import type { HandlerMap } from '../context';
import { createCodeWith } from '../coding/codebook';
import { runOperation } from '../history/history';
import { applyCodingWith, DocumentTexts } from '../coding/segments';
import { evaluateSuggestions, type EvalPassage } from './engine/evaluate';
import { readCodedCsv } from './eval-data';
import { listSuggestions, reviewSuggestions, runSuggestions } from './service';
import { discoverThemes } from './themes';

export const suggestHandlers: HandlerMap<keyof typeof suggestMethods> = {
  'suggest.run': async (input, ctx) => {
    const result = await runSuggestions(ctx.project(), input, ctx.job);
    return result;
  },
  'suggest.list': (input, ctx) => listSuggestions(ctx.project(), input),
  'suggest.review': (input, ctx) => {
    const result = reviewSuggestions(ctx.project(), input);
    return result;
  },
  'suggest.themes': (input, ctx) => discoverThemes(ctx.project(), input, input.limit ?? 12, ctx.job),
  'suggest.adoptTheme': (input, ctx) => {
    const project = ctx.project();
    const result = runOperation(project, `Make code "${input.name}" from a theme`, (rec) => {
      const codeId = createCodeWith(rec, project, { name: input.name, keywords: input.keywords ?? [] });
      const texts = new DocumentTexts(project);
      let coded = 0;
      for (const p of input.passages ?? []) {
        if (applyCodingWith(rec, project, { documentId: p.documentId, start: p.start, end: p.end, codeId, source: 'suggestion' }, texts).created) coded++;
      }
      return { codeId, coded };
    });
    return result;
  },
  'suggest.eval': async (input, ctx) => {
    let passages: EvalPassage[];
    let source: string;
    if (input.dataPath) {
      passages = readCodedCsv(input.dataPath);
      source = path.basename(input.dataPath);
    } else {
      const project = ctx.project();
      const rows = project.db
        .prepare(
          `SELECT s.id, s.document_id AS documentId, s.text, k.name AS code
             FROM segment s JOIN coding c ON c.segment_id = s.id JOIN code k ON k.id = c.code_id ORDER BY s.id, k.name`,
        )
        .all() as { id: number; documentId: number; text: string; code: string }[];
      const byId = new Map<number, EvalPassage>();
      for (const r of rows) {
        let p = byId.get(r.id);
        if (!p) byId.set(r.id, (p = { text: r.text, codes: [], group: String(r.documentId) }));
        if (!p.codes.includes(r.code)) p.codes.push(r.code);
      }
      passages = [...byId.values()];
      source = project.name;
    }
    if (passages.length < 10) {
      throw new FieldbookError('INVALID_INPUT', `Evaluation needs at least 10 coded passages; ${source} has ${passages.length}.`);
    }
    const report = await evaluateSuggestions(passages, {
      ...(input.folds !== undefined ? { folds: input.folds } : {}),
      ...(input.minPassages !== undefined ? { minPassages: input.minPassages } : {}),
      ...(input.learningCurve !== undefined ? { learningCurve: input.learningCurve } : {}),
      onProgress: (done, total, message) => ctx.job.progress(done, total, message),
      checkpoint: () => ctx.job.checkpoint(),
    });
    if (report.codes === 0) {
      throw new FieldbookError('INVALID_INPUT', `No code in ${source} has ${report.minPassages} or more passages to evaluate.`);
    }
    return { source, ...report };
  },
};
