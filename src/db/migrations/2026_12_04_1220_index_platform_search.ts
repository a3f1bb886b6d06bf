import { type Kysely, sql } from 'kysely';

/**
 * The public search's indexes (registry.repository.ts "Public search" says which query uses which).
 *
 * `name_compact`: the name's search key with only letters and digits left ("Chợ Phiên-Test" → "chophientest"), the
 * column name searches match against with a trigram index. It is derived from `name_key`, which the writers already
 * fold with `foldForSearch` (lower case, Vietnamese diacritics removed, đ → d) — the same function that folds the
 * query, so both sides fold alike. Folding in SQL with `unaccent()` instead would need a wrapper declaring a STABLE
 * function IMMUTABLE (its result depends on a dictionary file) and would fold by other rules than the query's.
 * What is left to do in SQL, dropping what is not a-z or 0-9, is IMMUTABLE, so the database keeps the column up to
 * date for every writer (a stored generated column, PostgreSQL 12+). Stored rather than an expression index: the
 * search rechecks every candidate row against it, and evaluating the regular expression there cost ≈ 3.5 µs a row
 * on the embedded database, against ≈ 0.5 µs to read it (a million platforms: +25 MB of heap, +3.5 s of import).
 *
 * `platforms_name_order_idx`: the order of results and of keyset paging (name key bytewise, then id), and the
 * prefix search of short queries (LIKE 'ab%' becomes a range of this index, as the collation is "C").
 *
 * The trigram index on `name_key` goes: every name search now runs on `name_compact`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE platforms ADD COLUMN name_compact text NOT NULL
      GENERATED ALWAYS AS (regexp_replace(name_key, '[^0-9a-z]+', '', 'g')) STORED`.execute(db);
  await sql`DROP INDEX platforms_name_key_trgm_idx`.execute(db);
  await sql`CREATE INDEX platforms_name_compact_trgm_idx ON platforms USING gin (name_compact gin_trgm_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX platforms_name_order_idx ON platforms (name_key COLLATE "C", id)`.execute(db);
  // Statistics of the new column, for the planner's estimates of the LIKE conditions on it.
  await sql`ANALYZE platforms`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX platforms_name_order_idx`.execute(db);
  await sql`DROP INDEX platforms_name_compact_trgm_idx`.execute(db);
  await sql`ALTER TABLE platforms DROP COLUMN name_compact`.execute(db);
  await sql`CREATE INDEX platforms_name_key_trgm_idx ON platforms USING gin (name_key gin_trgm_ops)`.execute(db);
}
