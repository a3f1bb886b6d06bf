import { recordAuditEvent } from '../../core/audit.ts';
import type { TotpRequirement } from '../../core/config.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { sha256Hex } from '../../core/hash.ts';
import { toNfc } from '../../core/text.ts';
import {
  type AccountRow,
  claimTotpStep,
  clearFailures,
  countFailure,
  deleteExpiredSessions,
  deleteLoginChallenge,
  deleteSession,
  deleteSessionsOfAccount,
  findAccountRowByEmail,
  findAccountRowById,
  findLiveLoginChallenge,
  findLiveSession,
  findLockedUntil,
  insertLoginChallenge,
  insertSession,
  listSessionRowsOfAccount,
  touchSession,
  updateAccountRow,
} from './accounts.repository.ts';
import { type Account, accountRowToAccount, accountRowToPrincipal } from './accounts.service.ts';
import { generateSecret, verifyAgainstNothing, verifyPassword } from './passwords.ts';
import type { Principal } from './permissions.ts';
import { acceptTotpCode } from './totp.ts';

/**
 * Signing in and out. Sessions are random tokens in a cookie, stored as SHA-256 hashes, and end after 12
 * hours, or 2 hours without use.
 *
 * Failed attempts (wrong password or code) are counted in the database, so every process sees the same
 * counts, per account and address and per account; never per address alone: a ministry's officers share
 * one NAT address, and a lock of that address would let anyone behind it lock all of them out with a few
 * bad sign-ins. Throttling an address is the job of the per-address rate limit on the sign-in forms
 * (accounts.routes.ts).
 */
