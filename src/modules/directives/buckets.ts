import { daysInMonth, toIsoDay } from './calendar.ts';
import type { PeriodKind, Recurrence } from './directive.schemas.ts';

/**
 * The follow-up rules of the tracker, as pure functions of a task's facts and today's date (a calendar
 * day in Asia/Ho_Chi_Minh). The Government Office follows tasks in four buckets: done on time, done
 * late, not done and within the deadline, not done and overdue.
 */

export const BUCKETS = ['done_on_time', 'done_late', 'open_within', 'open_overdue'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const TASK_STATUSES = ['not_started', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * How often a recurring task that names no rhythm ("regularly", "thường xuyên") reports: each quarter,
 * the rhythm of the Ministry's periodic reports on directives.
 */
export const DEFAULT_REPORTING_RHYTHM: Recurrence = 'quarterly';

/** A reporting period of a recurring task: its report is due by `end`. */
export interface ReportingPeriod {
  start: string;
  end: string;
}

export interface TaskFacts {
  kind: PeriodKind;
  start: string | null;
  due: string | null;
  recurrence: Recurrence | null;
  status: TaskStatus;
  completedOn: string | null;
  /** The new deadline of the latest approved extension. */
  extendedDue: string | null;
  /** For a dependent task: the deadline of what it is linked to (null while unlinked or undated). */
  dependencyDue: string | null;
  /** The directive's date: where a recurring task's first period starts when it gives no start. */
  issuedOn: string | null;
  /** For a recurring task: the first report filed for each period (period start → day filed). */
  periodReports: ReadonlyMap<string, string>;
}

export interface Tracking {
  bucket: Bucket;
  /** The deadline in force (extended, followed from a linked directive, or the awaited period's end). */
  due: string | null;
  /** Whole days past `due` when overdue. */
  daysOverdue: number | null;
  /** Recurring tasks: the rhythm reports follow, the period awaited next and the ended periods without a report. */
  rhythm: Recurrence | null;
  awaitedPeriod: ReportingPeriod | null;
  missedPeriods: ReportingPeriod[];
}

// ---------------------------------------------------------------------------------------------
// Calendar days as 'YYYY-MM-DD' strings (compare with < and >; no time zone involved)
// ---------------------------------------------------------------------------------------------

function parts(day: string): { year: number; month: number; day: number } {
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) };
}

function toUtcMs(day: string): number {
  const { year, month, day: dayOfMonth } = parts(day);
  return Date.UTC(year, month - 1, dayOfMonth);
}

const DAY_MS = 86_400_000;

export function addDays(day: string, count: number): string {
  return new Date(toUtcMs(day) + count * DAY_MS).toISOString().slice(0, 10);
}

/** `to` − `from` in whole days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

const MONTHS_PER_PERIOD: Partial<Record<Recurrence, number>> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };

/** The reporting period of `rhythm` that contains `day` (calendar months, quarters, halves, years; ISO weeks). */
export function periodContaining(day: string, rhythm: Recurrence): ReportingPeriod {
  if (rhythm === 'daily') return { start: day, end: day };
  if (rhythm === 'weekly') {
    const weekday = (new Date(toUtcMs(day)).getUTCDay() + 6) % 7; // Monday = 0
    const start = addDays(day, -weekday);
    return { start, end: addDays(start, 6) };
  }
  const months = MONTHS_PER_PERIOD[rhythm] ?? 1;
  const { year, month } = parts(day);
  const firstMonth = Math.floor((month - 1) / months) * months + 1;
  const lastMonth = firstMonth + months - 1;
  return {
    start: toIsoDay({ year, month: firstMonth, day: 1 }),
    end: toIsoDay({ year, month: lastMonth, day: daysInMonth(year, lastMonth) }),
  };
}

function periodAfter(period: ReportingPeriod, rhythm: Recurrence): ReportingPeriod {
  return periodContaining(addDays(period.end, 1), rhythm);
}

/** A bound on enumerated periods, so a daily task over decades cannot run away. */
const MAX_PERIODS = 5_000;

/**
 * The reporting periods of a recurring task from the one containing `from` to the one containing `to`,
 * the last one cut at `lastDay` when the task has an end.
 */
export function listPeriods(from: string, to: string, rhythm: Recurrence, lastDay: string | null): ReportingPeriod[] {
  const periods: ReportingPeriod[] = [];
  const until = lastDay !== null && lastDay < to ? lastDay : to;
  let period = periodContaining(from, rhythm);
  while (period.start <= until && periods.length < MAX_PERIODS) {
    periods.push(lastDay !== null && period.end > lastDay ? { start: period.start, end: lastDay } : period);
    period = periodAfter(period, rhythm);
  }
  return periods;
}

// ---------------------------------------------------------------------------------------------
// The four buckets
// ---------------------------------------------------------------------------------------------

