/** Events the core pushes to every host. Progress carries the job id the caller chose. */
export interface ProgressEvent {
  type: 'progress';
  jobId: string;
  /** Work done so far, in the unit of `total` (rows, files, bytes...). */
  done: number;
  /** Null while the size of the work is unknown. */
  total: number | null;
  message: string;
}

/** Data changed: hosts invalidate cached queries whose topic is listed. */
export interface ProjectChangedEvent {
  type: 'project.changed';
  topics: ChangeTopic[];
}

export type ChangeTopic =
  | 'project'
  | 'datasets'
  | 'variables'
  | 'documents'
  | 'participants'
  | 'codes'
  | 'codings'
  | 'memos'
  | 'suggestions'
  | 'tables'
  | 'findings'
  | 'history';

export type CoreEvent = ProgressEvent | ProjectChangedEvent;
