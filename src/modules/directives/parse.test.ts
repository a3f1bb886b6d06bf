import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { matchUnit, matchUnitAsWritten } from '../units/index.ts';
import { type ParsedDirective, parsedDirectiveSchema } from './directive.schemas.ts';
import { parseDirective, readDirectiveLines } from './parse.ts';

function readFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

type Row = [kind: string, start: string | null, due: string | null, periodText: string | null, textStart: string];

function rowsOf(directive: ParsedDirective, unitIndex: number): Row[] {
  return (directive.assignments[unitIndex]?.tasks ?? []).map((task) => [
    task.period.kind,
    task.period.start,
    task.period.due,
    task.period.text,
    task.text.slice(0, 40),
  ]);
}

describe('parseDirective on Dispatch 8598/BCT-TMDT (English)', () => {
  const directive = parseDirective(readFixture('dispatch-8598.en.txt'));

  it('reads the number, the date of issue and the issuer', () => {
    assert.equal(directive.number, '8598/BCT-TMDT');
    assert.equal(directive.issued_on, '2024-10-26');
    assert.equal(directive.issuer, 'Ministry of Industry and Trade');
  });

  it('finds the ten units in the order of the text, named as written, with their roles', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role]),
      [
        ['E-Commerce and Digital Economy Agency', 'preside'],
        ['General Department of Market Management', 'preside'],
        ['National Competition Commission', 'preside'],
        ['Legal Affairs Department', 'preside'],
        ['Import and Export Department', 'preside'],
        ['Trade Promotion Agency', 'preside'],
        ['Domestic Market Department', 'preside'],
        ['Science and Technology Department', 'preside'],
        ['Inspection and enforcement units', 'implement'],
        ['Media units of the Ministry of Industry and Trade of Vietnam', 'implement'],
      ],
    );
  });

  it('matches every unit to a unit of the Ministry', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => matchUnitAsWritten(assignment.unit)?.id),
      [
        'idea',
        'general_market_management',
        'competition',
        'legal',
        'import_export',
        'trade_promotion',
        'domestic_market',
        'science_technology',
        'inspection_units',
        'media_units',
      ],
    );
  });

  it('finds sixteen tasks: six, then one each, two for the Domestic Market Department', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => assignment.tasks.length),
      [6, 1, 1, 1, 1, 1, 2, 1, 1, 1],
    );
  });

  const expected: Array<[unit: number, task: number, ...Row]> = [
    [0, 0, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', 'Strengthen communication, guide consumer'],
    [0, 1, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', "Advise the Ministry's leadership to repo"],
    [0, 2, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', "Actively contact Temu's legal team to re"],
    [
      0,
      3,
      'dependent',
      null,
      null,
      'as per the progress assigned in the telegram',
      'Coordinate with relevant agencies of the',
    ],
    [0, 4, 'range', '2025-01-01', '2025-12-31', 'during 2025', 'Focus on effectively implementing the Na'],
    [
      0,
      5,
      'deadline',
      '2025-01-01',
      '2025-03-31',
      'in the first quarter of 2025',
      'Summarize and evaluate the National E-Co',
    ],
    [1, 0, 'recurring', null, null, 'regularly', 'Coordinate with the General Department o'],
    [2, 0, 'recurring', null, null, 'regularly', 'Enhance the protection of consumer right'],
    [3, 0, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', 'Coordinate with the E-Commerce and Digit'],
    [4, 0, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', 'Coordinate with the General Department o'],
    [5, 0, 'deadline', '2024-10-01', '2024-10-31', 'in October 2024', 'Propose solutions for handling promotion'],
    [6, 0, 'deadline', '2024-11-01', '2024-11-30', 'in November 2024', 'Assess the impact on the domestic market'],
    [6, 1, 'none', null, null, null, 'Continue promoting the campaign "Vietnam'],
    [7, 0, 'none', null, null, null, 'Develop standards and regulations for go'],
    [8, 0, 'none', null, null, null, 'Strengthen inspection and enforcement ac'],
    [9, 0, 'none', null, null, null, 'The Industry and Trade Newspaper, Indust'],
  ];
  assert.equal(expected.length, 16);
  for (const [unit, task, kind, start, due, periodText, textStart] of expected) {
    it(`gives task ${task + 1} of unit (${unit + 1}) a ${kind} period ${periodText ?? '(none)'}: ${start} → ${due}`, () => {
      const actual = rowsOf(directive, unit)[task];
      assert.deepEqual(actual, [kind, start, due, periodText, textStart]);
    });
  }

  it('cuts the "Implementation period" sentence out of the task text', () => {
    const first = directive.assignments[0]?.tasks[0]?.text ?? '';
    assert.match(first, /^Strengthen communication, .* at the E-Commerce Management Portal\.$/);
    for (const assignment of directive.assignments) {
      for (const task of assignment.tasks) assert.doesNotMatch(task.text, /Implementation period/);
    }
  });

  it('keeps the key tasks enumerated inside the programme task as one task', () => {
    const programme = directive.assignments[0]?.tasks[4]?.text ?? '';
    assert.match(programme, /including key tasks such as: \(1\) cooperate with localities .* \(2\) Collaborate with/);
  });

  it('leaves generic cooperating parties out and places every line', () => {
    assert.ok(directive.assignments.every((assignment) => assignment.cooperating === undefined));
    assert.deepEqual(directive.unplaced, []);
  });

  it('returns the Directive JSON contract', () => {
    assert.deepEqual(parsedDirectiveSchema.parse(directive), directive);
  });
});

describe('parseDirective on a Vietnamese rendering of Dispatch 8598', () => {
  const english = parseDirective(readFixture('dispatch-8598.en.txt'));
  const vietnamese = parseDirective(readFixture('dispatch-8598.vi-rendering.txt'));

  it('reads the header facts in Vietnamese', () => {
    assert.deepEqual(
      [vietnamese.number, vietnamese.issued_on, vietnamese.issuer],
      ['8598/BCT-TMĐT', '2024-10-26', 'Bộ Công Thương'],
    );
  });

  it('finds the same units, roles, tasks and periods as the English text', () => {
    const shape = (directive: ParsedDirective) =>
      directive.assignments.map((assignment) => ({
        unit: matchUnit(assignment.unit)?.id,
        role: assignment.role,
        periods: assignment.tasks.map(({ period }) => [period.kind, period.start, period.due]),
      }));
    assert.deepEqual(shape(vietnamese), shape(english));
    assert.deepEqual(vietnamese.unplaced, []);
  });
});

describe('parseDirective on a Vietnamese dispatch pasted from a portal', () => {
  const directive = parseDirective(readFixture('dispatch-9120.vi.txt'));
  /** A unit's tasks but the closing paragraph's, which every unit is given (tested on its own below). */
  const ownRows = (unitIndex: number) =>
    rowsOf(directive, unitIndex).filter(([, , , , text]) => !text.startsWith('Bộ Công Thương yêu cầu Thủ'));

  it('reads the number, date and issuer from the flattened two-column header', () => {
    assert.equal(directive.number, '9120/BCT-TMĐT');
    assert.equal(directive.issued_on, '2024-11-18');
    assert.equal(directive.issuer, 'Bộ Công Thương');
  });

  it('takes the units from the body, not from "Kính gửi" or "Nơi nhận", and skips the topic headings', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.cooperating]),
      [
        ['Cục Thương mại điện tử và Kinh tế số', 'preside', ['Vụ Pháp chế']],
        ['Tổng cục Quản lý thị trường', 'preside', ['Tổng cục Hải quan']],
        ['Vụ Pháp chế', 'preside', ['Cục Thương mại điện tử và Kinh tế số']],
        ['Cục Xuất nhập khẩu', 'implement', undefined],
        ['Vụ Thị trường trong nước', 'implement', undefined],
        ['Thanh tra Bộ', 'implement', undefined],
        ['Các cơ quan báo chí thuộc Bộ', 'implement', undefined],
      ],
    );
  });

  it('splits a) b) c) items and reads their periods, past the dates of cited decrees', () => {
    assert.deepEqual(ownRows(0), [
      ['deadline', null, '2024-12-15', 'trước ngày 15/12/2024', 'Rà soát, cập nhật danh sách các nền tảng'],
      ['recurring', null, null, 'thường xuyên, báo cáo hằng tháng', 'Hướng dẫn người tiêu dùng nhận diện các '],
      [
        'deadline',
        '2025-01-01',
        '2025-03-31',
        'hoàn thành trong Quý I/2025',
        'Tổng kết Chương trình phát triển thương ',
      ],
    ]);
    assert.equal(directive.assignments[0]?.tasks[1]?.period.recurrence, 'monthly');
  });

  it('rejoins a task broken over lines and reads "Thời gian thực hiện: thường xuyên"', () => {
    assert.deepEqual(ownRows(1), [
      ['recurring', null, null, 'thường xuyên', 'tăng cường kiểm tra, kiểm soát hàng hóa '],
    ]);
    assert.match(directive.assignments[1]?.tasks[0]?.text ?? '', /hàng hóa không rõ nguồn gốc\.$/);
  });

  it('splits (i) (ii) (iii) enumerated inline and gives the closing "Hoàn thành trong Quý I/2025" to the items without a period', () => {
    assert.deepEqual(ownRows(2), [
      [
        'deadline',
        '2025-01-01',
        '2025-03-31',
        'Hoàn thành trong Quý I/2025',
        'rà soát các quy định về khuyến mại trên ',
      ],
      ['deadline', '2024-12-01', '2024-12-31', 'trong tháng 12/2024', 'đề xuất sửa đổi Nghị định số 52/2013/NĐ-'],
      [
        'deadline',
        '2025-01-01',
        '2025-03-31',
        'Hoàn thành trong Quý I/2025',
        'hướng dẫn các đơn vị áp dụng thống nhất.',
      ],
    ]);
    assert.match(
      directive.assignments[2]?.tasks[0]?.text ?? '',
      /Quyết định số 1234\/QĐ-BCT ngày 15 tháng 3 năm 2024$/,
    );
  });

  it('gives two units named together the same tasks', () => {
    const expected: Row[] = [
      ['recurring', null, null, 'hằng quý', 'Theo dõi, đánh giá tác động của hàng hóa'],
      [
        'deadline',
        '2025-01-01',
        '2025-06-30',
        'trong 6 tháng đầu năm 2025',
        'Đề xuất giải pháp kiểm soát hàng hóa nhậ',
      ],
    ];
    assert.deepEqual(ownRows(3), expected);
    assert.deepEqual(ownRows(4), expected);
    assert.equal(directive.assignments[3]?.tasks[0]?.period.recurrence, 'quarterly');
  });

  it("reads a unit heading on its own line and the deadline after a cited plan's date", () => {
    assert.deepEqual(ownRows(5), [
      ['deadline', null, '2024-12-31', 'trước ngày 31/12/2024', 'Kiểm tra, xử lý các hành vi vi phạm về k'],
    ]);
  });

  it('rejoins a name broken over two lines ("Bộ Công / Thương") and bounds a monthly rhythm by the year', () => {
    assert.deepEqual(ownRows(6), [
      [
        'recurring',
        '2025-01-01',
        '2025-12-31',
        'hằng tháng trong năm 2025',
        'đẩy mạnh công tác truyền thông, cảnh báo',
      ],
    ]);
    assert.match(directive.assignments[6]?.tasks[0]?.text ?? '', /với Bộ Công Thương\.$/);
  });

  it('gives the closing paragraph addressed to all units to each unit as a task, and leaves the signature out', () => {
    assert.deepEqual(directive.unplaced, []);
    const closing = {
      text: 'Bộ Công Thương yêu cầu Thủ trưởng các đơn vị khẩn trương triển khai thực hiện, báo cáo kết quả về Văn phòng Bộ trước ngày 25 hằng tháng.',
      period: { text: 'hằng tháng', kind: 'recurring', start: null, due: null, recurrence: 'monthly' },
    };
    const units = new Set<string>();
    for (const assignment of directive.assignments) {
      const key = matchUnitAsWritten(assignment.unit)?.id ?? assignment.unit;
      const given = assignment.tasks.filter((task) => task.text === closing.text);
      assert.deepEqual(given, units.has(key) ? [] : [closing], assignment.unit);
      units.add(key);
    }
    const everything = JSON.stringify(directive);
    assert.doesNotMatch(everything, /Nguyễn Sinh Nhật Tân|THỨ TRƯỞNG|Lưu: VT/);
  });

  it('returns the Directive JSON contract', () => {
    assert.deepEqual(parsedDirectiveSchema.parse(directive), directive);
  });
});

