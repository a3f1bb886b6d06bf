import { type AuditEvent, listAuditEvents, recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { AppError, conflict, invalidInput, notFound } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { type DeadlineStatus, deadlineStatus, type WorkingCalendar } from '../../core/working-days.ts';
import { procedureDeadline, procedureWorkingDays } from '../procedures/index.ts';
import { isUniqueViolation } from './accounts.service.ts';
import type { ClaimStatus } from './accounts.table.ts';
import {
  type ClaimRow,
  findClaimDocument,
  findClaimRow,
  insertClaimDocument,
  listClaimRowsByStatus,
  listClaimRowsOfTaxCodes,
  lockClaim,
  lockClaimsOfTaxCode,
  supersedeOpenClaims,
  updateClaimRow,
} from './organisations.repository.ts';

/**
 * Who owns an organisation (issue 9). A business account's organisation is a claim: the name and tax code it signed
 * up with, which an officer of the E-Commerce Agency verifies from the enterprise registration certificate (ERC) the
 * account files, as the online.gov.vn portal does. Until then the account can do nothing for the organisation (the
 * `business` grant of permissions.ts). Several accounts may claim one tax code; verifying one supersedes the others,
 * and the database allows one verified claim per tax code (a partial unique index), whatever runs at the same time.
 *
 * unverified → submitted → verified | rejected | supplement_requested (→ submitted again, the clock restarts);
 * any open claim → superseded when another claim of its tax code is verified.
 */

/**
 * Working days the officer has to decide on a claim: the period of the procedure `account_verification` in the table
 * of procedures (module `procedures`, the row in force on the day of `at`), which cites its provision.
 */
export async function accountVerificationWorkingDays(db: Db, at: Date = new Date()): Promise<number> {
  return procedureWorkingDays(db, 'account_verification', at);
}
/** An ERC file: a scan or the PDF of the business registration portal. */
export const MAX_ERC_FILE_BYTES = 5 * 1024 * 1024;

export type ErcContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The file types an ERC may be, by their first bytes (never by the name or the declared type). */
const SIGNATURES: ReadonlyArray<{ type: ErcContentType; bytes: readonly number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export function detectErcFileType(content: Buffer): ErcContentType | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((byte, index) => content[index] === byte))?.type;
}

/** The form's field of the file, named by the errors about it. */
export const ERC_FILE_FIELD = 'erc_file';

export const DECISIONS = ['verify', 'reject', 'request_supplement'] as const;
export type ClaimDecision = (typeof DECISIONS)[number];

export const ERC_FILE_MISSING: Localized = {
  vi: 'Hãy chọn tệp Giấy chứng nhận đăng ký doanh nghiệp (PDF, JPEG hoặc PNG).',
  en: 'Choose the file of the enterprise registration certificate (PDF, JPEG or PNG).',
};

