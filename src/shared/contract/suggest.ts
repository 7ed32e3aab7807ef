// NLP suggestions, theme discovery, evaluation (issue 6).
// Each method: input schema (zod) + result type, as in project.ts.
export const suggestMethods = {};
