import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../src/core/http.ts';
import { listProtectedRoutes, type ProtectedRoute } from '../src/modules/accounts/accounts.plugin.ts';
import { can } from '../src/modules/accounts/index.ts';
import {
  type OfficerRole,
  type Principal,
  TOKEN_SCOPES,
  type TokenScope,
} from '../src/modules/accounts/permissions.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, createPartnerToken, loginAs, type TestAccount, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

/**
 * Every route of the whole app that names a permission, called as every kind of principal: allowed
 * principals must not get 401/403 (nor be sent to the sign-in page), everyone else must. The expected
 * answer comes from the matrix (permissions.ts), which permissions.test.ts checks against the contract.
 */

const UNITS = [
  'idea',
  'market_management',
  'inspectorate',
  'ministry_office',
  'import_export',
  'newspaper',
  'legal',
] as const;
const ROLES: OfficerRole[] = ['viewer', 'officer', 'head'];
/** Stands for any `:param` in a route; no record has it, so allowed calls end in 404 or 400, never a change. */
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

type Caller =
  | { label: string; kind: 'anonymous' }
  | {
      label: string;
      kind: 'account';
      account: TestAccount;
      principal: Principal;
      /** Must still turn on two-step verification: only the routes open during enrolment let it through. */
      mustEnrolTotp?: boolean;
      session?: TestSession;
      /** Set after a state-changing call: it may have ended the session. */
      mayHaveEnded?: boolean;
    }
  | { label: string; kind: 'partner'; token: string; principal: Principal };

function principalOf(account: TestAccount): Principal {
  return {
    accountId: account.id,
    kind: account.kind,
    unitId: account.unitId,
    role: account.role,
    organisationId: account.organisationId,
    organisationVerified: account.organisationVerified,
    scopes: [],
    displayName: '',
    email: account.email,
    hasTotp: account.totpSecret !== undefined,
    needsTotp: false,
  };
}

function partnerPrincipal(scopes: readonly TokenScope[]): Principal {
  return {
    accountId: 'token',
    kind: 'partner',
    unitId: null,
    role: null,
    organisationId: null,
    organisationVerified: false,
    scopes: [...scopes],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  };
}

function concreteUrl(route: ProtectedRoute): string {
  return route.url.replace(/:[A-Za-z_]\w*/g, PLACEHOLDER).replace(/\*$/, 'x');
}

function isDenied(response: { statusCode: number; headers: Record<string, unknown> }): boolean {
  if (response.statusCode === 401 || response.statusCode === 403) return true;
  // The gate's way of saying "sign in first" (a route may also send someone to /login?notice=…), or "turn on
  // two-step verification first", to a browser.
  const location = String(response.headers.location ?? '');
  return (
    response.statusCode === 303 &&
    (location === '/login' ||
      location.startsWith('/login?next=') ||
      location === '/account#totp' ||
      // A business whose organisation is not verified yet is sent to file its certificate.
      location === '/business/organisation?notice=verify_first')
  );
}

