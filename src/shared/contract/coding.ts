// Codebook, segments, codings, memos, undo and agreement (issue 5).
// Each method: input schema (zod) + result type, as in project.ts.
export const codingMethods = {};
