/**
 * Working days in Vietnam (Asia/Ho_Chi_Minh): Saturdays and Sundays are rest days, and so are the public
 * holidays and official days off of the calendar file `vietnam-days-off.csv` beside this code; a Saturday the
 * government names a make-up working day counts as a working day.
 *
 * The calendar is data, not code: the government decides each year's Tết break and bridge days, so a new
 * year is new rows, each citing its source; `basis` says whether a row is an official decision or a projection
 * from the Labour Code 2019, art. 112. The rows live in the table `calendar_days` (module `calendar`), seeded from
 * the file and extended by `ecomgov calendar add-days`; this file holds the rules that count on them. Years the
 * calendar does not cover count weekends only.
 *
 * Periods follow the Civil Code 2015, art. 147: a period counted in days starts on the day after the event,
 * so "within 3 working days of receipt" ends at the end of the third working day after the day of receipt,
 * whatever hour the application arrived.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { isCalendarDate, todayInVietnam } from './dates.ts';
import { AppError, type FieldIssue } from './errors.ts';
import type { Localized } from './i18n.ts';

export type CalendarDayType = 'holiday' | 'day_off' | 'working_day';
export type CalendarBasis = 'official' | 'projected';

export interface CalendarDay {
  /** 'YYYY-MM-DD' */
  date: string;
  /** holiday (public holiday), day_off (bridge or compensatory day off), working_day (a Saturday/Sunday worked). */
  type: CalendarDayType;
  name: Localized;
  /** official: decided by the government; projected: computed from the law, to be replaced by the decision. */
  basis: CalendarBasis;
  /** The decision or provision the day comes from (number, date, issuer, the address read), or why it is unverified. */
  source: string;
  note: string;
}

export interface WorkingCalendar {
  readonly days: readonly CalendarDay[];
  /** First and last year the calendar lists. */
  readonly years: { first: number; last: number };
  isWorkingDay(date: string): boolean;
  /** The calendar's entry for a date, if any. */
  entryFor(date: string): CalendarDay | undefined;
}

export type DeadlineStatus = 'on_time' | 'due_today' | 'overdue';

/** Vietnam has kept UTC+7 all year since 1975 (no daylight saving), so a fixed offset is exact. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const TYPES: ReadonlySet<string> = new Set(['holiday', 'day_off', 'working_day']);
const COLUMNS = ['date', 'type', 'name_vi', 'name_en', 'basis', 'source', 'note'] as const;
/** Enough to fix a file by; a file of a thousand bad rows does not need a thousand messages. */
const MAX_ISSUES = 100;

export const VIETNAM_CALENDAR_FILE = new URL('./vietnam-days-off.csv', import.meta.url);

/** A day of a calendar file and the line it is on, so later checks (against the stored calendar) can name it. */
export interface CalendarFileRow {
  line: number;
  day: CalendarDay;
}

export interface CalendarFileOptions {
  /** Names the file in messages. */
  name?: string;
  /** The source of rows whose `source` cell is empty (`ecomgov calendar add-days --source`). */
  defaultSource?: string | undefined;
}

/** The one error of a calendar file: the first problem as its message, every problem (by line and field) as issues. */
export function calendarFileError(name: string, issues: FieldIssue[]): AppError {
  const first = issues[0] as FieldIssue;
  const more =
    issues.length > 1
      ? { vi: ` (và ${issues.length - 1} lỗi khác)`, en: ` (and ${issues.length - 1} more)` }
      : { vi: '', en: '' };
  return new AppError(
    'invalid_input',
    {
      vi: `${name}: dòng ${first.line}, trường ${first.field}: ${first.message.vi}${more.vi}`,
      en: `${name}: line ${first.line}, field ${first.field}: ${first.message.en}${more.en}`,
    },
    { field: first.field, issues },
  );
}

/**
 * Reads a calendar file (header `date,type,name_vi,name_en,basis,source,note`; `source` may be left out when
 * `defaultSource` is given) and checks every row, naming the line and field of each problem: nothing of a file with
 * a bad row is used.
 */
