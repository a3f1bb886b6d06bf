import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  type Bucket,
  countBuckets,
  daysBetween,
  listPeriods,
  periodContaining,
  reminderFor,
  type TaskFacts,
  trackTask,
} from './buckets.ts';

function buildFacts(overrides: Partial<TaskFacts> = {}): TaskFacts {
  return {
    kind: 'deadline',
    start: '2024-10-01',
    due: '2024-10-31',
    recurrence: null,
    status: 'not_started',
    completedOn: null,
    extendedDue: null,
    dependencyDue: null,
    issuedOn: '2024-10-26',
    periodReports: new Map(),
    ...overrides,
  };
}

describe('the four buckets of a task with a deadline (due 31/10/2024)', () => {
  const cases: Array<{ name: string; facts: Partial<TaskFacts>; today: string; bucket: Bucket; overdue?: number }> = [
    { name: 'open before the deadline', facts: {}, today: '2024-10-15', bucket: 'open_within' },
    { name: 'open on the deadline day itself', facts: {}, today: '2024-10-31', bucket: 'open_within' },
    { name: 'open the day after the deadline', facts: {}, today: '2024-11-01', bucket: 'open_overdue', overdue: 1 },
    {
      name: 'in progress a month after the deadline',
      facts: { status: 'in_progress' },
      today: '2024-12-01',
      bucket: 'open_overdue',
      overdue: 31,
    },
    {
      name: 'done before the deadline',
      facts: { status: 'done', completedOn: '2024-10-20' },
      today: '2025-06-01',
      bucket: 'done_on_time',
    },
    {
      name: 'done on the deadline day',
      facts: { status: 'done', completedOn: '2024-10-31' },
      today: '2025-06-01',
      bucket: 'done_on_time',
    },
    {
      name: 'done a day after the deadline',
      facts: { status: 'done', completedOn: '2024-11-01' },
      today: '2024-11-02',
      bucket: 'done_late',
    },
    {
      name: 'open past the deadline but within an approved extension',
      facts: { extendedDue: '2024-11-30' },
      today: '2024-11-15',
      bucket: 'open_within',
    },
    {
      name: 'open past an approved extension',
      facts: { extendedDue: '2024-11-30' },
      today: '2024-12-02',
      bucket: 'open_overdue',
      overdue: 2,
    },
    {
      name: 'done after the original deadline but within the extension',
      facts: { extendedDue: '2024-11-30', status: 'done', completedOn: '2024-11-20' },
      today: '2025-01-01',
      bucket: 'done_on_time',
    },
    {
      name: 'a range ("during 2025") open on its last day',
      facts: { kind: 'range', start: '2025-01-01', due: '2025-12-31' },
      today: '2025-12-31',
      bucket: 'open_within',
    },
    {
      name: 'a range open after its last day',
      facts: { kind: 'range', start: '2025-01-01', due: '2025-12-31' },
      today: '2026-01-01',
      bucket: 'open_overdue',
      overdue: 1,
    },
    {
      name: 'a task with no period is never overdue',
      facts: { kind: 'none', start: null, due: null },
      today: '2030-01-01',
      bucket: 'open_within',
    },
    {
      name: 'a task with no period is done on time whenever it is done',
      facts: { kind: 'none', start: null, due: null, status: 'done', completedOn: '2029-01-01' },
      today: '2030-01-01',
      bucket: 'done_on_time',
    },
    {
      name: 'a dependent task not yet linked is within its deadline',
      facts: { kind: 'dependent', start: null, due: null },
      today: '2030-01-01',
      bucket: 'open_within',
    },
    {
      name: 'a dependent task follows the deadline of the directive it is linked to',
      facts: { kind: 'dependent', start: null, due: null, dependencyDue: '2024-12-31' },
      today: '2025-01-05',
      bucket: 'open_overdue',
      overdue: 5,
    },
    {
      name: 'a dependent task done after the linked deadline is late',
      facts: {
        kind: 'dependent',
        start: null,
        due: null,
        dependencyDue: '2024-12-31',
        status: 'done',
        completedOn: '2025-01-02',
      },
      today: '2025-01-05',
      bucket: 'done_late',
    },
  ];
  for (const { name, facts, today, bucket, overdue } of cases) {
    it(`puts ${name} in ${bucket}`, () => {
      const tracking = trackTask(buildFacts(facts), today);
      assert.equal(tracking.bucket, bucket);
      assert.equal(tracking.daysOverdue, overdue ?? null);
    });
  }
});

