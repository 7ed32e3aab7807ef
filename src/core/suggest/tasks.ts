import type { CodeSpec, Evidence, SuggesterState, TrainingPassage } from './engine/model';

export interface RescoreInput {
  passages: TrainingPassage[];
  codes: CodeSpec[];
  /** Each distinct open passage once, with the codes it is suggested for. */
  items: { text: string; keys: string[] }[];
}

export interface RescoreOutput {
  state: SuggesterState;
  /** Per item, per key (same order): the new score and evidence, or null for a code the model no longer has. */
  results: ({ score: number; evidence: Evidence } | null)[][];
}

/** Retraining and rescoring behind the review queue (registered in core/tasks.ts). */
export const suggestTasks = {
  async suggestRescore(input: RescoreInput): Promise<RescoreOutput> {
    const [{ Suggester }, { tokenize }] = await Promise.all([import('./engine/model'), import('./engine/tokenize')]);
    const suggester = Suggester.train(input.passages, input.codes);
    const results = input.items.map((item) => {
      const scores = suggester.score(item.text, tokenize(item.text));
      return item.keys.map((key) => {
        const hit = scores.find((s) => s.key === key);
        return hit ? { score: hit.score, evidence: hit.evidence } : null;
      });
    });
    return { state: suggester.state(), results };
  },
};

declare module '../workers/pool' {
  interface TaskRegistry {
    suggestRescore: (typeof suggestTasks)['suggestRescore'];
  }
}
