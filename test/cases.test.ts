import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ActorContext } from '../src/core/context.ts';
import { addWorkingDays } from '../src/core/working-days.ts';
import { loadWorkingCalendar } from '../src/modules/calendar/index.ts';
import {
  advanceCase,
  createCase,
  decideSanction,
  extendCaseStep,
  getCase,
  linkToCase,
  listOverdueSteps,
  listSanctionRules,
  listStepRules,
} from '../src/modules/cases/cases.service.ts';
import { registerCasesCli } from '../src/modules/cases/index.ts';
import { startCheckIndex } from '../src/modules/check/index.ts';
import { importDeclarations } from '../src/modules/declarations/declarations.import.ts';
import { DECLARATION_COLUMNS } from '../src/modules/declarations/declarations.rows.ts';
import { loadDemoDirectives } from '../src/modules/directives/index.ts';
import { captureEvidence } from '../src/modules/evidence/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, formBody, loginAs } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/**
 * Inspection cases (issue 15): the steps and their clocks from `case_step_rules`, links checked by their modules,
 * sanctions inside the decree's range and published in the register of decisions, the workbench pages.
 */

const INSPECTOR: ActorContext = { actor: 'user:inspector' };
const HEAD: ActorContext = { actor: 'user:inspectorate-head' };
const NOW = new Date('2026-12-03T03:00:00Z');