describe("parseDirective on a Prime Minister's telegram (Vietnamese)", () => {
  const directive = parseDirective(readFixture('telegram-105.vi.txt'));

  it('reads the number, date and issuer of the telegram', () => {
    assert.equal(directive.number, '105/CĐ-TTg');
    assert.equal(directive.issued_on, '2024-11-01');
    assert.equal(directive.issuer, 'Thủ tướng Chính phủ');
  });

  it('reads ministries as units: a heading over a) b) c), a ministry followed by its verb, ministries named together', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.cooperating]),
      [
        ['Bộ Công Thương', 'implement', undefined],
        ['Bộ Tài chính', 'implement', undefined],
        ['Bộ Thông tin và Truyền thông', 'implement', ['Bộ Công Thương']],
        ['Bộ Công an', 'implement', ['Bộ Công Thương']],
        ['Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương', 'implement', undefined],
        ['Văn phòng Chính phủ', 'implement', undefined],
      ],
    );
  });

  it("reads the tasks under the ministry heading as that ministry's tasks", () => {
    assert.deepEqual(rowsOf(directive, 0), [
      ['deadline', '2024-12-01', '2024-12-31', 'trong tháng 12 năm 2024', 'Chủ trì, phối hợp với các bộ, cơ quan li'],
      ['recurring', null, null, 'thường xuyên', 'Chỉ đạo lực lượng quản lý thị trường tăn'],
      ['deadline', null, '2024-11-30', 'trước ngày 30 tháng 11 năm 2024', 'Yêu cầu các nền tảng thương mại điện tử '],
    ]);
  });

  it('splits items enumerated inline when each states its own period', () => {
    assert.deepEqual(rowsOf(directive, 1), [
      ['deadline', '2024-11-01', '2024-11-30', 'trong tháng 11/2024', 'chỉ đạo Tổng cục Hải quan: tăng cường ki'],
      ['deadline', '2025-01-01', '2025-03-31', 'trong Quý I/2025', 'chỉ đạo Tổng cục Hải quan: nghiên cứu, đ'],
    ]);
  });

  it('reads the remaining periods: a shared deadline, a six-monthly rhythm, a dependency', () => {
    assert.deepEqual(rowsOf(directive, 2), rowsOf(directive, 3));
    assert.deepEqual(rowsOf(directive, 2), [
      ['deadline', null, '2024-12-15', 'trước ngày 15/12/2024', 'ngăn chặn, gỡ bỏ các website, ứng dụng v'],
    ]);
    assert.deepEqual(rowsOf(directive, 4), [
      ['recurring', null, null, 'định kỳ 6 tháng một lần', 'chỉ đạo các lực lượng chức năng trên địa'],
    ]);
    assert.equal(directive.assignments[4]?.tasks[0]?.period.recurrence, 'semiannual');
    assert.deepEqual(rowsOf(directive, 5), [
      ['dependent', null, null, 'theo tiến độ được giao', 'theo dõi, đôn đốc việc thực hiện Công đi'],
    ]);
  });

  it('does not take the addressees after "điện:" for units', () => {
    assert.ok(directive.assignments.every((assignment) => !/Bộ trưởng|Chủ tịch/.test(assignment.unit)));
    assert.deepEqual(directive.unplaced, []);
  });
});

