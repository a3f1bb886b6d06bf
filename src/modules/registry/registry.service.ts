/**
 * The register's rules: reading platforms and their history, the import and export of the Registry CSV, the one
 * writer of status history (`recordStatusChanges`), the nightly expiry, and the snapshots the check index follows
 * changes with. The register's byte records for the check index are in `registry.records.ts`.
 */
import fs from 'node:fs';
import type { ActorContext } from '../../core/context.ts';
import { type Database, type Db, notifyChannel } from '../../core/db.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import { publicTaxCode } from '../../core/personal-id.ts';
import {
  formatRegistryCsv,
  type LawPlatformType,
  lawTypeForKind,
  type PlatformKind,
  type PlatformStatus,
  type RegistryRow,
  registryCsvError,
} from './registry.csv.ts';
import type { PlatformSummary } from './registry.records.ts';
import {
  applyRegistryRows,
  applyStagedRows,
  createStagingTables,
  findPlatformRecordById,
  findPlatformRecordByRegistrationNo,
  findPlatformRecordsWithStatus,
  hasAnyPlatform,
  type ImportCounts,
  insertStatusHistory,
  listIdentitiesOfPlatforms,
  listPlatformRecordsAfter,
  listPlatformSummaryRows,
  listStatusHistory,
  type PlatformRecordRow,
  type PlatformSummaryRow,
  stageBatch,
} from './registry.repository.ts';
import { readStagedBatches } from './registry.staging.ts';

/** Listeners of this channel learn which platforms changed (a JSON array of ids) or '*' (reload all). */
export const REGISTRY_CHANGED_CHANNEL = 'registry_changed';
const IDS_PER_NOTIFICATION = 100;
const MAX_NOTIFIED_IDS = 5_000;
const MAX_LISTED_ISSUES = 100;

export interface Platform {
  id: string;
  registration_no: string | null;
  name: string;
  kind: PlatformKind;
  law_type: LawPlatformType;
  status: PlatformStatus;
  cross_border: boolean;
  valid_from: string | null;
  valid_until: string | null;
  legacy_id: string | null;
  organisation: { name: string; tax_code: string | null; country: string } | null;
  domains: string[];
  android_apps: string[];
  ios_apps: string[];
  created_at: string;
  updated_at: string;
}

