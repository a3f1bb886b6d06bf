import { type Kysely, sql } from 'kysely';

/** The Ministry's units and the other state bodies directives name; rows are kept in step with the catalogue at start. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE units (
      id text PRIMARY KEY,
      name_vi text NOT NULL,
      name_en text NOT NULL,
      aliases text[] NOT NULL DEFAULT '{}',
      member_ids text[] NOT NULL DEFAULT '{}',
      is_ministry_unit boolean NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE units`.execute(db);
}
