import type { PartRequest, PartResult } from './reader';

/** The survey reader's work on worker threads (registered in core/tasks.ts). */
export const surveyTasks = {
  /** Loads the survey reader ahead of readSurveyPart, while the caller reads the file's header (0.2 s sooner). */
  async loadSurveyReader(): Promise<boolean> {
    await import('./reader');
    return true;
  },
  /** The second half of a large survey CSV (see readInHalves in reader.ts). */
  async readSurveyPart(input: PartRequest): Promise<PartResult> {
    const { readDelimitedPart } = await import('./reader');
    return readDelimitedPart(input);
  },
};

declare module '../workers/pool' {
  interface TaskRegistry {
    loadSurveyReader: (typeof surveyTasks)['loadSurveyReader'];
    readSurveyPart: (typeof surveyTasks)['readSurveyPart'];
  }
}
