/**
 * A seeded xorshift32 generator: the same numbers from the same seed, run after run, for the data
 * tests and benchmarks generate (the bench files they write keep their contents, and so their
 * cached copies stay valid). The suggest engine's seededRandom (mulberry32) orders its training.
 */
export function xorshift32(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}
