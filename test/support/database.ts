import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/core/db.ts';
import { openMigratedDatabase } from '../../src/runtime.ts';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or (with
 * ECOMGOV_TEST_DB=pg, as `npm run test:pg` sets) a new database on the PostgreSQL server at
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped when closed.
 */
export async function createTestDatabase(): Promise<Database> {
  if (process.env.ECOMGOV_TEST_DB !== 'pg') return openMigratedDatabase({ dataDir: 'memory://' });

  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `ecomgov_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openMigratedDatabase({ dataDir: 'unused', databaseUrl: url.toString() });
  return {
    ...database,
    db: database.db,
    pool: database.pool,
    kind: database.kind,
    listen: database.listen,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export const testDatabaseKind = process.env.ECOMGOV_TEST_DB === 'pg' ? 'postgres' : 'pglite';
