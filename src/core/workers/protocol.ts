import type { ErrorInfo } from '../../shared/errors';
import type { TaskName } from './pool';

export interface TaskRequest {
  id: number;
  task: TaskName;
  input: unknown;
}

export type TaskReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorInfo };
