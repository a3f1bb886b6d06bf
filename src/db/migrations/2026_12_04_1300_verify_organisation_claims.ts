import { type Kysely, sql } from 'kysely';

/**
 * Who owns an organisation (issue 9): a business account's organisation is its *claim* of a name and tax code, which
 * an officer of the E-Commerce Agency verifies from its enterprise registration certificate before the account may
 * act for the organisation. Several accounts may claim one tax code until one is verified, so the tax code is no
 * longer unique; a partial unique index keeps one verified owner per tax code in the database itself, so that two
 * officers verifying competing claims at the same moment cannot both succeed.
 *
 * Existing organisations were made before this rule, under the old one-account-per-tax-code constraint: they count as
 * verified, so an upgrade locks nobody out (and, the tax code having been unique, the index cannot fail on them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE account_organisations DROP CONSTRAINT account_organisations_tax_code_key`.execute(db);
  await sql`
    ALTER TABLE account_organisations
      ADD COLUMN status text NOT NULL DEFAULT 'unverified'
        CHECK (status IN ('unverified', 'submitted', 'verified', 'rejected', 'supplement_requested', 'superseded')),
      ADD COLUMN erc_number text,
      ADD COLUMN erc_issued_on date,
      ADD COLUMN erc_issuer text,
      ADD COLUMN representative_name text,
      ADD COLUMN representative_title text,
      ADD COLUMN document_id uuid,
      ADD COLUMN submitted_at timestamptz,
      ADD COLUMN due_on date,
      ADD COLUMN decided_at timestamptz,
      ADD COLUMN decided_by text,
      ADD COLUMN decision_reason text,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD CHECK (status IN ('unverified', 'verified', 'superseded') OR document_id IS NOT NULL),
      ADD CHECK (status <> 'submitted' OR due_on IS NOT NULL)`.execute(db);
  await sql`UPDATE account_organisations SET status = 'verified', decided_at = now(), decided_by = 'migration'`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX account_organisations_one_verified ON account_organisations (tax_code) WHERE status = 'verified'`.execute(
    db,
  );
  await sql`CREATE INDEX account_organisations_tax_code ON account_organisations (tax_code)`.execute(db);
  await sql`CREATE INDEX account_organisations_queue ON account_organisations (due_on) WHERE status = 'submitted'`.execute(
    db,
  );
  // Every certificate filed is kept (a refiling adds one): the audit trail names them by id and hash.
  await sql`
    CREATE TABLE account_organisation_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organisation_id uuid NOT NULL REFERENCES account_organisations (id) ON DELETE CASCADE,
      filename text NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
      byte_size integer NOT NULL,
      sha256 text NOT NULL,
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX account_organisation_documents_organisation ON account_organisation_documents (organisation_id)`.execute(
    db,
  );
  await sql`
    ALTER TABLE account_organisations ADD CONSTRAINT account_organisations_document
      FOREIGN KEY (document_id) REFERENCES account_organisation_documents (id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE account_organisations DROP CONSTRAINT account_organisations_document`.execute(db);
  await sql`DROP TABLE account_organisation_documents`.execute(db);
  await sql`DROP INDEX account_organisations_queue`.execute(db);
  await sql`DROP INDEX account_organisations_tax_code`.execute(db);
  await sql`DROP INDEX account_organisations_one_verified`.execute(db);
  await sql`
    ALTER TABLE account_organisations
      DROP COLUMN status, DROP COLUMN erc_number, DROP COLUMN erc_issued_on, DROP COLUMN erc_issuer,
      DROP COLUMN representative_name, DROP COLUMN representative_title, DROP COLUMN document_id,
      DROP COLUMN submitted_at, DROP COLUMN due_on, DROP COLUMN decided_at, DROP COLUMN decided_by,
      DROP COLUMN decision_reason, DROP COLUMN updated_at`.execute(db);
  await sql`ALTER TABLE account_organisations ADD CONSTRAINT account_organisations_tax_code_key UNIQUE (tax_code)`.execute(
    db,
  );
}
