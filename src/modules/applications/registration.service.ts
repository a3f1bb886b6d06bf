/**
 * Decisions on a registration (a platform of the register), which the law gives to the E-Commerce Agency (Decree
 * 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP; Circular 47/2014/TT-BCT): suspension, cancellation (hủy bỏ) on
 * one or more grounds of Circular 47 Art. 18 (rows of `cancellation_grounds`), reinstatement, and termination
 * (chấm dứt) at the owner's request. Inspection and market-surveillance units file proposals to cancel or suspend,
 * and businesses request termination (`registration_requests`); the Agency accepts (the decision, with the proposer
 * recorded) or declines with a reason. Each decision writes the action, the status history (through
 * `setPlatformStatus`), an e-mail to the applicant of its latest approved application and the audit event, in one
 * transaction.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { AppError, conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';
import { type DeadlineStatus, deadlineStatus } from '../../core/working-days.ts';
import { procedureDeadline } from '../procedures/index.ts';
import {
  getPlatform,
  getStatusHistory,
  type Platform,
  type PlatformStatus,
  setPlatformStatus,
  statusLabel,
} from '../registry/index.ts';
import type { MailStep } from './applications.mail.ts';
import { insertRegistrationAction, listApplicationRowsOfPlatform } from './applications.repository.ts';
import {
  type ApplicationsContext,
  cleanNote,
  nowOf,
  queueMail,
  type RegistrationAction,
  writeThenSendMail,
} from './applications.service.ts';
import {
  closeRegistrationRequest,
  findRegistrationRequest,
  insertRegistrationRequest,
  listRegistrationRequestRows,
  lockRegistrationRequest,
  type RegistrationRequestRow,
} from './decisions.repository.ts';
import type { RegistrationRequestKind, RegistrationRequestStatus } from './decisions.table.ts';
import { type LegalGround, listGroundsInForce } from './legal-grounds.ts';

const ACTION_TARGET: Record<Exclude<RegistrationAction, 'reinstate'>, PlatformStatus> = {
  suspend: 'suspended',
  cancel: 'revoked',
  terminate: 'terminated',
};

/** The statuses each decision may be taken from. */
export const ALLOWED_FROM: Record<RegistrationAction, ReadonlySet<string>> = {
  suspend: new Set(['notified', 'registered']),
  cancel: new Set(['notified', 'registered', 'suspended', 'expired']),
  reinstate: new Set(['suspended']),
  terminate: new Set(['notified', 'registered', 'suspended', 'expired']),
};

const MAIL_STEP: Record<RegistrationAction, MailStep> = {
  suspend: 'suspended',
  cancel: 'cancelled',
  reinstate: 'reinstated',
  terminate: 'terminated',
};

const ACTION_VERB: Record<RegistrationAction, Localized> = {
  suspend: { vi: 'đình chỉ hoạt động', en: 'suspended' },
  cancel: { vi: 'hủy bỏ', en: 'cancelled' },
  reinstate: { vi: 'khôi phục', en: 'reinstated' },
  terminate: { vi: 'chấm dứt', en: 'terminated' },
};

// ---------------------------------------------------------------------------------------------------
// Grounds of cancellation

/**
 * The chosen grounds, checked: at least one, each a ground in force today, no repeats. Refusals name the field
 * `grounds`.
 */
async function groundsInForce(db: Db, codes: readonly string[], now: Date): Promise<LegalGround[]> {
  const unique = [...new Set(codes.map((code) => code.trim()).filter((code) => code !== ''))];
  if (unique.length === 0) {
    throw invalidInput(
      {
        vi: 'Chưa chọn căn cứ hủy bỏ (Điều 18 Thông tư 47/2014/TT-BCT): chọn ít nhất một.',
        en: 'choose at least one ground of cancellation (Circular 47/2014/TT-BCT Art. 18)',
      },
      'grounds',
    );
  }
  const inForce = new Map((await listGroundsInForce(db, 'cancellation', now)).map((ground) => [ground.code, ground]));
  const unknown = unique.filter((code) => !inForce.has(code));
  if (unknown.length > 0) {
    throw invalidInput(
      {
        vi: `Căn cứ hủy bỏ không có hoặc không còn hiệu lực: ${unknown.join(', ')}`,
        en: `not a ground of cancellation in force: ${unknown.join(', ')}`,
      },
      'grounds',
    );
  }
  return unique.map((code) => inForce.get(code) as LegalGround);
}

