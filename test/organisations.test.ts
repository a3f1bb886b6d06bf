import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { isAppError } from '../src/core/errors.ts';
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts';
import { registerOrganisationsCli } from '../src/modules/accounts/organisations.cli.ts';
import {
  decideClaim,
  fileOrganisationClaim,
  getClaim,
  type OrganisationClaim,
} from '../src/modules/accounts/organisations.service.ts';
import { confirmAccountEmail } from '../src/modules/accounts/signup.service.ts';
import { eventually } from './support/app.ts';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import {
  anonymousForm,
  confirmationTokenFor,
  createAccount,
  formBody,
  loginAs,
  randomTaxCode,
  type TestAccount,
  type TestSession,
} from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * Who owns an organisation (issue 9): a squatter who signs up with a real company's tax code gains nothing, the real
 * company can still sign up, files its enterprise registration certificate, and acts once an officer verified it.
 */

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]);
const SETUP = { actor: 'test:organisations' };

const ERC_FIELDS = {
  erc_number: '0101234567',
  erc_issued_on: '15/01/2020',
  erc_issuer: 'Phòng Đăng ký kinh doanh – Sở Kế hoạch và Đầu tư TP. Hà Nội',
  representative_name: 'Nguyễn Thị Hoa',
  representative_title: 'Giám đốc',
};

const FILING = {
  ercNumber: '0101234567',
  ercIssuedOn: '2020-01-15',
  ercIssuer: 'Sở Kế hoạch và Đầu tư TP. Hồ Chí Minh',
  representativeName: 'Trần Văn Bình',
  representativeTitle: 'Tổng Giám đốc',
};

