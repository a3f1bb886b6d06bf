import { type Kysely, sql } from 'kysely';

/**
 * The audit trail (src/core/audit.ts): append-only events, hash-chained through a one-row head that
 * every append locks. Triggers reject UPDATE, DELETE and TRUNCATE of events, and any change of the
 * head other than advancing it to the event just appended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_events (
      seq bigint PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      actor text NOT NULL,
      request_id text,
      ip text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      changes jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq)`.execute(db);
  await sql`CREATE INDEX audit_events_actor ON audit_events (actor, seq)`.execute(db);
  await sql`
    CREATE TABLE audit_chain_head (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      last_seq bigint NOT NULL,
      last_hash text NOT NULL
    )`.execute(db);
  await sql`INSERT INTO audit_chain_head (only_row, last_seq, last_hash) VALUES (true, 0, repeat('0', 64))`.execute(db);
  await sql`
    CREATE FUNCTION audit_events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change()`.execute(db);
  await sql`
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change()`.execute(db);
  await sql`
    CREATE FUNCTION audit_chain_head_advance_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_chain_head: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.last_seq <> OLD.last_seq + 1
         OR NOT EXISTS (SELECT 1 FROM audit_events WHERE seq = NEW.last_seq AND hash = NEW.last_hash) THEN
        RAISE EXCEPTION 'audit_chain_head may only advance to the event just appended'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_advance_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_advance_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_chain_head`.execute(db);
  await sql`DROP TABLE audit_events`.execute(db);
  await sql`DROP FUNCTION audit_chain_head_advance_only()`.execute(db);
  await sql`DROP FUNCTION audit_events_reject_change()`.execute(db);
}