describe('parseDirective on an English official translation', () => {
  const directive = parseDirective(readFixture('dispatch-9350.en.txt'));

  it('reads the header facts of the translation', () => {
    assert.deepEqual(
      [directive.number, directive.issued_on, directive.issuer],
      ['9350/BCT-TMDT', '2024-12-05', 'Ministry of Industry and Trade'],
    );
  });

  it('reads "Assign X to preside over and coordinate with Y", "X shall", "X:" and "X and Y will preside"', () => {
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.cooperating]),
      [
        ['E-Commerce and Digital Economy Agency', 'preside', ['Legal Department', 'Import-Export Department']],
        ['Domestic Market Management and Development Department', 'implement', undefined],
        ['Trade Promotion Agency', 'implement', undefined],
        ['National Competition Commission', 'preside', undefined],
        ['Legal Department', 'preside', undefined],
        ['Science and Technology Department', 'implement', undefined],
      ],
    );
  });

  it('reads every period of the translation', () => {
    assert.deepEqual(
      directive.assignments.flatMap((assignment) =>
        assignment.tasks.map((task) => [task.period.kind, task.period.start, task.period.due, task.period.recurrence]),
      ),
      [
        ['deadline', null, '2025-01-15', undefined],
        ['recurring', '2025-01-01', '2025-12-31', 'monthly'],
        ['deadline', '2025-01-01', '2025-06-30', undefined],
        ['deadline', '2025-04-01', '2025-06-30', undefined],
        ['range', '2025-03-01', '2025-09-30', undefined],
        ['recurring', null, null, 'quarterly'],
        ['recurring', null, null, 'quarterly'],
        ['deadline', null, '2025-09-30', undefined],
      ],
    );
  });

  it('rejoins "shall / direct …" and keeps the cited decision\'s date out of the deadline', () => {
    const task = directive.assignments[1]?.tasks[0];
    assert.equal(
      task?.text,
      'direct the market surveillance forces to inspect warehouses of cross-border platforms, in accordance with Decision No. 1234/QD-BCT dated March 15, 2024.',
    );
    assert.equal(task?.period.text, 'Q2/2025');
  });

  it('keeps (i) and (ii) inside one task when they share its period', () => {
    assert.equal(directive.assignments[2]?.tasks.length, 1);
    assert.match(directive.assignments[2]?.tasks[0]?.text ?? '', /\(i\) for small .* \(ii\) for cooperatives/);
  });
});

