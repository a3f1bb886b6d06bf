/**
 * The Registry CSV (DESIGN.md "Registry CSV"): parsing, validation and formatting, with no database.
 *
 * Rules this file decides (the contract leaves them open):
 * - The header must name every required column once; columns may come in any order, and `legacy_id` may be
 *   left out. Rows are checked against the header's column count.
 * - A registration number is required for the statuses that only a record once accepted onto the register can
 *   have: notified, registered, expired, revoked, suspended, terminated. pending, rejected and blocked may have one or
 *   not.
 *   `unregistered` must not have one (a platform that lost its registration is revoked or expired instead).
 *   Registration numbers are case-insensitive (stored upper case) and, as they appear in public URLs
 *   (`/r/{registration_no}`), are made of letters, digits, `.`, `_` and `-`.
 * - `legacy_id` is `WebDetails/<id>` or `AppDetails/<id>`, or an online.gov.vn link containing one. A bare
 *   number is refused: the old portal numbers web sites and apps separately, so it would be ambiguous.
 * - Identities: a domain is the host as normalised by `tryNormalizeHost` (ASCII, no `www.`); URLs are reduced to
 *   their host; a public suffix or an IP address is not a site, and the top-level domain must be on the Public
 *   Suffix List (typos like `shop.vnn` are caught; the reserved `.example` and `.test` pass, for test files).
 *   Android ids may be given as Google Play links, iOS ids as App Store links or `id123…`. An identity,
 *   registration number or legacy id may appear on one row only; one tax code must name one organisation
 *   (names compared ignoring case).
 * - Rows with any issue are not returned; every issue is counted, the first `maxIssues` (100) kept in detail.
 * - `name` and `org_name` must not start with `=`, `+`, `-` or `@`: officers open exports in spreadsheets, where
 *   such a cell is run as a formula.
 * - Records whose fields are all blank (spreadsheets leave `,,,,` lines) are skipped like empty lines.
 */
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { isCalendarDate } from '../../core/dates.ts';
import { AppError, type FieldIssue, isAppError } from '../../core/errors.ts';
import { normalizeHost, tryNormalizeHost } from '../../core/hosts.ts';
import { type Localized, type Refusal, refusal } from '../../core/i18n.ts';
import { validateTaxCode } from '../../core/tax-code.ts';
import { toNfc } from '../../core/text.ts';

export const PLATFORM_KINDS = ['sales', 'marketplace', 'auction', 'promotion', 'social', 'integrated'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

export const PLATFORM_STATUSES = [
  'notified',
  'registered',
  'pending',
  'rejected',
  'expired',
  'revoked',
  'suspended',
  'unregistered',
  'blocked',
  // An extension of the contract's list (DESIGN.md): terminated at the owner's request (chấm dứt). Last, so the
  // packed register's codes of the others do not move.
  'terminated',
] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** The four platform types of the Law on E-commerce No. 122/2025/QH15 (in force 1 July 2026). */
export const LAW_PLATFORM_TYPES = ['direct_sales', 'intermediary', 'social_commerce', 'integrated'] as const;
export type LawPlatformType = (typeof LAW_PLATFORM_TYPES)[number];

/** Maps a kind of Decree 52/2013 (as amended by Decree 85/2021) to the platform type of Law 122/2025. */
export function lawTypeForKind(kind: PlatformKind): LawPlatformType {
  switch (kind) {
    case 'sales':
      return 'direct_sales';
    case 'marketplace':
    case 'auction':
    case 'promotion':
      return 'intermediary';
    case 'social':
      return 'social_commerce';
    case 'integrated':
      return 'integrated';
  }
}

/** Statuses that only a record accepted onto the register at some point can have: it has a number. */
export const STATUSES_REQUIRING_REGISTRATION_NO: ReadonlySet<PlatformStatus> = new Set([
  'notified',
  'registered',
  'expired',
  'revoked',
  'suspended',
  'terminated',
]);

export const REGISTRY_CSV_COLUMNS = [
  'registration_no',
  'name',
  'kind',
  'status',
  'cross_border',
  'domains',
  'android_apps',
  'ios_apps',
  'org_name',
  'tax_code',
  'valid_until',
] as const;
export const REGISTRY_CSV_OPTIONAL_COLUMNS = ['legacy_id'] as const;
type ColumnName = (typeof REGISTRY_CSV_COLUMNS)[number] | (typeof REGISTRY_CSV_OPTIONAL_COLUMNS)[number];

/** One valid row of the Registry CSV, normalised. */
export interface RegistryRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  registrationNo: string | null;
  /** NFC, trimmed. */
  name: string;
  kind: PlatformKind;
  status: PlatformStatus;
  crossBorder: boolean;
  /** ASCII (punycode) hosts without `www.`, as `tryNormalizeHost(…).host` gives them; no duplicates. */
  domains: string[];
  androidApps: string[];
  /** Numeric App Store ids, as strings. */
  iosApps: string[];
  orgName: string | null;
  /** `0101243150` or `0101243150-001`. */
  taxCode: string | null;
  /** 'YYYY-MM-DD'. */
  validUntil: string | null;
  /** `WebDetails/<id>` or `AppDetails/<id>` on the old portal (online.gov.vn). */
  legacyId: string | null;
}

