import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.ts';
import {
  addWorkingDays,
  countWorkingDays,
  deadlineStatus,
  endOfVietnamDay,
  loadVietnamCalendar,
  parseWorkingCalendar,
  workingDayDeadline,
} from './working-days.ts';

const calendar = loadVietnamCalendar();

/** A wall-clock time in Vietnam (+07:00) as an instant. */
function vietnamTime(local: string): Date {
  return new Date(`${local}+07:00`);
}

function dueOn(local: string, days = 3): string {
  return workingDayDeadline(calendar, vietnamTime(local), days).dueOn;
}

describe('the Vietnamese working calendar file', () => {
  it('covers 2024 to 2027 and names the statutory holidays of each year', () => {
    assert.deepEqual(calendar.years, { first: 2024, last: 2027 });
    for (const year of [2024, 2025, 2026, 2027]) {
      for (const monthDay of ['01-01', '04-30', '05-01', '09-02']) {
        const entry = calendar.entryFor(`${year}-${monthDay}`);
        assert.equal(entry?.type, 'holiday', `${year}-${monthDay}`);
      }
      const tet = calendar.days.filter((day) => day.date.startsWith(`${year}-0`) && /Tết Nguyên đán/.test(day.name.vi));
      assert.ok(tet.length >= 4, `${year} has its Tết break`);
    }
  });

  it('marks 2024 and 2025 as official decisions and later years as projections', () => {
    const basisOf = (year: number) =>
      new Set(calendar.days.filter((d) => d.date.startsWith(`${year}`)).map((d) => d.basis));
    assert.deepEqual(basisOf(2024), new Set(['official']));
    assert.deepEqual(basisOf(2025), new Set(['official']));
    assert.deepEqual(basisOf(2026), new Set(['projected']));
    assert.deepEqual(basisOf(2027), new Set(['projected']));
  });

  it('counts a make-up Saturday as a working day and a bridge Monday as a day off', () => {
    assert.equal(calendar.isWorkingDay('2024-05-04'), true);
    assert.equal(calendar.isWorkingDay('2024-04-29'), false);
    assert.equal(calendar.isWorkingDay('2025-04-26'), true);
    assert.equal(calendar.isWorkingDay('2025-05-02'), false);
    assert.equal(calendar.isWorkingDay('2025-05-03'), false);
    assert.equal(calendar.isWorkingDay('2025-05-05'), true);
  });

  it('refuses a file that lists a weekday as a make-up working day, naming the line', () => {
    const text =
      'date,type,name_vi,name_en,basis,note\n2025-01-01,holiday,a,b,official,\n2025-03-05,working_day,a,b,official,\n';
    assert.throws(
      () => parseWorkingCalendar(text, 'test.csv'),
      (error: unknown) => error instanceof AppError && /test\.csv: line 3, field type/.test(error.message),
    );
  });

  it('refuses a date listed twice and a date that does not exist', () => {
    const header = 'date,type,name_vi,name_en,basis,note\n';
    assert.throws(
      () => parseWorkingCalendar(`${header}2025-01-01,holiday,a,b,official,\n2025-01-01,day_off,a,b,official,\n`),
      /listed twice/,
    );
    assert.throws(() => parseWorkingCalendar(`${header}2025-02-29,holiday,a,b,official,\n`), /not a date/);
    assert.throws(() => parseWorkingCalendar(`${header}2025-02-28,holiday,a,b,guessed,\n`), /official or projected/);
  });

  it('names the line and field of a problem in Vietnamese too', () => {
    assert.throws(
      () =>
        parseWorkingCalendar('date,type,name_vi,name_en,basis,note\n2025-02-30,holiday,a,b,official,\n', 'lịch.csv'),
      (error: unknown) =>
        error instanceof AppError &&
        error.field === 'date' &&
        error.text.vi === 'lịch.csv: dòng 2, trường date: "2025-02-30" không phải ngày dạng YYYY-MM-DD',
    );
  });
});

