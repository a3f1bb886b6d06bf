import type { Localized } from './i18n.ts';

/**
 * Domain code throws AppError with a stable code and its text in Vietnamese and English; exactly one map
 * (HTTP_STATUS_BY_CODE) turns codes into HTTP statuses, and the CLI maps them to exit codes. The English text is
 * the error's `message` (the API and the CLI show it); pages show the reader's language (`text`).
 */
export type AppErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal';

export const HTTP_STATUS_BY_CODE: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** Text of an error in both languages: pages show the reader's, the API, the CLI and logs the English. */
export type ErrorText = Localized;

/** One problem with one field of one line of an input (forms list every field's, file imports many lines'). */
export interface FieldIssue {
  line?: number;
  field?: string;
  message: ErrorText;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[];
  /** The message in both languages; `message` is its English text. */
  readonly text: Localized;

  constructor(
    code: AppErrorCode,
    text: ErrorText,
    options: { field?: string | undefined; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(text.en, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.text = text;
    this.field = options.field;
    this.issues = options.issues ?? [];
  }
}

export function invalidInput(text: ErrorText, field?: string): AppError {
  return new AppError('invalid_input', text, { field });
}

export function notFound(text: ErrorText): AppError {
  return new AppError('not_found', text);
}

export function conflict(text: ErrorText, field?: string): AppError {
  return new AppError('conflict', text, { field });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** An issue's English text, for the API's error body and the CLI. */
export function issueMessageEn(issue: FieldIssue): string {
  return issue.message.en;
}
