import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { ActorContext } from '../../core/context.ts';
import type { DatabaseTables, Db } from '../../core/db.ts';
import { AppError, type FieldIssue } from '../../core/errors.ts';
import type { RegistryRow } from './registry.csv.ts';
import { STAGED_BATCH_ROWS, type StagedBatch, toStagedBatch } from './registry.staging.ts';
import './registry.table.ts';

const MAX_REPORTED_ISSUES = 100;

export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Platforms whose data changed; `undefined` when so many changed that listeners should reload all. */
  changedPlatformIds: string[] | undefined;
}

type Trx = Transaction<DatabaseTables>;

/**
 * Applies a validated registry file in one transaction, set-based through temporary staging tables so
 * that a million rows take seconds, not hours. A row updates the platform that has its registration
 * number, else its legacy id, else one of its identities; its identity list replaces the platform's.
 * Conflicts that only the database can see (an identity owned by a platform the file does not
 * mention) abort the whole import with every problem listed.
 */
export async function applyRegistryRows(
  trx: Trx,
  rows: readonly RegistryRow[],
  context: ActorContext,
): Promise<ImportCounts> {
  await createStagingTables(trx);
  for (let start = 0; start < rows.length; start += STAGED_BATCH_ROWS) {
    await stageBatch(trx, toStagedBatch(rows.slice(start, start + STAGED_BATCH_ROWS)));
  }
  return applyStagedRows(trx, rows.length, context);
}

/**
 * The second half of an import: the rows are already in the staging tables (`createStagingTables`,
 * then `stageRows` once per batch as a file streams in, so a million rows never sit in memory at once).
 */
export async function applyStagedRows(
  trx: Trx,
  rowCount: number,
  context: ActorContext,
  /** Told when a long step starts (a million rows: about a minute of writing, then of index building). */
  onStage: (stage: 'checking' | 'writing' | 'indexing') => void = () => {},
): Promise<ImportCounts> {
  onStage('checking');
  // Sorts and hashes over a million staged rows, and the index rebuilds of a bulk load, fit in memory instead of
  // spilling to disk (the defaults are 4 MB and 64 MB). For this transaction only.
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
  await sql`ANALYZE import_rows`.execute(trx);
  await matchExistingPlatforms(trx);
  const issues = await findConflicts(trx);
  if (issues.length > 0) {
    throw new AppError(
      'invalid_input',
      {
        vi: `Tệp mâu thuẫn với sổ đăng ký ở ${issues.length} chỗ; không có gì được lưu`,
        en: `the file conflicts with the register in ${issues.length} place(s); nothing was stored`,
      },
      { issues },
    );
  }
  const suspended = (await isBulkLoad(trx)) ? await suspendSecondaryIndexes(trx) : undefined;
  onStage('writing');
  const counts = await writeStagedRows(trx, rowCount, context);
  if (suspended) {
    onStage('indexing');
    await restoreSecondaryIndexes(trx, suspended);
  }
  return counts;
}

/**
 * A load that adds at least this many platforms, and at least half as many as the register already holds, builds
 * the register's secondary indexes and foreign keys once at the end instead of maintaining them row by row: a
 * sorted build is several times cheaper than a million random inserts into each index (on the embedded database,
 * most of the import's time). A smaller addition to a large register keeps them: rebuilding would cost more.
 */
const BULK_IMPORT_ROWS = 50_000;

/** The register's tables whose secondary indexes and foreign keys a bulk load rebuilds. */
const REGISTER_TABLES = ['organisations', 'platforms', 'platform_identities', 'platform_status_history'] as const;

async function isBulkLoad(trx: Trx): Promise<boolean> {
  const result = await sql<{ new_rows: number; existing: number }>`
    SELECT (SELECT count(*) FROM import_rows WHERE is_new)::int AS new_rows,
           (SELECT count(*) FROM platforms)::int AS existing`.execute(trx);
  const row = result.rows[0];
  return !!row && row.new_rows >= BULK_IMPORT_ROWS && row.new_rows * 2 >= row.existing;
}

interface SuspendedIndexes {
  /** Unique constraints, then foreign keys (after the keys they point to), as the catalogue defines them. */
  constraints: { table: string; name: string; definition: string }[];
  /** `CREATE INDEX …` of plain indexes, as the catalogue defines them. */
  indexes: string[];
}

/**
 * Drops every index and constraint of the register's tables except primary keys (which foreign keys from other
 * modules' tables point to), remembering each definition as the catalogue gives it: what is rebuilt is exactly what
 * the migrations made. DDL inside the import's transaction: a failed import rolls the drops back too, and the tables
 * stay locked against other writers until it commits, as a bulk load may.
 */