/** Hard-wraps every line at `width` characters, as portals and PDF copies do. */
function hardWrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const wrapped: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current !== '' && current.length + 1 + word.length > width) {
          wrapped.push(current);
          current = word;
        } else {
          current = current === '' ? word : `${current} ${word}`;
        }
      }
      wrapped.push(current);
      return wrapped.join('\n');
    })
    .join('\n');
}

describe('parseDirective on texts as they come out of portals and PDFs', () => {
  const fixtures = [
    'dispatch-8598.en.txt',
    'dispatch-8598.vi-rendering.txt',
    'dispatch-9120.vi.txt',
    'telegram-105.vi.txt',
    'dispatch-9350.en.txt',
  ];

  for (const fixture of fixtures) {
    it(`reads ${fixture} the same when its lines are hard-wrapped at any width from 30 to 150`, () => {
      const text = readFixture(fixture);
      const expected = parseDirective(text);
      for (let width = 30; width <= 150; width += 10) {
        assert.deepEqual(parseDirective(hardWrap(text, width)), expected, `wrapped at ${width}`);
      }
    });
  }

  it('reads the same through Windows line ends, decomposed Unicode, no-break spaces and page numbers', () => {
    const text = readFixture('dispatch-9120.vi.txt');
    const messy = text
      .normalize('NFD')
      .replace(/\n/g, '\r\n')
      .replace(/Thời hạn: /g, 'Thời hạn:\u00a0')
      .replace('2. Tổng cục', 'Trang 1/2\r\n2. Tổng cục');
    assert.deepEqual(parseDirective(messy), parseDirective(text));
  });
});

describe('parseDirective on texts it cannot read', () => {
  function assertInvalid(text: string, message: RegExp) {
    assert.throws(
      () => parseDirective(text),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_input' && message.test(error.message),
    );
  }

  it('refuses an empty text', () => {
    assertInvalid(' \n\n ', /empty/);
  });

  it('refuses a text without any assigned unit, saying what it looked for', () => {
    assertInvalid(
      'Dear colleagues,\nPlease find attached the report for October 2024.\nBest regards.',
      /No assigned unit found/,
    );
  });

  it('refuses units without a single task rather than returning half a result', () => {
    assertInvalid('(1) The Legal Department will preside and cooperate with relevant agencies and units', /no task/);
  });

  it('says each refusal in Vietnamese too, for the import page, the English one being the message', () => {
    const refusals: Array<[string, RegExp]> = [
      [' \n\n ', /^Văn bản trống: hãy dán toàn văn văn bản\.$/],
      ['Kính gửi các đơn vị.\nĐây là thư mời họp.', /^Không tìm thấy đơn vị nào được giao nhiệm vụ\. Văn bản cần có/],
      [
        '(1) The Legal Department will preside and cooperate with relevant agencies and units',
        /^Đã thấy các đơn vị nhưng không thấy nhiệm vụ nào: chưa hiểu được cấu trúc văn bản\.$/,
      ],
    ];
    for (const [text, vietnamese] of refusals) {
      assert.throws(
        () => parseDirective(text),
        (error: unknown) =>
          error instanceof AppError &&
          error.field === 'text' &&
          vietnamese.test(error.text.vi) &&
          error.text.vi === error.text.vi.normalize('NFC') &&
          error.text.en === error.message,
      );
    }
  });
});

