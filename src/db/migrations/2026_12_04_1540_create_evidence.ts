import { type Kysely, sql } from 'kysely';

/**
 * Evidence (issue 12, "Evidence"): each capture of a URL, whose files (the WARC, the TLS certificate chain, the
 * screenshot) live in the content-addressed evidence store on disk with their SHA-256 here; and the custody log of
 * each item (captured, viewed, exported, attached, verified), append-only like the audit trail it is copied to.
 * An item's capture never changes: only the case or finding it is attached to may be set.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE evidence_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      url text NOT NULL CHECK (url <> ''),
      final_url text NOT NULL CHECK (final_url <> ''),
      http_status integer NOT NULL CHECK (http_status BETWEEN 100 AND 999),
      captured_at timestamptz NOT NULL,
      ip text NOT NULL CHECK (ip <> ''),
      warc_path text NOT NULL CHECK (warc_path <> ''),
      warc_sha256 text NOT NULL CHECK (warc_sha256 ~ '^[0-9a-f]{64}$'),
      final_record_id text NOT NULL CHECK (final_record_id <> ''),
      body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
      body_bytes integer NOT NULL CHECK (body_bytes >= 0),
      body_truncated boolean NOT NULL,
      cert_chain_path text,
      cert_chain_sha256 text CHECK (cert_chain_sha256 ~ '^[0-9a-f]{64}$'),
      screenshot_path text,
      screenshot_sha256 text CHECK (screenshot_sha256 ~ '^[0-9a-f]{64}$'),
      captured_by text NOT NULL CHECK (captured_by <> ''),
      case_id uuid,
      finding_id uuid,
      CHECK ((cert_chain_path IS NULL) = (cert_chain_sha256 IS NULL)),
      CHECK ((screenshot_path IS NULL) = (screenshot_sha256 IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX evidence_items_captured ON evidence_items (captured_at DESC)`.execute(db);
  await sql`CREATE INDEX evidence_items_case ON evidence_items (case_id) WHERE case_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX evidence_items_finding ON evidence_items (finding_id) WHERE finding_id IS NOT NULL`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION evidence_items_keep_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE'
         OR (NEW.url, NEW.final_url, NEW.http_status, NEW.captured_at, NEW.ip, NEW.warc_path, NEW.warc_sha256,
             NEW.final_record_id, NEW.body_sha256, NEW.body_bytes, NEW.body_truncated, NEW.cert_chain_path,
             NEW.cert_chain_sha256, NEW.screenshot_path, NEW.screenshot_sha256, NEW.captured_by, NEW.id)
            IS DISTINCT FROM
            (OLD.url, OLD.final_url, OLD.http_status, OLD.captured_at, OLD.ip, OLD.warc_path, OLD.warc_sha256,
             OLD.final_record_id, OLD.body_sha256, OLD.body_bytes, OLD.body_truncated, OLD.cert_chain_path,
             OLD.cert_chain_sha256, OLD.screenshot_path, OLD.screenshot_sha256, OLD.captured_by, OLD.id) THEN
        RAISE EXCEPTION 'evidence_items: a capture is not changed or removed (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER evidence_items_keep_capture BEFORE UPDATE OR DELETE ON evidence_items
    FOR EACH ROW EXECUTE FUNCTION evidence_items_keep_capture()`.execute(db);
  await sql`
    CREATE TABLE evidence_custody (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      evidence_id uuid NOT NULL REFERENCES evidence_items (id),
      event text NOT NULL CHECK (event IN ('captured', 'viewed', 'exported', 'attached', 'verified')),
      actor text NOT NULL CHECK (actor <> ''),
      at timestamptz NOT NULL DEFAULT now(),
      detail jsonb
    )`.execute(db);
  await sql`CREATE INDEX evidence_custody_item ON evidence_custody (evidence_id, id)`.execute(db);
  await sql`
    CREATE FUNCTION evidence_custody_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'evidence_custody is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER evidence_custody_append_only BEFORE UPDATE OR DELETE ON evidence_custody
    FOR EACH ROW EXECUTE FUNCTION evidence_custody_reject_change()`.execute(db);
  await sql`
    CREATE TRIGGER evidence_custody_no_truncate BEFORE TRUNCATE ON evidence_custody
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_custody_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE evidence_custody`.execute(db);
  await sql`DROP FUNCTION evidence_custody_reject_change()`.execute(db);
  await sql`DROP TABLE evidence_items`.execute(db);
  await sql`DROP FUNCTION evidence_items_keep_capture()`.execute(db);
}
