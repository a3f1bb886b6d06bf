import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditChain } from '../src/core/audit.ts';
import { createMailer } from '../src/core/mail.ts';
import { deliverDueMail } from '../src/core/mail-outbox.ts';
import { parseApplicationForm } from '../src/modules/applications/applications.schemas.ts';
import { fileApplication } from '../src/modules/applications/filing.service.ts';
import { createApplicationsContext, createApplicationsJobs } from '../src/modules/applications/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { eventually } from './support/app.ts';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import { createAccount, formBody, loginAs, randomTaxCode, type TestAccount, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

const SITE_DOMAINS = [
  'binhminh-books.vn',
  'binhminh-books.com.vn',
  'cho-phien.vn',
  'nhap-sai.vn',
  'bo-sung.vn',
  'tu-choi.vn',
  'han-a.vn',
  'han-b.vn',
  'han-c.vn',
  'gui-lai.vn',
];

const BUSINESS_TAX_CODE = '0309532909';

interface Actor {
  account: TestAccount;
  session: TestSession;
}

describe(`applications and the badge (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let business: Actor;
  let otherBusiness: Actor;
  let officer: Actor;
  let ideaHead: Actor;
  let marketHead: Actor;
  let legalViewer: Actor;

  async function actor(options: Parameters<typeof createAccount>[1]): Promise<Actor> {
    const account = await createAccount(env.database, options);
    return { account, session: await loginAs(env.app, account) };
  }

  function post(who: Actor | undefined, url: string, fields: Record<string, string | string[]> = {}, csrf = true) {
    return env.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(who ? { cookie: who.session.cookie } : {}),
      },
      payload: formBody({ ...fields, ...(who && csrf ? { _csrf: who.session.csrf } : {}) }),
    });
  }

  function get(who: Actor | undefined, url: string, headers: Record<string, string> = {}) {
    return env.app.inject({
      method: 'GET',
      url,
      headers: { ...headers, ...(who ? { cookie: who.session.cookie } : {}) },
    });
  }

  function form(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      kind: 'sales',
      site_name: 'Nhà Sách Bình Minh',
      org_name: 'Công ty CP Bình Minh',
      tax_code: BUSINESS_TAX_CODE,
      country: 'VN',
      head_office_address: '12 Lê Lợi, Quận 1, TP Hồ Chí Minh',
      responsible_person: 'Trần Thị Bình',
      responsible_phone: '0912 345 678',
      contact_email: 'binh@binhminh-books.vn',
      primary_domain: 'binhminh-books.vn',
      other_domains: '',
      goods_categories: 'Sách\nVăn phòng phẩm',
      ...overrides,
    };
  }

  async function file(overrides: Record<string, string> = {}): Promise<string> {
    const response = await post(business, '/business/applications', form(overrides));
    assert.equal(response.statusCode, 303, response.body.slice(0, 2000));
    const id = /\/business\/applications\/([0-9a-f-]{36})/.exec(response.headers.location as string)?.[1];
    assert.ok(id);
    return id;
  }

  async function application(id: string) {
    const response = await get(officer, `/api/v1/applications/${id}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as {
      reference: string;
      status: string;
      verification_token: string;
      due_on: string;
      received_at: string;
      deadline_status: string | null;
      registration_no: string | null;
      platform_id: string | null;
      revision: number;
      domains: Array<{ domain: string; verified: boolean; verified_by: string | null }>;
    };
  }

  async function proveByWeb(id: string, domain: string) {
    env.sites.tokens.set(domain, (await application(id)).verification_token);
  }

  async function verify(query: string) {
    const response = await get(undefined, `/api/v1/badge/verify?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { valid: boolean; reason: string; status: string | null };
  }

  async function auditActions(entityId: string): Promise<string[]> {
    const rows = await env.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => row.action);
  }

  before(async () => {
    env = await startApplicationsTestApp(SITE_DOMAINS);
    business = await actor({ kind: 'business', taxCode: BUSINESS_TAX_CODE, organisationName: 'Công ty CP Bình Minh' });
    otherBusiness = await actor({ kind: 'business' });
    officer = await actor({ kind: 'officer', unitId: 'idea', role: 'officer' });
    ideaHead = await actor({ kind: 'officer', unitId: 'idea', role: 'head' });
    marketHead = await actor({ kind: 'officer', unitId: 'market_management', role: 'head' });
    legalViewer = await actor({ kind: 'officer', unitId: 'legal', role: 'viewer' });
  });
  after(async () => {
    await env?.close();
  });

  let notificationId: string;
  let registrationNo: string;
  let platformId: string;

  it('files a notification, e-mails the receipt and records the filing in the audit trail', async () => {
    notificationId = await file({ other_domains: 'www.binhminh-books.com.vn' });
    const filed = await application(notificationId);
    assert.equal(filed.status, 'submitted');
    assert.match(filed.reference, /^HS-\d{4}-\d{6}$/);
    assert.deepEqual(
      filed.domains.map((domain) => domain.domain),
      ['binhminh-books.vn', 'binhminh-books.com.vn'],
    );
    const mail = await env.smtp.waitFor((message) => message.subject.includes(filed.reference));
    assert.deepEqual(mail.to, ['binh@binhminh-books.vn']);
    assert.match(mail.subject, /Đã tiếp nhận hồ sơ \/ Application received/);
    assert.match(mail.text, /3 ngày làm việc/);
    assert.match(mail.text, new RegExp(`http://portal.test/business/applications/${notificationId}`));
    assert.deepEqual(await auditActions(notificationId), ['application.submit']);

    const page = await get(business, `/business/applications/${notificationId}?done=filed`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(filed.verification_token));
    assert.match(page.body, /\/\.well-known\/ecomgov-verification\.txt/);
  });

  it('shows every problem of an invalid form beside its field and stores nothing', async () => {
    const before = await env.database.db
      .selectFrom('applications')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const response = await post(
      business,
      '/business/applications',
      form({ primary_domain: 'nhap-sai', tax_code: '0309532901', responsible_phone: 'abc', goods_categories: '' }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /class="error-summary"/);
    for (const field of ['primary_domain', 'tax_code', 'responsible_phone', 'goods_categories']) {
      assert.match(response.body, new RegExp(`id="${field}-error"`), field);
      assert.match(response.body, new RegExp(`href="#${field}"`), field);
    }
    assert.match(response.body, /Mã số doanh nghiệp không hợp lệ/);
    // What was typed stays in the form.
    assert.match(response.body, /value="nhap-sai"/);
    const afterCount = await env.database.db
      .selectFrom('applications')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it('refuses a tax code that is not the organisation of the account', async () => {
    const response = await post(
      business,
      '/business/applications',
      form({ tax_code: '0106773786', primary_domain: 'nhap-sai.vn' }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /0309532909/);
  });

  it('refuses a domain that is already in an open application of the business', async () => {
    const response = await post(business, '/business/applications', form({ primary_domain: 'binhminh-books.vn' }));
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /binhminh-books\.vn/);
  });

  it('does not approve before control of every domain is proved', async () => {
    const response = await post(officer, `/workbench/applications/${notificationId}/approve`, { note: '' });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /Chưa chứng minh quyền quản lý binhminh-books\.vn, binhminh-books\.com\.vn/);
    assert.equal((await application(notificationId)).status, 'submitted');
  });

  it('proves one domain by the token file and another by a DNS TXT record', async () => {
    await proveByWeb(notificationId, 'binhminh-books.vn');
    let response = await post(business, `/business/applications/${notificationId}/check-domains`);
    assert.equal(response.statusCode, 303);
    let checked = await application(notificationId);
    assert.deepEqual(
      checked.domains.map((domain) => [domain.domain, domain.verified, domain.verified_by]),
      [
        ['binhminh-books.vn', true, 'http'],
        ['binhminh-books.com.vn', false, null],
      ],
    );
    // The applicant learns why the check failed; what it met (the address and port reached) is the officers'.
    const page = await get(business, `/business/applications/${notificationId}`);
    assert.match(page.body, /Tệp xác minh không có mã xác minh; không tìm thấy bản ghi DNS TXT có mã xác minh/);
    assert.doesNotMatch(page.body, new RegExp(`127\\.0\\.0\\.1|:${env.sites.port}\\b|HTTP 404`));
    const officerPage = await get(officer, `/workbench/applications/${notificationId}`);
    assert.match(officerPage.body, /no TXT record on binhminh-books\.com\.vn/);

    env.txt.set('binhminh-books.com.vn', [[`ecomgov-verification=${checked.verification_token}`]]);
    response = await post(officer, `/workbench/applications/${notificationId}/check-domains`);
    assert.equal(response.statusCode, 303);
    checked = await application(notificationId);
    assert.deepEqual(
      checked.domains.map((domain) => domain.verified_by),
      ['http', 'dns'],
    );
    assert.deepEqual(await auditActions(notificationId), [
      'application.submit',
      'application.check_domains',
      'application.check_domains',
    ]);
  });

  it('approves: issues a TB number, writes the register, e-mails the applicant; the record, check and badge follow', async () => {
    const response = await post(officer, `/workbench/applications/${notificationId}/approve`, { note: 'Hồ sơ đầy đủ' });
    assert.equal(response.statusCode, 303, response.body.slice(0, 1000));
    const approved = await application(notificationId);
    assert.equal(approved.status, 'approved');
    assert.match(approved.registration_no ?? '', /^TB-\d{4}-\d{5}$/);
    registrationNo = approved.registration_no as string;
    platformId = approved.platform_id as string;

    const platform = await env.database.db
      .selectFrom('platforms')
      .select(['status', 'kind', 'valid_until', 'valid_from'])
      .where('id', '=', platformId)
      .executeTakeFirstOrThrow();
    assert.deepEqual([platform.status, platform.kind, platform.valid_until], ['notified', 'sales', null]);

    const record = await get(undefined, `/r/${registrationNo}`);
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /binhminh-books\.vn/);
    assert.match(record.body, /binhminh-books\.com\.vn/);
    assert.match(record.body, new RegExp(`Xác nhận hồ sơ ${approved.reference} \\(application approved\\)`));

    const mail = await env.smtp.waitFor((message) => message.subject.includes(registrationNo));
    assert.match(mail.text, new RegExp(`http://portal.test/r/${registrationNo}`));
    assert.deepEqual(await auditActions(notificationId), [
      'application.submit',
      'application.check_domains',
      'application.check_domains',
      'application.approve',
    ]);

    await eventually(async () => {
      const check = (await get(undefined, '/api/v1/check?input=https://m.binhminh-books.vn/sach')).json() as {
        verdict: string;
      };
      assert.equal(check.verdict, 'notified');
    });

    const onItsDomain = await verify(`registration_no=${registrationNo}&domain=binhminh-books.vn`);
    assert.deepEqual([onItsDomain.valid, onItsDomain.reason, onItsDomain.status], [true, 'valid', 'notified']);
    assert.equal(
      (await verify(`registration_no=${registrationNo}&domain=https://m.binhminh-books.com.vn/x`)).valid,
      true,
    );
    const elsewhere = await verify(`registration_no=${registrationNo}&domain=copycat-books.vn`);
    assert.deepEqual([elsewhere.valid, elsewhere.reason], [false, 'domain_not_covered']);
    assert.equal((await verify(`registration_no=TB-1999-99999&domain=binhminh-books.vn`)).reason, 'unknown_number');
  });

  it('shows the approved business its badge snippet with the portal URL', async () => {
    const page = await get(business, `/business/applications/${notificationId}`);
    assert.match(
      page.body,
      new RegExp(
        `&lt;a href=&quot;http://portal.test/r/${registrationNo}&quot;&gt;&lt;img src=&quot;http://portal.test/badge/${registrationNo}.svg&quot;`,
      ),
    );
    const record = await get(business, `/r/${registrationNo}`);
    assert.match(record.body, /id="owner-badge"/);
    const anonymousRecord = await get(undefined, `/r/${registrationNo}`);
    assert.doesNotMatch(anonymousRecord.body, /id="owner-badge"/);
  });

  it('registers a platform with a DK number valid for five years', async () => {
    const id = await file({
      kind: 'marketplace',
      site_name: 'Chợ Phiên',
      primary_domain: 'cho-phien.vn',
      android_apps: 'vn.chophien.app',
      goods_categories: 'Thời trang',
    });
    env.txt.set('cho-phien.vn', [[`ecomgov-verification=${(await application(id)).verification_token}`]]);
    assert.equal((await post(officer, `/workbench/applications/${id}/check-domains`)).statusCode, 303);
    assert.equal((await post(ideaHead, `/workbench/applications/${id}/approve`)).statusCode, 303);
    const approved = await application(id);
    assert.match(approved.registration_no ?? '', /^DK-\d{4}-\d{5}$/);
    const platform = await env.database.db
      .selectFrom('platforms')
      .select(['status', 'valid_from', 'valid_until'])
      .where('id', '=', approved.platform_id as string)
      .executeTakeFirstOrThrow();
    assert.equal(platform.status, 'registered');
    // No validity term: neither Decree 52/2013 nor Circular 47/2014 gives a registration one (issue 10).
    assert.equal(platform.valid_until, null);
  });

  it('takes over the register entry of a known unregistered platform when it is approved', async () => {
    await importRegistryRows(
      env.database,
      [
        {
          line: 2,
          registrationNo: null,
          name: 'Sàn Chưa Đăng Ký',
          kind: 'marketplace',
          status: 'unregistered',
          crossBorder: false,
          domains: ['chua-dang-ky.vn'],
          androidApps: [],
          iosApps: [],
          orgName: null,
          taxCode: null,
          validUntil: null,
          legacyId: null,
        },
      ],
      { actor: 'test' },
    );
    const known = await env.database.db
      .selectFrom('platforms')
      .select('id')
      .where('name', '=', 'Sàn Chưa Đăng Ký')
      .executeTakeFirstOrThrow();
    const id = await file({ kind: 'marketplace', site_name: 'Sàn Nay Đã Đăng Ký', primary_domain: 'chua-dang-ky.vn' });
    env.txt.set('chua-dang-ky.vn', [[`ecomgov-verification=${(await application(id)).verification_token}`]]);
    await post(officer, `/workbench/applications/${id}/check-domains`);
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 303);
    const approved = await application(id);
    assert.equal(approved.platform_id, known.id);
    const history = await env.database.db
      .selectFrom('platform_status_history')
      .select(['from_status', 'to_status'])
      .where('platform_id', '=', known.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((change) => [change.from_status, change.to_status]),
      [
        [null, 'unregistered'],
        ['unregistered', 'registered'],
      ],
    );
  });

  it("never rewrites another organisation's name or address from a filing that names its tax code", async () => {
    // A platform abroad filed by its representative in Vietnam (the business) names, as its owner, an organisation
    // the register already holds: a separate legal entity, which the approval only refers to.
    const otherTaxCode = randomTaxCode();
    await importRegistryRows(
      env.database,
      [
        registryRow({
          name: 'Sàn Của Chủ Thật',
          kind: 'marketplace',
          status: 'registered',
          orgName: 'Công ty TNHH Chủ Thật',
          taxCode: otherTaxCode,
          domains: ['chu-that.vn'],
        }),
      ],
      { actor: 'test' },
    );
    await env.database.db
      .updateTable('organisations')
      .set({ address: '1 Tràng Tiền, Hoàn Kiếm, Hà Nội' })
      .where('tax_code', '=', otherTaxCode)
      .execute();
    const id = await file({
      kind: 'marketplace',
      site_name: 'Sàn Mạo Danh',
      primary_domain: 'mao-danh.vn',
      country: 'SG',
      org_name: 'Impostor Holdings Pte Ltd',
      tax_code: otherTaxCode,
      head_office_address: '9 Raffles Place, Singapore',
      vn_representative_kind: 'legal_entity',
      vn_representative_name: 'Công ty CP Bình Minh',
      vn_representative_tax_code: BUSINESS_TAX_CODE,
      vn_representative_address: '12 Lê Lợi, Quận 1, TP Hồ Chí Minh',
    });
    env.txt.set('mao-danh.vn', [[`ecomgov-verification=${(await application(id)).verification_token}`]]);
    await post(officer, `/workbench/applications/${id}/check-domains`);
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 303);

    const other = await env.database.db
      .selectFrom('organisations')
      .select(['id', 'name', 'address', 'country', 'vn_representative'])
      .where('tax_code', '=', otherTaxCode)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { name: other.name, address: other.address, country: other.country, vn_representative: other.vn_representative },
      {
        name: 'Công ty TNHH Chủ Thật',
        address: '1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
        country: 'VN',
        vn_representative: null,
      },
    );
    const platform = await env.database.db
      .selectFrom('platforms')
      .select('organisation_id')
      .where('id', '=', (await application(id)).platform_id as string)
      .executeTakeFirstOrThrow();
    assert.equal(platform.organisation_id, other.id);
    const approval = await env.database.db
      .selectFrom('audit_events')
      .select('changes')
      .where('entity_id', '=', id)
      .where('action', '=', 'application.approve')
      .executeTakeFirstOrThrow();
    assert.equal((approval.changes as { organisation: string }).organisation, 'referenced');
  });

  it('refuses to file a domain that a current registration of another platform holds', async () => {
    const response = await post(otherBusiness, '/business/applications', {
      ...form({ primary_domain: 'cho-phien.vn', site_name: 'Chợ Phiên Giả' }),
      org_name: 'Công ty khác',
      tax_code: (
        await env.database.db
          .selectFrom('account_organisations')
          .select('tax_code')
          .where('id', '=', otherBusiness.account.organisationId as string)
          .executeTakeFirstOrThrow()
      ).tax_code,
    });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /cho-phien\.vn đã thuộc &quot;Chợ Phiên&quot;/);
  });

  it('asks for supplements, e-mails what is missing, and restarts the 3-day clock on resubmission', async () => {
    env.clock.now = new Date('2025-03-03T10:00:00+07:00');
    const id = await file({ site_name: 'Bổ Sung Shop', primary_domain: 'bo-sung.vn' });
    let current = await application(id);
    assert.equal(current.due_on, '2025-03-06');
    await proveByWeb(id, 'bo-sung.vn');
    await post(business, `/business/applications/${id}/check-domains`);

    const asked = await post(officer, `/workbench/applications/${id}/request-supplement`, {
      missing: 'Thiếu quy chế hoạt động và điều khoản bảo vệ dữ liệu cá nhân.',
    });
    assert.equal(asked.statusCode, 303);
    const mail = await env.smtp.waitFor(
      (message) => message.subject.includes(current.reference) && /bổ sung/i.test(message.subject),
    );
    assert.match(mail.text, /Thiếu quy chế hoạt động/);
    const page = await get(business, `/business/applications/${id}`);
    assert.match(page.body, /Thiếu quy chế hoạt động/);
    assert.match(page.body, new RegExp(`/business/applications/${id}/resubmit`));

    // An officer cannot approve while supplements are awaited.
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 409);

    env.clock.now = new Date('2025-03-07T16:30:00+07:00');
    const amendPage = await get(business, `/business/applications/${id}/resubmit`);
    assert.equal(amendPage.statusCode, 200);
    assert.match(amendPage.body, /value="bo-sung\.vn"/);
    const resubmitted = await post(business, `/business/applications/${id}/resubmit`, {
      ...formValues(amendPage.body),
      goods_categories: 'Đồ gia dụng',
    });
    assert.equal(resubmitted.statusCode, 303, resubmitted.body.slice(0, 2000));
    current = await application(id);
    assert.equal(current.status, 'submitted');
    assert.equal(current.revision, 2);
    assert.equal(current.received_at, new Date('2025-03-07T16:30:00+07:00').toISOString());
    assert.equal(current.due_on, '2025-03-12');
    // The domain already proved stays proved.
    assert.equal(current.domains[0]?.verified, true);
    await env.smtp.waitFor(
      (message) =>
        message.subject.includes(current.reference) &&
        /bổ sung/.test(message.subject) &&
        /Supplemented/.test(message.subject),
    );
    assert.deepEqual(await auditActions(id), [
      'application.submit',
      'application.check_domains',
      'application.request_supplement',
      'application.resubmit',
    ]);
    env.clock.now = undefined;
  });

  it('rejects with reasons and e-mails them', async () => {
    const id = await file({ site_name: 'Từ Chối Shop', primary_domain: 'tu-choi.vn' });
    const empty = await post(officer, `/workbench/applications/${id}/reject`, { reasons: '  ' });
    assert.equal(empty.statusCode, 400);
    const response = await post(officer, `/workbench/applications/${id}/reject`, {
      reasons: 'Tên miền không thuộc quyền quản lý của doanh nghiệp.',
    });
    assert.equal(response.statusCode, 303);
    const rejected = await application(id);
    assert.equal(rejected.status, 'rejected');
    const mail = await env.smtp.waitFor(
      (message) => message.subject.includes(rejected.reference) && /rejected/.test(message.subject),
    );
    assert.match(mail.text, /Tên miền không thuộc quyền quản lý/);
  });

  it('orders the queue by deadline and tells on time, due today and overdue apart, in Vietnam time', async () => {
    const at = async (time: string, domain: string) => {
      env.clock.now = new Date(time);
      return (await application(await file({ site_name: `Hạn ${domain}`, primary_domain: domain }))).reference;
    };
    const late = await at('2025-03-03T10:00:00+07:00', 'han-a.vn'); // due Thu 06/03
    const today = await at('2025-03-05T10:00:00+07:00', 'han-b.vn'); // due Mon 10/03
    const early = await at('2025-03-07T23:59:00+07:00', 'han-c.vn'); // Friday night: due Wed 12/03
    env.clock.now = new Date('2025-03-10T00:00:00+07:00');
    const response = await get(officer, '/api/v1/applications?status=submitted&limit=200');
    assert.equal(response.statusCode, 200);
    const queue = (
      response.json() as { applications: Array<{ reference: string; due_on: string; deadline_status: string }> }
    ).applications;
    const ours = queue.filter((item) => [late, today, early].includes(item.reference));
    assert.deepEqual(
      ours.map((item) => [item.reference, item.due_on, item.deadline_status]),
      [
        [late, '2025-03-06', 'overdue'],
        [today, '2025-03-10', 'due_today'],
        [early, '2025-03-12', 'on_time'],
      ],
    );
    const page = await get(officer, '/workbench/applications');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`data-reference="${late}" data-deadline="overdue"`));
    assert.match(page.body, new RegExp(`data-reference="${today}" data-deadline="due_today"`));
    assert.ok(
      page.body.indexOf(late) < page.body.indexOf(today) && page.body.indexOf(today) < page.body.indexOf(early),
    );
  });

  it('reminds the reviewing officers of applications due today or overdue', async () => {
    const jobs = createApplicationsJobs({
      SMTP_URL: env.smtp.url,
      PORTAL_URL: env.portalUrl,
      now: () => new Date('2025-03-10T08:00:00+07:00'),
      log: { warn() {} },
    });
    const reminder = jobs.find((job) => job.name === 'applications-deadline-reminder');
    assert.ok(reminder);
    await reminder.handler({}, env.database);
    const mail = await env.smtp.waitFor((message) => message.subject.startsWith('Hồ sơ đến hạn xem xét'));
    assert.ok(mail.to.includes(officer.account.email));
    assert.ok(mail.to.includes(ideaHead.account.email));
    assert.ok(!mail.to.includes(marketHead.account.email));
    assert.match(mail.text, /QUÁ HẠN \/ OVERDUE/);
    assert.match(mail.text, /ĐẾN HẠN HÔM NAY \/ DUE TODAY/);
    env.clock.now = undefined;
  });

  it('lets only heads of the E-Commerce Agency suspend or cancel; suspension and cancellation take effect at once', async () => {
    const fields = {
      reason: 'Bán hàng giả',
      legal_basis: 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP)',
    };
    // Market surveillance proposes; it does not suspend or cancel.
    assert.equal((await post(marketHead, `/workbench/platforms/${platformId}/suspend`, fields)).statusCode, 403);
    assert.equal((await post(marketHead, `/workbench/platforms/${platformId}/cancel`, fields)).statusCode, 403);
    assert.equal((await post(officer, `/workbench/platforms/${platformId}/suspend`, fields)).statusCode, 403);
    assert.equal((await post(legalViewer, `/workbench/platforms/${platformId}/suspend`, fields)).statusCode, 403);

    const missing = await post(ideaHead, `/workbench/platforms/${platformId}/suspend`, {
      reason: 'x',
      legal_basis: '',
    });
    assert.equal(missing.statusCode, 400);

    assert.equal((await post(ideaHead, `/workbench/platforms/${platformId}/suspend`, fields)).statusCode, 303);
    let verdict = await verify(`registration_no=${registrationNo}&domain=binhminh-books.vn`);
    assert.deepEqual([verdict.valid, verdict.reason], [false, 'suspended']);
    await env.smtp.waitFor((message) => message.subject.includes(registrationNo) && /suspended/.test(message.subject));

    assert.equal(
      (
        await post(ideaHead, `/workbench/platforms/${platformId}/reinstate`, {
          reason: 'Đã khắc phục',
          legal_basis: 'Biên bản kiểm tra',
        })
      ).statusCode,
      303,
    );
    verdict = await verify(`registration_no=${registrationNo}&domain=binhminh-books.vn`);
    assert.deepEqual([verdict.valid, verdict.status], [true, 'notified']);

    // A cancellation without a ground is refused, naming the field; with one it takes effect.
    const groundless = await post(ideaHead, `/workbench/platforms/${platformId}/cancel?lang=en`, {
      reason: 'Bán hàng giả',
    });
    assert.equal(groundless.statusCode, 400);
    assert.match(groundless.body, /<a href="#cancel-grounds">Grounds of cancellation: choose at least one ground/);
    const cancel = { reason: 'Bán hàng giả', grounds: ['prohibited_acts'] };
    assert.equal((await post(ideaHead, `/workbench/platforms/${platformId}/cancel`, cancel)).statusCode, 303);
    await env.smtp.waitFor((message) => message.subject.includes(registrationNo) && /cancelled/.test(message.subject));
    verdict = await verify(`registration_no=${registrationNo}&domain=binhminh-books.vn`);
    assert.deepEqual([verdict.valid, verdict.reason], [false, 'revoked']);
    await eventually(async () => {
      const check = (await get(undefined, '/api/v1/check?input=binhminh-books.vn')).json() as { verdict: string };
      assert.equal(check.verdict, 'revoked');
    });
    assert.equal((await post(ideaHead, `/workbench/platforms/${platformId}/reinstate`, fields)).statusCode, 409);

    const page = await get(legalViewer, `/workbench/platforms/${platformId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Nghị định 52\/2013\/NĐ-CP/);
    assert.match(page.body, /Đã khắc phục/);
    assert.match(page.body, /Đã bị hủy bỏ đăng ký/);
    assert.doesNotMatch(page.body, /thu hồi/i);
    assert.doesNotMatch(page.body, /action="\/workbench\/platforms\/[^"]+\/suspend"/);
    assert.deepEqual(await auditActions(platformId), [
      'registration.suspend',
      'registration.reinstate',
      'registration.cancel',
    ]);
  });

  it('serves the badge as escaped SVG with short caching, red when embedded on a site the record does not cover', async () => {
    const badge = await get(undefined, `/badge/${registrationNo}.svg`);
    assert.equal(badge.statusCode, 200);
    assert.match(badge.headers['content-type'] as string, /^image\/svg\+xml/);
    assert.equal(badge.headers['cache-control'], 'public, max-age=60');
    assert.equal(badge.headers.vary, 'Referer');
    assert.match(badge.body, /ĐÃ BỊ HỦY BỎ ĐĂNG KÝ/);
    assert.match(badge.body, new RegExp(registrationNo));

    const unknown = await get(undefined, '/badge/TB-1999-00001.svg');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /KHÔNG CÓ TRONG DANH SÁCH/);
    assert.equal((await get(undefined, '/badge/..%2Fetc.svg')).statusCode, 404);

    const registered = await env.database.db
      .selectFrom('platforms')
      .select('registration_no')
      .where('registration_no', 'like', 'DK-%')
      .executeTakeFirstOrThrow();
    const onItsSite = await get(undefined, `/badge/${registered.registration_no}.svg`, {
      referer: 'https://cho-phien.vn/',
    });
    assert.match(onItsSite.body, /ĐÃ ĐĂNG KÝ BỘ CÔNG THƯƠNG/);
    const copied = await get(undefined, `/badge/${registered.registration_no}.svg`, { referer: 'https://copycat.vn/' });
    assert.match(copied.body, /KHÔNG HỢP LỆ TRÊN TRANG NÀY/);
    const record = await get(undefined, `/r/${registered.registration_no}`, { referer: 'https://copycat.vn/shop' });
    assert.match(record.body, /data-badge-warning="domain_not_covered"/);
    assert.match(record.body, /copycat\.vn/);
  });

  it('verifies old-portal badges through the legacy id, given as WebDetails/<id> or as the link', async () => {
    await importRegistryRows(
      env.database,
      [
        {
          line: 2,
          registrationNo: 'DEMO-LEGACY-1',
          name: 'Cửa hàng Cũ',
          kind: 'sales',
          status: 'notified',
          crossBorder: false,
          domains: ['cua-hang-cu.vn'],
          androidApps: [],
          iosApps: [],
          orgName: null,
          taxCode: null,
          validUntil: null,
          legacyId: 'WebDetails/90001',
        },
      ],
      { actor: 'test' },
    );
    assert.equal((await verify('legacy_id=WebDetails/90001&domain=cua-hang-cu.vn')).valid, true);
    const link = encodeURIComponent('http://online.gov.vn/Home/WebDetails/90001');
    assert.equal((await verify(`legacy_id=${link}&domain=www.cua-hang-cu.vn`)).valid, true);
    assert.equal((await verify('legacy_id=WebDetails/90001&domain=other.vn')).reason, 'domain_not_covered');
    assert.equal((await verify('legacy_id=AppDetails/90001&domain=cua-hang-cu.vn')).reason, 'unknown_number');
    const bad = await get(undefined, '/api/v1/badge/verify?legacy_id=90001&domain=cua-hang-cu.vn');
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { field: string } }).error.field, 'legacy_id');
    const neither = await get(undefined, '/api/v1/badge/verify?domain=cua-hang-cu.vn');
    assert.equal(neither.statusCode, 400);
  });

  it('documents the badge check in OpenAPI from its zod schemas', async () => {
    const document = (await get(undefined, '/api/openapi.json')).json() as {
      paths: Record<string, { get?: { parameters: Array<{ name: string }>; responses: Record<string, unknown> } }>;
      components?: { schemas?: Record<string, unknown> };
    };
    const operation = document.paths['/api/v1/badge/verify']?.get;
    assert.ok(operation);
    assert.deepEqual(operation.parameters.map((parameter) => parameter.name).sort(), [
      'domain',
      'legacy_id',
      'registration_no',
    ]);
    // The response refers to the named component BadgeVerdict (.meta({ id })), which the document must carry.
    const response = JSON.stringify(operation.responses['200']);
    const component = document.components?.schemas?.BadgeVerdict;
    assert.ok(
      !response.includes('#/components/schemas/BadgeVerdict') || component,
      'BadgeVerdict is referenced but missing',
    );
    const schema = JSON.stringify(component ?? operation.responses['200']);
    for (const reason of ['unknown_number', 'domain_not_covered', 'expired', 'suspended', 'revoked']) {
      assert.match(schema, new RegExp(reason));
    }
  });

  it('keeps each business to its own applications', async () => {
    assert.equal((await get(otherBusiness, `/business/applications/${notificationId}`)).statusCode, 404);
    assert.equal((await post(otherBusiness, `/business/applications/${notificationId}/check-domains`)).statusCode, 404);
    const list = await get(otherBusiness, '/business/applications');
    assert.doesNotMatch(list.body, /binhminh-books/);
  });

  it('guards every page and call by permission and every form by its CSRF token', async () => {
    const anonymous = await get(undefined, '/business/applications');
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/login\?next=/);
    assert.equal((await get(undefined, '/api/v1/applications')).statusCode, 401);
    assert.equal((await get(business, '/workbench/applications')).statusCode, 403);
    assert.equal((await get(legalViewer, '/workbench/applications')).statusCode, 403);
    assert.equal((await get(officer, '/business/applications')).statusCode, 403);
    assert.equal(
      (await post(business, '/business/applications', form({ primary_domain: 'gui-lai.vn' }), false)).statusCode,
      403,
    );
  });

  it('files a change of registered information: same number, late report marked with its provision, 3-day clock', async () => {
    const registered = await env.database.db
      .selectFrom('platforms')
      .select(['id', 'registration_no'])
      .where('registration_no', 'like', 'DK-%')
      .executeTakeFirstOrThrow();
    // Friday 4 December 2026; the information changed on Friday 20 November: 7 working days ended on Tuesday 1/12.
    env.clock.now = new Date('2026-12-04T10:00:00+07:00');
    const formPage = await get(business, `/business/platforms/${registered.id}/change`);
    assert.equal(formPage.statusCode, 200);
    assert.match(formPage.body, /trong 7 ngày làm việc kể từ khi có sự thay đổi/);
    assert.match(formPage.body, /xác nhận thay đổi trong 3 ngày làm việc/);
    assert.doesNotMatch(formPage.body, /gia hạn|Gia hạn/);
    // The day is required, and not after today.
    const missing = await post(business, `/business/platforms/${registered.id}/change`, formValues(formPage.body));
    assert.equal(missing.statusCode, 400);
    const future = await post(business, `/business/platforms/${registered.id}/change`, {
      ...formValues(formPage.body),
      information_changed_on: '05/12/2026',
    });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /Ngày thay đổi thông tin không được sau hôm nay/);
    const filed = await post(business, `/business/platforms/${registered.id}/change`, {
      ...formValues(formPage.body),
      information_changed_on: '20/11/2026',
      responsible_phone: '0912345678',
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const id = /\/business\/applications\/([0-9a-f-]{36})/.exec(filed.headers.location as string)?.[1] as string;
    const change = (await application(id)) as Awaited<ReturnType<typeof application>> & {
      type: string;
      information_changed_on: string;
      change_report_due_on: string;
      reported_late: boolean;
    };
    assert.equal(change.type, 'change');
    assert.equal(change.registration_no, registered.registration_no);
    assert.equal(change.information_changed_on, '2026-11-20');
    assert.equal(change.change_report_due_on, '2026-12-01');
    assert.equal(change.reported_late, true);
    // The Ministry's clock: 3 working days from Friday 4/12 end on Wednesday 9/12.
    assert.equal(change.due_on, '2026-12-09');
    const history = await get(officer, `/workbench/applications/${id}`);
    assert.match(history.body, /Thông báo thay đổi quá hạn/);
    assert.match(history.body, /data-state="late"/);
    assert.match(history.body, /Thông tư 47\/2014\/TT-BCT, Điều 11 khoản 1/);
    for (const domain of change.domains) {
      env.txt.set(domain.domain, [[`ecomgov-verification=${change.verification_token}`]]);
    }
    await post(officer, `/workbench/applications/${id}/check-domains`);
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 303);
    const platform = await env.database.db
      .selectFrom('platforms')
      .select(['registration_no', 'status', 'valid_until'])
      .where('id', '=', registered.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(platform, {
      registration_no: registered.registration_no,
      status: 'registered',
      valid_until: null,
    });

    // Reported in time: within 7 working days of the change, not late.
    env.clock.now = new Date('2026-12-07T09:00:00+07:00');
    const again = await get(business, `/business/platforms/${registered.id}/change`);
    const onTime = await post(business, `/business/platforms/${registered.id}/change`, {
      ...formValues(again.body),
      information_changed_on: '01/12/2026',
    });
    assert.equal(onTime.statusCode, 303, onTime.body.slice(0, 2000));
    const second = /\/business\/applications\/([0-9a-f-]{36})/.exec(onTime.headers.location as string)?.[1] as string;
    const secondChange = (await application(second)) as unknown as { reported_late: boolean; due_on: string };
    assert.equal(secondChange.reported_late, false);
    assert.equal(secondChange.due_on, '2026-12-10');
    await post(officer, `/workbench/applications/${second}/reject`, { reasons: 'Thử nghiệm: hồ sơ trùng.' });
    env.clock.now = undefined;
  });

  it('re-registers a platform whose registration was cancelled, and only such a platform', async () => {
    const cancelled = await env.database.db
      .selectFrom('platforms')
      .select(['id', 'registration_no'])
      .where('registration_no', 'like', 'DK-%')
      .executeTakeFirstOrThrow();
    // Registered: nothing to re-register.
    const refused = await get(business, `/business/platforms/${cancelled.id}/reregister`);
    assert.match(refused.body, /chỉ đăng ký lại nền tảng đã bị hủy bỏ đăng ký/);
    assert.doesNotMatch(refused.body, /<form method="post" action="\/business\/platforms/);
    await env.database.db.updateTable('platforms').set({ status: 'revoked' }).where('id', '=', cancelled.id).execute();
    // A change of a cancelled registration is refused.
    const noChange = await get(business, `/business/platforms/${cancelled.id}/change`);
    assert.match(noChange.body, /chỉ thông báo thay đổi thông tin của nền tảng đã thông báo hoặc đã đăng ký/);
    env.clock.now = new Date('2026-12-04T10:00:00+07:00');
    const formPage = await get(business, `/business/platforms/${cancelled.id}/reregister`);
    assert.equal(formPage.statusCode, 200);
    assert.match(formPage.body, /xem xét trong 3 ngày làm việc/);
    const filed = await post(business, `/business/platforms/${cancelled.id}/reregister`, formValues(formPage.body));
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const id = /\/business\/applications\/([0-9a-f-]{36})/.exec(filed.headers.location as string)?.[1] as string;
    const filing = (await application(id)) as Awaited<ReturnType<typeof application>> & { type: string };
    assert.equal(filing.type, 'reregistration');
    assert.equal(filing.due_on, '2026-12-09');
    for (const domain of filing.domains) {
      env.txt.set(domain.domain, [[`ecomgov-verification=${filing.verification_token}`]]);
    }
    await post(officer, `/workbench/applications/${id}/check-domains`);
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 303);
    const platform = await env.database.db
      .selectFrom('platforms')
      .select(['registration_no', 'status', 'valid_until'])
      .where('id', '=', cancelled.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(platform, { registration_no: cancelled.registration_no, status: 'registered', valid_until: null });
    env.clock.now = undefined;
  });

  it('keeps an e-mail the SMTP server refused in the outbox and sends it on retry', async () => {
    const context = createApplicationsContext(env.database, {
      mailer: createMailer({ SMTP_URL: 'smtp://127.0.0.1:1' }),
      log: { warn() {} },
    });
    const organisation = await env.database.db
      .selectFrom('account_organisations')
      .select(['id', 'tax_code'])
      .where('tax_code', '=', BUSINESS_TAX_CODE)
      .executeTakeFirstOrThrow();
    const filed = await fileApplication(
      context,
      { accountId: business.account.id, organisationId: organisation.id, organisationTaxCode: organisation.tax_code },
      parseApplicationForm(form({ primary_domain: 'gui-lai.vn', site_name: 'Gửi Lại' })),
      { actor: 'test' },
    );
    const pending = await env.database.db
      .selectFrom('mail_outbox')
      .select(['id', 'sent_at', 'last_error', 'attempts'])
      .where('application_id', '=', filed.id)
      .executeTakeFirstOrThrow();
    assert.equal(pending.sent_at, null);
    assert.ok(pending.last_error);
    await env.database.db
      .updateTable('mail_outbox')
      .set({ next_attempt_at: new Date(0) })
      .where('id', '=', pending.id)
      .execute();
    const good = createMailer({ SMTP_URL: env.smtp.url });
    const outcome = await deliverDueMail(env.database.db, good, { warn() {} });
    good.close();
    assert.ok(outcome.sent >= 1);
    await env.smtp.waitFor((message) => message.subject.includes(filed.reference));
  });

  it('limits how often a business makes the server check domains', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      statuses.push((await post(business, `/business/applications/${notificationId}/check-domains`)).statusCode);
    }
    assert.ok(statuses.includes(429), statuses.join(','));
  });

  it('leaves the audit chain intact', async () => {
    const report = await verifyAuditChain(env.database.db);
    assert.equal(report.ok, true, JSON.stringify(report));
  });
});

/** The values of a rendered form (inputs and textareas), as a browser would post them. */
function formValues(page: string): Record<string, string> {
  const values: Record<string, string> = {};
  const decode = (text: string) =>
    text
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  for (const match of page.matchAll(
    /<input type="(?:text|email|tel|hidden)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"/g,
  )) {
    values[match[1] as string] = decode(match[2] as string);
  }
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    values[match[1] as string] = decode(match[2] as string);
  }
  for (const match of page.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    values[match[1] as string] = decode(match[2] as string);
  }
  const kind = /<option value="([^"]+)" selected>/.exec(page);
  if (kind?.[1]) values.kind = kind[1];
  const representative = /name="vn_representative_kind" value="([^"]*)" checked/.exec(page);
  values.vn_representative_kind = representative?.[1] ?? '';
  return values;
}