describe('a deadline of 3 working days', () => {
  it('ends on Thursday for an application received on Monday morning', () => {
    assert.equal(dueOn('2025-03-03T10:00:00'), '2025-03-06');
  });

  it('skips the weekend', () => {
    assert.equal(dueOn('2025-03-06T09:00:00'), '2025-03-11');
    assert.equal(dueOn('2025-03-07T09:00:00'), '2025-03-12');
  });

  it('counts from the day of receipt in Vietnam, not in UTC, around midnight', () => {
    // 23:59:59.999 on Thursday in Hanoi is still Thursday: Friday, Monday, Tuesday.
    assert.equal(workingDayDeadline(calendar, new Date('2025-03-06T16:59:59.999Z'), 3).dueOn, '2025-03-11');
    // One millisecond later it is Friday in Hanoi (still Thursday in UTC): Monday, Tuesday, Wednesday.
    assert.equal(workingDayDeadline(calendar, new Date('2025-03-06T17:00:00.000Z'), 3).dueOn, '2025-03-12');
  });

  it('gives the same deadline to Friday night and Saturday morning, since Saturday is not a working day', () => {
    assert.equal(dueOn('2025-03-07T23:59:00'), '2025-03-12');
    assert.equal(dueOn('2025-03-08T00:01:00'), '2025-03-12');
    assert.equal(dueOn('2025-03-09T12:00:00'), '2025-03-12');
  });

  it('skips the Tết break of 2025 (25 January – 2 February)', () => {
    assert.equal(dueOn('2025-01-23T15:00:00'), '2025-02-04');
    assert.equal(dueOn('2025-01-24T15:00:00'), '2025-02-05');
    assert.equal(countWorkingDays(calendar, '2025-01-24', '2025-02-02'), 0);
  });

  it('skips the Tết break of 2024 (8 – 14 February)', () => {
    assert.equal(dueOn('2024-02-07T08:00:00'), '2024-02-19');
  });

  it('skips the projected Tết break of 2026 around New Year’s Eve, 16 February', () => {
    assert.equal(dueOn('2026-02-13T16:00:00'), '2026-02-25');
  });

  it('counts the make-up Saturday and skips the bridge day of 30 April', () => {
    // 2024: 29/4 (Mon) swapped for Saturday 4/5.
    assert.equal(dueOn('2024-04-26T10:00:00'), '2024-05-04');
    // 2025: Friday 2/5 swapped for Saturday 26/4.
    assert.equal(dueOn('2025-04-24T10:00:00'), '2025-04-28');
    assert.equal(dueOn('2025-04-28T10:00:00'), '2025-05-06');
  });

  it('skips a compensatory day off for a holiday on a Sunday', () => {
    // Hung Kings' day 2026 falls on Sunday 26/4: Monday 27/4 off, then 30/4 and 1/5.
    assert.equal(dueOn('2026-04-24T10:00:00'), '2026-05-04');
  });

  it('ends at the last millisecond of the due day in Vietnam', () => {
    assert.equal(endOfVietnamDay('2025-03-12').toISOString(), '2025-03-12T16:59:59.999Z');
    const deadline = workingDayDeadline(calendar, vietnamTime('2025-03-07T09:00:00'), 3);
    assert.equal(deadline.deadlineAt.toISOString(), '2025-03-12T16:59:59.999Z');
  });

  it('refuses a count that is not a positive whole number', () => {
    assert.throws(() => addWorkingDays(calendar, '2025-03-03', 0), RangeError);
    assert.throws(() => addWorkingDays(calendar, '2025-03-03', 1.5), RangeError);
  });
});

describe('deadlineStatus', () => {
  it('is on time until the due day begins in Vietnam', () => {
    assert.equal(deadlineStatus('2025-03-12', new Date('2025-03-11T16:59:59.999Z')), 'on_time');
  });

  it('is due today from 00:00 to 23:59 of the due day in Vietnam', () => {
    assert.equal(deadlineStatus('2025-03-12', new Date('2025-03-11T17:00:00.000Z')), 'due_today');
    assert.equal(deadlineStatus('2025-03-12', new Date('2025-03-12T16:59:59.999Z')), 'due_today');
  });

  it('is overdue from midnight after the due day', () => {
    assert.equal(deadlineStatus('2025-03-12', new Date('2025-03-12T17:00:00.000Z')), 'overdue');
  });
});
