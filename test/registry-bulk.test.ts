import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generateRegister } from '../bench/generate-register.ts';
import type { Database } from '../src/core/db.ts';
import { importRegistryFile, searchPlatforms } from '../src/modules/registry/index.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/** Large imports rebuild the name index and the foreign keys once instead of row by row. */
describe(`registry bulk import (${testDatabaseKind})`, () => {
  let database: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-bulk-'));
  const file = path.join(dir, 'register.csv');
  before(async () => {
    database = await createTestDatabase();
    await generateRegister({ platforms: 50_000, seed: 7, out: file });
  });
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads 50,000 platforms and leaves the index and foreign keys in place', async () => {
    const counts = await importRegistryFile(database, file, { actor: 'test' });
    assert.ok(counts.created >= 50_000);
    const constraints = await sql<{ conname: string }>`
      SELECT conname FROM pg_constraint WHERE contype = 'f' AND conname IN
        ('platform_identities_platform_id_fkey', 'platform_status_history_platform_id_fkey') ORDER BY conname`.execute(
      database.db,
    );
    assert.deepEqual(
      constraints.rows.map((row) => row.conname),
      ['platform_identities_platform_id_fkey', 'platform_status_history_platform_id_fkey'],
    );
    const indexes = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'platforms_name_key_trgm_idx'`.execute(database.db);
    assert.equal(indexes.rows[0]?.n, 1);
    const { platforms } = await searchPlatforms(database.db, { q: 'shopee', limit: 5, offset: 0 });
    assert.ok(platforms.some((platform) => platform.name === 'Shopee'));
  });

  it('changes nothing when the same large file is imported again', async () => {
    const counts = await importRegistryFile(database, file, { actor: 'test' });
    assert.deepEqual([counts.created, counts.updated], [0, 0]);
    assert.equal(counts.unchanged, counts.rows);
  });
});
