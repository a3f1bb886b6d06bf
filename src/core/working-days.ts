/**
 * Working days in Vietnam (Asia/Ho_Chi_Minh): Saturdays and Sundays are rest days, and so are the public
 * holidays and official days off of the calendar file `vietnam-days-off.csv` beside this code; a Saturday the
 * government names a make-up working day counts as a working day.
 *
 * The calendar is data, not code: the government decides each year's Tết break and bridge days, so a new
 * year is a new row in the file (its `basis` column says whether the row is an official decision or a
 * projection from the Labour Code 2019, art. 112). Years the file does not cover count weekends only.
 *
 * Periods follow the Civil Code 2015, art. 147: a period counted in days starts on the day after the event,
 * so "within 3 working days of receipt" ends at the end of the third working day after the day of receipt,
 * whatever hour the application arrived.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { isCalendarDate, todayInVietnam } from './dates.ts';
import { AppError } from './errors.ts';
import type { Localized } from './i18n.ts';

export type CalendarDayType = 'holiday' | 'day_off' | 'working_day';

export interface CalendarDay {
  /** 'YYYY-MM-DD' */
  date: string;
  /** holiday (public holiday), day_off (bridge or compensatory day off), working_day (a Saturday/Sunday worked). */
  type: CalendarDayType;
  name: Localized;
  /** official: decided by the government; projected: computed from the law, to be replaced by the decision. */
  basis: 'official' | 'projected';
  note: string;
}

export interface WorkingCalendar {
  readonly days: readonly CalendarDay[];
  /** First and last year the file lists. */
  readonly years: { first: number; last: number };
  isWorkingDay(date: string): boolean;
  /** The file's entry for a date, if any. */
  entryFor(date: string): CalendarDay | undefined;
}

export type DeadlineStatus = 'on_time' | 'due_today' | 'overdue';

/** Vietnam has kept UTC+7 all year since 1975 (no daylight saving), so a fixed offset is exact. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const TYPES: ReadonlySet<string> = new Set(['holiday', 'day_off', 'working_day']);

export const VIETNAM_CALENDAR_FILE = new URL('./vietnam-days-off.csv', import.meta.url);

/** Parses a calendar file (header `date,type,name_vi,name_en,basis,note`), naming the line of any problem. */
export function parseWorkingCalendar(text: string, source = 'calendar'): WorkingCalendar {
  const records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const days: CalendarDay[] = [];
  const byDate = new Map<string, CalendarDay>();
  records.forEach((record, index) => {
    const line = index + 2;
    const fail = (field: string, message: Localized) =>
      new AppError(
        'invalid_input',
        {
          vi: `${source}: dòng ${line}, trường ${field}: ${message.vi}`,
          en: `${source}: line ${line}, field ${field}: ${message.en}`,
        },
        { field },
      );
    const date = record.date ?? '';
    if (!isCalendarDate(date)) {
      throw fail('date', { vi: `"${date}" không phải ngày dạng YYYY-MM-DD`, en: `"${date}" is not a date YYYY-MM-DD` });
    }
    const type = record.type ?? '';
    if (!TYPES.has(type)) {
      throw fail('type', {
        vi: `"${type}" phải là holiday, day_off hoặc working_day`,
        en: `"${type}" must be holiday, day_off or working_day`,
      });
    }
    const basis = record.basis ?? '';
    if (basis !== 'official' && basis !== 'projected') {
      throw fail('basis', {
        vi: `"${basis}" phải là official hoặc projected`,
        en: `"${basis}" must be official or projected`,
      });
    }
    if (byDate.has(date)) throw fail('date', { vi: `${date} bị liệt kê hai lần`, en: `${date} is listed twice` });
    const weekend = isWeekend(date);
    if (type === 'working_day' && !weekend) {
      throw fail('type', {
        vi: `${date} là ngày thường trong tuần: vốn đã là ngày làm việc`,
        en: `${date} is a weekday: it is a working day already`,
      });
    }
    const day: CalendarDay = {
      date,
      type: type as CalendarDayType,
      name: { vi: record.name_vi ?? '', en: record.name_en ?? '' },
      basis,
      note: record.note ?? '',
    };
    days.push(day);
    byDate.set(date, day);
  });
  days.sort((a, b) => a.date.localeCompare(b.date));
  const years = {
    first: Number(days[0]?.date.slice(0, 4) ?? 0),
    last: Number(days.at(-1)?.date.slice(0, 4) ?? 0),
  };
  return {
    days,
    years,
    entryFor: (date) => byDate.get(date),
    isWorkingDay(date) {
      const entry = byDate.get(date);
      if (entry) return entry.type === 'working_day';
      return !isWeekend(date);
    },
  };
}

let vietnamCalendar: WorkingCalendar | undefined;

/** The calendar file shipped with the code, read once. */
export function loadVietnamCalendar(): WorkingCalendar {
  vietnamCalendar ??= parseWorkingCalendar(fs.readFileSync(VIETNAM_CALENDAR_FILE, 'utf8'), 'vietnam-days-off.csv');
  return vietnamCalendar;
}

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The calendar date `days` after `date` (negative goes back). */
export function addCalendarDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** The `count`-th working day after `date` (`date` itself never counts, per Civil Code art. 147). */
export function addWorkingDays(calendar: WorkingCalendar, date: string, count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  let day = dayNumber(date);
  let left = count;
  while (left > 0) {
    day += 1;
    if (calendar.isWorkingDay(dateOfDayNumber(day))) left -= 1;
  }
  return dateOfDayNumber(day);
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function countWorkingDays(calendar: WorkingCalendar, from: string, to: string): number {
  let count = 0;
  for (let day = dayNumber(from) + 1; day <= dayNumber(to); day++) {
    if (calendar.isWorkingDay(dateOfDayNumber(day))) count += 1;
  }
  return count;
}

/** The last instant of a calendar day in Vietnam (23:59:59.999 +07:00). */
export function endOfVietnamDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1 - VIETNAM_OFFSET_MS);
}

export interface WorkingDeadline {
  /** Calendar day in Vietnam on which the period ends. */
  dueOn: string;
  /** The end of that day. */
  deadlineAt: Date;
}

/** The deadline of a period of `workingDays` working days starting from an event at `receivedAt`. */
export function workingDayDeadline(calendar: WorkingCalendar, receivedAt: Date, workingDays: number): WorkingDeadline {
  const dueOn = addWorkingDays(calendar, todayInVietnam(receivedAt), workingDays);
  return { dueOn, deadlineAt: endOfVietnamDay(dueOn) };
}

/** on_time before the due day, due_today on it (Vietnam time), overdue after it. */
export function deadlineStatus(dueOn: string, now: Date = new Date()): DeadlineStatus {
  const today = todayInVietnam(now);
  if (today < dueOn) return 'on_time';
  return today === dueOn ? 'due_today' : 'overdue';
}
