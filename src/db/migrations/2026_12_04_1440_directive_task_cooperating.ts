import { type Kysely, sql } from 'kysely';

/**
 * The units a task itself names to cooperate with ("Phối hợp với Tổng cục Hải quan tăng cường …"), as written, kept
 * per task beside the assignment's ("Cục X chủ trì, phối hợp với Vụ Y"): the tracker shows both on its dashboards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE directive_tasks ADD COLUMN cooperating_names text[] NOT NULL DEFAULT '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE directive_tasks DROP COLUMN cooperating_names`.execute(db);
}
