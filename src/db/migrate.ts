import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { AppError } from '../core/errors.ts';
import { migrations } from './migrations/index.ts';

function createMigrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

function throwOnFailure(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((migration) => migration.status === 'Error');
    const name = failed?.migrationName ?? '?';
    const detail = String(result.error);
    throw new AppError(
      'internal',
      { vi: `Lỗi khi chạy migration ${name}: ${detail}`, en: `migration ${name} failed: ${detail}` },
      {
        cause: result.error,
      },
    );
  }
}

/** Brings the schema to the newest migration; run at every start (a no-op when up to date). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  throwOnFailure(await createMigrator(db).migrateToLatest());
}

export async function migrateDown(db: Kysely<unknown>): Promise<void> {
  throwOnFailure(await createMigrator(db).migrateDown());
}
