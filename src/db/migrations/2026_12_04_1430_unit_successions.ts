import { type Kysely, sql } from 'kysely';

/**
 * Units that ceased in the 2025 reorganisation keep their rows (directive data refers to them by id) and say
 * when they ceased, by which act, and which units took over their work; each row cites where it is confirmed.
 * The rows themselves are written from the catalogue at start (`syncUnitCatalogue`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE units
      ADD COLUMN ceased_on date,
      ADD COLUMN ceased_by text,
      ADD COLUMN successor_ids text[] NOT NULL DEFAULT '{}',
      ADD COLUMN sources jsonb NOT NULL DEFAULT '[]'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE units
      DROP COLUMN ceased_on, DROP COLUMN ceased_by, DROP COLUMN successor_ids, DROP COLUMN sources`.execute(db);
}
