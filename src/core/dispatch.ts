import { contract, isMethodName } from '../shared/contract/index';
import { FieldbookError, type ErrorInfo } from '../shared/errors';
import type { Envelope } from '../shared/api';
import type { Core } from './core';

export type { Envelope } from '../shared/api';

export interface CallRequest {
  method: string;
  input: unknown;
  jobId?: string | undefined;
}

/** Turns anything thrown into the error value that crosses the boundary. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof FieldbookError) return error.toInfo();
  const code = (error as { code?: unknown })?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOSPC') {
    const file = (error as { path?: string }).path;
    return {
      code: 'IO_ERROR',
      message: `${code === 'ENOENT' ? 'File not found' : code === 'EACCES' ? 'Permission denied' : code === 'ENOSPC' ? 'The disk is full' : 'That is a folder'}${file ? `: ${file}` : ''}.`,
      ...(file ? { details: { file } } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside Fieldbook: ${message}` };
}

/**
 * The one door into the core for every host (Electron IPC, web bridge, CLI): checks the method
 * exists, validates the input with the contract's schema, runs it, and returns plain data.
 */
export async function dispatch(core: Core, request: CallRequest): Promise<Envelope> {
  const { method, input, jobId } = request;
  if (typeof method !== 'string' || !isMethodName(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method)}.` } };
  }
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid input for ${method}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}.`,
        details: { field: first?.path ?? '', issues },
      },
    };
  }
  try {
    const result = await core.run(method, parsed.data, typeof jobId === 'string' && jobId ? jobId : undefined);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
