import type { z } from 'zod';

/**
 * One entry of the contract: the zod schema that every host validates the input with, and the
 * result type (a phantom: it exists only for the type checker). `job: true` marks long work that
 * reports progress and can be cancelled.
 */
export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly job: boolean;
  /** Phantom field: never read at run time. */
  readonly output?: O;
}

export function method<O>() {
  return <I extends z.ZodType>(input: I, options: { job?: boolean } = {}): MethodSpec<I, O> => ({
    input,
    job: options.job ?? false,
  });
}