export interface RegistryCsvOptions {
  /** Issues kept with their details; later ones are only counted. Default 100. */
  maxIssues?: number;
  /** Valid rows per yielded chunk. Default 1000. */
  batchSize?: number;
}

export type RegistryCsvChunk =
  | { type: 'rows'; rows: RegistryRow[]; issueCount: number }
  | { type: 'end'; rowCount: number; issueCount: number; issues: FieldIssue[] };

export interface RegistryCsvResult {
  /** The valid rows (rows with any issue are left out). */
  rows: RegistryRow[];
  /** Rows read, valid or not (the header and blank lines excluded). */
  rowCount: number;
  /** The first `maxIssues` issues, in file order within each row. */
  issues: FieldIssue[];
  /** Every issue found, including those beyond `maxIssues`. */
  issueCount: number;
}

export type RegistryCsvInput = string | Buffer | NodeJS.ReadableStream | AsyncIterable<string | Buffer>;

const MAX_TEXT_LENGTH = 300;
const REGISTRATION_NO = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/;
const IOS_APP_ID = /^[1-9][0-9]{0,14}$/;
const FORMULA_START = /^[=+\-@]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const KINDS: ReadonlySet<string> = new Set(PLATFORM_KINDS);
const STATUSES: ReadonlySet<string> = new Set(PLATFORM_STATUSES);

/**
 * An Android package id from an id or a Google Play link (`…/store/apps/details?id=…`, `market://details?id=…`);
 * undefined when it is neither.
 */
export function normalizeAndroidAppId(raw: string): string | undefined {
  let text = raw.trim();
  if (text.includes('?')) {
    const query = text.slice(text.indexOf('?') + 1);
    const id = new URLSearchParams(query).get('id');
    if (id === null) return undefined;
    text = id.trim();
  }
  return text.length <= 150 && ANDROID_PACKAGE.test(text) ? text : undefined;
}

