import { recordAuditEvent } from '../../core/audit.ts';
import type { TotpRequirement } from '../../core/config.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { AppError, conflict, invalidInput, notFound } from '../../core/errors.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';
import { findUnit } from '../units/index.ts';
import {
  type AccountRow,
  claimTotpStep,
  deleteSessionsOfAccount,
  findAccountRowByEmail,
  findAccountRowById,
  findOrganisationRowById,
  insertAccount,
  insertOrganisation,
  listAccountLabels,
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
  /** Set-up of two-step verification started and not yet confirmed with a code. */
  totp_pending: boolean;
  /** False for a sign-up whose owner has not opened the confirmation link yet. */
  email_confirmed: boolean;
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
    totp_pending: row.totp_secret === null && row.totp_pending_secret !== null,
    email_confirmed: row.email_confirmed_at !== null,
    created_at: row.created_at.toISOString(),
    last_login_at: row.last_login_at?.toISOString() ?? null,
  };
}

/** Whether the policy (REQUIRE_TOTP) requires two-step verification of this kind of account. */
export function isTotpRequired(
  account: { kind: AccountKind; role: OfficerRole | null },
  requirement: readonly TotpRequirement[],
): boolean {
  if (account.kind === 'admin') return requirement.includes('admin');
  if (account.kind !== 'officer') return false;
  const required: readonly string[] = requirement;
  return required.includes('officer') || (account.role !== null && required.includes(account.role));
}

export function accountRowToPrincipal(row: AccountRow, requireTotp: readonly TotpRequirement[]): Principal {
  return {
    accountId: row.id,
    kind: row.kind,
    unitId: row.kind === 'officer' ? row.unit_id : null,
    role: row.kind === 'officer' ? row.role : null,
    organisationId: row.kind === 'business' ? row.organisation_id : null,
    organisationVerified: row.kind === 'business' && row.organisation_status === 'verified',
    scopes: [],
    displayName: row.display_name,
    email: row.email,
    hasTotp: row.totp_secret !== null,
    needsTotp: isTotpRequired(row, requireTotp),
  };
}

const TEXT = {
  notEmail: {
    vi: '“{value}” không phải là địa chỉ email (ví dụ ten@congty.vn).',
    en: '"{value}" is not an e-mail address; write one like name@company.vn.',
  },
  emailTaken: {
    vi: 'Đã có tài khoản với địa chỉ email {email}.',
    en: 'An account with the e-mail address {email} exists already.',
  },
  accountOrOrganisationTaken: {
    vi: 'Đã có tài khoản với địa chỉ email này.',
    en: 'An account with this e-mail address exists already.',
  },
  noAccount: { vi: 'Không có tài khoản nào có mã {id}.', en: 'No account with id {id}.' },
  role: {
    vi: 'Vai trò phải là một trong: {roles}.',
    en: 'The role must be one of {roles}.',
  },
  unit: {
    vi: '“{unit}” không phải là một đơn vị của Bộ mà cán bộ có thể thuộc về.',
    en: '"{unit}" is not a unit of the Ministry an officer can belong to.',
  },
  currentPasswordWrong: { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
  totpNotOffered: {
    vi: 'Xác thực hai bước chỉ dành cho cán bộ và quản trị viên.',
    en: 'Two-step verification is offered to officers and administrators only.',
  },
  totpOn: { vi: 'Xác thực hai bước đang bật rồi.', en: 'Two-step verification is on already.' },
  totpOff: { vi: 'Xác thực hai bước đang tắt.', en: 'Two-step verification is off already.' },
  totpNotStarted: {
    vi: 'Hãy bắt đầu thiết lập trước: nhập mật khẩu và bấm “Bật xác thực hai bước”.',
    en: 'Start the set-up first: enter your password and press “Turn on two-step verification”.',
  },
  totpWrongCode: {
    vi: 'Mã không đúng hoặc đã hết hạn. Hãy nhập mã ứng dụng đang hiển thị.',
    en: 'The code is wrong or has expired. Enter the code the app shows now.',
  },
  totpCodeUsed: {
    vi: 'Mã này đã được dùng. Hãy đợi mã tiếp theo trong ứng dụng.',
    en: 'This code was used already. Wait for the next code in the app.',
  },
} satisfies Record<string, Localized>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mail addresses are compared in lower case: one person, one account, however they type it. */
export function normalizeEmail(email: string, field = 'email'): string {
  const normalized = toNfc(email).trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) {
    throw invalidInput(fill(TEXT.notEmail, { value: email.trim().slice(0, 80) }), field);
  }
  return normalized;
}

