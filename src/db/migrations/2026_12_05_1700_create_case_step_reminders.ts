import { type Kysely, sql } from 'kysely';

/**
 * The e-mails sent about overdue steps of cases: one row per step and due day, written in the transaction that queues
 * the mail, so a re-run (or a second worker) does not send it again. The due day is part of the key: a step whose
 * period was extended and runs out again is a new reminder.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_step_reminders (
      case_id uuid NOT NULL REFERENCES cases (id),
      step text NOT NULL,
      due_on date NOT NULL,
      unit_id text,
      recipients text[] NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, step, due_on)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_step_reminders`.execute(db);
}
