import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.ts';
import {
  addWorkingDays,
  countWorkingDays,
  deadlineStatus,
  endOfVietnamDay,
  loadVietnamCalendar,
  parseCalendarFile,
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

  it('cites a source for every day, and keeps a day no source read confirms as a projection that says so', () => {
    const basisOf = (year: number) =>
      new Set(calendar.days.filter((d) => d.date.startsWith(`${year}`)).map((d) => d.basis));
    assert.deepEqual(basisOf(2024), new Set(['official']));
    assert.deepEqual(basisOf(2026), new Set(['official']));
    assert.deepEqual(basisOf(2027), new Set(['projected']));
    for (const day of calendar.days) {
      assert.ok(day.source.length > 0, `${day.date} cites its source`);
      if (day.basis === 'projected' && day.date < '2027') assert.match(day.source, /^Unverified/, day.date);
    }
    assert.match(calendar.entryFor('2026-02-17')?.source ?? '', /9441\/TB-BNV ngày 16\/10\/2025/);
    assert.match(calendar.entryFor('2025-01-29')?.source ?? '', /8726\/VPCP-KGVX ngày 26\/11\/2024/);
  });

  it('pairs every swapped day off with its make-up Saturday, and every make-up Saturday with a day off', () => {
    const swaps = calendar.days.filter((day) => /swapped with Saturday/.test(day.note));
    assert.ok(swaps.length >= 4);
    for (const day of swaps) {
      const [, dd, mm, yyyy] = /swapped with Saturday (\d\d)\/(\d\d)\/(\d{4})/.exec(day.note) ?? [];
      assert.equal(calendar.entryFor(`${yyyy}-${mm}-${dd}`)?.type, 'working_day', `the make-up day of ${day.date}`);
    }
    for (const makeUp of calendar.days.filter((day) => day.type === 'working_day')) {
      const [, d, m] = /Làm bù cho ngày (\d+)\/(\d+)/.exec(makeUp.name.vi) ?? [];
      const swapped = `${makeUp.date.slice(0, 4)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      assert.equal(calendar.entryFor(swapped)?.type, 'day_off', `${makeUp.date} makes up for ${swapped}`);
    }
  });

  it('has 27/01/2025 as one of the five Tết days of 8726/VPCP-KGVX, so no Saturday is made up for it', () => {
    const day = calendar.entryFor('2025-01-27');
    assert.equal(day?.type, 'holiday');
    assert.equal(day?.basis, 'official');
    assert.equal(calendar.isWorkingDay('2025-01-27'), false);
    // The break 25/01–02/02/2025 is the five Tết days 27–31/01 and two weekends: nothing swapped, nothing made up.
    assert.equal(calendar.isWorkingDay('2025-02-08'), false);
    assert.equal(calendar.entryFor('2025-02-08'), undefined);
    assert.deepEqual(
      calendar.days.filter((d) => d.date >= '2025-01-01' && d.date < '2025-03-01' && d.type !== 'holiday'),
      [],
    );
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
      'date,type,name_vi,name_en,basis,source,note\n2025-01-01,holiday,a,b,official,s,\n2025-03-05,working_day,a,b,official,s,\n';
    assert.throws(
      () => parseWorkingCalendar(text, 'test.csv'),
      (error: unknown) => error instanceof AppError && /test\.csv: line 3, field type/.test(error.message),
    );
  });

  it('refuses a date listed twice and a date that does not exist', () => {
    const header = 'date,type,name_vi,name_en,basis,source,note\n';
    assert.throws(
      () => parseWorkingCalendar(`${header}2025-01-01,holiday,a,b,official,s,\n2025-01-01,day_off,a,b,official,s,\n`),
      /listed twice/,
    );
    assert.throws(() => parseWorkingCalendar(`${header}2025-02-29,holiday,a,b,official,s,\n`), /not a date/);
    assert.throws(() => parseWorkingCalendar(`${header}2025-02-28,holiday,a,b,guessed,s,\n`), /official or projected/);
  });

  it('refuses a day without a source, and lists every bad row by line and field', () => {
    const text = [
      'date,type,name_vi,name_en,basis,source,note',
      '2026-02-16,holiday,Tết,Tet,official,,',
      '2026-02-17,holiday,Tết,Tet,official,Thông báo 9441/TB-BNV,',
      '2026-02-18,holday,Tết,Tet,official,Thông báo 9441/TB-BNV,',
    ].join('\n');
    assert.throws(
      () => parseCalendarFile(text, { name: 'tet.csv' }),
      (error: unknown) =>
        error instanceof AppError &&
        /^tet\.csv: line 2, field source: .* \(and 1 more\)$/.test(error.message) &&
        error.issues.map((issue) => `${issue.line}:${issue.field}`).join(' ') === '2:source 4:type',
    );
    const rows = parseCalendarFile(text.split('\n').slice(0, 3).join('\n'), { defaultSource: 'Thông báo 9441/TB-BNV' });
    assert.equal(rows[0]?.day.source, 'Thông báo 9441/TB-BNV');
    assert.equal(rows[1]?.line, 3);
  });

  it('refuses a file whose header is not the calendar columns', () => {
    assert.throws(
      () => parseCalendarFile('date,kind,name_vi,name_en,basis,source,note\n'),
      (error: unknown) =>
        error instanceof AppError && error.issues[0]?.line === 1 && /missing type; unknown kind/.test(error.message),
    );
  });

  it('names the line and field of a problem in Vietnamese too', () => {
    assert.throws(
      () =>
        parseWorkingCalendar(
          'date,type,name_vi,name_en,basis,source,note\n2025-02-30,holiday,a,b,official,s,\n',
          'lịch.csv',
        ),
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

  it('skips the official Tết break of 2026 (14 – 22 February, Thông báo 9441/TB-BNV)', () => {
    assert.equal(dueOn('2026-02-12T16:00:00'), '2026-02-24');
    assert.equal(dueOn('2026-02-13T16:00:00'), '2026-02-25');
    assert.equal(dueOn('2026-02-16T09:00:00'), '2026-02-25');
    assert.equal(countWorkingDays(calendar, '2026-02-13', '2026-02-22'), 0);
  });

  it('skips the New Year bridge of 2026 and counts its make-up Saturday, 10 January', () => {
    assert.equal(dueOn('2025-12-31T10:00:00'), '2026-01-07');
    assert.equal(dueOn('2026-01-08T10:00:00'), '2026-01-12');
  });

  it('counts Saturday 22/08/2026 and skips the National Day break of 2026 (29/08 – 02/09)', () => {
    assert.equal(dueOn('2026-08-20T10:00:00'), '2026-08-24');
    assert.equal(dueOn('2026-08-27T10:00:00'), '2026-09-04');
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