describe(`inspection cases (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let evidenceStore: string;

  before(async () => {
    testApp = await startTestApp({ demo: false });
    evidenceStore = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-cases-evidence-'));
    await importRegistryRows(
      testApp.database,
      [
        registryRow({
          name: 'Sàn Lậu',
          status: 'unregistered',
          registrationNo: null,
          domains: ['san-lau.test'],
          androidApps: [],
        }),
      ],
      { actor: 'test' },
    );
  });
  after(async () => {
    await testApp?.close();
    fs.rmSync(evidenceStore, { recursive: true, force: true });
  });

  it('holds the steps and the fines as data citing their sources, an organisation paying twice', async () => {
    const steps = await listStepRules(testApp.database.db, NOW);
    assert.deepEqual(
      steps.map((step) => [step.step, step.working_days, step.extended_working_days, step.counts_from]),
      [
        ['plan', null, null, null],
        ['decision', null, null, null],
        ['notice', 3, null, 'decision'],
        ['conduct', null, null, null],
        ['report', 10, 15, 'conduct'],
        ['conclusion', null, null, null],
        ['sanction', null, null, null],
        ['enforcement', null, null, null],
      ],
    );
    assert.ok(steps.every((step) => step.source_status === 'unverified' && step.provision.length > 0));
    const fines = await listSanctionRules(testApp.database.db, NOW);
    const platform = fines.find((rule) => rule.code === 'unregistered_platform');
    assert.deepEqual(platform?.individual, { min_vnd: 20_000_000, max_vnd: 30_000_000 });
    assert.deepEqual(platform?.organisation, { min_vnd: 40_000_000, max_vnd: 60_000_000 });
    assert.deepEqual(fines.find((rule) => rule.code === 'unnotified_sales_site')?.individual, {
      min_vnd: 10_000_000,
      max_vnd: 20_000_000,
    });
  });

  it('links a declaration by its number and a task by its document and order, each checked by its module', async () => {
    const database = testApp.database;
    const created = await createCase(
      database,
      { context: INSPECTOR, unitId: 'inspectorate' },
      { title: 'Điểm tập kết hàng Temu', summary: 'Theo tờ khai hải quan.' },
      NOW,
    );
    const { index, stop } = await startCheckIndex(database);
    try {
      const csv = `${DECLARATION_COLUMNS.join(',')}\nTK-CASE-0001,2026-11-20T10:00:00+07:00,temu.com,seller1,620520,Áo sơ mi,1,250000,CN,Nguyễn Văn A,0912345678,"12 Lê Lợi, P. Bến Nghé, TP.HCM",VN1\n`;
      await importDeclarations(database, Readable.from([csv]), { source: 'test:cases', index });
    } finally {
      await stop();
    }
    await loadDemoDirectives(database);
    await linkToCase(database, INSPECTOR, created.id, { kind: 'declaration', ref: ' TK-CASE-0001 ' }, NOW);
    await assert.rejects(
      linkToCase(database, INSPECTOR, created.id, { kind: 'declaration', ref: 'TK-KHONG-CO' }, NOW),
      (error: Error & { field?: string }) => error.field === 'ref' && /TK-KHONG-CO/.test(error.message),
    );
    await linkToCase(database, INSPECTOR, created.id, { kind: 'task', ref: '8598/BCT-TMĐT#4' }, NOW);
    // The same task by its id links nothing new; a task the document does not have is refused.
    const task = (await getCase(database.db, created.id, NOW)).links.find((link) => link.kind === 'task');
    assert.ok(task);
    await linkToCase(database, INSPECTOR, created.id, { kind: 'task', ref: task.ref }, NOW);
    await assert.rejects(linkToCase(database, INSPECTOR, created.id, { kind: 'task', ref: '8598/BCT-TMĐT#99' }, NOW), {
      field: 'ref',
    });
    assert.deepEqual(
      (await getCase(database.db, created.id, NOW)).links.map((link) => [link.kind, link.ref]),
      [
        ['declaration', 'TK-CASE-0001'],
        ['task', task.ref],
      ],
    );
  });

  it('takes a case through its steps with their clocks, links checked records, and publishes its sanction', async () => {
    const database = testApp.database;
    const calendar = await loadWorkingCalendar(database.db);
    const created = await createCase(
      database,
      { context: INSPECTOR, unitId: 'inspectorate' },
      { title: 'Kiểm tra sàn chưa đăng ký san-lau.test', summary: 'Theo phản ánh của người tiêu dùng.' },
      new Date('2026-11-01T03:00:00Z'),
    );
    assert.match(created.reference, /^HS-2026-\d{4}$/);
    assert.deepEqual(
      created.steps.map((step) => step.step),
      ['plan'],
    );

    // Links: a platform by its domain, a capture of the evidence store, refusals naming the field.
    await linkToCase(database, INSPECTOR, created.id, { kind: 'platform', ref: 'san-lau.test' }, NOW);
    await assert.rejects(linkToCase(database, INSPECTOR, created.id, { kind: 'platform', ref: 'khong-co.test' }, NOW), {
      field: 'ref',
    });
    await assert.rejects(linkToCase(database, INSPECTOR, created.id, { kind: 'finding', ref: 'x' }, NOW), {
      field: 'ref',
    });
    await assert.rejects(linkToCase(database, INSPECTOR, created.id, { kind: 'sanction', ref: 'x' }, NOW), {
      field: 'kind',
    });
    const site = http.createServer((_request, response) => response.end('<html lang="vi">Giỏ hàng 99.000₫</html>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    try {
      const captured = await captureEvidence(database.db, evidenceStore, INSPECTOR, {
        url: `http://san-lau.test:${port}/`,
        resolve: [`san-lau.test:${port}:127.0.0.1`],
        allowPrivate: true,
      });
      await linkToCase(database, INSPECTOR, created.id, { kind: 'evidence', ref: captured.evidenceId }, NOW);
      // Linking again changes nothing.
      await linkToCase(database, INSPECTOR, created.id, { kind: 'evidence', ref: captured.evidenceId }, NOW);
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
    const linked = await getCase(database.db, created.id, NOW);
    assert.deepEqual(linked.links.map((link) => link.kind).sort(), ['evidence', 'platform']);
    assert.equal(linked.links.find((link) => link.kind === 'platform')?.label, 'Sàn Lậu');

    // plan → decision → notice (3 working days from the decision) → conduct → report (10, extended to 15).
    await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-02' }, NOW);
    let item = await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-03', document_no: '15/QĐ-TTr' }, NOW);
    const notice = item.steps.find((step) => step.step === 'notice');
    assert.equal(notice?.due_on, addWorkingDays(calendar, '2026-11-03', 3));
    await assert.rejects(advanceCase(database, INSPECTOR, created.id, { on: '2026-11-01' }, NOW), { field: 'on' });
    await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-05' }, NOW);
    item = await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-10' }, NOW);
    const report = item.steps.find((step) => step.step === 'report');
    assert.equal(report?.due_on, addWorkingDays(calendar, '2026-11-10', 10));
    assert.equal(report?.deadline, 'overdue', 'ten working days from 10/11 ended before 03/12');
    assert.ok(
      (await listOverdueSteps(database.db, NOW)).some((row) => row.case_id === created.id && row.step === 'report'),
    );
    item = await extendCaseStep(database, INSPECTOR, created.id, 'Cần xác minh thêm với nhà cung cấp dịch vụ.', NOW);
    assert.equal(item.steps.find((step) => step.step === 'report')?.due_on, addWorkingDays(calendar, '2026-11-10', 15));
    await assert.rejects(extendCaseStep(database, INSPECTOR, created.id, 'Lần nữa', NOW), { code: 'conflict' });

    // A sanction only at the sanction step.
    const sanction = {
      rule_code: 'unregistered_platform',
      offender_kind: 'organisation',
      offender_name: 'Công ty TNHH Sàn Lậu',
      platform: 'san-lau.test',
      amount_vnd: '45.000.000',
      decision_no: '27/qd-xphc',
      decision_date: '2026-12-02',
      facts: 'Thiết lập sàn giao dịch thương mại điện tử khi chưa được xác nhận đăng ký.',
    };
    await assert.rejects(decideSanction(database, HEAD, created.id, sanction, NOW), { field: 'current_step' });
    await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-20' }, NOW);
    await advanceCase(database, INSPECTOR, created.id, { on: '2026-11-25', document_no: '20/KL-TTr' }, NOW);
    await assert.rejects(
      advanceCase(database, INSPECTOR, created.id, { on: '2026-11-26' }, NOW),
      { field: 'current_step' },
      'the sanction step needs a decision first',
    );
    await assert.rejects(decideSanction(database, HEAD, created.id, { ...sanction, amount_vnd: '30.000.000' }, NOW), {
      field: 'amount_vnd',
      message: /between 40\.000\.000 ₫ and 60\.000\.000 ₫ for an organisation/,
    });
    await assert.rejects(
      decideSanction(
        database,
        HEAD,
        created.id,
        { ...sanction, offender_kind: 'individual', amount_vnd: 45_000_000 },
        NOW,
      ),
      { field: 'amount_vnd' },
    );
    await assert.rejects(decideSanction(database, HEAD, created.id, { ...sanction, decision_no: '27' }, NOW), {
      field: 'decision_no',
    });
    const decided = await decideSanction(database, HEAD, created.id, sanction, NOW);
    assert.deepEqual([decided.decision_no, decided.amount_vnd], ['27/QĐ-XPHC', 45_000_000]);
    assert.match(decided.public_id ?? '', /^ECG-2026-\d{6}$/);
    const published = await database.db
      .selectFrom('published_decisions')
      .selectAll()
      .where('public_id', '=', decided.public_id ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(published.kind, 'sanction');
    assert.match(published.legal_ground, /Nghị định 98\/2020\/NĐ-CP/);
    assert.deepEqual(published.targets[0]?.domains, ['san-lau.test']);
    await assert.rejects(decideSanction(database, HEAD, created.id, sanction, NOW), { field: 'decision_no' });

    await advanceCase(database, HEAD, created.id, { on: '2026-12-02' }, NOW);
    const closed = await advanceCase(database, HEAD, created.id, { on: '2026-12-03' }, NOW);
    assert.equal(closed.status, 'closed');
    const audit = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', created.id)
      .execute();
    assert.ok(
      ['case.create', 'case.link', 'case.advance', 'case.extend', 'case.sanction', 'case.close'].every((action) =>
        audit.some((event) => event.action === action),
      ),
    );
  });

  it('shows the cases on the workbench and takes the forms of the units that may', async () => {
    const officer = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/workbench/cases',
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ _csrf: officer.csrf, title: 'Kho hàng <b>Tân Tạo</b>' }),
    });
    assert.equal(created.statusCode, 303, created.body);
    const location = String(created.headers.location);
    for (const lang of ['vi', 'en']) {
      const page = await testApp.app.inject({
        method: 'GET',
        url: `${location.split('?')[0]}?lang=${lang}`,
        headers: { cookie: officer.cookie },
      });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Kho hàng &lt;b&gt;Tân Tạo&lt;/b&gt;'), 'escaped');
    }
    const refused = await testApp.app.inject({
      method: 'POST',
      url: `${location.split('?')[0]}/advance`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ _csrf: officer.csrf, on: '31/12/2999' }),
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /advance-on-error/);
    const list = await testApp.app.inject({
      method: 'GET',
      url: '/workbench/cases',
      headers: { cookie: officer.cookie },
    });
    assert.match(list.body, /Kho hàng &lt;b&gt;Tân Tạo/);
    const business = await loginAs(testApp.app, await createAccount(testApp.database, { kind: 'business' }));
    assert.equal(
      (await testApp.app.inject({ method: 'GET', url: '/workbench/cases', headers: { cookie: business.cookie } }))
        .statusCode,
      403,
    );
  });

  it('lets an administrator correct a period or a fine from the command line, audited, refusing bad values', async () => {
    const run = (args: string[]) => runCliInProcess(testApp.database, registerCasesCli, args);
    const step = await run([
      'cases',
      'set-step',
      'conclusion',
      '--working-days',
      '15',
      '--status',
      'disputed',
      '--json',
    ]);
    assert.equal(step.code, 0, step.error?.message);
    assert.equal((JSON.parse(step.stdout) as { working_days: number }).working_days, 15);
    const fine = await run([
      'cases',
      'set-fine',
      'fake_notified_logo',
      '--min',
      '6000000',
      '--status',
      'verified',
      '--remedial-vi',
      'Buộc gỡ bỏ biểu tượng (ví dụ trong kiểm thử)',
      '--remedial-en',
      'Removal of the logo (a test example)',
    ]);
    assert.equal(fine.code, 0, fine.error?.message);
    const rule = (await listSanctionRules(testApp.database.db)).find((item) => item.code === 'fake_notified_logo');
    assert.deepEqual(
      [rule?.individual.min_vnd, rule?.source_status, rule?.remedial.en],
      [6_000_000, 'verified', 'Removal of the logo (a test example)'],
    );
    const tooLong = await run(['cases', 'set-fine', 'fake_notified_logo', '--remedial-en', 'x'.repeat(2001)]);
    assert.equal(tooLong.error?.field, 'remedial_en');
    const inverted = await run(['cases', 'set-fine', 'fake_notified_logo', '--min', '90000000']);
    assert.notEqual(inverted.code, 0);
    assert.match(inverted.error?.message ?? '', /minimum exceeds the maximum/);
    assert.notEqual((await run(['cases', 'set-step', 'nope', '--working-days', '3'])).code, 0);
    const audit = await testApp.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'in', ['case_step_rule.set', 'sanction_rule.set'])
      .execute();
    assert.equal(audit.length, 2);
  });
});
