import { type Kysely, sql } from 'kysely';

/**
 * Sweeps (issue 12): a named list of URLs scanned together, on demand or on a schedule (a cron expression in
 * Asia/Ho_Chi_Minh), through the same queue as any scan (`monitor_scans.sweep_id`). `last_run_at` is when it was last
 * queued: the scheduler runs a sweep whose schedule has come round since then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitor_sweeps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,79}$'),
      urls text[] NOT NULL CHECK (cardinality(urls) BETWEEN 1 AND 10000),
      cron text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      last_run_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE monitor_sweeps`.execute(db);
}