export function platformRecordToPlatform(row: PlatformRecordRow): Platform {
  const kind = row.kind as PlatformKind;
  return {
    id: row.id,
    registration_no: row.registration_no,
    name: row.name,
    kind,
    law_type: lawTypeForKind(kind),
    status: row.status as PlatformStatus,
    cross_border: row.cross_border,
    valid_from: row.valid_from,
    valid_until: row.valid_until,
    legacy_id: row.legacy_id,
    organisation: row.org_name
      ? { name: row.org_name, tax_code: row.tax_code, country: row.org_country ?? 'VN' }
      : null,
    domains: row.domains,
    android_apps: row.android_apps,
    ios_apps: row.ios_apps,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function platformRecordToRegistryRow(row: PlatformRecordRow, line: number): RegistryRow {
  return {
    line,
    registrationNo: row.registration_no,
    name: row.name,
    kind: row.kind as PlatformKind,
    status: row.status as PlatformStatus,
    crossBorder: row.cross_border,
    domains: row.domains,
    androidApps: row.android_apps,
    iosApps: row.ios_apps,
    orgName: row.org_name,
    taxCode: row.tax_code,
    validUntil: row.valid_until,
    legacyId: row.legacy_id,
  };
}

/**
 * Validates the whole file first (every problem listed, up to 100), then applies it in one
 * transaction: any invalid row or conflict leaves the register exactly as it was.
 */
/** How far an import is: rows read, bytes of the file read, and what it does now. */
export interface ImportProgress {
  rows: number;
  bytes: number;
  stage: 'reading' | 'checking' | 'writing' | 'indexing';
}

export async function importRegistryFile(
  database: Database,
  filePath: string,
  context: ActorContext,
  options: { onProgress?: (progress: ImportProgress) => void } = {},
): Promise<ImportCounts> {
  const report = options.onProgress ?? (() => {});
  let read = { rows: 0, bytes: 0 };
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
  } catch {
    throw new AppError(
      'invalid_input',
      { vi: `${filePath}: không đọc được tệp`, en: `${filePath}: cannot read the file` },
      { field: 'file' },
    );
  }
  // Rows are staged batch by batch as the file streams in (a large file is read on another thread meanwhile);
  // once a problem is found staging stops, reading goes on to list every problem, and the transaction rolls back.
  return database.db.transaction().execute(async (trx) => {
    await createStagingTables(trx);
    for await (const chunk of readStagedBatches(filePath, { maxIssues: MAX_LISTED_ISSUES })) {
      if (chunk.type === 'batch') {
        if (chunk.issueCount === 0) await stageBatch(trx, chunk.batch);
        read = { rows: chunk.rowsRead, bytes: chunk.bytesRead };
        report({ ...read, stage: 'reading' });
        continue;
      }
      const invalid = registryCsvError(chunk, filePath);
      if (invalid) throw invalid;
      const counts = await applyStagedRows(trx, chunk.rowCount, context, (stage) => report({ ...read, stage }));
      await announceChanges(trx, counts);
      return counts;
    }
    throw new AppError('internal', {
      vi: `${filePath}: bộ đọc dừng mà không có tổng kết`,
      en: `${filePath}: the reader ended without a summary`,
    });
  });
}

export async function importRegistryRows(
  database: Database,
  rows: readonly RegistryRow[],
  context: ActorContext,
): Promise<ImportCounts> {
  return database.db.transaction().execute(async (trx) => {
    const counts = await applyRegistryRows(trx, rows, context);
    await announceChanges(trx, counts);
    return counts;
  });
}

async function announceChanges(db: Db, counts: ImportCounts): Promise<void> {
  if (counts.created + counts.updated === 0) return;
  const ids = counts.changedPlatformIds;
  if (!ids || ids.length > MAX_NOTIFIED_IDS) {
    await notifyChannel(db, REGISTRY_CHANGED_CHANNEL, '*');
    return;
  }
  for (let start = 0; start < ids.length; start += IDS_PER_NOTIFICATION) {
    await notifyChannel(db, REGISTRY_CHANGED_CHANNEL, JSON.stringify(ids.slice(start, start + IDS_PER_NOTIFICATION)));
  }
}

/**
 * Writes the register in the import format, page by page, so that a million rows stream out. Individuals' personal
 * identification numbers are masked (the list leaves the Ministry) unless `personalNumbers: 'full'` (an officer's copy
 * to import again).
 */
export async function exportRegistry(
  db: Db,
  write: (chunk: string) => void | Promise<void>,
  options: { personalNumbers?: 'masked' | 'full' } = {},
): Promise<number> {
  const mask = options.personalNumbers !== 'full';
  const pageSize = 5_000;
  let afterId: string | undefined;
  let written = 0;
  for (;;) {
    const page = await listPlatformRecordsAfter(db, afterId, pageSize);
    if (page.length === 0) break;
    const rows = page.map((row, index) => {
      const registryRow = platformRecordToRegistryRow(row, written + index + 2);
      return mask ? { ...registryRow, taxCode: publicTaxCode(registryRow.taxCode) } : registryRow;
    });
    await write(formatRegistryCsv(rows, { header: written === 0 }));
    written += page.length;
    afterId = page.at(-1)?.id;
  }
  if (written === 0) await write(formatRegistryCsv([], { header: true }));
  return written;
}

/** The platform; with `lock`, its row stays locked until the transaction ends (check its status, then change it). */
export async function getPlatform(db: Db, id: string, options: { lock?: boolean } = {}): Promise<Platform> {
  const row = isUuid(id) ? await findPlatformRecordById(db, id, options) : undefined;
  if (!row) throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${id}` });
  return platformRecordToPlatform(row);
}

/** The platforms of `kinds` whose status is one of `statuses`, by name. */
export async function listPlatformsWithStatus(
  db: Db,
  statuses: readonly PlatformStatus[],
  kinds: readonly PlatformKind[],
): Promise<Platform[]> {
  return (await findPlatformRecordsWithStatus(db, statuses, kinds)).map(platformRecordToPlatform);
}

export async function findPlatformByRegistrationNo(db: Db, registrationNo: string): Promise<Platform | undefined> {
  const row = await findPlatformRecordByRegistrationNo(db, registrationNo);
  return row ? platformRecordToPlatform(row) : undefined;
}

export interface StatusChange {
  from_status: PlatformStatus | null;
  to_status: PlatformStatus;
  reason: string | null;
  changed_by: string;
  changed_at: string;
}

export async function getStatusHistory(db: Db, platformId: string): Promise<StatusChange[]> {
  const rows = await listStatusHistory(db, platformId);
  return rows.map((row) => ({
    from_status: row.from_status as PlatformStatus | null,
    to_status: row.to_status as PlatformStatus,
    reason: row.reason,
    changed_by: row.changed_by,
    changed_at: row.changed_at.toISOString(),
  }));
}

/** One change of a platform's status, for its history. */
export interface PlatformStatusChange {
  platformId: string;
  /** null when the platform enters the register. */
  from: PlatformStatus | null;
  to: PlatformStatus;
  reason: string;
}

/**
 * Records status changes of platforms in their history, in the transaction that changes them: every writer of a
 * status (the decisions on applications, the nightly expiry) goes through here. The import's set-based statements
 * write the same rows in SQL (see `writeStagedRows` in the repository).
 */
export async function recordStatusChanges(
  trx: Db,
  changes: readonly PlatformStatusChange[],
  context: ActorContext,
): Promise<void> {
  await insertStatusHistory(trx, changes, context.actor);
}

export async function isRegisterEmpty(db: Db): Promise<boolean> {
  return !(await hasAnyPlatform(db));
}

/** What the check index keeps of a platform: enough to answer without touching the database. */
export interface PlatformSnapshot extends PlatformSummary {
  domains: string[];
  androidApps: string[];
  iosApps: string[];
}

function summaryToSnapshot(row: PlatformSummaryRow): PlatformSnapshot {
  return {
    id: row.id,
    registrationNo: row.registration_no,
    name: row.name,
    kind: row.kind as PlatformKind,
    status: row.status as PlatformStatus,
    crossBorder: row.cross_border,
    validUntil: row.valid_until,
    domains: [],
    androidApps: [],
    iosApps: [],
  };
}

function attachIdentity(snapshot: PlatformSnapshot, kind: string, value: string): void {
  if (kind === 'domain') snapshot.domains.push(value);
  else if (kind === 'android_app') snapshot.androidApps.push(value);
  else snapshot.iosApps.push(value);
}

/** Current snapshots of the given platforms; ids no longer in the register are simply absent. */
export async function loadPlatformSnapshotsByIds(db: Db, ids: readonly string[]): Promise<PlatformSnapshot[]> {
  if (ids.length === 0) return [];
  const summaries = await listPlatformSummaryRows(db, ids);
  const snapshots = new Map(summaries.map((row) => [row.id, summaryToSnapshot(row)]));
  for (const identity of await listIdentitiesOfPlatforms(db, ids)) {
    const snapshot = snapshots.get(identity.platform_id);
    if (snapshot) attachIdentity(snapshot, identity.kind, identity.value);
  }
  return [...snapshots.values()];
}
