import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Db } from './db.ts';
import type { Mailer } from './mail.ts';

/**
 * The outbox of every module's e-mail. A message is written in the transaction of the change it reports and
 * sent after commit (`deliverDueMail`), so it is neither lost when SMTP is down nor sent for a change that rolled
 * back; a job retries what the server did not take (`applications-mail-retry` sends every due message, whoever
 * queued it).
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface MailOutboxTable {
  id: Generated<number>;
  /** The application a message is about (its page lists them); null for other mail. */
  application_id: string | null;
  recipients: string[];
  subject: string;
  body: string;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: NullableTimestamp;
  last_error: string | null;
}

declare module './db.ts' {
  interface DatabaseTables {
    mail_outbox: MailOutboxTable;
  }
}

export type MailOutboxRow = Selectable<MailOutboxTable>;

export interface QueuedMail {
  recipients: readonly string[];
  subject: string;
  body: string;
  applicationId?: string | null | undefined;
}

/** Queues a message in the caller's transaction. */
export async function enqueueMail(trx: Db, mail: QueuedMail): Promise<void> {
  await trx
    .insertInto('mail_outbox')
    .values({
      application_id: mail.applicationId ?? null,
      recipients: [...mail.recipients],
      subject: mail.subject,
      body: mail.body,
    })
    .execute();
}

/**
 * Takes up to `limit` messages due for sending and leases them (next attempt pushed out), so another process
 * does not send them too; a message whose sending crashes comes back after the lease.
 */
async function claimDueMail(db: Db, limit: number, leaseSeconds: number): Promise<MailOutboxRow[]> {
  const result = await sql<MailOutboxRow>`
    UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < 20
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(db);
  return result.rows;
}

async function markMailSent(db: Db, id: number): Promise<void> {
  await db.updateTable('mail_outbox').set({ sent_at: sql`now()`, last_error: null }).where('id', '=', id).execute();
}

/** Backs off 1, 2, 4 … minutes, at most an hour. */
async function markMailFailed(db: Db, id: number, attempts: number, error: string): Promise<void> {
  const minutes = Math.min(60, 2 ** Math.max(0, attempts - 1));
  await db
    .updateTable('mail_outbox')
    .set({ last_error: error.slice(0, 500), next_attempt_at: sql`now() + make_interval(mins => ${minutes})` })
    .where('id', '=', id)
    .execute();
}

export interface MailDeliveryLog {
  warn(object: unknown, message: string): void;
}

/**
 * Sends what the outbox holds that is due (after a commit, and from the retry job). A failure leaves the
 * message for a later attempt; nothing is thrown, a change never fails because mail did.
 */
export async function deliverDueMail(
  db: Db,
  mailer: Mailer,
  log: MailDeliveryLog,
  limit = 50,
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const due = await claimDueMail(db, limit, 300);
  for (const mail of due) {
    try {
      await mailer.send({ to: mail.recipients, subject: mail.subject, text: mail.body });
      await markMailSent(db, mail.id);
      sent += 1;
    } catch (error) {
      failed += 1;
      log.warn({ err: error, mailId: mail.id }, 'mail not sent; will retry');
      await markMailFailed(db, mail.id, mail.attempts, (error as Error).message ?? String(error));
    }
  }
  return { sent, failed };
}
