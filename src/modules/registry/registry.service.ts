import fs from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { type RawBuilder, sql } from 'kysely';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import { type Database, type Db, notifyChannel } from '../../core/db.ts';
import { AppError, notFound } from '../../core/errors.ts';
import {
  formatRegistryCsv,
  type LawPlatformType,
  lawTypeForKind,
  PLATFORM_KINDS,
  PLATFORM_STATUSES,
  type PlatformKind,
  type PlatformStatus,
  type RegistryRow,
  registryCsvError,
} from './registry.csv.ts';
import {
  applyRegistryRows,
  applyStagedRows,
  countTableBlocks,
  createStagingTables,
  expireLapsedRegistrations,
  findPlatformRecordById,
  findPlatformRecordByRegistrationNo,
  type ImportCounts,
  identityRecords,
  listIdentitiesOfPlatforms,
  listPlatformRecordsAfter,
  listStatusHistory,
  type PlatformRecordRow,
  type PlatformSummaryRow,
  platformRecords,
  stageBatch,
  TABLE_BLOCKS_PER_READ,
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
export async function importRegistryFile(
  database: Database,
  filePath: string,
  context: ActorContext,
): Promise<ImportCounts> {
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
  } catch {
    throw new AppError('invalid_input', `${filePath}: cannot read the file`, { field: 'file' });
  }
  // Rows are staged batch by batch as the file streams in (a large file is read on another thread meanwhile);
  // once a problem is found staging stops, reading goes on to list every problem, and the transaction rolls back.
  return database.db.transaction().execute(async (trx) => {
    await createStagingTables(trx);
    for await (const chunk of readStagedBatches(filePath, { maxIssues: MAX_LISTED_ISSUES })) {
      if (chunk.type === 'batch') {
        if (chunk.issueCount === 0) await stageBatch(trx, chunk.batch);
        continue;
      }
      const invalid = registryCsvError(chunk, filePath);
      if (invalid) throw invalid;
      const counts = await applyStagedRows(trx, chunk.rowCount, context);
      await announceChanges(trx, counts);
      return counts;
    }
    throw new AppError('internal', `${filePath}: the reader ended without a summary`);
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

/** Writes the register in the import format, page by page, so that a million rows stream out. */
export async function exportRegistry(db: Db, write: (chunk: string) => void | Promise<void>): Promise<number> {
  const pageSize = 5_000;
  let afterId: string | undefined;
  let written = 0;
  for (;;) {
    const page = await listPlatformRecordsAfter(db, afterId, pageSize);
    if (page.length === 0) break;
    const rows = page.map((row, index) => platformRecordToRegistryRow(row, written + index + 2));
    await write(formatRegistryCsv(rows, { header: written === 0 }));
    written += page.length;
    afterId = page.at(-1)?.id;
  }
  if (written === 0) await write(formatRegistryCsv([], { header: true }));
  return written;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getPlatform(db: Db, id: string): Promise<Platform> {
  const row = UUID_PATTERN.test(id) ? await findPlatformRecordById(db, id) : undefined;
  if (!row) throw notFound(`no platform with id ${id}`);
  return platformRecordToPlatform(row);
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

/** The daily task: registrations past their validity become `expired` (Vietnam calendar day). */
export async function expireLapsedRegistrationsNow(
  database: Database,
  context: ActorContext,
  now = new Date(),
): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const ids = await expireLapsedRegistrations(trx, todayInVietnam(now), context);
    await announceChanges(trx, {
      rows: ids.length,
      created: 0,
      updated: ids.length,
      unchanged: 0,
      changedPlatformIds: ids,
    });
    return ids.length;
  });
}

export async function isRegisterEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM platforms) AS any`.execute(db);
  return !row.rows[0]?.any;
}

/** What the check index keeps of a platform: enough to answer without touching the database. */
export interface PlatformSnapshot {
  id: string;
  registrationNo: string | null;
  name: string;
  kind: PlatformKind;
  status: PlatformStatus;
  crossBorder: boolean;
  validUntil: string | null;
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

/**
 * Reads the whole register as snapshots, for building an in-memory index at start: a million platforms in seconds,
 * and compact (see the repository's `platformRecords` for why the register comes as text).
 */
export async function loadPlatformSnapshots(database: Database): Promise<Map<string, PlatformSnapshot>> {
  const snapshots = new Map<string, PlatformSnapshot>();
  const unordered = new Set<PlatformSnapshot>();
  await scanRegister(database, {
    platform(platform) {
      const summary = decodePlatformSummary(platform.bytes, platform.lineStart, platform.lineEnd);
      snapshots.set(summary.id, {
        ...summary,
        domains: NO_IDENTITIES,
        androidApps: NO_IDENTITIES,
        iosApps: NO_IDENTITIES,
      });
    },
    identity(identity) {
      const snapshot = snapshots.get(
        identity.bytes.toString('latin1', identity.platformIdStart, identity.platformIdEnd),
      );
      if (!snapshot) return;
      const { position } = identity;
      const value = identity.value.toString('utf8', identity.valueStart, identity.valueEnd);
      const key = identity.kind === 'domain' ? 'domains' : identity.kind === 'android_app' ? 'androidApps' : 'iosApps';
      const list = snapshot[key];
      if (list === NO_IDENTITIES && position === 0) {
        // A one-element literal fits exactly; an empty array grown by push reserves 17 slots (150 bytes a platform).
        snapshot[key] = [value];
        return;
      }
      const target = list === NO_IDENTITIES ? [] : list;
      snapshot[key] = target;
      if (position === target.length) {
        target.push(value);
        return;
      }
      // Rows come in physical order, not by position: each value goes to its place, holes are closed below.
      if (position >= 0 && position < 1024 && target[position] === undefined) target[position] = value;
      else target.push(value);
      unordered.add(snapshot);
    },
  });
  for (const snapshot of unordered) {
    snapshot.domains = withoutHoles(snapshot.domains);
    snapshot.androidApps = withoutHoles(snapshot.androidApps);
    snapshot.iosApps = withoutHoles(snapshot.iosApps);
  }
  return snapshots;
}

/** Shared by every snapshot without identities of a kind (most have no app): one array, not a million. */
const NO_IDENTITIES: string[] = Object.freeze([]) as unknown as string[];
const KINDS_BY_TEXT: ReadonlyMap<string, PlatformKind> = new Map(PLATFORM_KINDS.map((kind) => [kind, kind]));
const STATUSES_BY_TEXT: ReadonlyMap<string, PlatformStatus> = new Map(
  PLATFORM_STATUSES.map((status) => [status, status]),
);

/** The constant string, so that a million snapshots share eleven strings instead of holding two million. */
function internedKind(text: string): PlatformKind {
  return KINDS_BY_TEXT.get(text) ?? (text as PlatformKind);
}

function internedStatus(text: string): PlatformStatus {
  return STATUSES_BY_TEXT.get(text) ?? (text as PlatformStatus);
}

const STATUS_BYTES = PLATFORM_STATUSES.map((status) => Buffer.from(status, 'latin1'));

/** The status written in bytes[start, end), without making a string of it (a million platforms are read at start). */
function statusOfBytes(bytes: Buffer, start: number, end: number): PlatformStatus {
  for (let index = 0; index < STATUS_BYTES.length; index++) {
    const candidate = STATUS_BYTES[index] as Buffer;
    if (candidate.length !== end - start) continue;
    let at = 0;
    while (at < candidate.length && candidate[at] === bytes[start + at]) at++;
    if (at === candidate.length) return PLATFORM_STATUSES[index] as PlatformStatus;
  }
  return internedStatus(bytes.toString('latin1', start, end));
}

function withoutHoles(list: string[]): string[] {
  if (list === NO_IDENTITIES) return list;
  const values: string[] = [];
  for (const value of list) if (value !== undefined) values.push(value);
  return values;
}

/** Where the fields of one record of the register's text are (see `forEachRecord`); reused from record to record. */
interface RecordFields {
  /** Field i is bytes[start[i], start[i + 1] - 1) for i < fixed fields; start[fixed] is where the texts begin. */
  start: Int32Array;
  /** Text i is bytes[textStart[i], textEnd[i]), or null when textStart[i] is -1. */
  textStart: Int32Array;
  textEnd: Int32Array;
  /** The record is bytes[recordStart, recordEnd) (without its newline). */
  recordStart: number;
  recordEnd: number;
}

function recordFields(fixedFields: number, texts: number): RecordFields {
  return {
    start: new Int32Array(fixedFields + 1),
    textStart: new Int32Array(texts),
    textEnd: new Int32Array(texts),
    recordStart: 0,
    recordEnd: 0,
  };
}

/**
 * Calls `visit` for each record of bytes[from, to): `fixedFields` fields each ended by a tab, the last `texts` of
 * them byte lengths (-1 for null), then those texts as they are, then a newline (or the end). Free text needs no
 * escaping this way, since it is never searched for a separator.
 */
function forEachRecord(
  bytes: Buffer,
  from: number,
  to: number,
  fixedFields: number,
  texts: number,
  visit: (fields: RecordFields) => void,
): void {
  const fields = recordFields(fixedFields, texts);
  for (let at = from; at < to; ) {
    at = readRecord(bytes, at, to, fixedFields, texts, fields);
    visit(fields);
  }
}

/** Reads the record at bytes[from, to) into `fields` (see `forEachRecord`); returns where the next one starts. */
function readRecord(
  bytes: Buffer,
  from: number,
  to: number,
  fixedFields: number,
  texts: number,
  fields: RecordFields,
): number {
  const { start } = fields;
  let at = from;
  fields.recordStart = at;
  for (let field = 0; field < fixedFields; field++) {
    start[field] = at;
    while (at < to && bytes[at] !== 0x09) at++;
    if (at === to) throw unexpectedRecord(bytes, fields.recordStart, to);
    at++;
  }
  start[fixedFields] = at;
  for (let text = 0; text < texts; text++) {
    const lengthField = fixedFields - texts + text;
    const length = readInteger(bytes, start[lengthField] as number, (start[lengthField + 1] as number) - 1);
    if (length < 0) {
      fields.textStart[text] = -1;
      fields.textEnd[text] = -1;
    } else {
      fields.textStart[text] = at;
      at += length;
      fields.textEnd[text] = at;
    }
  }
  if (at > to || (at < to && bytes[at] !== 0x0a)) throw unexpectedRecord(bytes, fields.recordStart, to);
  fields.recordEnd = at;
  return at + 1;
}

function unexpectedRecord(bytes: Buffer, start: number, to: number): AppError {
  return new AppError(
    'internal',
    `unexpected register record: ${bytes.toString('utf8', start, Math.min(to, start + 200))}`,
  );
}

/** A decimal integer written by PostgreSQL (digits, perhaps a minus sign). */
function readInteger(bytes: Buffer, start: number, end: number): number {
  let at = start;
  const negative = bytes[at] === 0x2d;
  if (negative) at++;
  let value = 0;
  for (; at < end; at++) value = value * 10 + ((bytes[at] as number) - 0x30);
  return negative ? -value : value;
}

/** A platform's fields without its identities, as the register's summary records hold them. */
export type PlatformSummary = Omit<PlatformSnapshot, 'domains' | 'androidApps' | 'iosApps'>;

/**
 * A platform met by `scanRegister`: its summary record (the format of the repository's `platformRecords`),
 * valid only during the call, since the view and its bytes are reused.
 */
export interface ScannedPlatform {
  /** The record is bytes[lineStart, lineEnd), the id (ASCII) bytes[lineStart, idEnd); `decodePlatformSummary` reads it. */
  bytes: Buffer;
  lineStart: number;
  lineEnd: number;
  idEnd: number;
  status: PlatformStatus;
  /** The name's UTF-8 is bytes[nameStart, nameEnd). */
  nameStart: number;
  nameEnd: number;
}

/** An identity met by `scanRegister`, valid only during the call. */
export interface ScannedIdentity {
  /** The platform's id (ASCII) is bytes[platformIdStart, platformIdEnd). */
  bytes: Buffer;
  platformIdStart: number;
  platformIdEnd: number;
  kind: 'domain' | 'android_app' | 'ios_app';
  position: number;
  /** The value's UTF-8 is value[valueStart, valueEnd). */
  value: Buffer;
  valueStart: number;
  valueEnd: number;
}

/** Fields of a platform record: id, kind, status, cross_border, valid_until, then the byte lengths of the texts. */
const PLATFORM_FIELDS = 7;
/** Texts of a platform record: registration_no, name. */
const PLATFORM_TEXTS = 2;
/** Fields of an identity record: platform_id, kind, position, then the byte length of the value. */
const IDENTITY_FIELDS = 4;

/**
 * Reads the whole register as bytes, for an index that keeps it packed instead of as a million objects: every
 * platform first (in physical order), then every identity (see `readRegisterRecords`).
 */
export async function scanRegister(
  database: Pick<Database, 'readTextColumn' | 'db'>,
  visitor: { platform(platform: ScannedPlatform): void; identity(identity: ScannedIdentity): void },
): Promise<void> {
  await readRegisterRecords(database, {
    platforms: (records) => visitPlatformRecords(records, visitor.platform),
    identities: (records) => visitIdentityRecords(records, visitor.identity),
  });
}

/**
 * Reads the whole register as chunks of records, without looking into them: every platform chunk first, then every
 * identity chunk. A chunk is the callee's to keep (or to hand to another thread); `visitPlatformRecords` and
 * `visitIdentityRecords` read them. Rows changed by a concurrent update may be missed or met twice (see
 * the repository's `TABLE_BLOCKS_PER_READ`): a reader follows the change notifications.
 */
export async function readRegisterRecords(
  database: Pick<Database, 'readTextColumn' | 'db'>,
  reader: { platforms(records: Buffer): void; identities(records: Buffer): void },
): Promise<void> {
  await readTableRecords(database, 'platforms', platformRecords, reader.platforms);
  await readTableRecords(database, 'platform_identities', identityRecords, reader.identities);
}

async function readTableRecords(
  database: Pick<Database, 'readTextColumn' | 'db'>,
  table: 'platforms' | 'platform_identities',
  recordsOfBlocks: (fromBlock: number, toBlock: number) => RawBuilder<unknown>,
  onChunk: (records: Buffer) => void,
): Promise<void> {
  // The size is read again after each range: rows a concurrent writer appended meanwhile are read too.
  for (let from = 0; from < (await countTableBlocks(database.db, table)); from += TABLE_BLOCKS_PER_READ) {
    await database.readTextColumn(recordsOfBlocks(from, from + TABLE_BLOCKS_PER_READ), onChunk);
    // The embedded database reads a range in one synchronous call: requests are served between ranges.
    await setImmediate();
  }
}

/** The platforms table's size in heap blocks: how large the register is, without counting its rows. */
export async function registerSizeInBlocks(db: Db): Promise<number> {
  return countTableBlocks(db, 'platforms');
}

/** Calls `visit` for each platform of a chunk from `readRegisterRecords`; the argument is reused from call to call. */
export function visitPlatformRecords(records: Buffer, visit: (platform: ScannedPlatform) => void): void {
  const platform: ScannedPlatform = {
    bytes: records,
    lineStart: 0,
    lineEnd: 0,
    idEnd: 0,
    status: 'registered',
    nameStart: 0,
    nameEnd: 0,
  };
  forEachRecord(records, 0, records.length, PLATFORM_FIELDS, PLATFORM_TEXTS, (fields) => {
    const { start } = fields;
    platform.lineStart = fields.recordStart;
    platform.lineEnd = fields.recordEnd;
    platform.idEnd = (start[1] as number) - 1;
    platform.status = statusOfBytes(records, start[2] as number, (start[3] as number) - 1);
    platform.nameStart = fields.textStart[1] as number;
    platform.nameEnd = fields.textEnd[1] as number;
    visit(platform);
  });
}

/** Calls `visit` for each identity of a chunk from `readRegisterRecords`; the argument is reused from call to call. */
export function visitIdentityRecords(records: Buffer, visit: (identity: ScannedIdentity) => void): void {
  const identity: ScannedIdentity = {
    bytes: records,
    platformIdStart: 0,
    platformIdEnd: 0,
    kind: 'domain',
    position: 0,
    value: records,
    valueStart: 0,
    valueEnd: 0,
  };
  forEachRecord(records, 0, records.length, IDENTITY_FIELDS, 1, (fields) => {
    const { start } = fields;
    identity.platformIdStart = start[0] as number;
    identity.platformIdEnd = (start[1] as number) - 1;
    // 'domain', 'android_app' or 'ios_app' (a CHECK constraint): the first letter tells them apart.
    const kindLetter = records[start[1] as number];
    identity.kind = kindLetter === 0x64 ? 'domain' : kindLetter === 0x61 ? 'android_app' : 'ios_app';
    identity.position = readInteger(records, start[2] as number, (start[3] as number) - 1);
    identity.valueStart = fields.textStart[0] as number;
    identity.valueEnd = fields.textEnd[0] as number;
    visit(identity);
  });
}

/** The summary record of a platform, as `platformRecords` writes it (for `decodePlatformSummary`). */
export function encodePlatformSummary(summary: PlatformSummary): string {
  const registrationNo = summary.registrationNo ?? '';
  return [
    summary.id,
    summary.kind,
    summary.status,
    summary.crossBorder ? 't' : 'f',
    summary.validUntil ?? '',
    summary.registrationNo === null ? -1 : Buffer.byteLength(registrationNo, 'utf8'),
    Buffer.byteLength(summary.name, 'utf8'),
    `${registrationNo}${summary.name}`,
  ].join('\t');
}

/** The platform of a summary record bytes[start, end) (from `scanRegister` or `encodePlatformSummary`). */
export function decodePlatformSummary(bytes: Buffer, start: number, end: number): PlatformSummary {
  // One record: read into fields kept from call to call (a check decodes one per answer).
  if (readRecord(bytes, start, end, PLATFORM_FIELDS, PLATFORM_TEXTS, DECODED_FIELDS) < end) {
    throw unexpectedRecord(bytes, start, end);
  }
  return summaryOfRecord(bytes, DECODED_FIELDS);
}

const DECODED_FIELDS = recordFields(PLATFORM_FIELDS, PLATFORM_TEXTS);

function summaryOfRecord(bytes: Buffer, fields: RecordFields): PlatformSummary {
  const { start } = fields;
  const idEnd = (start[1] as number) - 1;
  const kindEnd = (start[2] as number) - 1;
  const statusEnd = (start[3] as number) - 1;
  const validUntilStart = start[4] as number;
  const validUntilEnd = (start[5] as number) - 1;
  const registrationStart = fields.textStart[0] as number;
  return {
    id: bytes.toString('latin1', start[0] as number, idEnd),
    registrationNo:
      registrationStart < 0 ? null : bytes.toString('utf8', registrationStart, fields.textEnd[0] as number),
    name: bytes.toString('utf8', fields.textStart[1] as number, fields.textEnd[1] as number),
    kind: internedKind(bytes.toString('latin1', idEnd + 1, kindEnd)),
    status: statusOfBytes(bytes, kindEnd + 1, statusEnd),
    crossBorder: bytes[statusEnd + 1] === 0x74, // 't'
    validUntil: validUntilEnd > validUntilStart ? bytes.toString('latin1', validUntilStart, validUntilEnd) : null,
  };
}

/** Current snapshots of the given platforms; ids no longer in the register are simply absent. */
export async function loadPlatformSnapshotsByIds(db: Db, ids: readonly string[]): Promise<PlatformSnapshot[]> {
  if (ids.length === 0) return [];
  const summaries = await db
    .selectFrom('platforms')
    .select(['id', 'registration_no', 'name', 'kind', 'status', 'cross_border', 'valid_until'])
    .where('id', 'in', ids)
    .execute();
  const snapshots = new Map(summaries.map((row) => [row.id, summaryToSnapshot(row)]));
  for (const identity of await listIdentitiesOfPlatforms(db, ids)) {
    const snapshot = snapshots.get(identity.platform_id);
    if (snapshot) attachIdentity(snapshot, identity.kind, identity.value);
  }
  return [...snapshots.values()];
}