describe(`who owns an organisation (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let ideaOfficer: TestSession;
  let marketOfficer: TestSession;
  let ideaOfficerAccount: TestAccount;

  before(async () => {
    env = await startApplicationsTestApp([]);
    ideaOfficerAccount = await createAccount(env.database, { kind: 'officer', unitId: 'idea', role: 'officer' });
    ideaOfficer = await loginAs(env.app, ideaOfficerAccount);
    marketOfficer = await loginAs(
      env.app,
      await createAccount(env.database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
  });
  after(async () => {
    await env?.close();
  });

  const get = (who: TestSession, url: string) =>
    env.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const postForm = (who: TestSession, url: string, fields: Record<string, string>) =>
    env.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...fields, _csrf: who.csrf }),
    });
  const postJson = (who: TestSession, url: string, payload: object) =>
    env.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, payload });

  /** The certificate form as a browser posts it (multipart). */
  async function fileErc(
    who: TestSession,
    file: { filename: string; content: Buffer; type?: string } | undefined,
    fields: Record<string, string> = ERC_FIELDS,
  ) {
    const form = new FormData();
    form.append('_csrf', who.csrf);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (file) {
      form.append(
        'erc_file',
        new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/pdf' }),
        file.filename,
      );
    }
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    return env.app.inject({
      method: 'POST',
      url: '/business/organisation',
      headers: { cookie: who.cookie, 'content-type': String(request.headers.get('content-type')) },
      payload: Buffer.from(await request.arrayBuffer()),
    });
  }

  const fieldError = (body: string, field: string) =>
    new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(body)?.[1];

  /** Signs up through the form, as anybody can; the answer, and the account once its address is confirmed. */
  async function signUpThroughForm(taxCode: string, email: string) {
    const form = await anonymousForm(env.app);
    const response = await env.app.inject({
      method: 'POST',
      url: '/signup',
      remoteAddress: `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({
        organisation_name: 'Công ty Cổ phần Thật Sự',
        tax_code: taxCode,
        email,
        password: 'một mật khẩu đủ dài 2026',
        _csrf: form.csrf,
      }),
    });
    const token = await eventually(() => confirmationTokenFor(env.database, email));
    await confirmAccountEmail(env.database.db, SETUP, token);
    return { response, session: await loginAs(env.app, { email, password: 'một mật khẩu đủ dài 2026' }) };
  }

  async function claimOf(session: TestSession): Promise<OrganisationClaim> {
    const me = (await get(session, '/api/v1/me')).json() as { organisation_id: string };
    return getClaim(env.database.db, me.organisation_id);
  }

  it('keeps a squatter out, lets the real company in, and supersedes the squatter once the company is verified', async () => {
    const taxCode = randomTaxCode();
    // The squatter signs up first with the company's tax code.
    const squatter = await signUpThroughForm(taxCode, 'mao-danh@example.vn');
    assert.equal(squatter.response.statusCode, 200);
    const squatterMe = (await get(squatter.session, '/api/v1/me')).json() as {
      organisation_verified: boolean;
      permissions: string[];
    };
    assert.equal(squatterMe.organisation_verified, false);
    assert.ok(!squatterMe.permissions.includes('applications:file'));
    assert.ok(squatterMe.permissions.includes('organisations:claim'));

    // It can file nothing and see no owner's page: pages send it to its claim, the API says why.
    const page = await get(squatter.session, '/business/applications/new');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/business/organisation?notice=verify_first');
    const notice = await get(squatter.session, '/business/organisation?notice=verify_first');
    assert.equal(notice.statusCode, 200);
    assert.match(notice.body, /data-notice="verify_first"/);
    assert.match(notice.body, /Giấy chứng nhận đăng ký doanh nghiệp/);
    const api = await postJson(squatter.session, '/api/v1/applications', { kind: 'sales' });
    assert.equal(api.statusCode, 403);
    assert.match(api.json().error.message, /organisation of this account is not verified/);

    // The real company signs up with the same tax code: allowed, and answered like any sign-up.
    const company = await signUpThroughForm(taxCode, 'that-su@example.vn');
    const other = await signUpThroughForm(randomTaxCode(), 'ai-do@example.vn');
    assert.equal(company.response.statusCode, 200);
    assert.equal(
      company.response.body.replaceAll('that-su@example.vn', 'X'),
      other.response.body.replaceAll('ai-do@example.vn', 'X'),
    );

    // Both file their certificate; the officers' queue shows them side by side.
    const filed = await fileErc(company.session, { filename: 'gcn-dkdn.pdf', content: PDF });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 500));
    assert.equal(filed.headers.location, '/business/organisation?done=filed');
    const companyClaim = await claimOf(company.session);
    assert.equal(companyClaim.status, 'submitted');
    assert.equal(companyClaim.document?.content_type, 'application/pdf');
    assert.ok(companyClaim.due_on);
    const squatterFiled = await fileErc(squatter.session, { filename: 'scan.png', content: PNG, type: 'image/png' });
    assert.equal(squatterFiled.statusCode, 303);
    const squatterClaim = await claimOf(squatter.session);

    // Market Management may not decide.
    assert.equal((await get(marketOfficer, '/workbench/organisations')).statusCode, 403);
    const refused = await postJson(marketOfficer, `/api/v1/organisations/claims/${companyClaim.id}/decision`, {
      decision: 'verify',
    });
    assert.equal(refused.statusCode, 403);

    const queue = await get(ideaOfficer, '/workbench/organisations');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(`data-claim="${companyClaim.id}"`));
    assert.match(queue.body, new RegExp(`data-competing="${squatterClaim.id}"`));
    const listed = (await get(ideaOfficer, '/api/v1/organisations/claims')).json() as {
      claims: Array<{ id: string; competing: Array<{ id: string }> }>;
    };
    const entry = listed.claims.find((claim) => claim.id === companyClaim.id);
    assert.deepEqual(
      entry?.competing.map((claim) => claim.id),
      [squatterClaim.id],
    );

    const detail = await get(ideaOfficer, `/workbench/organisations/${companyClaim.id}`);
    assert.match(detail.body, /<td data-label="Thao tác">Nộp hồ sơ xác minh<\/td>/, 'the history names its steps');
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /Nguyễn Thị Hoa/);
    assert.match(detail.body, /15\/01\/2020/);
    const download = await get(ideaOfficer, `/workbench/organisations/${companyClaim.id}/document`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="gcn-dkdn\.pdf"/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(download.rawPayload, PDF);

    // The officer verifies the company.
    const verified = await postForm(ideaOfficer, `/workbench/organisations/${companyClaim.id}/decision`, {
      decision: 'verify',
    });
    assert.equal(verified.statusCode, 303, verified.body.slice(0, 500));
    assert.equal((await claimOf(company.session)).status, 'verified');
    assert.equal((await get(company.session, '/business/applications/new')).statusCode, 200);
    const companyMe = (await get(company.session, '/api/v1/me')).json() as { permissions: string[] };
    assert.ok(companyMe.permissions.includes('applications:file'));

    // The squatter's claim is superseded: it still cannot file, nor file its certificate again.
    assert.equal((await claimOf(squatter.session)).status, 'superseded');
    assert.equal((await get(squatter.session, '/business/applications')).statusCode, 303);
    assert.equal((await postJson(squatter.session, '/api/v1/applications', { kind: 'sales' })).statusCode, 403);
    assert.equal((await fileErc(squatter.session, { filename: 'again.pdf', content: PDF })).statusCode, 409);
    const late = await postJson(ideaOfficer, `/api/v1/organisations/claims/${squatterClaim.id}/decision`, {
      decision: 'verify',
    });
    assert.equal(late.statusCode, 409);

    // Every step is in the audit trail.
    const actions = (
      await sql<{ action: string }>`SELECT action FROM audit_events
        WHERE entity_type = 'account_organisation' AND entity_id IN (${companyClaim.id}, ${squatterClaim.id})
        ORDER BY seq`.execute(env.database.db)
    ).rows.map((row) => row.action);
    for (const action of [
      'organisation.created',
      'organisation.claim_submitted',
      'organisation.claim_verified',
      'organisation.claim_superseded',
    ]) {
      assert.ok(actions.includes(action), action);
    }
  });

  it('lets a claim asked for more, or rejected, be filed again, and restarts the clock', async () => {
    const business = await createAccount(env.database, { kind: 'business', verified: false });
    const session = await loginAs(env.app, business);
    const organisationId = business.organisationId as string;
    // Monday 7 December 2026, 10:00 in Hanoi: 3 working days end on Thursday 10.
    const first = await fileOrganisationClaim(
      env.database.db,
      SETUP,
      organisationId,
      {
        ...FILING,
        file: { filename: 'gcn.pdf', content: PDF },
      },
      { now: new Date('2026-12-07T03:00:00Z') },
    );
    assert.equal(first.due_on, '2026-12-10');

    const officer = { actor: `user:${ideaOfficerAccount.id}` };
    await assert.rejects(
      decideClaim(env.database.db, officer, organisationId, { decision: 'request_supplement' }),
      (error) => isAppError(error) && error.code === 'invalid_input' && error.field === 'reason',
    );
    const asked = await postForm(ideaOfficer, `/workbench/organisations/${organisationId}/decision`, {
      decision: 'request_supplement',
      reason: 'Bản quét thiếu trang 2 của Giấy chứng nhận.',
    });
    assert.equal(asked.statusCode, 303);
    const page = await get(session, '/business/organisation');
    assert.match(page.body, /Yêu cầu bổ sung/);
    assert.match(page.body, /Bản quét thiếu trang 2/);
    assert.match(page.body, /enctype="multipart\/form-data"/);

    // Filed again the next Monday: the officer's 3 working days start again.
    const second = await fileOrganisationClaim(
      env.database.db,
      SETUP,
      organisationId,
      {
        ...FILING,
        file: { filename: 'gcn-du.pdf', content: PDF },
      },
      { now: new Date('2026-12-14T03:00:00Z') },
    );
    assert.equal(second.status, 'submitted');
    assert.equal(second.due_on, '2026-12-17');
    assert.equal(second.decision_reason, null);

    await decideClaim(env.database.db, officer, organisationId, {
      decision: 'reject',
      reason: 'Tên trên Giấy chứng nhận khác tên đã đăng ký.',
    });
    const rejected = await get(session, '/business/organisation');
    assert.match(rejected.body, /Bị từ chối/);
    assert.match(rejected.body, /Tên trên Giấy chứng nhận khác tên đã đăng ký/);
    const refiled = await fileErc(session, {
      filename: 'gcn.jpg',
      content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
    });
    assert.equal(refiled.statusCode, 303);
    const third = await getClaim(env.database.db, organisationId);
    assert.equal(third.status, 'submitted');
    assert.equal(third.document?.content_type, 'image/jpeg');
  });

  it('judges the file by its content, not its name or declared type, and keeps to 5 MB', async () => {
    const business = await createAccount(env.database, { kind: 'business', verified: false });
    const session = await loginAs(env.app, business);
    const disguised = await fileErc(session, {
      filename: 'giay-chung-nhan.pdf',
      content: Buffer.from('<!doctype html><script>alert(1)</script>'),
      type: 'application/pdf',
    });
    assert.equal(disguised.statusCode, 400);
    assert.match(fieldError(disguised.body, 'erc_file') ?? '', /giay-chung-nhan\.pdf.*không phải PDF, JPEG hoặc PNG/);
    assert.match(disguised.body, /<a href="#erc_file">Tệp Giấy chứng nhận:/);

    const large = await fileErc(session, {
      filename: 'lon.pdf',
      content: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]),
    });
    assert.equal(large.statusCode, 400);
    assert.match(fieldError(large.body, 'erc_file') ?? '', /tối đa 5 MB/);

    const withoutFile = await fileErc(session, undefined, { ...ERC_FIELDS, representative_name: '' });
    assert.equal(withoutFile.statusCode, 400);
    assert.match(fieldError(withoutFile.body, 'erc_file') ?? '', /Hãy chọn tệp Giấy chứng nhận/);
    assert.match(fieldError(withoutFile.body, 'representative_name') ?? '', /Chưa điền/, 'with the other problems');

    const missing = await postForm(session, '/business/organisation', ERC_FIELDS);
    assert.equal(missing.statusCode, 400, 'a form without its file is refused (urlencoded: no multipart)');
    assert.equal((await getClaim(env.database.db, business.organisationId as string)).status, 'unverified');
  });

  it('lists the open claims on the command line, as JSON too', async () => {
    const business = await createAccount(env.database, { kind: 'business', verified: false });
    await fileOrganisationClaim(env.database.db, SETUP, business.organisationId as string, {
      ...FILING,
      file: { filename: 'gcn.pdf', content: PDF },
    });
    const run = (args: string[]) => runCliInProcess(env.database, registerOrganisationsCli, args);
    const json = await run(['organisations', 'claims', '--json']);
    assert.equal(json.code, 0);
    const claims = JSON.parse(json.stdout) as Array<{ id: string; status: string; account_email: string }>;
    const listed = claims.find((claim) => claim.id === business.organisationId);
    assert.equal(listed?.status, 'submitted');
    assert.equal(listed?.account_email, business.email);
    const text = await run(['organisations', 'claims']);
    assert.match(text.stdout, new RegExp(`^${business.organisationId}\\t`, 'm'));
    assert.equal((await run(['organisations', 'claims', '--status', 'nonsense'])).code, 2);
  });

  it('allows one verified claim per tax code, in the database itself', async () => {
    const taxCode = randomTaxCode();
    const first = await createAccount(env.database, { kind: 'business', taxCode, verified: false });
    const second = await createAccount(env.database, { kind: 'business', taxCode, verified: false });
    const db = env.database.db;
    await sql`UPDATE account_organisations SET status = 'verified' WHERE id = ${first.organisationId}`.execute(db);
    await assert.rejects(
      sql`UPDATE account_organisations SET status = 'verified' WHERE id = ${second.organisationId}`.execute(db),
      (error) => (error as { code?: string }).code === '23505',
    );
  });
});

