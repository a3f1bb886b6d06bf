import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliContext } from '../src/core/context.ts';
import type { Database } from '../src/core/db.ts';
import { addCalendarDays } from '../src/modules/calendar/calendar.service.ts';
import { parseDirectiveTextOffThread } from '../src/modules/directives/directives.import.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

const DISPATCH = `BỘ CÔNG THƯƠNG
Số: 9401/BCT-TMĐT
Hà Nội, ngày 26 tháng 10 năm 2024

1. Giao Cục Thương mại điện tử và Kinh tế số rà soát danh sách các nền tảng chưa đăng ký, báo cáo Bộ trưởng trong 10 ngày làm việc kể từ ngày ký.
`;

const dueOf = async (database: Database) =>
  (await parseDirectiveTextOffThread(database.db, DISPATCH)).assignments[0]?.tasks[0]?.period.due;

describe(`the parsing thread counts working days on the stored calendar (${testDatabaseKind})`, () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('counts an official day an administrator loaded (ecomgov calendar add-days)', async () => {
    // Issued Saturday 26/10/2024: on the shipped calendar the tenth working day is Friday 8/11/2024.
    assert.equal(await dueOf(database), '2024-11-08');
    await addCalendarDays(
      database,
      'date,type,name_vi,name_en,basis,source,note\n2024-11-04,day_off,Nghỉ thử,Test day off,official,Quyết định thử,\n',
      { fileName: 'days.csv' },
      cliContext(),
    );
    // The day off on Monday 4/11 moves it to Monday 11/11, in the thread, with no restart.
    assert.equal(await dueOf(database), '2024-11-11');
  });
});
