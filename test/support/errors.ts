import type { FieldIssue } from '../../src/core/errors.ts';

/** The English text of an issue (or of one a test already put in English), or '' when there is none. */
export function issueText(issue: FieldIssue | { message: string } | undefined): string {
  if (!issue) return '';
  return typeof issue.message === 'string' ? issue.message : issue.message.en;
}
