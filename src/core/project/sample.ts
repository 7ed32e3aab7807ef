import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { contract } from '../../shared/contract/index';
import { FieldbookError } from '../../shared/errors';
import { codingHandlers } from '../coding/handlers';
import { applyCodings } from '../coding/segments';
import type { HandlerContext, Job } from '../context';
import { openProject, type Project } from '../store/project';
import { surveyHandlers } from '../survey/handlers';
import { transcriptHandlers } from '../transcripts/handlers';

/**
 * Builds the sample study (issue 9) from the source files in resources/sample — written by
 * scripts/generate-sample.ts — through the same handlers the UI and the CLI call, so the sample
 * shows exactly what an import produces and breaks loudly when an importer changes.
 *
 * The project is built in a scratch file next to the target and renamed into place at the end:
 * a failure or a cancel leaves no half-built sample behind (openSample would otherwise open it).
 */

const manifestSchema = z.object({
  title: z.string(),
  surveys: z
    .array(
      z.object({
        file: z.string().min(1),
        name: z.string().min(1),
        wave: z.string().min(1),
        format: z.enum(['surveymonkey', 'qualtrics']),
        respondents: z.number().int().positive(),
      }),
    )
    .min(1),
  interviews: z
    .array(
      z.object({
        file: z.string().min(1),
        name: z.string().min(1),
        participant: z.string().min(1),
        format: z.enum(['vtt', 'srt', 'docx', 'txt']),
        language: z.enum(['en', 'zh']),
      }),
    )
    .min(1),
  questions: z.array(z.object({ text: z.string().min(1), type: z.enum(['single', 'ordinal', 'multi', 'text', 'weight']) })),
  participants: z.string().min(1),
  codebook: z.string().min(1),
  codings: z.string().min(1),
});
export type SampleManifest = z.infer<typeof manifestSchema>;

/** Every method the build goes through, in order: checked up front so a build never starts half-able. */
const STEPS = {
  survey: ['survey.preview', 'survey.import'],
  participants: ['participants.importSheet', 'participants.list'],
  transcripts: ['transcripts.import', 'documents.list', 'documents.get'],
  codebook: ['codes.import', 'codes.list'],
} as const;

type AnyHandler = (input: unknown, ctx: HandlerContext) => unknown;

// Looked up by name: the contract grows while the importers land, and a missing method must be a
// clear "not in this build" rather than a type error that stops the whole core from compiling.
const HANDLERS = { ...surveyHandlers, ...transcriptHandlers, ...codingHandlers } as unknown as Record<string, AnyHandler | undefined>;
const SPECS = contract as unknown as Record<string, { input: z.ZodType } | undefined>;

function available(method: string): boolean {
  return SPECS[method] !== undefined && HANDLERS[method] !== undefined;
}

/** Which parts of the build this core can do (tests and the start screen use it). */
export function sampleBuildSupport(): { ready: boolean; missing: string[] } {
  const missing = Object.values(STEPS)
    .flat()
    .filter((method) => !available(method));
  return { ready: missing.length === 0, missing };
}

async function call(ctx: HandlerContext, method: string, input: unknown): Promise<unknown> {
  const spec = SPECS[method];
  const handler = HANDLERS[method];
  if (!spec || !handler) {
    throw new FieldbookError('NOT_FOUND', `The sample study cannot be built: this build has no ${method} yet.`, { method });
  }
  // Validated exactly as a host would, so the sample never feeds a handler what the UI could not.
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FieldbookError('INTERNAL', `The sample study's input for ${method} is not valid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}.`, {
      method,
    });
  }
  return handler(parsed.data, ctx);
}

function parseResult<T>(schema: z.ZodType<T>, value: unknown, method: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new FieldbookError('INTERNAL', `${method} answered in a shape the sample builder does not expect: ${parsed.error.issues[0]?.message ?? ''}.`, {
      method,
    });
  }
  return parsed.data;
}

function readManifest(dir: string): SampleManifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new FieldbookError('NOT_FOUND', `The sample study is not available in this build: ${file} is missing.`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FieldbookError('PARSE_ERROR', `${file} is not valid JSON: ${(error as Error).message}.`, { file });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FieldbookError('PARSE_ERROR', `${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is not a sample manifest'}.`, { file });
  }
  for (const relative of [...parsed.data.surveys.map((s) => s.file), ...parsed.data.interviews.map((i) => i.file), parsed.data.participants, parsed.data.codebook, parsed.data.codings]) {
    if (!fs.existsSync(path.join(dir, relative))) {
      throw new FieldbookError('NOT_FOUND', `The sample study is incomplete: ${relative} is missing from ${dir}.`, { file: path.join(dir, relative) });
    }
  }
  return parsed.data;
}

