import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FieldIssue, issueMessageEn } from '../src/core/errors.ts';
import { exportRegistry, importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { eventually } from './support/app.ts';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import { createAccount, formBody, loginAs, randomTaxCode, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/** A personal identification number: Hồ Chí Minh City (079), female born in the 1900s (1), 1990, random 012345. */
const PERSONAL_NUMBER = '079190012345';
const MASKED = '079*******45';

/**
 * Issue 10, the law as written for filings: a foreign platform's representative in Vietnam is a legal entity with its
 * tax code and the filing records the grounds that make it subject; individuals notify sales sites with their
 * personal identification number, never shown in full publicly; domain proof is evidence, not a condition;
 * refusals cite a legal ground; verdicts name each registered kind as the law does.
 */
describe(`the law as written for filings (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let business: TestSession;
  let businessTaxCode: string;
  let individual: TestSession;
  let officer: TestSession;

  const post = (who: TestSession, url: string, fields: Record<string, string | string[]> = {}) =>
    env.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...fields, _csrf: who.csrf }),
    });
  const get = (who: TestSession | undefined, url: string) =>
    env.app.inject({ url, headers: who ? { cookie: who.cookie } : {} });
  const fileByApi = (who: TestSession, payload: Record<string, unknown>) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      payload,
    });
  const fieldsOf = (body: string) =>
    (JSON.parse(body) as { error: { issues: Array<{ field: string }> } }).error.issues.map((issue) => issue.field);
  const countApplications = async () =>
    Number(
      (
        await env.database.db
          .selectFrom('applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const foreignFiling = (overrides: Record<string, unknown> = {}) => ({
    kind: 'marketplace',
    site_name: 'Sàn Ngoại Quốc',
    org_name: 'Foreign Market Pte Ltd',
    country: 'SG',
    head_office_address: '1 Raffles Place, Singapore',
    responsible_person: 'Lee Wei',
    responsible_phone: '+65 6123 4567',
    contact_email: 'legal@foreign-market.example',
    primary_domain: 'ngoai-quoc.vn',
    goods_categories: 'Thời trang',
    vn_representative_kind: 'representative_office',
    vn_representative_name: 'Văn phòng đại diện Foreign Market Pte Ltd tại TP Hồ Chí Minh',
    vn_representative_tax_code: businessTaxCode,
    vn_representative_address: '2 Hai Bà Trưng, Quận 1, TP Hồ Chí Minh',
    foreign_grounds: ['vn_domain', 'vietnamese_language'],
    ...overrides,
  });

  const individualFiling = (overrides: Record<string, unknown> = {}) => ({
    kind: 'sales',
    applicant_kind: 'individual',
    site_name: 'Tiệm Len Của Hoa',
    org_name: 'Nguyễn Thị Hoa',
    tax_code: PERSONAL_NUMBER,
    country: 'VN',
    head_office_address: '5 Nguyễn Trãi, Quận 5, TP Hồ Chí Minh',
    responsible_person: 'Nguyễn Thị Hoa',
    responsible_phone: '0903 123 456',
    contact_email: 'hoa@tiem-len.vn',
    primary_domain: 'tiem-len-hoa.vn',
    goods_categories: 'Len, đồ đan',
    ...overrides,
  });

  async function approve(id: string, note = 'Đủ hồ sơ') {
    const response = await post(officer, `/workbench/applications/${id}/approve`, { note });
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    const read = await get(officer, `/api/v1/applications/${id}`);
    return read.json() as { status: string; registration_no: string; platform_id: string };
  }

  before(async () => {
    env = await startApplicationsTestApp([]);
    businessTaxCode = randomTaxCode();
    business = await loginAs(
      env.app,
      await createAccount(env.database, { kind: 'business', taxCode: businessTaxCode }),
    );
    individual = await loginAs(
      env.app,
      await createAccount(env.database, {
        kind: 'business',
        taxCode: PERSONAL_NUMBER,
        organisationName: 'Nguyễn Thị Hoa',
      }),
    );
    officer = await loginAs(env.app, await createAccount(env.database, { kind: 'officer', unitId: 'idea' }));
  });
  after(async () => {
    await env?.close();
  });

  it("refuses a cross-border filing without its representative's tax code or a ground, naming the field", async () => {
    const before = await countApplications();
    let response = await fileByApi(business, foreignFiling({ vn_representative_tax_code: undefined }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(fieldsOf(response.body), ['vn_representative_tax_code']);
    assert.match(response.body, /tax code of the representative in Vietnam/);

    response = await fileByApi(business, foreignFiling({ foreign_grounds: [] }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(fieldsOf(response.body), ['foreign_grounds']);
    assert.match(response.body, /100,000 transactions a year from Vietnam/);

    // A natural person is not a representative in Vietnam any more.
    response = await fileByApi(business, foreignFiling({ vn_representative_kind: 'authorised_representative' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(fieldsOf(response.body), ['vn_representative_kind']);

    // A code the table of grounds does not hold is refused by the service, nothing written.
    response = await fileByApi(business, foreignFiling({ foreign_grounds: ['big_market'] }));
    assert.equal(response.statusCode, 400);
    assert.equal((JSON.parse(response.body) as { error: { field: string } }).error.field, 'foreign_grounds');
    assert.equal(await countApplications(), before);
  });

  it('lists the grounds with their provisions, records them, shows them in the review and on the public record', async () => {
    const grounds = await get(undefined, '/api/v1/applications/foreign-grounds');
    assert.equal(grounds.statusCode, 200);
    const listed = (grounds.json() as { grounds: Array<{ code: string; provision: string; source_url: string }> })
      .grounds;
    assert.deepEqual(
      listed.map((ground) => ground.code),
      ['vn_domain', 'vietnamese_language', 'vn_transactions'],
    );
    assert.ok(listed.every((ground) => /Điều 67a/.test(ground.provision) && /^https?:\/\//.test(ground.source_url)));

    const response = await fileByApi(business, foreignFiling());
    assert.equal(response.statusCode, 201, response.body);
    const filed = response.json() as { id: string; foreign_grounds: Array<{ code: string }> };
    assert.deepEqual(
      filed.foreign_grounds.map((ground) => ground.code),
      ['vn_domain', 'vietnamese_language'],
    );
    const review = await get(officer, `/workbench/applications/${filed.id}`);
    assert.match(review.body, /data-ground="vn_domain">Website sử dụng tên miền quốc gia Việt Nam \(\.vn\)/);
    assert.match(review.body, /data-ground="vietnamese_language"/);
    assert.doesNotMatch(review.body, /data-ground="vn_transactions"/);
    assert.match(review.body, /Văn phòng đại diện tại Việt Nam: Văn phòng đại diện Foreign Market/);

    // Approved without any domain proved: the proof is evidence, not a condition.
    const approved = await approve(filed.id);
    assert.equal(approved.status, 'approved');
    const record = await get(undefined, `/r/${approved.registration_no}`);
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /data-section="foreign-grounds"/);
    assert.match(record.body, /data-ground="vietnamese_language">Website có lựa chọn ngôn ngữ hiển thị là tiếng Việt/);
  });

  it('approves a notification whose domains are not proved, and shows the officer the evidence per domain', async () => {
    const response = await fileByApi(business, {
      ...individualFiling(),
      applicant_kind: 'organisation',
      org_name: 'Công ty TNHH Chưa Chứng Minh',
      tax_code: businessTaxCode,
      primary_domain: 'chua-chung-minh.vn',
      other_domains: 'chua-chung-minh.com.vn',
    });
    assert.equal(response.statusCode, 201, response.body);
    const id = (response.json() as { id: string }).id;
    const review = await get(officer, `/workbench/applications/${id}`);
    assert.match(review.body, /<tr data-domain="chua-chung-minh\.vn">[\s\S]*?Chưa xác minh/);
    assert.match(review.body, /data-evidence="domains-not-proved"/);
    const approved = await approve(id);
    assert.equal(approved.status, 'approved');
    assert.match(approved.registration_no, /^TB-/);
    const platform = await get(undefined, `/api/v1/platforms/${approved.platform_id}`);
    assert.equal((platform.json() as { status: string }).status, 'notified');
  });

  it('refuses a refusal without a legal ground, and records the ground it cites', async () => {
    const response = await fileByApi(business, {
      ...individualFiling(),
      applicant_kind: 'organisation',
      org_name: 'Công ty TNHH Bị Từ Chối',
      tax_code: businessTaxCode,
      primary_domain: 'bi-tu-choi.vn',
    });
    const id = (response.json() as { id: string }).id;
    let refusal = await post(officer, `/workbench/applications/${id}/reject`, { reasons: 'Không đạt' });
    assert.equal(refusal.statusCode, 400);
    assert.match(refusal.body, /id="field-refusal_ground-error"/);
    refusal = await post(officer, `/workbench/applications/${id}/reject`, {
      refusal_ground: 'domain_not_proved',
      reasons: 'Chưa chứng minh quyền quản lý tên miền',
    });
    assert.equal(refusal.statusCode, 400);
    const grounds = (
      (await get(undefined, '/api/v1/applications/refusal-grounds')).json() as { grounds: Array<{ code: string }> }
    ).grounds.map((ground) => ground.code);
    assert.ok(grounds.includes('incomplete_dossier') && !grounds.some((code) => /domain/.test(code)));
    assert.equal((await get(officer, `/api/v1/applications/${id}`)).json().status, 'submitted');

    refusal = await post(officer, `/workbench/applications/${id}/reject`, {
      refusal_ground: 'incomplete_dossier',
      reasons: 'Thiếu thông tin người chịu trách nhiệm. Tên miền bi-tu-choi.vn chưa được chứng minh (chứng cứ).',
    });
    assert.equal(refusal.statusCode, 303);
    const decided = (await get(officer, `/api/v1/applications/${id}`)).json() as {
      status: string;
      refusal_ground: { code: string; provision: string };
    };
    assert.equal(decided.status, 'rejected');
    assert.equal(decided.refusal_ground.code, 'incomplete_dossier');
    assert.match(decided.refusal_ground.provision, /Thông tư 47\/2014\/TT-BCT/);
    const page = await get(officer, `/workbench/applications/${id}`);
    assert.match(page.body, /data-field="refusal_ground"[\s\S]*?Hồ sơ không đầy đủ/);
  });

  it("accepts an individual's sales site with a good personal number only, and masks it on every public output", async () => {
    // The claim of an individual is verified from the identity card, not an enterprise certificate.
    const unverified = await loginAs(
      env.app,
      await createAccount(env.database, { kind: 'business', taxCode: '001085000123', verified: false }),
    );
    const claimPage = await get(unverified, '/business/organisation');
    assert.match(claimPage.body, /Thẻ Căn cước \/ Căn cước công dân/);
    assert.doesNotMatch(claimPage.body, /<legend>Giấy chứng nhận đăng ký doanh nghiệp/);

    let response = await fileByApi(individual, individualFiling({ tax_code: '07919001234' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(fieldsOf(response.body), ['tax_code']);
    response = await fileByApi(individual, individualFiling({ tax_code: '079990012345' }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /2100 or later/);
    // Another person's number is not the account's.
    response = await fileByApi(individual, individualFiling({ tax_code: '079190054321' }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /personal identification number must be the one verified/);
    // An individual notifies a sales site; registering a marketplace is for traders and organisations.
    response = await fileByApi(individual, individualFiling({ kind: 'marketplace' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(fieldsOf(response.body), ['kind']);

    response = await fileByApi(individual, individualFiling());
    assert.equal(response.statusCode, 201, response.body);
    const filed = response.json() as { id: string; applicant_kind: string; tax_code: string };
    assert.equal(filed.applicant_kind, 'individual');
    assert.equal(filed.tax_code, PERSONAL_NUMBER);
    const approved = await approve(filed.id);
    const number = approved.registration_no;

    const outputs: Array<[string, string]> = [];
    const record = await get(undefined, `/r/${number}`);
    outputs.push(['record page', record.body]);
    assert.match(record.body, new RegExp(MASKED.replaceAll('*', '\\*')));
    const detail = await get(undefined, `/api/v1/platforms/${approved.platform_id}`);
    outputs.push(['platform API', detail.body]);
    assert.equal((detail.json() as { organisation: { tax_code: string } }).organisation.tax_code, MASKED);
    const search = await get(undefined, `/api/v1/platforms?${new URLSearchParams({ q: 'Tiệm Len Của Hoa' })}`);
    outputs.push(['search API', search.body]);
    assert.match(search.body, /Tiệm Len Của Hoa/);
    const check = await eventually(async () => {
      const answer = await get(undefined, '/api/v1/check?input=tiem-len-hoa.vn');
      assert.equal((answer.json() as { verdict: string }).verdict, 'notified');
      return answer;
    });
    outputs.push(['check API', check.body]);
    outputs.push(['check page', (await get(undefined, '/check?input=tiem-len-hoa.vn')).body]);
    outputs.push(['badge', (await get(undefined, `/badge/${number}.svg`)).body]);
    outputs.push([
      'badge verify',
      (await get(undefined, `/api/v1/badge/verify?registration_no=${number}&domain=tiem-len-hoa.vn`)).body,
    ]);
    let exported = '';
    await exportRegistry(env.database.db, (chunk) => {
      exported += chunk;
    });
    outputs.push(['registry export', exported]);
    assert.match(exported, new RegExp(`Tiệm Len Của Hoa,sales,notified,.*,${MASKED.replaceAll('*', '\\*')},`));
    for (const [where, text] of outputs) {
      assert.ok(!text.includes(PERSONAL_NUMBER), `${where} shows the personal number in full`);
    }
    // The officers' copy keeps it whole, and imports again.
    let full = '';
    await exportRegistry(
      env.database.db,
      (chunk) => {
        full += chunk;
      },
      { personalNumbers: 'full' },
    );
    assert.ok(full.includes(PERSONAL_NUMBER));
    // The officers see it in full.
    assert.match((await get(officer, `/workbench/applications/${filed.id}`)).body, new RegExp(PERSONAL_NUMBER));
  });

  it('accepts a personal number in the Registry CSV only for a sales site', async () => {
    const { parseRegistryCsv } = await import('../src/modules/registry/registry.csv.ts');
    const header =
      'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until';
    const ok = await parseRegistryCsv(
      `${header}\nTB-2026-99001,Shop Cá Nhân,sales,notified,false,shop-ca-nhan.vn,,,Lê Văn A,001085000123,\n`,
    );
    assert.deepEqual(ok.issues, []);
    assert.equal(ok.rows[0]?.taxCode, '001085000123');
    const marketplace = await parseRegistryCsv(
      `${header}\nDK-2026-99002,Sàn Cá Nhân,marketplace,registered,false,san-ca-nhan.vn,,,Lê Văn A,001085000123,\n`,
    );
    assert.equal(marketplace.issues[0]?.field, 'tax_code');
    assert.match(issueMessageEn(marketplace.issues[0] as FieldIssue), /accepted only for an individual’s sales site/);
    const masked = await parseRegistryCsv(
      `${header}\nTB-2026-99003,Shop Che,sales,notified,false,shop-che.vn,,,Lê Văn B,${MASKED},\n`,
    );
    assert.equal(masked.issues[0]?.field, 'tax_code');
  });

  it('names each registered kind as the law does in the verdicts, in Vietnamese and English', async () => {
    const kinds: Array<[string, RegExp, RegExp]> = [
      ['sales', /là website\/ứng dụng thương mại điện tử bán hàng/, /as an e-commerce sales website\/app/],
      ['marketplace', /là sàn giao dịch thương mại điện tử/, /as an e-commerce trading floor/],
      ['auction', /là website đấu giá trực tuyến/, /as an online auction website/],
      ['promotion', /là website khuyến mại trực tuyến/, /as an online promotion website/],
      ['social', /là mạng xã hội có hoạt động thương mại điện tử/, /as a social network with e-commerce activities/],
      ['integrated', /là nền tảng tích hợp đa dịch vụ/, /as an integrated multi-service platform/],
    ];
    await importRegistryRows(
      env.database,
      kinds.map(([kind], index) =>
        registryRow({
          line: index + 2,
          name: `Loại ${kind}`,
          kind: kind as 'sales',
          status: kind === 'sales' ? 'notified' : 'registered',
          registrationNo: `LAW-${kind.toUpperCase()}`,
          domains: [`loai-${kind}.vn`],
        }),
      ),
      { actor: 'test' },
    );
    for (const [kind, vi, en] of kinds) {
      const answer = await eventually(async () => {
        const response = await get(undefined, `/api/v1/check?input=loai-${kind}.vn`);
        const body = response.json() as { verdict: string; explanation: { vi: string; en: string } };
        assert.notEqual(body.verdict, 'unknown');
        return body;
      });
      assert.match(answer.explanation.vi, vi, kind);
      assert.match(answer.explanation.en, en, kind);
      if (kind !== 'marketplace') assert.doesNotMatch(answer.explanation.vi, /sàn giao dịch/, kind);
      const page = await get(undefined, `/check?input=loai-${kind}.vn`);
      assert.match(page.body, vi, `${kind} page`);
    }
  });
});
