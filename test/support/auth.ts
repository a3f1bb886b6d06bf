import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/core/db.ts';
import type { App } from '../../src/core/http.ts';
import { computeTaxCodeCheckDigit } from '../../src/core/tax-code.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import {
  confirmTotpEnrolment,
  createAdmin,
  createOfficer,
  findAccountByEmail,
  startTotpEnrolment,
} from '../../src/modules/accounts/accounts.service.ts';
import { verifyOrganisationForSetup } from '../../src/modules/accounts/organisations.service.ts';
import type { AccountKind, OfficerRole, TokenScope } from '../../src/modules/accounts/permissions.ts';
import { confirmAccountEmail, signUpBusiness } from '../../src/modules/accounts/signup.service.ts';
import { createApiToken } from '../../src/modules/accounts/tokens.service.ts';
import { generateTotpCode } from '../../src/modules/accounts/totp.ts';

/**
 * Accounts and sessions for tests of any module: `createAccount` writes an account straight through
 * the services (a business signs up and confirms its address with the link of its e-mail; administrators and
 * heads of units turn on two-step verification, which the default policy requires of them), `loginAs` signs it
 * in through the real sign-in form and returns what a browser would hold (the session cookie, and the CSRF token
 * its forms and state-changing requests must send).
 */

const TEST_CONTEXT = { actor: 'test:setup' };

export interface TestAccount {
  id: string;
  kind: AccountKind;
  email: string;
  password: string;
  unitId: string | null;
  role: OfficerRole | null;
  organisationId: string | null;
  /** Businesses: an officer verified the organisation (the default of `createAccount`). */
  organisationVerified: boolean;
  /** Set when two-step verification is on (see the accounts tests); `loginAs` then computes the code. */
  totpSecret?: string;
}

export interface NewTestAccount {
  kind: AccountKind;
  /** Officers: a unit id of MINISTRY_UNITS (default 'idea'). */
  unitId?: string;
  /** Officers: default 'officer'. */
  role?: OfficerRole;
  email?: string;
  password?: string;
  displayName?: string;
  /** Businesses: default a made-up company with a valid, random tax code. */
  organisationName?: string;
  taxCode?: string;
  /**
   * Businesses: the organisation is verified, as if an officer had checked its certificate (default true, so that
   * tests of what a business does need not file one); false leaves the claim `unverified`.
   */
  verified?: boolean;
  /** Turn on two-step verification; default: for administrators and heads of units (REQUIRE_TOTP's default). */
  totp?: boolean;
}

/** A valid tax code nobody else in the test has (random first nine digits, correct check digit). */
export function randomTaxCode(): string {
  for (;;) {
    const firstNine = `0${String(randomInt(10 ** 8)).padStart(8, '0')}`;
    const check = computeTaxCodeCheckDigit(firstNine);
    if (check !== undefined) return `${firstNine}${check}`;
  }
}

/** The link of the newest sign-up confirmation e-mail queued for the address (the outbox keeps every message). */
export async function confirmationTokenFor(database: Database, email: string): Promise<string> {
  const mail = await database.db
    .selectFrom('mail_outbox')
    .select('body')
    .where(sql<boolean>`${email} = ANY(recipients)`)
    .where('subject', 'like', 'Xác nhận địa chỉ email%')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const token = /\/signup\/confirm\?token=([\w-]+)/.exec(mail?.body ?? '')?.[1];
  if (!token) throw new Error(`no confirmation e-mail queued for ${email}`);
  return token;
}

/** The last TOTP step each test secret used: a code is accepted once, so the next sign-in takes the next step. */
const usedTotpSteps = new Map<string, number>();
const TOTP_STEP_MS = 30_000;

/** A code the server accepts now and has not seen: this step's or the next (one step of drift is allowed). */
async function freshTotpCode(secret: string): Promise<string> {
  const step = Math.max(Math.floor(Date.now() / TOTP_STEP_MS), (usedTotpSteps.get(secret) ?? -1) + 1);
  const waitMs = (step - 1) * TOTP_STEP_MS - Date.now() + 100;
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  usedTotpSteps.set(secret, step);
  return generateTotpCode(secret, step * TOTP_STEP_MS);
}

async function turnOnTotp(database: Database, accountId: string, password: string): Promise<string> {
  const { secret } = await startTotpEnrolment(database.db, TEST_CONTEXT, accountId, password);
  // Confirmed with the previous step's code, so that sign-ins can use this step's and the next one's.
  const previous = Math.floor(Date.now() / TOTP_STEP_MS) - 1;
  await confirmTotpEnrolment(database.db, TEST_CONTEXT, accountId, {
    code: generateTotpCode(secret, previous * TOTP_STEP_MS),
    currentPassword: password,
  });
  usedTotpSteps.set(secret, previous);
  return secret;
}

