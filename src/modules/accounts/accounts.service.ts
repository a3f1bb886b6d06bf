import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { AppError, invalidInput, notFound } from '../../core/errors.ts';
import { validateTaxCode } from '../../core/tax-code.ts';
import { toNfc } from '../../core/text.ts';
import { findUnit } from '../units/index.ts';
import {
  type AccountRow,
  claimTotpStep,
  deleteSessionsOfAccount,
  findAccountRowByEmail,
  findAccountRowById,
  findOrganisationRowById,
  findOrganisationRowByTaxCode,
  insertAccount,
  insertOrganisation,
  listAccountRows,
  selectUnitOfficerEmails,
  updateAccountRow,
} from './accounts.repository.ts';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.ts';
import { type AccountKind, OFFICER_ROLES, type OfficerRole, type Principal } from './permissions.ts';
import { acceptTotpCode, generateTotpSecret, totpUri } from './totp.ts';

/** Accounts of officers, businesses and administrators: creation, passwords, two-step verification. */

export interface BusinessOrganisation {
  id: string;
  name: string;
  tax_code: string;
}

export interface Account {
  id: string;
  kind: AccountKind;
  email: string;
  display_name: string;
  unit_id: string | null;
  role: OfficerRole | null;
  organisation: BusinessOrganisation | null;
  is_active: boolean;
  totp_enabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export function accountRowToAccount(row: AccountRow): Account {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    display_name: row.display_name,
    unit_id: row.unit_id,
    role: row.role,
    organisation:
      row.organisation_id && row.organisation_name && row.organisation_tax_code
        ? { id: row.organisation_id, name: row.organisation_name, tax_code: row.organisation_tax_code }
        : null,
    is_active: row.is_active,
    totp_enabled: row.totp_secret !== null,
    created_at: row.created_at.toISOString(),
    last_login_at: row.last_login_at?.toISOString() ?? null,
  };
}

export function accountRowToPrincipal(row: AccountRow): Principal {
  return {
    accountId: row.id,
    kind: row.kind,
    unitId: row.kind === 'officer' ? row.unit_id : null,
    role: row.kind === 'officer' ? row.role : null,
    organisationId: row.kind === 'business' ? row.organisation_id : null,
    scopes: [],
    displayName: row.display_name,
    email: row.email,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mail addresses are compared in lower case: one person, one account, however they type it. */
export function normalizeEmail(email: string, field = 'email'): string {
  const normalized = toNfc(email).trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) {
    throw invalidInput(`"${email.trim().slice(0, 80)}" is not an e-mail address`, field);
  }
  return normalized;
}

function cleanName(name: string, field: string, max = 200): string {
  const cleaned = toNfc(name).replace(/\s+/g, ' ').trim();
  if (cleaned === '') throw invalidInput(`${field} is empty`, field);
  if (cleaned.length > max) throw invalidInput(`${field} is longer than ${max} characters`, field);
  return cleaned;
}

export async function findAccount(db: Db, id: string): Promise<Account | undefined> {
  const row = await findAccountRowById(db, id);
  return row ? accountRowToAccount(row) : undefined;
}

export async function getAccount(db: Db, id: string): Promise<Account> {
  const account = await findAccount(db, id);
  if (!account) throw notFound(`no account with id ${id}`);
  return account;
}

export async function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  const row = await findAccountRowByEmail(db, normalizeEmail(email));
  return row ? accountRowToAccount(row) : undefined;
}

export async function listAccounts(db: Db, filter: { kind?: AccountKind | undefined } = {}): Promise<Account[]> {
  return (await listAccountRows(db, filter)).map(accountRowToAccount);
}

/** The organisation a business account belongs to, by the `organisationId` of its principal. */
export async function findOrganisationOfBusiness(
  db: Db,
  organisationId: string,
): Promise<BusinessOrganisation | undefined> {
  const row = await findOrganisationRowById(db, organisationId);
  return row ? { id: row.id, name: row.name, tax_code: row.tax_code } : undefined;
}

/** E-mail addresses of the active officers and heads of a unit (for reminders and notices), sorted. */
export async function listUnitOfficerEmails(db: Db, unitId: string): Promise<string[]> {
  return selectUnitOfficerEmails(db, unitId);
}

