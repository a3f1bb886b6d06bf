import { type Kysely, sql } from 'kysely';

/**
 * Why the last check of a domain failed, as the applicant may be told (categories only); `last_check_detail`
 * keeps what the check met (addresses, errors, DNS answers) for officers. Checks made before have no categories:
 * the applicant is shown a generic "not proved" for them until the next check.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE application_domains ADD COLUMN last_check_failures text[]
      CHECK (last_check_failures <@ ARRAY['unreachable', 'token_not_found', 'dns_record_not_found'])`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE application_domains DROP COLUMN last_check_failures`.execute(db);
}
