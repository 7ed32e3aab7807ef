// Survey import (issue 3): datasets, waves, variables, respondents.
// Each method: input schema (zod) + result type, as in project.ts.
export const surveyMethods = {};
