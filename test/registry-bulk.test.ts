import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generateRegister } from '../bench/generate-register.ts';
import type { Database } from '../src/core/db.ts';
import { searchPlatforms } from '../src/modules/registry/registry.search.ts';
import { importRegistryFile } from '../src/modules/registry/registry.service.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/** Large imports rebuild the register's indexes and foreign keys once instead of row by row. */
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

  it('loads 50,000 platforms and leaves every index and constraint as the migrations made it', async () => {
    const before = await registerCatalogue(database);
    const counts = await importRegistryFile(database, file, { actor: 'test' });
    assert.ok(counts.created >= 50_000);
    assert.deepEqual(await registerCatalogue(database), before);
    assert.ok(before.some((entry) => entry.includes('platforms_name_compact_trgm_idx')));
    assert.ok(before.some((entry) => entry.includes('platform_identities_platform_id_fkey')));
    const { platforms } = await searchPlatforms(database.db, { q: 'shopee', limit: 5, offset: 0 });
    assert.ok(platforms.some((platform) => platform.name === 'Shopee'));
  });

  it('changes nothing when the same large file is imported again', async () => {
    const counts = await importRegistryFile(database, file, { actor: 'test' });
    assert.deepEqual([counts.created, counts.updated], [0, 0]);
    assert.equal(counts.unchanged, counts.rows);
  });
});

/** Every index and constraint of the register's tables, as the catalogue defines them. */
async function registerCatalogue(database: Database): Promise<string[]> {
  const tables = ['organisations', 'platforms', 'platform_identities', 'platform_status_history'];
  const result = await sql<{ entry: string }>`
    SELECT pg_get_indexdef(i.indexrelid) AS entry FROM pg_index i
    WHERE i.indrelid::regclass::text IN (${sql.join(tables)})
    UNION ALL
    SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
    WHERE c.conrelid::regclass::text IN (${sql.join(tables)})
    ORDER BY 1`.execute(database.db);
  return result.rows.map((row) => row.entry);
}
