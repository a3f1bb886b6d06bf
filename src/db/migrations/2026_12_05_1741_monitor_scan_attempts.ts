import { type Kysely, sql } from 'kysely';

/**
 * How many times a worker claimed a scan: a scan left `running` by a worker that died is queued again by the next
 * drain, and failed after a few tries, so one URL that kills its worker (a crash, an out-of-memory page) cannot hold the
 * queue for ever.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE monitor_scans ADD COLUMN attempts int NOT NULL DEFAULT 0`.execute(db);
  await sql`UPDATE monitor_scans SET attempts = 1 WHERE status <> 'queued'`.execute(db);
  // The drain looks for stale running scans every minute: few rows, found without reading the history.
  await sql`CREATE INDEX monitor_scans_running ON monitor_scans (started_at) WHERE status = 'running'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX monitor_scans_running`.execute(db);
  await sql`ALTER TABLE monitor_scans DROP COLUMN attempts`.execute(db);
}
