import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { listAuditEvents, verifyAuditChain } from '../src/core/audit.ts';
import { AppError } from '../src/core/errors.ts';
import type { App } from '../src/core/http.ts';
import { SESSION_COOKIE } from '../src/modules/accounts/accounts.plugin.ts';
import { createOfficer, findAccountByEmail } from '../src/modules/accounts/accounts.service.ts';
import { LOGIN_POLICY } from '../src/modules/accounts/auth.service.ts';
import { accountsJobs, actorNames, listUnitOfficerEmails } from '../src/modules/accounts/index.ts';
import { createApiToken, revokeApiToken } from '../src/modules/accounts/tokens.service.ts';
import { generateTotpCode } from '../src/modules/accounts/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import {
  anonymousForm,
  createAccount,
  createPartnerToken,
  formBody,
  loginAs,
  randomTaxCode,
  type TestAccount,
  type TestSession,
} from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';

const PORTAL = 'http://portal.test';

let addressCounter = 0;
/** Each test signs in from an address of its own, so lockouts of one test never touch another. */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
}

function setCookieLine(response: { headers: Record<string, unknown> }, name: string): string | undefined {
  return [response.headers['set-cookie'] ?? []].flat().find((line) => String(line).startsWith(`${name}=`)) as
    | string
    | undefined;
}

function cookieOf(response: { headers: Record<string, unknown> }, name: string): string | undefined {
  const line = setCookieLine(response, name);
  const value = line?.split(';')[0]?.slice(name.length + 1);
  return value ? `${name}=${value}` : undefined;
}

async function postForm(
  app: App,
  url: string,
  fields: Record<string, string | string[]>,
  options: { session?: TestSession; ip?: string; csrf?: string | null } = {},
) {
  const csrf: Record<string, string> =
    options.csrf === null ? {} : { _csrf: options.csrf ?? options.session?.csrf ?? '' };
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: options.ip ?? '198.51.100.1',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.session ? { cookie: options.session.cookie } : {}),
    },
    payload: formBody({ ...fields, ...csrf }),
  });
}

/** Signs in through the form from the given address and returns the raw response. */
async function attemptLogin(app: App, email: string, password: string, ip: string) {
  const form = await anonymousForm(app);
  return postForm(app, '/login', { email, password }, { session: form, ip });
}

async function me(app: App, cookie: string) {
  return app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
}

async function auditActions(testApp: TestApp, entityId: string): Promise<string[]> {
  const events = await listAuditEvents(testApp.database.db, { entityId }, { limit: 100 });
  return events.map((event) => event.action).reverse();
}

/** Where each sign-in lock of the account holds, as its audit events say: an address, or 'everywhere'. */
async function lockedFrom(testApp: TestApp, accountId: string): Promise<unknown[]> {
  const events = await listAuditEvents(testApp.database.db, { entityId: accountId }, { limit: 100 });
  return events
    .filter((event) => event.action === 'login.locked')
    .map((event) => (event.changes as { from?: unknown } | null)?.from);
}

