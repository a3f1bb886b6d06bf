import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import { createAccount, formBody, loginAs, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

const TAX_CODE = '0101243150';

/**
 * The applications module's forms through the shared form mechanism: every problem beside its field and in the
 * summary, in the reader's language, what was typed kept, the service's refusals shown the same way; the JSON API
 * lists the same problems with their fields.
 */
describe(`the applications forms (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let business: TestSession;
  let officer: TestSession;
  let head: TestSession;

  const post = (who: TestSession, url: string, fields: Record<string, string> = {}) =>
    env.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...fields, _csrf: who.csrf }),
    });

  const filing = (overrides: Record<string, string> = {}): Record<string, string> => ({
    kind: 'sales',
    site_name: 'Cửa Hàng Biểu Mẫu',
    org_name: 'Công ty CP Biểu Mẫu',
    tax_code: TAX_CODE,
    country: 'VN',
    head_office_address: '3 Hàng Bài, Hà Nội',
    responsible_person: 'Đỗ Thị Mẫu',
    responsible_phone: '0912 345 678',
    contact_email: 'mau@bieu-mau.vn',
    primary_domain: 'bieu-mau.vn',
    goods_categories: 'Quần áo',
    ...overrides,
  });

  /** Files through the form; the new application's id. */
  async function file(overrides: Record<string, string>): Promise<string> {
    const response = await post(business, '/business/applications', filing(overrides));
    assert.equal(response.statusCode, 303, response.body.slice(0, 1000));
    return (/\/business\/applications\/([0-9a-f-]{36})/.exec(response.headers.location as string) ?? [])[1] ?? '';
  }

  before(async () => {
    env = await startApplicationsTestApp([]);
    business = await loginAs(env.app, await createAccount(env.database, { kind: 'business', taxCode: TAX_CODE }));
    officer = await loginAs(env.app, await createAccount(env.database, { kind: 'officer', unitId: 'idea' }));
    head = await loginAs(env.app, await createAccount(env.database, { kind: 'officer', unitId: 'idea', role: 'head' }));
  });
  after(async () => {
    await env?.close();
  });

  it('shows the filing form again with every problem, in English when the reader reads English', async () => {
    const response = await post(
      business,
      '/business/applications?lang=en',
      filing({ site_name: '', tax_code: '0101243151', primary_domain: 'bieu-mau.vn', other_domains: '10.1.2.3' }),
    );
    assert.equal(response.statusCode, 400);
    const body = response.body;
    assert.match(body, /<a href="#site_name">Site or app name: This is required\.<\/a>/);
    assert.match(body, /<p class="field-error" id="site_name-error">This is required\.<\/p>/);
    assert.match(body, /id="tax_code-error">Invalid tax code: 0101243151 fails the checksum/);
    assert.match(body, /id="other_domains-error">10\.1\.2\.3 is an IP address, not a domain name</);
    // What was typed is there again; the CSRF token is the page's own.
    assert.match(body, /<textarea id="other_domains" name="other_domains"[^>]*>10\.1\.2\.3<\/textarea>/);
    assert.match(body, /value="0101243151"/);
  });

  it('lists the same problems in the API, each with its field, and files nothing', async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: business.cookie, 'x-csrf-token': business.csrf },
      payload: { ...filing({ tax_code: '0101243151', country: 'Vietnam' }), vn_representative_name: 'X' },
    });
    assert.equal(response.statusCode, 400);
    const { error } = response.json() as {
      error: { code: string; field: string; issues: Array<{ field: string; message: string }> };
    };
    assert.equal(error.code, 'invalid_input');
    assert.equal(error.field, 'tax_code');
    assert.deepEqual(
      error.issues.map((issue) => [issue.field, issue.message]),
      [
        [
          'tax_code',
          'Invalid tax code: 0101243151 fails the checksum: its tenth digit is 1, the first nine digits require 0 (a digit is mistyped).',
        ],
        ['country', '"VIETNAM" is not a two-letter ISO country code (VN, SG, CN…)'],
        ['vn_representative_name', 'only a platform whose organisation is abroad names a representative in Vietnam'],
      ],
    );
  });

  it('shows a refusal of the service beside the field it names, with the filing as it was read', async () => {
    const response = await post(
      business,
      '/business/applications',
      filing({ tax_code: '0106773786', primary_domain: 'https://www.bieu-mau.vn/gioi-thieu' }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(
      response.body,
      /id="tax_code-error">Mã số doanh nghiệp phải là của tổ chức của tài khoản \(0101243150\)/,
    );
    assert.match(response.body, /id="primary_domain" name="primary_domain"[^>]* value="bieu-mau\.vn"/);
  });

  it('keeps each decision form’s problem beside its own field', async () => {
    const id = await file({ primary_domain: 'quyet-dinh.vn' });
    const reject = await post(officer, `/workbench/applications/${id}/reject`, { reasons: '   ' });
    assert.equal(reject.statusCode, 400);
    assert.match(reject.body, /<a href="#field-reasons">Lý do từ chối: Chưa điền mục này\.<\/a>/);
    assert.match(reject.body, /<textarea id="field-reasons" name="reasons"[^>]* aria-invalid="true"/);
    assert.doesNotMatch(reject.body, /id="field-missing-error"/);

    const approve = await post(officer, `/workbench/applications/${id}/approve`, { note: 'Đủ hồ sơ' });
    assert.equal(approve.statusCode, 409);
    assert.match(approve.body, /<a href="#field-domains">Chưa chứng minh quyền quản lý quyet-dinh\.vn/);
    assert.match(
      approve.body,
      /<p class="field-error" id="field-domains">Chưa chứng minh quyền quản lý quyet-dinh\.vn/,
    );
    assert.match(approve.body, /<textarea id="field-note" name="note"[^>]*>Đủ hồ sơ<\/textarea>/);
  });

  it('keeps a suspension’s, cancellation’s or reinstatement’s problem in its own form', async () => {
    const id = await file({ primary_domain: 'thu-hoi.vn' });
    const filed = await env.database.db
      .selectFrom('applications')
      .select('verification_token')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    env.txt.set('thu-hoi.vn', [[`ecomgov-verification=${filed.verification_token}`]]);
    assert.equal((await post(officer, `/workbench/applications/${id}/check-domains`)).statusCode, 303);
    assert.equal((await post(officer, `/workbench/applications/${id}/approve`)).statusCode, 303);
    const { platform_id: platformId } = await env.database.db
      .selectFrom('applications')
      .select('platform_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

    const response = await post(head, `/workbench/platforms/${platformId}/cancel?lang=en`, {
      reason: 'Bán hàng giả',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<a href="#cancel-grounds">Grounds of cancellation: choose at least one ground/);
    assert.match(response.body, /<p class="field-error" id="cancel-grounds-error">choose at least one ground/);
    assert.match(response.body, /<textarea id="cancel-reason" name="reason"[^>]*>Bán hàng giả<\/textarea>/);
    // The suspension form beside it is untouched.
    assert.match(
      response.body,
      /<textarea id="suspend-reason" name="reason" required rows="3" maxlength="4000"><\/textarea>/,
    );

    // The business's "check now" on a decided application: refused above the page, in the reader's language.
    const check = await post(business, `/business/applications/${id}/check-domains?lang=en`);
    assert.equal(check.statusCode, 409);
    assert.match(check.body, /class="error-summary"/);
    assert.match(check.body, /application HS-\d{4}-\d{6} is approved: its domains are no longer checked/);
  });
});
