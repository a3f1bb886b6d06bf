import { type Kysely, sql } from 'kysely';

/**
 * The directive tracker: documents (dispatches, telegrams…), the units they assign, the tasks with their
 * implementation periods, progress reports with attachments, extension requests and sent reminders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE directives (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL,
      number_key text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('dispatch','telegram','directive','decision','plan','notice','other')),
      issued_on date,
      issuer text,
      issuer_unit_id text REFERENCES units (id),
      title text NOT NULL,
      language text NOT NULL CHECK (language IN ('vi','en')),
      source_text text NOT NULL,
      source_sha256 text NOT NULL,
      unplaced text[] NOT NULL DEFAULT '{}',
      is_demo boolean NOT NULL DEFAULT false,
      imported_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE directive_assignments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      directive_id uuid NOT NULL REFERENCES directives (id) ON DELETE CASCADE,
      position integer NOT NULL,
      unit_name text NOT NULL,
      unit_id text REFERENCES units (id),
      role text NOT NULL CHECK (role IN ('preside','implement')),
      cooperating_names text[] NOT NULL DEFAULT '{}',
      cooperating_unit_ids text[] NOT NULL DEFAULT '{}',
      UNIQUE (directive_id, position) DEFERRABLE INITIALLY DEFERRED
    )`.execute(db);
  await sql`CREATE INDEX directive_assignments_unit_idx ON directive_assignments (unit_id)`.execute(db);

  await sql`
    CREATE TABLE directive_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      directive_id uuid NOT NULL REFERENCES directives (id) ON DELETE CASCADE,
      assignment_id uuid NOT NULL REFERENCES directive_assignments (id) ON DELETE CASCADE,
      seq integer NOT NULL,
      position integer NOT NULL,
      text text NOT NULL,
      period_text text,
      period_kind text NOT NULL CHECK (period_kind IN ('deadline','range','recurring','dependent','none')),
      period_start date,
      period_due date,
      recurrence text CHECK (recurrence IN ('daily','weekly','monthly','quarterly','semiannual','annual')),
      depends_on_directive_id uuid REFERENCES directives (id) ON DELETE SET NULL,
      depends_on_task_id uuid REFERENCES directive_tasks (id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started','in_progress','done')),
      completed_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (directive_id, seq) DEFERRABLE INITIALLY DEFERRED,
      UNIQUE (assignment_id, position)
    )`.execute(db);
  await sql`CREATE INDEX directive_tasks_directive_idx ON directive_tasks (directive_id)`.execute(db);
  await sql`CREATE INDEX directive_tasks_depends_idx ON directive_tasks (depends_on_directive_id)`.execute(db);

  await sql`
    CREATE TABLE directive_progress_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      task_id uuid NOT NULL REFERENCES directive_tasks (id) ON DELETE CASCADE,
      text text NOT NULL,
      percentage integer NOT NULL CHECK (percentage BETWEEN 0 AND 100),
      period_start date,
      completed_on date,
      reported_by text NOT NULL,
      reporter_name text NOT NULL,
      reporter_unit_id text,
      reported_on date NOT NULL,
      reported_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX directive_progress_reports_task_idx ON directive_progress_reports (task_id, reported_at)`.execute(
    db,
  );

  // Attachments live in the database (bytea, size-capped by the service): web processes are stateless
  // and may run on several machines, and a backup of the database is then a backup of the evidence.
  await sql`
    CREATE TABLE directive_report_attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES directive_progress_reports (id) ON DELETE CASCADE,
      filename text NOT NULL,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      sha256 text NOT NULL,
      content bytea NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX directive_report_attachments_report_idx ON directive_report_attachments (report_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE directive_extension_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      task_id uuid NOT NULL REFERENCES directive_tasks (id) ON DELETE CASCADE,
      current_due date,
      requested_due date NOT NULL,
      reason text NOT NULL,
      requested_by text NOT NULL,
      requester_name text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decision text CHECK (decision IN ('approved','rejected')),
      decision_note text,
      decided_by text,
      decider_name text,
      decided_at timestamptz,
      CHECK ((decision IS NULL) = (decided_at IS NULL))
    )`.execute(db);
  // At most one undecided request per task.
  await sql`
    CREATE UNIQUE INDEX directive_extension_requests_pending_idx
      ON directive_extension_requests (task_id) WHERE decision IS NULL`.execute(db);

  // One row per reminder sent: the key makes each reminder go out once, even with several workers.
  await sql`
    CREATE TABLE directive_reminders (
      task_id uuid NOT NULL REFERENCES directive_tasks (id) ON DELETE CASCADE,
      kind text NOT NULL,
      due_on date NOT NULL,
      unit_id text,
      recipients text[] NOT NULL DEFAULT '{}',
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (task_id, kind, due_on)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE directive_reminders`.execute(db);
  await sql`DROP TABLE directive_extension_requests`.execute(db);
  await sql`DROP TABLE directive_report_attachments`.execute(db);
  await sql`DROP TABLE directive_progress_reports`.execute(db);
  await sql`DROP TABLE directive_tasks`.execute(db);
  await sql`DROP TABLE directive_assignments`.execute(db);
  await sql`DROP TABLE directives`.execute(db);
}