describe('parseDirective details', () => {
  it("uses the document's year for a period without one, and referenceYear when the document has no date", () => {
    const dated = parseDirective(
      'Hanoi, March 3, 2025\n1. The Legal Department: review the rules. Implementation period: in October.',
      { referenceYear: 2030 },
    );
    assert.deepEqual(dated.assignments[0]?.tasks[0]?.period, {
      text: 'in October',
      kind: 'deadline',
      start: '2025-10-01',
      due: '2025-10-31',
    });
    const undated = parseDirective('1. Vụ Pháp chế: rà soát quy định. Thời hạn: Quý II.', { referenceYear: 2026 });
    assert.equal(undated.issued_on, null);
    assert.equal(undated.assignments[0]?.tasks[0]?.period.start, '2026-04-01');
  });

  it('reports a labelled period it cannot read instead of guessing', () => {
    const directive = parseDirective('1. Vụ Pháp chế: rà soát quy định. Thời hạn: khi có điều kiện.', {
      referenceYear: 2025,
    });
    const period = directive.assignments[0]?.tasks[0]?.period;
    assert.deepEqual(period, { text: 'khi có điều kiện', kind: 'none', start: null, due: null });
    assert.deepEqual(directive.unplaced, [{ line: 1, text: 'khi có điều kiện', reason: 'unknown_period' }]);
  });

  it('reads "… chủ trì" and a Giao clause without chủ trì, and drops a ministry heading over its units', () => {
    const directive = parseDirective(
      [
        'I. Bộ Công Thương',
        'a) Cục Xúc tiến thương mại chủ trì tổ chức hội nghị xúc tiến xuất khẩu trực tuyến trong Quý III/2025.',
        'b) Giao Vụ Khoa học và Công nghệ xây dựng tiêu chuẩn hàng hóa, hoàn thành trong năm 2025.',
        'c) Cục Xuất nhập khẩu theo dõi thị trường trong năm 2025.',
      ].join('\n'),
    );
    // "hoàn thành trong năm 2025" is a year to finish in; "trong năm 2025" alone is the working window.
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.tasks[0]?.period.kind]),
      [
        ['Cục Xúc tiến thương mại', 'preside', 'deadline'],
        ['Vụ Khoa học và Công nghệ', 'implement', 'deadline'],
        ['Cục Xuất nhập khẩu', 'implement', 'range'],
      ],
    );
  });

  it('gives a paragraph that only states a period to the tasks right above it, and no more', () => {
    const directive = parseDirective(
      [
        'I. Vụ Thị trường trong nước',
        'Đánh giá tác động của hàng hóa nhập khẩu: (i) đối với sản xuất; (ii) đối với bán lẻ.',
        'Thời hạn: Quý I/2025.',
        'Complete the draft report in Q2 2025.',
      ].join('\n'),
      { referenceYear: 2024 },
    );
    assert.deepEqual(
      directive.assignments[0]?.tasks.map((task) => [task.text, task.period.text]),
      [
        ['Đánh giá tác động của hàng hóa nhập khẩu: (i) đối với sản xuất; (ii) đối với bán lẻ.', 'Quý I/2025'],
        ['Complete the draft report in Q2 2025.', 'in Q2 2025'],
      ],
    );
  });

  it('does not take an "On the …" bullet for a topic heading', () => {
    const directive = parseDirective(
      '(1) The Legal Department will preside\n- On the basis of the review, propose amendments\n- Report quarterly.',
    );
    assert.deepEqual(
      directive.assignments[0]?.tasks.map((task) => task.text),
      ['On the basis of the review, propose amendments', 'Report quarterly.'],
    );
  });

  it('rejoins lines broken in the middle of a sentence and keeps headings apart', () => {
    const lines = readDirectiveLines(
      [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        '1. Cục Thương mại điện',
        'tử và Kinh tế số chủ trì, phối hợp với các đơn vị liên quan',
        'Rà soát các nền tảng chưa đăng ký với Bộ Công',
        'Thương, báo cáo Bộ trưởng.',
        '- Tổng hợp kết quả',
        '(ii) gửi Văn phòng Bộ.',
        'Trang 2/3',
      ].join('\n'),
    ).map((line) => line.text);
    assert.deepEqual(lines, [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      '1. Cục Thương mại điện tử và Kinh tế số chủ trì, phối hợp với các đơn vị liên quan',
      'Rà soát các nền tảng chưa đăng ký với Bộ Công Thương, báo cáo Bộ trưởng.',
      '- Tổng hợp kết quả (ii) gửi Văn phòng Bộ.',
    ]);
  });
});

