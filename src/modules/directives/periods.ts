import { isCalendarDate } from '../../core/dates.ts';
import { trimEndOf, WHITE_SPACE } from '../../core/text.ts';
import { addCalendarDays, addWorkingDays, loadVietnamCalendar, type WorkingCalendar } from '../../core/working-days.ts';
import {
  type CalendarDay,
  firstDayOfMonth,
  foldKeepingOffsets,
  lastDayOfMonth,
  MONTHS_BY_NAME,
  previousDay,
  toIsoDay,
} from './calendar.ts';
import type { Period, Recurrence } from './directive.schemas.ts';

/**
 * Implementation periods ("in October 2024", "Quý I/2025", "trước ngày 15/11/2024", "regularly"…)
 * to the Directive JSON period. Every pattern runs on folded text (lower case, no diacritics, same
 * offsets as the original), so "Quý", "QUÝ" and "Quy" read alike and matches cut back to the original.
 */

/** A stretch of calendar days a phrase names; isDay when it is one named day ("15/11/2024"). */
interface Span {
  start: CalendarDay;
  due: CalendarDay;
  isDay: boolean;
}

interface PointReader {
  /** Regex source with capture groups; year groups may be empty when the phrase gives none. */
  source: string;
  /** Whether it names a period on its own in running text ("Quý I/2025"), without "in"/"trong". */
  standalone: boolean;
  /** Whether it reads one full date with its year ("26 tháng 10 năm 2024", "October 26, 2024"). */
  fullDate?: true;
  read(groups: ReadonlyArray<string | undefined>, year: number | undefined): Span | undefined;
}

const YEAR = '((?:19|20)\\d{2})\\b';
const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\b\\.?';
const ORDINAL_SUFFIX = '(?:st|nd|rd|th)?';

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  '1st': 1,
  i: 1,
  '1': 1,
  second: 2,
  '2nd': 2,
  ii: 2,
  '2': 2,
  third: 3,
  '3rd': 3,
  iii: 3,
  '3': 3,
  fourth: 4,
  '4th': 4,
  iv: 4,
  '4': 4,
};

function toYear(text: string | undefined, fallback: number | undefined): number | undefined {
  return text ? Number(text) : fallback;
}

function daySpan(year: number | undefined, month: number, day: number): Span | undefined {
  if (year === undefined) return undefined;
  const only = { year, month, day };
  if (!isCalendarDate(toIsoDay(only))) return undefined;
  return { start: only, due: only, isDay: true };
}

function monthSpan(year: number | undefined, month: number): Span | undefined {
  if (year === undefined || month < 1 || month > 12) return undefined;
  return { start: firstDayOfMonth(year, month), due: lastDayOfMonth(year, month), isDay: false };
}

function monthsSpan(year: number | undefined, firstMonth: number, lastMonth: number): Span | undefined {
  if (year === undefined) return undefined;
  return { start: firstDayOfMonth(year, firstMonth), due: lastDayOfMonth(year, lastMonth), isDay: false };
}

function quarterSpan(year: number | undefined, quarter: number | undefined): Span | undefined {
  if (quarter === undefined) return undefined;
  return monthsSpan(year, quarter * 3 - 2, quarter * 3);
}

function halfSpan(year: number | undefined, half: 1 | 2): Span | undefined {
  return half === 1 ? monthsSpan(year, 1, 6) : monthsSpan(year, 7, 12);
}

function monthOf(name: string | undefined): number {
  return MONTHS_BY_NAME[(name ?? '').replace('.', '')] ?? 0;
}

