import type { SuggestAgreementResult } from '../../shared/contract/suggest';
import type { AgreementUnitKind } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import { runAgreement, type MachineCoder } from '../coding/agreement';
import type { Job } from '../context';
import type { Project } from '../store/project';
import { foldsOf, Suggester, type TrainingPassage } from './engine/model';
import { tokenize } from './engine/tokenize';
import { passagesOf } from './passages';
import { codeSpecs } from './service';

export const MACHINE_NAME = 'Fieldbook suggestions';
const MAX_FOLDS = 5;

/** Every coded passage with all its codes, by any of the given coders, grouped by document. */
function codedPassages(project: Project, coderIds: readonly number[]): TrainingPassage[] {
  const rows = project.db
    .prepare(
      `SELECT s.id, s.document_id AS documentId, s.text, group_concat(DISTINCT c.code_id) AS codes
         FROM segment s JOIN coding c ON c.segment_id = s.id
        WHERE c.coder_id IN (${coderIds.join(',')}) GROUP BY s.id ORDER BY s.id`,
    )
    .all() as { id: number; documentId: number; text: string; codes: string }[];
  return rows.map((r) => ({ text: r.text, codes: r.codes.split(',').sort(), group: String(r.documentId), ref: r.id }));
}

/**
 * What the suggester would code in each document when it has learned only from the other
 * documents (cross-validation grouped by document): judging a passage it was trained on would
 * flatter it. A code is applied where the model's own held-out decision rule says so.
 */
async function machineCodings(project: Project, coderIds: readonly number[], unit: AgreementUnitKind, job: Job): Promise<{ machine: MachineCoder; folds: number }> {
  const passages = codedPassages(project, coderIds);
  const documents = [...new Set(passages.map((p) => Number(p.group)))].sort((a, b) => a - b);
  if (documents.length < 2) {
    throw new FieldbookError('INVALID_INPUT', 'Comparing with Fieldbook suggestions needs coding in at least two documents: it is judged on documents it did not learn from.', {
      field: 'coderIds',
    });
  }
  const k = Math.min(MAX_FOLDS, documents.length);
  // One entry per document: the folds are made over documents, so each lands in exactly one.
  const docFold = foldsOf(documents.map((d) => ({ text: '', codes: [], group: String(d) })), k, 7);
  const foldOf = new Map(documents.map((d, i) => [d, docFold[i]!]));
  const codes = codeSpecs(project);
  const codings: MachineCoder['codings'] = [];
  for (let f = 0; f < k; f++) {
    job.progress(f, k, `Judging documents as Fieldbook suggestions (${f + 1} of ${k})`);
    await job.checkpoint();
    const model = Suggester.train(passages.filter((p) => foldOf.get(Number(p.group)) !== f), codes);
    for (const d of documents.filter((doc) => foldOf.get(doc) === f)) {
      for (const p of passagesOf(project, { documentId: d }, unit)) {
        for (const key of model.predict(model.score(p.text, tokenize(p.text), 0))) {
          codings.push({ documentId: d, start: p.start, end: p.end, codeId: Number(key) });
        }
      }
    }
  }
  return { machine: { name: MACHINE_NAME, codings, documentIds: documents }, folds: k };
}

/** Quotes coded by accepting a suggestion: still each person's coding, counted here. */
function viaSuggestions(project: Project): SuggestAgreementResult['viaSuggestions'] {
  const total = project.db.prepare(`SELECT count(*) FROM coding WHERE source = 'suggestion'`).pluck().get() as number;
  const perCode = project.db
    .prepare(
      `SELECT k.id AS codeId, k.name AS codeName, count(*) AS quotes FROM coding c JOIN code k ON k.id = c.code_id
        WHERE c.source = 'suggestion' GROUP BY k.id ORDER BY k.name, k.id`,
    )
    .all() as SuggestAgreementResult['viaSuggestions']['perCode'];
  const perCoder = project.db
    .prepare(
      `SELECT r.id AS coderId, r.name, count(*) AS quotes FROM coding c JOIN coder r ON r.id = c.coder_id
        WHERE c.source = 'suggestion' GROUP BY r.id ORDER BY r.name, r.id`,
    )
    .all() as SuggestAgreementResult['viaSuggestions']['perCoder'];
  return { total, perCode, perCoder };
}

/** "Fieldbook suggestions" as one more coder, against each person, per code, on the units both judged. */
export async function suggestionsAgreement(
  project: Project,
  input: { coderIds?: number[] | undefined; unit?: AgreementUnitKind | undefined; codeIds?: number[] | undefined },
  job: Job,
): Promise<SuggestAgreementResult> {
  const coderIds =
    input.coderIds && input.coderIds.length > 0
      ? [...new Set(input.coderIds)]
      : (project.db.prepare('SELECT DISTINCT coder_id FROM coding ORDER BY coder_id').pluck().all() as number[]);
  if (coderIds.length === 0) throw new FieldbookError('INVALID_INPUT', 'Nobody has coded anything yet: there is no one to compare the suggestions with.');
  const unit = input.unit ?? 'turn';
  const { machine, folds } = await machineCodings(project, coderIds, unit, job);
  job.throwIfCancelled();
  const perCoder = coderIds.map((coderId) => {
    const report = runAgreement(project, { coderIds: [coderId], unit, ...(input.codeIds ? { codeIds: input.codeIds } : {}) }, machine);
    return { coder: report.coders[0]!, overall: report.overall, perCode: report.perCode };
  });
  return { name: MACHINE_NAME, unit, folds, documents: machine.documentIds.length, perCoder, viaSuggestions: viaSuggestions(project) };
}