describe('parseDirective: what it cannot place goes into unplaced', () => {
  it('reads no unit or task from "Nơi nhận" or the signature, and lists a unit the catalogue does not know', () => {
    const directive = parseDirective(
      [
        'BỘ CÔNG THƯƠNG',
        'Số: 12/BCT-TMĐT',
        'Hà Nội, ngày 05 tháng 11 năm 2024',
        '',
        '1. Giao Cục Thương mại điện tử và Kinh tế số rà soát các sàn giao dịch. Thời hạn: trước ngày 30/11/2024.',
        '2. Giao Cục Quản lý ABC kiểm tra các cửa hàng trực tuyến.',
        '',
        'Nơi nhận:',
        '- Như trên;',
        '- Vụ Pháp chế: để thực hiện;',
        '- Lưu: VT, TMĐT.',
        'KT. BỘ TRƯỞNG',
        'THỨ TRƯỞNG',
        'Nguyễn Văn A',
      ].join('\n'),
    );
    assert.deepEqual(directive.assignments, [
      {
        unit: 'Cục Thương mại điện tử và Kinh tế số',
        role: 'implement',
        tasks: [
          {
            text: 'rà soát các sàn giao dịch.',
            period: { text: 'trước ngày 30/11/2024', kind: 'deadline', start: null, due: '2024-11-30' },
          },
        ],
      },
      {
        unit: 'Cục Quản lý ABC',
        role: 'implement',
        tasks: [
          {
            text: 'kiểm tra các cửa hàng trực tuyến.',
            period: { text: null, kind: 'none', start: null, due: null },
          },
        ],
      },
    ]);
    assert.deepEqual(directive.unplaced, [{ line: 6, text: 'Cục Quản lý ABC', reason: 'unknown_unit' }]);
  });

  it('lists text of the assignment sections that falls under no unit, with its line', () => {
    const directive = parseDirective(
      [
        '1. Giao Vụ Pháp chế rà soát quy định.',
        'II. VỀ TỔ CHỨC THỰC HIỆN',
        'Tình hình vi phạm còn phức tạp.',
        '2. Giao Vụ Thị trường trong nước theo dõi giá cả.',
      ].join('\n'),
    );
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.tasks.map((task) => task.text)]),
      [
        ['Vụ Pháp chế', ['rà soát quy định.']],
        ['Vụ Thị trường trong nước', ['theo dõi giá cả.']],
      ],
    );
    assert.deepEqual(directive.unplaced, [{ line: 3, text: 'Tình hình vi phạm còn phức tạp.', reason: 'no_task' }]);
    assert.deepEqual(parsedDirectiveSchema.parse(directive), directive);
  });
});

describe('parseDirective: periods counted from the date of issue', () => {
  it('gives "trong 10 ngày làm việc kể từ ngày ký" the tenth working day after the date the text bears', () => {
    const directive = parseDirective(
      'Số: 5/BCT-PC\nHà Nội, ngày 26 tháng 10 năm 2024\n\n1. Giao Vụ Pháp chế rà soát quy định, báo cáo trong 10 ngày làm việc kể từ ngày ký.',
    );
    assert.deepEqual(directive.assignments[0]?.tasks, [
      {
        text: 'rà soát quy định, báo cáo trong 10 ngày làm việc kể từ ngày ký.',
        period: { text: 'trong 10 ngày làm việc kể từ ngày ký', kind: 'deadline', start: null, due: '2024-11-08' },
      },
    ]);
  });
});

describe('parseDirective: headings and names as dispatches write them', () => {
  const tasksOf = (directive: ParsedDirective) =>
    directive.assignments.map((assignment) => [assignment.unit, assignment.tasks.map((task) => task.text)]);

  it('reads a catalogue name holding "và" or a comma whole, before splitting a list at them', () => {
    const directive = parseDirective(
      [
        '1. Giao Cục Cạnh tranh và Bảo vệ người tiêu dùng kiểm tra các sàn.',
        '2. Giao Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp bố trí kinh phí thực hiện.',
      ].join('\n'),
    );
    assert.deepEqual(tasksOf(directive), [
      ['Cục Cạnh tranh và Bảo vệ người tiêu dùng', ['kiểm tra các sàn.']],
      ['Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp', ['bố trí kinh phí thực hiện.']],
    ]);
    assert.deepEqual(
      directive.assignments.map((assignment) => matchUnit(assignment.unit)?.id),
      ['competition', 'planning_finance'],
    );
    assert.deepEqual(directive.unplaced, []);
  });

  it('rejoins a unit heading wrapped inside the name, as text copied from a PDF is', () => {
    const directive = parseDirective('1.2. Giao Công an Thành\nphố Hà Nội kiểm tra các kho hàng.');
    assert.deepEqual(tasksOf(directive), [['Công an Thành phố Hà Nội', ['kiểm tra các kho hàng.']]]);
    assert.deepEqual(directive.unplaced, [{ line: 1, text: 'Công an Thành phố Hà Nội', reason: 'unknown_unit' }]);
  });

  it('rejoins a heading wrapped before a capital inside a name the catalogue does not know, but not before a task', () => {
    const wrapped = parseDirective('1.2. Giao Công an\nThành phố Hà Nội kiểm tra các kho hàng.');
    assert.deepEqual(tasksOf(wrapped), [['Công an Thành phố Hà Nội', ['kiểm tra các kho hàng.']]]);
    const heading = parseDirective('1. Giao Cục Quản lý XYZ\nBáo cáo kết quả kiểm tra.');
    assert.deepEqual(tasksOf(heading), [['Cục Quản lý XYZ', ['Báo cáo kết quả kiểm tra.']]]);
  });

  it('gives the "-" items under a heading naming several ministries to each of them', () => {
    const directive = parseDirective(
      [
        '1. Các Bộ: Công Thương, Tài chính, Công an:',
        '- Kiểm tra hàng giả.',
        '- Báo cáo Thủ tướng Chính phủ trước ngày 15/12/2024.',
      ].join('\n'),
    );
    const tasks = [
      { text: 'Kiểm tra hàng giả.', period: { text: null, kind: 'none', start: null, due: null } },
      {
        text: 'Báo cáo Thủ tướng Chính phủ trước ngày 15/12/2024.',
        period: { text: 'trước ngày 15/12/2024', kind: 'deadline', start: null, due: '2024-12-15' },
      },
    ];
    assert.deepEqual(directive.assignments, [
      { unit: 'Bộ Công Thương', role: 'implement', tasks },
      { unit: 'Bộ Tài chính', role: 'implement', tasks },
      { unit: 'Bộ Công an', role: 'implement', tasks },
    ]);
    assert.deepEqual(directive.unplaced, []);
  });

  it('reads "Ủy ban nhân dân các tỉnh, thành phố" as one unit', () => {
    const directive = parseDirective(
      '2. Ủy ban nhân dân các tỉnh, thành phố:\n- Chỉ đạo lực lượng chức năng kiểm tra hàng hóa nhập lậu.',
    );
    assert.deepEqual(tasksOf(directive), [
      ['Ủy ban nhân dân các tỉnh, thành phố', ['Chỉ đạo lực lượng chức năng kiểm tra hàng hóa nhập lậu.']],
    ]);
    assert.deepEqual(directive.unplaced, []);
  });
});

