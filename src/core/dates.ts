/** Dates as the Vietnamese UI shows them (dd/mm/yyyy), in the Asia/Ho_Chi_Minh time zone. */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

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
