import type { Kysely } from 'kysely';
import { type Database, openDatabase } from './core/db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { syncShippedCalendar } from './modules/calendar/index.ts';
import { syncUnitCatalogue } from './modules/units/index.ts';

export interface RuntimeOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** Opens the database the options name, brings its schema up to date and its reference data (units, the working calendar) in step. */
export async function openMigratedDatabase(options: RuntimeOptions): Promise<Database> {
  const database = await openDatabase({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  try {
    await migrateToLatest(database.db as unknown as Kysely<unknown>);
    await syncUnitCatalogue(database.db);
    await syncShippedCalendar(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
