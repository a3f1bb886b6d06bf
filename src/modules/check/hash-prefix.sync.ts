/**
 * Keeps `check_hash_entries` equal to the register: one row per canonical expression (hash-prefix.ts) of every
 * platform, with the verdict class the online check gives it today. Every change of the list is one new version (as
 * the blocklist's serial): rows are closed (`removed_version`) rather than deleted, so a client holding version V gets
 * the diff since V. Follows the registry's change notifications (REGISTRY_CHANGED_CHANNEL): the platforms named are
 * compared, a bulk change ('*') and the start compare the whole register, and so does each new day in Vietnam (a
 * registration whose validity ended yesterday is `expired` today).
 */
import { recordAuditEvent } from '../../core/audit.ts';
import { type ChangeFollower, startChangeFollower } from '../../core/change-follower.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { sha256Hex } from '../../core/hash.ts';
import {
  decodePlatformSummary,
  loadPlatformSnapshotsByIds,
  type PlatformSnapshot,
  type PlatformSummary,
  REGISTRY_CHANGED_CHANNEL,
  readRegisterRecords,
  visitIdentityRecords,
  visitPlatformRecords,
} from '../registry/index.ts';
import { todayInVietnamAt, verdictForPlatform } from './check.service.ts';
import type { CheckHashEntryTable } from './hash-prefix.table.ts';
import {
  type FullHashEntry,
  HASH_PREFIX_BYTES,
  type IdentityKind,
  identityExpression,
  OFFLINE_LIST_FORMAT,
  type OfflineList,
  type PrefixEntry,
  prefixOf,
  type VerdictClass,
} from './hash-prefix.ts';

const SYNC_CONTEXT: ActorContext = { actor: 'system:hash-prefix-sync' };
const INSERT_BATCH = 1_000;

/** A row as the sync compares it: everything but its versions and what derives from the hash. */
type EntryRow = Omit<CheckHashEntryTable, 'id' | 'prefix' | 'added_version' | 'removed_version'>;

const ENTRY_COLUMNS = [
  'full_hash',
  'verdict',
  'platform_id',
  'platform_name',
  'registration_no',
  'kind',
  'status',
] as const;

function targetsOf(platform: PlatformSummary, identities: Iterable<[IdentityKind, string]>, today: string): EntryRow[] {
  const verdict = verdictForPlatform(platform, today);
  const rows: EntryRow[] = [];
  for (const [kind, value] of identities) {
    rows.push({
      full_hash: sha256Hex(identityExpression(kind, value)),
      verdict,
      platform_id: platform.id,
      platform_name: platform.name,
      registration_no: platform.registrationNo,
      kind: platform.kind,
      status: platform.status,
    });
  }
  return rows;
}

function identitiesOfSnapshot(snapshot: PlatformSnapshot): [IdentityKind, string][] {
  return [
    ...snapshot.domains.map((value): [IdentityKind, string] => ['domain', value]),
    ...snapshot.androidApps.map((value): [IdentityKind, string] => ['android_app', value]),
    ...snapshot.iosApps.map((value): [IdentityKind, string] => ['ios_app', value]),
  ];
}

function sameEntry(a: EntryRow, b: EntryRow): boolean {
  return ENTRY_COLUMNS.every((column) => a[column] === b[column]);
}