const NAME_TEXT: Record<string, { empty: Localized; long: Localized }> = {
  display_name: {
    empty: { vi: 'Hãy nhập tên.', en: 'Enter a name.' },
    long: { vi: 'Tên tối đa {max} ký tự.', en: 'The name can have at most {max} characters.' },
  },
  organisation_name: {
    empty: { vi: 'Hãy nhập tên doanh nghiệp.', en: 'Enter the name of the business.' },
    long: {
      vi: 'Tên doanh nghiệp tối đa {max} ký tự.',
      en: 'The name of the business can have at most {max} characters.',
    },
  },
};

export function cleanName(name: string, field: 'display_name' | 'organisation_name', max = 200): string {
  const cleaned = toNfc(name).replace(/\s+/g, ' ').trim();
  const text = NAME_TEXT[field] as { empty: Localized; long: Localized };
  if (cleaned === '') throw invalidInput(text.empty, field);
  if (cleaned.length > max) throw invalidInput(fill(text.long, { max }), field);
  return cleaned;
}

export async function findAccount(db: Db, id: string): Promise<Account | undefined> {
  const row = await findAccountRowById(db, id);
  return row ? accountRowToAccount(row) : undefined;
}

/**
 * Readable names of the `user:<id>` actors of audit and history rows, for officers' pages: the account's name
 * (with its organisation for a business), or its e-mail where the reader must tell accounts apart (the audit
 * trail). Other actors (`system`, `cli:…`, deleted accounts) are left out: pages show them as they are.
 */
export async function actorNames(
  db: Db,
  actors: Iterable<string | null>,
  label: 'name' | 'email' = 'name',
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const actor of actors) if (actor?.startsWith('user:')) ids.add(actor.slice('user:'.length));
  const names = new Map<string, string>();
  for (const account of await listAccountLabels(db, [...ids])) {
    const organisation = account.organisation_name;
    const name =
      organisation && organisation !== account.display_name
        ? `${account.display_name} (${organisation})`
        : account.display_name;
    names.set(`user:${account.id}`, label === 'email' ? account.email : name);
  }
  return names;
}

export async function getAccount(db: Db, id: string): Promise<Account> {
  const account = await findAccount(db, id);
  if (!account) throw notFound(fill(TEXT.noAccount, { id }));
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
  if (await findAccountRowByEmail(db, email)) throw conflict(fill(TEXT.emailTaken, { email }), 'email');
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '23505';
}

/** Inserts an account (and a business's organisation) in the caller's transaction, with their audit events. */
export async function insertAccountAudited(
  trx: Db,
  context: ActorContext,
  values: Parameters<typeof insertAccount>[1],
  organisation?: { name: string; tax_code: string },
): Promise<string> {
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
      email_confirmed: values.email_confirmed_at !== null,
    },
  });
  return accountId;
}