describe(`accounts (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let app: App;
  let smtp: TestSmtpServer;
  /** An administrator with two-step verification, signed in once for the tests of administration. */
  let admin: TestAccount;
  let adminSession: TestSession;
  /** An officer (staff, no two-step verification needed) for the tests of sessions and sign-in. */
  let member: TestAccount;
  before(async () => {
    smtp = await startSmtpServer();
    testApp = await startTestApp({ demo: false, env: { SMTP_URL: smtp.url, PORTAL_URL: PORTAL } });
    app = testApp.app;
    admin = await createAccount(testApp.database, { kind: 'admin', displayName: 'Quản trị viên' });
    adminSession = await loginAs(testApp, admin);
    member = await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'officer' });
  });
  after(async () => {
    await testApp.close();
    await smtp.close();
  });

  describe('sign-up of a business', () => {
    const signUp = (fields: Record<string, string>, form: TestSession, ip = freshAddress()) =>
      postForm(
        app,
        '/signup',
        {
          organisation_name: 'Công ty TNHH Ánh Dương',
          tax_code: randomTaxCode(),
          password: 'mật khẩu rất dài và dễ nhớ',
          ...fields,
        },
        { session: form, ip },
      );
    /** The path and query of the link in an e-mail to the portal. */
    const linkIn = (text: string) => {
      const link = new RegExp(`${PORTAL}(/signup/confirm\\?token=[\\w-]+)`).exec(text)?.[1];
      assert.ok(link, `no confirmation link in: ${text.slice(0, 300)}`);
      return link;
    };
    /** Headers that must match between two answers: all but those of the moment (date, request id). */
    const comparableHeaders = (headers: Record<string, unknown>) => {
      const { date: _date, 'x-request-id': _id, ...rest } = headers;
      return rest;
    };

    it('answers a new address and one that has an account with the same page, and e-mails each what applies', async () => {
      const form = await anonymousForm(app);
      const email = 'Lien.He@AnhDuong.example';
      const fresh = await signUp({ email }, form);
      assert.equal(fresh.statusCode, 200);
      assert.match(fresh.body, /Hãy kiểm tra hộp thư/);
      assert.match(fresh.body, /lien\.he@anhduong\.example/);
      assert.equal(setCookieLine(fresh, SESSION_COOKIE), undefined, 'a sign-up does not sign in');
      const confirmation = await smtp.waitFor(
        (mail) => mail.to.includes('lien.he@anhduong.example') && /^Xác nhận địa chỉ email/.test(mail.subject),
      );
      assert.match(confirmation.text, /Công ty TNHH Ánh Dương/);
      assert.match(confirmation.text, /24 giờ/);
      const confirmPage = await app.inject({ method: 'GET', url: linkIn(confirmation.text) });
      assert.equal(confirmPage.statusCode, 200);
      const token = /name="token" value="([^"]+)"/.exec(confirmPage.body)?.[1] ?? '';
      const confirmed = await postForm(app, '/signup/confirm', { token }, { session: form });
      assert.equal(confirmed.statusCode, 303);
      assert.equal(confirmed.headers.location, '/login?notice=email_confirmed');

      // The same address again, now that it has an account: the same answer, to the byte.
      const again = await signUp({ email, organisation_name: 'Công ty TNHH Ánh Dương' }, form);
      assert.equal(again.statusCode, fresh.statusCode);
      assert.equal(again.body, fresh.body);
      assert.deepEqual(comparableHeaders(again.headers), comparableHeaders(fresh.headers));
      const warning = await smtp.waitFor(
        (mail) => mail.to.includes('lien.he@anhduong.example') && /^Có người đăng ký/.test(mail.subject),
      );
      assert.match(warning.text, /đã có tài khoản/);
      assert.match(warning.text, new RegExp(`${PORTAL}/login`));
      assert.doesNotMatch(warning.text, /token=/);
      assert.equal(
        smtp.messages.filter((mail) => mail.to.includes('lien.he@anhduong.example')).length,
        2,
        'one e-mail per sign-up',
      );

      const account = await findAccountByEmail(testApp.database.db, email);
      assert.ok(account?.email_confirmed);
      const actions = await auditActions(testApp, account.id);
      assert.deepEqual(actions, ['account.created', 'account.email_confirmed', 'account.signup_refused']);
      const signedIn = await attemptLogin(app, email, 'mật khẩu rất dài và dễ nhớ', freshAddress());
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/account');
    });

    it('lets an account sign in only once its address is confirmed, saying so only to the right password', async () => {
      const form = await anonymousForm(app);
      const email = 'cho-xac-nhan@example.vn';
      await signUp({ email, password: 'đúng là mật khẩu này' }, form);
      const first = await smtp.waitFor((mail) => mail.to.includes(email) && /^Xác nhận/.test(mail.subject));

      const wrong = await attemptLogin(app, email, 'không phải mật khẩu', freshAddress());
      const unknown = await attemptLogin(app, 'khong-co@example.vn', 'không phải mật khẩu', freshAddress());
      assert.equal(wrong.statusCode, 401);
      const summary = (body: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0];
      assert.equal(summary(wrong.body), summary(unknown.body));

      const right = await attemptLogin(app, email, 'đúng là mật khẩu này', freshAddress());
      assert.equal(right.statusCode, 403);
      assert.equal(setCookieLine(right, SESSION_COOKIE), undefined);
      assert.match(right.body, /chưa được xác nhận/);
      assert.match(right.body, /vừa gửi một đường dẫn mới đến cho-xac-nhan@example\.vn/);
      // Signing in with the right password sent a new link; the first one no longer works.
      const second = await smtp.waitFor(
        (mail) => mail.to.includes(email) && /^Xác nhận/.test(mail.subject) && mail !== first,
      );
      const stale = await app.inject({ method: 'GET', url: linkIn(first.text) });
      assert.equal(stale.statusCode, 400);
      assert.match(stale.body, /không đúng, đã được dùng hoặc đã hết hạn/);
      const token = /token=([\w-]+)/.exec(linkIn(second.text))?.[1] ?? '';
      assert.equal((await postForm(app, '/signup/confirm', { token }, { session: form })).statusCode, 303);
      // A link works once.
      const reused = await postForm(app, '/signup/confirm', { token }, { session: form });
      assert.equal(reused.statusCode, 400);
      assert.equal((await attemptLogin(app, email, 'đúng là mật khẩu này', freshAddress())).statusCode, 303);
    });

    it('stores only the hash of a confirmation link, which expires after 24 hours', async () => {
      const form = await anonymousForm(app);
      const email = 'het-han@example.vn';
      await signUp({ email }, form);
      const mail = await smtp.waitFor((message) => message.to.includes(email));
      const token = /token=([\w-]+)/.exec(linkIn(mail.text))?.[1] ?? '';
      assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 random bits');
      const [row] = (
        await sql<{ token_hash: string; hours: number }>`
          SELECT token_hash, round(extract(epoch FROM c.expires_at - c.created_at) / 3600)::int AS hours
          FROM email_confirmations c JOIN accounts a ON a.id = c.account_id WHERE a.email = ${email}`.execute(
          testApp.database.db,
        )
      ).rows;
      assert.equal(row?.token_hash, createHash('sha256').update(token).digest('hex'));
      assert.equal(row?.hours, 24);
      await sql`UPDATE email_confirmations SET expires_at = now() - interval '1 second' WHERE token_hash = ${row?.token_hash}`.execute(
        testApp.database.db,
      );
      assert.equal((await postForm(app, '/signup/confirm', { token }, { session: form })).statusCode, 400);
    });

    it('gives every problem of the form beside its field, keeping what was typed but the password', async () => {
      const form = await anonymousForm(app);
      const response = await signUp(
        { organisation_name: ' ', tax_code: '0101243151', email: 'khong-phai-email', password: 'ngắn' },
        form,
      );
      assert.equal(response.statusCode, 400);
      for (const field of ['organisation_name', 'tax_code', 'email', 'password']) {
        assert.match(response.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), field);
      }
      assert.match(response.body, /Mã số doanh nghiệp không hợp lệ/);
      assert.match(response.body, /Cần ít nhất 12 ký tự/);
      assert.match(response.body, /value="0101243151"/);
      assert.match(response.body, /value="khong-phai-email"/);
      assert.doesNotMatch(response.body, /value="ngắn"/);
    });

    it('accepts a sign-up whatever tax code other accounts claim, with the answer of any sign-up', async () => {
      const existing = await createAccount(testApp.database, { kind: 'business' });
      const form = await anonymousForm(app);
      const [organisation] = (
        await sql<{
          tax_code: string;
        }>`SELECT tax_code FROM account_organisations WHERE id = ${existing.organisationId}`.execute(
          testApp.database.db,
        )
      ).rows;
      const taxCode = organisation?.tax_code ?? '';
      const claimed = await signUp({ tax_code: taxCode, email: 'khac@example.vn' }, form);
      const fresh = await signUp({ tax_code: randomTaxCode(), email: 'moi@example.vn' }, form);
      assert.equal(claimed.statusCode, 200);
      assert.equal(fresh.statusCode, 200);
      // Nothing tells whether another account claims (or owns) the tax code.
      assert.equal(claimed.body.replaceAll('khac@example.vn', 'X'), fresh.body.replaceAll('moi@example.vn', 'X'));
      await smtp.waitFor((mail) => mail.to.includes('khac@example.vn'));
      const second = await findAccountByEmail(testApp.database.db, 'khac@example.vn');
      assert.equal(second?.organisation?.tax_code, taxCode);
      assert.notEqual(second?.organisation?.id, existing.organisationId, 'each account has its own claim');

      const sameAsEmail = await signUp({ email: 'ten@example.vn', password: 'TEN@example.vn' }, form);
      assert.equal(sameAsEmail.statusCode, 400);
      assert.match(sameAsEmail.body, /Mật khẩu không được trùng với địa chỉ email/);
    });

    it('lets two sign-ups waiting for their confirmation claim the same tax code', async () => {
      const form = await anonymousForm(app);
      const taxCode = randomTaxCode();
      await signUp({ tax_code: taxCode, email: 'bo-do@example.vn' }, form);
      await smtp.waitFor((mail) => mail.to.includes('bo-do@example.vn'));
      const other = await signUp({ tax_code: taxCode, email: 'nguoi-khac@example.vn' }, form);
      assert.equal(other.statusCode, 200);
      await smtp.waitFor((mail) => mail.to.includes('nguoi-khac@example.vn'));
      for (const email of ['bo-do@example.vn', 'nguoi-khac@example.vn']) {
        const account = await findAccountByEmail(testApp.database.db, email);
        assert.equal(account?.organisation?.tax_code, taxCode, email);
      }
    });
  });

  describe('sessions', () => {
    it('sets the session cookie HttpOnly, SameSite=Lax, for the whole site, not Secure over plain HTTP', async () => {
      const response = await attemptLogin(app, member.email, member.password, freshAddress());
      assert.equal(response.statusCode, 303);
      const line = setCookieLine(response, SESSION_COOKIE) ?? '';
      assert.match(line, /; HttpOnly/);
      assert.match(line, /; SameSite=Lax/);
      assert.match(line, /; Path=\//);
      assert.match(line, /; Expires=/);
      assert.doesNotMatch(line, /; Secure/);
    });

    it('marks the cookies Secure when the portal is served over https', async () => {
      const built = await buildApp(testApp.database, {
        LOG_LEVEL: 'silent',
        CHECK_RATE_LIMIT: 0,
        PORTAL_URL: 'https://portal.example',
      });
      try {
        await built.app.ready();
        const loginPage = await built.app.inject({ method: 'GET', url: '/login' });
        assert.match(setCookieLine(loginPage, 'ecomgov_csrf') ?? '', /; Secure/);
        const response = await attemptLogin(built.app, member.email, member.password, freshAddress());
        assert.match(setCookieLine(response, SESSION_COOKIE) ?? '', /; HttpOnly; SameSite=Lax; Secure|; Secure/);
        assert.match(setCookieLine(response, SESSION_COOKIE) ?? '', /HttpOnly/);
      } finally {
        await built.app.close();
        await built.stop();
      }
    });

    it('stores only a hash of the session token', async () => {
      const session = await loginAs(testApp, member);
      const token = session.cookie.split('=')[1] ?? '';
      const rows = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM sessions WHERE token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`.execute(
        testApp.database.db,
      );
      assert.equal(rows.rows[0]?.n, 1);
      const plain = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${token}`.execute(testApp.database.db);
      assert.equal(plain.rows[0]?.n, 0);
    });

    it('signs out: the old cookie then opens nothing', async () => {
      const session = await loginAs(testApp, member);
      assert.equal((await me(app, session.cookie)).statusCode, 200);
      const response = await postForm(app, '/logout', {}, { session });
      assert.equal(response.statusCode, 303);
      assert.match(setCookieLine(response, SESSION_COOKIE) ?? '', /Expires=Thu, 01 Jan 1970/);
      assert.equal((await me(app, session.cookie)).statusCode, 401);
      const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/login?next=%2Faccount');
    });

    it('signs out everywhere: every session of the account ends', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'viewer' });
      const laptop = await loginAs(testApp, officer);
      const phone = await loginAs(testApp, officer);
      const response = await postForm(app, '/account/logout-everywhere', {}, { session: laptop });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/login?notice=signed_out_everywhere');
      assert.equal((await me(app, laptop.cookie)).statusCode, 401);
      assert.equal((await me(app, phone.cookie)).statusCode, 401);
      assert.ok((await auditActions(testApp, officer.id)).includes('account.logged_out_everywhere'));
    });

    it('ends a session after its lifetime, and after two hours without use', async () => {
      const expired = await loginAs(testApp, member);
      const idle = await loginAs(testApp, member);
      const hashOf = (session: TestSession) =>
        sql`encode(sha256(convert_to(${session.cookie.split('=')[1]}, 'UTF8')), 'hex')`;
      await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashOf(expired)}`.execute(
        testApp.database.db,
      );
      await sql`UPDATE sessions SET last_seen_at = now() - interval '121 minutes' WHERE token_hash = ${hashOf(idle)}`.execute(
        testApp.database.db,
      );
      assert.equal((await me(app, expired.cookie)).statusCode, 401);
      assert.equal((await me(app, idle.cookie)).statusCode, 401);
    });

    it('deletes ended sessions every night and keeps live ones', async () => {
      const live = await loginAs(testApp, member);
      const ended = await loginAs(testApp, member);
      const hashOf = (session: TestSession) =>
        sql<string>`encode(sha256(convert_to(${session.cookie.split('=')[1]}, 'UTF8')), 'hex')`;
      await sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = ${hashOf(ended)}`.execute(
        testApp.database.db,
      );
      const stored = async (session: TestSession) =>
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${hashOf(session)}`.execute(testApp.database.db)
        ).rows[0]?.n;
      assert.equal(await stored(ended), 1);
      await accountsJobs[0]?.handler({}, testApp.database);
      assert.equal(await stored(ended), 0);
      assert.equal(await stored(live), 1);
      assert.equal((await me(app, live.cookie)).statusCode, 200);
    });

    it('sends a signed-in person only to a path of this site after signing in', async () => {
      const form = await anonymousForm(app);
      const ip = freshAddress();
      for (const [next, expected] of [
        ['/workbench/audit?entity_type=account', '/workbench/audit?entity_type=account'],
        ['//evil.example/phish', '/account'],
        ['/\\evil.example', '/account'],
        ['https://evil.example/', '/account'],
      ] as const) {
        const response = await postForm(
          app,
          '/login',
          { email: member.email, password: member.password, next },
          { session: form, ip },
        );
        assert.equal(response.headers.location, expected, next);
      }
    });
  });

  describe('CSRF', () => {
    it('refuses a sign-in form posted without the token cookie, without the field, or with a wrong one', async () => {
      const ip = freshAddress();
      const form = await anonymousForm(app);
      const noCookie = await app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ email: member.email, password: member.password, _csrf: form.csrf }),
      });
      assert.equal(noCookie.statusCode, 403);
      const noField = await postForm(
        app,
        '/login',
        { email: member.email, password: member.password },
        { session: form, ip, csrf: null },
      );
      assert.equal(noField.statusCode, 403);
      const wrong = await postForm(
        app,
        '/login',
        { email: member.email, password: member.password },
        { session: form, ip, csrf: 'x'.repeat(43) },
      );
      assert.equal(wrong.statusCode, 403);
      assert.match(wrong.body, /CSRF/);
    });

    it('refuses a state-changing request with a session cookie but a missing or wrong token, and takes the header too', async () => {
      const session = await loginAs(testApp, member);
      const missing = await postForm(app, '/logout', {}, { session, csrf: null });
      assert.equal(missing.statusCode, 403);
      const wrong = await postForm(app, '/logout', {}, { session, csrf: 'y'.repeat(43) });
      assert.equal(wrong.statusCode, 403);
      // The token of another session is no good either.
      const other = await loginAs(testApp, member);
      const crossed = await postForm(app, '/logout', {}, { session, csrf: other.csrf });
      assert.equal(crossed.statusCode, 403);
      assert.equal((await me(app, session.cookie)).statusCode, 200);
      const byHeader = await app.inject({
        method: 'POST',
        url: '/logout',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      assert.equal(byHeader.statusCode, 303);
      assert.equal((await me(app, session.cookie)).statusCode, 401);
    });

    it('puts the token in every form of the pages', async () => {
      const session = adminSession;
      for (const url of ['/account', '/admin/accounts']) {
        const page = await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
        const forms = page.body.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
        assert.ok(forms.length >= 2, url);
        for (const form of forms)
          assert.ok(form.includes(`name="_csrf" value="${session.csrf}"`), `${url}: ${form.slice(0, 80)}`);
      }
    });
  });

  describe('throttling and lockout', () => {
    it('locks an account from one address after 5 failures for 15 minutes, even against the right password, and records it', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer' });
      const ip = freshAddress();
      for (let attempt = 1; attempt <= 4; attempt++) {
        const response = await attemptLogin(app, officer.email, `wrong password ${attempt}`, ip);
        assert.equal(response.statusCode, 401, `attempt ${attempt}`);
        assert.match(response.body, /Email hoặc mật khẩu không đúng/);
      }
      const fifth = await attemptLogin(app, officer.email, 'wrong password 5', ip);
      assert.equal(fifth.statusCode, 429);
      assert.match(fifth.body, /tạm khóa đến/);
      const right = await attemptLogin(app, officer.email, officer.password, ip);
      assert.equal(right.statusCode, 429);
      assert.equal(setCookieLine(right, SESSION_COOKIE), undefined);
      const addressKey = `account-address:${officer.email} ${ip}`;
      const [lock] = (
        await sql<{ minutes: number }>`
          SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes
          FROM login_throttle WHERE key = ${addressKey}`.execute(testApp.database.db)
      ).rows;
      assert.equal(lock?.minutes, 15);
      assert.deepEqual(await auditActions(testApp, officer.id), [
        'account.created',
        ...Array(5).fill('login.failed'),
        'login.locked',
        'login.refused',
      ]);
      assert.deepEqual(await lockedFrom(testApp, officer.id), [ip]);
      // Fifteen minutes later (moved back in the database), the right password works again.
      await sql`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = ${addressKey}`.execute(
        testApp.database.db,
      );
      assert.equal((await attemptLogin(app, officer.email, officer.password, ip)).statusCode, 303);
    });

    it('does not lock the account from another address: its owner signs in elsewhere', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer' });
      const guesser = freshAddress();
      for (let attempt = 1; attempt <= 5; attempt++) await attemptLogin(app, officer.email, 'guess', guesser);
      assert.equal((await attemptLogin(app, officer.email, officer.password, guesser)).statusCode, 429);
      assert.equal((await attemptLogin(app, officer.email, officer.password, freshAddress())).statusCode, 303);
    });

    it('never locks an address: 20 failures for various accounts from one address leave another account free', async () => {
      const victims = await Promise.all([1, 2, 3, 4].map(() => createAccount(testApp.database, { kind: 'officer' })));
      const colleague = await createAccount(testApp.database, { kind: 'officer' });
      const sharedNat = freshAddress();
      let last = 0;
      for (let attempt = 0; attempt < 20; attempt++) {
        // 4 failures for each of 4 accounts (one short of their lock), 4 for unknown e-mails.
        const email = victims[attempt % 4]?.email;
        last = (
          await attemptLogin(app, attempt < 16 && email ? email : `nobody-${attempt}@example.vn`, 'guess', sharedNat)
        ).statusCode;
      }
      assert.equal(last, 401);
      assert.equal((await attemptLogin(app, colleague.email, colleague.password, sharedNat)).statusCode, 303);
    });

    it('locks an account everywhere for an hour when 50 failures come from many addresses', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer' });
      const { threshold } = LOGIN_POLICY.account;
      const perAddress = LOGIN_POLICY.accountAddress.threshold - 1;
      let failures = 0;
      let last = 0;
      while (failures < threshold) {
        const ip = freshAddress();
        for (let attempt = 0; attempt < perAddress && failures < threshold; attempt++, failures++) {
          last = (await attemptLogin(app, officer.email, 'distributed guess', ip)).statusCode;
        }
      }
      assert.equal(last, 429, 'the failure that reached the threshold is answered with the lock');
      const elsewhere = await attemptLogin(app, officer.email, officer.password, freshAddress());
      assert.equal(elsewhere.statusCode, 429);
      assert.match(elsewhere.body, /tạm khóa đến/);
      const [lock] = (
        await sql<{ minutes: number }>`
          SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes
          FROM login_throttle WHERE key = ${`account:${officer.email}`}`.execute(testApp.database.db)
      ).rows;
      assert.equal(lock?.minutes, 60);
      assert.deepEqual(await lockedFrom(testApp, officer.id), ['everywhere']);
    });

    it('rate limits sign-in attempts and codes per address, before they reach the password check', async () => {
      const busy = freshAddress();
      const forms = {
        '/login': { email: 'a@example.vn', password: 'x' },
        '/login/totp': { challenge: 'x', code: '1' },
      };
      for (const [url, fields] of Object.entries(forms)) {
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 31; attempt++) {
          statuses.push((await postForm(app, url, fields, { ip: busy })).statusCode);
        }
        assert.ok(!statuses.slice(0, 30).includes(429), `${url}: ${statuses.join()}`);
        assert.equal(statuses[30], 429, url);
      }
      assert.equal((await attemptLogin(app, member.email, member.password, freshAddress())).statusCode, 303);
    });

    it('answers an unknown e-mail exactly like a wrong password', async () => {
      const unknown = await attemptLogin(app, 'khong-ton-tai@example.vn', 'some password', freshAddress());
      const wrong = await attemptLogin(app, member.email, 'some password', freshAddress());
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      const message = (body: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0];
      assert.equal(message(unknown.body), message(wrong.body));
    });

    it('refuses a disabled account as if the password were wrong', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer' });

      const officerSession = await loginAs(testApp, officer);
      const disable = await postForm(app, `/admin/accounts/${officer.id}/disable`, {}, { session: adminSession });
      assert.equal(disable.statusCode, 303);
      assert.equal((await me(app, officerSession.cookie)).statusCode, 401);
      assert.equal((await attemptLogin(app, officer.email, officer.password, freshAddress())).statusCode, 401);
      await postForm(app, `/admin/accounts/${officer.id}/enable`, {}, { session: adminSession });
      assert.equal((await attemptLogin(app, officer.email, officer.password, freshAddress())).statusCode, 303);
    });
  });

  describe('two-step verification', () => {
    /** Starts the set-up with the password, as the account page does; returns the secret it shows once. */
    async function startEnrolment(session: TestSession, password: string): Promise<string> {
      const started = await postForm(app, '/account/totp/start', { current_password: password }, { session });
      assert.equal(started.statusCode, 200);
      const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(started.body)?.[1];
      assert.ok(secret, 'the answer to the start shows the secret');
      assert.match(started.body, /otpauth:\/\/totp\/ecomgov:[^"]*secret=/);
      return secret;
    }

    it('enrols an officer with a code from the app, then asks for a code at every sign-in and refuses a replayed one', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', totp: false });
      const session = await loginAs(testApp, officer);
      const secret = await startEnrolment(session, officer.password);
      // The secret is shown once: the account page offers to confirm or start again, without it.
      const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } });
      assert.ok(!page.body.includes(secret));
      assert.match(page.body, /action="\/account\/totp\/confirm"/);

      const wrong = await postForm(
        app,
        '/account/totp/confirm',
        { code: '000000' === generateTotpCode(secret) ? '111111' : '000000', current_password: officer.password },
        { session },
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /id="totp-confirm-code"[^>]*aria-invalid="true"/);
      assert.match(wrong.body, /Mã không đúng hoặc đã hết hạn/);
      const confirmed = await postForm(
        app,
        '/account/totp/confirm',
        { code: generateTotpCode(secret), current_password: officer.password },
        { session },
      );
      assert.equal(confirmed.statusCode, 303);
      assert.equal(confirmed.headers.location, '/account?done=totp_enabled#totp');
      assert.ok((await auditActions(testApp, officer.id)).includes('account.totp_enabled'));

      // The password alone now leads to the code step, not to a session.
      const ip = freshAddress();
      const first = await attemptLogin(app, officer.email, officer.password, ip);
      assert.equal(first.statusCode, 200);
      assert.equal(setCookieLine(first, SESSION_COOKIE), undefined);
      const challenge = /name="challenge" value="([^"]+)"/.exec(first.body)?.[1];
      assert.ok(challenge);
      const form = await anonymousForm(app);
      const badCode = await postForm(app, '/login/totp', { challenge, code: '12345' }, { session: form, ip });
      assert.equal(badCode.statusCode, 401);
      assert.match(badCode.body, /id="code"[^>]*aria-invalid="true"/);
      // The code of the next time step is valid now too (clock drift) and has not been used: confirming
      // the enrolment used the current step, so the current code would be a replay.
      const replay = await postForm(
        app,
        '/login/totp',
        { challenge, code: generateTotpCode(secret) },
        { session: form, ip },
      );
      assert.equal(replay.statusCode, 401);
      const code = generateTotpCode(secret, Date.now() + 30_000);
      const good = await postForm(app, '/login/totp', { challenge, code }, { session: form, ip });
      assert.equal(good.statusCode, 303);
      assert.ok(cookieOf(good, SESSION_COOKIE));
      // The challenge is spent.
      const spent = await postForm(app, '/login/totp', { challenge, code }, { session: form, ip });
      assert.equal(spent.statusCode, 401);
      assert.match(spent.body, /Phiên đăng nhập đã hết hạn/);

      const second = await attemptLogin(app, officer.email, officer.password, ip);
      const secondChallenge = /name="challenge" value="([^"]+)"/.exec(second.body)?.[1] ?? '';
      const replayed = await postForm(app, '/login/totp', { challenge: secondChallenge, code }, { session: form, ip });
      assert.equal(replayed.statusCode, 401);
      const events = await listAuditEvents(testApp.database.db, { entityId: officer.id }, { limit: 50 });
      assert.ok(
        events.some(
          (event) =>
            event.action === 'login.succeeded' && (event.changes as { method?: string }).method === 'password+totp',
        ),
      );
    });

    it('asks for the current password to start, confirm and turn off two-step verification', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', totp: false });
      const session = await loginAs(testApp, officer);
      const ip = freshAddress();
      const post = (url: string, fields: Record<string, string>) => postForm(app, url, fields, { session, ip });

      const blank = await post('/account/totp/start', {});
      assert.equal(blank.statusCode, 400);
      assert.match(blank.body, /id="totp-start-current_password"[^>]*aria-invalid="true"/);
      assert.match(blank.body, /Chưa điền mục này/);
      const wrongStart = await post('/account/totp/start', { current_password: 'không phải mật khẩu' });
      assert.equal(wrongStart.statusCode, 400);
      assert.match(
        wrongStart.body,
        /<p class="field-error" id="totp-start-current_password-error">Mật khẩu hiện tại không đúng\.<\/p>/,
      );
      assert.doesNotMatch(wrongStart.body, /data-testid="totp-secret"/);
      const secret = await startEnrolment(session, officer.password);

      const wrongConfirm = await post('/account/totp/confirm', {
        code: generateTotpCode(secret),
        current_password: 'không phải mật khẩu',
      });
      assert.equal(wrongConfirm.statusCode, 400);
      assert.match(wrongConfirm.body, /id="totp-confirm-current_password"[^>]*aria-invalid="true"/);
      assert.equal((await me(app, session.cookie)).json().totp_enabled, false);
      const confirmed = await post('/account/totp/confirm', {
        code: generateTotpCode(secret, Date.now() - 30_000),
        current_password: officer.password,
      });
      assert.equal(confirmed.statusCode, 303);

      const wrongDisable = await post('/account/totp/disable', {
        code: generateTotpCode(secret),
        current_password: 'không phải mật khẩu',
      });
      assert.equal(wrongDisable.statusCode, 400);
      assert.match(wrongDisable.body, /id="totp-disable-current_password"[^>]*aria-invalid="true"/);
      assert.equal((await me(app, session.cookie)).json().totp_enabled, true);
      const disabled = await post('/account/totp/disable', {
        code: generateTotpCode(secret),
        current_password: officer.password,
      });
      assert.equal(disabled.statusCode, 303);
      assert.equal(disabled.headers.location, '/account?done=totp_disabled#totp');
      assert.equal((await me(app, session.cookie)).json().totp_enabled, false);

      const actions = await auditActions(testApp, officer.id);
      assert.equal(actions.filter((action) => action === 'account.current_password_refused').length, 3);
      for (const action of ['account.totp_enrolment_started', 'account.totp_enabled', 'account.totp_disabled']) {
        assert.ok(actions.includes(action), action);
      }
    });

    it('is not offered to businesses', async () => {
      const business = await createAccount(testApp.database, { kind: 'business' });
      const session = await loginAs(testApp, business);
      const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } });
      assert.doesNotMatch(page.body, /totp\/start/);
      const start = await postForm(app, '/account/totp/start', { current_password: business.password }, { session });
      assert.equal(start.statusCode, 409);
      assert.match(start.body, /chỉ dành cho cán bộ và quản trị viên/);
    });
  });

  describe('two-step verification required (REQUIRE_TOTP)', () => {
    it('lets an administrator without it do nothing but turn it on, change the password and sign out', async () => {
      const newcomer = await createAccount(testApp.database, { kind: 'admin', totp: false });
      const signIn = await attemptLogin(app, newcomer.email, newcomer.password, freshAddress());
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, '/account#totp');
      const session = await loginAs(testApp, newcomer);
      const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });

      for (const url of ['/admin/accounts', '/workbench/audit', '/', '/login']) {
        const page = await get(url);
        assert.equal(page.statusCode, 303, url);
        assert.equal(page.headers.location, '/account#totp', url);
      }
      assert.equal((await get('/admin/accounts?lang=en')).headers.location, '/account?lang=en#totp');
      const api = await get('/api/v1/audit');
      assert.equal(api.statusCode, 403);
      assert.equal(api.json().error.code, 'forbidden');
      assert.match(api.json().error.message, /must turn on two-step verification/);
      const refusedPost = await postForm(app, `/admin/accounts/${member.id}/disable`, {}, { session });
      assert.equal(refusedPost.statusCode, 303);
      assert.equal((await findAccountByEmail(testApp.database.db, member.email))?.is_active, true);

      const who = await get('/api/v1/me');
      assert.equal(who.statusCode, 200);
      assert.deepEqual([who.json().must_enrol_totp, who.json().totp_enabled], [true, false]);
      const account = await get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /phải bật xác thực hai bước trước khi dùng các chức năng khác/);
      assert.doesNotMatch(account.body, /href="\/admin\/accounts"/, 'no links to pages it cannot open yet');

      const started = await postForm(app, '/account/totp/start', { current_password: newcomer.password }, { session });
      const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(started.body)?.[1] ?? '';
      const confirmed = await postForm(
        app,
        '/account/totp/confirm',
        { code: generateTotpCode(secret), current_password: newcomer.password },
        { session },
      );
      assert.equal(confirmed.statusCode, 303);
      assert.equal((await get('/admin/accounts')).statusCode, 200);
      assert.equal((await get('/api/v1/audit')).statusCode, 200);
      assert.equal((await get('/api/v1/me')).json().must_enrol_totp, false);
    });

    it('requires it of heads of units, not of their staff, and of nobody with REQUIRE_TOTP=none', async () => {
      const head = await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'idea',
        role: 'head',
        totp: false,
      });
      const staff = await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'officer' });
      const headSession = await loginAs(testApp, head);
      const staffSession = await loginAs(testApp, staff);
      const audit = (session: TestSession, target = app) =>
        target.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: session.cookie } });
      // Both may read the audit trail (permissions.ts); only the head must turn two-step verification on first.
      assert.equal((await audit(headSession)).statusCode, 403);
      assert.equal((await audit(staffSession)).statusCode, 200);

      const relaxed = await buildApp(testApp.database, {
        LOG_LEVEL: 'silent',
        CHECK_RATE_LIMIT: 0,
        REQUIRE_TOTP: [],
      });
      try {
        await relaxed.app.ready();
        assert.equal((await audit(headSession, relaxed.app)).statusCode, 200);
        const who = await relaxed.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { cookie: headSession.cookie },
        });
        assert.equal(who.json().must_enrol_totp, false);
      } finally {
        await relaxed.app.close();
        await relaxed.stop();
      }
    });

    it('leaves partner API tokens alone', async () => {
      const token = await createPartnerToken(testApp.database, ['check:read']);
      const who = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(who.statusCode, 200);
      assert.equal(who.json().must_enrol_totp, false);
      const check = await app.inject({
        method: 'GET',
        url: '/api/v1/check?input=shopee.vn',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(check.statusCode, 200);
    });
  });

  describe('passwords', () => {
    it('changes the password given the current one, and ends every session', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer' });
      const session = await loginAs(testApp, officer);
      const wrongCurrent = await postForm(
        app,
        '/account/password',
        { current_password: 'not it', new_password: 'một mật khẩu mới dài' },
        { session },
      );
      assert.equal(wrongCurrent.statusCode, 400);
      assert.match(
        wrongCurrent.body,
        /<p class="field-error" id="password-current_password-error">Mật khẩu hiện tại không đúng\.<\/p>/,
      );
      assert.match(wrongCurrent.body, /href="#password-current_password"/);
      assert.ok((await auditActions(testApp, officer.id)).includes('account.current_password_refused'));
      const tooShort = await postForm(
        app,
        '/account/password',
        { current_password: officer.password, new_password: 'ngắn' },
        { session },
      );
      assert.equal(tooShort.statusCode, 400);
      assert.match(tooShort.body, /id="password-new_password"[^>]*aria-invalid="true"/);
      const changed = await postForm(
        app,
        '/account/password',
        { current_password: officer.password, new_password: 'một mật khẩu mới dài' },
        { session },
      );
      assert.equal(changed.statusCode, 303);
      assert.equal((await me(app, session.cookie)).statusCode, 401);
      assert.equal((await attemptLogin(app, officer.email, officer.password, freshAddress())).statusCode, 401);
      assert.equal((await attemptLogin(app, officer.email, 'một mật khẩu mới dài', freshAddress())).statusCode, 303);
      assert.ok((await auditActions(testApp, officer.id)).includes('account.password_changed'));
    });

    it('allows 10 tries of the current password per 15 minutes per account and address', async () => {
      const officer = await createAccount(testApp.database, { kind: 'officer', totp: false });
      const session = await loginAs(testApp, officer);
      const ip = freshAddress();
      const forms: Array<[string, Record<string, string>]> = [
        ['/account/password', { current_password: 'sai', new_password: 'một mật khẩu mới dài' }],
        ['/account/totp/start', { current_password: 'sai' }],
        ['/account/totp/confirm', { code: '123456', current_password: 'sai' }],
      ];
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        const [url, fields] = forms[attempt % forms.length] ?? forms[0]!;
        statuses.push((await postForm(app, url, fields, { session, ip })).statusCode);
      }
      assert.ok(
        statuses.every((status) => status === 400),
        statuses.join(','),
      );
      // The eleventh, even with the right password, on any of these forms.
      const limited = await postForm(
        app,
        '/account/totp/start',
        { current_password: officer.password },
        { session, ip },
      );
      assert.equal(limited.statusCode, 429);
      assert.match(limited.body, /quá nhiều/);
      // The same account from another address, and another account from this one, are not held back.
      const elsewhere = await postForm(
        app,
        '/account/totp/start',
        { current_password: officer.password },
        { session, ip: freshAddress() },
      );
      assert.equal(elsewhere.statusCode, 200);
      const other = await loginAs(testApp, member);
      const otherAccount = await postForm(
        app,
        '/account/password',
        { current_password: 'sai' },
        { session: other, ip },
      );
      assert.equal(otherAccount.statusCode, 400);
    });

    it('keeps passwords and their hashes out of the audit trail', async () => {
      const text = await sql<{
        all: string;
      }>`SELECT coalesce(string_agg(audit_events::text, ' '), '') AS all FROM audit_events`.execute(
        testApp.database.db,
      );
      const trail = text.rows[0]?.all ?? '';
      assert.ok(trail.length > 1000);
      assert.doesNotMatch(trail, /argon2/);
      assert.ok(!trail.includes(admin.password));
      assert.ok(!trail.includes('mật khẩu rất dài và dễ nhớ'));
    });
  });

  describe('administration', () => {
    it('lets an administrator create an officer, showing a first password once that signs in', async () => {
      const session = adminSession;
      const response = await postForm(
        app,
        '/admin/accounts/officers',
        { email: 'can.bo@moit.gov.vn', display_name: 'Nguyễn Văn A', unit: 'market_management', role: 'head' },
        { session },
      );
      assert.equal(response.statusCode, 200);
      const password = /data-testid="new-password">([^<]+)</.exec(response.body)?.[1];
      assert.ok(password);
      const login = await attemptLogin(app, 'can.bo@moit.gov.vn', password, freshAddress());
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/account#totp', 'a head of unit must turn on two-step verification');
      const principal = (await me(app, cookieOf(login, SESSION_COOKIE) ?? '')).json() as {
        unit_id: string;
        role: string;
        account_id: string;
      };
      assert.deepEqual([principal.unit_id, principal.role], ['market_management', 'head']);
      const creation = (
        await listAuditEvents(testApp.database.db, { entityId: principal.account_id }, { limit: 10 })
      ).find((event) => event.action === 'account.created');
      assert.equal(creation?.actor, `user:${admin.id}`);
      const again = await app.inject({ method: 'GET', url: '/admin/accounts', headers: { cookie: session.cookie } });
      assert.ok(!again.body.includes(password), 'the password is not shown again');
    });

    it('refuses an officer in a collective unit or in a body outside the Ministry', async () => {
      for (const unitId of ['media_units', 'customs', 'nowhere']) {
        await assert.rejects(
          createOfficer(
            testApp.database.db,
            { actor: 'test' },
            { email: `x-${unitId}@moit.gov.vn`, unitId, role: 'officer', password: 'a long enough password' },
          ),
          (error: unknown) => error instanceof AppError && error.field === 'unit',
        );
      }
    });

    it('lists the e-mails of a unit’s active officers and heads, not its viewers', async () => {
      const head = await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'head' });
      const officer = await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'trade_promotion',
        role: 'officer',
      });
      await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'viewer' });
      await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'head' });
      assert.deepEqual(
        await listUnitOfficerEmails(testApp.database.db, 'trade_promotion'),
        [head.email, officer.email].sort(),
      );
    });

    it('issues an API token once through the page and stores only its SHA-256', async () => {
      const session = adminSession;
      const response = await postForm(
        app,
        '/admin/tokens',
        {
          name: 'Tổng cục Hải quan',
          scope: ['declarations:write', 'check:read'],
          expires: `${new Date().getFullYear() + 1}-06-30`,
        },
        { session },
      );
      assert.equal(response.statusCode, 200);
      const token = /data-testid="new-token">([^<]+)</.exec(response.body)?.[1] ?? '';
      assert.match(token, /^ecg_[\w-]{43}$/);
      const rows = await sql<{ token_hash: string; scopes: string[] }>`
        SELECT token_hash, scopes FROM api_tokens WHERE name = 'Tổng cục Hải quan'`.execute(testApp.database.db);
      assert.equal(rows.rows[0]?.token_hash, createHash('sha256').update(token).digest('hex'));
      assert.deepEqual(rows.rows[0]?.scopes, ['declarations:write', 'check:read']);
      const again = await app.inject({ method: 'GET', url: '/admin/accounts', headers: { cookie: session.cookie } });
      assert.ok(!again.body.includes(token));
      assert.ok(again.body.includes(token.slice(0, 10)));
      const me1 = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal((me1.json() as { kind: string }).kind, 'partner');
    });

    it('refuses a token form without a scope or with a past expiry, naming the field', async () => {
      const session = adminSession;
      const noScope = await postForm(app, '/admin/tokens', { name: 'ISP', expires: '2099-01-01' }, { session });
      assert.equal(noScope.statusCode, 400);
      assert.match(noScope.body, /href="#token-scope">[^<]*Hãy chọn ít nhất một phạm vi/);
      const past = await postForm(
        app,
        '/admin/tokens',
        { name: 'ISP', scope: 'blocklist:read', expires: '2020-01-01' },
        { session },
      );
      assert.equal(past.statusCode, 400);
      assert.match(past.body, /id="token-expires"[^>]*aria-invalid="true"/);
      assert.match(past.body, /Ngày hết hạn đã qua/);
    });
  });

  describe('API tokens', () => {
    let scoped: TestApp['app'];
    let closeScoped: () => Promise<void>;
    before(async () => {
      const built = await buildApp(testApp.database, { LOG_LEVEL: 'silent', CHECK_RATE_LIMIT: 0 });
      built.app.get('/api/v1/test/blocklist', { config: { permission: 'blocklist:read' } }, async () => ({ ok: true }));
      built.app.post('/api/v1/test/declarations', { config: { permission: 'declarations:write' } }, async () => ({
        stored: 1,
      }));
      await built.app.ready();
      scoped = built.app;
      closeScoped = async () => {
        await built.app.close();
        await built.stop();
      };
    });
    after(async () => {
      await closeScoped();
    });

    const call = (method: 'GET' | 'POST', url: string, token: string) =>
      scoped.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(method === 'POST' ? { payload: {} } : {}),
      });

    it('lets a token do what its scopes allow and nothing else', async () => {
      const feeds = await createPartnerToken(testApp.database, ['blocklist:read']);
      assert.equal((await call('GET', '/api/v1/test/blocklist', feeds)).statusCode, 200);
      const refused = await call('POST', '/api/v1/test/declarations', feeds);
      assert.equal(refused.statusCode, 403);
      assert.equal((refused.json() as { error: { code: string } }).error.code, 'forbidden');
      assert.equal((await call('GET', '/admin/accounts', feeds)).statusCode, 403);
      assert.equal((await call('GET', '/api/v1/audit', feeds)).statusCode, 403);
    });

    it('needs no CSRF token with a bearer token, which a browser never sends by itself', async () => {
      const customs = await createPartnerToken(testApp.database, ['declarations:write']);
      const response = await call('POST', '/api/v1/test/declarations', customs);
      assert.equal(response.statusCode, 200);
    });

    it('refuses an expired, a revoked, an unknown or a malformed token with 401', async () => {
      const created = await createApiToken(
        testApp.database.db,
        { actor: 'test' },
        { name: 'Ngân hàng', scopes: ['blocklist:read'], expires: `${new Date().getFullYear() + 1}-12-31` },
      );
      assert.equal((await call('GET', '/api/v1/test/blocklist', created.token)).statusCode, 200);
      await sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${created.apiToken.id}`.execute(
        testApp.database.db,
      );
      const expired = await call('GET', '/api/v1/test/blocklist', created.token);
      assert.equal(expired.statusCode, 401);
      assert.match((expired.json() as { error: { message: string } }).error.message, /expired/);

      const other = await createApiToken(
        testApp.database.db,
        { actor: 'test' },
        { name: 'ISP', scopes: ['blocklist:read'], expires: `${new Date().getFullYear() + 1}-12-31` },
      );
      await revokeApiToken(testApp.database.db, { actor: 'test' }, other.apiToken.id);
      assert.equal((await call('GET', '/api/v1/test/blocklist', other.token)).statusCode, 401);
      assert.equal((await call('GET', '/api/v1/test/blocklist', `ecg_${'A'.repeat(43)}`)).statusCode, 401);
      const malformed = await scoped.inject({
        method: 'GET',
        url: '/api/v1/test/blocklist',
        headers: { authorization: 'Basic abc' },
      });
      assert.equal(malformed.statusCode, 401);
      // Without any credentials: 401 too, as JSON.
      const anonymous = await scoped.inject({ method: 'GET', url: '/api/v1/test/blocklist' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal((anonymous.json() as { error: { code: string } }).error.code, 'unauthorized');
    });

    it('refuses a token expiry in the past or far away, and an unknown scope', async () => {
      const attempt = (scopes: string[], expires: string) =>
        createApiToken(testApp.database.db, { actor: 'test' }, { name: 'x', scopes, expires });
      await assert.rejects(attempt(['check:read'], '2020-01-01'), /past/);
      await assert.rejects(attempt(['check:read'], '2099-13-01'), /not a date/);
      await assert.rejects(attempt(['check:read'], `${new Date().getFullYear() + 6}-01-01`), /5 years/);
      await assert.rejects(attempt(['everything'], '2099-01-01'), /Unknown scope/);
    });
  });

  describe('the audit view', () => {
    it('shows officers with audit:read the trail of a record, as a page, JSON and CSV', async () => {
      const inspector = await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'inspectorate',
        role: 'officer',
      });
      const session = await loginAs(testApp, inspector);
      const query = `entity_type=account&entity_id=${admin.id}`;
      const page = await app.inject({
        method: 'GET',
        url: `/workbench/audit?${query}`,
        headers: { cookie: session.cookie },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body.replaceAll('<wbr>', ''), /login\.succeeded/);
      assert.ok(page.body.includes(`>${admin.email}<br>`), 'the actor of each event is named by its e-mail');
      assert.ok(page.body.includes(`href="/api/v1/audit.csv?${query.replace('&', '&amp;')}"`));
      const json = await app.inject({
        method: 'GET',
        url: `/api/v1/audit?${query}&limit=2`,
        headers: { cookie: session.cookie },
      });
      const body = json.json() as { events: { entity_id: string; seq: number }[]; next_before: number | null };
      assert.equal(body.events.length, 2);
      assert.ok(body.events.every((event) => event.entity_id === admin.id));
      assert.equal(body.next_before, body.events[1]?.seq);
      const csv = await app.inject({
        method: 'GET',
        url: `/api/v1/audit.csv?${query}`,
        headers: { cookie: session.cookie },
      });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /attachment; filename="audit-account-/);
      assert.ok(csv.body.split('\n').length > 3);
    });

    it('names the actors of rows: a business with its organisation, other actors left as they are', async () => {
      const business = await createAccount(testApp.database, {
        kind: 'business',
        displayName: 'Nguyễn Văn An',
        organisationName: 'Công ty TNHH Ví Dụ',
      });
      const names = await actorNames(testApp.database.db, [
        `user:${business.id}`,
        `user:${member.id}`,
        'system',
        'user:not-a-uuid',
        null,
      ]);
      assert.deepEqual([...names.keys()].sort(), [`user:${business.id}`, `user:${member.id}`].sort());
      assert.equal(names.get(`user:${business.id}`), 'Nguyễn Văn An (Công ty TNHH Ví Dụ)');
      const emails = await actorNames(testApp.database.db, [`user:${business.id}`], 'email');
      assert.equal(emails.get(`user:${business.id}`), business.email);
    });

    it('keeps the trail of everything above intact', async () => {
      assert.equal((await verifyAuditChain(testApp.database.db)).ok, true);
    });
  });
});
