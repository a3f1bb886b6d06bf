import { type Kysely, sql } from 'kysely';

/**
 * No invented expiry (issue 10): neither Decree 52/2013 nor Circular 47/2014 gives a notification or a registration a
 * validity term, so there is no renewal. Its place is taken by the procedures the law has: the change of notified or
 * registered information (Circular 47 Art. 11 and 17), which keeps the registration number and records the day the
 * information changed and whether the business reported it within its period, and the re-registration of a
 * platform whose registration was cancelled (Art. 19). Renewal applications already filed become changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The inline checks of 2026_11_30_1400 have names PostgreSQL chose: find them by what they say.
  await sql`
    DO $$
    DECLARE c record;
    BEGIN
      FOR c IN SELECT conname FROM pg_constraint
               WHERE conrelid = 'applications'::regclass AND contype = 'c'
                 AND pg_get_constraintdef(oid) LIKE '%renewal%'
      LOOP
        EXECUTE format('ALTER TABLE applications DROP CONSTRAINT %I', c.conname);
      END LOOP;
    END $$`.execute(db);
  await sql`UPDATE applications SET type = 'change' WHERE type = 'renewal'`.execute(db);
  await sql`
    ALTER TABLE applications
      ADD COLUMN information_changed_on date,
      ADD COLUMN change_report_due_on date,
      ADD COLUMN reported_late boolean,
      ADD CONSTRAINT applications_type_check
        CHECK (type IN ('notification', 'registration', 'change', 'reregistration')),
      ADD CONSTRAINT applications_platform_of_change
        CHECK (type NOT IN ('change', 'reregistration') OR platform_id IS NOT NULL),
      ADD CONSTRAINT applications_change_dates
        CHECK (type = 'change' OR (information_changed_on IS NULL AND change_report_due_on IS NULL AND reported_late IS NULL))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE applications
      DROP CONSTRAINT applications_change_dates,
      DROP CONSTRAINT applications_platform_of_change,
      DROP CONSTRAINT applications_type_check,
      DROP COLUMN reported_late,
      DROP COLUMN change_report_due_on,
      DROP COLUMN information_changed_on`.execute(db);
  await sql`UPDATE applications SET type = 'renewal' WHERE type IN ('change', 'reregistration')`.execute(db);
  await sql`
    ALTER TABLE applications
      ADD CONSTRAINT applications_type_check CHECK (type IN ('notification', 'registration', 'renewal')),
      ADD CONSTRAINT applications_check CHECK (type <> 'renewal' OR platform_id IS NOT NULL)`.execute(db);
}