function legalBasisOfGrounds(grounds: readonly LegalGround[]): string {
  return [...new Set(grounds.map((ground) => ground.provision))].join('; ');
}

/** "Hủy bỏ theo: <ground> (<provision>); …" for the status history, in Vietnamese as the register keeps it. */
function historyReason(action: RegistrationAction, reason: string, legalBasis: string, grounds: LegalGround[]) {
  if (action !== 'cancel') return `${reason} (${legalBasis})`;
  const named = grounds.map((ground) => `${ground.label.vi} [${ground.code}]`).join('; ');
  return `${reason} — Căn cứ hủy bỏ: ${named} (${legalBasis})`;
}

// ---------------------------------------------------------------------------------------------------
// Decisions

export interface DecisionDetails {
  /** The officer's note: why (required). */
  reason: string;
  /** For a suspension or reinstatement: the instrument and article (required). A cancellation's comes from its grounds. */
  legalBasis?: string | undefined;
  /** For a cancellation: codes of `cancellation_grounds` (at least one). */
  grounds?: readonly string[] | undefined;
}

/** The request a decision accepts, recorded with it. */
interface AcceptedRequest {
  id: string;
  requestedBy: string;
  requesterUnit: string | null;
}

async function decide(
  trx: Db,
  context: ApplicationsContext,
  platformId: string,
  action: RegistrationAction,
  details: DecisionDetails,
  actor: ActorContext,
  request?: AcceptedRequest,
): Promise<Platform> {
  const reason = cleanNote(details.reason, 'reason', { vi: 'lý do', en: 'the reason' });
  const grounds = action === 'cancel' ? await groundsInForce(trx, details.grounds ?? [], nowOf(context)) : [];
  const legalBasis =
    action === 'cancel'
      ? legalBasisOfGrounds(grounds)
      : action === 'terminate'
        ? 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP); Thông tư 47/2014/TT-BCT — chấm dứt theo đề nghị của thương nhân, tổ chức'
        : cleanNote(details.legalBasis ?? '', 'legal_basis', { vi: 'căn cứ pháp lý', en: 'the legal basis' });
  const before = await getPlatform(trx, platformId, { lock: true });
  if (!ALLOWED_FROM[action].has(before.status)) {
    throw conflict({
      vi: `Không thể ${ACTION_VERB[action].vi} đăng ký đang ở tình trạng “${statusLabel(before.status).vi}”`,
      en: `a ${before.status} registration cannot be ${ACTION_VERB[action].en}`,
    });
  }
  let target: PlatformStatus;
  if (action === 'reinstate') {
    const history = await getStatusHistory(trx, platformId);
    const suspension = history.filter((change) => change.to_status === 'suspended').at(-1);
    target = suspension?.from_status ?? (before.kind === 'sales' ? 'notified' : 'registered');
    if (before.valid_until && before.valid_until < todayInVietnam(nowOf(context))) target = 'expired';
  } else {
    target = ACTION_TARGET[action];
  }
  await setPlatformStatus(trx, platformId, target, historyReason(action, reason, legalBasis, grounds), actor);
  await insertRegistrationAction(trx, {
    platform_id: platformId,
    action,
    reason,
    legal_basis: legalBasis,
    grounds: grounds.map((ground) => ground.code),
    request_id: request?.id ?? null,
    actor: actor.actor,
  });
  const latest = (await listApplicationRowsOfPlatform(trx, platformId)).find((row) => row.status === 'approved');
  if (latest) {
    await queueMail(trx, context, latest, MAIL_STEP[action], {
      note: action === 'cancel' ? `${reason}\n${grounds.map((ground) => `- ${ground.label.vi}`).join('\n')}` : reason,
      legalBasis,
      registrationNo: before.registration_no,
      siteName: before.name,
    });
  }
  await recordAuditEvent(trx, actor, {
    action: `registration.${action}`,
    entityType: 'platform',
    entityId: platformId,
    changes: {
      status: [before.status, target],
      reason,
      legal_basis: legalBasis,
      ...(action === 'cancel' ? { grounds: grounds.map((ground) => ground.code) } : {}),
      ...(request
        ? { request_id: request.id, requested_by: request.requestedBy, requester_unit: request.requesterUnit }
        : {}),
      registration_no: before.registration_no,
    },
  });
  return getPlatform(trx, platformId);
}

