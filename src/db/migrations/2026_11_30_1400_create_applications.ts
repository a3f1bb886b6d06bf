import { type Kysely, sql } from 'kysely';

/**
 * Applications (notifications of sales sites/apps, registrations of platforms, renewals), the domains each
 * must prove control of, their history, the number sequences, the mail outbox and registration actions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      reference text NOT NULL UNIQUE,
      type text NOT NULL CHECK (type IN ('notification', 'registration', 'renewal')),
      status text NOT NULL CHECK (status IN ('submitted', 'supplement_requested', 'approved', 'rejected')),
      kind text NOT NULL CHECK (kind IN ('sales', 'marketplace', 'auction', 'promotion', 'social', 'integrated')),
      law_type text NOT NULL CHECK (law_type IN ('direct_sales', 'intermediary', 'social_commerce', 'integrated')),
      applicant_account_id uuid NOT NULL REFERENCES accounts (id),
      applicant_organisation_id uuid NOT NULL REFERENCES account_organisations (id),
      contact_email text NOT NULL,
      site_name text NOT NULL,
      org_name text NOT NULL,
      tax_code text,
      country text NOT NULL,
      head_office_address text NOT NULL,
      responsible_person text NOT NULL,
      responsible_phone text NOT NULL,
      android_apps text[] NOT NULL DEFAULT '{}',
      ios_apps text[] NOT NULL DEFAULT '{}',
      goods_categories text[] NOT NULL,
      cross_border boolean NOT NULL,
      vn_representative_kind text CHECK (vn_representative_kind IN ('legal_entity', 'authorised_representative')),
      vn_representative_name text,
      vn_representative_tax_code text,
      vn_representative_address text,
      platform_id uuid REFERENCES platforms (id),
      registration_no text,
      verification_token text NOT NULL,
      received_at timestamptz NOT NULL,
      due_on date NOT NULL,
      deadline_at timestamptz NOT NULL,
      supplement_request text,
      decision_reason text,
      decided_at timestamptz,
      decided_by text,
      revision integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (type <> 'renewal' OR platform_id IS NOT NULL),
      CHECK (NOT cross_border OR vn_representative_name IS NOT NULL)
    )`.execute(db);
  // The review queue: open applications by deadline.
  await sql`CREATE INDEX applications_queue_idx ON applications (deadline_at, received_at) WHERE status = 'submitted'`.execute(
    db,
  );
  await sql`CREATE INDEX applications_organisation_idx ON applications (applicant_organisation_id, created_at)`.execute(
    db,
  );
  await sql`CREATE INDEX applications_platform_idx ON applications (platform_id) WHERE platform_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE application_domains (
      application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      domain text NOT NULL,
      position integer NOT NULL,
      verified_at timestamptz,
      verified_by text CHECK (verified_by IN ('http', 'dns')),
      last_checked_at timestamptz,
      last_check_detail text,
      PRIMARY KEY (application_id, domain)
    )`.execute(db);

  await sql`
    CREATE TABLE application_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      action text NOT NULL,
      note text,
      actor text NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX application_events_application_idx ON application_events (application_id, id)`.execute(db);

  // One row per prefix and year: numbers are issued by UPDATE … RETURNING, so they are unique and without gaps.
  await sql`
    CREATE TABLE number_sequences (
      prefix text NOT NULL,
      year integer NOT NULL,
      last_value integer NOT NULL,
      PRIMARY KEY (prefix, year)
    )`.execute(db);

  await sql`
    CREATE TABLE registration_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      platform_id uuid NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action IN ('suspend', 'revoke', 'reinstate')),
      reason text NOT NULL,
      legal_basis text NOT NULL,
      actor text NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX registration_actions_platform_idx ON registration_actions (platform_id, id)`.execute(db);

  // Written in the transaction of the step it reports; sent after commit, retried by a job when SMTP fails.
  await sql`
    CREATE TABLE mail_outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id uuid REFERENCES applications (id) ON DELETE SET NULL,
      recipients text[] NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      last_error text
    )`.execute(db);
  await sql`CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE mail_outbox, registration_actions, number_sequences, application_events, application_domains, applications`.execute(
    db,
  );
}