/** Written for these tests in the layouts Ministry plans use (not copied from a real plan). */
describe('parseDirective on plans: a block of labels under each task, and an annex table', () => {
  const header = 'BỘ CÔNG THƯƠNG\nSố: 123/KH-BCT\nHà Nội, ngày 10 tháng 01 năm 2025\nKẾ HOẠCH\n';
  const summary = (directive: ParsedDirective) =>
    directive.assignments.map((assignment) => [
      assignment.unit,
      assignment.role,
      assignment.cooperating,
      assignment.tasks.map((task) => [task.text, task.period.kind, task.period.due]),
    ]);

  it('reads "Cơ quan chủ trì / Cơ quan phối hợp / Thời gian thực hiện" under each task', () => {
    const directive = parseDirective(
      `${header}II. NHIỆM VỤ CỤ THỂ
1. Rà soát, đề xuất sửa đổi quy định về thương mại điện tử xuyên biên giới.
- Cơ quan chủ trì: Cục Thương mại điện tử và Kinh tế số.
- Cơ quan phối hợp: Vụ Pháp chế, Cục Quản lý và Phát triển thị trường trong nước.
- Thời gian thực hiện: Quý II năm 2025.
2. Tăng cường kiểm tra, xử lý vi phạm hàng hóa nhập khẩu qua thương mại điện tử.
- Cơ quan chủ trì: Cục Quản lý và Phát triển thị trường trong nước.
- Cơ quan phối hợp: Cục Thương mại điện tử và Kinh tế số.
- Thời gian thực hiện: Thường xuyên.
`,
    );
    assert.deepEqual(summary(directive), [
      [
        'Cục Thương mại điện tử và Kinh tế số',
        'preside',
        ['Vụ Pháp chế', 'Cục Quản lý và Phát triển thị trường trong nước'],
        [['Rà soát, đề xuất sửa đổi quy định về thương mại điện tử xuyên biên giới', 'deadline', '2025-06-30']],
      ],
      [
        'Cục Quản lý và Phát triển thị trường trong nước',
        'preside',
        ['Cục Thương mại điện tử và Kinh tế số'],
        [['Tăng cường kiểm tra, xử lý vi phạm hàng hóa nhập khẩu qua thương mại điện tử', 'recurring', null]],
      ],
    ]);
    assert.deepEqual(directive.unplaced, []);
  });

  it('reads an annex table row by row: task, lead unit, cooperating units, time', () => {
    const directive = parseDirective(
      `${header}PHỤ LỤC
| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
| 1 | Xây dựng cơ sở dữ liệu nền tảng thương mại điện tử | Cục Thương mại điện tử và Kinh tế số | Vụ Pháp chế | Tháng 6/2025 |
| 2 | Tuyên truyền cảnh báo người tiêu dùng | Ủy ban Cạnh tranh Quốc gia | Cục Thương mại điện tử và Kinh tế số | Quý III/2025 |
`,
    );
    assert.deepEqual(summary(directive), [
      [
        'Cục Thương mại điện tử và Kinh tế số',
        'preside',
        ['Vụ Pháp chế'],
        [['Xây dựng cơ sở dữ liệu nền tảng thương mại điện tử', 'deadline', '2025-06-30']],
      ],
      [
        'Ủy ban Cạnh tranh Quốc gia',
        'preside',
        ['Cục Thương mại điện tử và Kinh tế số'],
        [['Tuyên truyền cảnh báo người tiêu dùng', 'deadline', '2025-09-30']],
      ],
    ]);
    assert.deepEqual(directive.unplaced, []);
  });
});

