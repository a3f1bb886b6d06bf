/**
 * Domain code throws AppError with a stable code; exactly one map (HTTP_STATUS_BY_CODE)
 * turns codes into HTTP statuses, and the CLI maps them to exit codes.
 */
export type AppErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal';

export const HTTP_STATUS_BY_CODE: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** One problem with one field of one line of an input (file imports list many). */
export interface FieldIssue {
  line?: number;
  field?: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[];

  constructor(
    code: AppErrorCode,
    message: string,
    options: { field?: string; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.issues = options.issues ?? [];
  }
}

export function invalidInput(message: string, field?: string): AppError {
  return new AppError('invalid_input', message, { field });
}

export function notFound(message: string): AppError {
  return new AppError('not_found', message);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
