import { type Kysely, sql } from 'kysely';

/**
 * The public register of decisions (issue 15, "Published decisions"), in the manner of the EU DSA Transparency
 * Database: every warning to consumers, block and sanction decision gets a public id and a permalink with its legal
 * ground, facts, targets and whether detection or decision was automated, and goes into a daily dump.
 *
 * A row is written by the module that makes the decision, in the transaction that makes it public (publishing a
 * warning, activating a block), as a snapshot of what was decided: later edits of the source do not rewrite it. Its
 * end (a warning withdrawn, a block lifted) is recorded on the same row. `public_no` (sequence
 * `published_decision_no`) numbers rows in order of publication; the public id is `ECG-<year of publication>-<public_no padded to 6>`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE published_decision_no`.execute(db);
  await sql`
    CREATE TABLE published_decisions (
      public_id text PRIMARY KEY,
      public_no bigint NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('warning', 'block', 'sanction')),
      source_type text NOT NULL,
      source_id text NOT NULL,
      decision_no text,
      decided_on date NOT NULL,
      effective_from date,
      effective_to date,
      issuer_unit_id text,
      legal_ground text NOT NULL CHECK (legal_ground <> ''),
      facts_vi text NOT NULL CHECK (facts_vi <> ''),
      facts_en text NOT NULL DEFAULT '',
      targets jsonb NOT NULL,
      automated_detection boolean NOT NULL,
      automated_decision boolean NOT NULL,
      sample boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('in_force', 'ended')),
      end_reason_vi text,
      end_reason_en text,
      ended_at timestamptz,
      published_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (source_type, source_id),
      CHECK ((status = 'ended') = (ended_at IS NOT NULL))
    )`.execute(db);
  // The daily dump reads the rows published or ended on a day.
  await sql`CREATE INDEX published_decisions_published ON published_decisions (published_at)`.execute(db);
  await sql`CREATE INDEX published_decisions_ended ON published_decisions (ended_at)`.execute(db);
  await sql`CREATE INDEX published_decisions_kind ON published_decisions (kind, public_no)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE published_decisions`.execute(db);
  await sql`DROP SEQUENCE published_decision_no`.execute(db);
}