/**
 * Two officers verifying the two competing claims of one tax code at the same moment. The embedded database has one
 * connection, so transactions cannot overlap there: these run on the PostgreSQL server only.
 */
describe('verifications of one tax code at the same moment', { skip: testDatabaseKind !== 'postgres' }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database?.close();
  });

  async function competingClaims(): Promise<[string, string]> {
    const taxCode = randomTaxCode();
    const ids: string[] = [];
    for (let index = 0; index < 2; index++) {
      const account = await createAccount(database, { kind: 'business', taxCode, verified: false });
      await fileOrganisationClaim(database.db, SETUP, account.organisationId as string, {
        ...FILING,
        file: { filename: 'gcn.pdf', content: PDF },
      });
      ids.push(account.organisationId as string);
    }
    return ids as [string, string];
  }

  it('lets exactly one of two officers verify, and tells the other of the conflict', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await competingClaims();
      const outcomes = await Promise.allSettled([
        decideClaim(database.db, { actor: 'test:officer-a' }, a, { decision: 'verify' }),
        decideClaim(database.db, { actor: 'test:officer-b' }, b, { decision: 'verify' }),
      ]);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      const error = (lost[0] as PromiseRejectedResult).reason;
      assert.ok(isAppError(error) && error.code === 'conflict', String(error));
      const statuses = [(await getClaim(database.db, a)).status, (await getClaim(database.db, b)).status].sort();
      assert.deepEqual(statuses, ['superseded', 'verified']);
    }
  });

  it('refuses a second verified claim even to two transactions that skip the service', async () => {
    const [a, b] = await competingClaims();
    const pool = database.pool;
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(`UPDATE account_organisations SET status = 'verified' WHERE id = $1`, [a]);
      // Waits for the first transaction's index entry, then fails when it commits.
      const blocked = second.query(`UPDATE account_organisations SET status = 'verified' WHERE id = $1`, [b]);
      // It may fail as soon as the first commits, before assert.rejects below is attached: handled from now on.
      blocked.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      await first.query('COMMIT');
      await assert.rejects(blocked, (error) => (error as { code?: string }).code === '23505');
      await second.query('ROLLBACK');
    } finally {
      first.release();
      second.release();
    }
  });
});

describe(`the upgrade to claims (${testDatabaseKind})`, () => {
  it('counts the organisations that existed before as verified, so nobody is locked out', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      // Undo every migration down to, and including, the one that made claims (later ones first).
      const applied = async () =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migrations
            WHERE name = '2026_12_04_1300_verify_organisation_claims'`.execute(db)
        ).rows[0]?.n ?? 0;
      while ((await applied()) > 0) await migrateDown(db as unknown as Kysely<unknown>);
      const taxCode = randomTaxCode();
      const [organisation] = (
        await sql<{ id: string }>`INSERT INTO account_organisations (name, tax_code)
          VALUES ('Công ty Có Từ Trước', ${taxCode}) RETURNING id`.execute(db)
      ).rows;
      await sql`INSERT INTO accounts (kind, email, display_name, password_hash, organisation_id, email_confirmed_at)
        VALUES ('business', 'cu@example.vn', 'Cũ', 'x', ${organisation?.id}, now())`.execute(db);
      await migrateToLatest(db as unknown as Kysely<unknown>);
      const claim = await getClaim(db, organisation?.id as string);
      assert.equal(claim.status, 'verified');
      assert.equal(claim.account_email, 'cu@example.vn');
    } finally {
      await database.close();
    }
  });
});
