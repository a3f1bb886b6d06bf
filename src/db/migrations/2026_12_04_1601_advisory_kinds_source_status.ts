import { type Kysely, sql } from 'kysely';

/**
 * The lists of advisories (Circular 47 Arts. 30–31) say how sure their citation is in the vocabulary of every other
 * table of the law as data: `source_status` verified · unverified · disputed, instead of a yes/no `verified`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE advisory_kinds ADD COLUMN source_status text NOT NULL DEFAULT 'unverified'
    CHECK (source_status IN ('verified', 'unverified', 'disputed'))`.execute(db);
  await sql`UPDATE advisory_kinds SET source_status = CASE WHEN verified THEN 'verified' ELSE 'unverified' END`.execute(
    db,
  );
  await sql`ALTER TABLE advisory_kinds DROP COLUMN verified`.execute(db);
  await sql`UPDATE advisory_kinds SET note = replace(note, 'and set verified.', 'and set its source status.')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE advisory_kinds ADD COLUMN verified boolean NOT NULL DEFAULT false`.execute(db);
  await sql`UPDATE advisory_kinds SET verified = (source_status = 'verified')`.execute(db);
  await sql`ALTER TABLE advisory_kinds DROP COLUMN source_status`.execute(db);
  await sql`UPDATE advisory_kinds SET note = replace(note, 'and set its source status.', 'and set verified.')`.execute(
    db,
  );
}
