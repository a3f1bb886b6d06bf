import { parseChoiceOption } from '../../core/cli.ts';
import type { SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { tag } from '../../web/tags.ts';
import type { SourceStatus } from './procedures.table.ts';

/**
 * How sure a legal rule's source is, in one vocabulary for every table of the law as data (procedures and the
 * grounds of cancellation, refusal and foreign platforms): checked against the official text, not yet, or sources
 * that disagree.
 */
export type { SourceStatus };

export const SOURCE_STATUSES: readonly SourceStatus[] = ['verified', 'unverified', 'disputed'];

export const SOURCE_STATUS_LABELS: Record<SourceStatus, Localized> = {
  verified: { vi: 'Đã kiểm chứng', en: 'Verified' },
  unverified: { vi: 'Chưa kiểm chứng', en: 'Unverified' },
  disputed: { vi: 'Các nguồn khác nhau', en: 'Sources disagree' },
};

const SOURCE_STATUS_TONES = { verified: 'ok', unverified: 'warn', disputed: 'bad' } as const;

export function isSourceStatus(value: string): value is SourceStatus {
  return (SOURCE_STATUSES as readonly string[]).includes(value);
}

/** The status as a coloured tag, the same on every page that shows a rule. */
export function sourceStatusTag(t: (text: Localized) => string, status: SourceStatus): SafeHtml {
  return tag(t, SOURCE_STATUS_LABELS[status], SOURCE_STATUS_TONES[status], status);
}

/** commander's parser of `--status`: a bad value is refused naming the option. */
export const parseSourceStatusOption = parseChoiceOption('--status', SOURCE_STATUSES);
