import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../src/core/db.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * Values of every size: most a few dozen bytes, some longer than the embedded database's 8 KB protocol pieces (so
 * that messages are cut anywhere, headers included), with multi-byte characters, tabs and newlines, and NULLs.
 */
const VALUES = sql`
  SELECT CASE WHEN n % 997 = 0 THEN NULL
              WHEN n % 101 = 0 THEN repeat('Đ' || n::text || E'\\t', 2000 + n % 7)
              ELSE 'giá trị ' || n::text || E'\\n' || repeat('ư', n % 50) END
  FROM generate_series(1, 20000) AS n ORDER BY n`;

/** Splits the newline-ended values of the chunks, knowing how many newlines each value holds. */
function splitValues(chunks: readonly Buffer[], expected: readonly string[]): string[] {
  const text = Buffer.concat(chunks).toString('utf8');
  const values: string[] = [];
  let at = 0;
  for (const value of expected) {
    values.push(text.slice(at, at + value.length));
    assert.equal(text[at + value.length], '\n', `a newline after value ${values.length}`);
    at += value.length + 1;
  }
  assert.equal(at, text.length, 'nothing after the last value');
  return values;
}

describe(`Database.readTextColumn (${testDatabaseKind})`, () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('gives the values the driver gives, NULLs left out, in chunks the callee may keep', async () => {
    const expected = (await VALUES.execute(database.db)).rows
      .map((row) => Object.values(row as Record<string, string | null>)[0])
      .filter((value): value is string => value !== null && value !== undefined);
    assert.equal(expected.length, 20000 - 20);
    const chunks: Buffer[] = [];
    await database.readTextColumn(VALUES, (chunk) => chunks.push(chunk));
    assert.ok(chunks.length > 1, 'several chunks');
    assert.ok(
      chunks.every((chunk) => chunk.byteOffset === 0),
      'each chunk starts its own memory',
    );
    assert.deepEqual(splitValues(chunks, expected), expected);
  });

  it('rejects with the database error, and the database goes on answering', async () => {
    await assert.rejects(
      database.readTextColumn(sql`SELECT (1 / (5000 - n))::text FROM generate_series(1, 10000) AS n`, () => {}),
      /division by zero/,
    );
    const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    assert.equal(after.rows[0]?.one, 1);
  });

  it('rejects with what the callee throws, and the database goes on answering', async () => {
    let calls = 0;
    await assert.rejects(
      database.readTextColumn(VALUES, () => {
        calls++;
        throw new Error('callee failed');
      }),
      /callee failed/,
    );
    assert.equal(calls, 1, 'no chunk after the failure');
    const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    assert.equal(after.rows[0]?.one, 1);
  });

  it('takes one column', async () => {
    await assert.rejects(
      database.readTextColumn(sql`SELECT 'a', 'b'`, () => {}),
      /one column, not 2/,
    );
    const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    assert.equal(after.rows[0]?.one, 1);
  });

  it('takes no parameters', async () => {
    await assert.rejects(
      database.readTextColumn(sql`SELECT ${'x'}::text`, () => {}),
      /without parameters/,
    );
  });
});