/** Ordered: at one position the first reader that matches wins, so the most specific come first. */
const POINT_READERS: readonly PointReader[] = [
  {
    // ngày 15 tháng 11 năm 2024
    source: `ngay\\s+(\\d{1,2})\\s+thang\\s+(\\d{1,2})\\s+nam\\s+${YEAR}`,
    fullDate: true,
    standalone: false,
    read: ([d, m, y], year) => daySpan(toYear(y, year), Number(m), Number(d)),
  },
  {
    // 15/11/2024, ngày 15-11-2024 (day first, as written in Vietnam)
    source: `(?:ngay\\s+)?(\\d{1,2})\\s*[/.-]\\s*(\\d{1,2})\\s*[/.-]\\s*${YEAR}`,
    fullDate: true,
    standalone: false,
    read: ([d, m, y], year) => daySpan(toYear(y, year), Number(m), Number(d)),
  },
  {
    // ngày 15 tháng 11, ngày 15/11 (the document's year)
    source: '(?:ngay\\s+)(\\d{1,2})\\s*(?:thang\\s+|[/.-]\\s*)(\\d{1,2})\\b(?!\\s*(?:nam\\b|[/.-]\\s*\\d))',
    standalone: false,
    read: ([d, m], year) => daySpan(year, Number(m), Number(d)),
  },
  {
    // November 15, 2024
    source: `${MONTH}\\s+(\\d{1,2})${ORDINAL_SUFFIX},?\\s+${YEAR}`,
    fullDate: true,
    standalone: false,
    read: ([m, d, y], year) => daySpan(toYear(y, year), monthOf(m), Number(d)),
  },
  {
    // 15 November 2024, the 15th of November 2024
    source: `(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}`,
    fullDate: true,
    standalone: false,
    read: ([d, m, y], year) => daySpan(toYear(y, year), monthOf(m), Number(d)),
  },
  {
    // November 15 (the document's year)
    source: `${MONTH}\\s+(\\d{1,2})${ORDINAL_SUFFIX}\\b(?!,?\\s*\\d)`,
    standalone: false,
    read: ([m, d], year) => daySpan(year, monthOf(m), Number(d)),
  },
  {
    // 15 November, the 15th of November (the document's year)
    source: `(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}\\s+(?:of\\s+)?${MONTH}(?!,?\\s*\\d)`,
    standalone: false,
    read: ([d, m], year) => daySpan(year, monthOf(m), Number(d)),
  },
  {
    // 15/11 (the document's year)
    source: '(\\d{1,2})\\s*/\\s*(\\d{1,2})\\b(?!\\s*[/.-]\\s*\\d)',
    standalone: false,
    read: ([d, m], year) => daySpan(year, Number(m), Number(d)),
  },
  {
    // the first quarter of 2025
    source: `(?:the\\s+)?(first|second|third|fourth|last|1st|2nd|3rd|4th)\\s+quarter(?:\\s+of)?(?:\\s+the\\s+year)?(?:,?\\s+${YEAR})?`,
    standalone: true,
    read: ([q, y], year) => quarterSpan(toYear(y, year), q === 'last' ? 4 : ORDINALS[q ?? '']),
  },
  {
    // Quý I/2025, quý I năm 2025, quý 1-2025, quarter II of 2025
    source: `(?:quy|quarter)\\s+(iv|iii|ii|i|[1-4])\\b(?:\\s*[/.-]\\s*${YEAR}|,?\\s+(?:nam\\s+|of\\s+)?${YEAR})?`,
    standalone: true,
    read: ([q, y1, y2], year) => quarterSpan(toYear(y1 ?? y2, year), ORDINALS[q ?? '']),
  },
  {
    // Q1 2025, Q1/2025
    source: `q([1-4])\\b(?:\\s*[/-]?\\s*${YEAR})?`,
    standalone: false,
    read: ([q, y], year) => quarterSpan(toYear(y, year), Number(q)),
  },
  {
    // the first half of 2025
    source: `(?:the\\s+)?(first|second|last|1st|2nd)\\s+half(?:\\s+of)?(?:\\s+the\\s+year)?(?:,?\\s+${YEAR})?`,
    standalone: true,
    read: ([h, y], year) => halfSpan(toYear(y, year), h === 'first' || h === '1st' ? 1 : 2),
  },
  {
    // the first six months of 2025
    source: `(?:the\\s+)?(first|last|final)\\s+(?:6|six)\\s+months(?:\\s+of)?(?:\\s+the\\s+year)?(?:,?\\s+${YEAR})?`,
    standalone: true,
    read: ([h, y], year) => halfSpan(toYear(y, year), h === 'first' ? 1 : 2),
  },
  {
    // H1 2025
    source: `h([12])\\b\\s*[/-]?\\s*${YEAR}`,
    standalone: false,
    read: ([h, y], year) => halfSpan(toYear(y, year), h === '1' ? 1 : 2),
  },
  {
    // 6 tháng đầu năm 2025, sáu tháng cuối năm, nửa đầu năm 2025
    source: `(?:(?:6|sau)\\s+thang|nua)\\s+(dau|cuoi)\\s+nam(?:\\s+${YEAR})?`,
    standalone: true,
    read: ([h, y], year) => halfSpan(toYear(y, year), h === 'dau' ? 1 : 2),
  },
  {
    // tháng 10/2024, tháng 10 năm 2024, tháng 10 (the document's year)
    source: `thang\\s+(\\d{1,2})\\b(?:\\s*[/.-]\\s*${YEAR}|\\s+nam\\s+${YEAR})?`,
    standalone: true,
    read: ([m, y1, y2], year) => monthSpan(toYear(y1 ?? y2, year), Number(m)),
  },
  {
    // October 2024, the month of October, Oct. 2024
    source: `(?:the\\s+month\\s+of\\s+)?${MONTH}(?:,?\\s+(?:of\\s+)?${YEAR})?`,
    standalone: false,
    read: ([m, y], year) => monthSpan(toYear(y, year), monthOf(m)),
  },
  {
    // 10/2024
    source: `(\\d{1,2})\\s*/\\s*${YEAR}`,
    standalone: false,
    read: ([m, y], year) => monthSpan(toYear(y, year), Number(m)),
  },
  {
    // năm 2025, the year 2025, 2025
    source: `(?:nam\\s+|(?:the\\s+)?year\\s+)?${YEAR}`,
    standalone: false,
    read: ([y]) => monthsSpan(Number(y), 1, 12),
  },
];

