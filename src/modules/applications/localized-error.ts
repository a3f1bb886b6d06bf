import { AppError, type AppErrorCode } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';

/**
 * An AppError whose message pages can show in the reader's language: the English text is the error's
 * message (the API and the CLI show it), the Vietnamese one rides along. `formIssues` are the problems of a
 * form, one per field, in both languages.
 */
export class LocalizedError extends AppError {
  readonly localized: Localized;
  readonly formIssues: ReadonlyArray<{ field: string; message: Localized }>;

  constructor(
    code: AppErrorCode,
    message: Localized,
    options: { field?: string | undefined; formIssues?: ReadonlyArray<{ field: string; message: Localized }> } = {},
  ) {
    super(code, message.en, {
      ...(options.field ? { field: options.field } : {}),
      issues: options.formIssues?.map((issue) => ({ field: issue.field, message: issue.message.en })) ?? [],
    });
    this.name = 'LocalizedError';
    this.localized = message;
    this.formIssues = options.formIssues ?? [];
  }
}

/** The message of an error in the reader's language when it has one. */
export function localizedMessageOf(error: AppError): Localized {
  return error instanceof LocalizedError ? error.localized : { vi: error.message, en: error.message };
}
