/** Dates as the Vietnamese UI shows them (dd/mm/yyyy), in the Asia/Ho_Chi_Minh time zone. */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

const dateTimeFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A calendar date 'YYYY-MM-DD' → 'dd/mm/yyyy' (no time zone involved: it is already a day). */
export function formatCalendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** An instant → its day in Vietnam, 'dd/mm/yyyy'. */
export function formatDay(instant: Date): string {
  return dayFormatter.format(instant);
}

/** An instant → 'dd/mm/yyyy HH:mm' in Vietnam. */
export function formatDateTime(instant: Date): string {
  return dateTimeFormatter.format(instant).replace(',', '');
}

/** Today's calendar date in Vietnam as 'YYYY-MM-DD'. */
export function todayInVietnam(now: Date = new Date()): string {
  const [day, month, year] = dayFormatter.format(now).split('/');
  return `${year}-${month}-${day}`;
}

/**
 * Whether 'YYYY-MM-DD' names a day that exists (years 1900–2999; no 31 April, 29 February only in leap years).
 * Arithmetic, no Date: the register's import asks it for every row of a million-row file.
 */
export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= daysInMonth;
}

/**
 * A day as people type it — 'dd/mm/yyyy' (also with '.' or '-', one-digit day or month) or ISO 'YYYY-MM-DD' — as
 * 'YYYY-MM-DD'; undefined when it is neither or names no real day.
 */
export function parseDayInput(text: string): string | undefined {
  const trimmed = text.trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  const iso = dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : trimmed;
  return isCalendarDate(iso) ? iso : undefined;
}
