/**
 * The working calendar as data: the `calendar_days` table (seeded from the file shipped with the code, extended with
 * each year's official days by `ecomgov calendar add-days`) and the in-memory calendar deadlines count on.
 */
export { registerCalendarCli } from './calendar.cli.ts';
export { loadWorkingCalendar, syncShippedCalendar } from './calendar.service.ts';
