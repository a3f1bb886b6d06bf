import { type Kysely, sql } from 'kysely';

/**
 * A business's sign-up is confirmed from its mailbox: an account signs in only once its address is confirmed
 * (officers and administrators, created by an administrator, are confirmed at creation). Accounts that exist
 * already were made before this rule and count as confirmed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE accounts ADD COLUMN email_confirmed_at timestamptz`.execute(db);
  await sql`UPDATE accounts SET email_confirmed_at = created_at`.execute(db);
  await sql`
    CREATE TABLE email_confirmations (
      token_hash text PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX email_confirmations_account ON email_confirmations (account_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE email_confirmations`.execute(db);
  await sql`ALTER TABLE accounts DROP COLUMN email_confirmed_at`.execute(db);
}
