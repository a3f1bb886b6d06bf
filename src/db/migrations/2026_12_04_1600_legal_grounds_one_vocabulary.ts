import { type Kysely, sql } from 'kysely';

/**
 * The three tables of legal grounds (cancellation, refusal, foreign platform) and the table of procedures say how
 * sure their source is in one vocabulary: `source_status` verified · unverified · disputed, with a `note`, and their
 * dates as `effective_from`/`effective_to`. The grounds of refusal and of a foreign platform said
 * `official_text`/`secondary_sources`/`unverified`: a reading of secondary sources only is `unverified` (the note
 * already names them). Cancellation grounds take the same column names, so one service and one admin page keep all
 * three.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN text_vi TO label_vi`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN text_en TO label_en`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN valid_from TO effective_from`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN valid_until TO effective_to`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN source_note TO note`.execute(db);
  await sql`UPDATE cancellation_grounds SET note = coalesce(note, ''), source_url = coalesce(source_url, '')`.execute(
    db,
  );
  await sql`
    ALTER TABLE cancellation_grounds
      ALTER COLUMN note SET DEFAULT '',
      ALTER COLUMN note SET NOT NULL,
      ALTER COLUMN source_url SET NOT NULL,
      DROP CONSTRAINT cancellation_grounds_source_status_check,
      ADD CONSTRAINT cancellation_grounds_source_status_check
        CHECK (source_status IN ('verified', 'unverified', 'disputed'))`.execute(db);

  for (const table of ['foreign_platform_grounds', 'application_refusal_grounds']) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN source_status text NOT NULL DEFAULT 'unverified'
      CHECK (source_status IN ('verified', 'unverified', 'disputed'))`.execute(db);
    await sql`UPDATE ${sql.table(table)} SET source_status = CASE verification WHEN 'official_text' THEN 'verified' ELSE 'unverified' END`.execute(
      db,
    );
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN source_status DROP DEFAULT, DROP COLUMN verification`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['foreign_platform_grounds', 'application_refusal_grounds']) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN verification text NOT NULL DEFAULT 'unverified'
      CHECK (verification IN ('official_text', 'secondary_sources', 'unverified'))`.execute(db);
    await sql`UPDATE ${sql.table(table)} SET verification = CASE source_status WHEN 'verified' THEN 'official_text' ELSE 'unverified' END`.execute(
      db,
    );
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN verification DROP DEFAULT, DROP COLUMN source_status`.execute(
      db,
    );
  }
  await sql`UPDATE cancellation_grounds SET source_status = 'unverified' WHERE source_status = 'disputed'`.execute(db);
  await sql`
    ALTER TABLE cancellation_grounds
      ALTER COLUMN note DROP NOT NULL,
      ALTER COLUMN note DROP DEFAULT,
      ALTER COLUMN source_url DROP NOT NULL,
      DROP CONSTRAINT cancellation_grounds_source_status_check,
      ADD CONSTRAINT cancellation_grounds_source_status_check CHECK (source_status IN ('verified', 'unverified'))`.execute(
    db,
  );
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN note TO source_note`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN effective_to TO valid_until`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN effective_from TO valid_from`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN label_en TO text_en`.execute(db);
  await sql`ALTER TABLE cancellation_grounds RENAME COLUMN label_vi TO text_vi`.execute(db);
}
