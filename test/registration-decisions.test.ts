import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { registerApplicationsCli } from '../src/modules/applications/index.ts';
import { listAllGrounds, listGroundsInForce } from '../src/modules/applications/legal-grounds.ts';
import { procedureDeadline } from '../src/modules/procedures/index.ts';
import { getStatusHistory } from '../src/modules/registry/index.ts';
import { eventually } from './support/app.ts';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import { createAccount, formBody, loginAs, randomTaxCode, type TestAccount, type TestSession } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * Who decides on a registration (issue 10): the E-Commerce Agency cancels on grounds of Circular 47/2014/TT-BCT
 * Art. 18, confirms a business's termination, and decides the proposals of inspection and market-surveillance units.
 */

/** The grounds the migration loads (cancellation_grounds); a change of the data must show here. */
const GROUNDS = [
  'authority_request',
  'prohibited_acts',
  'false_information',
  'no_response',
  'reporting_failure',
  'sanction_decision',
] as const;

interface Actor {
  account: TestAccount;
  session: TestSession;
}

describe(`decisions on registrations (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let owner: Actor;
  let otherBusiness: Actor;
  let ideaOfficer: Actor;
  let ideaHead: Actor;
  let marketOfficer: Actor;
  let inspector: Actor;
  const ownerTaxCode = randomTaxCode();

  async function actor(options: Parameters<typeof createAccount>[1]): Promise<Actor> {
    const account = await createAccount(env.database, options);
    return { account, session: await loginAs(env.app, account) };
  }

  function post(who: Actor, url: string, fields: Record<string, string | string[]> = {}) {
    return env.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.session.cookie },
      payload: formBody({ ...fields, _csrf: who.session.csrf }),
    });
  }

  function postJson(who: Actor, url: string, body: unknown) {
    return env.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.session.cookie, 'x-csrf-token': who.session.csrf },
      payload: body as Record<string, unknown>,
    });
  }

  function get(who: Actor | undefined, url: string) {
    return env.app.inject({ method: 'GET', url, headers: who ? { cookie: who.session.cookie } : {} });
  }

  let organisationId: string;

  /** A notified sales site of the owner's organisation, straight into the register. */
  async function notifiedPlatform(domain: string): Promise<{ id: string; registrationNo: string }> {
    const registrationNo = `TB-2025-${String(randomInt(10_000, 99_999))}`;
    const row = await env.database.db
      .insertInto('platforms')
      .values({
        registration_no: registrationNo,
        name: `Cửa hàng ${domain}`,
        name_key: `cua hang ${domain}`,
        kind: 'sales',
        status: 'notified',
        cross_border: false,
        organisation_id: organisationId,
        valid_from: '2025-01-02',
        valid_until: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await env.database.db
      .insertInto('platform_identities')
      .values({ kind: 'domain', value: domain, platform_id: row.id, position: 0 })
      .execute();
    return { id: row.id, registrationNo };
  }

  async function statusOf(platformId: string): Promise<string> {
    const row = await env.database.db
      .selectFrom('platforms')
      .select('status')
      .where('id', '=', platformId)
      .executeTakeFirstOrThrow();
    return row.status;
  }

  async function auditOf(entityId: string) {
    return env.database.db
      .selectFrom('audit_events')
      .select(['action', 'changes', 'actor'])
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute();
  }

  before(async () => {
    env = await startApplicationsTestApp([]);
    owner = await actor({ kind: 'business', taxCode: ownerTaxCode, organisationName: 'Công ty CP Ánh Dương' });
    otherBusiness = await actor({ kind: 'business' });
    ideaOfficer = await actor({ kind: 'officer', unitId: 'idea', role: 'officer' });
    ideaHead = await actor({ kind: 'officer', unitId: 'idea', role: 'head' });
    marketOfficer = await actor({ kind: 'officer', unitId: 'market_management', role: 'officer' });
    inspector = await actor({ kind: 'officer', unitId: 'inspectorate', role: 'officer' });
    const organisation = await env.database.db
      .insertInto('organisations')
      .values({ name: 'Công ty CP Ánh Dương', name_key: 'cong ty cp anh duong', tax_code: ownerTaxCode, country: 'VN' })
      .returning('id')
      .executeTakeFirstOrThrow();
    organisationId = organisation.id;
  });
  after(async () => {
    await env?.close();
  });

  it('holds the grounds of cancellation as data citing their provision, dates and source status', async () => {
    const response = await get(ideaOfficer, '/api/v1/cancellation-grounds');
    assert.equal(response.statusCode, 200, response.body);
    const { grounds } = response.json() as {
      grounds: Array<{
        code: string;
        provision: string;
        effective_from: string;
        source_status: string;
        source_url: string;
      }>;
    };
    assert.deepEqual(
      grounds.map((ground) => ground.code),
      [...GROUNDS],
    );
    for (const ground of grounds) {
      assert.match(ground.provision, /Thông tư 47\/2014\/TT-BCT, Điều 18/);
      assert.equal(ground.effective_from, '2015-01-20');
      // Not checked against the official text: the data says so.
      assert.equal(ground.source_status, 'unverified');
      assert.match(ground.source_url, /^https?:\/\//);
    }
  });

  for (const ground of GROUNDS) {
    it(`cancels on the ground ${ground} and records it in the decision, the status history and the audit`, async () => {
      const platform = await notifiedPlatform(`huy-bo-${ground.replaceAll('_', '-')}.vn`);
      const response = await post(ideaHead, `/workbench/platforms/${platform.id}/cancel`, {
        grounds: ground,
        reason: `Hủy bỏ theo căn cứ ${ground}`,
      });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(await statusOf(platform.id), 'revoked');

      const action = await env.database.db
        .selectFrom('registration_actions')
        .select(['action', 'grounds', 'legal_basis', 'actor'])
        .where('platform_id', '=', platform.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(action.grounds, [ground]);
      assert.equal(action.action, 'cancel');
      assert.match(action.legal_basis, /Thông tư 47\/2014\/TT-BCT, Điều 18/);

      const history = await getStatusHistory(env.database.db, platform.id);
      assert.equal(history.at(-1)?.to_status, 'revoked');
      assert.match(history.at(-1)?.reason ?? '', new RegExp(`\\[${ground}\\]`));

      const audit = (await auditOf(platform.id)).at(-1);
      assert.equal(audit?.action, 'registration.cancel');
      assert.deepEqual((audit?.changes as { grounds?: string[] } | undefined)?.grounds, [ground]);

      const page = await get(ideaHead, `/workbench/platforms/${platform.id}`);
      assert.match(page.body, /Đã bị hủy bỏ đăng ký/);
    });
  }

  it('refuses a cancellation without a ground, or on a ground not in force, naming the field and changing nothing', async () => {
    const platform = await notifiedPlatform('khong-can-cu.vn');
    const none = await postJson(ideaHead, `/workbench/platforms/${platform.id}/cancel`, { reason: 'Vi phạm' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /id="cancel-grounds-error"/);
    const unknown = await post(ideaHead, `/workbench/platforms/${platform.id}/cancel?lang=en`, {
      grounds: ['prohibited_acts', 'invented_ground'],
      reason: 'Vi phạm',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /not a ground of cancellation in force: invented_ground/);
    // A free-text legal basis alone is no ground.
    const basisOnly = await post(ideaHead, `/workbench/platforms/${platform.id}/cancel`, {
      reason: 'Vi phạm',
      legal_basis: 'Nghị định 52/2013/NĐ-CP',
    });
    assert.equal(basisOnly.statusCode, 400);
    assert.equal(await statusOf(platform.id), 'notified');
    const actions = await env.database.db
      .selectFrom('registration_actions')
      .select('id')
      .where('platform_id', '=', platform.id)
      .execute();
    assert.deepEqual(actions, []);
  });

  it('terminates at the owner’s request once the E-Commerce Agency confirms; the register and the check say so', async () => {
    const platform = await notifiedPlatform('cham-dut.vn');
    // Another business cannot ask, nor see the page.
    assert.equal((await get(otherBusiness, `/business/platforms/${platform.id}/terminate`)).statusCode, 404);
    const foreign = await postJson(otherBusiness, `/api/v1/platforms/${platform.id}/termination-requests`, {
      note: 'Ngừng hoạt động',
    });
    assert.equal(foreign.statusCode, 404);

    const form = await get(owner, `/business/platforms/${platform.id}/terminate`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Đề nghị chấm dứt thông báo, đăng ký/);
    const empty = await post(owner, `/business/platforms/${platform.id}/terminate`, { note: '' });
    assert.equal(empty.statusCode, 400);
    const asked = await post(owner, `/business/platforms/${platform.id}/terminate`, {
      note: 'Doanh nghiệp ngừng kinh doanh trực tuyến từ 01/12/2026',
    });
    assert.equal(asked.statusCode, 303);
    // One open request at a time.
    const again = await postJson(owner, `/api/v1/platforms/${platform.id}/termination-requests`, { note: 'Lần nữa' });
    assert.equal(again.statusCode, 409);
    assert.equal(await statusOf(platform.id), 'notified');

    const queue = await get(ideaOfficer, '/api/v1/registration-requests');
    const request = (
      queue.json() as {
        requests: Array<{
          id: string;
          platform_id: string;
          kind: string;
          requested_by: string;
          created_at: string;
          due_on: string | null;
          deadline_status: string | null;
        }>;
      }
    ).requests.find((item) => item.platform_id === platform.id);
    assert.ok(request);
    assert.equal(request.kind, 'termination');
    // The Agency's clock is the table of procedures' `termination` period, counted from the filing.
    const expected = await procedureDeadline(env.database.db, 'termination', new Date(request.created_at));
    assert.equal(request.due_on, expected.dueOn);
    assert.equal(request.deadline_status, 'on_time');
    const list = await get(ideaOfficer, '/workbench/registration-requests');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /cham-dut\.vn|Cửa hàng cham-dut\.vn/);

    // An officer of the Agency confirms terminations.
    const accepted = await post(ideaOfficer, `/workbench/registration-requests/${request.id}/accept`, {});
    assert.equal(accepted.statusCode, 303, accepted.body);
    assert.equal(await statusOf(platform.id), 'terminated');
    const history = await getStatusHistory(env.database.db, platform.id);
    assert.deepEqual([history.at(-1)?.from_status, history.at(-1)?.to_status], ['notified', 'terminated']);
    const audit = (await auditOf(platform.id)).at(-1);
    assert.equal(audit?.action, 'registration.terminate');
    assert.equal((audit?.changes as { request_id?: string } | undefined)?.request_id, request.id);

    await eventually(async () => {
      const check = (await get(undefined, '/api/v1/check?input=cham-dut.vn')).json() as {
        verdict: string;
        platform: { status: string };
        explanation: { vi: string; en: string };
      };
      assert.equal(check.verdict, 'revoked');
      assert.equal(check.platform.status, 'terminated');
      assert.match(check.explanation.vi, /đã chấm dứt/);
      assert.match(check.explanation.en, /terminated at its owner’s request/);
    });
    const badge = (
      await get(undefined, `/api/v1/badge/verify?registration_no=${platform.registrationNo}&domain=cham-dut.vn`)
    ).json() as { valid: boolean; reason: string; message: { vi: string } };
    assert.deepEqual([badge.valid, badge.reason], [false, 'revoked']);
    assert.match(badge.message.vi, /chấm dứt hoạt động/);
    const page = await get(owner, `/business/platforms/${platform.id}/terminate`);
    assert.match(page.body, /Đã chấm dứt hoạt động/);
    assert.match(page.body, /Đã chấp thuận/);
  });

  it('lets market surveillance and inspection propose, not cancel; the Agency’s head accepts with the proposer recorded', async () => {
    const platform = await notifiedPlatform('de-xuat-huy.vn');
    // The proposer cannot decide itself.
    const direct = await post(marketOfficer, `/workbench/platforms/${platform.id}/cancel`, {
      grounds: 'prohibited_acts',
      reason: 'Bán hàng cấm',
    });
    assert.equal(direct.statusCode, 403);
    assert.equal((await post(inspector, `/workbench/platforms/${platform.id}/suspend`, {})).statusCode, 403);

    const groundless = await post(marketOfficer, `/workbench/platforms/${platform.id}/proposals?lang=en`, {
      kind: 'cancellation',
      note: 'Bán hàng cấm',
    });
    assert.equal(groundless.statusCode, 400);
    assert.match(groundless.body, /id="propose-grounds-error"/);

    const proposed = await post(marketOfficer, `/workbench/platforms/${platform.id}/proposals`, {
      kind: 'cancellation',
      grounds: ['prohibited_acts', 'sanction_decision'],
      note: 'Kinh doanh hàng cấm qua website',
      evidence: 'Biên bản kiểm tra số 12/BB-QLTT',
    });
    assert.equal(proposed.statusCode, 303, proposed.body);
    assert.equal(await statusOf(platform.id), 'notified');

    const [proposal] = await env.database.db
      .selectFrom('registration_requests')
      .selectAll()
      .where('platform_id', '=', platform.id)
      .execute();
    assert.ok(proposal);
    assert.deepEqual(
      [proposal.kind, proposal.status, proposal.requester_unit, proposal.grounds],
      ['cancellation', 'pending', 'market_management', ['prohibited_acts', 'sanction_decision']],
    );

    // The Agency sees it on the platform's record; only its head decides a cancellation.
    const record = await get(ideaHead, `/workbench/platforms/${platform.id}`);
    assert.match(record.body, /Biên bản kiểm tra số 12\/BB-QLTT/);
    assert.match(record.body, new RegExp(`/workbench/registration-requests/${proposal.id}/accept`));
    const byOfficer = await post(ideaOfficer, `/workbench/registration-requests/${proposal.id}/accept`, {});
    assert.equal(byOfficer.statusCode, 403);
    assert.equal(
      (await post(marketOfficer, `/workbench/registration-requests/${proposal.id}/accept`, {})).statusCode,
      403,
    );

    const accepted = await post(ideaHead, `/workbench/registration-requests/${proposal.id}/accept`, {
      reason: 'Đồng ý đề xuất',
    });
    assert.equal(accepted.statusCode, 303, accepted.body);
    assert.equal(await statusOf(platform.id), 'revoked');
    const action = await env.database.db
      .selectFrom('registration_actions')
      .select(['action', 'grounds', 'request_id', 'actor'])
      .where('platform_id', '=', platform.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [action.action, action.grounds, action.request_id, action.actor],
      ['cancel', ['prohibited_acts', 'sanction_decision'], proposal.id, `user:${ideaHead.account.id}`],
    );
    const decision = (await auditOf(platform.id)).at(-1);
    assert.equal(decision?.action, 'registration.cancel');
    const changes = decision?.changes as { requested_by?: string; requester_unit?: string } | undefined;
    assert.deepEqual([changes?.requested_by, changes?.requester_unit], [proposal.requested_by, 'market_management']);
    const proposalAudit = await auditOf(proposal.id);
    assert.equal(proposalAudit[0]?.action, 'registration_request.cancellation');
    // Decided once only.
    assert.equal((await post(ideaHead, `/workbench/registration-requests/${proposal.id}/accept`, {})).statusCode, 409);
  });

  it('declines a proposal with its reason and leaves the register as it was', async () => {
    const platform = await notifiedPlatform('de-xuat-dinh-chi.vn');
    const proposed = await postJson(inspector, `/api/v1/platforms/${platform.id}/proposals`, {
      kind: 'suspension',
      grounds: [],
      note: 'Nghi vấn bán hàng giả',
    });
    assert.equal(proposed.statusCode, 201, proposed.body);
    const { id } = proposed.json() as { id: string };
    const noReason = await post(ideaHead, `/workbench/registration-requests/${id}/decline`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    const declined = await postJson(ideaHead, `/api/v1/registration-requests/${id}/decision`, {
      decision: 'decline',
      reason: 'Chưa đủ chứng cứ',
    });
    assert.equal(declined.statusCode, 200, declined.body);
    assert.deepEqual(
      [
        (declined.json() as { status: string }).status,
        (declined.json() as { decision_reason: string }).decision_reason,
      ],
      ['declined', 'Chưa đủ chứng cứ'],
    );
    assert.equal(await statusOf(platform.id), 'notified');
    const audit = await auditOf(id);
    assert.deepEqual(
      audit.map((event) => event.action),
      ['registration_request.suspension', 'registration_request.decline'],
    );
  });

  it('accepts a proposal to suspend only with the deciding head’s legal basis', async () => {
    const platform = await notifiedPlatform('dinh-chi-co-can-cu.vn');
    const proposed = await postJson(marketOfficer, `/api/v1/platforms/${platform.id}/proposals`, {
      kind: 'suspension',
      grounds: [],
      note: 'Quảng cáo sai sự thật',
      evidence: 'Biên bản 7/BB',
    });
    assert.equal(proposed.statusCode, 201, proposed.body);
    const { id } = proposed.json() as { id: string };
    const noBasis = await postJson(ideaHead, `/api/v1/registration-requests/${id}/decision`, { decision: 'accept' });
    assert.equal(noBasis.statusCode, 400);
    assert.match(noBasis.body, /legal_basis/);
    const accepted = await postJson(ideaHead, `/api/v1/registration-requests/${id}/decision`, {
      decision: 'accept',
      legal_basis: 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP)',
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(await statusOf(platform.id), 'suspended');
  });
});

describe(`ecomgov grounds (${testDatabaseKind})`, () => {
  let database: Database;
  const run = (args: string[]) => runCliInProcess(database, registerApplicationsCli, args);

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database?.close();
  });

  it('lists the grounds and lets an administrator verify, correct or add one, audited', async () => {
    const listed = await run(['grounds', 'list', '--kind', 'cancellation', '--json']);
    assert.equal(listed.code, 0, listed.error?.message);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { grounds: { cancellation: Array<{ code: string }> } }).grounds.cancellation.map(
        (ground) => ground.code,
      ),
      [...GROUNDS],
    );

    const verified = await run([
      'grounds',
      'set',
      'prohibited_acts',
      '--kind',
      'cancellation',
      '--status',
      'verified',
      '--provision',
      'Thông tư 47/2014/TT-BCT, Điều 18, khoản 1',
      '--source-url',
      'https://vbpl.vn/example',
    ]);
    assert.equal(verified.code, 0, verified.error?.message);
    const changed = (await listAllGrounds(database.db, 'cancellation')).find(
      (ground) => ground.code === 'prohibited_acts',
    );
    assert.deepEqual(
      [changed?.source_status, changed?.provision, changed?.source_url],
      ['verified', 'Thông tư 47/2014/TT-BCT, Điều 18, khoản 1', 'https://vbpl.vn/example'],
    );

    // A ground no longer in force is not offered today, and a new one needs its provision, labels and source.
    assert.equal(
      (await run(['grounds', 'set', 'no_response', '--kind', 'cancellation', '--effective-to', '2020-12-31'])).code,
      0,
    );
    const today = await listGroundsInForce(database.db, 'cancellation', new Date('2026-12-04T05:00:00Z'));
    assert.ok(!today.some((ground) => ground.code === 'no_response'));
    const incomplete = await run([
      'grounds',
      'set',
      'new_ground',
      '--kind',
      'cancellation',
      '--label-vi',
      'Căn cứ mới',
    ]);
    assert.equal(incomplete.code, 2);
    assert.equal(incomplete.error?.field, 'provision');
    const badDay = await run([
      'grounds',
      'set',
      'prohibited_acts',
      '--kind',
      'cancellation',
      '--effective-from',
      '20/01/2015',
    ]);
    assert.equal(badDay.code, 2);
    assert.equal(badDay.error?.field, 'effective_from');
    const badStatus = await run(['grounds', 'set', 'prohibited_acts', '--kind', 'cancellation', '--status', 'maybe']);
    assert.equal(badStatus.code, 2);
    assert.equal(badStatus.error?.field, '--status');
    const noKind = await run(['grounds', 'set', 'prohibited_acts', '--status', 'verified']);
    assert.equal(noKind.code, 2);

    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'cancellation_ground')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((event) => [event.action, event.entity_id]),
      [
        ['cancellation_ground.update', 'prohibited_acts'],
        ['cancellation_ground.update', 'no_response'],
      ],
    );
  });

  it('keeps the grounds of refusal and of a foreign platform the same way: marked disputed, closed, added', async () => {
    const before = await run(['grounds', 'list', '--json']);
    const all = JSON.parse(before.stdout) as {
      grounds: Record<string, Array<{ code: string; source_status: string }>>;
    };
    assert.deepEqual(Object.keys(all.grounds), ['cancellation', 'refusal', 'foreign_platform', 'annual_report_field']);
    assert.deepEqual(
      all.grounds.foreign_platform?.map((ground) => ground.code),
      ['vn_domain', 'vietnamese_language', 'vn_transactions'],
    );
    // Read in secondary sources only: not verified.
    assert.ok(all.grounds.foreign_platform?.every((ground) => ground.source_status === 'unverified'));

    const disputed = await run([
      'grounds',
      'set',
      'vn_transactions',
      '--kind',
      'foreign_platform',
      '--status',
      'disputed',
      '--note',
      'Một nguồn ghi 100.000 giao dịch, nguồn khác ghi khác: cần đối chiếu.',
    ]);
    assert.equal(disputed.code, 0, disputed.error?.message);
    const foreign = await listGroundsInForce(database.db, 'foreign_platform');
    const changed = foreign.find((ground) => ground.code === 'vn_transactions');
    assert.equal(changed?.source_status, 'disputed');
    assert.match(changed?.note ?? '', /cần đối chiếu/);

    const added = await run([
      'grounds',
      'set',
      'false_documents',
      '--kind',
      'refusal',
      '--label-vi',
      'Hồ sơ có thông tin giả mạo',
      '--label-en',
      'The application contains forged information',
      '--provision',
      'Thông tư 47/2014/TT-BCT (điều khoản cần đối chiếu)',
      '--source-url',
      'https://vbpl.vn/example-refusal',
      '--effective-from',
      '2015-01-20',
    ]);
    assert.equal(added.code, 0, added.error?.message);
    const refusal = await listGroundsInForce(database.db, 'refusal');
    const created = refusal.at(-1);
    assert.equal(created?.code, 'false_documents');
    // A new ground is unverified until an administrator says otherwise.
    assert.equal(created?.source_status, 'unverified');

    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'entity_type', 'entity_id'])
      .where('entity_type', 'in', ['foreign_platform_ground', 'refusal_ground'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((event) => [event.action, event.entity_id]),
      [
        ['foreign_platform_ground.update', 'vn_transactions'],
        ['refusal_ground.create', 'false_documents'],
      ],
    );
  });
});