/** The deadline in force for a task that is not recurring. */
export function effectiveDue(facts: Pick<TaskFacts, 'kind' | 'due' | 'extendedDue' | 'dependencyDue'>): string | null {
  if (facts.extendedDue) return facts.extendedDue;
  switch (facts.kind) {
    case 'deadline':
    case 'range':
      return facts.due;
    case 'dependent':
      return facts.dependencyDue;
    case 'recurring':
    case 'none':
      return null;
    default: {
      const unknownKind: never = facts.kind;
      throw new Error(`unknown period kind ${String(unknownKind)}`);
    }
  }
}

/**
 * Which bucket a task is in today. A task with a deadline is overdue from the day after it; a task with
 * no deadline (none, or dependent and not yet linked) is never overdue. A recurring task expects a
 * report for each period, due by the period's last day: it is overdue while the latest ended period
 * has none, and once its end date has passed it counts as done (late when any period's report was
 * late or missing).
 */
export function trackTask(facts: TaskFacts, today: string): Tracking {
  if (facts.kind === 'recurring') return trackRecurringTask(facts, today);
  const due = effectiveDue(facts);
  const base = { due, rhythm: null, awaitedPeriod: null, missedPeriods: [] };
  if (facts.status === 'done') {
    const late = due !== null && facts.completedOn !== null && facts.completedOn > due;
    return { ...base, bucket: late ? 'done_late' : 'done_on_time', daysOverdue: null };
  }
  if (due !== null && today > due) return { ...base, bucket: 'open_overdue', daysOverdue: daysBetween(due, today) };
  return { ...base, bucket: 'open_within', daysOverdue: null };
}

function trackRecurringTask(facts: TaskFacts, today: string): Tracking {
  const rhythm = facts.recurrence ?? DEFAULT_REPORTING_RHYTHM;
  const lastDay = facts.extendedDue ?? facts.due;
  const anchor = facts.start ?? facts.issuedOn ?? today;
  const periods = listPeriods(anchor, today, rhythm, lastDay);
  const ended = periods.filter((period) => period.end < today);
  const missedPeriods = ended.filter((period) => !facts.periodReports.has(period.start));
  const latestEnded = ended.at(-1);
  const base = { rhythm, missedPeriods };
  if (latestEnded && !facts.periodReports.has(latestEnded.start)) {
    return {
      ...base,
      bucket: 'open_overdue',
      due: latestEnded.end,
      daysOverdue: daysBetween(latestEnded.end, today),
      awaitedPeriod: latestEnded,
    };
  }
  if (lastDay !== null && lastDay < today) {
    const allOnTime = ended.every((period) => {
      const filed = facts.periodReports.get(period.start);
      return filed !== undefined && filed <= period.end;
    });
    return {
      ...base,
      bucket: allOnTime ? 'done_on_time' : 'done_late',
      due: lastDay,
      daysOverdue: null,
      awaitedPeriod: null,
    };
  }
  const cut = (period: ReportingPeriod): ReportingPeriod | null => {
    if (lastDay === null || period.end <= lastDay) return period;
    return period.start > lastDay ? null : { start: period.start, end: lastDay };
  };
  // The period containing today, or the first one when the task has not begun yet.
  let awaited = periods.at(-1) ?? cut(periodContaining(anchor, rhythm));
  if (awaited && facts.periodReports.has(awaited.start)) awaited = cut(periodAfter(awaited, rhythm));
  return { ...base, bucket: 'open_within', due: awaited?.end ?? null, daysOverdue: null, awaitedPeriod: awaited };
}

export type BucketCounts = Record<Bucket, number> & { total: number };

export function countBuckets(buckets: Iterable<Bucket>): BucketCounts {
  const counts: BucketCounts = { done_on_time: 0, done_late: 0, open_within: 0, open_overdue: 0, total: 0 };
  for (const bucket of buckets) {
    counts[bucket] += 1;
    counts.total += 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

/** What reminder a task calls for today: `before_N` (the smallest N ≥ days left) or `overdue`. */
export function reminderFor(
  tracking: Pick<Tracking, 'bucket' | 'due'>,
  today: string,
  daysBefore: readonly number[],
): { kind: string; dueOn: string } | undefined {
  if (tracking.due === null) return undefined;
  if (tracking.bucket === 'open_overdue') return { kind: 'overdue', dueOn: tracking.due };
  if (tracking.bucket !== 'open_within') return undefined;
  const daysLeft = daysBetween(today, tracking.due);
  if (daysLeft < 0) return undefined;
  const threshold = [...daysBefore].sort((a, b) => a - b).find((days) => daysLeft <= days);
  return threshold === undefined ? undefined : { kind: `before_${threshold}`, dueOn: tracking.due };
}
