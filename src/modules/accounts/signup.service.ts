import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { Localized } from '../../core/i18n.ts';
import type { Mailer } from '../../core/mail.ts';
import { deliverDueMail, enqueueMail, type MailDeliveryLog } from '../../core/mail-outbox.ts';
import { validateTaxCodeOrPersonalId } from '../../core/personal-id.ts';
import {
  consumeEmailConfirmation,
  deleteEmailConfirmationsOfAccount,
  deleteExpiredEmailConfirmations,
  deleteUnconfirmedAccount,
  findAccountRowByEmail,
  findAccountRowById,
  findLiveEmailConfirmation,
  insertEmailConfirmation,
  updateAccountRow,
} from './accounts.repository.ts';
import { cleanName, insertAccountAudited, normalizeEmail } from './accounts.service.ts';
import { checkNewPassword, generateSecret, hashPassword } from './passwords.ts';
import { composeAlreadyRegisteredMail, composeConfirmationMail } from './signup.mail.ts';

/**
 * A business signs itself up, and confirms its address from its mailbox. The answer to a sign-up is the same
 * whether or not the address has an account (same page, same work: the password is hashed either way); the
 * e-mail tells the owner which it was. A tax code is never refused, nor does the answer say whether another account
 * claims it: an account acts for its organisation only once an officer has verified its claim from the enterprise
 * registration certificate (organisations.service.ts), so whoever signs up first with a company's tax code gains
 * nothing, and cannot keep the real company out.
 */

/** How long a confirmation link works. */
export const CONFIRMATION_HOURS = 24;

const TEXT = {
  linkInvalid: {
    vi: 'Đường dẫn xác nhận không đúng, đã được dùng hoặc đã hết hạn. Hãy đăng ký lại để nhận đường dẫn mới.',
    en: 'The confirmation link is wrong, was used already or has expired. Sign up again to get a new link.',
  },
} satisfies Record<string, Localized>;

function parseTaxCode(code: string): string {
  const result = validateTaxCodeOrPersonalId(code, todayInVietnam(new Date()));
  if (!result.ok) throw invalidInput(result.reason, 'tax_code');
  return result.normalized;
}

export interface BusinessSignUp {
  organisationName: string;
  taxCode: string;
  email: string;
  password: string;
  displayName?: string | undefined;
}

export interface SignUpMail {
  /** The portal's public address, for the links in the e-mails. */
  portalUrl: string;
  /** Sends the e-mail after commit; without one it waits in the outbox for the retry job (scripts, tests). */
  mailer?: Mailer | undefined;
  log: MailDeliveryLog;
}

/** What a sign-up gives the route: nothing that depends on the address. */
export interface SignUpAccepted {
  /**
   * The rest of the work, begun after the answer: it depends on whether the address has an account, so its time
   * must not count in the answer's. Never rejects (a failure is logged); scripts and tests may wait for it.
   */
  completion: Promise<void>;
}

/**
 * Signs a business up: a new account, unconfirmed, and an e-mail with its confirmation link; or, when the address
 * has an account, an e-mail saying so and nothing else. What the caller gets and how long it takes are the same
 * either way: the input is checked and the password hashed (neither depends on the address or on other accounts),
 * and the work that does depend on them is done after the answer. Input errors (the form's fields) are thrown.
 */
export async function signUpBusiness(
  db: Db,
  context: ActorContext,
  input: BusinessSignUp,
  mail: SignUpMail,
): Promise<SignUpAccepted> {
  const organisation = {
    name: cleanName(input.organisationName, 'organisation_name', 300),
    tax_code: parseTaxCode(input.taxCode),
  };
  const email = normalizeEmail(input.email);
  checkNewPassword(input.password, email);
  const displayName = input.displayName ? cleanName(input.displayName, 'display_name') : organisation.name;
  const passwordHash = await hashPassword(input.password);
  const signUp = { email, organisation, displayName, passwordHash };
  const completion = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => completeSignUp(db, context, signUp, mail))
    .catch((error: unknown) => mail.log.warn({ err: error, email }, 'sign-up not completed'));
  return { completion };
}

interface AcceptedSignUp {
  email: string;
  organisation: { name: string; tax_code: string };
  displayName: string;
  passwordHash: string;
}