describe('parseDirective on focal units and cooperation written inside the sentence', () => {
  it('reads "X là đơn vị đầu mối, phối hợp với Y …" as X presiding with Y', () => {
    const directive = parseDirective(
      [
        'BỘ CÔNG THƯƠNG',
        'Số: 125/BCT-TMĐT',
        'Hà Nội, ngày 10 tháng 01 năm 2025',
        '1. Cục Thương mại điện tử và Kinh tế số là đơn vị đầu mối, phối hợp với Vụ Pháp chế theo dõi, tổng hợp tình hình thực hiện, báo cáo Bộ trưởng trong tháng 12 năm 2025.',
        '2. Vụ Pháp chế rà soát các văn bản quy phạm pháp luật liên quan, hoàn thành trong Quý II năm 2025.',
      ].join('\n'),
    );
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.cooperating]),
      [
        ['Cục Thương mại điện tử và Kinh tế số', 'preside', ['Vụ Pháp chế']],
        ['Vụ Pháp chế', 'implement', undefined],
      ],
    );
    assert.equal(directive.assignments[0]?.tasks[0]?.period.due, '2025-12-31');
    assert.deepEqual(directive.unplaced, []);
  });

  it('reads "X shall act as the focal point" and "X shall, in coordination with Y, …" in English', () => {
    const directive = parseDirective(
      [
        'MINISTRY OF INDUSTRY AND TRADE',
        'No. 126/BCT-TMDT',
        'Hanoi, January 10, 2025',
        '1. The E-Commerce and Digital Economy Agency shall act as the focal point and cooperate with the Legal Department to monitor implementation. Implementation period: in December 2025.',
        '2. The Domestic Market Management and Development Department shall, in coordination with the General Department of Customs, strengthen inspections of goods imported through e-commerce. Implementation period: regularly.',
      ].join('\n'),
    );
    assert.deepEqual(
      directive.assignments.map((assignment) => [
        assignment.unit,
        assignment.role,
        assignment.cooperating,
        assignment.tasks[0]?.text,
      ]),
      [
        ['E-Commerce and Digital Economy Agency', 'preside', ['Legal Department'], 'monitor implementation.'],
        [
          'Domestic Market Management and Development Department',
          'implement',
          ['General Department of Customs'],
          'strengthen inspections of goods imported through e-commerce.',
        ],
      ],
    );
    assert.deepEqual(directive.unplaced, []);
  });

  it('keeps "In coordination with Y, …" at the head of a task as that task\'s cooperating unit', () => {
    const directive = parseDirective(
      [
        'MINISTRY OF INDUSTRY AND TRADE',
        'No. 128/BCT-TMDT',
        'Hanoi, January 10, 2025',
        '1. The Domestic Market Management and Development Department:',
        'a) In coordination with the General Department of Customs, strengthen inspections of goods imported through e-commerce. Implementation period: regularly.',
      ].join('\n'),
    );
    assert.deepEqual(directive.assignments[0]?.tasks[0]?.cooperating, ['General Department of Customs']);
  });

  it('reads a numbered item that opens with known units and any verb as their assignment', () => {
    const directive = parseDirective(
      [
        'BỘ CÔNG THƯƠNG',
        'Số: 129/BCT-TMĐT',
        'Hà Nội, ngày 10 tháng 01 năm 2025',
        '1. Cục Cạnh tranh và Bảo vệ người tiêu dùng chủ trì, phối hợp với Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp rà soát quy định, hoàn thành trong Quý I và Quý II/2025.',
        '2. Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp bố trí kinh phí, thực hiện từ tháng 11/2024.',
      ].join('\n'),
    );
    assert.deepEqual(
      directive.assignments.map((assignment) => [assignment.unit, assignment.role, assignment.tasks.length]),
      [
        ['Cục Cạnh tranh và Bảo vệ người tiêu dùng', 'preside', 1],
        ['Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp', 'implement', 1],
      ],
    );
    assert.equal(directive.assignments[1]?.tasks[0]?.text, 'bố trí kinh phí, thực hiện từ tháng 11/2024.');
    assert.deepEqual(directive.unplaced, []);
  });

  it('tells the officer about a numbered line naming a known unit that no clause could read', () => {
    const directive = parseDirective(
      [
        'BỘ CÔNG THƯƠNG',
        'Số: 127/BCT-TMĐT',
        'Hà Nội, ngày 10 tháng 01 năm 2025',
        '1. Cục Thương mại điện tử và Kinh tế số – đơn vị thường trực – theo dõi việc thực hiện trong năm 2025.',
        '2. Vụ Pháp chế rà soát các văn bản quy phạm pháp luật liên quan, hoàn thành trong Quý II năm 2025.',
      ].join('\n'),
    );
    assert.deepEqual(
      directive.assignments.map((assignment) => assignment.unit),
      ['Vụ Pháp chế'],
    );
    assert.deepEqual(directive.unplaced, [
      {
        line: 4,
        text: '1. Cục Thương mại điện tử và Kinh tế số – đơn vị thường trực – theo dõi việc thực hiện trong năm 2025.',
        reason: 'no_task',
      },
    ]);
  });
});
