import { useMutation, useQuery, useQueryClient, type QueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { effects, methodsReading } from '../../../shared/contract/effects';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Input, MethodName, Output } from '../../../shared/contract/index';
import { FieldbookError } from '../../../shared/errors';
import type { ChangeTopic, ProgressEvent } from '../../../shared/events';
import { getBridge } from './bridge';

/** Reads from the core, cached by method + input; refetched when the project changes. */
export function useCall<M extends MethodName>(
  method: M,
  input: Input<M>,
  options: Omit<UseQueryOptions<Output<M>, FieldbookError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Output<M>, FieldbookError>({
    queryKey: [method, input],
    queryFn: () => getBridge().call(method, input),
    ...options,
  });
}

/**
 * Refetches exactly the cached reads whose method reads one of `topics` (the contract's effects
 * table), not every query: a coding does not reload the survey's variables.
 */
export function invalidateTopics(client: QueryClient, topics: readonly ChangeTopic[]): Promise<void> {
  if (topics.length === 0) return Promise.resolve();
  const reading = methodsReading(topics);
  return client.invalidateQueries({ predicate: (query) => reading.has(query.queryKey[0] as MethodName) });
}

/** What a method's success changes, refetched at once (the core's event follows for other windows). */
export function invalidateAfter(client: QueryClient, method: MethodName): Promise<void> {
  return invalidateTopics(client, effects[method].changes);
}

/** Changes data in the core; errors surface through the caller's onError or the global toast. */
export function useAction<M extends MethodName>(method: M) {
  const client = useQueryClient();
  return useMutation<Output<M>, FieldbookError, Input<M>>({
    mutationFn: (input) => getBridge().call(method, input),
    onSuccess: () => invalidateAfter(client, method),
  });
}

/** Refetches the cached reads of the topics the core says changed. */
export function useProjectEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      getBridge().onEvent((event) => {
        if (event.type === 'project.changed') void invalidateTopics(client, event.topics);
      }),
    [client],
  );
}

export interface JobState {
  jobId: string;
  title: string;
  progress: ProgressEvent | null;
}

let jobCounter = 0;
function newJobId(): string {
  jobCounter += 1;
  return `job-${Date.now().toString(36)}-${jobCounter}`;
}

/**
 * Runs long work (imports, training, exports) with progress and a cancel that reaches the core.
 * Render `<ProgressDialog job={job.state} onCancel={job.cancel} />` while `job.state` is set.
 */
export function useJob() {
  const client = useQueryClient();
  const [state, setState] = useState<JobState | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      getBridge().onEvent((event) => {
        if (event.type === 'progress' && event.jobId === current.current) {
          setState((s) => (s && s.jobId === event.jobId ? { ...s, progress: event } : s));
        }
      }),
    [],
  );

  const run = useCallback(
    async <M extends MethodName>(method: M, input: Input<M>, title: string): Promise<Output<M>> => {
      const jobId = newJobId();
      current.current = jobId;
      setState({ jobId, title, progress: null });
      try {
        const result = await getBridge().call(method, input, { jobId });
        await invalidateAfter(client, method);
        return result;
      } finally {
        current.current = null;
        setState(null);
      }
    },
    [client],
  );

  const cancel = useCallback(() => {
    const jobId = current.current;
    if (jobId) void getBridge().call('jobs.cancel', { jobId });
  }, []);

  return { state, run, cancel };
}

export function errorMessage(error: unknown): string {
  if (error instanceof FieldbookError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