export const LOGIN_POLICY = {
  /**
   * 5 failures of one account from one address within 15 minutes lock that account from that address for
   * 15 minutes: a person who forgot the password, or someone guessing from one place. The others behind the
   * same address sign in as usual, and so does the account's owner from another address.
   */
  accountAddress: { threshold: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /**
   * 50 failures of one account from all addresses within an hour lock it everywhere for an hour: guessing
   * spread over many addresses. One address adds at most 20 failures an hour (5, then its 15-minute lock
   * above), so 50 takes at least three addresses at once, far beyond a person mistyping on a laptop and a
   * phone; guessing is held to 50 passwords per account an hour.
   */
  account: { threshold: 50, windowSeconds: 60 * 60, lockSeconds: 60 * 60 },
} as const;

export const SESSION_POLICY = { maxSeconds: 12 * 3600, idleSeconds: 2 * 3600 } as const;

/** Minutes to enter the code of the second step after the password. */
const CHALLENGE_SECONDS = 5 * 60;

export interface NewSession {
  /** The cookie's value; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export type LoginResult =
  | { step: 'signed_in'; session: NewSession; account: Account }
  | { step: 'totp'; challenge: string }
  | { step: 'refused'; reason: 'wrong_credentials' | 'locked' | 'challenge_expired'; lockedUntil?: Date }
  /** The password was right; the address of the sign-up is not confirmed yet. */
  | { step: 'unconfirmed'; accountId: string; email: string };

export interface LoginInput {
  email: string;
  password: string;
  userAgent?: string | undefined;
}

/** The counters a sign-in of the e-mail from the address counts against (no address: the CLI, a test). */
function throttleKeys(email: string, ip: string | undefined): { account: string; accountAddress?: string } {
  return ip
    ? { account: `account:${email}`, accountAddress: `account-address:${email} ${ip}` }
    : { account: `account:${email}` };
}

async function findSignInLock(db: Db, email: string, ip: string | undefined): Promise<Date | undefined> {
  return findLockedUntil(db, Object.values(throttleKeys(email, ip)));
}

function loginEntity(email: string, row: AccountRow | undefined) {
  return row ? { entityType: 'account', entityId: row.id } : { entityType: 'login', entityId: email };
}

async function refuseLocked(
  db: Db,
  context: ActorContext,
  email: string,
  row: AccountRow | undefined,
  lockedUntil: Date,
): Promise<LoginResult> {
  await db.transaction().execute(async (trx) => {
    await recordAuditEvent(trx, context, {
      action: 'login.refused',
      ...loginEntity(email, row),
      changes: { email, reason: 'locked', locked_until: lockedUntil.toISOString() },
    });
  });
  return { step: 'refused', reason: 'locked', lockedUntil };
}

/**
 * Counts a failed attempt against the account from this address and against the account, locking at the
 * thresholds; each lock is an audit event saying where it holds (`from`: the address, or everywhere).
 */
async function recordFailure(
  db: Db,
  context: ActorContext,
  email: string,
  row: AccountRow | undefined,
  reason: 'password' | 'totp' | 'disabled',
): Promise<LoginResult> {
  const keys = throttleKeys(email, context.ip);
  const locks = await db.transaction().execute(async (trx) => {
    const addressLock = keys.accountAddress
      ? await countFailure(trx, keys.accountAddress, LOGIN_POLICY.accountAddress)
      : undefined;
    const accountLock = await countFailure(trx, keys.account, LOGIN_POLICY.account);
    await recordAuditEvent(trx, context, {
      action: 'login.failed',
      ...loginEntity(email, row),
      changes: { email, reason },
    });
    const recordLock = (lockedUntil: Date, from: string, failures: number) =>
      recordAuditEvent(trx, context, {
        action: 'login.locked',
        ...loginEntity(email, row),
        changes: { email, from, locked_until: lockedUntil.toISOString(), failures },
      });
    if (addressLock && context.ip) {
      await recordLock(addressLock, context.ip, LOGIN_POLICY.accountAddress.threshold);
    }
    if (accountLock) await recordLock(accountLock, 'everywhere', LOGIN_POLICY.account.threshold);
    return [addressLock, accountLock].filter((lock): lock is Date => lock !== undefined);
  });
  const lockedUntil = locks.sort((a, b) => b.getTime() - a.getTime())[0];
  return lockedUntil
    ? { step: 'refused', reason: 'locked', lockedUntil }
    : { step: 'refused', reason: 'wrong_credentials' };
}

async function openSession(
  trx: Db,
  context: ActorContext,
  row: AccountRow,
  userAgent: string | undefined,
  method: 'password' | 'password+totp',
): Promise<NewSession> {
  const session: NewSession = {
    token: generateSecret(),
    csrfToken: generateSecret(),
    expiresAt: new Date(Date.now() + SESSION_POLICY.maxSeconds * 1000),
  };
  await insertSession(trx, {
    token_hash: sha256Hex(session.token),
    account_id: row.id,
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt,
    ip: context.ip ?? null,
    user_agent: userAgent?.slice(0, 300) ?? null,
  });
  await clearFailures(trx, Object.values(throttleKeys(row.email, context.ip)));
  await updateAccountRow(trx, row.id, { last_login_at: new Date() });
  await recordAuditEvent(
    trx,
    { ...context, actor: `user:${row.id}` },
    {
      action: 'login.succeeded',
      entityType: 'account',
      entityId: row.id,
      changes: { method },
    },
  );
  return session;
}

/** First step: the password. Officers with two-step verification get a challenge for their code. */
export async function logIn(db: Db, context: ActorContext, input: LoginInput): Promise<LoginResult> {
  const email = toNfc(input.email).trim().toLowerCase().slice(0, 254);
  const row = email ? await findAccountRowByEmail(db, email) : undefined;
  const lockedUntil = await findSignInLock(db, email, context.ip);
  if (lockedUntil) return refuseLocked(db, context, email, row, lockedUntil);

  const passwordOk = row
    ? await verifyPassword(row.password_hash, input.password)
    : await verifyAgainstNothing(input.password);
  if (!row || !passwordOk) return recordFailure(db, context, email, row, 'password');
  // A disabled account answers like a wrong password: the response must not confirm the password.
  if (!row.is_active) return recordFailure(db, context, email, row, 'disabled');
  // Only now, with the right password, may the answer say that the address still needs confirming.
  if (!row.email_confirmed_at) {
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, context, {
        action: 'login.refused',
        entityType: 'account',
        entityId: row.id,
        changes: { email, reason: 'unconfirmed' },
      }),
    );
    return { step: 'unconfirmed', accountId: row.id, email: row.email };
  }

  if (row.totp_secret) {
    const challenge = generateSecret();
    await db.transaction().execute(async (trx) => {
      await insertLoginChallenge(trx, {
        token_hash: sha256Hex(challenge),
        account_id: row.id,
        expires_at: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
      });
      await recordAuditEvent(trx, context, {
        action: 'login.password_accepted',
        entityType: 'account',
        entityId: row.id,
        changes: { next: 'totp' },
      });
    });
    return { step: 'totp', challenge };
  }
  const session = await db.transaction().execute((trx) => openSession(trx, context, row, input.userAgent, 'password'));
  return { step: 'signed_in', session, account: accountRowToAccount(row) };
}

