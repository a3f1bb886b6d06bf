import { sql, type Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import { isUuid } from '../../core/ids.ts';
import { looksLikePersonalIdNumber } from '../../core/personal-id.ts';
import './accounts.table.ts';
import type { AccountTable, ClaimStatus } from './accounts.table.ts';

/** SQL of the accounts module; private to it (services call these, nothing else does). */

export type AccountRow = Omit<
  AccountTable,
  'id' | 'is_active' | 'created_at' | 'updated_at' | 'last_login_at' | 'email_confirmed_at'
> & {
  id: string;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  email_confirmed_at: Date | null;
  organisation_name: string | null;
  organisation_tax_code: string | null;
  /** Whether an officer verified the organisation (the one check of what a business may do: permissions.ts). */
  organisation_status: ClaimStatus | null;
};

function selectAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .leftJoin('account_organisations', 'account_organisations.id', 'accounts.organisation_id')
    .selectAll('accounts')
    .select([
      'account_organisations.name as organisation_name',
      'account_organisations.tax_code as organisation_tax_code',
      'account_organisations.status as organisation_status',
    ]);
}

export async function findAccountRowById(db: Db, id: string): Promise<AccountRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await selectAccounts(db).where('accounts.id', '=', id).executeTakeFirst()) as AccountRow | undefined;
}

export async function findAccountRowByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return (await selectAccounts(db).where('accounts.email', '=', email).executeTakeFirst()) as AccountRow | undefined;
}

export async function listAccountRows(db: Db, filter: { kind?: string | undefined } = {}): Promise<AccountRow[]> {
  let query = selectAccounts(db).orderBy('accounts.kind').orderBy('accounts.email');
  if (filter.kind) query = query.where('accounts.kind', '=', filter.kind as AccountTable['kind']);
  return (await query.execute()) as AccountRow[];
}

/** Who the accounts are, in one query, for pages that name the actors of their rows. */
export async function listAccountLabels(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; email: string; display_name: string; organisation_name: string | null }[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return db
    .selectFrom('accounts')
    .leftJoin('account_organisations', 'account_organisations.id', 'accounts.organisation_id')
    .select([
      'accounts.id',
      'accounts.email',
      'accounts.display_name',
      'account_organisations.name as organisation_name',
    ])
    .where('accounts.id', 'in', valid)
    .execute();
}