describe('recurring tasks', () => {
  const monthly = (reports: Array<[string, string]>, overrides: Partial<TaskFacts> = {}) =>
    buildFacts({
      kind: 'recurring',
      start: null,
      due: null,
      recurrence: 'monthly',
      issuedOn: '2024-10-26',
      periodReports: new Map(reports),
      ...overrides,
    });

  it('are within the deadline during their first period, the report due at its end', () => {
    const tracking = trackTask(monthly([]), '2024-10-28');
    assert.equal(tracking.bucket, 'open_within');
    assert.equal(tracking.due, '2024-10-31');
    assert.deepEqual(tracking.awaitedPeriod, { start: '2024-10-01', end: '2024-10-31' });
  });

  it('are overdue when the report of the period that just ended is missing', () => {
    const tracking = trackTask(monthly([]), '2024-11-01');
    assert.equal(tracking.bucket, 'open_overdue');
    assert.equal(tracking.due, '2024-10-31');
    assert.equal(tracking.daysOverdue, 1);
  });

  it('are within the deadline when every ended period has its report', () => {
    const tracking = trackTask(
      monthly([
        ['2024-10-01', '2024-10-30'],
        ['2024-11-01', '2024-11-29'],
      ]),
      '2024-12-10',
    );
    assert.equal(tracking.bucket, 'open_within');
    assert.equal(tracking.due, '2024-12-31');
    assert.deepEqual(tracking.missedPeriods, []);
  });

  it('await the next period once the current one is reported', () => {
    const tracking = trackTask(monthly([['2024-10-01', '2024-10-30']]), '2024-10-30');
    assert.equal(tracking.due, '2024-11-30');
  });

  it('list a missed period even after a later report came in, without being overdue for it', () => {
    const tracking = trackTask(monthly([['2024-11-01', '2024-11-29']]), '2024-12-05');
    assert.equal(tracking.bucket, 'open_within');
    assert.deepEqual(tracking.missedPeriods, [{ start: '2024-10-01', end: '2024-10-31' }]);
  });

  it('report each quarter when the text says only "regularly"', () => {
    const tracking = trackTask(monthly([], { recurrence: null }), '2024-12-31');
    assert.equal(tracking.rhythm, 'quarterly');
    assert.equal(tracking.bucket, 'open_within');
    assert.equal(trackTask(monthly([], { recurrence: null }), '2025-01-01').bucket, 'open_overdue');
  });

  it('with an end ("monthly during 2025") are done on time once it passes with every report on time', () => {
    const reports: Array<[string, string]> = [];
    for (let month = 1; month <= 12; month++) {
      const start = `2025-${String(month).padStart(2, '0')}-01`;
      reports.push([start, addDays(periodContaining(start, 'monthly').end, -2)]);
    }
    const facts = monthly(reports, { start: '2025-01-01', due: '2025-12-31' });
    assert.equal(trackTask(facts, '2026-02-01').bucket, 'done_on_time');
    reports[5] = ['2025-06-01', '2025-07-03'];
    assert.equal(
      trackTask(monthly(reports, { start: '2025-01-01', due: '2025-12-31' }), '2026-02-01').bucket,
      'done_late',
    );
  });

  it('with an end are overdue after it when the last period has no report', () => {
    const facts = monthly([], { start: '2025-01-01', due: '2025-12-31' });
    assert.equal(trackTask(facts, '2026-03-01').bucket, 'open_overdue');
    assert.equal(trackTask(facts, '2026-03-01').due, '2025-12-31');
  });

  it('not begun yet await their first period', () => {
    const tracking = trackTask(monthly([], { start: '2027-01-01', due: '2027-12-31' }), '2026-11-29');
    assert.equal(tracking.bucket, 'open_within');
    assert.deepEqual(tracking.awaitedPeriod, { start: '2027-01-01', end: '2027-01-31' });
  });
});

