import { type Kysely, sql } from 'kysely';

/**
 * Secret addresses of the directive calendar feeds (`/feeds/directives/{token}.ics`), one live address per
 * unit and one for all units. Only the token's SHA-256 is stored: the address is shown once, when made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE directive_feed_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      unit_id text REFERENCES units (id),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    )`.execute(db);
  await sql`COMMENT ON COLUMN directive_feed_tokens.unit_id IS 'NULL: the feed of every unit''s tasks'`.execute(db);
  // One live address per unit (and one for all units): a new one replaces the old in the same transaction.
  await sql`
    CREATE UNIQUE INDEX directive_feed_tokens_live_idx
      ON directive_feed_tokens ((coalesce(unit_id, ''))) WHERE revoked_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE directive_feed_tokens`.execute(db);
}
