import type { Kysely } from 'kysely';
import { type Database, openDatabase } from './core/db.ts';
import { migrateToLatest } from './db/migrate.ts';

export interface RuntimeOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** Opens the database the options name and brings its schema up to date. */
export async function openMigratedDatabase(options: RuntimeOptions): Promise<Database> {
  const database = await openDatabase({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  try {
    await migrateToLatest(database.db as unknown as Kysely<unknown>);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