async function lockVersion(trx: Db): Promise<number> {
  const row = await trx.selectFrom('check_hash_state').select('version').forUpdate().executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Writes the difference between `current` (the valid rows the targets may replace) and `targets` under a new version;
 * returns it, or the version unchanged when nothing changed.
 */
async function applyTargets(
  trx: Db,
  version: number,
  current: readonly EntryRow[],
  targets: readonly EntryRow[],
  scope: string,
): Promise<number> {
  const currentByHash = new Map(current.map((row) => [row.full_hash, row]));
  const targetByHash = new Map<string, EntryRow>();
  // One platform per expression: should two claim one (the register forbids it), the first read keeps it.
  for (const target of targets) if (!targetByHash.has(target.full_hash)) targetByHash.set(target.full_hash, target);
  const close: string[] = [];
  const insert: EntryRow[] = [];
  for (const [hash, target] of targetByHash) {
    const existing = currentByHash.get(hash);
    if (existing && sameEntry(existing, target)) continue;
    if (existing) close.push(hash);
    insert.push(target);
  }
  for (const hash of currentByHash.keys()) if (!targetByHash.has(hash)) close.push(hash);
  if (close.length === 0 && insert.length === 0) return version;
  const next = version + 1;
  for (let at = 0; at < close.length; at += INSERT_BATCH) {
    await trx
      .updateTable('check_hash_entries')
      .set({ removed_version: next })
      .where('removed_version', 'is', null)
      .where('full_hash', 'in', close.slice(at, at + INSERT_BATCH))
      .execute();
  }
  for (let at = 0; at < insert.length; at += INSERT_BATCH) {
    await trx
      .insertInto('check_hash_entries')
      .values(
        insert
          .slice(at, at + INSERT_BATCH)
          .map((row) => ({ ...row, prefix: prefixOf(row.full_hash), added_version: next })),
      )
      .execute();
  }
  await trx.updateTable('check_hash_state').set({ version: next, changed_at: new Date() }).execute();
  await recordAuditEvent(trx, SYNC_CONTEXT, {
    action: 'check.hash_prefixes.change',
    entityType: 'check_hash_prefixes',
    entityId: String(next),
    changes: { scope, removed: close.length, added: insert.length },
  });
  return next;
}

async function currentRows(db: Db, filter: { platformIds?: readonly string[]; hashes?: readonly string[] } = {}) {
  let query = db.selectFrom('check_hash_entries').select(ENTRY_COLUMNS).where('removed_version', 'is', null);
  if (filter.platformIds) {
    if (filter.platformIds.length === 0) return [];
    query = query.where('platform_id', 'in', filter.platformIds);
  }
  if (filter.hashes) {
    if (filter.hashes.length === 0) return [];
    query = query.where('full_hash', 'in', filter.hashes);
  }
  return query.execute();
}

/** Brings the rows of these platforms in line with the register; returns the version after it. */
export async function syncHashPlatforms(database: Database, platformIds: readonly string[], now = new Date()) {
  const today = todayInVietnamAt(now);
  return database.db.transaction().execute(async (trx) => {
    const version = await lockVersion(trx);
    const snapshots = await loadPlatformSnapshotsByIds(trx, platformIds);
    const targets = snapshots.flatMap((snapshot) => targetsOf(snapshot, identitiesOfSnapshot(snapshot), today));
    const own = await currentRows(trx, { platformIds });
    // An identity that moved here from another platform: its row is replaced too.
    const moved = await currentRows(trx, { hashes: targets.map((target) => target.full_hash) });
    const current = [...new Map([...own, ...moved].map((row) => [row.full_hash, row])).values()];
    return applyTargets(trx, version, current, targets, `platforms:${platformIds.length}`);
  });
}

/** Compares the whole list with the whole register; returns the version after it. */
export async function syncAllHashes(database: Database, now = new Date()): Promise<number> {
  const today = todayInVietnamAt(now);
  const platforms = new Map<string, PlatformSummary>();
  const identities = new Map<string, [IdentityKind, string][]>();
  await readRegisterRecords(database, {
    platforms: (records) =>
      visitPlatformRecords(records, (line) => {
        const summary = decodePlatformSummary(line.bytes, line.lineStart, line.lineEnd);
        platforms.set(summary.id, summary);
      }),
    identities: (records) =>
      visitIdentityRecords(records, (identity) => {
        const id = identity.bytes.toString('latin1', identity.platformIdStart, identity.platformIdEnd);
        const value = identity.value.toString('utf8', identity.valueStart, identity.valueEnd);
        let list = identities.get(id);
        if (!list) {
          list = [];
          identities.set(id, list);
        }
        list.push([identity.kind, value]);
      }),
  });
  const targets: EntryRow[] = [];
  for (const [id, platform] of platforms) targets.push(...targetsOf(platform, identities.get(id) ?? [], today));
  return database.db.transaction().execute(async (trx) => {
    const version = await lockVersion(trx);
    return applyTargets(trx, version, await currentRows(trx), targets, 'all');
  });
}

export async function currentHashVersion(db: Db): Promise<{ version: number; changed_at: Date }> {
  return db.selectFrom('check_hash_state').select(['version', 'changed_at']).executeTakeFirstOrThrow();
}

/** The prefix list at the current version, in prefix order (a prefix shared by expressions is listed once per class). */
export async function listPrefixes(db: Db): Promise<PrefixEntry[]> {
  const rows = await db
    .selectFrom('check_hash_entries')
    .select(['prefix', 'verdict'])
    .distinct()
    .where('removed_version', 'is', null)
    .orderBy('prefix')
    .orderBy('verdict')
    .execute();
  return rows.map((row) => ({ prefix: row.prefix, verdict: row.verdict as VerdictClass }));
}

export interface PrefixDiff {
  since: number;
  version: number;
  additions: PrefixEntry[];
  removals: PrefixEntry[];
}

/**
 * What changed in the prefix list between `since` and now: prefix/verdict pairs valid now and not at `since`
 * (additions), and valid at `since` and not now (removals).
 */
export async function prefixDiffSince(db: Db, since: number, version: number): Promise<PrefixDiff> {
  const validAt = (at: number) =>
    db
      .selectFrom('check_hash_entries')
      .select(['prefix', 'verdict'])
      .where('added_version', '<=', at)
      .where((eb) => eb.or([eb('removed_version', 'is', null), eb('removed_version', '>', at)]));
  const changedRows = await db
    .selectFrom('check_hash_entries')
    .select('prefix')
    .where((eb) => eb.or([eb('added_version', '>', since), eb('removed_version', '>', since)]))
    .execute();
  const changed = [...new Set(changedRows.map((row) => row.prefix))];
  const key = (entry: { prefix: string; verdict: string }) => `${entry.prefix} ${entry.verdict}`;
  const before = new Map<string, PrefixEntry>();
  const after = new Map<string, PrefixEntry>();
  for (let at = 0; at < changed.length; at += INSERT_BATCH) {
    const prefixes = changed.slice(at, at + INSERT_BATCH);
    for (const row of await validAt(since).where('prefix', 'in', prefixes).execute()) {
      before.set(key(row), { prefix: row.prefix, verdict: row.verdict as VerdictClass });
    }
    for (const row of await validAt(version).where('prefix', 'in', prefixes).execute()) {
      after.set(key(row), { prefix: row.prefix, verdict: row.verdict as VerdictClass });
    }
  }
  const byPrefix = (a: PrefixEntry, b: PrefixEntry) =>
    a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.verdict < b.verdict ? -1 : 1;
  return {
    since,
    version,
    additions: [...after]
      .filter(([k]) => !before.has(k))
      .map(([, entry]) => entry)
      .sort(byPrefix),
    removals: [...before]
      .filter(([k]) => !after.has(k))
      .map(([, entry]) => entry)
      .sort(byPrefix),
  };
}

function fullHashEntryOf(row: EntryRow): FullHashEntry {
  return {
    hash: row.full_hash,
    verdict: row.verdict as VerdictClass,
    platform: {
      id: row.platform_id,
      name: row.platform_name,
      registration_no: row.registration_no,
      kind: row.kind,
      status: row.status,
    },
  };
}

/** The current full hashes under one prefix (lower-case hex). */
export async function fullHashesOf(db: Db, prefix: string): Promise<FullHashEntry[]> {
  const rows = await db
    .selectFrom('check_hash_entries')
    .select(ENTRY_COLUMNS)
    .where('removed_version', 'is', null)
    .where('prefix', '=', prefix)
    .orderBy('full_hash')
    .execute();
  return rows.map(fullHashEntryOf);
}

/** The whole list for `ecomgov check --offline`: prefixes and every full hash, at the version it brings up to date. */
export async function exportOfflineList(database: Database, now = new Date()): Promise<OfflineList> {
  const version = await syncAllHashes(database, now);
  const rows = await database.db
    .selectFrom('check_hash_entries')
    .select(ENTRY_COLUMNS)
    .where('removed_version', 'is', null)
    .orderBy('full_hash')
    .execute();
  return {
    format: OFFLINE_LIST_FORMAT,
    version,
    generated_at: now.toISOString(),
    prefix_bytes: HASH_PREFIX_BYTES,
    prefixes: await listPrefixes(database.db),
    full_hashes: rows.map(fullHashEntryOf),
  };
}

export type HashPrefixFollower = Pick<ChangeFollower, 'settled' | 'stop'>;

/**
 * Follows the register as the blocklist does (`startChangeFollower`); besides, a new day in Vietnam compares the whole
 * list again (registrations whose validity ended are `expired` from that day).
 */
export async function startHashPrefixFollower(
  database: Database,
  onError: (error: unknown) => void = () => {},
  options: { dayCheckMs?: number; retryMs?: number } = {},
): Promise<HashPrefixFollower> {
  const follower = await startChangeFollower(
    database,
    REGISTRY_CHANGED_CHANNEL,
    { all: () => syncAllHashes(database), some: (ids) => syncHashPlatforms(database, ids) },
    onError,
    options.retryMs,
    // Not awaited: at 100,000 platforms a full comparison takes ≈ 7 s (bench/hashprefix.ts); the endpoints serve the
    // list as stored (persistent) meanwhile, and only a first start ever serves the empty version 0.
    false,
  );
  let day = todayInVietnamAt(new Date());
  const dayTimer = setInterval(() => {
    const today = todayInVietnamAt(new Date());
    if (today === day) return;
    day = today;
    follower.compareAll();
  }, options.dayCheckMs ?? 60_000);
  dayTimer.unref();
  return {
    settled: follower.settled,
    stop: async () => {
      clearInterval(dayTimer);
      await follower.stop();
    },
  };
}
