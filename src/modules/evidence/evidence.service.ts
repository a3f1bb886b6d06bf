import type { IncomingHttpHeaders } from 'node:http';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import { type SafeFetchOptions, safeFetch } from '../../core/safe-fetch.ts';
import {
  type CustodyRow,
  type EvidenceItemRow,
  findEvidenceItem,
  findEvidenceItemsByIds,
  insertCustodyEvent,
  insertEvidenceItem,
  listCustodyEvents,
  listEvidenceItems,
  lockEvidenceItem,
  setEvidenceReferences,
} from './evidence.repository.ts';
import { screenshotUnavailable, takeScreenshot } from './evidence.screenshot.ts';
import {
  CERT_CHAIN_FILE,
  readStoredFile,
  removeCaptureFiles,
  SCREENSHOT_FILE,
  type StoredFile,
  storeCaptureFiles,
  storePath,
  WARC_FILE,
} from './evidence.store.ts';
import type { CustodyEvent } from './evidence.table.ts';
import { buildWarc, warcPayload } from './evidence.warc.ts';

/**
 * Evidence (issue 12): a capture of a URL through the SSRF guard, kept as WARC 1.1 with its hashes, its TLS chain and
 * (when Chromium is there and it is asked for) a screenshot, in the content-addressed store; a custody log per item
 * whose every event is also an audit event of `evidence`, in the same transaction.
 */

/** Bytes of a page's body kept by default (a longer one is cut, and the WARC says so). */
export const DEFAULT_CAPTURE_MAX_BYTES = 5 * 1024 * 1024;

export interface CaptureOptions {
  url: string;
  /** curl-style HOST:PORT:ADDRESS (safe-fetch.ts). */
  resolve?: readonly string[];
  /** Lifts the address rules (tests, a lab): never from input. */
  allowPrivate?: boolean | readonly string[];
  /** A full-page screenshot when Chromium is available. */
  screenshot?: boolean;
  maxBytes?: number;
  timeoutMs?: number;
  /** Request headers (the crawler's User-Agent naming the regulator). */
  headers?: Record<string, string>;
  /** Certificates trusted for https instead of the system's (a test server's). */
  ca?: string | readonly string[];
  caseId?: string | null;
  findingId?: string | null;
}

export interface CapturedEvidence {
  evidenceId: string;
  /** SHA-256 of the WARC file. */
  sha256: string;
  /** The WARC file, relative to the evidence store. */
  warcPath: string;
  /** The WARC file's absolute path. */
  warcFile: string;
  url: string;
  finalUrl: string;
  httpStatus: number;
  ip: string;
  fetchedAt: string;
  /**
   * The final response's content (at most `maxBytes`), decoded when the server compressed it: the classifier reads it
   * without a second fetch.
   */
  body: Buffer;
  bodyTruncated: boolean;
  /** SHA-256 of the body as transferred (compressed, if it was): the payload of the WARC's response record. */
  bodySha256: string;
  headers: IncomingHttpHeaders;
  certChainPath: string | null;
  screenshotPath: string | null;
  /** Why a screenshot that was asked for was not taken. */
  screenshotError: string | null;
}

export async function recordCustodyEvent(
  trx: Db,
  context: ActorContext,
  evidenceId: string,
  event: CustodyEvent,
  detail?: unknown,
): Promise<void> {
  await insertCustodyEvent(trx, { evidence_id: evidenceId, event, actor: context.actor, detail });
  await recordAuditEvent(trx, context, {
    action: `evidence.${event}`,
    entityType: 'evidence',
    entityId: evidenceId,
    changes: detail,
  });
}

function checkReference(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!isUuid(value)) {
    throw invalidInput({ vi: `${field}: cần một mã định danh (UUID)`, en: `${field}: expected an id (UUID)` }, field);
  }
  return value;
}

/**
 * Fetches `options.url` through the SSRF guard and keeps it as evidence. A refused or failed fetch throws the
 * guard's SafeFetchError and stores nothing.
 */