async function completeSignUp(db: Db, context: ActorContext, signUp: AcceptedSignUp, mail: SignUpMail) {
  const { email, organisation } = signUp;
  await db.transaction().execute(async (trx) => {
    const existing = await findAccountRowByEmail(trx, email);
    if (existing?.email_confirmed_at) {
      await recordAuditEvent(trx, context, {
        action: 'account.signup_refused',
        entityType: 'account',
        entityId: existing.id,
        changes: { reason: 'email_has_account', organisation },
      });
      await enqueueMail(trx, { recipients: [email], ...composeAlreadyRegisteredMail(mail) });
      return;
    }
    // A sign-up never confirmed gives way to a new one for its address.
    if (existing && (await deleteUnconfirmedAccount(trx, existing.id))) {
      await recordAuditEvent(trx, context, {
        action: 'account.unconfirmed_deleted',
        entityType: 'account',
        entityId: existing.id,
        changes: { replaced_by_signup_of: email },
      });
    }
    const accountId = await insertAccountAudited(
      trx,
      context,
      {
        kind: 'business',
        email,
        display_name: signUp.displayName,
        password_hash: signUp.passwordHash,
        email_confirmed_at: null,
      },
      organisation,
    );
    await queueConfirmation(trx, { accountId, email, organisation }, mail.portalUrl);
  });
  if (mail.mailer) await sendAfterCommit(db, mail.mailer, mail.log);
}

/** A new confirmation link (older ones stop working), queued to the address in the caller's transaction. */
async function queueConfirmation(
  trx: Db,
  account: { accountId: string; email: string; organisation: { name: string; tax_code: string } },
  portalUrl: string,
): Promise<void> {
  const token = generateSecret();
  await deleteEmailConfirmationsOfAccount(trx, account.accountId);
  await insertEmailConfirmation(trx, {
    token_hash: sha256Hex(token),
    account_id: account.accountId,
    expires_at: new Date(Date.now() + CONFIRMATION_HOURS * 3600 * 1000),
  });
  const link = `${portalUrl}/signup/confirm?token=${encodeURIComponent(token)}`;
  const composed = composeConfirmationMail(
    { organisationName: account.organisation.name, taxCode: account.organisation.tax_code },
    link,
    CONFIRMATION_HOURS,
  );
  await enqueueMail(trx, { recipients: [account.email], ...composed });
}

/**
 * Sends a sign-up a new confirmation link: when its owner signs in with the right password before confirming
 * (the first e-mail was lost, or its link expired).
 */
export async function sendNewConfirmationLink(
  db: Db,
  context: ActorContext,
  accountId: string,
  mail: SignUpMail,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findAccountRowById(trx, accountId);
    if (!row || row.email_confirmed_at || !row.organisation_name || !row.organisation_tax_code) return;
    await queueConfirmation(
      trx,
      {
        accountId,
        email: row.email,
        organisation: { name: row.organisation_name, tax_code: row.organisation_tax_code },
      },
      mail.portalUrl,
    );
    await recordAuditEvent(trx, context, {
      action: 'account.confirmation_resent',
      entityType: 'account',
      entityId: accountId,
    });
  });
  if (mail.mailer) await sendAfterCommit(db, mail.mailer, mail.log);
}

async function sendAfterCommit(db: Db, mailer: Mailer, log: MailDeliveryLog): Promise<void> {
  try {
    await deliverDueMail(db, mailer, log);
  } catch (error) {
    log.warn({ err: error }, 'mail delivery failed; will retry');
  }
}

/** The address a confirmation link is for, while the link is live (the page that asks to press "Confirm"). */
export async function getEmailToConfirm(db: Db, token: string): Promise<string> {
  const accountId = token ? await findLiveEmailConfirmation(db, sha256Hex(token)) : undefined;
  const row = accountId ? await findAccountRowById(db, accountId) : undefined;
  if (!row || row.email_confirmed_at) throw invalidInput(TEXT.linkInvalid, 'token');
  return row.email;
}

/** Confirms the address of a sign-up by its link, once: the account can sign in from now on. */
export async function confirmAccountEmail(db: Db, context: ActorContext, token: string): Promise<{ email: string }> {
  return db.transaction().execute(async (trx) => {
    const accountId = await consumeEmailConfirmation(trx, sha256Hex(token));
    const row = accountId ? await findAccountRowById(trx, accountId) : undefined;
    if (!row) throw invalidInput(TEXT.linkInvalid, 'token');
    await updateAccountRow(trx, row.id, { email_confirmed_at: new Date() });
    await recordAuditEvent(trx, context, {
      action: 'account.email_confirmed',
      entityType: 'account',
      entityId: row.id,
      changes: { email: row.email },
    });
    return { email: row.email };
  });
}

/** Links past their 24 hours (a sign-up never confirmed gives way to the next one for its address). */
export async function deleteExpiredConfirmationLinks(db: Db): Promise<void> {
  await deleteExpiredEmailConfirmations(db);
}