export interface StarterCodingRow {
  /** The interview's file name (as in the manifest, without the folder). */
  document: string;
  quote: string;
  code: string;
  /** 1-based line in the CSV, for messages. */
  line: number;
}

export function readStarterCodings(file: string): StarterCodingRow[] {
  const parsed = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const bad = parsed.errors[0];
  if (bad) {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}, record ${(bad.row ?? 0) + 1}: ${bad.message}.`, { file, record: (bad.row ?? 0) + 1 });
  }
  const [header, ...rows] = parsed.data;
  if (header?.join(',') !== 'document,quote,code') {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}, line 1: expected the columns document, quote, code.`, { file, line: 1 });
  }
  return rows.map((row, index) => {
    const [document = '', quote = '', code = ''] = row;
    const line = index + 2;
    if (!document || !quote || !code) {
      throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}, line ${line}: every starter coding needs a document, a quote and a code.`, { file, line });
    }
    return { document, quote, code, line };
  });
}

/** A job that labels the importers' progress with the build step it belongs to. */
function stepJob(job: Job, step: () => string): Job {
  return {
    id: job.id,
    signal: job.signal,
    progress: (done, total, message) => job.progress(done, total, `${step()}: ${message}`),
    throwIfCancelled: () => job.throwIfCancelled(),
    checkpoint: () => job.checkpoint(),
  };
}

/** The context the importers see: the scratch project, and no change events (no host has it open yet). */
function buildContext(ctx: HandlerContext, project: Project, job: Job): HandlerContext {
  return {
    settings: ctx.settings,
    job,
    project: () => project,
    currentProject: () => project,
    setProject() {
      throw new FieldbookError('INTERNAL', 'The sample builder cannot switch projects.');
    },
    emit: (event) => {
      if (event.type === 'progress') ctx.emit(event);
    },
    workers: ctx.workers,
  };
}

const codeList = z.array(z.object({ id: z.number(), name: z.string(), parentId: z.number().nullable() }));
const documentList = z.array(z.object({ id: z.number(), name: z.string(), sourceFile: z.string().nullable() }));
const documentText = z.object({ text: z.string() });
const participantGrid = z.object({ participants: z.array(z.object({ id: z.number(), name: z.string() })) });

const surveyPreview = z.object({
  columns: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), groupLabel: z.string().nullable() })),
});

/**
 * What a person checking the import preview would fix, knowing the questionnaire: the weight
 * column, and a single-choice or scale question read as a multi-select because its labels contain
 * commas ("1,000-4,999 employees" looks like Qualtrics' packed "1,3,5"). Other guesses are left as
 * the importer makes them, so the sample shows the importer's real behaviour.
 */
export function confirmPreview(
  columns: z.infer<typeof surveyPreview>['columns'],
  questions: SampleManifest['questions'],
): { types?: Record<string, 'single' | 'ordinal'>; weightColumn?: string } {
  const types: Record<string, 'single' | 'ordinal'> = {};
  let weightColumn: string | undefined;
  for (const column of columns) {
    const question = questions.find((q) => q.text === column.label || q.text === column.groupLabel);
    if (!question) continue;
    if (question.type === 'weight') weightColumn = column.name;
    else if ((question.type === 'single' || question.type === 'ordinal') && column.type === 'multi') types[column.name] = question.type;
  }
  return { ...(Object.keys(types).length > 0 ? { types } : {}), ...(weightColumn ? { weightColumn } : {}) };
}

export async function buildSampleProject(target: string, ctx: HandlerContext): Promise<void> {
  const dir = ctx.settings.sampleDir;
  const manifest = readManifest(dir);
  const starter = readStarterCodings(path.join(dir, manifest.codings));
  const support = sampleBuildSupport();
  if (!support.ready) {
    throw new FieldbookError('NOT_FOUND', `The sample study cannot be built by this build yet: it lacks ${support.missing.join(', ')}.`, {
      file: target,
      missing: support.missing,
    });
  }

  const scratch = `${target}.building`;
  let step = 'Preparing';
  const job = stepJob(ctx.job, () => step);
  const project = openProject(scratch, { create: true, overwrite: true });
  const inner = buildContext(ctx, project, job);
  const source = (relative: string) => path.join(dir, relative);
  try {
    step = 'Importing the survey waves';
    const datasetIds = new Map<string, number>();
    for (const survey of manifest.surveys) {
      job.progress(0, null, survey.name);
      const preview = parseResult(surveyPreview, await call(inner, 'survey.preview', { path: source(survey.file), format: survey.format }), 'survey.preview');
      const overrides = confirmPreview(preview.columns, manifest.questions);
      const result = await call(inner, 'survey.import', { path: source(survey.file), format: survey.format, name: survey.name, wave: survey.wave, overrides });
      datasetIds.set(survey.wave, parseResult(z.object({ datasetId: z.number() }), result, 'survey.import').datasetId);
      await job.checkpoint();
    }

    step = 'Importing the participant sheet';
    const lastWave = manifest.surveys[manifest.surveys.length - 1]?.wave ?? '';
    await call(inner, 'participants.importSheet', {
      path: source(manifest.participants),
      keyColumn: 'participant',
      respondentColumn: 'survey_response_id',
      datasetId: datasetIds.get(lastWave),
    });
    const grid = parseResult(participantGrid, await call(inner, 'participants.list', {}), 'participants.list');
    const participantIds = new Map(grid.participants.map((p) => [p.name, p.id]));
    await job.checkpoint();

    step = 'Importing the interviews';
    await call(inner, 'transcripts.import', {
      files: manifest.interviews.map((interview) => {
        const participantId = participantIds.get(interview.participant);
        return {
          path: source(interview.file),
          name: interview.name,
          participantName: interview.participant,
          speakers: [
            { label: interview.participant, isInterviewer: false, ...(participantId ? { participantId } : {}) },
            // The .txt files write the interviewer in capitals, the others as a name.
            { label: interview.format === 'txt' ? 'INTERVIEWER' : 'Interviewer', displayName: 'Interviewer', isInterviewer: true },
          ],
        };
      }),
    });
    await job.checkpoint();

    step = 'Importing the codebook';
    await call(inner, 'codes.import', { path: source(manifest.codebook) });
    await job.checkpoint();

    step = 'Applying the starter codings';
    const codes = parseResult(codeList, await call(inner, 'codes.list', {}), 'codes.list');
    const documents = parseResult(documentList, await call(inner, 'documents.list', { kind: 'transcript' }), 'documents.list');
    const texts = new Map<number, string>();
    const codings = [];
    for (const row of starter) {
      const where = { file: source(manifest.codings), line: row.line };
      const doc = documents.find((d) => d.sourceFile !== null && path.basename(d.sourceFile) === row.document);
      if (!doc) throw new FieldbookError('NOT_FOUND', `${manifest.codings}, line ${row.line}: no interview was imported from ${row.document}.`, where);
      const code = codes.find((c) => c.name === row.code);
      if (!code) throw new FieldbookError('NOT_FOUND', `${manifest.codings}, line ${row.line}: the codebook has no code "${row.code}".`, where);
      let text = texts.get(doc.id);
      if (text === undefined) {
        text = parseResult(documentText, await call(inner, 'documents.get', { id: doc.id, includeText: true, turnLimit: 1 }), 'documents.get').text;
        texts.set(doc.id, text);
      }
      const start = text.indexOf(row.quote);
      if (start < 0) {
        throw new FieldbookError('NOT_FOUND', `${manifest.codings}, line ${row.line}: the quote "${row.quote.slice(0, 60)}" is not in ${row.document} as imported.`, where);
      }
      codings.push({ documentId: doc.id, start, end: start + row.quote.length, codeId: code.id, source: 'import' as const });
    }
    // One undoable operation for all of them, marked as imported rather than coded by hand here.
    applyCodings(project, codings, 'Starter codings of the sample study');

    step = 'Finishing';
    job.throwIfCancelled();
    // A newcomer's first Ctrl+Z should not take the sample apart: the build is not their history.
    project.db.prepare('DELETE FROM operation').run();
    project.close();
    fs.renameSync(scratch, target);
  } catch (error) {
    project.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
    throw error;
  }
}
