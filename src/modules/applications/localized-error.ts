import { AppError, type AppErrorCode } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';

/**
 * An AppError that also carries the problems of a form, one per field, in both languages (`formIssues`), for the
 * form to show beside its inputs. Its message is in both languages like any AppError's (`text`; `message` is the
 * English one, which the API and the CLI show).
 */
export class LocalizedError extends AppError {
  readonly localized: Localized;
  readonly formIssues: ReadonlyArray<{ field: string; message: Localized }>;

  constructor(
    code: AppErrorCode,
    message: Localized,
    options: { field?: string | undefined; formIssues?: ReadonlyArray<{ field: string; message: Localized }> } = {},
  ) {
    super(code, message, {
      ...(options.field ? { field: options.field } : {}),
      issues: options.formIssues?.map((issue) => ({ field: issue.field, message: issue.message })) ?? [],
    });
    this.name = 'LocalizedError';
    this.localized = message;
    this.formIssues = options.formIssues ?? [];
  }
}

/** The message of an error in the reader's language (both languages of an AppError's text). */
export function localizedMessageOf(error: AppError): Localized {
  return error.text;
}