/** A numeric App Store id from `123…`, `id123…` or an App Store link (`…/app/name/id123…`); undefined otherwise. */
export function normalizeIosAppId(raw: string): string | undefined {
  const text = raw.trim();
  if (IOS_APP_ID.test(text)) return text;
  const match = /^(?:id|.*\/id)([1-9][0-9]{0,14})(?:[/?#].*)?$/.exec(text);
  return match ? match[1] : undefined;
}

export type LegacyIdResult = { ok: true; legacyId: string } | Refusal;

/** `WebDetails/<id>` / `AppDetails/<id>`, also taken out of an online.gov.vn link. */
export function parseLegacyId(raw: string): LegacyIdResult {
  const text = raw.trim();
  const match = /(?:^|\/)(webdetails|appdetails)\/0*(\d{1,12})\/?(?:[?#].*)?$/i.exec(text);
  if (match) {
    const register = (match[1] as string).toLowerCase() === 'webdetails' ? 'WebDetails' : 'AppDetails';
    return { ok: true, legacyId: `${register}/${match[2]}` };
  }
  if (/^\d+$/.test(text)) {
    return refusal(() => ({
      vi: `legacy_id "${text}" không rõ ràng: viết WebDetails/${text} cho website hoặc AppDetails/${text} cho ứng dụng (cổng cũ đánh số riêng hai loại)`,
      en: `legacy_id "${text}" is ambiguous: write WebDetails/${text} for a web site or AppDetails/${text} for an app (the old portal numbers them separately)`,
    }));
  }
  return refusal(() => ({
    vi: `legacy_id "${text}" phải có dạng WebDetails/<số> hoặc AppDetails/<số>`,
    en: `legacy_id "${text}" must be WebDetails/<number> or AppDetails/<number>`,
  }));
}

/**
 * A set of string keys remembering the line each was first seen on, kept in typed arrays.
 *
 * Why not a Map: the uniqueness checks of a million-row file hold ≈ 3.5 million keys until the end. As Map
 * entries they are objects the garbage collector walks again and again (and substrings that keep whole chunks
 * of the file alive): measured on a million rows, 1.2 GB RSS and ≈ 16 s with Maps against 0.4 GB and ≈ 11 s
 * with this table. Open addressing with linear probing, FNV-1a hashes.
 */
interface KeyTable {
  /** Records `key` on `line` and returns 0, or returns the line it was first recorded on. */
  claim(key: string, line: number): number;
}

/** 32-bit FNV-1a over UTF-16 code units. */
function hashText(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

function createKeyTable(): KeyTable {
  let capacity = 1 << 12;
  let slots = new Int32Array(capacity * 2);
  let hashes = new Int32Array(capacity);
  let lines = new Int32Array(capacity);
  let starts = new Int32Array(capacity + 1);
  // Keys are ASCII by construction (punycode hosts, validated ids and numbers): one byte a character.
  let chars = new Uint8Array(capacity * 16);
  let count = 0;

  const equals = (entry: number, key: string): boolean => {
    const start = starts[entry] as number;
    if ((starts[entry + 1] as number) - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  };
  const findFreeSlot = (hash: number): number => {
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  };
  const grow = (): void => {
    capacity *= 2;
    const widen = (array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> => {
      const wider = new Int32Array(size);
      wider.set(array);
      return wider;
    };
    hashes = widen(hashes, capacity);
    lines = widen(lines, capacity);
    starts = widen(starts, capacity + 1);
    slots = new Int32Array(capacity * 2);
    for (let entry = 0; entry < count; entry++) slots[findFreeSlot(hashes[entry] as number)] = entry + 1;
  };

  return {
    claim(key: string, line: number): number {
      const hash = hashText(key);
      const mask = slots.length - 1;
      for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
        const entry = (slots[slot] as number) - 1;
        if (hashes[entry] === hash && equals(entry, key)) return lines[entry] as number;
      }
      if (count === capacity) grow();
      const start = starts[count] as number;
      if (start + key.length > chars.length) {
        const larger = new Uint8Array(Math.max(chars.length * 2, start + key.length));
        larger.set(chars);
        chars = larger;
      }
      for (let i = 0; i < key.length; i++) chars[start + i] = key.charCodeAt(i);
      hashes[count] = hash;
      lines[count] = line;
      starts[count + 1] = start + key.length;
      slots[findFreeSlot(hash)] = ++count;
      return 0;
    },
  };
}

/** State shared by every row of one file: issue collection and the cross-row uniqueness checks. */
interface FileState {
  maxIssues: number;
  issues: FieldIssue[];
  issueCount: number;
  rowCount: number;
  /** Column index of each column, once the header is read. */
  columnIndex: Record<ColumnName, number> | undefined;
  columnCount: number;
  headerFailed: boolean;
  registrationNoLines: KeyTable;
  legacyIdLines: KeyTable;
  domainLines: KeyTable;
  androidLines: KeyTable;
  iosLines: KeyTable;
  /** tax code → 1 + index into ownerLines/ownerNameHashes: the first row naming it. */
  taxCodeOwners: KeyTable;
  ownerLines: number[];
  ownerNameHashes: number[];
}

function createFileState(maxIssues: number): FileState {
  return {
    maxIssues,
    issues: [],
    issueCount: 0,
    rowCount: 0,
    columnIndex: undefined,
    columnCount: 0,
    headerFailed: false,
    registrationNoLines: createKeyTable(),
    legacyIdLines: createKeyTable(),
    domainLines: createKeyTable(),
    androidLines: createKeyTable(),
    iosLines: createKeyTable(),
    taxCodeOwners: createKeyTable(),
    ownerLines: [],
    ownerNameHashes: [],
  };
}

/**
 * Counts an issue and keeps it in detail while under the cap. Its text is built by `text` only when it is kept: past
 * the cap only the count grows, so a file with a million bad rows does not build a million messages.
 */
function addIssue(state: FileState, line: number, field: string | undefined, text: () => Localized): void {
  state.issueCount++;
  if (state.issues.length < state.maxIssues) {
    const message = text();
    state.issues.push(field === undefined ? { line, message } : { line, field, message });
  }
}

function readHeader(state: FileState, fields: string[]): void {
  const index: Partial<Record<ColumnName, number>> = {};
  const known = new Set<string>([...REGISTRY_CSV_COLUMNS, ...REGISTRY_CSV_OPTIONAL_COLUMNS]);
  const unknown: string[] = [];
  const repeated: string[] = [];
  fields.forEach((raw, position) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) {
      unknown.push(raw.trim() === '' ? `(empty, column ${position + 1})` : raw.trim());
    } else if (index[name as ColumnName] !== undefined) {
      repeated.push(name);
    } else {
      index[name as ColumnName] = position;
    }
  });
  const missing = REGISTRY_CSV_COLUMNS.filter((name) => index[name] === undefined);
  const header = [...REGISTRY_CSV_COLUMNS, ...REGISTRY_CSV_OPTIONAL_COLUMNS].join(',');
  const expected = {
    vi: `dòng tiêu đề cần có: ${header} (legacy_id không bắt buộc)`,
    en: `expected header: ${header} (legacy_id optional)`,
  };
  if (missing.length === REGISTRY_CSV_COLUMNS.length) {
    addIssue(state, 1, undefined, () => ({
      vi: `Dòng 1 không phải dòng tiêu đề của Registry CSV; ${expected.vi}`,
      en: `line 1 is not the Registry CSV header; ${expected.en}`,
    }));
  } else {
    if (missing.length > 0) {
      addIssue(state, 1, missing.join(','), () => ({
        vi: `Thiếu cột: ${missing.join(', ')}; ${expected.vi}`,
        en: `missing column(s): ${missing.join(', ')}; ${expected.en}`,
      }));
    }
    if (unknown.length > 0) {
      addIssue(state, 1, undefined, () => ({
        vi: `Cột không dùng được: ${unknown.join(', ')}; ${expected.vi}`,
        en: `unknown column(s): ${unknown.join(', ')}; ${expected.en}`,
      }));
    }
    if (repeated.length > 0) {
      addIssue(state, 1, repeated.join(','), () => ({
        vi: `Cột có tên lặp lại: ${repeated.join(', ')}`,
        en: `column(s) named twice: ${repeated.join(', ')}`,
      }));
    }
  }
  if (state.issueCount > 0) {
    state.headerFailed = true;
    return;
  }
  state.columnIndex = { legacy_id: -1, ...index } as Record<ColumnName, number>;
  state.columnCount = fields.length;
}

function isBlankRecord(fields: string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

function checkText(state: FileState, line: number, field: ColumnName, value: string): void {
  if (value.length > MAX_TEXT_LENGTH) {
    addIssue(state, line, field, () => ({
      vi: `${field} dài quá ${MAX_TEXT_LENGTH} ký tự`,
      en: `${field} is longer than ${MAX_TEXT_LENGTH} characters`,
    }));
  } else if (CONTROL_CHARACTERS.test(value)) {
    addIssue(state, line, field, () => ({
      vi: `${field} có dấu xuống dòng hoặc ký tự điều khiển khác`,
      en: `${field} contains a line break or another control character`,
    }));
  } else if (value.includes('\uFFFD')) {
    // The decoder's mark for bytes that are not UTF-8: typically a file saved in a legacy Vietnamese code page.
    addIssue(state, line, field, () => ({
      vi: `${field} không phải văn bản UTF-8 hợp lệ (hãy lưu tệp dạng "CSV UTF-8")`,
      en: `${field} is not valid UTF-8 text (save the file as "CSV UTF-8")`,
    }));
  } else if (FORMULA_START.test(value)) {
    addIssue(state, line, field, () => ({
      vi: `${field} không được bắt đầu bằng =, +, - hoặc @ (bảng tính sẽ chạy nó như công thức)`,
      en: `${field} must not start with =, +, - or @ (spreadsheets would run it as a formula)`,
    }));
  }
}

/** A trimmed field; '' for an absent optional column. Trims only when needed (a million rows go through here). */
function cellAt(fields: string[], position: number): string {
  if (position < 0) return '';
  const value = fields[position] as string;
  const last = value.length - 1;
  return last >= 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(last) <= 32) ? value.trim() : value;
}

/** Splits a `|`-separated list, trimming items and dropping empty ones. */
function splitList(value: string): string[] {
  if (value === '') return [];
  if (!value.includes('|')) return [value];
  const items: string[] = [];
  for (const item of value.split('|')) {
    const trimmed = item.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return items;
}

function claimIdentity(
  state: FileState,
  lines: KeyTable,
  line: number,
  field: string,
  what: Localized,
  value: string,
): void {
  const owner = lines.claim(value, line);
  if (owner !== 0 && owner !== line) {
    addIssue(state, line, field, () => ({
      vi: `${what.vi} ${value} cũng có ở dòng ${owner}`,
      en: `${what.en} ${value} is also listed on line ${owner}`,
    }));
  }
}

const IDENTITY_NAMES = {
  domain: { vi: 'Tên miền', en: 'domain' },
  android: { vi: 'Ứng dụng Android', en: 'Android app' },
  ios: { vi: 'Ứng dụng iOS', en: 'iOS app' },
  registrationNo: { vi: 'Số đăng ký (registration_no)', en: 'registration_no' },
  legacyId: { vi: 'legacy_id', en: 'legacy_id' },
} satisfies Record<string, Localized>;

/** Reserved test TLDs (RFC 2606, RFC 6761): not on the Public Suffix List, yet test and demo files use them. */
const TEST_TOP_LEVEL_DOMAINS: ReadonlySet<string> = new Set(['example', 'test']);

function readDomains(state: FileState, line: number, value: string): string[] {
  const domains: string[] = [];
  for (const item of splitList(value)) {
    const normalized = tryNormalizeHost(item);
    if (normalized === undefined) {
      addIssue(state, line, 'domains', () => describeBadHost(item));
      continue;
    }
    if (normalized.isIp) {
      addIssue(state, line, 'domains', () => ({
        vi: `"${item}" là địa chỉ IP; danh sách ghi tên miền`,
        en: `"${item}" is an IP address; the register lists domain names`,
      }));
      continue;
    }
    if (!normalized.isListedSuffix && !TEST_TOP_LEVEL_DOMAINS.has(normalized.publicSuffix.split('.').at(-1) ?? '')) {
      addIssue(state, line, 'domains', () => ({
        vi: `"${item}" không kết thúc bằng tên miền cấp cao đã biết (.vn, .com.vn, .com…)`,
        en: `"${item}" does not end in a known top-level domain (.vn, .com.vn, .com…)`,
      }));
      continue;
    }
    if (domains.includes(normalized.host)) continue;
    domains.push(normalized.host);
    claimIdentity(state, state.domainLines, line, 'domains', IDENTITY_NAMES.domain, normalized.host);
  }
  return domains;
}

/** The reason a host was refused (the slow path: only for invalid ones). */
function describeBadHost(item: string): Localized {
  try {
    normalizeHost(item, 'domains');
  } catch (error) {
    if (isAppError(error)) return error.text;
    throw error;
  }
  return { vi: `"${item}" không phải tên máy chủ hay URL hợp lệ`, en: `"${item}" is not a valid host name or URL` };
}

function readApps(state: FileState, line: number, field: 'android_apps' | 'ios_apps', value: string): string[] {
  const apps: string[] = [];
  const android = field === 'android_apps';
  for (const item of splitList(value)) {
    const id = android ? normalizeAndroidAppId(item) : normalizeIosAppId(item);
    if (id === undefined) {
      addIssue(state, line, field, () =>
        android
          ? {
              vi: `"${item}" không phải mã gói Android (như com.example.shop) hay đường dẫn Google Play`,
              en: `"${item}" is not an Android package id (like com.example.shop) or a Google Play link`,
            }
          : {
              vi: `"${item}" không phải mã App Store của iOS (gồm các chữ số, như 959841449) hay đường dẫn App Store`,
              en: `"${item}" is not an iOS App Store id (digits, like 959841449) or an App Store link`,
            },
      );
      continue;
    }
    if (apps.includes(id)) continue;
    apps.push(id);
    claimIdentity(
      state,
      android ? state.androidLines : state.iosLines,
      line,
      field,
      android ? IDENTITY_NAMES.android : IDENTITY_NAMES.ios,
      id,
    );
  }
  return apps;
}

/** One tax code, one organisation: the importer keys organisations by tax code. */
function checkTaxCodeOwner(state: FileState, line: number, taxCode: string, orgName: string | null): void {
  // Names are compared by a hash of their lower-case form: a million names kept as strings would cost
  // ≈ 100 MB of heap for a check that almost never fires.
  const nameHash = hashText(orgName === null ? '' : orgName.toLowerCase());
  const owner = state.taxCodeOwners.claim(taxCode, state.ownerLines.length + 1) - 1;
  if (owner < 0) {
    state.ownerLines.push(line);
    state.ownerNameHashes.push(nameHash);
  } else if (state.ownerNameHashes[owner] !== nameHash) {
    const ownerLine = state.ownerLines[owner];
    addIssue(state, line, 'tax_code', () => ({
      vi: `Mã số thuế ${taxCode} thuộc một tên tổ chức khác ở dòng ${ownerLine}`,
      en: `tax code ${taxCode} belongs to another organisation name on line ${ownerLine}`,
    }));
  }
}

const COLUMN_POSITION: ReadonlyMap<string, number> = new Map(
  [...REGISTRY_CSV_COLUMNS, ...REGISTRY_CSV_OPTIONAL_COLUMNS].map((name, position) => [name, position]),
);

/** Puts one row's issues (from `start` on) in the order of the columns, as a reader scans the row. */
function sortByColumn(issues: FieldIssue[], start: number): void {
  if (issues.length - start < 2) return;
  const rowIssues = issues.splice(start);
  rowIssues.sort((a, b) => (COLUMN_POSITION.get(a.field ?? '') ?? -1) - (COLUMN_POSITION.get(b.field ?? '') ?? -1));
  issues.push(...rowIssues);
}

/** Validates one data record; returns the row when it has no issue. */
function readRecord(state: FileState, fields: string[], line: number): RegistryRow | null {
  const columns = state.columnIndex as Record<ColumnName, number>;
  state.rowCount++;
  if (fields.length !== state.columnCount) {
    addIssue(state, line, undefined, () => ({
      vi: `Cần ${state.columnCount} cột như dòng tiêu đề, dòng này có ${fields.length}`,
      en: `expected ${state.columnCount} columns as in the header, found ${fields.length}`,
    }));
    return null;
  }
  const before = state.issueCount;
  const firstDetailed = state.issues.length;

  const name = toNfc(cellAt(fields, columns.name));
  if (name === '') addIssue(state, line, 'name', () => ({ vi: 'name để trống', en: 'name is empty' }));
  else checkText(state, line, 'name', name);

  const kindText = cellAt(fields, columns.kind).toLowerCase();
  if (!KINDS.has(kindText)) {
    addIssue(state, line, 'kind', () => ({
      vi: `kind "${cellAt(fields, columns.kind)}" không thuộc: ${PLATFORM_KINDS.join(', ')}`,
      en: `kind "${cellAt(fields, columns.kind)}" is not one of: ${PLATFORM_KINDS.join(', ')}`,
    }));
  }
  const statusText = cellAt(fields, columns.status).toLowerCase();
  const statusKnown = STATUSES.has(statusText);
  if (!statusKnown) {
    addIssue(state, line, 'status', () => ({
      vi: `status "${cellAt(fields, columns.status)}" không thuộc: ${PLATFORM_STATUSES.join(', ')}`,
      en: `status "${cellAt(fields, columns.status)}" is not one of: ${PLATFORM_STATUSES.join(', ')}`,
    }));
  }
  const status = statusText as PlatformStatus;

  const crossBorderText = cellAt(fields, columns.cross_border).toLowerCase();
  if (crossBorderText !== 'true' && crossBorderText !== 'false') {
    addIssue(state, line, 'cross_border', () => ({
      vi: `cross_border phải là true hoặc false, đang là "${cellAt(fields, columns.cross_border)}"`,
      en: `cross_border must be true or false, found "${cellAt(fields, columns.cross_border)}"`,
    }));
  }

  let registrationNo: string | null = cellAt(fields, columns.registration_no).toUpperCase() || null;
  if (registrationNo === null) {
    if (statusKnown && STATUSES_REQUIRING_REGISTRATION_NO.has(status)) {
      addIssue(state, line, 'registration_no', () => ({
        vi: `Tình trạng ${status} phải có registration_no`,
        en: `registration_no is required for status ${status}`,
      }));
    }
  } else if (!REGISTRATION_NO.test(registrationNo)) {
    addIssue(state, line, 'registration_no', () => ({
      vi: `registration_no "${cellAt(fields, columns.registration_no)}" chỉ được gồm chữ cái, chữ số, ".", "_" và "-" (tối đa 64 ký tự)`,
      en: `registration_no "${cellAt(fields, columns.registration_no)}" may hold only letters, digits, ".", "_" and "-" (at most 64)`,
    }));
    registrationNo = null;
  } else if (status === 'unregistered') {
    addIssue(state, line, 'registration_no', () => ({
      vi: 'Nền tảng chưa thông báo, đăng ký (unregistered) không có registration_no (hãy dùng revoked hoặc expired)',
      en: 'an unregistered platform has no registration_no (use revoked or expired)',
    }));
  } else {
    claimIdentity(
      state,
      state.registrationNoLines,
      line,
      'registration_no',
      IDENTITY_NAMES.registrationNo,
      registrationNo,
    );
  }

  const domains = readDomains(state, line, cellAt(fields, columns.domains));
  const androidApps = readApps(state, line, 'android_apps', cellAt(fields, columns.android_apps));
  const iosApps = readApps(state, line, 'ios_apps', cellAt(fields, columns.ios_apps));

  const orgName = toNfc(cellAt(fields, columns.org_name)) || null;
  if (orgName !== null) checkText(state, line, 'org_name', orgName);

  let taxCode: string | null = null;
  const taxCodeText = cellAt(fields, columns.tax_code);
  if (taxCodeText !== '') {
    const result = validateTaxCode(taxCodeText);
    if (result.ok) {
      taxCode = result.normalized;
      checkTaxCodeOwner(state, line, taxCode, orgName);
    } else {
      addIssue(state, line, 'tax_code', () => result.reason);
    }
  }

  const validUntil = cellAt(fields, columns.valid_until) || null;
  if (validUntil !== null && !isCalendarDate(validUntil)) {
    addIssue(state, line, 'valid_until', () => ({
      vi: `valid_until "${validUntil}" không phải một ngày có thật viết dạng YYYY-MM-DD`,
      en: `valid_until "${validUntil}" is not a real date written YYYY-MM-DD`,
    }));
  }

  let legacyId: string | null = null;
  const legacyText = cellAt(fields, columns.legacy_id);
  if (legacyText !== '') {
    const result = parseLegacyId(legacyText);
    if (result.ok) {
      legacyId = result.legacyId;
      claimIdentity(state, state.legacyIdLines, line, 'legacy_id', IDENTITY_NAMES.legacyId, legacyId);
    } else {
      addIssue(state, line, 'legacy_id', () => result.reason);
    }
  }

  if (state.issueCount !== before) {
    sortByColumn(state.issues, firstDetailed);
    return null;
  }
  return {
    line,
    registrationNo,
    name,
    kind: kindText as PlatformKind,
    status,
    crossBorder: crossBorderText === 'true',
    domains,
    androidApps,
    iosApps,
    orgName,
    taxCode,
    validUntil,
    legacyId,
  };
}

/**
 * Splits CSV text into records, keeping the file's line numbers.
 *
 * Why not csv-parse's stream alone: measured here it reads ≈ 140k registry rows/s, more than half the time budget
 * of a million-row import before any validation. A line without a quote character is, by the CSV grammar,
 * exactly its comma-separated fields, so such lines (nearly all of an export) are split directly, and so are
 * one-line records whose quoted fields hold no doubled quotes. Every other record — escaped quotes, line
 * breaks inside a field, anything malformed — is parsed by csv-parse, a chunk's worth at a time. Quote parity
 * finds where a multi-line record ends.
 */
interface RecordSink {
  record(fields: string[], line: number): void;
  /** A record csv-parse refused (or a quote never closed); `line` is the line the record starts on. */
  malformed(line: number, message: Localized): void;
}

type PendingRecord = { fields: string[]; line: number } | { text: string; line: number };

interface RecordSplitter {
  push(text: string): void;
  end(): void;
}

/**
 * The fields of a one-line record whose quoted fields are plain `"…"` (no doubled quotes inside), as
 * spreadsheets write names containing commas; undefined for anything else, which csv-parse then reads.
 * Exported for the test that holds it to csv-parse's answers.
 */
export function splitSimpleQuotedLine(line: string): string[] | undefined {
  if (line.includes('""')) return undefined;
  const fields: string[] = [];
  let start = 0;
  for (;;) {
    if (line.charCodeAt(start) === 34) {
      const close = line.indexOf('"', start + 1);
      if (close === -1) return undefined;
      const next = close + 1;
      if (next < line.length && line.charCodeAt(next) !== 44) return undefined;
      fields.push(line.slice(start + 1, close));
      if (next >= line.length) return fields;
      start = next + 1;
    } else {
      const comma = line.indexOf(',', start);
      const field = comma === -1 ? line.slice(start) : line.slice(start, comma);
      if (field.includes('"')) return undefined;
      fields.push(field);
      if (comma === -1) return fields;
      start = comma + 1;
    }
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
  return count;
}

function createRecordSplitter(sink: RecordSink): RecordSplitter {
  let carry = '';
  let nextLine = 1;
  let atStart = true;
  // A quoted record whose closing quote is on a later line.
  let open: { text: string; line: number; quotes: number } | undefined;
  let pending: PendingRecord[] = [];

  const takeLine = (raw: string): void => {
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const line = nextLine++;
    if (open !== undefined) {
      open.text += `\n${text}`;
      open.quotes += countQuotes(text);
      if (open.quotes % 2 === 0) {
        pending.push({ text: open.text, line: open.line });
        open = undefined;
      }
      return;
    }
    if (text === '') return;
    const quotes = countQuotes(text);
    if (quotes % 2 === 1) {
      open = { text, line, quotes };
      return;
    }
    const fields = quotes === 0 ? text.split(',') : splitSimpleQuotedLine(text);
    pending.push(fields === undefined ? { text, line } : { fields, line });
  };

  const flush = (): void => {
    const quoted: string[] = [];
    for (const item of pending) if ('text' in item) quoted.push(item.text);
    let parsed: string[][] | undefined;
    if (quoted.length > 0) {
      try {
        const records = parseCsv(`${quoted.join('\n')}\n`, { relax_column_count: true }) as string[][];
        // A malformed record can swallow or split its neighbours: then each is parsed alone below.
        if (records.length === quoted.length) parsed = records;
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
      }
    }
    let next = 0;
    for (const item of pending) {
      if ('fields' in item) {
        sink.record(item.fields, item.line);
        continue;
      }
      const fields = parsed ? parsed[next++] : parseOneRecord(item.text, item.line, sink);
      if (fields !== undefined) sink.record(fields, item.line);
    }
    pending = [];
  };

  return {
    push(chunk: string): void {
      let text = carry + chunk;
      if (atStart && text !== '') {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        atStart = false;
      }
      const lastBreak = text.lastIndexOf('\n');
      if (lastBreak === -1) {
        carry = text;
        return;
      }
      carry = text.slice(lastBreak + 1);
      for (const raw of text.slice(0, lastBreak).split('\n')) takeLine(raw);
      flush();
    },
    end(): void {
      if (carry !== '') takeLine(carry);
      carry = '';
      if (open !== undefined) {
        sink.malformed(open.line, {
          vi: `một trường trong ngoặc kép bắt đầu ở dòng ${open.line} không bao giờ được đóng`,
          en: `a quoted field starting on line ${open.line} is never closed`,
        });
        open = undefined;
      }
      flush();
    },
  };
}

function parseOneRecord(text: string, line: number, sink: RecordSink): string[] | undefined {
  try {
    const records = parseCsv(`${text}\n`, { relax_column_count: true }) as string[][];
    if (records.length === 1) return records[0];
    sink.malformed(line, {
      vi: 'dấu ngoặc kép của bản ghi này không thành cặp',
      en: 'the quotes of this record do not pair up',
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    sink.malformed(line, describeCsvError(error));
  }
  return undefined;
}

function describeCsvError(error: CsvError): Localized {
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return {
        vi: 'một trường có dấu ngoặc kép (") nhưng không bắt đầu bằng dấu đó; hãy đặt cả trường trong ngoặc kép và viết đôi các dấu ngoặc kép bên trong',
        en: 'a field contains a quote (") but does not start with one; quote the whole field and double inner quotes',
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        vi: 'có chữ ngay sau dấu ngoặc kép đóng của một trường',
        en: 'text follows the closing quote of a field',
      };
    case 'CSV_QUOTE_NOT_CLOSED':
      return { vi: 'một trường trong ngoặc kép không được đóng', en: 'a quoted field is never closed' };
    default:
      return { vi: `lỗi cú pháp (${error.message})`, en: error.message };
  }
}

/**
 * Reads a Registry CSV (text, or a stream such as `fs.createReadStream(path)`) and validates every row.
 *
 * Yields the valid rows in chunks while it reads, then one `end` chunk with every issue found (line and field,
 * header = line 1). A file with any issue is invalid as a whole: an atomic import stores the yielded rows in a
 * transaction and rolls back when `end` reports issues. A bad header ends the reading at once, since no row can
 * be interpreted without it. Text must be UTF-8 (a byte order mark is accepted).
 */
export async function* readRegistryCsv(
  input: RegistryCsvInput,
  options: RegistryCsvOptions = {},
): AsyncGenerator<RegistryCsvChunk, void, undefined> {
  const state = createFileState(options.maxIssues ?? 100);
  const batchSize = options.batchSize ?? 1000;
  let batch: RegistryRow[] = [];
  const splitter = createRecordSplitter({
    record(fields, line) {
      if (state.headerFailed || isBlankRecord(fields)) return;
      if (state.columnIndex === undefined) {
        readHeader(state, fields);
        return;
      }
      const row = readRecord(state, fields, line);
      if (row !== null) batch.push(row);
    },
    malformed(line, message) {
      if (state.headerFailed) return;
      if (state.columnIndex !== undefined) state.rowCount++;
      addIssue(state, line, undefined, () => ({
        vi: `Lỗi cú pháp CSV: ${message.vi}`,
        en: `CSV syntax error: ${message.en}`,
      }));
    },
  });

  if (typeof input === 'string') {
    splitter.push(input);
  } else {
    const decoder = new StringDecoder('utf8');
    const source = Buffer.isBuffer(input) ? [input] : (input as AsyncIterable<string | Buffer>);
    for await (const chunk of source) {
      splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      // Hand rows on as they come, so that a million-row file never sits in memory here.
      while (batch.length >= batchSize) {
        yield { type: 'rows', rows: batch.slice(0, batchSize), issueCount: state.issueCount };
        batch = batch.slice(batchSize);
      }
      if (state.headerFailed) break;
    }
    if (!state.headerFailed) splitter.push(decoder.end());
  }
  if (!state.headerFailed) splitter.end();

  if (state.columnIndex === undefined && state.issueCount === 0) {
    addIssue(state, 1, undefined, () => ({
      vi: `Tệp trống: dòng đầu tiên phải là dòng tiêu đề ${REGISTRY_CSV_COLUMNS.join(',')}`,
      en: `the file is empty: the first line must be the header ${REGISTRY_CSV_COLUMNS.join(',')}`,
    }));
  }
  for (let start = 0; start < batch.length; start += batchSize) {
    yield { type: 'rows', rows: batch.slice(start, start + batchSize), issueCount: state.issueCount };
  }
  yield { type: 'end', rowCount: state.rowCount, issueCount: state.issueCount, issues: state.issues };
}

/** Reads a whole Registry CSV into memory (see readRegistryCsv for streaming). */
export async function parseRegistryCsv(
  input: RegistryCsvInput,
  options: RegistryCsvOptions = {},
): Promise<RegistryCsvResult> {
  const rows: RegistryRow[] = [];
  for await (const chunk of readRegistryCsv(input, options)) {
    if (chunk.type === 'rows') {
      for (const row of chunk.rows) rows.push(row);
    } else {
      return { rows, rowCount: chunk.rowCount, issues: chunk.issues, issueCount: chunk.issueCount };
    }
  }
  throw new AppError('internal', {
    vi: 'Bộ đọc Registry CSV kết thúc mà không có bản tổng kết',
    en: 'the Registry CSV reader ended without a summary',
  });
}

/**
 * The AppError an import reports for an invalid file (CLI exit 2, HTTP 400), or undefined when there is none.
 * The message names the first problem's line and field and how many there are in all.
 */
export function registryCsvError(
  result: Pick<RegistryCsvResult, 'issues' | 'issueCount'>,
  fileName = 'registry CSV',
): AppError | undefined {
  const first = result.issues[0];
  if (result.issueCount === 0 || first === undefined) return undefined;
  const where = `${fileName}${first.line ? `:${first.line}` : ''}${first.field ? ` (${first.field})` : ''}`;
  const message = first.message;
  const several = result.issueCount > 1;
  const text = {
    vi: `${where}: ${message.vi}${several ? ` (tổng cộng ${result.issueCount} lỗi; chưa nhập gì)` : ''}`,
    en: `${where}: ${message.en}${several ? ` (${result.issueCount} problems in all; nothing was imported)` : ''}`,
  };
  return new AppError('invalid_input', text, {
    field: first.field,
    issues: result.issues,
  });
}

export interface RegistryCsvFormatOptions {
  /** Start with the header line. Default true (false for the second and later pages of a paged export). */
  header?: boolean;
  /** Write the optional legacy_id column. Default true. */
  legacyId?: boolean;
}

function headerFor(options: RegistryCsvFormatOptions): string[] {
  return options.legacyId === false
    ? [...REGISTRY_CSV_COLUMNS]
    : [...REGISTRY_CSV_COLUMNS, ...REGISTRY_CSV_OPTIONAL_COLUMNS];
}

function rowToRecord(row: RegistryRow, legacyId: boolean): string[] {
  const record = [
    row.registrationNo ?? '',
    row.name,
    row.kind,
    row.status,
    row.crossBorder ? 'true' : 'false',
    row.domains.join('|'),
    row.androidApps.join('|'),
    row.iosApps.join('|'),
    row.orgName ?? '',
    row.taxCode ?? '',
    row.validUntil ?? '',
  ];
  if (legacyId) record.push(row.legacyId ?? '');
  return record;
}

/** The Registry CSV of some rows, header included (round-trips through parseRegistryCsv). */
export function formatRegistryCsv(rows: Iterable<RegistryRow>, options: RegistryCsvFormatOptions = {}): string {
  const withLegacy = options.legacyId !== false;
  const records: string[][] = options.header === false ? [] : [headerFor(options)];
  for (const row of rows) records.push(rowToRecord(row, withLegacy));
  return records.length === 0 ? '' : stringify(records);
}

/**
 * The Registry CSV as text chunks, for exports too large to hold as one string:
 * `Readable.from(streamRegistryCsv(rows)).pipe(process.stdout)`.
 */
export async function* streamRegistryCsv(
  rows: Iterable<RegistryRow> | AsyncIterable<RegistryRow>,
  options: RegistryCsvFormatOptions & { batchSize?: number } = {},
): AsyncGenerator<string, void, undefined> {
  const withLegacy = options.legacyId !== false;
  const batchSize = options.batchSize ?? 1000;
  if (options.header !== false) yield stringify([headerFor(options)]);
  let batch: string[][] = [];
  for await (const row of rows) {
    batch.push(rowToRecord(row, withLegacy));
    if (batch.length >= batchSize) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringify(batch);
}
