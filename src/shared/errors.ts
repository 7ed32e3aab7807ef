/** Errors cross every boundary (IPC, HTTP, CLI) as plain values: a code, plain words, and where. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_METHOD'
  | 'NOT_FOUND'
  | 'NO_PROJECT'
  | 'NOT_SQLITE'
  | 'NOT_A_PROJECT'
  | 'NEWER_VERSION'
  | 'PROJECT_LOCKED'
  | 'ALREADY_EXISTS'
  | 'PARSE_ERROR'
  | 'UNSUPPORTED_FORMAT'
  | 'CONFLICT'
  | 'CANCELLED'
  | 'IO_ERROR'
  /** A path the host never handed out for that use (see src/host/paths.ts). */
  | 'NOT_ALLOWED'
  /** A request or file over a configured size limit. */
  | 'TOO_LARGE'
  /** A project file whose SQLite pages or tables are damaged. */
  | 'DAMAGED'
  | 'INTERNAL';

/** Where a problem is: the file and, when known, the line, column or record inside it. */
export interface ErrorPlace {
  file?: string;
  line?: number;
  column?: number;
  record?: number;
  field?: string;
}

export type ErrorDetails = ErrorPlace & { [key: string]: unknown };

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class FieldbookError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'FieldbookError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromInfo(info: ErrorInfo): FieldbookError {
    return new FieldbookError(info.code, info.message, info.details);
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** "survey.csv, line 12, column 3" — the place in the words a researcher reads. */
export function describePlace(place: ErrorPlace | undefined): string {
  if (!place) return '';
  const parts: string[] = [];
  if (place.file) parts.push(place.file);
  if (place.record !== undefined) parts.push(`record ${place.record}`);
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  if (place.column !== undefined) parts.push(`column ${place.column}`);
  if (place.field) parts.push(`field ${place.field}`);
  return parts.join(', ');
}