const TEXT = {
  noClaim: { vi: 'Không có hồ sơ xác minh tổ chức {id}.', en: 'No organisation claim {id}.' },
  fileType: {
    vi: 'Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên). Hãy tải lên bản quét hoặc tệp PDF của Giấy chứng nhận.',
    en: 'The file “{name}” is not a PDF, JPEG or PNG (judged by its content, not its name). Upload a scan or the PDF of the certificate.',
  },
  fileSize: {
    vi: 'Tệp Giấy chứng nhận tối đa 5 MB.',
    en: 'The certificate file can be at most 5 MB.',
  },
  cannotFile: {
    vi: 'Không thể nộp lúc này: hồ sơ xác minh đang ở trạng thái “{status}”.',
    en: 'Cannot file now: the claim is {status}.',
  },
  notSubmitted: {
    vi: 'Hồ sơ này không còn chờ xác minh (trạng thái “{status}”); có thể một cán bộ khác vừa xử lý. Hãy tải lại trang.',
    en: 'This claim is no longer waiting for a decision (it is {status}); another officer may have just decided. Reload the page.',
  },
  alreadyVerified: {
    vi: 'Mã số doanh nghiệp {tax_code} đã có một tài khoản được xác minh là chủ sở hữu; không thể xác minh thêm tài khoản khác.',
    en: 'Tax code {tax_code} already has a verified owner account; another cannot be verified.',
  },
  issuedInFuture: {
    vi: 'Ngày cấp không thể sau hôm nay.',
    en: 'The date of issue cannot be after today.',
  },
  reasonRequired: {
    vi: 'Hãy nêu lý do (từ chối) hoặc nội dung cần bổ sung.',
    en: 'Give the reasons (refusal) or what is missing (supplement request).',
  },
} satisfies Record<string, Localized>;

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, Localized> = {
  unverified: { vi: 'Chưa nộp hồ sơ xác minh', en: 'Not filed yet' },
  submitted: { vi: 'Đang chờ xác minh', en: 'Awaiting verification' },
  verified: { vi: 'Đã xác minh', en: 'Verified' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected' },
  supplement_requested: { vi: 'Yêu cầu bổ sung', en: 'Supplement requested' },
  superseded: { vi: 'Đã có chủ sở hữu khác được xác minh', en: 'Superseded by another verified owner' },
};

export interface ClaimDocument {
  id: string;
  filename: string;
  content_type: string;
  byte_size: number;
  sha256: string;
}

/** A claim as the pages and the API show it. */
export type OrganisationClaim = Pick<
  ClaimRow,
  | 'id'
  | 'name'
  | 'tax_code'
  | 'status'
  | 'erc_number'
  | 'erc_issued_on'
  | 'erc_issuer'
  | 'representative_name'
  | 'representative_title'
  | 'decided_by'
  | 'decision_reason'
  | 'account_id'
  | 'account_email'
> & {
  document: ClaimDocument | null;
  submitted_at: string | null;
  /** Last day (Vietnam) for the decision, while submitted. */
  due_on: string | null;
  deadline_status: DeadlineStatus | null;
  decided_at: string | null;
};

/** A claim in the officers' queue, with the other claims of its tax code. */
export interface QueuedClaim extends OrganisationClaim {
  competing: OrganisationClaim[];
}

function claimOfRow(row: ClaimRow, now: Date): OrganisationClaim {
  return {
    id: row.id,
    name: row.name,
    tax_code: row.tax_code,
    status: row.status,
    erc_number: row.erc_number,
    erc_issued_on: row.erc_issued_on,
    erc_issuer: row.erc_issuer,
    representative_name: row.representative_name,
    representative_title: row.representative_title,
    document:
      row.document_id && row.document_filename && row.document_content_type && row.document_sha256
        ? {
            id: row.document_id,
            filename: row.document_filename,
            content_type: row.document_content_type,
            byte_size: row.document_byte_size ?? 0,
            sha256: row.document_sha256,
          }
        : null,
    submitted_at: row.submitted_at?.toISOString() ?? null,
    due_on: row.status === 'submitted' ? row.due_on : null,
    deadline_status: row.status === 'submitted' && row.due_on ? deadlineStatus(row.due_on, now) : null,
    decided_at: row.decided_at?.toISOString() ?? null,
    decided_by: row.decided_by,
    decision_reason: row.decision_reason,
    account_id: row.account_id,
    account_email: row.account_email,
  };
}

function noSuchClaim(id: string): AppError {
  return notFound(fill(TEXT.noClaim, { id }));
}

export async function getClaim(db: Db, id: string, now = new Date()): Promise<OrganisationClaim> {
  const row = await findClaimRow(db, id);
  if (!row) throw noSuchClaim(id);
  return claimOfRow(row, now);
}

/** A claim with the other claims of its tax code (for the officer's page). */
export async function getQueuedClaim(db: Db, id: string, now = new Date()): Promise<QueuedClaim> {
  return (await withCompeting(db, [await getClaim(db, id, now)], now))[0] as QueuedClaim;
}

async function withCompeting(db: Db, claims: OrganisationClaim[], now: Date): Promise<QueuedClaim[]> {
  const all = await listClaimRowsOfTaxCodes(
    db,
    claims.map((claim) => claim.tax_code),
  );
  return claims.map((claim) => ({
    ...claim,
    competing: all
      .filter((row) => row.tax_code === claim.tax_code && row.id !== claim.id)
      .map((row) => claimOfRow(row, now)),
  }));
}

/** Submitted claims, the nearest due day first, each with the other claims of its tax code. */
export async function listClaimQueue(
  db: Db,
  filter: { status?: ClaimStatus | 'open' | undefined } = {},
  now = new Date(),
): Promise<QueuedClaim[]> {
  const statuses: ClaimStatus[] =
    filter.status === undefined || filter.status === 'open' ? ['submitted', 'supplement_requested'] : [filter.status];
  const rows = await listClaimRowsByStatus(db, statuses);
  return withCompeting(
    db,
    rows.map((row) => claimOfRow(row, now)),
    now,
  );
}

/** What happened to a claim, newest first (from the audit trail). */
export async function listClaimHistory(db: Db, id: string): Promise<AuditEvent[]> {
  return listAuditEvents(db, { entityType: 'account_organisation', entityId: id }, { limit: 100 });
}

export interface ErcFiling {
  ercNumber: string;
  /** YYYY-MM-DD. */
  ercIssuedOn: string;
  ercIssuer: string;
  representativeName: string;
  representativeTitle: string;
  file: { filename: string; content: Buffer } | undefined;
}

const FILABLE: readonly ClaimStatus[] = ['unverified', 'rejected', 'supplement_requested'];

/** The file's type by its first bytes, within the size limit; errors name the form's file field. */
function checkErcFile(file: ErcFiling['file']): { filename: string; content: Buffer; contentType: ErcContentType } {
  if (!file || file.content.length === 0) throw invalidInput(ERC_FILE_MISSING, ERC_FILE_FIELD);
  if (file.content.length > MAX_ERC_FILE_BYTES) {
    throw new AppError('payload_too_large', TEXT.fileSize, { field: ERC_FILE_FIELD });
  }
  const contentType = detectErcFileType(file.content);
  if (!contentType) {
    throw invalidInput(fill(TEXT.fileType, { name: file.filename.slice(0, 120) || '—' }), ERC_FILE_FIELD);
  }
  const filename = file.filename.replace(/[\\/]/g, '_').slice(0, 200) || 'erc';
  return { filename, content: file.content, contentType };
}

/**
 * Files (or refiles) the ERC of the account's organisation: the claim becomes `submitted` and the officer's
 * period (the table of procedures: `account_verification`) starts from now (again, after a refusal or a supplement request).
 */
export async function fileOrganisationClaim(
  db: Db,
  context: ActorContext,
  organisationId: string,
  filing: ErcFiling,
  options: { now?: Date; calendar?: WorkingCalendar } = {},
): Promise<OrganisationClaim> {
  const file = checkErcFile(filing.file);
  const now = options.now ?? new Date();
  if (filing.ercIssuedOn > todayInVietnam(now)) throw invalidInput(TEXT.issuedInFuture, 'erc_issued_on');
  const deadline = await procedureDeadline(db, 'account_verification', now, { calendar: options.calendar });
  const sha256 = sha256Hex(file.content);
  await db.transaction().execute(async (trx) => {
    const current = await lockClaim(trx, organisationId);
    if (!current) throw noSuchClaim(organisationId);
    if (!FILABLE.includes(current.status)) {
      throw conflict(fill(TEXT.cannotFile, { status: CLAIM_STATUS_LABELS[current.status].vi }));
    }
    const documentId = await insertClaimDocument(trx, {
      organisation_id: organisationId,
      filename: file.filename,
      content_type: file.contentType,
      byte_size: file.content.length,
      sha256,
      content: file.content,
    });
    const values = {
      erc_number: filing.ercNumber,
      erc_issued_on: filing.ercIssuedOn,
      erc_issuer: filing.ercIssuer,
      representative_name: filing.representativeName,
      representative_title: filing.representativeTitle,
    };
    await updateClaimRow(trx, organisationId, {
      ...values,
      status: 'submitted',
      document_id: documentId,
      submitted_at: now,
      due_on: deadline.dueOn,
      decided_at: null,
      decided_by: null,
      // The officer's last reasons stay in the audit trail; the new filing answers them.
      decision_reason: null,
    });
    await recordAuditEvent(trx, context, {
      action: current.status === 'unverified' ? 'organisation.claim_submitted' : 'organisation.claim_resubmitted',
      entityType: 'account_organisation',
      entityId: organisationId,
      changes: {
        status: [current.status, 'submitted'],
        ...values,
        document: { id: documentId, filename: file.filename, content_type: file.contentType, sha256 },
        due_on: deadline.dueOn,
      },
    });
  });
  return getClaim(db, organisationId, now);
}

/**
 * An officer's decision on a submitted claim. Verifying one claim of a tax code supersedes the other open ones in the
 * same transaction; the claims of the tax code are locked first, so that of two decisions at the same moment the
 * second sees the first's outcome, and the unique index of verified claims is the last guard.
 */
export async function decideClaim(
  db: Db,
  context: ActorContext,
  id: string,
  decision: { decision: ClaimDecision; reason?: string | undefined },
): Promise<OrganisationClaim> {
  const reason = decision.reason?.trim() || undefined;
  if (decision.decision !== 'verify' && !reason) {
    throw invalidInput(TEXT.reasonRequired, 'reason');
  }
  try {
    await db.transaction().execute(async (trx) => {
      const claim = await findClaimRow(trx, id);
      if (!claim) throw noSuchClaim(id);
      const locked = await lockClaimsOfTaxCode(trx, claim.tax_code);
      const status = locked.find((row) => row.id === id)?.status ?? claim.status;
      if (status !== 'submitted') {
        throw conflict(fill(TEXT.notSubmitted, { status: CLAIM_STATUS_LABELS[status].vi }));
      }
      if (decision.decision === 'verify' && locked.some((row) => row.status === 'verified')) {
        throw conflict(fill(TEXT.alreadyVerified, { tax_code: claim.tax_code }));
      }
      const next: ClaimStatus =
        decision.decision === 'verify'
          ? 'verified'
          : decision.decision === 'reject'
            ? 'rejected'
            : 'supplement_requested';
      await setClaimStatus(trx, context, claim.id, claim.tax_code, { from: status, to: next, reason });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(fill(TEXT.alreadyVerified, { tax_code: (await findClaimRow(db, id))?.tax_code ?? '' }));
    }
    throw error;
  }
  return getClaim(db, id);
}

async function setClaimStatus(
  trx: Db,
  context: ActorContext,
  id: string,
  taxCode: string,
  change: { from: ClaimStatus; to: ClaimStatus; reason: string | undefined },
): Promise<void> {
  await updateClaimRow(trx, id, {
    status: change.to,
    decided_at: new Date(),
    decided_by: context.actor,
    decision_reason: change.reason ?? null,
    due_on: null,
  });
  const action =
    change.to === 'verified'
      ? 'organisation.claim_verified'
      : change.to === 'rejected'
        ? 'organisation.claim_rejected'
        : 'organisation.claim_supplement_requested';
  await recordAuditEvent(trx, context, {
    action,
    entityType: 'account_organisation',
    entityId: id,
    changes: { status: [change.from, change.to], tax_code: taxCode, reason: change.reason ?? null },
  });
  if (change.to !== 'verified') return;
  for (const supersededId of await supersedeOpenClaims(trx, taxCode, id)) {
    await recordAuditEvent(trx, context, {
      action: 'organisation.claim_superseded',
      entityType: 'account_organisation',
      entityId: supersededId,
      changes: { status: [null, 'superseded'], tax_code: taxCode, verified_claim: id },
    });
  }
}

/**
 * Marks a claim verified without the queue: for set-up (tests, demo data, an organisation an administrator vouches
 * for). Same rules as an officer's verification: other open claims are superseded, one verified claim per tax code.
 */
export async function verifyOrganisationForSetup(db: Db, context: ActorContext, organisationId: string): Promise<void> {
  let taxCode = '';
  try {
    await db.transaction().execute(async (trx) => {
      const claim = await lockClaim(trx, organisationId);
      if (!claim) throw noSuchClaim(organisationId);
      taxCode = claim.tax_code;
      if (claim.status === 'verified') return;
      await lockClaimsOfTaxCode(trx, claim.tax_code);
      await setClaimStatus(trx, context, organisationId, claim.tax_code, {
        from: claim.status,
        to: 'verified',
        reason: undefined,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(fill(TEXT.alreadyVerified, { tax_code: taxCode }));
    throw error;
  }
}

/** The ERC file of a claim as filed last. */
export async function getClaimDocument(
  db: Db,
  claimId: string,
): Promise<{ filename: string; content_type: string; content: Buffer }> {
  const claim = await findClaimRow(db, claimId);
  const document = claim?.document_id ? await findClaimDocument(db, claim.document_id) : undefined;
  if (!document) throw noSuchClaim(claimId);
  return { filename: document.filename, content_type: document.content_type, content: document.content };
}