/** Turns capture groups into non-capturing ones, so readers can be joined into one alternation. */
function withoutGroups(source: string): string {
  return source.replace(/\((?!\?)/g, '(?:');
}

const ANY_POINT = `(${POINT_READERS.map((reader) => withoutGroups(reader.source)).join('|')})`;
const STANDALONE_POINT = `(${POINT_READERS.filter((reader) => reader.standalone)
  .map((reader) => withoutGroups(reader.source))
  .join('|')})`;
const ANCHORED_READERS = POINT_READERS.map((reader) => ({ reader, regex: new RegExp(`^(?:${reader.source})$`) }));

/** Reads a span matched by ANY_POINT; undefined when it needs a year and none is known, or is no real day. */
function readPoint(text: string, year: number | undefined): Span | undefined {
  for (const { reader, regex } of ANCHORED_READERS) {
    const match = regex.exec(text);
    if (match) return reader.read(match.slice(1), year);
  }
  return undefined;
}

interface PeriodPattern {
  name: string;
  regex: RegExp;
  /** `issuedOn`: the document's date (YYYY-MM-DD), for periods counted from it ("10 working days from signing"). */
  build(
    match: RegExpExecArray,
    year: number | undefined,
    issuedOn?: string,
    calendar?: WorkingCalendar,
  ): Omit<Period, 'text'> | undefined;
}

/** What a period phrase is read against: the year for phrases that give none, the document's date of issue. */
export interface PeriodContext {
  year?: number | undefined;
  issuedOn?: string | undefined;
  /**
   * The working calendar periods counted in working days are counted on: the stored one (`calendar` module, with
   * the days an administrator loaded) when the caller has it, else the calendar shipped with the code.
   */
  calendar?: WorkingCalendar | undefined;
}

function contextOf(given: number | PeriodContext | undefined): PeriodContext {
  return typeof given === 'object' ? given : { year: given };
}

function rangeOf(first: Span | undefined, last: Span | undefined): Omit<Period, 'text'> | undefined {
  if (!first || !last) return undefined;
  return { kind: 'range', start: toIsoDay(first.start), due: toIsoDay(last.due) };
}

function deadlineOf(span: Span | undefined): Omit<Period, 'text'> | undefined {
  if (!span) return undefined;
  // A named day has no start of its own; a month, quarter, half or year runs from its first day.
  return { kind: 'deadline', start: span.isDay ? null : toIsoDay(span.start), due: toIsoDay(span.due) };
}

const BY_CUES =
  '(by|before|no\\s+later\\s+than|not\\s+later\\s+than|prior\\s+to|until|till|truoc|cham\\s+nhat(?:\\s+(?:la|vao|den))?|han\\s+chot|khong\\s+muon\\s+hon|khong\\s+qua|tre\\s+nhat)';
const BEFORE_CUES = new Set(['before', 'prior to', 'truoc']);

const FROM_TO: PeriodPattern = {
  name: 'from-to',
  regex: new RegExp(
    `\\b(?:from|tu)\\s+(?:the\\s+)?${ANY_POINT}\\s*(?:to|until|till|through|-|–|den(?:\\s+(?:het|cuoi))?|toi)\\s+(?:the\\s+)?(?:end\\s+of\\s+)?${ANY_POINT}`,
  ),
  build: (match, year) => rangeOf(readPoint(match[1] ?? '', year), readPoint(match[2] ?? '', year)),
};

const YEARS_SPAN_SOURCE = `${YEAR}\\s*[-–—]\\s*${YEAR}`;

function buildYearsSpan(match: RegExpExecArray): Omit<Period, 'text'> | undefined {
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (last < first) return undefined;
  return rangeOf(monthsSpan(first, 1, 12), monthsSpan(last, 1, 12));
}

/** "giai đoạn 2021-2025", "the period 2021-2025", "2021-2025": only where a period is expected. */
const YEARS_SPAN: PeriodPattern = {
  name: 'years-span',
  regex: new RegExp(`(?:(?:giai\\s+doan|thoi\\s+ky|(?:the\\s+)?period(?:\\s+of)?)\\s+)?${YEARS_SPAN_SOURCE}`),
  build: buildYearsSpan,
};

/** In running text a span of years is a period only after "during"/"trong" ("trong giai đoạn 2021-2025"). */
const YEARS_SPAN_IN_TEXT: PeriodPattern = {
  name: 'years-span-in-text',
  regex: new RegExp(
    `\\b(?:during|throughout|in|trong|suot)\\s+(?:the\\s+)?(?:giai\\s+doan|thoi\\s+ky|period)\\s+(?:of\\s+)?${YEARS_SPAN_SOURCE}`,
  ),
  build: buildYearsSpan,
};

/** "trong năm 2025", "cả năm 2025": the whole year is the working window. */
const YEAR_RANGE_VI: PeriodPattern = {
  name: 'year-range-vi',
  regex: new RegExp(`\\b(?:trong\\s+(?:ca\\s+|suot\\s+)?|ca\\s+)nam\\s+${YEAR}`),
  build: (match) => rangeOf(monthsSpan(Number(match[1]), 1, 12), monthsSpan(Number(match[1]), 1, 12)),
};

const DURING: PeriodPattern = {
  name: 'during',
  regex: new RegExp(
    `\\b(?:during|throughout|over\\s+the\\s+course\\s+of|trong\\s+suot)\\s+(?:the\\s+(?:whole\\s+|entire\\s+)?)?${ANY_POINT}`,
  ),
  build: (match, year) => {
    const span = readPoint(match[1] ?? '', year);
    return rangeOf(span, span);
  },
};

const BY: PeriodPattern = {
  name: 'by',
  regex: new RegExp(
    `\\b${BY_CUES}\\s+((?:the\\s+)?end\\s+of\\s+(?:the\\s+)?|(?:ngay\\s+)?(?:cuoi|het)\\s+)?(?:the\\s+)?${ANY_POINT}`,
  ),
  build: (match, year) => {
    const span = readPoint(match[3] ?? '', year);
    if (!span) return undefined;
    const cue = (match[1] ?? '').replace(/\s+/g, ' ');
    // "before November" ends with October; "before 15/11" is read as due on the 15th, as offices do.
    const endsBeforeSpan = BEFORE_CUES.has(cue) && !match[2] && !span.isDay;
    return { kind: 'deadline', start: null, due: toIsoDay(endsBeforeSpan ? previousDay(span.start) : span.due) };
  },
};

const IN_POINT: PeriodPattern = {
  name: 'in',
  regex: new RegExp(
    `\\b(?:in|within|trong|vao|ngay\\s+trong|hoan\\s+thanh\\s+trong)\\s+(?:the\\s+)?(?:(?:cuoi|dau)\\s+)?${ANY_POINT}`,
  ),
  build: (match, year) => deadlineOf(readPoint(match[1] ?? '', year)),
};

const STANDALONE: PeriodPattern = {
  name: 'standalone',
  regex: new RegExp(`\\b${STANDALONE_POINT}`),
  build: (match, year) => deadlineOf(readPoint(match[1] ?? '', year)),
};

/** Any point where the whole phrase is a period ("Implementation period: 10/2024"). */
const BARE_POINT: PeriodPattern = {
  name: 'bare',
  regex: new RegExp(`\\b${ANY_POINT}`),
  build: (match, year) => deadlineOf(readPoint(match[1] ?? '', year)),
};

const RECURRENCE_CUES: ReadonlyArray<{ regex: RegExp; recurrence: Recurrence | undefined }> = [
  { regex: /\b(?:hang\s+ngay|daily|every\s+day|each\s+day)\b/, recurrence: 'daily' },
  { regex: /\b(?:hang\s+tuan|weekly|every\s+week|each\s+week)\b/, recurrence: 'weekly' },
  {
    regex:
      /\b(?:(?:6|sau)\s+thang\s+(?:mot|1)\s+lan|dinh\s+ky\s+(?:6|sau)\s+thang(?:\s+(?:mot|1)\s+lan)?|semi-?annual(?:ly)?|bi-?annual(?:ly)?|half-?yearly|every\s+(?:6|six)\s+months)\b/,
    recurrence: 'semiannual',
  },
  { regex: /\b(?:hang\s+thang|monthly|(?:every|each|per)\s+month)\b/, recurrence: 'monthly' },
  {
    // "trước ngày 25 của tháng cuối quý": a day of each quarter's last month, every quarter.
    regex:
      /\b(?:hang\s+quy|quarterly|(?:every|each|per)\s+quarter|thang\s+cuoi\s+(?:cua\s+)?(?:moi\s+|hang\s+)?quy|last\s+month\s+of\s+(?:each|every|the)\s+quarter)\b/,
    recurrence: 'quarterly',
  },
  { regex: /\b(?:hang\s+nam|annual(?:ly)?|yearly|(?:every|each|per)\s+year)\b/, recurrence: 'annual' },
  {
    regex:
      /\b(?:thuong\s+xuyen|lien\s+tuc|dinh\s+ky|regularly|on\s+a\s+regular\s+basis|continuous(?:ly)?|constantly|periodically|routinely|ongoing)\b/,
    recurrence: undefined,
  },
];

/** A phrase that hands the timing to another document or body ("as per the progress assigned in the telegram"). */
const DEPENDENT_START =
  /^(?:(?:thuc\s+hien|implement(?:ed)?|to\s+be\s+implemented)\s+)?(?:as\s+per|according\s+to|in\s+accordance\s+with|in\s+line\s+with|following|subject\s+to|upon|on\s+request|at\s+the\s+request|when\s+requested|as\s+requested|as\s+directed|theo|khi\s+co\s+yeu\s+cau|dot\s+xuat)\b/;
const DEPENDENT_IN_TEXT =
  /\b(?:(?:as\s+per|according\s+to|in\s+accordance\s+with|in\s+line\s+with|following)\s+the\s+(?:progress|schedule|timeline|roadmap|deadline|time\s*-?\s*limit)s?|theo\s+(?:dung\s+)?(?:tien\s+do|lo\s+trinh|thoi\s+han))\b[^.;:]*/;

const QUARTER = '(iv|iii|ii|i|[1-4])\\b';
/** A year after a quarter or a month: "/2025", "-2025", " năm 2025", " of 2025". */
const YEAR_AFTER = `(?:\\s*[/.-]\\s*${YEAR}|,?\\s+(?:nam\\s+|of\\s+)?${YEAR})`;

function spanOfSpans(first: Span | undefined, last: Span | undefined, kind: 'deadline' | 'range') {
  if (!first || !last || toIsoDay(first.start) > toIsoDay(last.due)) return undefined;
  return { kind, start: toIsoDay(first.start), due: toIsoDay(last.due) };
}

/** "Quý I và Quý II/2025", "quý III, IV năm 2025": the year written once stands for both; done by the second's end. */
const TWO_QUARTERS: PeriodPattern = {
  name: 'two-quarters',
  regex: new RegExp(
    `\\b(?:quy|quarters?)\\s+${QUARTER}\\s*(?:,|va|and|&)\\s*(?:(?:quy|quarter)\\s+)?${QUARTER}${YEAR_AFTER}`,
  ),
  build: (match, year) => {
    const inYear = toYear(match[3] ?? match[4], year);
    const first = quarterSpan(inYear, ORDINALS[match[1] ?? '']);
    return spanOfSpans(first, quarterSpan(inYear, ORDINALS[match[2] ?? '']), 'deadline');
  },
};

/** "Quý IV/2024 - Quý I/2025", "quý II đến quý III năm 2025": the first's year, when not written, is the second's. */
const QUARTER_RANGE: PeriodPattern = {
  name: 'quarter-range',
  regex: new RegExp(
    `\\b(?:quy|quarter)\\s+${QUARTER}(?:\\s*[/.-]\\s*${YEAR}|,?\\s+(?:nam\\s+|of\\s+)?${YEAR})?\\s*(?:-|–|den(?:\\s+het)?|to|through)\\s*(?:quy|quarter)\\s+${QUARTER}${YEAR_AFTER}`,
  ),
  build: (match, year) => {
    const lastYear = toYear(match[5] ?? match[6], year);
    const firstYear = toYear(match[2] ?? match[3], lastYear);
    const first = quarterSpan(firstYear, ORDINALS[match[1] ?? '']);
    return spanOfSpans(first, quarterSpan(lastYear, ORDINALS[match[4] ?? '']), 'range');
  },
};

/** "tháng 10-11/2024", "tháng 10 đến tháng 12 năm 2024": months of one year. */
const MONTH_RANGE: PeriodPattern = {
  name: 'month-range',
  regex: new RegExp(
    `\\bthang\\s+(\\d{1,2})\\s*(?:-|–|den)\\s*(?:thang\\s+)?(\\d{1,2})(?:\\s*[/.-]\\s*${YEAR}|\\s+nam\\s+${YEAR})`,
  ),
  build: (match, year) => {
    const inYear = toYear(match[3] ?? match[4], year);
    return spanOfSpans(monthSpan(inYear, Number(match[1])), monthSpan(inYear, Number(match[2])), 'range');
  },
};

/** "từ tháng 11/2024", "from November 2024", "kể từ ngày 01/01/2025": goes on from then, with no due day. */
const ONGOING_FROM: PeriodPattern = {
  name: 'ongoing-from',
  regex: new RegExp(
    `\\b(?:ke\\s+tu|bat\\s+dau\\s+tu|tu|starting\\s+(?:from|in)|from|as\\s+of)\\s+(?:the\\s+)?${ANY_POINT}`,
  ),
  build: (match, year) => {
    const span = readPoint(match[1] ?? '', year);
    return span ? { kind: 'recurring', start: toIsoDay(span.start), due: null } : undefined;
  },
};

/** "năm 2025 và các năm tiếp theo", "2025 and the following years", "from 2025 onwards": goes on from that year. */
const YEAR_ONWARD: PeriodPattern = {
  name: 'year-onward',
  regex: new RegExp(
    `\\b(?:(?:tu\\s+)?nam\\s+|(?:the\\s+)?year\\s+)?${YEAR}\\s+(?:va|and)\\s+(?:cac|nhung|the)\\s+(?:nam|years)\\s+(?:tiep\\s+theo|sau(?:\\s+do)?|ke\\s+tiep|following|after)|\\b(?:from\\s+)?${YEAR}\\s+onwards?\\b`,
  ),
  build: (match) => {
    const year = Number(match[1] ?? match[2]);
    return { kind: 'recurring', start: toIsoDay(firstDayOfMonth(year, 1)), due: null };
  },
};

/** "tuần đầu tháng 11/2024", "the last week of November 2024": the first or last seven days of the month. */
const WEEK_OF_MONTH: PeriodPattern = {
  name: 'week-of-month',
  regex: new RegExp(
    `\\btuan\\s+(dau(?:\\s+tien)?|cuoi(?:\\s+cung)?)\\s+(?:cua\\s+)?thang\\s+(\\d{1,2})\\b(?:\\s*[/.-]\\s*${YEAR}|\\s+nam\\s+${YEAR})?|\\b(?:the\\s+)?(first|last)\\s+week\\s+of\\s+${MONTH}(?:,?\\s+${YEAR})?`,
  ),
  build: (match, year) => {
    const vietnamese = match[1] !== undefined;
    const month = vietnamese ? Number(match[2]) : monthOf(match[6]);
    const span = monthSpan(toYear(vietnamese ? (match[3] ?? match[4]) : match[7], year), month);
    if (!span) return undefined;
    const first = vietnamese ? (match[1] as string).startsWith('dau') : match[5] === 'first';
    const start = first ? span.start : { ...span.due, day: span.due.day - 6 };
    const due = first ? { ...span.start, day: 7 } : span.due;
    return { kind: 'deadline', start: toIsoDay(start), due: toIsoDay(due) };
  },
};

/** "trong 10 ngày làm việc kể từ ngày ký", "within 10 working days from the date of signing": counted from the date of issue. */
const WORKING_DAYS_FROM_ISSUE: PeriodPattern = {
  name: 'working-days-from-issue',
  regex:
    /\b(?:(?:trong\s+(?:vong\s+|thoi\s+han\s+)?)?(\d{1,3})\s+ngay\s+lam\s+viec\s+(?:ke\s+)?tu\s+ngay\s+(?:ky|ban\s+hanh)(?:\s+(?:van\s+ban|cong\s+van|cong\s+dien))?|(?:within\s+)?(\d{1,3})\s+working\s+days\s+(?:from|of|after)\s+(?:the\s+)?(?:date\s+of\s+)?(?:signing|signature|issu(?:e|ance))(?:\s+of\s+th(?:is|e)\s+\w+)?)/,
  build: (match, _year, issuedOn, calendar) => {
    const count = Number(match[1] ?? match[2]);
    if (!issuedOn || count < 1) return undefined;
    return { kind: 'deadline', start: null, due: addWorkingDays(calendar ?? loadVietnamCalendar(), issuedOn, count) };
  },
};

/**
 * The first day of the lunar year (mùng 1 Tết) in Vietnam, by year: astronomical dates of the Vietnamese lunisolar
 * calendar (UTC+7), not a rule of law. The days off around it are the working calendar's, which counts them.
 */
const LUNAR_NEW_YEAR: readonly string[] = [
  '2023-01-22',
  '2024-02-10',
  '2025-01-29',
  '2026-02-17',
  '2027-02-06',
  '2028-01-26',
  '2029-02-13',
  '2030-02-03',
];

/** The last working day before a day, on the calendar (Tết's days off and the weekends before it skipped). */
function lastWorkingDayBefore(calendar: WorkingCalendar, date: string): string {
  let day = addCalendarDays(date, -1);
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}

/** "trước Tết Nguyên đán", "before the Lunar New Year": the last working day before the first Tết after the issue. */
const BEFORE_TET: PeriodPattern = {
  name: 'before-tet',
  regex:
    /\b(?:truoc\s+(?:dip\s+)?tet\s+(?:nguyen\s+dan|am\s+lich|co\s+truyen)(?:\s+(?:giap\s+thin|at\s+ty|binh\s+ngo|dinh\s+mui|mau\s+than))?|before\s+(?:the\s+)?(?:lunar\s+new\s+year|tet)(?:\s+(?:holiday|festival))?)\b/,
  build: (_match, year, issuedOn, calendar) => {
    const from = issuedOn ?? (year ? `${year}-01-01` : undefined);
    const tet = from ? LUNAR_NEW_YEAR.find((day) => day > from) : undefined;
    if (!tet) return undefined;
    return { kind: 'deadline', start: null, due: lastWorkingDayBefore(calendar ?? loadVietnamCalendar(), tet) };
  },
};

/** Shapes read before the single points they are made of. */
const COMPOUND_PATTERNS: readonly PeriodPattern[] = [
  WORKING_DAYS_FROM_ISSUE,
  BEFORE_TET,
  QUARTER_RANGE,
  TWO_QUARTERS,
  MONTH_RANGE,
  YEAR_ONWARD,
  WEEK_OF_MONTH,
];

/** The patterns tried on a whole period phrase, in order of precedence. */
const PHRASE_PATTERNS: readonly PeriodPattern[] = [
  FROM_TO,
  ...COMPOUND_PATTERNS,
  ONGOING_FROM,
  YEARS_SPAN,
  YEAR_RANGE_VI,
  DURING,
  BY,
  IN_POINT,
  BARE_POINT,
];
/** The patterns that may name a task's period inside running text; they need a cue word or a standalone form. */
const TEXT_PATTERNS: readonly PeriodPattern[] = [
  FROM_TO,
  ...COMPOUND_PATTERNS,
  ONGOING_FROM,
  YEARS_SPAN_IN_TEXT,
  YEAR_RANGE_VI,
  DURING,
  BY,
  IN_POINT,
  STANDALONE,
];

function findRecurrence(
  folded: string,
): { index: number; end: number; recurrence: Recurrence | undefined } | undefined {
  for (const cue of RECURRENCE_CUES) {
    const match = cue.regex.exec(folded);
    if (match) return { index: match.index, end: match.index + match[0].length, recurrence: cue.recurrence };
  }
  return undefined;
}

function recurringPeriod(
  text: string,
  recurrence: Recurrence | undefined,
  bounds: Omit<Period, 'text'> | undefined,
): Period {
  const period: Period = { text, kind: 'recurring', start: bounds?.start ?? null, due: bounds?.due ?? null };
  if (recurrence) period.recurrence = recurrence;
  return period;
}

function firstBuilt(
  folded: string,
  patterns: readonly PeriodPattern[],
  { year, issuedOn, calendar }: PeriodContext,
): Omit<Period, 'text'> | undefined {
  for (const pattern of patterns) {
    const match = pattern.regex.exec(folded);
    const built = match && pattern.build(match, year, issuedOn, calendar);
    if (built) return built;
  }
  return undefined;
}

function trimPhrase(text: string): string {
  return trimEndOf(text.replace(/\s+/g, ' ').replace(/^[\s:,;(-]+/, ''), ' .,;:)')
    .replace(/\.\/\.?$/, '')
    .trim();
}

/**
 * Reads a whole period phrase, as given after "Implementation period:" or "Thời hạn:".
 * `year` is used where the phrase gives none ("in October"). Undefined when the phrase is not understood.
 */
export function parsePeriodPhrase(phrase: string, given?: number | PeriodContext): Period | undefined {
  const context = contextOf(given);
  const text = trimPhrase(phrase.normalize('NFC'));
  const folded = foldKeepingOffsets(text);
  if (text === '') return undefined;
  if (DEPENDENT_START.test(folded)) return { text, kind: 'dependent', start: null, due: null };
  const recurring = findRecurrence(folded);
  if (recurring) {
    const rest =
      folded.slice(0, recurring.index) + ' '.repeat(recurring.end - recurring.index) + folded.slice(recurring.end);
    return recurringPeriod(text, recurring.recurrence, firstBuilt(rest, PHRASE_PATTERNS, context));
  }
  const built = firstBuilt(folded, PHRASE_PATTERNS, context);
  if (built) return { text, ...built };
  if (DEPENDENT_IN_TEXT.test(folded)) return { text, kind: 'dependent', start: null, due: null };
  return undefined;
}

/** Where a task states its period explicitly: "Implementation period: …", "Thời hạn hoàn thành: …". */
const PERIOD_LABEL =
  /(?:^|[\s.;,(])((?:implementation\s+(?:period|time(?:line)?|deadline|schedule)|time\s*(?:line|limit|frame)|deadline|due\s+date|completion\s+(?:time|date|deadline)|thoi\s+han(?:\s+(?:hoan\s+thanh|thuc\s+hien|bao\s+cao))?|thoi\s+gian(?:\s+(?:hoan\s+thanh|thuc\s+hien))?|tien\s+do(?:\s+thuc\s+hien)?|han\s+hoan\s+thanh)\s*:)/g;

export interface LabelledPeriod {
  /** The task text with the label and its phrase cut out. */
  taskText: string;
  phrase: string;
}

/** Cuts an explicit period label and its phrase (to the end of its sentence) out of a task's text. */
export function splitPeriodLabel(text: string): LabelledPeriod | undefined {
  const folded = foldKeepingOffsets(text);
  const matches = [...folded.matchAll(PERIOD_LABEL)];
  const match = matches.at(-1);
  if (!match || match.index === undefined) return undefined;
  const labelStart = match.index + match[0].length - (match[1]?.length ?? 0);
  const phraseStart = match.index + match[0].length;
  const rest = text.slice(phraseStart);
  // The phrase ends at the end of its sentence, a closing bracket or a semicolon; "15.11.2024" is no sentence end.
  const end = rest.search(/[;)]|\.(?=\s|$)|\.\/\./);
  const phraseEnd = end === -1 ? text.length : phraseStart + end;
  const before = trimEndOf(text.slice(0, labelStart), `${WHITE_SPACE}(,;-`);
  const after = text
    .slice(phraseEnd)
    .replace(/^[\s.;)]+/, '')
    .trim();
  const taskText = [before, after].filter((part) => part !== '').join(' ');
  return { taskText, phrase: trimPhrase(text.slice(phraseStart, phraseEnd)) };
}

/** Numbers and dates of other documents ("Quyết định số 1234/QĐ-BCT ngày 15 tháng 3 năm 2024") are not periods. */
const DOCUMENT_REFERENCE = new RegExp(
  `(?:\\b(?:so|no)\\.?\\s*)?\\b\\d{1,6}/(?:\\d{4}/)?[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:,?\\s*(?:(?:dated|of|on)\\s+)?${ANY_POINT})?`,
  'g',
);

function maskDocumentReferences(folded: string): string {
  return folded.replace(DOCUMENT_REFERENCE, (reference) => ' '.repeat(reference.length));
}

interface Candidate {
  index: number;
  end: number;
  rank: number;
  period: Omit<Period, 'text'>;
  recurrence?: Recurrence | undefined;
}

function collectCandidates(masked: string, { year, issuedOn, calendar }: PeriodContext): Candidate[] {
  const candidates: Candidate[] = [];
  TEXT_PATTERNS.forEach((pattern, rank) => {
    const regex = new RegExp(pattern.regex.source, 'g');
    for (const match of masked.matchAll(regex)) {
      const built = pattern.build(match as RegExpExecArray, year, issuedOn, calendar);
      if (built && match.index !== undefined) {
        candidates.push({ index: match.index, end: match.index + match[0].length, rank, period: built });
      }
    }
  });
  const recurring = findRecurrence(masked);
  if (recurring) {
    candidates.push({
      index: recurring.index,
      end: recurring.end,
      rank: TEXT_PATTERNS.length,
      period: { kind: 'recurring', start: null, due: null },
      recurrence: recurring.recurrence,
    });
  }
  const dependent = DEPENDENT_IN_TEXT.exec(masked);
  if (dependent) {
    candidates.push({
      index: dependent.index,
      end: dependent.index + dependent[0].trimEnd().length,
      rank: TEXT_PATTERNS.length + 1,
      period: { kind: 'dependent', start: null, due: null },
    });
  }
  return candidates;
}

/**
 * The candidates no longer candidate contains, ordered by start, longest first, then rank. One sweep in start
 * order: a candidate lies inside a longer one when one starting before it ends at or after its end, or one
 * starting where it starts ends after it (comparing every pair took seconds on a task of thousands of periods).
 */
function outermost(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort(
    (a, b) => a.index - b.index || b.end - b.index - (a.end - a.index) || a.rank - b.rank,
  );
  const outer: Candidate[] = [];
  let furthestBefore = -1;
  let group = 0;
  while (group < sorted.length) {
    const index = (sorted[group] as Candidate).index;
    let groupEnd = group;
    while (groupEnd < sorted.length && (sorted[groupEnd] as Candidate).index === index) groupEnd++;
    // Sorted longest first: the first of a group ends furthest.
    const furthestHere = (sorted[group] as Candidate).end;
    for (let at = group; at < groupEnd; at++) {
      const candidate = sorted[at] as Candidate;
      if (furthestBefore >= candidate.end || furthestHere > candidate.end) continue;
      outer.push(candidate);
    }
    furthestBefore = Math.max(furthestBefore, furthestHere);
    group = groupEnd;
  }
  return outer;
}

/**
 * Finds a task's period in its running text when no label states it: the last period phrase wins,
 * as deadlines close their sentence ("…, hoàn thành trước ngày 15/12/2024"); a rhythm right before a
 * window ("hằng tháng trong năm 2025") is one recurring period bounded by that window.
 */
export function findPeriodInText(text: string, given?: number | PeriodContext): Period | undefined {
  const source = text.normalize('NFC');
  const masked = maskDocumentReferences(foldKeepingOffsets(source));
  const candidates = collectCandidates(masked, contextOf(given));
  if (candidates.length === 0) return undefined;
  // A phrase inside a longer one ("Quý II/2025" in "trước Quý II/2025") is read as part of the longer one.
  const outer = outermost(candidates);
  const last = outer.reduce((best, candidate) => (candidate.index > best.index ? candidate : best));
  const rhythm = outer.find((candidate) => candidate.period.kind === 'recurring');
  if (rhythm && rhythm !== last && last.index >= rhythm.end && last.index - rhythm.end <= 3) {
    return recurringPeriod(trimPhrase(source.slice(rhythm.index, last.end)), rhythm.recurrence, last.period);
  }
  const phrase = trimPhrase(source.slice(last.index, last.end));
  if (last.period.kind === 'recurring') return recurringPeriod(phrase, last.recurrence, last.period);
  return { text: phrase, ...last.period };
}

const FULL_DATE = new RegExp(
  `\\b(${POINT_READERS.filter((reader) => reader.fullDate)
    .map((reader) => withoutGroups(reader.source))
    .join('|')})`,
  'g',
);

export interface DateMention {
  /** Offsets in the text given. */
  index: number;
  end: number;
  day: string;
}

/** Every full date written in a text ("ngày 26 tháng 10 năm 2024", "26/10/2024", "October 26, 2024"). */
export function findFullDates(text: string): DateMention[] {
  const mentions: DateMention[] = [];
  for (const match of foldKeepingOffsets(text.normalize('NFC')).matchAll(FULL_DATE)) {
    const span = readPoint(match[1] ?? '', undefined);
    if (span && match.index !== undefined) {
      mentions.push({ index: match.index, end: match.index + match[0].length, day: toIsoDay(span.start) });
    }
  }
  return mentions;
}

export const NO_PERIOD: Readonly<Period> = Object.freeze({ text: null, kind: 'none', start: null, due: null });
