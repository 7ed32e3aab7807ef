import { readDelimitedPart, type PartRequest, type PartResult } from '../survey/reader';
import { parseTranscriptFile, type ParsedTranscript } from '../transcripts/parse/index';
import { countWords } from '../transcripts/parse/model';

/**
 * Work that may run on a worker thread: pure functions of their input (files are read by path),
 * whose results survive a structured clone. Each must give exactly what it gives on the main
 * thread; the pool falls back to running them there.
 */
export const tasks = {
  async parseTranscript(input: { path: string }): Promise<{ parsed: ParsedTranscript; words: number }> {
    const parsed = await parseTranscriptFile(input.path);
    return { parsed, words: countWords(parsed.text) };
  },
  /** The second half of a large survey CSV (see readInHalves in survey/reader.ts). */
  readSurveyPart(input: PartRequest): Promise<PartResult> {
    return readDelimitedPart(input);
  },
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<T extends TaskName> = Parameters<Tasks[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<Tasks[T]>>;
