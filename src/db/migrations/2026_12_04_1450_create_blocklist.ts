import { type Kysely, sql } from 'kysely';

/**
 * The blocklist feeds (issue 11, "Feeds"): the serial that grows with every change of the list, the entries as
 * versions (each row says from which serial to which it was on the list, so any serial's list can be read again and
 * the diff since a serial is two index ranges), and which serial each ISP says it loaded. The decision columns stay
 * empty until the blocking workflow records decisions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE blocklist_state (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      serial bigint NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`INSERT INTO blocklist_state (only_row) VALUES (true)`.execute(db);

  await sql`
    CREATE TABLE blocklist_entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      domain text NOT NULL,
      action text NOT NULL CHECK (action IN ('block', 'passthru')),
      platform_id uuid NOT NULL,
      platform_name text NOT NULL,
      registration_no text,
      decision_no text,
      legal_basis text,
      effective_from date,
      effective_to date,
      added_serial bigint NOT NULL,
      removed_serial bigint CHECK (removed_serial IS NULL OR removed_serial > added_serial)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX blocklist_entries_current_idx ON blocklist_entries (domain) WHERE removed_serial IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX blocklist_entries_domain_idx ON blocklist_entries (domain, added_serial)`.execute(db);
  await sql`CREATE INDEX blocklist_entries_platform_idx ON blocklist_entries (platform_id) WHERE removed_serial IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX blocklist_entries_added_idx ON blocklist_entries (added_serial)`.execute(db);
  await sql`CREATE INDEX blocklist_entries_removed_idx ON blocklist_entries (removed_serial) WHERE removed_serial IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE blocklist_partner_loads (
      token_id uuid PRIMARY KEY,
      partner_name text NOT NULL,
      serial bigint NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE blocklist_partner_loads`.execute(db);
  await sql`DROP TABLE blocklist_entries`.execute(db);
  await sql`DROP TABLE blocklist_state`.execute(db);
}
