import { type Kysely, sql } from 'kysely';

/**
 * Findings of the monitor (issue 12): one per domain found selling without registration or showing a fake badge,
 * in the officers' queue. A re-scan updates it (last seen, latest scan and evidence); a re-scan that finds the site
 * compliant is noted in `last_scan_classification`, and the finding and its scans stay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitor_findings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain text NOT NULL UNIQUE CHECK (domain <> ''),
      classification text NOT NULL CHECK (classification IN ('unregistered_ecommerce', 'fake_badge')),
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'dismissed', 'warned', 'block_requested', 'case')),
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      latest_scan_id uuid NOT NULL REFERENCES monitor_scans (id),
      latest_evidence_id uuid,
      last_scan_id uuid NOT NULL REFERENCES monitor_scans (id),
      last_scan_classification text NOT NULL,
      last_scanned_at timestamptz NOT NULL,
      status_reason text,
      status_changed_by text,
      status_changed_at timestamptz,
      CHECK ((status = 'dismissed') <= (status_reason IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX monitor_findings_queue ON monitor_findings (status, last_seen_at DESC)`.execute(db);
  await sql`CREATE INDEX monitor_scans_domain ON monitor_scans (domain, seq DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX monitor_scans_domain`.execute(db);
  await sql`DROP TABLE monitor_findings`.execute(db);
}
