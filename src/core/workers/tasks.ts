import type { PartRequest, PartResult } from '../survey/reader';
import type { ParsedTranscript } from '../transcripts/parse/index';

/**
 * Work that may run on a worker thread: pure functions of their input (files are read by path),
 * whose results survive a structured clone. Each must give exactly what it gives on the main
 * thread; the pool falls back to running them there. Modules load on a task's first call, so a
 * worker that only parses transcripts never loads the survey reader (and exceljs with it).
 */
export const tasks = {
  async parseTranscript(input: { path: string }): Promise<{ parsed: ParsedTranscript; words: number }> {
    const [{ parseTranscriptFile }, { countWords }] = await Promise.all([import('../transcripts/parse/index'), import('../transcripts/parse/model')]);
    const parsed = await parseTranscriptFile(input.path);
    return { parsed, words: countWords(parsed.text) };
  },
  /** Loads the survey reader ahead of readSurveyPart, while the caller reads the file's header (0.2 s sooner). */
  async loadSurveyReader(): Promise<boolean> {
    await import('../survey/reader');
    return true;
  },
  /** The second half of a large survey CSV (see readInHalves in survey/reader.ts). */
  async readSurveyPart(input: PartRequest): Promise<PartResult> {
    const { readDelimitedPart } = await import('../survey/reader');
    return readDelimitedPart(input);
  },
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<T extends TaskName> = Parameters<Tasks[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<Tasks[T]>>;