describe(`every protected route as every role (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let app: App;
  const callers: Caller[] = [{ label: 'anonymous', kind: 'anonymous' }];

  before(async () => {
    testApp = await startTestApp({ demo: false });
    app = testApp.app;
    const accounts: Array<[string, TestAccount]> = [];
    for (const unitId of UNITS) {
      for (const role of ROLES) {
        accounts.push([`${role}@${unitId}`, await createAccount(testApp.database, { kind: 'officer', unitId, role })]);
      }
    }
    accounts.push(['business', await createAccount(testApp.database, { kind: 'business' })]);
    accounts.push([
      'business (organisation not verified)',
      await createAccount(testApp.database, { kind: 'business', verified: false }),
    ]);
    accounts.push(['admin', await createAccount(testApp.database, { kind: 'admin' })]);
    for (const [label, account] of accounts) {
      callers.push({ label, kind: 'account', account, principal: principalOf(account) });
    }
    for (const [label, options] of [
      ['admin without two-step verification', { kind: 'admin', totp: false }],
      ['head@idea without two-step verification', { kind: 'officer', unitId: 'idea', role: 'head', totp: false }],
    ] as const) {
      const account = await createAccount(testApp.database, options);
      callers.push({ label, kind: 'account', account, principal: principalOf(account), mustEnrolTotp: true });
    }
    callers.push({
      label: 'partner (every scope)',
      kind: 'partner',
      token: await createPartnerToken(testApp.database, TOKEN_SCOPES),
      principal: partnerPrincipal(TOKEN_SCOPES),
    });
    callers.push({
      label: 'partner (check:read)',
      kind: 'partner',
      token: await createPartnerToken(testApp.database, ['check:read']),
      principal: partnerPrincipal(['check:read']),
    });
  });
  after(async () => {
    await testApp.close();
  });

  /** A live session for the caller; a route may have ended the last one (sign out everywhere, password change). */
  async function sessionOf(caller: Extract<Caller, { kind: 'account' }>): Promise<TestSession> {
    if (caller.session && !caller.mayHaveEnded) return caller.session;
    if (caller.session) {
      const check = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caller.session.cookie } });
      if (check.statusCode === 200) {
        caller.mayHaveEnded = false;
        return caller.session;
      }
    }
    caller.session = await loginAs(app, caller.account);
    caller.mayHaveEnded = false;
    return caller.session;
  }

  async function call(route: ProtectedRoute, caller: Caller) {
    const headers: Record<string, string> = {};
    if (caller.kind === 'account') {
      const session = await sessionOf(caller);
      headers.cookie = session.cookie;
      headers['x-csrf-token'] = session.csrf;
    } else if (caller.kind === 'partner') {
      headers.authorization = `Bearer ${caller.token}`;
    }
    const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method);
    if (caller.kind === 'account' && route.method !== 'GET') caller.mayHaveEnded = true;
    return app.inject({
      method: route.method as 'GET',
      url: concreteUrl(route),
      // An address per caller: routes with a rate limit per address must not refuse one caller for another's calls.
      remoteAddress: `192.0.2.${callers.indexOf(caller) + 1}`,
      headers,
      ...(hasBody ? { payload: {} } : {}),
    });
  }

  it('finds the protected routes of every module, the accounts module’s among them', () => {
    const routes = listProtectedRoutes(app);
    const urls = new Set(routes.map((route) => `${route.method} ${route.url}`));
    for (const expected of [
      'GET /admin/accounts',
      'POST /admin/tokens',
      'GET /workbench/audit',
      'GET /api/v1/audit',
      'GET /account',
      'POST /account/logout-everywhere',
      'GET /api/v1/directive-feeds',
      'POST /api/v1/directive-feeds',
      'DELETE /api/v1/directive-feeds/:id',
      'POST /workbench/directive-feeds',
      'POST /workbench/directive-feeds/:id/revoke',
      'GET /business/organisation',
      'POST /business/organisation',
      'GET /workbench/organisations',
      'POST /api/v1/organisations/claims/:id/decision',
      'GET /workbench/advisories',
      'POST /workbench/advisories',
      'POST /workbench/advisories/:id/publish',
      'POST /workbench/advisories/:id/withdraw',
      'GET /workbench/blocks',
      'POST /workbench/blocks',
      'POST /workbench/blocks/:id/approve',
      'POST /workbench/blocks/:id/return',
      'POST /workbench/blocks/:id/decide',
      'POST /workbench/blocks/:id/activate',
      'POST /workbench/blocks/:id/lift',
      'POST /workbench/blocks/:id/amend',
      'GET /workbench/appeals',
      'POST /workbench/appeals/:id/accept',
      'POST /workbench/appeals/:id/grant',
      'POST /workbench/appeals/:id/reject',
      'GET /workbench/evidence',
      'GET /workbench/evidence/:id',
      'GET /workbench/evidence/:id/package.zip',
      'POST /workbench/evidence/:id/verify',
      'POST /api/v1/promotions/check',
      'GET /workbench/promotions',
      'POST /workbench/promotions/check',
      'GET /workbench/promotions/offers.csv',
    ]) {
      assert.ok(urls.has(expected), expected);
    }
  });

  it('allows exactly the principals the matrix allows, on every protected route', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    for (const route of listProtectedRoutes(app)) {
      // Callers of one route at once: each has its own session, so they cannot disturb each other.
      await Promise.all(
        callers.map(async (caller) => {
          const expectAllowed =
            caller.kind !== 'anonymous' &&
            route.permissions.every((permission) => can(caller.principal, permission)) &&
            (caller.kind !== 'account' || !caller.mustEnrolTotp || route.duringTotpEnrolment);
          const response = await call(route, caller);
          calls += 1;
          if (isDenied(response) === expectAllowed) {
            mismatches.push(
              `${route.method} ${route.url} (${route.permissions.join(' + ')}) as ${caller.label}: expected ${expectAllowed ? 'allow' : 'deny'}, got ${response.statusCode} ${response.body.slice(0, 120)}`,
            );
          }
        }),
      );
    }
    assert.deepEqual(mismatches, []);
    assert.ok(calls >= listProtectedRoutes(app).length * callers.length);
  });

  it('answers an anonymous caller 401 on the API and the sign-in page elsewhere', async () => {
    for (const route of listProtectedRoutes(app).filter((candidate) => candidate.method === 'GET')) {
      const response = await app.inject({ method: 'GET', url: concreteUrl(route) });
      if (route.url.startsWith('/api/')) {
        assert.equal(response.statusCode, 401, route.url);
      } else {
        assert.equal(response.statusCode, 303, route.url);
        assert.equal(response.headers.location, `/login?next=${encodeURIComponent(concreteUrl(route))}`);
      }
    }
  });
});
