/**
 * The Vietnamese lunar calendar: the first day of the lunar year (Tết Nguyên Đán), computed, not listed.
 *
 * Hồ Ngọc Đức's algorithm ("Computing the Vietnamese lunar calendar",
 * https://www.informatik.uni-leipzig.de/~duc/amlich/calrules_en.html): new moons and solar longitudes from the
 * astronomical series of Meeus, in local time at UTC+7. Vietnam's calendar has counted at UTC+7 since 1968, so its
 * months start a day earlier than China's (UTC+8) when a new moon falls between 23:00 and 24:00 in Hanoi — Tết 1985
 * was 21 January in Vietnam and 20 February in China (the 11th month differs, and with it the leap month).
 *
 * Why not a package: the npm packages that wrap this algorithm (lunar-calendar-ts-vi, vietnamese-date, amlich ports)
 * are single-maintainer copies of the same 100 lines, some browser/Angular-shaped; the algorithm is short, public and
 * tested below against official Tết dates, so a dependency would add risk and nothing else.
 */

const TIME_ZONE = 7;

/** Julian day number of a Gregorian date. */
export function julianDayNumber(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

/** The Gregorian date of a Julian day number, as YYYY-MM-DD. */
export function isoDateOfJulianDay(jd: number): string {
  const a = jd + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((b * 146097) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = b * 100 + d - 4800 + Math.floor(m / 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Julian day (fractional, UT) of the k-th new moon after 1 January 1900 (Meeus, ch. 49, truncated series). */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let C1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  C1 = C1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  C1 -= 0.0004 * Math.sin(dr * 3 * Mpr);
  C1 = C1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  C1 = C1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  C1 = C1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  C1 = C1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** The sun's apparent longitude (radians, 0..2π) at a Julian day (Meeus, ch. 25, low precision). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  DL = DL + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  let L = (L0 + DL) * dr;
  L -= Math.PI * 2 * Math.floor(L / (Math.PI * 2));
  return L;
}

/** The local day (Julian day number) of the k-th new moon. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TIME_ZONE / 24);
}

/** The sun's longitude at local midnight starting a day, as one of 12 sectors of 30°. */
function sunSector(dayNumber: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - TIME_ZONE / 24) / Math.PI) * 6);
}

/** The day the 11th lunar month (the one holding the winter solstice) begins, for a Gregorian year. */
function lunarMonth11(year: number): number {
  const off = julianDayNumber(year, 12, 31) - 2415021;
  const k = Math.floor(off / 29.530588853);
  let nm = newMoonDay(k);
  if (sunSector(nm) >= 9) nm = newMoonDay(k - 1);
  return nm;
}

/** Which month after the 11th is the leap month (the first without a major solar term). */
function leapMonthOffset(a11: number): number {
  const k = Math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let last: number;
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** The first day of the lunar year that begins in the given Gregorian year (Tết), as YYYY-MM-DD, Vietnam time. */
export function lunarNewYear(year: number): string {
  if (!Number.isInteger(year) || year < 1200 || year > 2199) {
    throw new RangeError(`year ${year} is outside 1200–2199, where the truncated series is reliable`);
  }
  const a11 = lunarMonth11(year - 1);
  const b11 = lunarMonth11(year);
  const k = Math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
  // Month 1 is two months after month 11, or three when a leap month falls between them.
  let offset = 2;
  if (b11 - a11 > 365) {
    const leap = leapMonthOffset(a11);
    if (leap <= 2) offset = 3;
  }
  return isoDateOfJulianDay(newMoonDay(k + offset));
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return isoDateOfJulianDay(julianDayNumber(y, m, d) + days);
}

/** Days from a to b (b − a), both YYYY-MM-DD. */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  return julianDayNumber(by, bm, bd) - julianDayNumber(ay, am, ad);
}

/** The Gregorian date of a lunar day of the lunar year starting in `year` (non-leap months only). */
export function lunarDayInYear(year: number, lunarMonth: number, lunarDay: number): string {
  const tet = lunarNewYear(year);
  const [ty, tm, td] = tet.split('-').map(Number) as [number, number, number];
  const k = Math.floor(0.5 + (julianDayNumber(ty, tm, td) - 2415021.076998695) / 29.530588853);
  // Only a year of 13 months has a leap month: the first month in which the sun enters no new 30° sector. It
  // repeats the previous month's number, so it is skipped when counting.
  const hasLeapMonth = daysBetween(tet, lunarNewYear(year + 1)) > 370;
  let leapSeen = false;
  const isLeap = (i: number): boolean => {
    if (!hasLeapMonth || leapSeen) return false;
    const leap = sunSector(newMoonDay(k + i)) === sunSector(newMoonDay(k + i + 1));
    if (leap) leapSeen = true;
    return leap;
  };
  let month = 1;
  let index = 0;
  while (month < lunarMonth) {
    index++;
    if (!isLeap(index)) month++;
  }
  return isoDateOfJulianDay(newMoonDay(k + index) + lunarDay - 1);
}
