import { type Kysely, sql } from 'kysely';

/**
 * The working calendar as data: each public holiday, day off and make-up working day, with the decision it comes from
 * (`source`), whether it is that decision or a projection from the Labour Code (`basis`), and who loaded it when. The
 * shipped file `src/core/vietnam-days-off.csv` is synced in at every start; administrators add a year's official days
 * with `ecomgov calendar add-days`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE calendar_days (
      date date PRIMARY KEY,
      type text NOT NULL CHECK (type IN ('holiday', 'day_off', 'working_day')),
      name_vi text NOT NULL CHECK (name_vi <> ''),
      name_en text NOT NULL CHECK (name_en <> ''),
      basis text NOT NULL CHECK (basis IN ('official', 'projected')),
      source text NOT NULL CHECK (source <> ''),
      note text NOT NULL DEFAULT '',
      loaded_by text NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      -- A weekday is a working day already: only a Saturday or Sunday can be made one.
      CHECK (type <> 'working_day' OR EXTRACT(ISODOW FROM date) IN (6, 7))
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE calendar_days`.execute(db);
}
