/**
 * The register as bytes, for the check index: the text records the repository's `platformRecords` and
 * `identityRecords` write, read a range of heap blocks at a time (`readRegisterRecords`) and walked without a
 * string or an object per row (`visitPlatformRecords`, `visitIdentityRecords`); one platform's summary record
 * written and read back (`encodePlatformSummary`, `decodePlatformSummary`). Runs on the check's loader thread
 * too (src/modules/check/register-loader.worker.ts): nothing here holds state beyond a call.
 */
import { setImmediate } from 'node:timers/promises';
import type { RawBuilder } from 'kysely';
import type { Database, Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { PLATFORM_KINDS, PLATFORM_STATUSES, type PlatformKind, type PlatformStatus } from './registry.csv.ts';
import { countTableBlocks, identityRecords, platformRecords, TABLE_BLOCKS_PER_READ } from './registry.repository.ts';

/** A platform's fields without its identities, as the register's summary records hold them. */
export interface PlatformSummary {
  id: string;
  registrationNo: string | null;
  name: string;
  kind: PlatformKind;
  status: PlatformStatus;
  crossBorder: boolean;
  validUntil: string | null;
}

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
  const record = bytes.toString('utf8', start, Math.min(to, start + 200));
  return new AppError('internal', {
    vi: `Bản ghi danh sách không đúng dạng: ${record}`,
    en: `unexpected register record: ${record}`,
  });
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

/**
 * A platform met by `visitPlatformRecords`: its summary record (the format of the repository's `platformRecords`),
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

/** An identity met by `visitIdentityRecords`, valid only during the call. */
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

/** The platform of a summary record bytes[start, end) (from `visitPlatformRecords` or `encodePlatformSummary`). */
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
