import { type Kysely, sql } from 'kysely';

/** Accounts (officers, businesses, administrators), their sessions, sign-in throttling and partner API tokens. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE account_organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      tax_code text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('officer', 'business', 'admin')),
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      display_name text NOT NULL,
      password_hash text NOT NULL,
      unit_id text REFERENCES units (id),
      role text CHECK (role IN ('viewer', 'officer', 'head')),
      organisation_id uuid REFERENCES account_organisations (id),
      is_active boolean NOT NULL DEFAULT true,
      totp_secret text,
      totp_pending_secret text,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz,
      CHECK ((kind = 'officer') = (unit_id IS NOT NULL AND role IS NOT NULL)),
      CHECK ((kind = 'business') = (organisation_id IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX accounts_unit ON accounts (unit_id) WHERE unit_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX accounts_organisation ON accounts (organisation_id) WHERE organisation_id IS NOT NULL`.execute(
    db,
  );
  await sql`
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`CREATE INDEX sessions_account ON sessions (account_id)`.execute(db);
  await sql`
    CREATE TABLE login_challenges (
      token_hash text PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE login_throttle (
      key text PRIMARY KEY,
      failures integer NOT NULL,
      window_started_at timestamptz NOT NULL,
      locked_until timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      token_prefix text NOT NULL,
      scopes text[] NOT NULL,
      expires_at timestamptz NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE api_tokens, login_throttle, login_challenges, sessions, accounts, account_organisations`.execute(
    db,
  );
}
