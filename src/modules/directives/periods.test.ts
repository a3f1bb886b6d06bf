import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWorkingCalendar, loadVietnamCalendar } from '../../core/working-days.ts';
import { daysInMonth, isLeapYear, previousDay, toIsoDay } from './calendar.ts';
import { findFullDates, findPeriodInText, parsePeriodPhrase, splitPeriodLabel } from './periods.ts';

// The expected dates come from an independent oracle: Date.UTC with day 0 is the last day of the month before.
function lastDayOracle(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const YEARS = Array.from({ length: 16 }, (_, index) => 2020 + index);
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const ROMAN = ['I', 'II', 'III', 'IV'];
const ORDINAL = ['first', 'second', 'third', 'fourth'];

function assertPeriod(
  phrase: string,
  year: number | undefined,
  expected: { kind: string; start: string | null; due: string | null },
) {
  const period = parsePeriodPhrase(phrase, year);
  assert.ok(period, `"${phrase}" is not understood`);
  assert.deepEqual(
    { kind: period.kind, start: period.start, due: period.due },
    expected,
    `"${phrase}" reads as ${JSON.stringify(period)}`,
  );
}

describe('calendar arithmetic', () => {
  it('knows the leap years of the Gregorian calendar', () => {
    assert.equal(isLeapYear(2024), true);
    assert.equal(isLeapYear(2025), false);
    assert.equal(isLeapYear(2000), true);
    assert.equal(isLeapYear(2100), false);
    assert.equal(daysInMonth(2024, 2), 29);
    assert.equal(daysInMonth(2100, 2), 28);
  });

  it('steps back over month and year ends', () => {
    assert.equal(toIsoDay(previousDay({ year: 2025, month: 1, day: 1 })), '2024-12-31');
    assert.equal(toIsoDay(previousDay({ year: 2024, month: 3, day: 1 })), '2024-02-29');
    assert.equal(toIsoDay(previousDay({ year: 2024, month: 11, day: 15 })), '2024-11-14');
  });
});

describe('period phrases round-trip to their first and last calendar day', () => {
  it('reads every month of 2020–2035 in English and Vietnamese phrasings', () => {
    let checked = 0;
    for (const year of YEARS) {
      for (let month = 1; month <= 12; month++) {
        const name = MONTH_NAMES[month - 1] as string;
        const expected = {
          kind: 'deadline',
          start: iso(year, month, 1),
          due: iso(year, month, lastDayOracle(year, month)),
        };
        const phrases = [
          `in ${name} ${year}`,
          `${name} ${year}`,
          `in ${name}, ${year}`,
          `in ${name.slice(0, 3)} ${year}`,
          `in the month of ${name} ${year}`,
          `trong tháng ${month}/${year}`,
          `tháng ${month} năm ${year}`,
          `tháng ${String(month).padStart(2, '0')}/${year}`,
          `trong tháng ${month} năm ${year}`,
          `TRONG THÁNG ${month}/${year}`,
          `trong thang ${month}/${year}`,
          `${month}/${year}`,
        ];
        for (const phrase of phrases) {
          assertPeriod(phrase, undefined, expected);
          checked++;
        }
      }
    }
    assert.equal(checked, 16 * 12 * 12);
  });

  it('reads "before" a month as ending the day before it starts, "by the end of" as its last day', () => {
    for (const year of YEARS) {
      for (let month = 1; month <= 12; month++) {
        const name = MONTH_NAMES[month - 1] as string;
        const dayBefore = new Date(Date.UTC(year, month - 1, 0));
        const before = iso(dayBefore.getUTCFullYear(), dayBefore.getUTCMonth() + 1, dayBefore.getUTCDate());
        assertPeriod(`before ${name} ${year}`, undefined, { kind: 'deadline', start: null, due: before });
        assertPeriod(`trước tháng ${month}/${year}`, undefined, { kind: 'deadline', start: null, due: before });
        const last = iso(year, month, lastDayOracle(year, month));
        assertPeriod(`by the end of ${name} ${year}`, undefined, { kind: 'deadline', start: null, due: last });
        assertPeriod(`chậm nhất cuối tháng ${month}/${year}`, undefined, { kind: 'deadline', start: null, due: last });
      }
    }
  });

  it('reads every quarter of 2020–2035', () => {
    for (const year of YEARS) {
      for (let quarter = 1; quarter <= 4; quarter++) {
        const lastMonth = quarter * 3;
        const expected = {
          kind: 'deadline',
          start: iso(year, lastMonth - 2, 1),
          due: iso(year, lastMonth, lastDayOracle(year, lastMonth)),
        };
        const roman = ROMAN[quarter - 1] as string;
        for (const phrase of [
          `in the ${ORDINAL[quarter - 1]} quarter of ${year}`,
          `${ORDINAL[quarter - 1]} quarter of ${year}`,
          `Q${quarter}/${year}`,
          `Q${quarter} ${year}`,
          `quarter ${roman} of ${year}`,
          `Quý ${roman}/${year}`,
          `quý ${roman} năm ${year}`,
          `trong Quý ${quarter}/${year}`,
          `QUÝ ${roman}/${year}`,
          `Quy ${roman}/${year}`,
        ]) {
          assertPeriod(phrase, undefined, expected);
        }
      }
    }
  });

  it('reads every half of 2020–2035', () => {
    for (const year of YEARS) {
      const first = { kind: 'deadline', start: iso(year, 1, 1), due: iso(year, 6, 30) };
      const second = { kind: 'deadline', start: iso(year, 7, 1), due: iso(year, 12, 31) };
      for (const phrase of [
        `first half of ${year}`,
        `in the first half of ${year}`,
        `the first six months of ${year}`,
        `H1 ${year}`,
        `6 tháng đầu năm ${year}`,
        `trong 6 tháng đầu năm ${year}`,
        `nửa đầu năm ${year}`,
      ]) {
        assertPeriod(phrase, undefined, first);
      }
      for (const phrase of [
        `second half of ${year}`,
        `in the second half of ${year}`,
        `the last 6 months of ${year}`,
        `H2/${year}`,
        `6 tháng cuối năm ${year}`,
        `sáu tháng cuối năm ${year}`,
      ]) {
        assertPeriod(phrase, undefined, second);
      }
    }
  });

  it('reads every year as a deadline, and "during"/"trong năm" as a range', () => {
    for (const year of YEARS) {
      const whole = { start: iso(year, 1, 1), due: iso(year, 12, 31) };
      for (const phrase of [`in ${year}`, `năm ${year}`, `in the year ${year}`, `${year}`]) {
        assertPeriod(phrase, undefined, { kind: 'deadline', ...whole });
      }
      for (const phrase of [`during ${year}`, `trong năm ${year}`, `throughout ${year}`, `cả năm ${year}`]) {
        assertPeriod(phrase, undefined, { kind: 'range', ...whole });
      }
      assertPeriod(`by the end of ${year}`, undefined, { kind: 'deadline', start: null, due: whole.due });
    }
  });

  it('reads every calendar day of 2020–2035 after "before"/"trước ngày", leap days included', () => {
    let days = 0;
    for (const year of YEARS) {
      for (let month = 1; month <= 12; month++) {
        const name = MONTH_NAMES[month - 1] as string;
        for (let day = 1; day <= lastDayOracle(year, month); day++) {
          const expected = { kind: 'deadline', start: null, due: iso(year, month, day) };
          assertPeriod(`trước ngày ${day}/${month}/${year}`, undefined, expected);
          assertPeriod(`chậm nhất ngày ${day} tháng ${month} năm ${year}`, undefined, expected);
          assertPeriod(`before ${day} ${name} ${year}`, undefined, expected);
          assertPeriod(`by ${name} ${day}, ${year}`, undefined, expected);
          days++;
        }
      }
    }
    assert.equal(days, 5844);
  });

  it('refuses days that do not exist', () => {
    for (const phrase of ['trước ngày 29/02/2025', 'before 31 April 2024', 'trước ngày 30 tháng 2 năm 2024']) {
      assert.equal(parsePeriodPhrase(phrase)?.due ?? null, null, phrase);
    }
  });
});

describe('parsePeriodPhrase', () => {
  it('uses the year it is given for phrases without one', () => {
    assertPeriod('in October', 2024, { kind: 'deadline', start: '2024-10-01', due: '2024-10-31' });
    assertPeriod('Quý II', 2025, { kind: 'deadline', start: '2025-04-01', due: '2025-06-30' });
    assertPeriod('6 tháng cuối năm', 2024, { kind: 'deadline', start: '2024-07-01', due: '2024-12-31' });
    assertPeriod('trước ngày 15/11', 2024, { kind: 'deadline', start: null, due: '2024-11-15' });
    assert.equal(parsePeriodPhrase('in October'), undefined);
  });

  it('reads ranges between two points', () => {
    assertPeriod('from October 2024 to March 2025', undefined, {
      kind: 'range',
      start: '2024-10-01',
      due: '2025-03-31',
    });
    assertPeriod('từ tháng 10/2024 đến tháng 3/2025', undefined, {
      kind: 'range',
      start: '2024-10-01',
      due: '2025-03-31',
    });
    assertPeriod('from 2021 to 2025', undefined, { kind: 'range', start: '2021-01-01', due: '2025-12-31' });
    assertPeriod('giai đoạn 2021-2025', undefined, { kind: 'range', start: '2021-01-01', due: '2025-12-31' });
    assertPeriod('the period 2026–2030', undefined, { kind: 'range', start: '2026-01-01', due: '2030-12-31' });
    assertPeriod('from 1 November 2024 to 31 December 2024', undefined, {
      kind: 'range',
      start: '2024-11-01',
      due: '2024-12-31',
    });
  });

  it('reads recurring phrases and records their rhythm', () => {
    const cases: Array<[string, string | undefined]> = [
      ['regularly', undefined],
      ['thường xuyên', undefined],
      ['on a regular basis', undefined],
      ['hằng tháng', 'monthly'],
      ['hàng tháng', 'monthly'],
      ['monthly', 'monthly'],
      ['hằng quý', 'quarterly'],
      ['quarterly', 'quarterly'],
      ['định kỳ 6 tháng một lần', 'semiannual'],
      ['annually', 'annual'],
      ['hằng năm', 'annual'],
      ['weekly', 'weekly'],
      ['thường xuyên, báo cáo hằng tháng', 'monthly'],
    ];
    for (const [phrase, recurrence] of cases) {
      const period = parsePeriodPhrase(phrase, 2024);
      assert.equal(period?.kind, 'recurring', phrase);
      assert.equal(period?.recurrence, recurrence, phrase);
      assert.equal(period?.due, null, phrase);
    }
    assert.deepEqual(parsePeriodPhrase('hằng quý trong năm 2025'), {
      text: 'hằng quý trong năm 2025',
      kind: 'recurring',
      start: '2025-01-01',
      due: '2025-12-31',
      recurrence: 'quarterly',
    });
  });

  it('reads phrases that hand the timing to another document as dependent, dates in them notwithstanding', () => {
    for (const phrase of [
      'as per the progress assigned in the telegram',
      'according to the schedule of the Government Office',
      'theo tiến độ tại Công điện số 105/CĐ-TTg ngày 01/11/2024',
      'theo yêu cầu của Thủ tướng Chính phủ',
    ]) {
      assert.equal(parsePeriodPhrase(phrase, 2024)?.kind, 'dependent', phrase);
    }
  });

  it('gives up on phrases it does not understand', () => {
    assert.equal(parsePeriodPhrase('as soon as possible'), undefined);
    assert.equal(parsePeriodPhrase(''), undefined);
  });

  it('keeps the phrase as written, without its closing full stop', () => {
    assert.equal(parsePeriodPhrase(' in the first quarter of 2025. ')?.text, 'in the first quarter of 2025');
  });
});

describe('splitPeriodLabel', () => {
  it('cuts the labelled period out of the task text', () => {
    assert.deepEqual(splitPeriodLabel('Propose solutions. Implementation period: in October 2024.'), {
      taskText: 'Propose solutions.',
      phrase: 'in October 2024',
    });
    assert.deepEqual(splitPeriodLabel('Rà soát quy định (thời hạn: trong tháng 10/2024); báo cáo Bộ trưởng.'), {
      taskText: 'Rà soát quy định báo cáo Bộ trưởng.',
      phrase: 'trong tháng 10/2024',
    });
    assert.deepEqual(splitPeriodLabel('Tổng kết chương trình. Thời hạn hoàn thành: 15.11.2024'), {
      taskText: 'Tổng kết chương trình.',
      phrase: '15.11.2024',
    });
    assert.equal(splitPeriodLabel('Develop standards for goods.'), undefined);
  });
});

describe('findPeriodInText', () => {
  it('does not take the date of a cited decision for the deadline', () => {
    const period = findPeriodInText(
      'Rà soát các quy định theo Quyết định số 1234/QĐ-BCT ngày 15 tháng 3 năm 2024 của Bộ trưởng Bộ Công Thương.',
      2024,
    );
    assert.equal(period, undefined);
    assert.equal(
      findPeriodInText('Inspect warehouses under Decision No. 1234/QD-BCT dated March 15, 2024.', 2024),
      undefined,
    );
  });

  it('takes the deadline that closes the sentence', () => {
    assert.deepEqual(
      findPeriodInText(
        'Theo Quyết định số 1234/QĐ-BCT ngày 15/3/2024, tổ chức hội nghị, hoàn thành trước Quý II/2025.',
      ),
      { text: 'trước Quý II/2025', kind: 'deadline', start: null, due: '2025-03-31' },
    );
  });

  it('does not read "during the handling process" or a programme\'s span as a period', () => {
    assert.equal(findPeriodInText('During the handling process of violations, issues must be reviewed.'), undefined);
    assert.equal(
      findPeriodInText('Summarize the National E-Commerce Development Program for the period 2021-2025.'),
      undefined,
    );
    assert.equal(
      findPeriodInText('Tổng kết Chương trình giai đoạn 2021-2025 theo Quyết định số 645/QĐ-TTg.'),
      undefined,
    );
  });

  it('joins a rhythm and the window right after it', () => {
    assert.deepEqual(findPeriodInText('Publish the list monthly during 2025.'), {
      text: 'monthly during 2025',
      kind: 'recurring',
      start: '2025-01-01',
      due: '2025-12-31',
      recurrence: 'monthly',
    });
  });

  it('reads a dependency on another document', () => {
    assert.equal(findPeriodInText('Đôn đốc việc thực hiện theo tiến độ được giao.')?.kind, 'dependent');
  });
});

describe('findFullDates', () => {
  it('finds full dates in Vietnamese and English spellings', () => {
    const text = 'Hà Nội, ngày 26 tháng 10 năm 2024; dated October 1, 2024; 15/11/2024; 3 March 2025';
    assert.deepEqual(
      findFullDates(text).map((mention) => mention.day),
      ['2024-10-26', '2024-10-01', '2024-11-15', '2025-03-03'],
    );
  });
});

describe('compound periods: two quarters, ranges, ongoing, working days, weeks', () => {
  const cases: Array<[phrase: string, kind: string, start: string | null, due: string | null]> = [
    // The year written once stands for both quarters.
    ['Quý I và Quý II/2025', 'deadline', '2025-01-01', '2025-06-30'],
    ['Quý IV/2024 - Quý I/2025', 'range', '2024-10-01', '2025-03-31'],
    ['tháng 10-11/2024', 'range', '2024-10-01', '2024-11-30'],
    // Goes on from then: no due day.
    ['từ tháng 11/2024', 'recurring', '2024-11-01', null],
    ['năm 2025 và các năm tiếp theo', 'recurring', '2025-01-01', null],
    ['tuần đầu tháng 11/2024', 'deadline', '2024-11-01', '2024-11-07'],
    ['tuần cuối tháng 2/2024', 'deadline', '2024-02-23', '2024-02-29'],
  ];
  for (const [phrase, kind, start, due] of cases) {
    it(`reads "${phrase}" as ${kind} ${start} → ${due}, alone and in a task's sentence`, () => {
      assert.deepEqual(parsePeriodPhrase(phrase, 2024), { text: phrase, kind, start, due });
      assert.deepEqual(findPeriodInText(`Rà soát các sàn, báo cáo ${phrase}.`, 2024), {
        text: phrase,
        kind,
        start,
        due,
      });
    });
  }

  it('counts "trong 10 ngày làm việc kể từ ngày ký" in working days from the date of issue', () => {
    // Issued on Saturday 26/10/2024: the tenth working day after it is Friday 8/11/2024.
    const context = { year: 2024, issuedOn: '2024-10-26' };
    assert.deepEqual(parsePeriodPhrase('trong 10 ngày làm việc kể từ ngày ký', context), {
      text: 'trong 10 ngày làm việc kể từ ngày ký',
      kind: 'deadline',
      start: null,
      due: '2024-11-08',
    });
    assert.equal(parsePeriodPhrase('trong 10 ngày làm việc kể từ ngày ký', 2024), undefined);
  });

  it('counts working days on the calendar it is given (the stored one), not only the shipped one', () => {
    // An official day off on Monday 4/11/2024 that the shipped file does not have moves the tenth day to 11/11.
    const shipped = loadVietnamCalendar();
    const calendar = buildWorkingCalendar([
      ...shipped.days,
      {
        date: '2024-11-04',
        type: 'day_off',
        name: { vi: 'Ngày nghỉ thử', en: 'Test day off' },
        basis: 'official',
        source: 'test',
        note: '',
      },
    ]);
    const phrase = 'trong 10 ngày làm việc kể từ ngày ký';
    assert.equal(parsePeriodPhrase(phrase, { year: 2024, issuedOn: '2024-10-26', calendar })?.due, '2024-11-11');
    assert.equal(parsePeriodPhrase(phrase, { year: 2024, issuedOn: '2024-10-26' })?.due, '2024-11-08');
  });

  it('reads "trước Tết Nguyên đán" as the last working day before the next lunar new year', () => {
    // Issued 18/11/2024: Tết Ất Tỵ is 29/01/2025; 27–28/01 are Tết days off and 25–26/01 a weekend: Friday 24/01/2025.
    assert.deepEqual(parsePeriodPhrase('trước Tết Nguyên đán', { year: 2024, issuedOn: '2024-11-18' }), {
      text: 'trước Tết Nguyên đán',
      kind: 'deadline',
      start: null,
      due: '2025-01-24',
    });
    assert.equal(
      findPeriodInText('Bảo đảm cung ứng hàng hóa, hoàn thành trước Tết Nguyên đán Ất Tỵ.', { issuedOn: '2024-11-18' })
        ?.due,
      '2025-01-24',
    );
    // Issued 20/02/2025, after that Tết: the next one, Bính Ngọ (17/02/2026; its days off begin Monday 16/02).
    assert.equal(parsePeriodPhrase('before the Lunar New Year', { issuedOn: '2025-02-20' })?.due, '2026-02-13');
  });

  it('reads "trước ngày 25 của tháng cuối quý" as a quarterly report, not a one-off deadline', () => {
    assert.deepEqual(parsePeriodPhrase('trước ngày 25 của tháng cuối quý', 2024), {
      text: 'trước ngày 25 của tháng cuối quý',
      kind: 'recurring',
      start: null,
      due: null,
      recurrence: 'quarterly',
    });
    assert.equal(
      findPeriodInText('Báo cáo kết quả về Bộ Công Thương trước ngày 25 của tháng cuối quý.', 2024)?.recurrence,
      'quarterly',
    );
  });
});