export function parseCalendarFile(text: string, options: CalendarFileOptions = {}): CalendarFileRow[] {
  const name = options.name ?? 'calendar';
  const issues: FieldIssue[] = [];
  const problem = (line: number, field: string, message: Localized) => {
    if (issues.length < MAX_ISSUES) issues.push({ line, field, message });
  };
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw calendarFileError(name, [
      {
        line,
        field: 'csv',
        message: { vi: 'không đọc được dòng CSV này', en: `unreadable CSV: ${(error as Error).message}` },
      },
    ]);
  }
  const header = records[0] ?? [];
  const missing = COLUMNS.filter(
    (column) => !header.includes(column) && !(column === 'source' && options.defaultSource),
  );
  const unknown = header.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  if (missing.length > 0 || unknown.length > 0) {
    throw calendarFileError(name, [
      {
        line: 1,
        field: [...missing, ...unknown].join(', '),
        message: {
          vi: `dòng tiêu đề phải là ${COLUMNS.join(',')}${missing.length ? `; thiếu ${missing.join(', ')}` : ''}${unknown.length ? `; lạ ${unknown.join(', ')}` : ''}`,
          en: `the header must be ${COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`,
        },
      },
    ]);
  }
  const rows: CalendarFileRow[] = [];
  const lineOfDate = new Map<string, number>();
  records.slice(1).forEach((cells, index) => {
    const line = index + 2;
    const cell = (column: (typeof COLUMNS)[number]) => {
      const at = header.indexOf(column);
      return at < 0 ? '' : (cells[at] ?? '').normalize('NFC');
    };
    const date = cell('date');
    const type = cell('type');
    const basis = cell('basis');
    const source = cell('source') || (options.defaultSource ?? '').trim();
    let valid = true;
    if (!isCalendarDate(date)) {
      problem(line, 'date', {
        vi: `"${date}" không phải ngày dạng YYYY-MM-DD`,
        en: `"${date}" is not a date YYYY-MM-DD`,
      });
      valid = false;
    } else if (lineOfDate.has(date)) {
      problem(line, 'date', {
        vi: `${date} đã có ở dòng ${lineOfDate.get(date)}`,
        en: `${date} is listed twice (line ${lineOfDate.get(date)} too)`,
      });
      valid = false;
    }
    if (!TYPES.has(type)) {
      problem(line, 'type', {
        vi: `"${type}" phải là holiday, day_off hoặc working_day`,
        en: `"${type}" must be holiday, day_off or working_day`,
      });
      valid = false;
    } else if (type === 'working_day' && isCalendarDate(date) && !isWeekend(date)) {
      problem(line, 'type', {
        vi: `${date} là ngày thường trong tuần: vốn đã là ngày làm việc`,
        en: `${date} is a weekday: it is a working day already`,
      });
      valid = false;
    }
    if (basis !== 'official' && basis !== 'projected') {
      problem(line, 'basis', {
        vi: `"${basis}" phải là official hoặc projected`,
        en: `"${basis}" must be official or projected`,
      });
      valid = false;
    }
    for (const column of ['name_vi', 'name_en'] as const) {
      if (!cell(column)) {
        problem(line, column, { vi: 'cần tên của ngày', en: 'the day needs a name' });
        valid = false;
      }
    }
    // The law is data: a day the government decided says which decision; a projection says what it projects from.
    if (!source) {
      problem(line, 'source', {
        vi: 'cần nguồn: số, ngày, cơ quan ban hành văn bản (hoặc dùng --source)',
        en: 'needs a source: number, date and issuer of the decision (or give --source)',
      });
      valid = false;
    }
    if (isCalendarDate(date) && !lineOfDate.has(date)) lineOfDate.set(date, line);
    if (!valid) return;
    rows.push({
      line,
      day: {
        date,
        type: type as CalendarDayType,
        name: { vi: cell('name_vi'), en: cell('name_en') },
        basis: basis as CalendarBasis,
        source,
        note: cell('note'),
      },
    });
  });
  if (issues.length > 0) throw calendarFileError(name, issues);
  return rows;
}

/** A calendar of the given days (any order): the in-memory form every deadline is counted on. */
export function buildWorkingCalendar(list: readonly CalendarDay[]): WorkingCalendar {
  const days = [...list].sort((a, b) => a.date.localeCompare(b.date));
  const byDate = new Map(days.map((day) => [day.date, day]));
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

/** Parses a calendar file into a calendar, naming the line and field of any problem. */
export function parseWorkingCalendar(text: string, source = 'calendar'): WorkingCalendar {
  return buildWorkingCalendar(parseCalendarFile(text, { name: source }).map((row) => row.day));
}

let vietnamCalendar: WorkingCalendar | undefined;

/**
 * The calendar file shipped with the code, read once. It seeds the stored calendar (table `calendar_days`), which is
 * what deadlines are counted on: administrators add each year's official days there.
 */
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
