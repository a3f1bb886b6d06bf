import ical, { ICalCalendarMethod } from 'ical-generator';
import { formatCalendarDate } from '../../core/dates.ts';
import { DEFAULT_REPORTING_RHYTHM, periodContaining } from './buckets.ts';
import type { Recurrence } from './directive.schemas.ts';
import { rhythmLabel } from './directives.labels.ts';
import type { TrackedTask } from './tracker.service.ts';

/**
 * The deadlines as an iCalendar feed (RFC 5545, written by ical-generator: escaping, 75-octet line
 * folding, CRLF): one all-day VEVENT per task deadline, and one recurring VEVENT per recurring task on
 * the last day of each reporting period. UIDs are the task ids, so a calendar that subscribes updates
 * events in place when a deadline moves (DTSTAMP and LAST-MODIFIED are the task's last change).
 *
 * Calendar applications cannot sign in, so the feed is read at a secret address (feeds.service.ts). It
 * carries only what the directives say (number, unit, task, period) and approved new deadlines, never
 * reports or statuses.
 */

const RRULE_BY_RHYTHM: Record<Recurrence, string> = {
  daily: 'FREQ=DAILY',
  weekly: 'FREQ=WEEKLY;BYDAY=SU',
  monthly: 'FREQ=MONTHLY;BYMONTHDAY=-1',
  quarterly: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1',
  semiannual: 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1',
  annual: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31',
};

const SUMMARY_TEXT_CHARS = 120;

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

export interface CalendarOptions {
  /** Shown as the calendar's name ("Thời hạn nhiệm vụ – Vụ Pháp chế"). */
  name: string;
  /** Base URL of the portal, for a link to each task (PORTAL_URL). */
  portalUrl?: string | undefined;
}

function taskUrl(task: TrackedTask, portalUrl: string | undefined): string | null {
  return portalUrl ? `${portalUrl.replace(/\/$/, '')}/workbench/directive-tasks/${task.id}` : null;
}

function describe(task: TrackedTask, portalUrl: string | undefined): string {
  const lines = [
    task.text,
    '',
    `${task.directive.number} – ${task.directive.title}`,
    `Đơn vị / Unit: ${task.unit.name}`,
    `Thời hạn / Period: ${task.period.text ?? '—'}`,
  ];
  if (task.extended_due) lines.push(`Gia hạn đến / Extended to: ${formatCalendarDate(task.extended_due)}`);
  if (task.depends_on?.number) lines.push(`Theo / Follows: ${task.depends_on.number}`);
  const url = taskUrl(task, portalUrl);
  if (url) lines.push('', url);
  return lines.join('\n');
}

export function buildDeadlineCalendar(tasks: readonly TrackedTask[], options: CalendarOptions): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'ecomgov', product: 'directives', language: 'VI' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const task of tasks) {
    const stamp = new Date(task.updated_at);
    const common = {
      id: `directive-task-${task.id}@ecomgov`,
      allDay: true,
      stamp,
      lastModified: stamp,
      description: describe(task, options.portalUrl),
      url: taskUrl(task, options.portalUrl),
    };
    const subject = `${task.directive.number} · ${task.unit.name}: ${shorten(task.text, SUMMARY_TEXT_CHARS)}`;
    if (task.period.kind === 'recurring') {
      const rhythm = task.rhythm ?? DEFAULT_REPORTING_RHYTHM;
      const anchor = task.period.start ?? task.directive.issued_on;
      if (!anchor) continue;
      const until = task.extended_due ?? task.period.due;
      const label = rhythmLabel(rhythm);
      calendar.createEvent({
        ...common,
        start: periodContaining(anchor, rhythm).end,
        summary: `Báo cáo ${label.vi} / ${label.en} report – ${subject}`,
        repeating: `${RRULE_BY_RHYTHM[rhythm]}${until ? `;UNTIL=${until.replaceAll('-', '')}` : ''}`,
      });
      continue;
    }
    if (!task.due) continue;
    calendar.createEvent({ ...common, start: task.due, summary: `Hạn / Due – ${subject}` });
  }
  return calendar.toString();
}