/**
 * Suspends, cancels or reinstates a registration; takes effect at commit (the check index and the badge follow the
 * register's notification). A cancellation rests on at least one ground in force (refused naming `grounds`
 * otherwise); a suspension or reinstatement on a legal basis the officer writes. A reinstated registration returns
 * to the status it had before the suspension, or to expired when its validity ended meanwhile. The platform's row
 * is locked before its status is checked: of a cancellation and a reinstatement made at once, the second is refused
 * instead of undoing the first. Termination is only ever the acceptance of the owner's request.
 */
export async function changeRegistrationStatus(
  context: ApplicationsContext,
  platformId: string,
  action: Exclude<RegistrationAction, 'terminate'>,
  details: DecisionDetails,
  actor: ActorContext,
): Promise<Platform> {
  return writeThenSendMail(context, (trx) => decide(trx, context, platformId, action, details, actor));
}

// ---------------------------------------------------------------------------------------------------
// Requests: terminations by the owner, proposals by inspection and market-surveillance units

export interface RegistrationRequest {
  id: string;
  platform_id: string;
  platform_name: string;
  registration_no: string | null;
  platform_status: PlatformStatus;
  kind: RegistrationRequestKind;
  status: RegistrationRequestStatus;
  grounds: string[];
  note: string;
  evidence: string | null;
  requested_by: string;
  requester_unit: string | null;
  created_at: string;
  /** A termination request's due day (the Agency's clock); null for proposals. */
  due_on: string | null;
  /** Where the clock stands while the request waits; null once decided or without a clock. */
  deadline_status: DeadlineStatus | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

async function requestOf(
  db: Db,
  row: RegistrationRequestRow,
  platformOf: (id: string) => Promise<Platform> = (id) => getPlatform(db, id),
): Promise<RegistrationRequest> {
  const platform = await platformOf(row.platform_id);
  return {
    id: row.id,
    platform_id: row.platform_id,
    platform_name: platform.name,
    registration_no: platform.registration_no,
    platform_status: platform.status,
    kind: row.kind,
    status: row.status,
    grounds: row.grounds,
    note: row.note,
    evidence: row.evidence,
    requested_by: row.requested_by,
    requester_unit: row.requester_unit,
    created_at: row.created_at.toISOString(),
    due_on: row.due_on,
    deadline_status: row.due_on && row.status === 'pending' ? deadlineStatus(row.due_on) : null,
    decided_by: row.decided_by,
    decided_at: row.decided_at?.toISOString() ?? null,
    decision_reason: row.decision_reason,
  };
}

export async function listRegistrationRequests(
  db: Db,
  filter: { status?: RegistrationRequestStatus; platformId?: string },
): Promise<RegistrationRequest[]> {
  const rows = await listRegistrationRequestRows(db, filter);
  // A platform's page lists all its requests: read each platform once, not once per request.
  const platforms = new Map<string, Promise<Platform>>();
  const platformOf = (id: string) => {
    let platform = platforms.get(id);
    if (!platform) {
      platform = getPlatform(db, id);
      platforms.set(id, platform);
    }
    return platform;
  };
  return Promise.all(rows.map((row) => requestOf(db, row, platformOf)));
}

export async function getRegistrationRequest(db: Db, id: string): Promise<RegistrationRequest> {
  const row = await findRegistrationRequest(db, id);
  if (!row) throw notFound({ vi: 'Không có đề nghị này', en: `no request with id ${id}` });
  return requestOf(db, row);
}

const REQUEST_ACTION: Record<RegistrationRequestKind, Exclude<RegistrationAction, 'reinstate'>> = {
  termination: 'terminate',
  cancellation: 'cancel',
  suspension: 'suspend',
};

const KIND_NAME: Record<RegistrationRequestKind, Localized> = {
  termination: { vi: 'đề nghị chấm dứt', en: 'termination request' },
  cancellation: { vi: 'đề xuất hủy bỏ', en: 'proposal to cancel' },
  suspension: { vi: 'đề xuất đình chỉ hoạt động', en: 'proposal to suspend' },
};

function cleanOptional(text: string | undefined, field: string, label: Localized): string | null {
  const cleaned = toNfc(text ?? '')
    .replace(/\r\n/g, '\n')
    .trim();
  return cleaned === '' ? null : cleanNote(cleaned, field, label);
}

async function fileRequest(
  context: ApplicationsContext,
  platformId: string,
  kind: RegistrationRequestKind,
  values: {
    note: string;
    evidence?: string | undefined;
    grounds?: readonly string[] | undefined;
    requesterUnit: string | null;
    requesterOrganisationId: string | null;
    /** Refuses when the requester may not ask this of this platform (a business not its owner). */
    mayAsk?: (platform: Platform) => boolean;
  },
  actor: ActorContext,
): Promise<RegistrationRequest> {
  const note = cleanNote(values.note, 'note', { vi: 'nội dung đề nghị', en: 'the note' });
  const evidence = cleanOptional(values.evidence, 'evidence', { vi: 'chứng cứ', en: 'the evidence' });
  return writeThenSendMail(context, async (trx) => {
    const grounds = kind === 'cancellation' ? await groundsInForce(trx, values.grounds ?? [], nowOf(context)) : [];
    const platform = await getPlatform(trx, platformId, { lock: true });
    if (values.mayAsk && !values.mayAsk(platform)) {
      throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    }
    const action = REQUEST_ACTION[kind];
    if (!ALLOWED_FROM[action].has(platform.status)) {
      throw conflict({
        vi: `Không thể gửi ${KIND_NAME[kind].vi} cho đăng ký đang ở tình trạng “${statusLabel(platform.status).vi}”`,
        en: `a ${kind} request cannot be filed for a ${platform.status} registration`,
      });
    }
    const open = await listRegistrationRequestRows(trx, { status: 'pending', platformId });
    if (open.some((row) => row.kind === kind)) {
      throw conflict({
        vi: `Đã có ${KIND_NAME[kind].vi} đang chờ Cục Thương mại điện tử và Kinh tế số xử lý`,
        en: `a ${kind} request for this platform is already waiting for the E-Commerce Agency`,
      });
    }
    const id = await insertRegistrationRequest(trx, {
      platform_id: platformId,
      kind,
      grounds: grounds.map((ground) => ground.code),
      note,
      evidence,
      requested_by: actor.actor,
      requester_unit: values.requesterUnit,
      requester_organisation_id: values.requesterOrganisationId,
      // The law gives the Agency a period to confirm a termination (table of procedures); proposals have none.
      due_on: kind === 'termination' ? (await procedureDeadline(trx, 'termination', nowOf(context))).dueOn : null,
    });
    await recordAuditEvent(trx, actor, {
      action: `registration_request.${kind}`,
      entityType: 'registration_request',
      entityId: id,
      changes: {
        platform_id: platformId,
        registration_no: platform.registration_no,
        note,
        evidence,
        ...(kind === 'cancellation' ? { grounds: grounds.map((ground) => ground.code) } : {}),
        requester_unit: values.requesterUnit,
      },
    });
    return getRegistrationRequest(trx, id);
  });
}

/**
 * The owner of a notified or registered platform asks the E-Commerce Agency to terminate it (chấm dứt). Only the
 * organisation whose tax code the register holds for the platform may ask; to anyone else the platform does not
 * exist.
 */
export async function requestTermination(
  context: ApplicationsContext,
  applicant: { organisationId: string; organisationTaxCode: string },
  platformId: string,
  note: string,
  actor: ActorContext,
): Promise<RegistrationRequest> {
  return fileRequest(
    context,
    platformId,
    'termination',
    {
      note,
      requesterUnit: null,
      requesterOrganisationId: applicant.organisationId,
      mayAsk: (platform) => isOwner(platform, applicant.organisationTaxCode),
    },
    actor,
  );
}

/** The organisation of this tax code holds the platform (a branch's code `0101234567-001` counts as its main one's). */
export function isOwner(platform: Platform, taxCode: string): boolean {
  const main = (code: string | null | undefined) => code?.split('-')[0];
  const own = main(platform.organisation?.tax_code);
  return own !== undefined && own === main(taxCode);
}

/**
 * An inspection or market-surveillance unit proposes that the Agency cancel (with its grounds) or suspend a
 * registration, with a note and the evidence it holds. Nothing changes on the register until the Agency accepts.
 */
export async function proposeDecision(
  context: ApplicationsContext,
  proposer: { unitId: string },
  platformId: string,
  kind: 'cancellation' | 'suspension',
  values: { note: string; evidence?: string | undefined; grounds?: readonly string[] | undefined },
  actor: ActorContext,
): Promise<RegistrationRequest> {
  return fileRequest(
    context,
    platformId,
    kind,
    { ...values, requesterUnit: proposer.unitId, requesterOrganisationId: null },
    actor,
  );
}

/** What the deciding officer may decide: `cancel` and `suspend` only with `registrations:decide`. */
export interface DecidingOfficer {
  mayDecide: boolean;
}

const MAY_NOT_DECIDE: Localized = {
  vi: 'Chỉ lãnh đạo Cục Thương mại điện tử và Kinh tế số quyết định hủy bỏ, đình chỉ hoạt động.',
  en: 'Only heads of the E-Commerce and Digital Economy Agency decide cancellations and suspensions.',
};

async function lockPendingRequest(trx: Db, id: string, officer: DecidingOfficer): Promise<RegistrationRequestRow> {
  const row = await lockRegistrationRequest(trx, id);
  if (!row) throw notFound({ vi: 'Không có đề nghị này', en: `no request with id ${id}` });
  if (row.kind !== 'termination' && !officer.mayDecide) throw new AppError('forbidden', MAY_NOT_DECIDE);
  if (row.status !== 'pending') {
    throw conflict({ vi: 'Đề nghị này đã được xử lý', en: `the request is ${row.status} already` });
  }
  return row;
}

/**
 * The Agency accepts a request: the termination, cancellation (on the proposal's grounds) or suspension is decided
 * as if made directly, with the request and its proposer recorded in the action, the history and the audit. A
 * suspension needs the deciding officer's legal basis.
 */
export async function acceptRegistrationRequest(
  context: ApplicationsContext,
  id: string,
  details: { reason?: string | undefined; legalBasis?: string | undefined },
  officer: DecidingOfficer,
  actor: ActorContext,
): Promise<RegistrationRequest> {
  return writeThenSendMail(context, async (trx) => {
    const row = await lockPendingRequest(trx, id, officer);
    const extra = toNfc(details.reason ?? '').trim();
    await decide(
      trx,
      context,
      row.platform_id,
      REQUEST_ACTION[row.kind],
      {
        reason: extra === '' ? row.note : `${row.note}\n${extra}`,
        legalBasis: details.legalBasis,
        grounds: row.grounds,
      },
      actor,
      { id: row.id, requestedBy: row.requested_by, requesterUnit: row.requester_unit },
    );
    await closeRegistrationRequest(trx, id, {
      status: 'accepted',
      decided_by: actor.actor,
      decision_reason: extra === '' ? null : extra,
    });
    return getRegistrationRequest(trx, id);
  });
}

/** The Agency declines a request, with the reason the requester is shown. */
export async function declineRegistrationRequest(
  context: ApplicationsContext,
  id: string,
  reason: string,
  officer: DecidingOfficer,
  actor: ActorContext,
): Promise<RegistrationRequest> {
  const cleaned = cleanNote(reason, 'reason', { vi: 'lý do', en: 'the reason' });
  return writeThenSendMail(context, async (trx) => {
    const row = await lockPendingRequest(trx, id, officer);
    await closeRegistrationRequest(trx, id, { status: 'declined', decided_by: actor.actor, decision_reason: cleaned });
    await recordAuditEvent(trx, actor, {
      action: 'registration_request.decline',
      entityType: 'registration_request',
      entityId: id,
      changes: {
        status: ['pending', 'declined'],
        kind: row.kind,
        platform_id: row.platform_id,
        requested_by: row.requested_by,
        requester_unit: row.requester_unit,
        reason: cleaned,
      },
    });
    return getRegistrationRequest(trx, id);
  });
}
