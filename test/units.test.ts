import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../src/core/errors.ts';
import { up as moveDirectivesToSuccessors } from '../src/db/migrations/2026_12_04_1431_directives_under_successor_units.ts';
import { createOfficer } from '../src/modules/accounts/accounts.service.ts';
import { importDirective } from '../src/modules/directives/directives.import.ts';
import { listUnitTasks, loadTrackedTasks } from '../src/modules/directives/tracker.service.ts';
import { findUnit, listUnits } from '../src/modules/units/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, loginAs, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

/** A 2024 dispatch naming units that ceased on 01/03/2025. */
const DISPATCH_2024 = `BỘ CÔNG THƯƠNG
Số: 7701/BCT-TMĐT
Hà Nội, ngày 12 tháng 11 năm 2024
V/v kiểm tra hàng giả trên sàn thương mại điện tử

Kính gửi: Tổng cục Quản lý thị trường; Vụ Khoa học và Công nghệ.

1. Giao Tổng cục Quản lý thị trường chủ trì, phối hợp với Tổng cục Hải quan kiểm tra hàng giả bán trên các sàn thương mại điện tử. Thời hạn: trước ngày 20/12/2024.
2. Giao Vụ Khoa học và Công nghệ rà soát tiêu chuẩn hàng hóa bán trực tuyến. Thời hạn: trong Quý I/2025.
`;

/** The same assignments in an English rendering, as the Ministry's English dispatches write them. */
const DISPATCH_2024_EN = `MINISTRY OF INDUSTRY AND TRADE
No.: 7702/BCT-TMĐT
Hanoi, November 12, 2024

To: the Trade Promotion Agency.

1. The Trade Promotion Agency shall preside over promoting registered e-commerce platforms at trade fairs, to be completed in December 2024.
`;

