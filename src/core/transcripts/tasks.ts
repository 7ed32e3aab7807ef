import type { ParsedTranscript } from './parse/index';

/** Transcript parsing on worker threads (registered in core/tasks.ts). */
export const transcriptTasks = {
  async parseTranscript(input: { path: string }): Promise<{ parsed: ParsedTranscript; words: number }> {
    const [{ parseTranscriptFile }, { countWords }] = await Promise.all([import('./parse/index'), import('./parse/model')]);
    const parsed = await parseTranscriptFile(input.path);
    return { parsed, words: countWords(parsed.text) };
  },
};

declare module '../workers/pool' {
  interface TaskRegistry {
    parseTranscript: (typeof transcriptTasks)['parseTranscript'];
  }
}
