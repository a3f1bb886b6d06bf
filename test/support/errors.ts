import { type FieldIssue, issueMessageEn } from '../../src/core/errors.ts';

/** The English text of an issue, or '' when there is none (assertions match on it). */
export function issueText(issue: FieldIssue | undefined): string {
  return issue ? issueMessageEn(issue) : '';
}
