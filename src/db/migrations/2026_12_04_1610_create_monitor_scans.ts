import { type Kysely, sql } from 'kysely';

/**
 * Scans on the queue (issue 12): each requested scan of a URL, from the API, the workbench or a sweep. The table is
 * the queue itself: workers claim queued rows with FOR UPDATE SKIP LOCKED, so several servers can share it, and the
 * answer (DESIGN.md "Monitor answer") stays with the request that asked for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitor_scans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- First come, first scanned: URLs of one request share requested_at, so the queue's order is this sequence.
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      url text NOT NULL CHECK (url <> ''),
      resolve text[] NOT NULL DEFAULT '{}',
      requested_by text NOT NULL CHECK (requested_by <> ''),
      sweep_id uuid,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
      answer jsonb,
      classification text,
      domain text,
      evidence_id uuid,
      error text,
      requested_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      CHECK ((status = 'done') = (answer IS NOT NULL)),
      CHECK ((status = 'failed') = (error IS NOT NULL))
    )`.execute(db);
  // The workers' claim reads the oldest queued rows; a partial index keeps that cheap however long the history.
  await sql`CREATE INDEX monitor_scans_queued ON monitor_scans (seq) WHERE status = 'queued'`.execute(db);
  await sql`CREATE INDEX monitor_scans_sweep ON monitor_scans (sweep_id) WHERE sweep_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE monitor_scans`.execute(db);
}