async function createBusiness(database: Database, options: NewTestAccount, email: string, password: string) {
  const { completion } = await signUpBusiness(
    database.db,
    TEST_CONTEXT,
    {
      email,
      password,
      organisationName: options.organisationName ?? `Công ty TNHH Thử nghiệm ${randomBytes(3).toString('hex')}`,
      taxCode: options.taxCode ?? randomTaxCode(),
      displayName: options.displayName,
    },
    {
      portalUrl: 'http://portal.test',
      log: {
        warn(object, message) {
          throw new Error(`${message}: ${String((object as { err?: unknown }).err)}`);
        },
      },
    },
  );
  await completion;
  await confirmAccountEmail(database.db, TEST_CONTEXT, await confirmationTokenFor(database, email.toLowerCase()));
  const account = await findAccountByEmail(database.db, email);
  if (!account?.organisation) throw new Error(`the sign-up of ${email} made no account`);
  if (options.verified ?? true) {
    await verifyOrganisationForSetup(database.db, TEST_CONTEXT, account.organisation.id);
  }
  return account;
}

export async function createAccount(database: Database, options: NewTestAccount): Promise<TestAccount> {
  const email = options.email ?? `${options.kind}-${randomBytes(5).toString('hex')}@test.example`;
  const password = options.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const db = database.db;
  const account =
    options.kind === 'officer'
      ? await createOfficer(db, TEST_CONTEXT, {
          email,
          password,
          unitId: options.unitId ?? 'idea',
          role: options.role ?? 'officer',
          displayName: options.displayName,
        })
      : options.kind === 'business'
        ? await createBusiness(database, options, email, password)
        : await createAdmin(db, TEST_CONTEXT, { email, password, displayName: options.displayName });
  const totp = options.totp ?? (account.kind === 'admin' || account.role === 'head');
  return {
    id: account.id,
    kind: account.kind,
    email: account.email,
    password,
    unitId: account.unit_id,
    role: account.role,
    organisationId: account.organisation?.id ?? null,
    organisationVerified: account.kind === 'business' && (options.verified ?? true),
    ...(totp ? { totpSecret: await turnOnTotp(database, account.id, password) } : {}),
  };
}

export interface TestSession {
  /** The `cookie` header value: `ecomgov_session=…`. */
  cookie: string;
  /** Send as form field `_csrf` or header `x-csrf-token` with every POST/PUT/PATCH/DELETE. */
  csrf: string;
}

type AppLike = App | { app: App };

function appOf(target: AppLike): App {
  return 'app' in target && typeof (target as { app: App }).app.inject === 'function'
    ? (target as { app: App }).app
    : (target as App);
}

function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  for (const line of [setCookie ?? []].flat()) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function hiddenValue(page: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
}

/** A fresh anonymous form token (cookie and field) as GET /login hands a browser. */
export async function anonymousForm(target: AppLike): Promise<TestSession> {
  const response = await appOf(target).inject({ method: 'GET', url: '/login' });
  const token = cookieValue(response.headers['set-cookie'], CSRF_COOKIE);
  const field = hiddenValue(response.body, '_csrf');
  if (!token || token !== field) throw new Error('GET /login did not hand out a CSRF token');
  return { cookie: `${CSRF_COOKIE}=${token}`, csrf: token };
}

/** A form body as a browser posts it. */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of [value].flat()) params.append(name, item);
  }
  return params.toString();
}

/**
 * Signs the account in through POST /login (and the code step when it has two-step verification),
 * from an address of its own so sign-in rate limits and lockouts of other tests do not interfere.
 */
export async function loginAs(
  target: AppLike,
  account: Pick<TestAccount, 'email' | 'password' | 'totpSecret'>,
): Promise<TestSession> {
  const app = appOf(target);
  const remoteAddress = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
  const form = await anonymousForm(app);
  const post = (url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...fields, _csrf: form.csrf }),
    });
  let response = await post('/login', { email: account.email, password: account.password });
  if (response.statusCode === 200 && account.totpSecret) {
    const challenge = hiddenValue(response.body, 'challenge');
    if (!challenge) throw new Error('expected the two-step verification form');
    response = await post('/login/totp', { challenge, code: await freshTotpCode(account.totpSecret) });
  }
  const session = cookieValue(response.headers['set-cookie'], SESSION_COOKIE);
  if (response.statusCode !== 303 || !session) {
    throw new Error(`signing in as ${account.email} failed: HTTP ${response.statusCode}`);
  }
  const cookie = `${SESSION_COOKIE}=${session}`;
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const csrf = (me.json() as { csrf_token?: string }).csrf_token;
  if (!csrf) throw new Error('GET /api/v1/me gave no CSRF token');
  return { cookie, csrf };
}

/** A partner API token with the scopes; returns the token to send as `Authorization: Bearer`. */
export async function createPartnerToken(
  database: Database,
  scopes: readonly TokenScope[],
  expires = `${new Date().getUTCFullYear() + 1}-12-31`,
): Promise<string> {
  const created = await createApiToken(database.db, TEST_CONTEXT, {
    name: `test partner ${randomBytes(3).toString('hex')}`,
    scopes,
    expires,
  });
  return created.token;
}
