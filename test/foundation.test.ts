import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../src/core/db.ts';
import { defineJob, startJobRunner } from '../src/core/jobs.ts';
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

const silentLog = { error: () => {} };

describe(`foundation (${testDatabaseKind})`, () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('runs a job sent to the queue on the same database', async () => {
    const received: number[] = [];
    const job = defineJob({
      name: 'test-echo',
      schema: z.object({ value: z.number() }),
      handler: async (payload) => {
        received.push(payload.value);
      },
    });
    const runner = await startJobRunner(database, [job], silentLog);
    try {
      await runner.send(job, { value: 42 });
      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(received, [42]);
    } finally {
      await runner.stop();
    }
  });

  it('migrates every step down and back up again', async () => {
    const db = database.db as unknown as Kysely<unknown>;
    for (let step = 0; step < Object.keys(migrations).length; step++) await migrateDown(db);
    const left = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('platforms', 'units')`.execute(db);
    assert.equal(left.rows[0]?.n, 0);
    await migrateToLatest(db);
    const back = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('platforms', 'units')`.execute(db);
    assert.equal(back.rows[0]?.n, 2);
  });
});
