import { type Kysely, sql } from 'kysely';

/**
 * A business's termination request has the E-Commerce Agency's clock of the table of procedures (code
 * `termination`): the day it is due, counted when the request is filed. Proposals to cancel or suspend carry none,
 * as the table sets no period for them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE registration_requests ADD COLUMN due_on date`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE registration_requests DROP COLUMN due_on`.execute(db);
}
