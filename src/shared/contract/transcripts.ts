// Transcripts, participants and search (issue 4).
// Each method: input schema (zod) + result type, as in project.ts.
export const transcriptMethods = {};
