import { formatCalendarDate } from '../../core/dates.ts';
import type { Localized } from '../../core/i18n.ts';
import type { Bucket, ReportingPeriod, TaskStatus } from './buckets.ts';
import type { Period, PeriodKind, Recurrence, Role, Unplaced } from './directive.schemas.ts';

/** The tracker's words in Vietnamese and English, one place for pages, exports, feeds and e-mails. */

/**
 * The four groups as the Government Office's task tracking names them (Đúng hạn / Trễ hạn / Trong hạn / Quá hạn):
 * done on time, done late, in progress within the deadline, overdue (not done by its deadline).
 */
const BUCKET_LABELS: Record<Bucket, Localized> = {
  done_on_time: { vi: 'Hoàn thành đúng hạn', en: 'Completed on time' },
  done_late: { vi: 'Hoàn thành trễ hạn', en: 'Completed late' },
  open_within: { vi: 'Đang thực hiện trong hạn', en: 'In progress within deadline' },
  open_overdue: { vi: 'Quá hạn', en: 'Overdue' },
};

export function bucketLabel(bucket: Bucket): Localized {
  return BUCKET_LABELS[bucket];
}

const BUCKET_SHORT_LABELS: Record<Bucket, Localized> = {
  done_on_time: { vi: 'Đúng hạn', en: 'On time' },
  done_late: { vi: 'Trễ hạn', en: 'Late' },
  open_within: { vi: 'Trong hạn', en: 'Within deadline' },
  open_overdue: { vi: 'Quá hạn', en: 'Overdue' },
};

/** Column headings where the full names do not fit. */
export function bucketShortLabel(bucket: Bucket): Localized {
  return BUCKET_SHORT_LABELS[bucket];
}

/** Tones of the style sheet's tags; the bar chart uses the same colours. */
export function bucketTone(bucket: Bucket): 'ok' | 'warn' | 'bad' | 'neutral' {
  switch (bucket) {
    case 'done_on_time':
      return 'ok';
    case 'done_late':
      return 'warn';
    case 'open_within':
      return 'neutral';
    case 'open_overdue':
      return 'bad';
    default: {
      const unknownBucket: never = bucket;
      throw new Error(`unknown bucket ${String(unknownBucket)}`);
    }
  }
}

const STATUS_LABELS: Record<TaskStatus, Localized> = {
  not_started: { vi: 'Chưa báo cáo', en: 'No report yet' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Đã hoàn thành', en: 'Done' },
};

export function statusLabel(status: TaskStatus): Localized {
  return STATUS_LABELS[status];
}

export function roleLabel(role: Role): Localized {
  return role === 'preside' ? { vi: 'Chủ trì', en: 'Presides' } : { vi: 'Thực hiện', en: 'Implements' };
}

const PERIOD_KIND_LABELS: Record<PeriodKind, Localized> = {
  deadline: { vi: 'Thời hạn', en: 'Deadline' },
  range: { vi: 'Trong khoảng', en: 'During' },
  recurring: { vi: 'Thường xuyên, định kỳ', en: 'Recurring' },
  dependent: { vi: 'Theo văn bản khác', en: 'Follows another document' },
  none: { vi: 'Không nêu thời hạn', en: 'No period given' },
};

export function periodKindLabel(kind: PeriodKind): Localized {
  return PERIOD_KIND_LABELS[kind];
}

const RHYTHM_LABELS: Record<Recurrence, Localized> = {
  daily: { vi: 'hằng ngày', en: 'daily' },
  weekly: { vi: 'hằng tuần', en: 'weekly' },
  monthly: { vi: 'hằng tháng', en: 'monthly' },
  quarterly: { vi: 'hằng quý', en: 'quarterly' },
  semiannual: { vi: '6 tháng một lần', en: 'every six months' },
  annual: { vi: 'hằng năm', en: 'yearly' },
};

export function rhythmLabel(rhythm: Recurrence): Localized {
  return RHYTHM_LABELS[rhythm];
}

/** "01/10/2024 – 31/10/2024", "31/10/2024": a period's dates as the UI shows them. */
export function formatSpan(start: string | null, end: string | null): string {
  if (start && end && start !== end) return `${formatCalendarDate(start)} – ${formatCalendarDate(end)}`;
  const day = end ?? start;
  return day ? formatCalendarDate(day) : '—';
}

export function formatReportingPeriod(period: ReportingPeriod): string {
  return formatSpan(period.start, period.end);
}

/** The period as written, with its dates: "in October 2024 (01/10/2024 – 31/10/2024)". */
export function describePeriod(period: Period): string {
  const dates = period.start || period.due ? ` (${formatSpan(period.start, period.due)})` : '';
  return `${period.text ?? '—'}${dates}`;
}

/**
 * One thing the parser could not place, as a line of text: how imports store it (the directive's `unplaced`) and
 * the CLI lists it.
 */
export function describeUnplaced(unplaced: Unplaced): string {
  const at = `line ${unplaced.line}`;
  switch (unplaced.reason) {
    case 'unknown_unit':
      return `${at}: unit not recognised: ${unplaced.text}`;
    case 'unknown_period':
      return `${at}: period not understood: "${unplaced.text}"`;
    case 'no_task':
      return `${at}: ${unplaced.text}`;
  }
}
