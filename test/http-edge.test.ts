import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { listAuditEvents } from '../src/core/audit.ts';
import { CSRF_COOKIE } from '../src/modules/accounts/accounts.plugin.ts';
import { loadDemoDirectives } from '../src/modules/directives/index.ts';
import { loadTrackedTasks } from '../src/modules/directives/tracker.service.ts';
import { addProgressReport } from '../src/modules/directives/tracker.writes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { anonymousForm, createAccount, formBody, loginAs } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

/** The HTTP edge: security headers on every response, and client addresses behind a reverse proxy. */

function directivesOf(policy: unknown): Map<string, string> {
  return new Map(
    String(policy)
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => {
        const [name = '', ...values] = directive.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe(`security headers (${testDatabaseKind})`, () => {
  let plain: TestApp;
  before(async () => {
    plain = await startTestApp();
  });
  after(async () => {
    await plain.close();
  });

  it('sends nosniff, the referrer policy and refuses framing on every kind of response', async () => {
    const responses = {
      page: await plain.app.inject({ method: 'GET', url: '/' }),
      'error page': await plain.app.inject({ method: 'GET', url: '/no-such-page' }),
      api: await plain.app.inject({ method: 'GET', url: '/api/v1/check?input=shopee.vn' }),
      'api error': await plain.app.inject({ method: 'GET', url: '/api/v1/check' }),
      'style sheet': await plain.app.inject({ method: 'GET', url: '/assets/site.css' }),
      'sign-in refused': await plain.app.inject({ method: 'GET', url: '/workbench/audit' }),
    };
    for (const [kind, response] of Object.entries(responses)) {
      assert.equal(response.headers['x-content-type-options'], 'nosniff', kind);
      assert.equal(response.headers['referrer-policy'], 'same-origin', kind);
      assert.equal(response.headers['x-frame-options'], 'DENY', kind);
      assert.equal(response.headers['cross-origin-resource-policy'], 'same-origin', kind);
      assert.equal(response.headers['strict-transport-security'], undefined, `${kind}: HSTS without https`);
    }
  });

  it('gives every page a policy that allows no inline script, no plugin, no foreign form target and no framing', async () => {
    for (const url of ['/', '/login', '/check?input=shoppee.vn', '/r/DEMO-TMDT-0001', '/no-such-page']) {
      const response = await plain.app.inject({ method: 'GET', url });
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      const policy = directivesOf(response.headers['content-security-policy']);
      assert.deepEqual(Object.fromEntries(policy), {
        'default-src': "'self'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'style-src': "'self'",
        'img-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'self'",
        'form-action': "'self'",
        'frame-ancestors': "'none'",
      });
      // The pages keep it true: no inline script or style to allow.
      assert.doesNotMatch(response.body, /<script(?![^>]*\bsrc=)|<style|\sstyle="|\son[a-z]+="/i, url);
    }
  });

  it('gives the API documentation its icons and its logo style, and nothing inline beyond that', async () => {
    const docs = await plain.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(docs.statusCode, 200);
    const policy = directivesOf(docs.headers['content-security-policy']);
    assert.equal(policy.get('script-src'), "'self'");
    assert.match(policy.get('style-src') ?? '', /^'self' 'sha256-[A-Za-z0-9+/]{43}='$/);
    assert.equal(policy.get('img-src'), "'self' data:");
    assert.equal(policy.get('frame-ancestors'), "'none'");
    assert.doesNotMatch(String(docs.headers['content-security-policy']), /unsafe/);
    // Only those routes: a page keeps the strict policy.
    const page = await plain.app.inject({ method: 'GET', url: '/' });
    assert.equal(directivesOf(page.headers['content-security-policy']).get('img-src'), "'self'");
  });

  it('keeps the stricter policy an attachment download sets itself', async () => {
    await loadDemoDirectives(plain.database);
    const [task] = await loadTrackedTasks(plain.database.db, {});
    assert.ok(task);
    const content = Buffer.from('<html><script>alert(1)</script></html>');
    const report = await addProgressReport(
      plain.database,
      task.id,
      {
        text: 'Báo cáo kèm tệp.',
        percentage: 10,
        attachments: [{ filename: 'x.html', contentType: 'text/html', content }],
      },
      { context: { actor: 'test:edge' }, name: 'Test', unitId: task.unit.id, actsForAnyUnit: true },
    );
    const officer = await loginAs(plain, await createAccount(plain.database, { kind: 'officer', role: 'head' }));
    const download = await plain.app.inject({
      method: 'GET',
      url: `/api/v1/directive-attachments/${report.attachments[0]?.id}`,
      headers: { cookie: officer.cookie },
    });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-security-policy'], "default-src 'none'; sandbox");
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.match(String(download.headers['content-disposition']), /^attachment/);
  });

  it('lets other sites show the badge', async () => {
    const badge = await plain.app.inject({ method: 'GET', url: '/badge/DEMO-TMDT-0001.svg' });
    assert.match(String(badge.headers['content-type']), /^image\/svg\+xml/);
    assert.equal(badge.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(badge.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
  });

  it('sends HSTS and upgrades requests only when PORTAL_URL is https', async () => {
    const https = await startTestApp({ env: { PORTAL_URL: 'https://portal.example.gov.vn' } });
    try {
      const response = await https.app.inject({ method: 'GET', url: '/' });
      assert.equal(response.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.ok(directivesOf(response.headers['content-security-policy']).has('upgrade-insecure-requests'));
      const plainPage = await plain.app.inject({ method: 'GET', url: '/' });
      assert.ok(!directivesOf(plainPage.headers['content-security-policy']).has('upgrade-insecure-requests'));
    } finally {
      await https.close();
    }
  });
});

describe(`behind a reverse proxy (${testDatabaseKind})`, () => {
  let direct: TestApp;
  let proxied: TestApp;
  before(async () => {
    direct = await startTestApp();
    proxied = await startTestApp({ env: { TRUST_PROXY: ['127.0.0.1'] } });
  });
  after(async () => {
    await direct.close();
    await proxied.close();
  });

  /** Signs in through the form from the peer address, with the X-Forwarded-For a proxy (or a client) sent. */
  async function signInVia(
    target: TestApp,
    remoteAddress: string,
    forwardedFor: string,
    credentials: { email: string; password: string },
  ) {
    const form = await anonymousForm(target.app);
    return target.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: {
        cookie: form.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': forwardedFor,
      },
      payload: formBody({ ...credentials, _csrf: form.csrf }),
    });
  }

  /** A failed sign-in of a made-up e-mail, and the address its audit event recorded. */
  async function failedSignInAddress(target: TestApp, remoteAddress: string, forwardedFor: string) {
    const email = `nobody-${Math.random().toString(36).slice(2)}@example.vn`;
    const response = await signInVia(target, remoteAddress, forwardedFor, { email, password: 'wrong' });
    assert.equal(response.statusCode, 401);
    const [event] = await listAuditEvents(target.database.db, { entityType: 'login', entityId: email });
    assert.equal(event?.action, 'login.failed');
    return event?.ip;
  }

  it('records the client address a trusted proxy forwards', async () => {
    assert.equal(await failedSignInAddress(proxied, '127.0.0.1', '203.0.113.50'), '203.0.113.50');
    // A client that sends its own X-Forwarded-For gets the address the proxy saw appended: that one counts.
    assert.equal(await failedSignInAddress(proxied, '127.0.0.1', '198.51.100.1, 203.0.113.51'), '203.0.113.51');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy, and without TRUST_PROXY', async () => {
    assert.equal(await failedSignInAddress(proxied, '192.0.2.9', '203.0.113.52'), '192.0.2.9');
    assert.equal(await failedSignInAddress(direct, '127.0.0.1', '203.0.113.53'), '127.0.0.1');
  });

  it('keeps the forwarded address with the session', async () => {
    const account = await createAccount(proxied.database, { kind: 'business' });
    const { email, password } = account;
    const response = await signInVia(proxied, '127.0.0.1', '203.0.113.60', { email, password });
    assert.equal(response.statusCode, 303);
    const rows = await sql<{ ip: string }>`SELECT ip FROM sessions WHERE account_id = ${account.id}`.execute(
      proxied.database.db,
    );
    assert.deepEqual(
      rows.rows.map((row) => row.ip),
      ['203.0.113.60'],
    );
  });

  it('believes X-Forwarded-Proto only from a trusted proxy (cookies are Secure behind an https proxy)', async () => {
    const csrfCookie = async (target: TestApp, remoteAddress: string) => {
      const response = await target.app.inject({
        method: 'GET',
        url: '/login',
        remoteAddress,
        headers: { 'x-forwarded-proto': 'https' },
      });
      return [response.headers['set-cookie'] ?? []].flat().find((line) => line.startsWith(`${CSRF_COOKIE}=`));
    };
    assert.match((await csrfCookie(proxied, '127.0.0.1')) ?? '', /;\s*Secure/i);
    assert.doesNotMatch((await csrfCookie(proxied, '192.0.2.9')) ?? 'missing', /;\s*Secure/i);
    assert.doesNotMatch((await csrfCookie(direct, '127.0.0.1')) ?? 'missing', /;\s*Secure/i);
  });
});