export async function captureEvidence(
  db: Db,
  storeDir: string,
  context: ActorContext,
  options: CaptureOptions,
): Promise<CapturedEvidence> {
  const caseId = checkReference(options.caseId, 'case_id');
  const findingId = checkReference(options.findingId, 'finding_id');
  const fetchOptions: SafeFetchOptions = {
    ...(options.resolve ? { resolve: options.resolve } : {}),
    ...(options.allowPrivate !== undefined ? { allowPrivate: options.allowPrivate } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  // As a browser asks: some servers answer differently to a client that takes no compression.
  const fetched = await safeFetch(options.url, {
    ...fetchOptions,
    maxBytes: options.maxBytes ?? DEFAULT_CAPTURE_MAX_BYTES,
    truncate: true,
    decode: true,
  });
  const finalIndex = fetched.hops.length - 1;
  const finalHop = fetched.hops[finalIndex];
  if (!finalHop) throw new Error('safeFetch returned no hop');

  let screenshot: Buffer | undefined;
  let screenshotError: string | null = null;
  const hops = [...fetched.hops];
  if (options.screenshot) {
    screenshotError = (await screenshotUnavailable()) ?? null;
    if (!screenshotError) {
      try {
        const shot = await takeScreenshot({ page: finalHop, content: fetched.body, fetchOptions });
        screenshot = shot.png;
        hops.push(...shot.hops);
      } catch (error) {
        screenshotError = (error as Error).message.split('\n')[0] ?? 'screenshot failed';
      }
    }
  }

  const capturedAt = finalHop.startedAt;
  const warc = await buildWarc(hops, finalIndex, {
    'ecomgov-url': options.url,
    'ecomgov-captured-by': context.actor,
    'ecomgov-captured-at': capturedAt.toISOString(),
  });
  const warcSha256 = sha256Hex(warc.bytes);
  const files: StoredFile[] = [{ name: WARC_FILE, bytes: warc.bytes }];
  const certificates = fetched.hops.flatMap((hop) => (hop === finalHop ? hop.certificates : []));
  const certChain = certificates.length > 0 ? Buffer.from(certificates.join(''), 'utf8') : undefined;
  if (certChain) files.push({ name: CERT_CHAIN_FILE, bytes: certChain });
  if (screenshot) files.push({ name: SCREENSHOT_FILE, bytes: screenshot });
  const paths = await storeCaptureFiles(storeDir, warcSha256, files);
  const bodySha256 = sha256Hex(finalHop.body);
  try {
    const evidenceId = await db.transaction().execute(async (trx) => {
      const id = await insertEvidenceItem(trx, {
        url: options.url,
        final_url: fetched.finalUrl,
        http_status: fetched.status,
        captured_at: capturedAt,
        ip: finalHop.ip,
        warc_path: paths.get(WARC_FILE) as string,
        warc_sha256: warcSha256,
        final_record_id: warc.finalRecordId,
        body_sha256: bodySha256,
        body_bytes: finalHop.body.length,
        body_truncated: finalHop.truncated,
        cert_chain_path: certChain ? (paths.get(CERT_CHAIN_FILE) as string) : null,
        cert_chain_sha256: certChain ? sha256Hex(certChain) : null,
        screenshot_path: screenshot ? (paths.get(SCREENSHOT_FILE) as string) : null,
        screenshot_sha256: screenshot ? sha256Hex(screenshot) : null,
        captured_by: context.actor,
        case_id: caseId,
        finding_id: findingId,
      });
      await recordCustodyEvent(trx, context, id, 'captured', {
        url: options.url,
        final_url: fetched.finalUrl,
        ip: finalHop.ip,
        warc_sha256: warcSha256,
        body_sha256: bodySha256,
        ...(options.screenshot ? { screenshot: screenshot ? 'taken' : screenshotError } : {}),
        ...(caseId ? { case_id: caseId } : {}),
        ...(findingId ? { finding_id: findingId } : {}),
      });
      return id;
    });
    return {
      evidenceId,
      sha256: warcSha256,
      warcPath: paths.get(WARC_FILE) as string,
      warcFile: storePath(storeDir, paths.get(WARC_FILE) as string),
      url: options.url,
      finalUrl: fetched.finalUrl,
      httpStatus: fetched.status,
      ip: finalHop.ip,
      fetchedAt: capturedAt.toISOString(),
      body: fetched.body,
      bodyTruncated: fetched.truncated,
      bodySha256,
      headers: fetched.headers,
      certChainPath: paths.get(CERT_CHAIN_FILE) ?? null,
      screenshotPath: paths.get(SCREENSHOT_FILE) ?? null,
      screenshotError,
    };
  } catch (error) {
    removeCaptureFiles(storeDir, warcSha256);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading

const NOT_FOUND: Localized = { vi: 'Không tìm thấy chứng cứ', en: 'evidence item not found' };

export interface EvidenceItem {
  id: string;
  url: string;
  final_url: string;
  http_status: number;
  captured_at: string;
  ip: string;
  captured_by: string;
  case_id: string | null;
  finding_id: string | null;
  body_sha256: string;
  body_bytes: number;
  body_truncated: boolean;
  files: EvidenceFile[];
}

/** A file of the store that belongs to an item, with the hash recorded at capture. */
export interface EvidenceFile {
  name: string;
  path: string;
  sha256: string;
}

export interface CustodyEntry {
  event: CustodyEvent;
  actor: string;
  at: string;
  detail: unknown;
}

function filesOf(row: EvidenceItemRow): EvidenceFile[] {
  const files: EvidenceFile[] = [{ name: WARC_FILE, path: row.warc_path, sha256: row.warc_sha256 }];
  if (row.cert_chain_path && row.cert_chain_sha256) {
    files.push({ name: CERT_CHAIN_FILE, path: row.cert_chain_path, sha256: row.cert_chain_sha256 });
  }
  if (row.screenshot_path && row.screenshot_sha256) {
    files.push({ name: SCREENSHOT_FILE, path: row.screenshot_path, sha256: row.screenshot_sha256 });
  }
  return files;
}

function itemOf(row: EvidenceItemRow): EvidenceItem {
  return {
    id: row.id,
    url: row.url,
    final_url: row.final_url,
    http_status: row.http_status,
    captured_at: row.captured_at.toISOString(),
    ip: row.ip,
    captured_by: row.captured_by,
    case_id: row.case_id,
    finding_id: row.finding_id,
    body_sha256: row.body_sha256,
    body_bytes: row.body_bytes,
    body_truncated: row.body_truncated,
    files: filesOf(row),
  };
}

function custodyOf(row: CustodyRow): CustodyEntry {
  return { event: row.event, actor: row.actor, at: row.at.toISOString(), detail: row.detail };
}

async function requireRow(db: Db, id: string): Promise<EvidenceItemRow> {
  const row = isUuid(id) ? await findEvidenceItem(db, id) : undefined;
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** An item and its custody log, without recording a view (the CLI's and the API's reads). */
export async function getEvidence(db: Db, id: string): Promise<{ item: EvidenceItem; custody: CustodyEntry[] }> {
  const row = await requireRow(db, id);
  return { item: itemOf(row), custody: (await listCustodyEvents(db, row.id)).map(custodyOf) };
}

/**
 * The captures among `ids` (other modules cite evidence by id: a block request, later a case): what was captured,
 * when, and the WARC's hash, keyed by id. Ids that are not captures are simply absent.
 */
export async function describeEvidence(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { url: string; captured_at: string; warc_sha256: string; captured_by: string }>> {
  const rows = await findEvidenceItemsByIds(db, ids.filter(isUuid));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        url: row.url,
        captured_at: row.captured_at.toISOString(),
        warc_sha256: row.warc_sha256,
        captured_by: row.captured_by,
      },
    ]),
  );
}

/** The latest captures, newest first (the workbench list; not a view of any item). */
export async function listRecentEvidence(db: Db, limit = 100): Promise<EvidenceItem[]> {
  return (await listEvidenceItems(db, limit)).map(itemOf);
}

/** An officer opens an item: the view is a custody event. */
export async function viewEvidence(
  db: Db,
  context: ActorContext,
  id: string,
): Promise<{ item: EvidenceItem; custody: CustodyEntry[] }> {
  const row = await requireRow(db, id);
  await db.transaction().execute(async (trx) => recordCustodyEvent(trx, context, row.id, 'viewed'));
  return getEvidence(db, row.id);
}

/** Attaches an item to a case or a finding (modules to come call this); the attachment is a custody event. */
export async function attachEvidence(
  db: Db,
  context: ActorContext,
  id: string,
  references: { caseId?: string; findingId?: string },
): Promise<EvidenceItem> {
  const caseId = checkReference(references.caseId, 'case_id');
  const findingId = checkReference(references.findingId, 'finding_id');
  if (!caseId && !findingId) {
    throw invalidInput({ vi: 'Cần mã vụ việc hoặc mã phát hiện', en: 'a case or a finding is required' }, 'case_id');
  }
  return db.transaction().execute(async (trx) => {
    const row = isUuid(id) ? await lockEvidenceItem(trx, id) : undefined;
    if (!row) throw notFound(NOT_FOUND);
    // An item attached to one case (or finding) is not moved to another: that would rewrite what a file relied on.
    for (const [field, wanted, current] of [
      ['case_id', caseId, row.case_id],
      ['finding_id', findingId, row.finding_id],
    ] as const) {
      if (wanted && current && current !== wanted) {
        throw conflict(
          {
            vi: `Chứng cứ đã gắn với ${field === 'case_id' ? 'vụ việc' : 'phát hiện'} ${current}; không chuyển sang hồ sơ khác`,
            en: `the evidence is already attached to ${field === 'case_id' ? 'case' : 'finding'} ${current}; it is not moved`,
          },
          field,
        );
      }
    }
    const changes = { ...(caseId ? { case_id: caseId } : {}), ...(findingId ? { finding_id: findingId } : {}) };
    await setEvidenceReferences(trx, row.id, changes);
    await recordCustodyEvent(trx, context, row.id, 'attached', changes);
    return itemOf({ ...row, ...changes });
  });
}

// ---------------------------------------------------------------------------------------------------
// Verification

export interface FileCheck {
  /** The file's name, or `body` for the page's body inside the WARC. */
  name: string;
  path: string;
  expected: string;
  /** The hash now; null when the file (or the WARC's response record) is missing. */
  actual: string | null;
  ok: boolean;
}

export interface VerificationReport {
  id: string;
  ok: boolean;
  checks: FileCheck[];
}

/** Recomputes every hash of an item from the store (the body's from the WARC's response record). */
export async function checkEvidenceFiles(db: Db, storeDir: string, id: string): Promise<VerificationReport> {
  const row = await requireRow(db, id);
  const checks: FileCheck[] = [];
  let warc: Buffer | undefined;
  for (const file of filesOf(row)) {
    const bytes = readStoredFile(storeDir, file.path);
    if (file.name === WARC_FILE) warc = bytes;
    const actual = bytes ? sha256Hex(bytes) : null;
    checks.push({ ...file, expected: file.sha256, actual, ok: actual === file.sha256 });
  }
  let body: Buffer | undefined;
  try {
    body = warc ? await warcPayload(warc, row.final_record_id) : undefined;
  } catch {
    body = undefined; // an unreadable WARC: its own check already failed
  }
  const bodyActual = body ? sha256Hex(body) : null;
  checks.push({
    name: 'body',
    path: `${row.warc_path}#${row.final_record_id}`,
    expected: row.body_sha256,
    actual: bodyActual,
    ok: bodyActual === row.body_sha256,
  });
  return { id: row.id, ok: checks.every((check) => check.ok), checks };
}

/** `evidence verify`: the checks, recorded as a custody event with their outcome. */
export async function verifyEvidence(
  db: Db,
  storeDir: string,
  context: ActorContext,
  id: string,
): Promise<VerificationReport> {
  const report = await checkEvidenceFiles(db, storeDir, id);
  await db.transaction().execute(async (trx) =>
    recordCustodyEvent(trx, context, report.id, 'verified', {
      ok: report.ok,
      failed: report.checks.filter((check) => !check.ok).map((check) => check.name),
    }),
  );
  return report;
}