/** Second step: the code from the authenticator app, within five minutes of the password. */
export async function completeTotpLogin(
  db: Db,
  context: ActorContext,
  input: { challenge: string; code: string; userAgent?: string | undefined },
): Promise<LoginResult> {
  const challengeHash = sha256Hex(input.challenge);
  const accountId = await findLiveLoginChallenge(db, challengeHash);
  const row = accountId ? await findAccountRowById(db, accountId) : undefined;
  if (!row?.totp_secret || !row.is_active) return { step: 'refused', reason: 'challenge_expired' };
  const lockedUntil = await findSignInLock(db, row.email, context.ip);
  if (lockedUntil) {
    await db.transaction().execute((trx) => deleteLoginChallenge(trx, challengeHash));
    return refuseLocked(db, context, row.email, row, lockedUntil);
  }
  const step = acceptTotpCode(row.totp_secret, input.code, row.totp_last_step);
  const secret = row.totp_secret;
  const session =
    step === undefined
      ? undefined
      : await db.transaction().execute(async (trx) => {
          if (!(await claimTotpStep(trx, row.id, step))) return undefined;
          await deleteLoginChallenge(trx, challengeHash);
          return openSession(trx, context, { ...row, totp_secret: secret }, input.userAgent, 'password+totp');
        });
  if (!session) {
    const result = await recordFailure(db, context, row.email, row, 'totp');
    if (result.step === 'refused' && result.reason === 'locked') {
      await db.transaction().execute((trx) => deleteLoginChallenge(trx, challengeHash));
    }
    return result;
  }
  return { step: 'signed_in', session, account: accountRowToAccount(row) };
}

export interface SessionState {
  principal: Principal;
  csrfToken: string;
  tokenHash: string;
}

/**
 * The principal of a session cookie's token, if the session is live and its account active, with whether it has
 * and needs two-step verification (`requireTotp`, REQUIRE_TOTP): one query.
 */
export async function resolveSession(
  db: Db,
  token: string,
  requireTotp: readonly TotpRequirement[],
): Promise<SessionState | undefined> {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined;
  const tokenHash = sha256Hex(token);
  const found = await findLiveSession(db, tokenHash, SESSION_POLICY.idleSeconds);
  if (!found) return undefined;
  if (Date.now() - found.session.last_seen_at.getTime() > 60_000) await touchSession(db, tokenHash);
  return {
    principal: accountRowToPrincipal(found.account, requireTotp),
    csrfToken: found.session.csrf_token,
    tokenHash,
  };
}

export async function logOut(db: Db, context: ActorContext, token: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const accountId = await deleteSession(trx, sha256Hex(token));
    if (accountId) {
      await recordAuditEvent(trx, context, {
        action: 'account.logged_out',
        entityType: 'account',
        entityId: accountId,
      });
    }
  });
}

/** Ends every session of the account, on every device; returns how many there were. */
export async function logOutEverywhere(db: Db, context: ActorContext, accountId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await deleteSessionsOfAccount(trx, accountId);
    await recordAuditEvent(trx, context, {
      action: 'account.logged_out_everywhere',
      entityType: 'account',
      entityId: accountId,
      changes: { sessions_ended: ended },
    });
    return ended;
  });
}

export interface SessionSummary {
  current: boolean;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export async function listSessions(db: Db, accountId: string, currentTokenHash?: string): Promise<SessionSummary[]> {
  const rows = await listSessionRowsOfAccount(db, accountId);
  return rows.map((row) => ({
    current: row.token_hash === currentTokenHash,
    created_at: row.created_at.toISOString(),
    last_seen_at: row.last_seen_at.toISOString(),
    ip: row.ip,
    user_agent: row.user_agent,
  }));
}

/** Deletes what expired: sessions, second-step challenges, failure counters of ended windows and locks. */
export async function deleteStaleSignInData(db: Db): Promise<number> {
  const longestWindow = Math.max(LOGIN_POLICY.account.windowSeconds, LOGIN_POLICY.accountAddress.windowSeconds);
  return deleteExpiredSessions(db, SESSION_POLICY.idleSeconds, longestWindow);
}