/** An account an administrator (or the CLI) creates: its address is taken as confirmed. */
async function createConfirmedAccount(
  db: Db,
  context: ActorContext,
  values: Omit<Parameters<typeof insertAccount>[1], 'email_confirmed_at'>,
): Promise<Account> {
  let id: string;
  try {
    id = await db
      .transaction()
      .execute((trx) => insertAccountAudited(trx, context, { ...values, email_confirmed_at: new Date() }));
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', TEXT.accountOrOrganisationTaken, { field: 'email', cause: error });
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
    throw invalidInput(fill(TEXT.role, { roles: OFFICER_ROLES.join(', ') }), 'role');
  }
  const unit = await findUnit(db, input.unitId);
  if (!unit?.is_ministry_unit || unit.member_ids.length > 0 || unit.ceased_by !== null) {
    throw invalidInput(fill(TEXT.unit, { unit: input.unitId }), 'unit');
  }
  checkNewPassword(input.password, email);
  await ensureEmailFree(db, email);
  return createConfirmedAccount(db, context, {
    kind: 'officer',
    email,
    display_name: input.displayName ? cleanName(input.displayName, 'display_name') : email,
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
  return createConfirmedAccount(db, context, {
    kind: 'admin',
    email,
    display_name: input.displayName ? cleanName(input.displayName, 'display_name') : email,
    password_hash: await hashPassword(input.password),
  });
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

async function getAccountRow(db: Db, accountId: string): Promise<AccountRow> {
  const row = await findAccountRowById(db, accountId);
  if (!row) throw notFound(fill(TEXT.noAccount, { id: accountId }));
  return row;
}

/** What a change of the sign-in's safeguards is for, as the audit trail names it. */
type Safeguard = 'password_change' | 'totp_start' | 'totp_confirm' | 'totp_disable';

/**
 * The current password, asked again before a change of the sign-in's safeguards, so that a session left open (or
 * stolen) cannot change them. A wrong one is recorded; these forms are rate limited per account.
 */
async function checkCurrentPassword(
  db: Db,
  context: ActorContext,
  row: AccountRow,
  password: string,
  purpose: Safeguard,
): Promise<void> {
  if (await verifyPassword(row.password_hash, password)) return;
  await db.transaction().execute((trx) =>
    recordAuditEvent(trx, context, {
      action: 'account.current_password_refused',
      entityType: 'account',
      entityId: row.id,
      changes: { purpose },
    }),
  );
  throw invalidInput(TEXT.currentPasswordWrong, 'current_password');
}

/** Changes the password given the current one; every session ends (the caller signs in again). */
export async function changePassword(
  db: Db,
  context: ActorContext,
  accountId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const row = await getAccountRow(db, accountId);
  await checkCurrentPassword(db, context, row, input.currentPassword, 'password_change');
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
  const row = await getAccountRow(db, accountId);
  if (!canUseTotp(row)) throw conflict(TEXT.totpNotOffered);
  return row;
}

/**
 * Starts enrolment, given the current password: a new secret each time, kept aside until a code from the app
 * confirms it. The secret is shown only in the answer to this request, never on a later page.
 */
export async function startTotpEnrolment(
  db: Db,
  context: ActorContext,
  accountId: string,
  currentPassword: string,
): Promise<{ secret: string; uri: string }> {
  const row = await getRowForTotp(db, accountId);
  if (row.totp_secret) throw conflict(TEXT.totpOn);
  await checkCurrentPassword(db, context, row, currentPassword, 'totp_start');
  const secret = generateTotpSecret();
  await db.transaction().execute(async (trx) => {
    await updateAccountRow(trx, accountId, { totp_pending_secret: secret });
    await recordAuditEvent(trx, context, {
      action: 'account.totp_enrolment_started',
      entityType: 'account',
      entityId: accountId,
    });
  });
  return { secret, uri: totpUri(secret, row.email) };
}

export async function confirmTotpEnrolment(
  db: Db,
  context: ActorContext,
  accountId: string,
  input: { code: string; currentPassword: string },
): Promise<void> {
  const row = await getRowForTotp(db, accountId);
  if (row.totp_secret) throw conflict(TEXT.totpOn);
  await checkCurrentPassword(db, context, row, input.currentPassword, 'totp_confirm');
  if (!row.totp_pending_secret) throw invalidInput(TEXT.totpNotStarted, 'code');
  const step = acceptTotpCode(row.totp_pending_secret, input.code, null);
  if (step === undefined) throw invalidInput(TEXT.totpWrongCode, 'code');
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

/** Turning it off needs the password and a current code, so a session left open cannot remove the second factor. */
export async function disableTotp(
  db: Db,
  context: ActorContext,
  accountId: string,
  input: { code: string; currentPassword: string },
): Promise<void> {
  const row = await getRowForTotp(db, accountId);
  if (!row.totp_secret) throw conflict(TEXT.totpOff);
  await checkCurrentPassword(db, context, row, input.currentPassword, 'totp_disable');
  const step = acceptTotpCode(row.totp_secret, input.code, row.totp_last_step);
  if (step === undefined) throw invalidInput(TEXT.totpWrongCode, 'code');
  await db.transaction().execute(async (trx) => {
    if (!(await claimTotpStep(trx, accountId, step))) throw invalidInput(TEXT.totpCodeUsed, 'code');
    await updateAccountRow(trx, accountId, { totp_secret: null, totp_pending_secret: null, totp_last_step: null });
    await recordAuditEvent(trx, context, {
      action: 'account.totp_disabled',
      entityType: 'account',
      entityId: accountId,
    });
  });
}