async function ensureEmailFree(db: Db, email: string): Promise<void> {
  if (await findAccountRowByEmail(db, email)) {
    throw new AppError('conflict', `an account with the e-mail ${email} exists already`, { field: 'email' });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '23505';
}

async function insertAndAudit(
  db: Db,
  context: ActorContext,
  values: Parameters<typeof insertAccount>[1],
  organisation?: { name: string; tax_code: string },
): Promise<Account> {
  let id: string;
  try {
    id = await db.transaction().execute(async (trx) => {
      let organisationId: string | null = null;
      if (organisation) {
        organisationId = await insertOrganisation(trx, organisation);
        await recordAuditEvent(trx, context, {
          action: 'organisation.created',
          entityType: 'account_organisation',
          entityId: organisationId,
          changes: organisation,
        });
      }
      const accountId = await insertAccount(trx, { ...values, organisation_id: organisationId });
      await recordAuditEvent(trx, context, {
        action: 'account.created',
        entityType: 'account',
        entityId: accountId,
        changes: {
          kind: values.kind,
          email: values.email,
          display_name: values.display_name,
          unit_id: values.unit_id ?? null,
          role: values.role ?? null,
          organisation_id: organisationId,
        },
      });
      return accountId;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'an account with this e-mail or organisation exists already', { cause: error });
    }
    throw error;
  }
  return getAccount(db, id);
}

export interface NewOfficer {
  email: string;
  displayName?: string | undefined;
  unitId: string;
  role: string;
  password: string;
}

export async function createOfficer(db: Db, context: ActorContext, input: NewOfficer): Promise<Account> {
  const email = normalizeEmail(input.email);
  if (!OFFICER_ROLES.includes(input.role as OfficerRole)) {
    throw invalidInput(`role must be one of ${OFFICER_ROLES.join(', ')}`, 'role');
  }
  const unit = await findUnit(db, input.unitId);
  if (!unit?.is_ministry_unit || unit.member_ids.length > 0) {
    throw invalidInput(`"${input.unitId}" is not a unit of the Ministry an officer can belong to`, 'unit');
  }
  checkNewPassword(input.password, email);
  await ensureEmailFree(db, email);
  return insertAndAudit(db, context, {
    kind: 'officer',
    email,
    display_name: input.displayName ? cleanName(input.displayName, 'name') : email,
    password_hash: await hashPassword(input.password),
    unit_id: unit.id,
    role: input.role as OfficerRole,
  });
}

export async function createAdmin(
  db: Db,
  context: ActorContext,
  input: { email: string; displayName?: string | undefined; password: string },
): Promise<Account> {
  const email = normalizeEmail(input.email);
  checkNewPassword(input.password, email);
  await ensureEmailFree(db, email);
  return insertAndAudit(db, context, {
    kind: 'admin',
    email,
    display_name: input.displayName ? cleanName(input.displayName, 'name') : email,
    password_hash: await hashPassword(input.password),
  });
}

export interface BusinessSignUp {
  organisationName: string;
  taxCode: string;
  email: string;
  password: string;
  displayName?: string | undefined;
}

/**
 * A business signs itself up. One account per organisation (tax code): a second person of the same
 * organisation would otherwise act in its name without its consent.
 */
export async function signUpBusiness(db: Db, context: ActorContext, input: BusinessSignUp): Promise<Account> {
  const organisationName = cleanName(input.organisationName, 'organisation_name', 300);
  const taxCode = validateTaxCode(input.taxCode);
  if (!taxCode.ok) throw invalidInput(taxCode.reason, 'tax_code');
  const email = normalizeEmail(input.email);
  checkNewPassword(input.password, email);
  await ensureEmailFree(db, email);
  if (await findOrganisationRowByTaxCode(db, taxCode.normalized)) {
    throw new AppError(
      'conflict',
      `an account for the organisation with tax code ${taxCode.normalized} exists already; ask its holder, or the portal, for access`,
      { field: 'tax_code' },
    );
  }
  return insertAndAudit(
    db,
    context,
    {
      kind: 'business',
      email,
      display_name: input.displayName ? cleanName(input.displayName, 'name') : organisationName,
      password_hash: await hashPassword(input.password),
    },
    { name: organisationName, tax_code: taxCode.normalized },
  );
}

/** Disabling an account ends its sessions at once. */
export async function setAccountActive(
  db: Db,
  context: ActorContext,
  accountId: string,
  active: boolean,
): Promise<Account> {
  const before = await getAccount(db, accountId);
  if (before.is_active === active) return before;
  await db.transaction().execute(async (trx) => {
    await updateAccountRow(trx, accountId, { is_active: active });
    const ended = active ? 0 : await deleteSessionsOfAccount(trx, accountId);
    await recordAuditEvent(trx, context, {
      action: active ? 'account.enabled' : 'account.disabled',
      entityType: 'account',
      entityId: accountId,
      changes: { is_active: [before.is_active, active], sessions_ended: ended },
    });
  });
  return getAccount(db, accountId);
}

/** Changes the password given the current one; every session ends (the caller signs in again). */
export async function changePassword(
  db: Db,
  context: ActorContext,
  accountId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const row = await findAccountRowById(db, accountId);
  if (!row) throw notFound(`no account with id ${accountId}`);
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw invalidInput('the current password is wrong', 'current_password');
  }
  checkNewPassword(input.newPassword, row.email, 'new_password');
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await updateAccountRow(trx, accountId, { password_hash: passwordHash });
    const ended = await deleteSessionsOfAccount(trx, accountId);
    await recordAuditEvent(trx, context, {
      action: 'account.password_changed',
      entityType: 'account',
      entityId: accountId,
      changes: { sessions_ended: ended },
    });
  });
}