export async function insertAccount(
  trx: Db,
  values: {
    kind: AccountTable['kind'];
    email: string;
    display_name: string;
    password_hash: string;
    unit_id?: string | null;
    role?: AccountTable['role'];
    organisation_id?: string | null;
    /** Null for a sign-up until its owner confirms the address. */
    email_confirmed_at: Date | null;
  },
): Promise<string> {
  const row = await trx
    .insertInto('accounts')
    .values({
      unit_id: null,
      role: null,
      organisation_id: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAccountRow(
  trx: Db,
  id: string,
  patch: Omit<Updateable<AccountTable>, 'id' | 'kind' | 'email' | 'organisation_id' | 'created_at' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('accounts')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Advances the last accepted TOTP step only if it is newer: two racing requests cannot both use one code. */
export async function claimTotpStep(trx: Db, id: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('accounts')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findOrganisationRowById(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('account_organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertOrganisation(trx: Db, values: { name: string; tax_code: string }): Promise<string> {
  // A 12-digit personal identification number is an individual's claim (issue 10): verified from an identity document.
  const holder_kind = looksLikePersonalIdNumber(values.tax_code) ? 'individual' : 'organisation';
  const row = await trx
    .insertInto('account_organisations')
    .values({ ...values, holder_kind })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function selectUnitOfficerEmails(db: Db, unitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('email')
    .where('kind', '=', 'officer')
    .where('unit_id', '=', unitId)
    .where('role', 'in', ['officer', 'head'])
    .where('is_active', '=', true)
    .orderBy('email')
    .execute();
  return rows.map((row) => row.email);
}

// Sign-up: confirmation of the address

export async function insertEmailConfirmation(
  trx: Db,
  values: { token_hash: string; account_id: string; expires_at: Date },
): Promise<void> {
  await trx.insertInto('email_confirmations').values(values).execute();
}

/** The account a confirmation link is for, while the link is live. */
export async function findLiveEmailConfirmation(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('email_confirmations')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.account_id;
}

export async function deleteExpiredEmailConfirmations(db: Db): Promise<void> {
  await db.deleteFrom('email_confirmations').where('expires_at', '<=', sql<Date>`now()`).execute();
}

export async function deleteEmailConfirmationsOfAccount(trx: Db, accountId: string): Promise<void> {
  await trx.deleteFrom('email_confirmations').where('account_id', '=', accountId).execute();
}

/** Uses a live confirmation link up: the account it was for, once. */
export async function consumeEmailConfirmation(trx: Db, tokenHash: string): Promise<string | undefined> {
  const row = await trx
    .deleteFrom('email_confirmations')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

/** Deletes an account whose address was never confirmed, and its organisation; false when it is confirmed. */
export async function deleteUnconfirmedAccount(trx: Db, accountId: string): Promise<boolean> {
  const row = await trx
    .deleteFrom('accounts')
    .where('id', '=', accountId)
    .where('email_confirmed_at', 'is', null)
    .returning('organisation_id')
    .executeTakeFirst();
  if (!row) return false;
  if (row.organisation_id)
    await trx.deleteFrom('account_organisations').where('id', '=', row.organisation_id).execute();
  return true;
}

// Sessions

export async function insertSession(
  trx: Db,
  values: {
    token_hash: string;
    account_id: string;
    csrf_token: string;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
): Promise<void> {
  await trx.insertInto('sessions').values(values).execute();
}

export interface SessionWithAccount {
  session: { token_hash: string; csrf_token: string; last_seen_at: Date; expires_at: Date };
  account: AccountRow;
}

/** A live session (not expired, not idle too long) of an active account, with the account: one query per request. */
export async function findLiveSession(
  db: Db,
  tokenHash: string,
  idleSeconds: number,
): Promise<SessionWithAccount | undefined> {
  const row = await selectAccounts(db)
    .innerJoin('sessions', 'sessions.account_id', 'accounts.id')
    .select([
      'sessions.token_hash as session_token_hash',
      'sessions.csrf_token as session_csrf_token',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.expires_at as session_expires_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('sessions.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .where('accounts.is_active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_token_hash, session_csrf_token, session_last_seen_at, session_expires_at, ...account } = row;
  return {
    session: {
      token_hash: session_token_hash,
      csrf_token: session_csrf_token,
      last_seen_at: session_last_seen_at,
      expires_at: session_expires_at,
    },
    account: account as AccountRow,
  };
}

/** Records activity at most once a minute, so a busy session does not write on every request. */
export async function touchSession(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`)
    .execute();
}

export async function deleteSession(trx: Db, tokenHash: string): Promise<string | undefined> {
  const row = await trx
    .deleteFrom('sessions')
    .where('token_hash', '=', tokenHash)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

export async function deleteSessionsOfAccount(trx: Db, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listSessionRowsOfAccount(db: Db, accountId: string) {
  return db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteExpiredSessions(
  db: Db,
  idleSeconds: number,
  throttleWindowSeconds: number,
): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleSeconds})`),
      ]),
    )
    .executeTakeFirst();
  await db.deleteFrom('login_challenges').where('expires_at', '<=', sql<Date>`now()`).execute();
  await db
    .deleteFrom('login_throttle')
    .where('window_started_at', '<', sql<Date>`now() - make_interval(secs => ${throttleWindowSeconds})`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .execute();
  return Number(result.numDeletedRows);
}

// Second sign-in step

export async function insertLoginChallenge(
  trx: Db,
  values: { token_hash: string; account_id: string; expires_at: Date },
): Promise<void> {
  await trx.insertInto('login_challenges').values(values).execute();
}

export async function findLiveLoginChallenge(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('login_challenges')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.account_id;
}

export async function deleteLoginChallenge(trx: Db, tokenHash: string): Promise<void> {
  await trx.deleteFrom('login_challenges').where('token_hash', '=', tokenHash).execute();
}

// Throttling

/** The latest time any of the keys is locked until, if one is locked now. */
export async function findLockedUntil(db: Db, keys: readonly string[]): Promise<Date | undefined> {
  const row = await db
    .selectFrom('login_throttle')
    .select((eb) => eb.fn.max('locked_until').as('locked_until'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.locked_until ? new Date(row.locked_until) : undefined;
}

/**
 * Counts one failure against a key in one statement (atomic across processes); once `threshold`
 * failures fall within `windowSeconds`, the key is locked for `lockSeconds` and its count restarts.
 * Returns the lock's end when this failure set it.
 */
export async function countFailure(
  trx: Db,
  key: string,
  policy: { threshold: number; windowSeconds: number; lockSeconds: number },
): Promise<Date | undefined> {
  const result = await sql<{ locked_until: Date | null; just_locked: boolean }>`
    INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
    VALUES (${key}, 1, now(), NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE
        WHEN t.window_started_at < now() - make_interval(secs => ${policy.windowSeconds}) THEN 1
        WHEN t.failures + 1 >= ${policy.threshold} THEN 0
        ELSE t.failures + 1 END,
      window_started_at = CASE
        WHEN t.window_started_at < now() - make_interval(secs => ${policy.windowSeconds}) THEN now()
        ELSE t.window_started_at END,
      locked_until = CASE
        WHEN t.window_started_at >= now() - make_interval(secs => ${policy.windowSeconds})
          AND t.failures + 1 >= ${policy.threshold}
        THEN now() + make_interval(secs => ${policy.lockSeconds})
        ELSE t.locked_until END
    RETURNING locked_until, (locked_until IS NOT NULL AND locked_until > now() AND failures = 0) AS just_locked`.execute(
    trx,
  );
  const row = result.rows[0];
  return row?.just_locked && row.locked_until ? new Date(row.locked_until) : undefined;
}

export async function clearFailures(trx: Db, keys: readonly string[]): Promise<void> {
  await trx.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

// API tokens

export async function insertApiToken(
  trx: Db,
  values: {
    name: string;
    token_hash: string;
    token_prefix: string;
    scopes: string[];
    expires_at: Date;
    created_by: string;
  },
): Promise<string> {
  const row = await trx.insertInto('api_tokens').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findApiTokenRowByHash(db: Db, tokenHash: string) {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findApiTokenRowById(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listApiTokenRows(db: Db) {
  return db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
}

export async function markApiTokenRevoked(trx: Db, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}
