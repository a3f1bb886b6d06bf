import { foldForSearch } from '../../core/text.ts';

/**
 * Calendar arithmetic on plain year/month/day numbers. Deadlines are calendar days in
 * Asia/Ho_Chi_Minh; doing the arithmetic without Date keeps host time zones out of it.
 */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

export function toIsoDay({ year, month, day }: CalendarDay): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function firstDayOfMonth(year: number, month: number): CalendarDay {
  return { year, month, day: 1 };
}

export function lastDayOfMonth(year: number, month: number): CalendarDay {
  return { year, month, day: daysInMonth(year, month) };
}

export function previousDay({ year, month, day }: CalendarDay): CalendarDay {
  if (day > 1) return { year, month, day: day - 1 };
  if (month > 1) return lastDayOfMonth(year, month - 1);
  return lastDayOfMonth(year - 1, 12);
}

/** English month names and abbreviations, folded, to month numbers. */
export const MONTHS_BY_NAME: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

/**
 * Folds text for matching (lower case, Vietnamese diacritics removed, đ → d) while keeping every
 * character at its offset, so a match found in the folded text can be cut from the original.
 * Expects NFC text, where each Vietnamese letter is one code unit.
 */
export function foldKeepingOffsets(text: string): string {
  let folded = '';
  for (const char of text) folded += foldChar(char);
  return folded;
}

const FOLDED_CHARS = new Map<string, string>();

function foldChar(char: string): string {
  let folded = FOLDED_CHARS.get(char);
  if (folded === undefined) {
    const plain = /\s/.test(char) ? ' ' : foldForSearch(char);
    folded = plain.length === char.length ? plain : char;
    // Bounded, so a text of endless distinct symbols cannot grow it without end.
    if (FOLDED_CHARS.size < 4096) FOLDED_CHARS.set(char, folded);
  }
  return folded;
}
