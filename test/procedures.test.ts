import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/core/db.ts';
import { AppError } from '../src/core/errors.ts';
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { accountsJobs } from '../src/modules/accounts/index.ts';
import { createApplicationsJobs } from '../src/modules/applications/index.ts';
import { createDirectiveJobs } from '../src/modules/directives/index.ts';
import { registerProceduresCli } from '../src/modules/procedures/procedures.cli.ts';
import {
  listProcedures,
  type ProcedureCode,
  procedureDeadline,
  procedureDeadlineFromDay,
} from '../src/modules/procedures/procedures.service.ts';
import * as registry from '../src/modules/registry/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, loginAs } from './support/auth.ts';
import { type CliRun, runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/** Friday 13 February 2026, 10:00 in Hanoi: the Tết Bính Ngọ break is 14–22 February (16–20 official days off). */
const BEFORE_TET_2026 = new Date('2026-02-13T10:00:00+07:00');

describe(`the table of procedures (${testDatabaseKind})`, () => {
  let database: Database;
  const run = (args: string[]): Promise<CliRun> => runCliInProcess(database, registerProceduresCli, args);

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('holds every procedure of issue 10 with its provision, source and source status', async () => {
    const rows = await listProcedures(database.db);
    const codes = rows.map((row) => row.code);
    for (const code of [
      'account_verification',
      'notification',
      'registration',
      'change',
      'change_report',
      'termination',
      'cancellation',
      'reregistration',
      'periodic_report',
      'supplement',
    ]) {
      assert.ok(codes.includes(code), code);
    }
    for (const row of rows) {
      assert.notEqual(row.provision, '', row.code);
      assert.match(row.sourceUrl, /^https?:\/\//, row.code);
      assert.equal(row.decidingUnitId, 'idea', row.code);
      // A row the sources read did not confirm says so.
      if (row.sourceStatus === 'unverified') assert.match(row.note, /UNVERIFIED/, row.code);
    }
    assert.equal(rows.find((row) => row.code === 'registration')?.sourceStatus, 'unverified');
    assert.equal(rows.find((row) => row.code === 'change_report')?.workingDays, 7);
  });

  it('counts each procedure’s clock from the table over the stored Vietnam calendar, across Tết 2026', async () => {
    // 3 working days after Friday 13/02: Tết and two weekends are skipped, Monday 23 is the first working day.
    const expected: Array<[ProcedureCode, string, number]> = [
      ['account_verification', '2026-02-25', 3],
      ['notification', '2026-02-25', 3],
      ['registration', '2026-02-25', 3],
      ['change', '2026-02-25', 3],
      ['termination', '2026-02-25', 3],
      ['reregistration', '2026-02-25', 3],
      // The business's 7 working days to report a change: 23–27/02, 02 and 03/03.
      ['change_report', '2026-03-03', 7],
    ];
    for (const [code, dueOn, workingDays] of expected) {
      const deadline = await procedureDeadline(database.db, code, BEFORE_TET_2026);
      assert.equal(deadline.dueOn, dueOn, code);
      assert.equal(deadline.workingDays, workingDays, code);
      assert.equal(deadline.deadlineAt.toISOString(), new Date(`${dueOn}T23:59:59.999+07:00`).toISOString(), code);
      assert.equal(deadline.procedure.code, code);
    }
    // Tết 2025 (27–31 January): a change on Friday 24/01/2025 is to be reported by Tuesday 11/02/2025 (03–07 and 10–11/02).
    assert.equal((await procedureDeadlineFromDay(database.db, 'change_report', '2025-01-24')).dueOn, '2025-02-11');
  });

  it('refuses a clock for a procedure the law gives no period in working days, and a day before the rule', async () => {
    for (const code of ['cancellation', 'periodic_report', 'supplement'] as const) {
      await assert.rejects(
        procedureDeadline(database.db, code, BEFORE_TET_2026),
        (error: unknown) => error instanceof AppError && error.code === 'conflict',
        code,
      );
    }
    await assert.rejects(
      procedureDeadlineFromDay(database.db, 'notification', '2014-06-30'),
      (error: unknown) => error instanceof AppError && error.code === 'not_found',
    );
  });

  it('lets an administrator change a row from the CLI, audited, and the next deadline follows', async () => {
    const before = await procedureDeadline(database.db, 'registration', BEFORE_TET_2026);
    assert.equal(before.dueOn, '2026-02-25');
    const set = await run([
      'procedures',
      'set',
      'registration',
      '--working-days',
      '7',
      '--status',
      'verified',
      '--note',
      'Read in the consolidated circular (test).',
      '--json',
    ]);
    assert.equal(set.code, 0, set.error?.message);
    assert.equal(JSON.parse(set.stdout).workingDays, 7);
    // 7 working days after 13/02/2026: 23–27/02, 02/03 and 03/03.
    assert.equal((await procedureDeadline(database.db, 'registration', BEFORE_TET_2026)).dueOn, '2026-03-03');
    const listed = JSON.parse((await run(['procedures', 'list', '--json'])).stdout) as Array<{
      code: string;
      workingDays: number | null;
      sourceStatus: string;
      updatedBy: string;
    }>;
    const row = listed.find((entry) => entry.code === 'registration');
    assert.equal(row?.workingDays, 7);
    assert.equal(row?.sourceStatus, 'verified');
    assert.match(row?.updatedBy ?? '', /^cli:/);
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'procedure.set')
      .execute();
    assert.equal(audit.length, 1);
    assert.match(audit[0]?.actor ?? '', /^cli:/);
    assert.deepEqual((audit[0]?.changes as Record<string, unknown> | undefined)?.working_days, { from: 3, to: 7 });

    // Bad input names its field and writes nothing.
    assert.equal((await run(['procedures', 'set', 'registration', '--working-days', '0'])).code, 2);
    const badStatus = await run(['procedures', 'set', 'registration', '--status', 'maybe']);
    assert.equal(badStatus.code, 2);
    const badUnit = await run(['procedures', 'set', 'registration', '--unit', 'nowhere']);
    assert.equal(badUnit.code, 2);
    assert.equal(badUnit.error?.field, 'unit');
    assert.equal((await run(['procedures', 'set', 'no_such_procedure', '--working-days', '3'])).code, 1);
    assert.equal((await run(['procedures', 'set', 'registration'])).code, 2);
    assert.equal((await procedureDeadline(database.db, 'registration', BEFORE_TET_2026)).workingDays, 7);

    // Back to what the seed says, for the other tests of this file.
    assert.equal(
      (await run(['procedures', 'set', 'registration', '--working-days', '3', '--status', 'unverified'])).code,
      0,
    );
  });

  it('expires nothing: no job turns a registration past an imported end date into expired', async () => {
    await importRegistryRows(
      database,
      [
        {
          line: 2,
          registrationNo: 'TEST-NOEXP-1',
          name: 'Old Portal Marketplace Test',
          kind: 'marketplace',
          status: 'registered',
          crossBorder: false,
          domains: ['old-portal-marketplace-test.vn'],
          androidApps: [],
          iosApps: [],
          orgName: null,
          taxCode: null,
          validUntil: '2021-06-30',
          legacyId: null,
        },
      ],
      { actor: 'test' },
    );
    assert.equal('registryJobs' in registry, false);
    const log = { warn: () => {}, info: () => {}, error: () => {} };
    const jobs = [...accountsJobs, ...createApplicationsJobs({ log }), ...createDirectiveJobs({ log })];
    assert.deepEqual(
      jobs.filter((job) => /expire/.test(job.name)).map((job) => job.name),
      [],
    );
    for (const job of accountsJobs) await job.handler({}, database);
    const platform = await database.db
      .selectFrom('platforms')
      .select(['status', 'valid_until'])
      .where('registration_no', '=', 'TEST-NOEXP-1')
      .executeTakeFirstOrThrow();
    assert.deepEqual(platform, { status: 'registered', valid_until: '2021-06-30' });
  });
});

describe(`the end of renewals (${testDatabaseKind})`, () => {
  it('turns renewal applications filed before into changes of information', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db as unknown as Kysely<unknown>;
      // Made with today's code and schema; the migrations below undo only what came after renewals.
      const business = await createAccount(database, { kind: 'business' });
      await importRegistryRows(
        database,
        [
          {
            line: 2,
            registrationNo: 'DK-2022-00042',
            name: 'Sàn Gia Hạn Cũ',
            kind: 'marketplace',
            status: 'registered',
            crossBorder: false,
            domains: ['san-gia-han-cu.vn'],
            androidApps: [],
            iosApps: [],
            orgName: null,
            taxCode: null,
            validUntil: '2027-01-31',
            legacyId: null,
          },
        ],
        { actor: 'test' },
      );
      const names = Object.keys(migrations);
      const steps = names.length - names.indexOf('2026_12_04_1401_change_instead_of_renewal');
      for (let step = 0; step < steps; step++) await migrateDown(db);
      await sql`
        INSERT INTO applications (reference, type, status, kind, law_type, applicant_account_id,
          applicant_organisation_id, contact_email, site_name, org_name, country, head_office_address,
          responsible_person, responsible_phone, goods_categories, cross_border, platform_id, registration_no,
          verification_token, received_at, due_on, deadline_at)
        SELECT 'HS-2026-900001', 'renewal', 'submitted', 'marketplace', 'intermediary', ${business.id},
          ${business.organisationId}, 'a@example.vn', 'Sàn Gia Hạn Cũ', 'Công ty Cũ', 'VN', 'Hà Nội', 'Người A',
          '0912345678', '{}', false, id, registration_no, 'token', now(), '2026-12-09', now()
        FROM platforms WHERE registration_no = 'DK-2022-00042'`.execute(db);
      await migrateToLatest(db);
      const row = await database.db
        .selectFrom('applications')
        .select(['type', 'registration_no', 'information_changed_on', 'reported_late'])
        .where('reference', '=', 'HS-2026-900001')
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        type: 'change',
        registration_no: 'DK-2022-00042',
        information_changed_on: null,
        reported_late: null,
      });
      // The imported end date stays as imported.
      const platform = await database.db
        .selectFrom('platforms')
        .select(['valid_until'])
        .where('registration_no', '=', 'DK-2022-00042')
        .executeTakeFirstOrThrow();
      assert.equal(platform.valid_until, '2027-01-31');
      await assert.rejects(
        sql`UPDATE applications SET type = 'renewal' WHERE reference = 'HS-2026-900001'`.execute(database.db),
      );
    } finally {
      await database.close();
    }
  });
});

