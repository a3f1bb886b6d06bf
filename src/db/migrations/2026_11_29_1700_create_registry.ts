import { type Kysely, sql } from 'kysely';

/** The register: organisations, platforms (sites, apps, marketplaces), their identities and status history. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      name_key text NOT NULL,
      tax_code text UNIQUE,
      country text NOT NULL DEFAULT 'VN',
      address text,
      vn_representative text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX organisations_name_key_idx ON organisations (name_key) WHERE tax_code IS NULL`.execute(db);

  await sql`
    CREATE TABLE platforms (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      registration_no text UNIQUE,
      name text NOT NULL,
      name_key text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('sales','marketplace','auction','promotion','social','integrated')),
      status text NOT NULL CHECK (status IN ('notified','registered','pending','rejected','expired','revoked','suspended','unregistered','blocked')),
      cross_border boolean NOT NULL DEFAULT false,
      organisation_id uuid REFERENCES organisations (id),
      valid_from date,
      valid_until date,
      legacy_id text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX platforms_name_key_trgm_idx ON platforms USING gin (name_key gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX platforms_organisation_idx ON platforms (organisation_id)`.execute(db);

  // One row per identity: the primary key is what makes "an identity belongs to one platform only" hold.
  await sql`
    CREATE TABLE platform_identities (
      kind text NOT NULL CHECK (kind IN ('domain','android_app','ios_app')),
      value text NOT NULL,
      platform_id uuid NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
      position integer NOT NULL,
      PRIMARY KEY (kind, value)
    )`.execute(db);
  await sql`CREATE INDEX platform_identities_platform_idx ON platform_identities (platform_id)`.execute(db);

  await sql`
    CREATE TABLE platform_status_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      platform_id uuid NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
      from_status text,
      to_status text NOT NULL,
      reason text,
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX platform_status_history_platform_idx ON platform_status_history (platform_id, changed_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE platform_status_history`.execute(db);
  await sql`DROP TABLE platform_identities`.execute(db);
  await sql`DROP TABLE platforms`.execute(db);
  await sql`DROP TABLE organisations`.execute(db);
}