/** Two-step verification is offered to officers and administrators: they hold the powers worth stealing. */
export function canUseTotp(account: Pick<Account, 'kind'>): boolean {
  return account.kind === 'officer' || account.kind === 'admin';
}

async function getRowForTotp(db: Db, accountId: string): Promise<AccountRow> {
  const row = await findAccountRowById(db, accountId);
  if (!row) throw notFound(`no account with id ${accountId}`);
  if (!canUseTotp(row)) {
    throw new AppError('conflict', 'two-step verification is offered to officers and administrators only');
  }
  return row;
}

/** Starts enrolment: a new secret, kept aside until a code from the app confirms it. */
export async function startTotpEnrolment(
  db: Db,
  context: ActorContext,
  accountId: string,
): Promise<{ secret: string; uri: string }> {
  const row = await getRowForTotp(db, accountId);
  if (row.totp_secret) throw new AppError('conflict', 'two-step verification is on already');
  const secret = row.totp_pending_secret ?? generateTotpSecret();
  if (!row.totp_pending_secret) {
    await db.transaction().execute(async (trx) => {
      await updateAccountRow(trx, accountId, { totp_pending_secret: secret });
      await recordAuditEvent(trx, context, {
        action: 'account.totp_enrolment_started',
        entityType: 'account',
        entityId: accountId,
      });
    });
  }
  return { secret, uri: totpUri(secret, row.email) };
}

/** The pending enrolment's secret and URI, if one was started. */
export async function findPendingTotpEnrolment(
  db: Db,
  accountId: string,
): Promise<{ secret: string; uri: string } | undefined> {
  const row = await findAccountRowById(db, accountId);
  if (!row?.totp_pending_secret || row.totp_secret) return undefined;
  return { secret: row.totp_pending_secret, uri: totpUri(row.totp_pending_secret, row.email) };
}

export async function confirmTotpEnrolment(
  db: Db,
  context: ActorContext,
  accountId: string,
  code: string,
): Promise<void> {
  const row = await getRowForTotp(db, accountId);
  if (row.totp_secret) throw new AppError('conflict', 'two-step verification is on already');
  if (!row.totp_pending_secret) throw invalidInput('start the set-up first', 'code');
  const step = acceptTotpCode(row.totp_pending_secret, code, null);
  if (step === undefined)
    throw invalidInput('the code is wrong or has expired; enter the code the app shows now', 'code');
  await db.transaction().execute(async (trx) => {
    await updateAccountRow(trx, accountId, {
      totp_secret: row.totp_pending_secret,
      totp_pending_secret: null,
      totp_last_step: step,
    });
    await recordAuditEvent(trx, context, {
      action: 'account.totp_enabled',
      entityType: 'account',
      entityId: accountId,
    });
  });
}

/** Turning it off needs a current code, so a session left open cannot remove the second factor. */
export async function disableTotp(db: Db, context: ActorContext, accountId: string, code: string): Promise<void> {
  const row = await getRowForTotp(db, accountId);
  if (!row.totp_secret) throw new AppError('conflict', 'two-step verification is off already');
  const step = acceptTotpCode(row.totp_secret, code, row.totp_last_step);
  if (step === undefined) throw invalidInput('the code is wrong or has expired', 'code');
  await db.transaction().execute(async (trx) => {
    if (!(await claimTotpStep(trx, accountId, step))) throw invalidInput('the code was used already', 'code');
    await updateAccountRow(trx, accountId, { totp_secret: null, totp_pending_secret: null, totp_last_step: null });
    await recordAuditEvent(trx, context, {
      action: 'account.totp_disabled',
      entityType: 'account',
      entityId: accountId,
    });
  });
}