describe(`the administrators' pages of the law as data: procedures and grounds (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ demo: false });
  });
  after(async () => {
    await testApp.close();
  });

  it('lists every row with its period, provision and source status, for administrators only', async () => {
    const admin = await loginAs(testApp, await createAccount(testApp.database, { kind: 'admin' }));
    const page = await testApp.app.inject({
      method: 'GET',
      url: '/admin/procedures',
      headers: { cookie: admin.cookie },
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-procedure="change_report"[\s\S]*?7 ngày làm việc/);
    assert.match(page.body, /data-procedure="registration"[\s\S]*?data-state="unverified"/);
    assert.match(page.body, /Thông tư 47\/2014\/TT-BCT, Điều 11 khoản 3/);
    const officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'head' }),
    );
    const refused = await testApp.app.inject({
      method: 'GET',
      url: '/admin/procedures',
      headers: { cookie: officer.cookie },
    });
    assert.equal(refused.statusCode, 403);
  });

  it('lists the grounds of cancellation, refusal and foreign platforms with their source status, for administrators only', async () => {
    const admin = await loginAs(testApp, await createAccount(testApp.database, { kind: 'admin' }));
    for (const lang of ['vi', 'en']) {
      const page = await testApp.app.inject({
        method: 'GET',
        url: `/admin/grounds?lang=${lang}`,
        headers: { cookie: admin.cookie },
      });
      assert.equal(page.statusCode, 200);
      for (const kind of ['cancellation', 'refusal', 'foreign_platform']) {
        assert.match(page.body, new RegExp(`data-kind="${kind}"`));
      }
      assert.match(page.body, /data-ground="vn_domain"[\s\S]*?data-state="unverified"/);
      assert.match(page.body, /Thông tư 47\/2014\/TT-BCT, Điều 18/);
      assert.match(page.body, lang === 'vi' ? /Căn cứ pháp lý của các quyết định/ : /Legal grounds of decisions/);
    }
    const officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'head' }),
    );
    const refused = await testApp.app.inject({
      method: 'GET',
      url: '/admin/grounds',
      headers: { cookie: officer.cookie },
    });
    assert.equal(refused.statusCode, 403);
  });
});