describe(`units as organised since 2025 (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let marketOfficer: TestSession;
  let promotionOfficer: TestSession;

  before(async () => {
    testApp = await startTestApp({ demo: false });
    marketOfficer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
    promotionOfficer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'officer' }),
    );
  });
  after(async () => {
    await testApp.close();
  });

  const page = (session: TestSession | undefined, url: string) =>
    testApp.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });

  it('stores the ceased units with when they ended, by which act, their successors and sources', async () => {
    const old = await findUnit(testApp.database.db, 'general_market_management');
    assert.equal(old?.name_vi, 'Tổng cục Quản lý thị trường');
    assert.equal(old?.ceased_on, '2025-03-01');
    assert.equal(old?.ceased_by, 'Decree 40/2025/NĐ-CP');
    assert.deepEqual(old?.successor_ids, ['market_management']);
    assert.ok(old?.sources.some((source) => source.url.startsWith('https://')));
    const current = await findUnit(testApp.database.db, 'market_management');
    assert.equal(current?.ceased_by, null);
    assert.deepEqual(current?.successor_ids, []);
    const mic = await findUnit(testApp.database.db, 'mic');
    assert.deepEqual([mic?.ceased_on, mic?.successor_ids], ['2025-03-01', ['most']]);
  });

  it('offers only units of today where one is chosen', async () => {
    const all = (await listUnits(testApp.database.db)).map((unit) => unit.id);
    const current = (await listUnits(testApp.database.db, { currentOnly: true })).map((unit) => unit.id);
    assert.ok(all.includes('domestic_market') && all.includes('general_customs'));
    assert.ok(!current.includes('domestic_market') && !current.includes('general_customs') && !current.includes('mic'));
    assert.ok(current.includes('market_management') && current.includes('innovation') && current.includes('customs'));
    await assert.rejects(
      createOfficer(
        testApp.database.db,
        { actor: 'test' },
        {
          email: 'vu-tttn@moit.gov.vn',
          unitId: 'domestic_market',
          role: 'officer',
          password: 'a long enough password',
        },
      ),
      (error: unknown) => error instanceof AppError && error.field === 'unit',
    );
  });

  it('tracks a 2024 text naming the General Department of Market Management under its successor, keeping the name as written', async () => {
    const result = await importDirective(testApp.database, { text: DISPATCH_2024 }, { actor: 'test' });
    const tasks = await loadTrackedTasks(testApp.database.db, { directiveIds: [result.directive_id] });
    assert.deepEqual(
      tasks.map((task) => [task.unit.id, task.unit.name]),
      [
        ['market_management', 'Tổng cục Quản lý thị trường'],
        ['innovation', 'Vụ Khoa học và Công nghệ'],
      ],
    );
    assert.deepEqual(tasks[0]?.cooperating, [{ name: 'Tổng cục Hải quan', unit_id: 'customs' }]);
    const unitTasks = await listUnitTasks(testApp.database.db, 'market_management');
    assert.ok(unitTasks.tasks.some((task) => task.directive.number === '7701/BCT-TMĐT'));

    const vi = await page(marketOfficer, `/workbench/directives/${result.directive_id}?lang=vi`);
    assert.equal(vi.statusCode, 200);
    assert.match(
      vi.body,
      /Cục Quản lý và Phát triển thị trường trong nước \(văn bản ghi: Tổng cục Quản lý thị trường\)/,
    );
    assert.match(vi.body, /Cục Hải quan \(văn bản ghi: Tổng cục Hải quan\)/);
    const en = await page(marketOfficer, `/workbench/directives/${result.directive_id}?lang=en`);
    assert.match(
      en.body,
      /Agency for Domestic Market Surveillance and Development \(named in the document: General Department of Market Management\)/,
    );
  });

  it('moves tasks stored under a ceased unit to its successor (migration 2026_12_04_1431)', async () => {
    const result = await importDirective(
      testApp.database,
      { text: DISPATCH_2024.replace('7701/BCT', '7703/BCT') },
      { actor: 'test' },
    );
    await sql`UPDATE directive_assignments SET unit_id = 'domestic_market' WHERE directive_id = ${result.directive_id} AND position = 0`.execute(
      testApp.database.db,
    );
    await sql`UPDATE directive_assignments SET unit_id = 'science_technology', cooperating_unit_ids = '{mic}' WHERE directive_id = ${result.directive_id} AND position = 1`.execute(
      testApp.database.db,
    );
    await moveDirectivesToSuccessors(testApp.database.db as unknown as Kysely<unknown>);
    const rows = await sql<{ unit_id: string; cooperating_unit_ids: string[] }>`
      SELECT unit_id, cooperating_unit_ids FROM directive_assignments WHERE directive_id = ${result.directive_id} ORDER BY position`.execute(
      testApp.database.db,
    );
    assert.deepEqual(
      rows.rows.map((row) => [row.unit_id, row.cooperating_unit_ids]),
      [
        ['market_management', ['customs']],
        ['innovation', ['most']],
      ],
    );
  });

  it('never shows the English name of a unit on a Vietnamese task page', async () => {
    const result = await importDirective(testApp.database, { text: DISPATCH_2024_EN }, { actor: 'test' });
    const [task] = await loadTrackedTasks(testApp.database.db, { directiveIds: [result.directive_id] });
    assert.equal(task?.unit.id, 'trade_promotion');
    for (const url of [
      `/workbench/directive-tasks/${task?.id}?lang=vi`,
      `/workbench/directives/${result.directive_id}?lang=vi`,
      '/workbench/units/trade_promotion/tasks?lang=vi',
    ]) {
      const response = await page(promotionOfficer, url);
      assert.equal(response.statusCode, 200, url);
      assert.doesNotMatch(response.body, /Trade Promotion Agency/, url);
      assert.match(response.body, /Cục Xúc tiến thương mại/, url);
    }
  });

  it('sends consumers on the check page to the unit that holds consumer protection today, with its hotline', async () => {
    const vi = await page(undefined, '/check?input=shop-not-registered.vn&lang=vi');
    assert.equal(vi.statusCode, 200);
    assert.match(
      vi.body,
      /Tổng đài tư vấn và hỗ trợ người tiêu dùng 1800 6838 \(miễn phí\) của Ủy ban Cạnh tranh Quốc gia/,
    );
    assert.doesNotMatch(vi.body, /Uỷ ban/);
    const en = await page(undefined, '/check?input=shop-not-registered.vn&lang=en');
    assert.match(en.body, /National Competition Commission consumer hotline 1800 6838 \(free\)/);
  });
});