describe('reporting periods', () => {
  it('follow calendar months, quarters, halves, years and ISO weeks', () => {
    assert.deepEqual(periodContaining('2024-02-10', 'monthly'), { start: '2024-02-01', end: '2024-02-29' });
    assert.deepEqual(periodContaining('2024-11-10', 'quarterly'), { start: '2024-10-01', end: '2024-12-31' });
    assert.deepEqual(periodContaining('2025-05-10', 'semiannual'), { start: '2025-01-01', end: '2025-06-30' });
    assert.deepEqual(periodContaining('2025-05-10', 'annual'), { start: '2025-01-01', end: '2025-12-31' });
    assert.deepEqual(periodContaining('2024-10-26', 'weekly'), { start: '2024-10-21', end: '2024-10-27' });
    assert.deepEqual(periodContaining('2024-10-26', 'daily'), { start: '2024-10-26', end: '2024-10-26' });
  });

  it('are listed from the first to the one containing today, the last cut at the end', () => {
    const periods = listPeriods('2024-10-26', '2025-03-01', 'quarterly', '2025-02-15');
    assert.deepEqual(periods, [
      { start: '2024-10-01', end: '2024-12-31' },
      { start: '2025-01-01', end: '2025-02-15' },
    ]);
  });

  it('round-trip every day of four years through containing period and days between', () => {
    for (let day = '2024-01-01'; day < '2028-01-01'; day = addDays(day, 1)) {
      for (const rhythm of ['weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const) {
        const period = periodContaining(day, rhythm);
        assert.ok(period.start <= day && day <= period.end, `${day} ${rhythm}`);
        assert.deepEqual(periodContaining(period.end, rhythm), period);
        assert.deepEqual(periodContaining(addDays(period.end, 1), rhythm).start, addDays(period.end, 1));
      }
      assert.equal(daysBetween(day, addDays(day, 30)), 30);
    }
  });
});

describe('reminders', () => {
  const within = (due: string) => ({ bucket: 'open_within' as const, due });

  it('fire at the smallest configured number of days not below the days left', () => {
    assert.deepEqual(reminderFor(within('2024-10-31'), '2024-10-24', [7, 1]), {
      kind: 'before_7',
      dueOn: '2024-10-31',
    });
    assert.deepEqual(reminderFor(within('2024-10-31'), '2024-10-28', [7, 1]), {
      kind: 'before_7',
      dueOn: '2024-10-31',
    });
    assert.deepEqual(reminderFor(within('2024-10-31'), '2024-10-30', [1, 7]), {
      kind: 'before_1',
      dueOn: '2024-10-31',
    });
    assert.deepEqual(reminderFor(within('2024-10-31'), '2024-10-31', [7, 1]), {
      kind: 'before_1',
      dueOn: '2024-10-31',
    });
  });

  it('do not fire too early, for done tasks or without a deadline', () => {
    assert.equal(reminderFor(within('2024-10-31'), '2024-10-23', [7, 1]), undefined);
    assert.equal(reminderFor({ bucket: 'done_on_time', due: '2024-10-31' }, '2024-10-30', [7, 1]), undefined);
    assert.equal(reminderFor({ bucket: 'open_within', due: null }, '2024-10-30', [7, 1]), undefined);
  });

  it('fire once per deadline for overdue tasks', () => {
    assert.deepEqual(reminderFor({ bucket: 'open_overdue', due: '2024-10-31' }, '2024-11-20', [7, 1]), {
      kind: 'overdue',
      dueOn: '2024-10-31',
    });
  });
});

describe('countBuckets', () => {
  it('counts each bucket and the total', () => {
    assert.deepEqual(countBuckets(['done_on_time', 'open_overdue', 'open_overdue']), {
      done_on_time: 1,
      done_late: 0,
      open_within: 0,
      open_overdue: 2,
      total: 3,
    });
  });
});
