// Cross-tabulation, saved tables and charts (issue 7).
// Each method: input schema (zod) + result type, as in project.ts.
export const tableMethods = {};
