// Exports and REFI-QDA exchange (issue 8).
// Each method: input schema (zod) + result type, as in project.ts.
export const exportMethods = {};