async function suspendSecondaryIndexes(trx: Trx): Promise<SuspendedIndexes> {
  const tables = [...REGISTER_TABLES];
  const constraints = await sql<{ table: string; name: string; definition: string }>`
    SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    WHERE c.contype IN ('u', 'f') AND c.conrelid::regclass::text IN (${sql.join(tables)})
    ORDER BY c.contype DESC, c.conname`.execute(trx);
  const indexes = await sql<{ name: string; definition: string }>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid::regclass::text IN (${sql.join(tables)}) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'p', 'x'))
    ORDER BY 1`.execute(trx);
  // Foreign keys first: a unique constraint may be what one of them points to.
  for (const constraint of [...constraints.rows].reverse()) {
    await sql`ALTER TABLE ${sql.id(constraint.table)} DROP CONSTRAINT ${sql.id(constraint.name)}`.execute(trx);
  }
  for (const index of indexes.rows) await sql`DROP INDEX ${sql.id(index.name)}`.execute(trx);
  return { constraints: constraints.rows, indexes: indexes.rows.map((index) => index.definition) };
}

async function restoreSecondaryIndexes(trx: Trx, suspended: SuspendedIndexes): Promise<void> {
  for (const definition of suspended.indexes) await sql.raw(definition).execute(trx);
  for (const { table, name, definition } of suspended.constraints) {
    await sql`ALTER TABLE ${sql.id(table)} ADD CONSTRAINT ${sql.id(name)} ${sql.raw(definition)}`.execute(trx);
  }
  // The embedded database runs no autovacuum: without this the planner knows nothing of a million new rows.
  for (const table of REGISTER_TABLES) await sql`ANALYZE ${sql.id(table)}`.execute(trx);
}

async function writeStagedRows(trx: Trx, rowCount: number, context: ActorContext): Promise<ImportCounts> {
  await upsertOrganisations(trx);

  // The history rows of `recordStatusChanges` (registry.service.ts), written set-based: a million status changes
  // passed through it would each cross to JavaScript and back.
  await sql`
    INSERT INTO platform_status_history (platform_id, from_status, to_status, reason, changed_by)
    SELECT r.platform_id, p.status, r.status, 'registry import', ${context.actor}
    FROM import_rows r JOIN platforms p ON p.id = r.platform_id
    WHERE NOT r.is_new AND p.status <> r.status`.execute(trx);

  const updatedFields = await sql<{ id: string }>`
    UPDATE platforms p SET
      registration_no = r.registration_no, name = r.name, name_key = r.name_key, kind = r.kind, status = r.status,
      cross_border = r.cross_border, organisation_id = r.organisation_id, valid_until = r.valid_until,
      legacy_id = r.legacy_id, updated_at = now()
    FROM (${stagedRowsWithOrganisation(sql`NOT r.is_new`)}) r
    WHERE p.id = r.platform_id
      AND (p.registration_no, p.name, p.kind, p.status, p.cross_border, p.organisation_id, p.valid_until, p.legacy_id)
          IS DISTINCT FROM
          (r.registration_no, r.name, r.kind, r.status, r.cross_border, r.organisation_id, r.valid_until, r.legacy_id)
    RETURNING p.id`.execute(trx);

  // Before the new platforms' identities go in: an identity the file moves to a new platform must leave its old
  // one first, and this way the statements only look at the identities the register had before the import.
  const identityChanges = await replaceIdentitiesOfExistingPlatforms(trx);
  const created = await insertNewPlatforms(trx, context);

  const updatedIds = new Set<string>([...updatedFields.rows.map((row) => row.id), ...identityChanges]);
  await sql`DROP VIEW import_identities`.execute(trx);
  await sql`DROP TABLE import_rows`.execute(trx);
  const changed = created.count + updatedIds.size;
  return {
    rows: rowCount,
    created: created.count,
    updated: updatedIds.size,
    unchanged: rowCount - changed,
    changedPlatformIds: changed > 10_000 ? undefined : [...created.ids, ...updatedIds],
  };
}

export async function createStagingTables(trx: Trx): Promise<void> {
  await sql`
    CREATE TEMP TABLE import_rows (
      line integer NOT NULL, registration_no text, name text NOT NULL, name_key text NOT NULL, kind text NOT NULL,
      status text NOT NULL, cross_border boolean NOT NULL, org_name text, org_key text, tax_code text,
      valid_until date, legacy_id text,
      -- A fresh id for every row as it is staged; matching an existing platform replaces it and clears is_new.
      platform_id uuid NOT NULL, is_new boolean NOT NULL DEFAULT true,
      -- The id of the organisation this row names, should it be new and this row the first to name it.
      new_organisation_id uuid NOT NULL,
      -- Identities in the row's order. Kept with the row rather than as a million rows of their own: staging
      -- each as a row cost more than all the statements that read them.
      domains text[] NOT NULL, android_apps text[] NOT NULL, ios_apps text[] NOT NULL
    ) ON COMMIT DROP`.execute(trx);
  // One row per identity, with its row's platform; a view, so that it follows the matching of import_rows.
  await sql`
    CREATE TEMP VIEW import_identities AS
    SELECT r.line, r.platform_id, r.is_new, i.kind, i.value, (i.ordinality - 1)::int AS position
    FROM import_rows r
    CROSS JOIN LATERAL (
      SELECT 'domain' AS kind, value, ordinality FROM unnest(r.domains) WITH ORDINALITY AS d(value, ordinality)
      UNION ALL
      SELECT 'android_app', value, ordinality FROM unnest(r.android_apps) WITH ORDINALITY AS a(value, ordinality)
      UNION ALL
      SELECT 'ios_app', value, ordinality FROM unnest(r.ios_apps) WITH ORDINALITY AS i(value, ordinality)
    ) i`.execute(trx);
}

export async function stageBatch(trx: Trx, batch: StagedBatch): Promise<void> {
  if (batch.rowCount === 0) return;
  const { rows } = batch;
  // Identity lists arrive as `a|b|c`: no identity can hold a `|` (hosts, package ids and App Store ids can't).
  await sql`
    INSERT INTO import_rows (line, registration_no, name, name_key, kind, status, cross_border, org_name, org_key,
                             tax_code, valid_until, legacy_id, platform_id, new_organisation_id,
                             domains, android_apps, ios_apps)
    SELECT line, registration_no, name, name_key, kind, status, cross_border, org_name, org_key, tax_code,
           valid_until, legacy_id, platform_id, new_organisation_id,
           string_to_array(domains, '|'), string_to_array(android_apps, '|'), string_to_array(ios_apps, '|')
    FROM unnest(
      ${rows.line}::integer[], ${rows.registrationNo}::text[], ${rows.name}::text[], ${rows.nameKey}::text[],
      ${rows.kind}::text[], ${rows.status}::text[], ${rows.crossBorder}::boolean[], ${rows.orgName}::text[],
      ${rows.orgKey}::text[], ${rows.taxCode}::text[], ${rows.validUntil}::date[], ${rows.legacyId}::text[],
      ${rows.platformId}::uuid[], ${rows.organisationId}::uuid[], ${rows.domains}::text[],
      ${rows.androidApps}::text[], ${rows.iosApps}::text[]
    ) AS staged(line, registration_no, name, name_key, kind, status, cross_border, org_name, org_key, tax_code,
                valid_until, legacy_id, platform_id, new_organisation_id, domains, android_apps, ios_apps)`.execute(
    trx,
  );
}

/** Registration number first, then the old portal's id, then an identity that points at one platform. */
async function matchExistingPlatforms(trx: Trx): Promise<void> {
  await sql`
    UPDATE import_rows r SET platform_id = p.id, is_new = false FROM platforms p
    WHERE r.registration_no IS NOT NULL AND p.registration_no = r.registration_no`.execute(trx);
  await sql`
    UPDATE import_rows r SET platform_id = p.id, is_new = false FROM platforms p
    WHERE r.is_new AND r.legacy_id IS NOT NULL AND p.legacy_id = r.legacy_id`.execute(trx);
  // An identity match never renumbers a registration: a row with its own registration number only
  // updates a platform that has none yet (a pending application being approved, say).
  await sql`
    UPDATE import_rows r SET platform_id = m.platform_id, is_new = false
    FROM (
      SELECT ii.line, (array_agg(DISTINCT pi.platform_id))[1] AS platform_id
      FROM import_identities ii JOIN platform_identities pi ON pi.kind = ii.kind AND pi.value = ii.value
      GROUP BY ii.line HAVING count(DISTINCT pi.platform_id) = 1
    ) m, platforms p
    WHERE r.is_new AND r.line = m.line AND p.id = m.platform_id
      AND (r.registration_no IS NULL OR p.registration_no IS NULL)`.execute(trx);
}

async function findConflicts(trx: Trx): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const sharedPlatform = await sql<{ line: number; other_line: number }>`
    SELECT line, other_line FROM (
      SELECT line, min(line) OVER (PARTITION BY platform_id) AS other_line FROM import_rows WHERE NOT is_new
    ) matched
    WHERE line <> other_line ORDER BY line LIMIT ${MAX_REPORTED_ISSUES}`.execute(trx);
  for (const row of sharedPlatform.rows) {
    issues.push({
      line: row.line,
      field: 'registration_no',
      message: {
        vi: `mô tả cùng một nền tảng đã đăng ký với dòng ${row.other_line}`,
        en: `describes the same registered platform as line ${row.other_line}`,
      },
    });
  }
  // An identity the file gives to one platform while the register gives it to another platform the
  // file does not describe: moving it silently would take a site away from its owner.
  const takenIdentities = await sql<{
    line: number;
    kind: string;
    value: string;
    owner: string;
    owner_no: string | null;
  }>`
    SELECT ii.line, ii.kind, ii.value, p.name AS owner, p.registration_no AS owner_no
    FROM import_identities ii
    JOIN platform_identities pi ON pi.kind = ii.kind AND pi.value = ii.value
    JOIN platforms p ON p.id = pi.platform_id
    WHERE pi.platform_id IS DISTINCT FROM ii.platform_id
      AND NOT EXISTS (SELECT 1 FROM import_rows o WHERE o.platform_id = pi.platform_id)
    ORDER BY ii.line LIMIT ${MAX_REPORTED_ISSUES}`.execute(trx);
  for (const row of takenIdentities.rows) {
    issues.push({
      line: row.line,
      field: identityColumn(row.kind),
      message: {
        vi: `${row.value} đã thuộc về "${row.owner}"${row.owner_no ? ` (${row.owner_no})` : ''}`,
        en: `${row.value} already belongs to "${row.owner}"${row.owner_no ? ` (${row.owner_no})` : ''}`,
      },
    });
  }
  const takenLegacyIds = await sql<{ line: number; legacy_id: string; owner: string }>`
    SELECT r.line, r.legacy_id, p.name AS owner FROM import_rows r JOIN platforms p ON p.legacy_id = r.legacy_id
    WHERE p.id IS DISTINCT FROM r.platform_id
      AND NOT EXISTS (SELECT 1 FROM import_rows o WHERE o.platform_id = p.id)
    ORDER BY r.line LIMIT ${MAX_REPORTED_ISSUES}`.execute(trx);
  for (const row of takenLegacyIds.rows) {
    issues.push({
      line: row.line,
      field: 'legacy_id',
      message: {
        vi: `${row.legacy_id} đã thuộc về "${row.owner}"`,
        en: `${row.legacy_id} already belongs to "${row.owner}"`,
      },
    });
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_REPORTED_ISSUES);
}

function identityColumn(kind: string): string {
  return kind === 'domain' ? 'domains' : kind === 'android_app' ? 'android_apps' : 'ios_apps';
}

/**
 * An organisation is the same when its tax code is; without a tax code, when its folded name is. A new one takes
 * the id staged with the first row that names it, and new ones are inserted in the order of their (random) ids, so that the primary key grows at its end instead of at a million
 * random places.
 */
async function upsertOrganisations(trx: Trx): Promise<void> {
  await sql`
    UPDATE organisations o SET name = f.name, name_key = f.name_key, updated_at = now()
    FROM (
      SELECT DISTINCT ON (tax_code) coalesce(org_name, tax_code) AS name, coalesce(org_key, tax_code) AS name_key, tax_code
      FROM import_rows WHERE tax_code IS NOT NULL ORDER BY tax_code, line
    ) f
    WHERE o.tax_code = f.tax_code AND o.name IS DISTINCT FROM f.name`.execute(trx);
  await sql`
    INSERT INTO organisations (id, name, name_key, tax_code)
    SELECT id, name, name_key, tax_code FROM (
      SELECT DISTINCT ON (tax_code) new_organisation_id AS id, coalesce(org_name, tax_code) AS name,
             coalesce(org_key, tax_code) AS name_key, tax_code
      FROM import_rows r
      WHERE tax_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.tax_code = r.tax_code)
      ORDER BY tax_code, line
    ) f
    ORDER BY 1`.execute(trx);
  await sql`
    INSERT INTO organisations (id, name, name_key)
    SELECT id, org_name, org_key FROM (
      SELECT DISTINCT ON (org_key) new_organisation_id AS id, org_name, org_key FROM import_rows r
      WHERE r.tax_code IS NULL AND r.org_key IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.tax_code IS NULL AND o.name_key = r.org_key)
      ORDER BY org_key, line
    ) f
    ORDER BY 1`.execute(trx);
}

/**
 * The staged rows (those `where` selects, on `r`) with the id of their organisation, joined once per statement
 * rather than written into every staged row (an UPDATE rewrites each of a million rows). Several organisations
 * without a tax code may share a name key: the oldest is the one.
 */
function stagedRowsWithOrganisation(where: RawBuilder<unknown>) {
  return sql`
    SELECT r.*, coalesce(by_tax_code.id, by_name.id) AS organisation_id
    FROM import_rows r
    LEFT JOIN organisations by_tax_code ON by_tax_code.tax_code = r.tax_code
    LEFT JOIN (
      SELECT DISTINCT ON (o.name_key) o.name_key, o.id FROM organisations o
      WHERE o.tax_code IS NULL AND o.name_key IN (SELECT org_key FROM import_rows WHERE tax_code IS NULL)
      ORDER BY o.name_key, o.created_at, o.id
    ) by_name ON r.tax_code IS NULL AND by_name.name_key = r.org_key
    WHERE ${where}`;
}

async function insertNewPlatforms(trx: Trx, context: ActorContext): Promise<{ count: number; ids: string[] }> {
  // In id order, for the same reason as organisations. Identities in the order of their platforms: the two tables
  // then lie in the same order on disk, and the check index, which reads both in that order at start, finds each
  // identity's platform next to the previous one's instead of at a random place in a hash table (at a million
  // platforms, a third of its load time). Sorting them by key instead made the import no faster.
  const inserted = await sql`
    INSERT INTO platforms (id, registration_no, name, name_key, kind, status, cross_border, organisation_id,
                           valid_until, legacy_id)
    SELECT platform_id, registration_no, name, name_key, kind, status, cross_border, organisation_id, valid_until, legacy_id
    FROM (${stagedRowsWithOrganisation(sql`r.is_new`)}) r
    ORDER BY platform_id`.execute(trx);
  const count = Number(inserted.numAffectedRows ?? 0);
  if (count === 0) return { count, ids: [] };
  // `recordStatusChanges` set-based, as for the updated platforms above.
  await sql`
    INSERT INTO platform_status_history (platform_id, from_status, to_status, reason, changed_by)
    SELECT platform_id, NULL, status, 'registry import', ${context.actor} FROM import_rows WHERE is_new`.execute(trx);
  await sql`
    INSERT INTO platform_identities (kind, value, platform_id, position)
    SELECT kind, value, platform_id, position FROM import_identities WHERE is_new
    ORDER BY platform_id, kind, position`.execute(trx);
  if (count > 10_000) return { count, ids: [] };
  const ids = await sql<{ platform_id: string }>`SELECT platform_id FROM import_rows WHERE is_new`.execute(trx);
  return { count, ids: ids.rows.map((row) => row.platform_id) };
}

/** Identities of platforms already registered: drop the ones the file no longer lists, add the new ones. */
async function replaceIdentitiesOfExistingPlatforms(trx: Trx): Promise<string[]> {
  const removed = await sql<{ platform_id: string }>`
    DELETE FROM platform_identities pi
    USING import_rows r
    WHERE pi.platform_id = r.platform_id AND NOT r.is_new
      AND pi.value <> ALL (CASE pi.kind WHEN 'domain' THEN r.domains WHEN 'android_app' THEN r.android_apps
                                        ELSE r.ios_apps END)
    RETURNING pi.platform_id`.execute(trx);
  const moved = await sql<{ platform_id: string }>`
    DELETE FROM platform_identities pi
    USING import_identities ii
    WHERE pi.kind = ii.kind AND pi.value = ii.value AND pi.platform_id <> ii.platform_id
    RETURNING pi.platform_id`.execute(trx);
  const added = await sql<{ platform_id: string }>`
    INSERT INTO platform_identities (kind, value, platform_id, position)
    SELECT kind, value, platform_id, position FROM import_identities WHERE NOT is_new
    ON CONFLICT (kind, value) DO UPDATE SET position = EXCLUDED.position
    WHERE platform_identities.position <> EXCLUDED.position
    RETURNING platform_id`.execute(trx);
  return [...removed.rows, ...moved.rows, ...added.rows].map((row) => row.platform_id);
}

// ---------------------------------------------------------------------------------------------------
// Reading the register

export interface PlatformRecordRow {
  id: string;
  registration_no: string | null;
  name: string;
  kind: string;
  status: string;
  cross_border: boolean;
  valid_from: string | null;
  valid_until: string | null;
  legacy_id: string | null;
  org_name: string | null;
  tax_code: string | null;
  org_country: string | null;
  created_at: Date;
  updated_at: Date;
  domains: string[];
  android_apps: string[];
  ios_apps: string[];
}

function selectPlatformRecords(db: Kysely<DatabaseTables>) {
  return db
    .selectFrom('platforms as p')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.registration_no',
      'p.name',
      'p.kind',
      'p.status',
      'p.cross_border',
      'p.valid_from',
      'p.valid_until',
      'p.legacy_id',
      'p.created_at',
      'p.updated_at',
      'o.name as org_name',
      'o.tax_code',
      'o.country as org_country',
      sql<string[]>`coalesce((SELECT array_agg(value ORDER BY position) FROM platform_identities
                     WHERE platform_id = p.id AND kind = 'domain'), '{}')`.as('domains'),
      sql<string[]>`coalesce((SELECT array_agg(value ORDER BY position) FROM platform_identities
                     WHERE platform_id = p.id AND kind = 'android_app'), '{}')`.as('android_apps'),
      sql<string[]>`coalesce((SELECT array_agg(value ORDER BY position) FROM platform_identities
                     WHERE platform_id = p.id AND kind = 'ios_app'), '{}')`.as('ios_apps'),
    ]);
}

/** The platform's record; with `lock`, its row stays locked until the transaction ends. */
export async function findPlatformRecordById(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PlatformRecordRow | undefined> {
  const query = selectPlatformRecords(db).where('p.id', '=', id);
  return (options.lock ? query.forUpdate('p') : query).executeTakeFirst();
}

export async function findPlatformRecordsByIds(db: Db, ids: readonly string[]): Promise<PlatformRecordRow[]> {
  if (ids.length === 0) return [];
  return selectPlatformRecords(db).where('p.id', 'in', ids).execute();
}

export async function findPlatformRecordByRegistrationNo(
  db: Db,
  registrationNo: string,
): Promise<PlatformRecordRow | undefined> {
  return selectPlatformRecords(db).where('p.registration_no', '=', registrationNo).executeTakeFirst();
}

/** The platforms of some kinds in some statuses, by name (the registered platforms that owe a periodic report). */
export async function findPlatformRecordsWithStatus(
  db: Db,
  statuses: readonly string[],
  kinds: readonly string[],
): Promise<PlatformRecordRow[]> {
  if (statuses.length === 0 || kinds.length === 0) return [];
  return selectPlatformRecords(db)
    .where('p.status', 'in', statuses)
    .where('p.kind', 'in', kinds)
    .orderBy('p.name_key')
    .orderBy('p.id')
    .execute();
}

/** A page of the register in a stable order (by id), for export and for building the check index. */
export async function listPlatformRecordsAfter(
  db: Db,
  afterId: string | undefined,
  limit: number,
): Promise<PlatformRecordRow[]> {
  let query = selectPlatformRecords(db).orderBy('p.id').limit(limit);
  if (afterId) query = query.where('p.id', '>', afterId);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------------
// Public search
//
// Results come in one order, which keyset paging follows. Rank 0: the registration number or a domain of the
// platform is the query; rank 1: the name starts with the query; both by name key bytewise (COLLATE "C", the same on
// every server), then id. Rank 2: the name holds the query elsewhere (letters and digits only: "chophien" finds
// "Chợ Phiên"), by id. Each rank is one statement below, answered from an index and stopped by its LIMIT; none reads
// the register through (plans on a million platforms, both databases: bench/search.ts → bench/results/search.json):
// - identifiers: the unique index on registration_no, and the primary key of platform_identities;
// - name prefix: a range of platforms_name_order_idx, read in order until the LIMIT (also for one or two letters, and
//   for an empty query: the register by name);
// - name holds the query: first a window of the next rows by id (the primary key, stopped at the LIMIT), which holds
//   a page at once when the query is common (a word in a third of the names: 21 matches within ≈ 60 rows); when it
//   does not, the query is rare, and the trigram index on name_compact answers instead (a bitmap of the matches,
//   sorted for the page). Neither alone is bounded: the window reads the whole index for a rare query, and the
//   trigram index reads and sorts every match of a common one (≈ 2–10 µs a match on the embedded database: 0.4 s and
//   more for a word in a third of the names).
//   Why by id and not by name: ids are random, so a common query's matches are spread evenly along them, and "the
//   window holds no page" means "rare" everywhere. Names cluster: every "Cửa hàng …" sits together, so in name order a
//   window far from them finds none of the 10% of names that hold "ua hang", and the trigram index then sorted 100k
//   matches (0.4–1 s measured).

/** Where a result stands in the order of results; a cursor names the last result of a page. */
export interface SearchPosition {
  rank: SearchRank;
  nameKey: string;
  id: string;
}

/** 0: registration number or domain; 1: the name starts with the query; 2: the name holds it elsewhere. */
export type SearchRank = 0 | 1 | 2;

export interface SearchMatchRow {
  id: string;
  name_key: string;
}

/** One statement of a search, named so that a tracer (EXPLAIN in the benchmark, the plan tests) can tell them apart. */
export interface SearchStatement<Row = SearchMatchRow> {
  step: 'identifiers' | 'name_prefix' | 'name_window' | 'name_trigrams';
  query: RawBuilder<Row>;
}

const SEARCH_ORDER = sql`name_key COLLATE "C", id`;

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function afterPosition(after: Omit<SearchPosition, 'rank'> | undefined) {
  return after ? sql`(name_key COLLATE "C", id) > (${after.nameKey}, ${after.id}::uuid)` : sql`TRUE`;
}

function afterId(after: SearchPosition | undefined) {
  return after ? sql`id > ${after.id}::uuid` : sql`TRUE`;
}

function notAmong(ids: readonly string[]) {
  return ids.length > 0 ? sql`AND id <> ALL(${ids}::uuid[])` : sql``;
}

/**
 * Rank 0, every match (a registration number and a host name at most one platform each), in the order of results;
 * `is_after`: whether it comes after `after` (when the cursor is in rank 0).
 */
export function identifierMatches(input: {
  registrationNo: string;
  host: string | undefined;
  after: SearchPosition | undefined;
}): SearchStatement<SearchMatchRow & { is_after: boolean }> {
  const byHost = input.host
    ? sql`UNION
          SELECT p.id, p.name_key FROM platform_identities i JOIN platforms p ON p.id = i.platform_id
          WHERE i.kind = 'domain' AND i.value = ${input.host}`
    : sql``;
  return {
    step: 'identifiers',
    query: sql`
      SELECT id, name_key, ${input.after ? afterPosition(input.after) : sql`TRUE`} AS is_after
      FROM (SELECT id, name_key FROM platforms WHERE registration_no = ${input.registrationNo} ${byHost}) m
      ORDER BY ${SEARCH_ORDER}`,
  };
}

/** Rank 1: names that start with `folded` (all names when it is empty), after `after`, without `excluded`. */
export function namePrefixMatches(input: {
  folded: string;
  after: SearchPosition | undefined;
  excluded: readonly string[];
  limit: number;
}): SearchStatement {
  const prefix = input.folded ? sql`name_key COLLATE "C" LIKE ${`${likeEscaped(input.folded)}%`}` : sql`TRUE`;
  return {
    step: 'name_prefix',
    query: sql`
      SELECT id, name_key FROM platforms
      WHERE ${prefix} AND ${afterPosition(input.after)} ${notAmong(input.excluded)}
      ORDER BY ${SEARCH_ORDER} LIMIT ${input.limit}`,
  };
}

interface NameContainsInput {
  /** The query folded: names that start with it are rank 1, not 2. */
  folded: string;
  /** The query's letters and digits (brandKey), at least three (a trigram). */
  compact: string;
  after: SearchPosition | undefined;
  excluded: readonly string[];
  limit: number;
}

/**
 * Rank 2 among the next `windowRows` platforms by id only: fewer than `limit` rows back means "ask the trigram index"
 * (nameContainsByTrigrams), not "no more matches".
 */
export function nameContainsInWindow(input: NameContainsInput & { windowRows: number }): SearchStatement {
  return {
    step: 'name_window',
    query: sql`
      SELECT id, name_key FROM (
        SELECT id, name_key, name_compact FROM platforms WHERE ${afterId(input.after)}
        ORDER BY id LIMIT ${input.windowRows}
      ) w
      WHERE name_compact LIKE ${`%${input.compact}%`} AND name_key COLLATE "C" NOT LIKE ${`${likeEscaped(input.folded)}%`}
        ${notAmong(input.excluded)}
      ORDER BY id LIMIT ${input.limit}`,
  };
}

/**
 * Rank 2 through the trigram index: every match is read and sorted, so only for queries that nameContainsInWindow
 * found rare. Run after preferIndexScans: the CTE keeps the trigram condition alone, so that the trigram index is the
 * only index that can answer it. The index looks up a piece of a long query only (trigramPiece); the whole query is
 * checked with strpos, which no index answers, so that the planner does not give its trigrams to the index as well.
 */
export function nameContainsByTrigrams(input: NameContainsInput): SearchStatement {
  const piece = trigramPiece(input.folded, input.compact);
  const whole = piece === input.compact ? sql`` : sql`AND strpos(name_compact, ${input.compact}) > 0`;
  return {
    step: 'name_trigrams',
    query: sql`
      WITH matches AS MATERIALIZED (
        SELECT id, name_key FROM platforms WHERE name_compact LIKE ${`%${piece}%`} ${whole}
      )
      SELECT id, name_key FROM matches
      WHERE name_key COLLATE "C" NOT LIKE ${`${likeEscaped(input.folded)}%`} AND ${afterId(input.after)}
        ${notAmong(input.excluded)}
      ORDER BY id LIMIT ${input.limit}`,
  };
}

/** Letters and digits of a query that the trigram index looks up: 7 trigrams. */
const TRIGRAM_PIECE_LENGTH = 9;

/**
 * The piece of a long query (letters and digits, `compact`) that the trigram index looks up: TRIGRAM_PIECE_LENGTH
 * characters holding as many trigrams across two words of the query as can be, the first such piece ("khogomsuh" of
 * "kho gom su hanh phuc": "ogo", "hog", "oms", "msu", "suh"). The index
 * intersects the posting lists of every trigram it is given, and seeking through those of common words ("han",
 * "anh": in a third of the names) for each candidate is most of its work, while a piece across words is rare already.
 * Eight names and pieces of names of 11 to 27 letters, a million platforms, three warm rounds: PGlite 1,242 → 800 ms in
 * all, PostgreSQL 748 → 397 ms (on a busy machine; some queries were slower, most several times faster).
 */
function trigramPiece(folded: string, compact: string): string {
  if (compact.length <= TRIGRAM_PIECE_LENGTH) return compact;
  // The words of `folded` joined are `compact`: a boundary is where one word ends in it.
  const boundaries: number[] = [];
  let end = 0;
  for (const word of folded.split(/[^a-z0-9]+/)) {
    if (word === '') continue;
    if (end > 0) boundaries.push(end);
    end += word.length;
  }
  let best = 0;
  let bestCount = -1;
  for (let start = 0; start + TRIGRAM_PIECE_LENGTH <= compact.length; start++) {
    // Boundaries whose two trigrams across words the piece holds whole.
    const count = boundaries.filter((at) => at >= start + 2 && at <= start + TRIGRAM_PIECE_LENGTH - 2).length;
    if (count > bestCount) {
      best = start;
      bestCount = count;
    }
  }
  return compact.slice(best, best + TRIGRAM_PIECE_LENGTH);
}

/**
 * For the rest of the transaction, no sequential scan where an index can answer. The planner judges how many names
 * hold a query from a sample of about a hundred names: a rare query that one of them happens to hold passes for
 * 1 name in 100 or more, and for that many it may prefer reading the whole table (≈ 1.3 s on the embedded database,
 * a million platforms) to the trigram index.
 */
export async function preferIndexScans(trx: Trx): Promise<void> {
  await sql`SET LOCAL enable_seqscan = off`.execute(trx);
}

export interface StatusHistoryRow {
  from_status: string | null;
  to_status: string;
  reason: string | null;
  changed_by: string;
  changed_at: Date;
}

/** Appends status changes to the history in one statement, in their order (see `recordStatusChanges`). */
export async function insertStatusHistory(
  trx: Db,
  changes: ReadonlyArray<{ platformId: string; from: string | null; to: string; reason: string | null }>,
  changedBy: string,
): Promise<void> {
  if (changes.length === 0) return;
  await sql`
    INSERT INTO platform_status_history (platform_id, from_status, to_status, reason, changed_by)
    SELECT platform_id, from_status, to_status, reason, ${changedBy}
    FROM unnest(${changes.map((change) => change.platformId)}::uuid[], ${changes.map((change) => change.from)}::text[],
                ${changes.map((change) => change.to)}::text[], ${changes.map((change) => change.reason)}::text[])
         WITH ORDINALITY AS c(platform_id, from_status, to_status, reason, n)
    ORDER BY n`.execute(trx);
}

export async function listStatusHistory(db: Db, platformId: string): Promise<StatusHistoryRow[]> {
  return db
    .selectFrom('platform_status_history')
    .select(['from_status', 'to_status', 'reason', 'changed_by', 'changed_at'])
    .where('platform_id', '=', platformId)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
}

export interface PlatformSummaryRow {
  id: string;
  registration_no: string | null;
  name: string;
  kind: string;
  status: string;
  cross_border: boolean;
  valid_until: string | null;
}

export interface IdentityRow {
  kind: 'domain' | 'android_app' | 'ios_app';
  value: string;
  platform_id: string;
}

/**
 * The whole register is read at start in physical order, a range of heap blocks at a time (a TID range scan), a
 * text record per row, through the database's `readTextColumn`: a page in primary-key order reads the heap in random
 * order (measured at a million platforms on PGlite: 30 s, against 1.5 s for a sequential scan), and a result row
 * per platform through the driver costs more than the database takes to produce it (1M rows: 14 s as rows, 4 s as
 * aggregated text, 1.4 s as raw protocol bytes). Ranges, not one scan: the embedded database runs a query in one
 * synchronous call, and a server reloading its index must go on answering between them. Rows moved by a
 * concurrent update may be missed or read twice, and the two tables are read at different moments: the check index
 * listens to change notifications before it loads, so it applies them afterwards.
 */
export const TABLE_BLOCKS_PER_READ = 1024;

export async function countTableBlocks(db: Db, table: 'platforms' | 'platform_identities'): Promise<number> {
  const result = await sql<{ blocks: number }>`
    SELECT (pg_relation_size(${table}::regclass) / current_setting('block_size')::int)::int AS blocks`.execute(db);
  return result.rows[0]?.blocks ?? 0;
}

/** Rows in heap blocks [fromBlock, toBlock), written into the query (readTextColumn takes no parameters). */
function blockRange(fromBlock: number, toBlock: number) {
  if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(toBlock)) throw new RangeError('block numbers');
  return sql.raw(`ctid >= '(${fromBlock},0)'::tid AND ctid < '(${toBlock},0)'::tid`);
}

/**
 * Platform records of heap blocks [fromBlock, toBlock): `id TAB kind TAB status TAB cross_border TAB valid_until TAB
 * r TAB n TAB` and then the registration number (r bytes; r is -1 when it is null) and the name (n bytes) as they
 * are. Lengths rather than escaping (to_json): escaping was a third of the database's work here (a million
 * platforms in 4.3 s of CPU, 3.0 s without), and free text is never searched for a separator. cross_border is
 * `t`/`f`; valid_until is `YYYY-MM-DD` or empty.
 */
export function platformRecords(fromBlock: number, toBlock: number) {
  return sql`
    SELECT concat_ws(E'\t', id, kind, status, cross_border, coalesce(valid_until::text, ''),
                     coalesce(octet_length(registration_no), -1), octet_length(name), '')
           || coalesce(registration_no, '') || name
    FROM platforms WHERE ${blockRange(fromBlock, toBlock)}`;
}

/** Identity records, as platforms': `platform_id TAB kind TAB position TAB v TAB` and the value (v bytes). */
export function identityRecords(fromBlock: number, toBlock: number) {
  return sql`
    SELECT concat_ws(E'\t', platform_id, kind, position, octet_length(value), '') || value
    FROM platform_identities WHERE ${blockRange(fromBlock, toBlock)}`;
}

export async function listIdentitiesOfPlatforms(db: Db, platformIds: readonly string[]): Promise<IdentityRow[]> {
  if (platformIds.length === 0) return [];
  return db
    .selectFrom('platform_identities')
    .select(['kind', 'value', 'platform_id'])
    .where('platform_id', 'in', platformIds)
    .orderBy('position')
    .execute();
}

export async function hasAnyPlatform(db: Db): Promise<boolean> {
  const row = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM platforms) AS any`.execute(db);
  return row.rows[0]?.any === true;
}

export async function listPlatformSummaryRows(db: Db, ids: readonly string[]): Promise<PlatformSummaryRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('platforms')
    .select(['id', 'registration_no', 'name', 'kind', 'status', 'cross_border', 'valid_until'])
    .where('id', 'in', ids)
    .execute();
}
