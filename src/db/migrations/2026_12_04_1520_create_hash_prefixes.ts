import { type Kysely, sql } from 'kysely';

/**
 * The privacy-preserving offline check (issue 11, "Privacy-preserving offline check"; module `check`,
 * hash-prefix.ts): the SHA-256 of every canonical expression of every platform of the register (its domains,
 * `android:<package>`, `ios:<id>`) with the verdict class the online check gives it, versioned like the blocklist:
 * a row is valid from `added_version` until `removed_version`, so `?since=VERSION` is a diff. No plain domain is kept:
 * the register holds them; this table holds only what the endpoints serve.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE check_hash_state (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      version integer NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`INSERT INTO check_hash_state (only_row, version) VALUES (true, 0)`.execute(db);
  await sql`
    CREATE TABLE check_hash_entries (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      full_hash text NOT NULL CHECK (full_hash ~ '^[0-9a-f]{64}$'),
      prefix text NOT NULL CHECK (prefix ~ '^[0-9a-f]{8}$'),
      verdict text NOT NULL
        CHECK (verdict IN ('registered', 'notified', 'pending', 'expired', 'revoked', 'unregistered', 'blocked')),
      platform_id text NOT NULL,
      platform_name text NOT NULL,
      registration_no text,
      kind text NOT NULL,
      status text NOT NULL,
      added_version integer NOT NULL,
      removed_version integer,
      CHECK (removed_version IS NULL OR removed_version > added_version)
    )
  `.execute(db);
  await sql`CREATE UNIQUE INDEX check_hash_entries_current ON check_hash_entries (full_hash) WHERE removed_version IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX check_hash_entries_prefix ON check_hash_entries (prefix) WHERE removed_version IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX check_hash_entries_platform ON check_hash_entries (platform_id) WHERE removed_version IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX check_hash_entries_added ON check_hash_entries (added_version)`.execute(db);
  await sql`CREATE INDEX check_hash_entries_removed ON check_hash_entries (removed_version)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE check_hash_entries`.execute(db);
  await sql`DROP TABLE check_hash_state`.execute(db);
}
