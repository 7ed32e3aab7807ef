// jstat ships no types; only what the analysis engine uses is declared. It is CommonJS: import
// it as a default import (a named import passes tsc and then fails in the ESM bundle).
declare module 'jstat' {
  interface JStatDistributions {
    chisquare: { cdf(x: number, dof: number): number };
    normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number };
    studentt: { cdf(x: number, dof: number): number };
    lowRegGamma(a: number, x: number): number;
  }
  const jStat: JStatDistributions;
  export default jStat;
}
