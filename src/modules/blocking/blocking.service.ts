/**
 * The blocking workflow (issue 11): a request to block a platform of the register goes
 * proposed (E-Commerce Agency) → approved or returned (Legal Affairs Department; a returned request is amended and
 * proposed again) → decided (the decision's number and date, its effective dates) → active (the platform's register
 * status becomes `blocked` through `registry`'s `setPlatformStatus`) → lifted (complied, appeal granted, expired: the
 * status before the block comes back). Who may take each step is the permission matrix's (the routes name it); which
 * step may follow which is this file's. Every step is an audit event of `block_request` in the transaction of the
 * change. The public appeals of an active block (`block_appeal`) get a reference and the deadlines of the Law on
 * Complaints from the table of procedures (`appeal_acceptance`, `appeal_resolution`).
 */
import { randomBytes } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import { type Database, type Db, notifyChannel } from '../../core/db.ts';
import { isDecisionNo, normalizeDecisionNo } from '../../core/decision-no.ts';
import { AppError, conflict, type FieldIssue, invalidInput, notFound } from '../../core/errors.ts';
import { parentDomains, tryNormalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import { toNfc } from '../../core/text.ts';
import { describeEvidence } from '../evidence/index.ts';
import { procedureDeadline } from '../procedures/index.ts';
import {
  findIdentityOwners,
  findPlatformByRegistrationNo,
  getStatusHistory,
  loadPlatformSnapshotsByIds,
  normalizeAndroidAppId,
  normalizeIosAppId,
  PLATFORM_STATUSES,
  type PlatformSnapshot,
  type PlatformStatus,
  REGISTRY_CHANGED_CHANNEL,
  setPlatformStatus,
} from '../registry/index.ts';
import {
  type DecisionToPublish,
  decisionTargetOfPlatform,
  endPublishedDecision,
  publishDecision,
} from '../transparency/index.ts';
import {
  type AppealRow,
  type BlockRow,
  findAppealRow,
  findBlockByDecisionNo,
  findBlockRow,
  findOpenBlockOf,
  insertAppeal,
  insertBlock,
  listActiveBlocksByDomains,
  listActiveTerms,
  listAppealRows,
  listBlockRows,
  listExpiredActiveIds,
  updateAppealRow,
  updateBlockRow,
} from './blocking.repository.ts';
import type { AppealStatus, BlockStatus, LiftReason } from './blocking.table.ts';

export interface Block {
  id: string;
  platform_id: string;
  platform_name: string;
  domains: string[];
  android_apps: string[];
  ios_apps: string[];
  reason: string;
  legal_basis: string;
  evidence: string[];
  status: BlockStatus;
  unit_id: string | null;
  proposed_by: string;
  proposed_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  returned_reason: string | null;
  decision_no: string | null;
  decision_date: string | null;
  effective_from: string | null;
  effective_to: string | null;
  decided_at: string | null;
  activated_at: string | null;
  previous_status: string | null;
  lifted_at: string | null;
  lift_reason: LiftReason | null;
  lift_note: string | null;
  updated_at: string;
}

export interface Appeal {
  id: string;
  reference: string;
  block_id: string;
  name: string;
  email: string;
  decision_no: string;
  grounds: string;
  status: AppealStatus;
  received_at: string;
  acceptance_due_on: string;
  accepted_at: string | null;
  resolution_due_on: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

/** What an officer proposes; identities left empty mean all the platform's identities in the register. */
export interface BlockInput {
  /** A platform id, registration number or domain. */
  platform: string;
  domains: readonly string[];
  android_apps: readonly string[];
  ios_apps: readonly string[];
  reason: string;
  legal_basis: string;
  evidence: readonly string[];
}

export interface DecisionInput {
  decision_no: string;
  /** 'YYYY-MM-DD' */
  decision_date: string;
  effective_from?: string | undefined;
  effective_to?: string | undefined;
}

export interface AppealInput {
  name: string;
  email: string;
  decision_no: string;
  grounds: string;
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

function blockOf(row: BlockRow): Block {
  return {
    id: row.id,
    platform_id: row.platform_id,
    platform_name: row.platform_name,
    domains: row.domains,
    android_apps: row.android_apps,
    ios_apps: row.ios_apps,
    reason: row.reason,
    legal_basis: row.legal_basis,
    evidence: row.evidence,
    status: row.status,
    unit_id: row.unit_id,
    proposed_by: row.proposed_by,
    proposed_at: row.proposed_at.toISOString(),
    reviewed_by: row.reviewed_by,
    reviewed_at: iso(row.reviewed_at),
    review_note: row.review_note,
    returned_reason: row.returned_reason,
    decision_no: row.decision_no,
    decision_date: row.decision_date,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
    decided_at: iso(row.decided_at),
    activated_at: iso(row.activated_at),
    previous_status: row.previous_status,
    lifted_at: iso(row.lifted_at),
    lift_reason: row.lift_reason,
    lift_note: row.lift_note,
    updated_at: row.updated_at.toISOString(),
  };
}

function appealOf(row: AppealRow): Appeal {
  return {
    id: row.id,
    reference: row.reference,
    block_id: row.block_id,
    name: row.name,
    email: row.email,
    decision_no: row.decision_no,
    grounds: row.grounds,
    status: row.status,
    received_at: row.received_at.toISOString(),
    acceptance_due_on: row.acceptance_due_on,
    accepted_at: iso(row.accepted_at),
    resolution_due_on: row.resolution_due_on,
    decided_at: iso(row.decided_at),
    decision_reason: row.decision_reason,
  };
}

const BLOCK_NOT_FOUND: Localized = { vi: 'Không tìm thấy đề nghị chặn', en: 'block request not found' };
const APPEAL_NOT_FOUND: Localized = { vi: 'Không tìm thấy khiếu nại', en: 'appeal not found' };

export const BLOCK_STATUS_TEXT: Record<BlockStatus, Localized> = {
  proposed: { vi: 'Đã đề xuất', en: 'Proposed' },
  returned: { vi: 'Bị trả lại', en: 'Returned' },
  approved: { vi: 'Pháp chế đã thẩm định', en: 'Approved by legal review' },
  decided: { vi: 'Đã có quyết định', en: 'Decided' },
  active: { vi: 'Đang chặn', en: 'Active' },
  lifted: { vi: 'Đã gỡ chặn', en: 'Lifted' },
};

export const APPEAL_STATUS_TEXT: Record<AppealStatus, Localized> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  accepted: { vi: 'Đã thụ lý', en: 'Accepted for resolution' },
  granted: { vi: 'Khiếu nại đúng – đã gỡ chặn', en: 'Granted – the block was lifted' },
  rejected: { vi: 'Không chấp nhận', en: 'Rejected' },
};

function wrongState(status: BlockStatus, action: Localized): AppError {
  return conflict(
    {
      vi: `Không thể ${action.vi}: đề nghị chặn đang ở bước “${BLOCK_STATUS_TEXT[status].vi}”.`,
      en: `cannot ${action.en}: the block request is ${BLOCK_STATUS_TEXT[status].en.toLowerCase()}`,
    },
    'status',
  );
}

function required(value: string, field: string, label: Localized, max: number): string {
  const text = toNfc(value).trim();
  if (text === '') throw invalidInput({ vi: `Hãy nhập ${label.vi}.`, en: `${label.en} is required` }, field);
  if (text.length > max) {
    throw invalidInput(
      { vi: `${label.vi} dài quá ${max} ký tự.`, en: `${label.en} is longer than ${max} characters` },
      field,
    );
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function getBlock(db: Db, id: string): Promise<Block> {
  const row = isUuid(id) ? await findBlockRow(db, id) : undefined;
  if (!row) throw notFound(BLOCK_NOT_FOUND);
  return blockOf(row);
}

/** An active or lifted block, as the public sees it; a request not yet decided and active is not found. */
export async function getPublicBlock(db: Db, id: string): Promise<Block> {
  const block = await getBlock(db, id);
  if (block.status !== 'active' && block.status !== 'lifted') throw notFound(BLOCK_NOT_FOUND);
  return block;
}

export async function listBlocks(
  db: Db,
  filter: { status?: BlockStatus | undefined; platformId?: string | undefined; limit?: number } = {},
): Promise<Block[]> {
  const rows = await listBlockRows(db, {
    ...(filter.status ? { statuses: [filter.status] } : {}),
    ...(filter.platformId ? { platformId: filter.platformId } : {}),
    limit: filter.limit ?? 200,
  });
  return rows.map(blockOf);
}

/**
 * The active block covering a domain (a URL or host as typed): one naming the host itself, else its nearest parent
 * domain. Undefined when none does (or the input is no host).
 */
export async function findActiveBlockForDomain(db: Db, input: string): Promise<Block | undefined> {
  const host = tryNormalizeHost(input.slice(0, 2_000));
  if (!host || host.isIp) return undefined;
  const candidates = [host.host, ...parentDomains(host.host)];
  const rows = await listActiveBlocksByDomains(db, candidates);
  for (const candidate of candidates) {
    const row = rows.find((block) => block.domains.includes(candidate));
    if (row) return blockOf(row);
  }
  return undefined;
}

export interface BlockTerms {
  decision_no: string | null;
  legal_basis: string;
  effective_from: string | null;
  effective_to: string | null;
}

/**
 * The decision of each active block by platform id (of the given platforms, or of every active block): what the
 * blocklist feeds carry beside a blocked platform's domains.
 */
export async function activeBlockTerms(db: Db, platformIds?: readonly string[]): Promise<Map<string, BlockTerms>> {
  const rows = await listActiveTerms(db, platformIds);
  return new Map(
    rows.map((row) => [
      row.platform_id,
      {
        decision_no: row.decision_no,
        legal_basis: row.legal_basis,
        effective_from: row.effective_from,
        effective_to: row.effective_to,
      },
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Proposing

async function resolvePlatform(db: Db, reference: string): Promise<PlatformSnapshot> {
  const wanted = reference.trim();
  let id: string | undefined;
  if (isUuid(wanted)) id = wanted.toLowerCase();
  else if (wanted !== '') {
    id = (await findPlatformByRegistrationNo(db, wanted.toUpperCase()))?.id;
    const host = id ? undefined : tryNormalizeHost(wanted);
    if (host) {
      const values = [...new Set([host.host, host.registrableDomain])];
      id = (
        await findIdentityOwners(
          db,
          values.map((value) => ({ kind: 'domain' as const, value })),
        )
      )[0]?.platformId;
    }
  }
  const snapshot = id ? (await loadPlatformSnapshotsByIds(db, [id]))[0] : undefined;
  if (!snapshot) {
    throw invalidInput(
      {
        vi: `“${wanted}” không phải mã, số đăng ký hay tên miền của nền tảng nào trong danh sách.`,
        en: `“${wanted}” is not the id, registration number or domain of a platform in the register`,
      },
      'platform',
    );
  }
  return snapshot;
}

/** Each identity named must be one of the platform's in the register (the feeds list only those); none named: all. */
function identitiesOf(snapshot: PlatformSnapshot, input: BlockInput) {
  const issues: FieldIssue[] = [];
  const pickFrom = (
    field: 'domains' | 'android_apps' | 'ios_apps',
    values: readonly string[],
    held: readonly string[],
    normalize: (value: string) => string | undefined,
  ): string[] => {
    const picked: string[] = [];
    for (const [index, raw] of values.entries()) {
      const value = normalize(raw.trim());
      if (value !== undefined && held.includes(value)) {
        if (!picked.includes(value)) picked.push(value);
      } else {
        issues.push({
          line: index + 1,
          field,
          message: {
            vi: `“${raw}” không phải định danh của ${snapshot.name} trong danh sách.`,
            en: `“${raw}” is not an identity of ${snapshot.name} in the register`,
          },
        });
      }
    }
    return picked;
  };
  const named = input.domains.length + input.android_apps.length + input.ios_apps.length > 0;
  const domains = named
    ? pickFrom('domains', input.domains, snapshot.domains, (value) => tryNormalizeHost(value)?.host)
    : [...snapshot.domains];
  const androidApps = named
    ? pickFrom('android_apps', input.android_apps, snapshot.androidApps, (value) =>
        normalizeOr(normalizeAndroidAppId, value),
      )
    : [...snapshot.androidApps];
  const iosApps = named
    ? pickFrom('ios_apps', input.ios_apps, snapshot.iosApps, (value) => normalizeOr(normalizeIosAppId, value))
    : [...snapshot.iosApps];
  if (issues.length > 0) {
    throw new AppError('invalid_input', (issues[0] as FieldIssue).message, {
      field: (issues[0] as FieldIssue).field,
      issues,
    });
  }
  if (domains.length + androidApps.length + iosApps.length === 0) {
    throw invalidInput(
      { vi: 'Nền tảng không có tên miền hay ứng dụng nào để chặn.', en: 'the platform has no domain or app to block' },
      'domains',
    );
  }
  return { domains, android_apps: androidApps, ios_apps: iosApps };
}

function normalizeOr(normalize: (value: string) => string | null | undefined, value: string): string | undefined {
  try {
    return normalize(value) ?? undefined;
  } catch {
    return undefined;
  }
}

/** An evidence line: an http(s) address, or the id of a capture in the evidence store (checked to exist). */
const EVIDENCE_ITEM =
  /^(https?:\/\/\S{1,1990}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

/** Every evidence id a request cites is a capture of the evidence store; an unknown one is refused naming its line. */
async function requireCapturedEvidence(db: Db, evidence: readonly string[]): Promise<void> {
  const ids = evidence.filter((item) => !/^https?:/.test(item));
  const known = await describeEvidence(db, ids);
  const issues: FieldIssue[] = evidence.flatMap((item, index) =>
    /^https?:/.test(item) || known.has(item)
      ? []
      : [
          {
            line: index + 1,
            field: 'evidence',
            message: {
              vi: `Dòng ${index + 1}: không có chứng cứ mã “${item}” trong kho chứng cứ.`,
              en: `line ${index + 1}: no captured evidence has the id “${item}”`,
            },
          },
        ],
  );
  if (issues.length > 0) {
    throw new AppError('invalid_input', (issues[0] as FieldIssue).message, { field: 'evidence', issues });
  }
}

function contentOf(input: BlockInput) {
  const evidence = input.evidence.map((item) => item.trim()).filter((item) => item !== '');
  const issues: FieldIssue[] = [];
  for (const [index, item] of evidence.entries()) {
    let ok = EVIDENCE_ITEM.test(item);
    if (ok && /^https?:/.test(item)) ok = URL.canParse(item);
    if (!ok) {
      issues.push({
        line: index + 1,
        field: 'evidence',
        message: {
          vi: `Dòng ${index + 1}: “${item}” không phải địa chỉ http(s) hay mã chứng cứ (UUID).`,
          en: `line ${index + 1}: “${item}” is neither an http(s) address nor an evidence id (UUID)`,
        },
      });
    }
  }
  if (issues.length > 0) {
    throw new AppError('invalid_input', (issues[0] as FieldIssue).message, { field: 'evidence', issues });
  }
  if (evidence.length > 50) {
    throw invalidInput({ vi: 'Tối đa 50 chứng cứ.', en: 'at most 50 evidence links' }, 'evidence');
  }
  return {
    reason: required(input.reason, 'reason', { vi: 'lý do', en: 'the reason' }, 4000),
    legal_basis: required(input.legal_basis, 'legal_basis', { vi: 'căn cứ pháp lý', en: 'the legal basis' }, 1000),
    evidence: [...new Set(evidence)],
  };
}

async function refuseSecondOpen(trx: Db, platformId: string, except?: string): Promise<void> {
  const open = await findOpenBlockOf(trx, platformId);
  if (open && open.id !== except) {
    throw conflict(
      {
        vi: `Nền tảng đã có một đề nghị chặn đang xử lý (${BLOCK_STATUS_TEXT[open.status].vi.toLowerCase()}).`,
        en: `the platform already has an open block request (${open.status})`,
      },
      'platform',
    );
  }
}

export async function proposeBlock(
  database: Database,
  author: { context: ActorContext; unitId: string | null },
  input: BlockInput,
): Promise<Block> {
  return database.db.transaction().execute((trx) => proposeBlockIn(trx, author, input));
}

/** `proposeBlock` in the caller's transaction: a module that records what the request rests on commits both or neither. */
export async function proposeBlockIn(
  trx: Db,
  author: { context: ActorContext; unitId: string | null },
  input: BlockInput,
): Promise<Block> {
  const snapshot = await resolvePlatform(trx, input.platform);
  const identities = identitiesOf(snapshot, input);
  const content = contentOf(input);
  await requireCapturedEvidence(trx, content.evidence);
  await refuseSecondOpen(trx, snapshot.id);
  const row = await insertBlock(trx, {
    platform_id: snapshot.id,
    platform_name: snapshot.name,
    ...identities,
    ...content,
    unit_id: author.unitId,
    proposed_by: author.context.actor,
  });
  await recordAuditEvent(trx, author.context, {
    action: 'block.propose',
    entityType: 'block_request',
    entityId: row.id,
    changes: { platform_id: snapshot.id, ...identities, ...content, status: [null, 'proposed'] },
  });
  return blockOf(row);
}

async function lockBlock(trx: Db, id: string): Promise<BlockRow> {
  const row = isUuid(id) ? await findBlockRow(trx, id, { lock: true }) : undefined;
  if (!row) throw notFound(BLOCK_NOT_FOUND);
  return row;
}

/** A returned request, amended (same platform) and proposed again for legal review. */
export async function amendBlock(
  database: Database,
  context: ActorContext,
  id: string,
  input: Omit<BlockInput, 'platform'>,
): Promise<Block> {
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    if (row.status !== 'returned') throw wrongState(row.status, { vi: 'sửa và đề xuất lại', en: 'amend it' });
    const snapshot = (await loadPlatformSnapshotsByIds(trx, [row.platform_id]))[0];
    if (!snapshot) throw conflict({ vi: 'Nền tảng không còn trong danh sách.', en: 'the platform left the register' });
    const full = { ...input, platform: row.platform_id };
    const identities = identitiesOf(snapshot, full);
    const content = contentOf(full);
    await requireCapturedEvidence(trx, content.evidence);
    await refuseSecondOpen(trx, row.platform_id, row.id);
    const updated = await updateBlockRow(trx, id, {
      ...identities,
      ...content,
      status: 'proposed',
      returned_reason: null,
      proposed_at: new Date(),
      proposed_by: context.actor,
    });
    const changes: Record<string, unknown> = { status: ['returned', 'proposed'] };
    for (const [key, value] of Object.entries({ ...identities, ...content })) {
      const before = row[key as keyof BlockRow];
      if (JSON.stringify(before) !== JSON.stringify(value)) changes[key] = [before, value];
    }
    await recordAuditEvent(trx, context, {
      action: 'block.amend',
      entityType: 'block_request',
      entityId: id,
      changes,
    });
    return blockOf(updated);
  });
}

// ---------------------------------------------------------------------------------------------------
// Legal review

export async function approveBlock(
  database: Database,
  context: ActorContext,
  id: string,
  note?: string | undefined,
): Promise<Block> {
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    if (row.status !== 'proposed') throw wrongState(row.status, { vi: 'thẩm định', en: 'approve it' });
    const reviewNote = note ? toNfc(note).trim() || null : null;
    const updated = await updateBlockRow(trx, id, {
      status: 'approved',
      reviewed_by: context.actor,
      reviewed_at: new Date(),
      review_note: reviewNote,
    });
    await recordAuditEvent(trx, context, {
      action: 'block.approve',
      entityType: 'block_request',
      entityId: id,
      changes: { status: ['proposed', 'approved'], note: reviewNote },
    });
    return blockOf(updated);
  });
}

export async function returnBlock(
  database: Database,
  context: ActorContext,
  id: string,
  reason: string,
): Promise<Block> {
  const text = required(reason, 'reason', { vi: 'lý do trả lại', en: 'the reason for returning it' }, 4000);
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    if (row.status !== 'proposed') throw wrongState(row.status, { vi: 'trả lại', en: 'return it' });
    const updated = await updateBlockRow(trx, id, {
      status: 'returned',
      returned_reason: text,
      reviewed_by: context.actor,
      reviewed_at: new Date(),
    });
    await recordAuditEvent(trx, context, {
      action: 'block.return',
      entityType: 'block_request',
      entityId: id,
      changes: { status: ['proposed', 'returned'], reason: text },
    });
    return blockOf(updated);
  });
}

// ---------------------------------------------------------------------------------------------------
// Decision, activation, lifting

export async function decideBlock(
  database: Database,
  context: ActorContext,
  id: string,
  input: DecisionInput,
  now: Date = new Date(),
): Promise<Block> {
  const decisionNo = normalizeDecisionNo(input.decision_no);
  if (!isDecisionNo(decisionNo)) {
    throw invalidInput(
      {
        vi: 'Số quyết định phải có dạng 1234/QĐ-BCT.',
        en: 'the decision number must look like 1234/QĐ-BCT',
      },
      'decision_no',
    );
  }
  const today = todayInVietnam(now);
  if (input.decision_date > today) {
    throw invalidInput(
      { vi: 'Ngày quyết định không được sau hôm nay.', en: 'the decision date cannot be in the future' },
      'decision_date',
    );
  }
  const effectiveFrom = input.effective_from ?? input.decision_date;
  if (effectiveFrom < input.decision_date) {
    throw invalidInput(
      {
        vi: 'Ngày có hiệu lực không được trước ngày quyết định.',
        en: 'the block cannot take effect before the decision',
      },
      'effective_from',
    );
  }
  if (input.effective_to !== undefined && input.effective_to < effectiveFrom) {
    throw invalidInput(
      { vi: 'Ngày hết hiệu lực phải sau ngày có hiệu lực.', en: 'the end date must not be before the start date' },
      'effective_to',
    );
  }
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    if (row.status !== 'approved') throw wrongState(row.status, { vi: 'ghi quyết định', en: 'record a decision' });
    if (row.reviewed_at && input.decision_date < todayInVietnam(row.reviewed_at)) {
      throw invalidInput(
        {
          vi: 'Ngày quyết định không được trước ngày thẩm định pháp chế.',
          en: 'the decision cannot be dated before the legal review',
        },
        'decision_date',
      );
    }
    const other = await findBlockByDecisionNo(trx, decisionNo);
    if (other && other.id !== id) {
      throw conflict(
        { vi: `Số quyết định ${decisionNo} đã được ghi cho đề nghị khác.`, en: `${decisionNo} is recorded already` },
        'decision_no',
      );
    }
    const terms = {
      decision_no: decisionNo,
      decision_date: input.decision_date,
      effective_from: effectiveFrom,
      effective_to: input.effective_to ?? null,
    };
    const updated = await updateBlockRow(trx, id, {
      ...terms,
      status: 'decided',
      decided_by: context.actor,
      decided_at: now,
    });
    await recordAuditEvent(trx, context, {
      action: 'block.decide',
      entityType: 'block_request',
      entityId: id,
      changes: { status: ['approved', 'decided'], ...terms },
    });
    return blockOf(updated);
  });
}

/** The status a platform had before it was blocked: its current one, or, if it is blocked already, the one before. */
async function statusBeforeBlock(trx: Db, platformId: string, current: PlatformStatus): Promise<PlatformStatus> {
  if (current !== 'blocked') return current;
  const history = await getStatusHistory(trx, platformId);
  const entry = [...history]
    .sort((a, b) => b.changed_at.localeCompare(a.changed_at))
    .find((change) => change.to_status === 'blocked' && change.from_status && change.from_status !== 'blocked');
  return entry?.from_status ?? 'unregistered';
}

export const LIFT_REASON_TEXT: Record<LiftReason, Localized> = {
  complied: { vi: 'Đã khắc phục vi phạm', en: 'The platform complied' },
  appeal_granted: { vi: 'Khiếu nại được chấp nhận', en: 'Appeal granted' },
  expired: { vi: 'Quyết định hết hiệu lực', en: 'The decision expired' },
};

/** Captures made by the monitor's scans (as opposed to an officer's own capture) mark a detection as automated. */
const AUTOMATED_CAPTURE_ACTOR = /^system:monitor/;

/** The public record of a block (module `transparency`): the decision, its legal basis, the platform and identities. */
async function decisionOfBlock(trx: Db, row: BlockRow, platform: PlatformSnapshot): Promise<DecisionToPublish> {
  const captures = await describeEvidence(
    trx,
    row.evidence.filter((item) => !/^https?:/.test(item)),
  );
  return {
    kind: 'block',
    source: { type: 'block_request', id: row.id },
    decision_no: row.decision_no,
    decided_on: row.decision_date ?? todayInVietnam(),
    effective_from: row.effective_from,
    effective_to: row.effective_to,
    issuer_unit_id: row.unit_id,
    legal_ground: row.legal_basis,
    facts: { vi: row.reason },
    targets: [decisionTargetOfPlatform(platform)],
    automated_detection: [...captures.values()].some((capture) => AUTOMATED_CAPTURE_ACTOR.test(capture.captured_by)),
    automated_decision: false,
  };
}

export async function activateBlock(
  database: Database,
  context: ActorContext,
  id: string,
  now: Date = new Date(),
): Promise<Block> {
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    if (row.status !== 'decided') throw wrongState(row.status, { vi: 'áp dụng chặn', en: 'activate it' });
    const today = todayInVietnam(now);
    if ((row.effective_from ?? today) > today) {
      throw conflict(
        { vi: 'Quyết định chưa đến ngày có hiệu lực.', en: 'the decision does not take effect yet' },
        'effective_from',
      );
    }
    if (row.effective_to !== null && row.effective_to < today) {
      throw conflict({ vi: 'Quyết định đã hết hiệu lực.', en: 'the decision has expired' }, 'effective_to');
    }
    const snapshot = (await loadPlatformSnapshotsByIds(trx, [row.platform_id]))[0];
    if (!snapshot) throw conflict({ vi: 'Nền tảng không còn trong danh sách.', en: 'the platform left the register' });
    const previous = await statusBeforeBlock(trx, row.platform_id, snapshot.status);
    const statusReason = `Quyết định chặn ${row.decision_no} (block request ${row.id})`;
    if (snapshot.status === 'blocked') {
      // The register has it blocked already (imported so): its feeds entry now carries this decision.
      await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([row.platform_id]));
    } else {
      await setPlatformStatus(trx, row.platform_id, 'blocked', statusReason, context);
    }
    const updated = await updateBlockRow(trx, id, {
      status: 'active',
      activated_by: context.actor,
      activated_at: now,
      previous_status: previous,
    });
    await publishDecision(trx, await decisionOfBlock(trx, updated, snapshot), now);
    await recordAuditEvent(trx, context, {
      action: 'block.activate',
      entityType: 'block_request',
      entityId: id,
      changes: {
        status: ['decided', 'active'],
        platform_status: [snapshot.status, 'blocked'],
        previous_status: previous,
      },
    });
    return blockOf(updated);
  });
}

async function liftLocked(
  trx: Db,
  context: ActorContext,
  row: BlockRow,
  reason: LiftReason,
  note: string | null,
  now: Date,
): Promise<BlockRow> {
  if (row.status !== 'active') throw wrongState(row.status, { vi: 'gỡ chặn', en: 'lift it' });
  const snapshot = (await loadPlatformSnapshotsByIds(trx, [row.platform_id]))[0];
  const restore = (PLATFORM_STATUSES as readonly string[]).includes(row.previous_status ?? '')
    ? (row.previous_status as PlatformStatus)
    : 'unregistered';
  let platformStatus: [string, string] | null = null;
  if (snapshot?.status === 'blocked' && restore !== 'blocked') {
    await setPlatformStatus(trx, row.platform_id, restore, `Gỡ chặn ${row.decision_no} (${reason})`, context);
    platformStatus = ['blocked', restore];
  } else if (snapshot) {
    // Someone changed the status meanwhile: it stays; the feeds drop the decision.
    await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([row.platform_id]));
  }
  await endPublishedDecision(trx, { type: 'block_request', id: row.id }, LIFT_REASON_TEXT[reason], now);
  const updated = await updateBlockRow(trx, row.id, {
    status: 'lifted',
    lift_reason: reason,
    lift_note: note,
    lifted_by: context.actor,
    lifted_at: now,
  });
  await recordAuditEvent(trx, context, {
    action: 'block.lift',
    entityType: 'block_request',
    entityId: row.id,
    changes: { status: ['active', 'lifted'], reason, note, platform_status: platformStatus },
  });
  return updated;
}

/** Lifts an active block because the platform complied or the decision expired (an appeal granted lifts it too). */
export async function liftBlock(
  database: Database,
  context: ActorContext,
  id: string,
  input: { reason: Exclude<LiftReason, 'appeal_granted'>; note?: string | undefined },
  now: Date = new Date(),
): Promise<Block> {
  if ((input.reason as string) === 'appeal_granted') {
    throw invalidInput(
      {
        vi: 'Gỡ chặn do khiếu nại đúng được thực hiện khi giải quyết khiếu nại.',
        en: 'a block is lifted for a granted appeal by deciding the appeal',
      },
      'reason',
    );
  }
  const note = input.note ? toNfc(input.note).trim() || null : null;
  return database.db.transaction().execute(async (trx) => {
    const row = await lockBlock(trx, id);
    return blockOf(await liftLocked(trx, context, row, input.reason, note, now));
  });
}

const EXPIRY_CONTEXT: ActorContext = { actor: 'system:blocking-expiry' };

/**
 * Lifts (reason `expired`) every active block whose decision's end date has passed in Vietnam: each in its own
 * transaction, so one that fails (its platform changed meanwhile) does not hold back the others. Returns the ids lifted.
 */
export async function liftExpiredBlocks(database: Database, now: Date = new Date()): Promise<string[]> {
  const lifted: string[] = [];
  for (const id of await listExpiredActiveIds(database.db, todayInVietnam(now))) {
    await database.db.transaction().execute(async (trx) => {
      const row = await lockBlock(trx, id);
      if (row.status !== 'active') return;
      await liftLocked(trx, EXPIRY_CONTEXT, row, 'expired', null, now);
      lifted.push(id);
    });
  }
  return lifted;
}

// ---------------------------------------------------------------------------------------------------
// Appeals

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

function newReference(now: Date): string {
  const bytes = randomBytes(8);
  let suffix = '';
  for (const byte of bytes) suffix += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
  return `KN-${todayInVietnam(now).slice(0, 4)}-${suffix}`;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

/** A member of the public appeals an active block (Law on Complaints 2011): a reference and the deadline to accept. */
export async function fileAppeal(
  database: Database,
  context: ActorContext,
  blockId: string,
  input: AppealInput,
  now: Date = new Date(),
): Promise<Appeal> {
  const name = required(input.name, 'name', { vi: 'họ tên', en: 'your name' }, 200);
  const email = toNfc(input.email).trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) {
    throw invalidInput({ vi: 'Địa chỉ thư điện tử không hợp lệ.', en: 'not a valid e-mail address' }, 'email');
  }
  const grounds = required(input.grounds, 'grounds', { vi: 'nội dung khiếu nại', en: 'the grounds' }, 10_000);
  const decisionNo = normalizeDecisionNo(input.decision_no);
  return database.db.transaction().execute(async (trx) => {
    const block = isUuid(blockId) ? await findBlockRow(trx, blockId) : undefined;
    if (!block || (block.status !== 'active' && block.status !== 'lifted')) throw notFound(BLOCK_NOT_FOUND);
    if (block.status !== 'active') {
      throw conflict({ vi: 'Quyết định chặn này đã được gỡ.', en: 'this block has been lifted' }, 'decision_no');
    }
    if (decisionNo !== block.decision_no) {
      throw invalidInput(
        {
          vi: `Số quyết định bị khiếu nại phải là ${block.decision_no}.`,
          en: `the decision appealed is ${block.decision_no}`,
        },
        'decision_no',
      );
    }
    const due = await procedureDeadline(trx, 'appeal_acceptance', now);
    const row = await insertAppeal(trx, {
      reference: newReference(now),
      block_id: block.id,
      name,
      email,
      decision_no: decisionNo,
      grounds,
      received_at: now,
      acceptance_due_on: due.dueOn,
    });
    // The appellant's name, address and grounds stay in the appeal, not in the append-only trail.
    await recordAuditEvent(trx, context, {
      action: 'appeal.file',
      entityType: 'block_appeal',
      entityId: row.id,
      changes: {
        reference: row.reference,
        block_id: block.id,
        decision_no: decisionNo,
        acceptance_due_on: due.dueOn,
        procedure: `${due.procedure.code}@${due.procedure.effectiveFrom}`,
      },
    });
    return appealOf(row);
  });
}

export async function getAppeal(db: Db, id: string): Promise<Appeal> {
  const row = isUuid(id) ? await findAppealRow(db, { id }) : undefined;
  if (!row) throw notFound(APPEAL_NOT_FOUND);
  return appealOf(row);
}

export async function getAppealByReference(db: Db, reference: string): Promise<Appeal> {
  const wanted = reference.trim().toUpperCase();
  const row = /^KN-\d{4}-[A-Z0-9]{8}$/.test(wanted) ? await findAppealRow(db, { reference: wanted }) : undefined;
  if (!row) throw notFound(APPEAL_NOT_FOUND);
  return appealOf(row);
}

export async function listAppeals(
  db: Db,
  filter: { blockId?: string | undefined; open?: boolean } = {},
): Promise<Appeal[]> {
  const rows = await listAppealRows(db, {
    ...(filter.blockId ? { blockId: filter.blockId } : {}),
    ...(filter.open ? { statuses: ['received', 'accepted'] as const } : {}),
    limit: 500,
  });
  return rows.map(appealOf);
}

async function lockAppeal(trx: Db, id: string): Promise<AppealRow> {
  const row = isUuid(id) ? await findAppealRow(trx, { id }, { lock: true }) : undefined;
  if (!row) throw notFound(APPEAL_NOT_FOUND);
  return row;
}

function wrongAppealState(status: AppealStatus, action: Localized): AppError {
  return conflict(
    {
      vi: `Không thể ${action.vi}: khiếu nại đang ở trạng thái “${APPEAL_STATUS_TEXT[status].vi}”.`,
      en: `cannot ${action.en}: the appeal is ${status}`,
    },
    'status',
  );
}

/** Accepts (thụ lý) an appeal: the resolution period counts from today. */
export async function acceptAppeal(
  database: Database,
  context: ActorContext,
  id: string,
  now: Date = new Date(),
): Promise<Appeal> {
  return database.db.transaction().execute(async (trx) => {
    const row = await lockAppeal(trx, id);
    if (row.status !== 'received') throw wrongAppealState(row.status, { vi: 'thụ lý', en: 'accept it' });
    const due = await procedureDeadline(trx, 'appeal_resolution', now);
    const updated = await updateAppealRow(trx, id, {
      status: 'accepted',
      accepted_at: now,
      resolution_due_on: due.dueOn,
      handled_by: context.actor,
    });
    await recordAuditEvent(trx, context, {
      action: 'appeal.accept',
      entityType: 'block_appeal',
      entityId: id,
      changes: {
        status: ['received', 'accepted'],
        resolution_due_on: due.dueOn,
        procedure: `${due.procedure.code}@${due.procedure.effectiveFrom}`,
      },
    });
    return appealOf(updated);
  });
}

/** Grants an accepted appeal: the block is lifted (reason `appeal_granted`) in the same transaction. */
export async function grantAppeal(
  database: Database,
  context: ActorContext,
  id: string,
  reason: string,
  now: Date = new Date(),
): Promise<Appeal> {
  const text = required(reason, 'reason', { vi: 'kết quả giải quyết', en: 'the reasons' }, 4000);
  return database.db.transaction().execute(async (trx) => {
    const row = await lockAppeal(trx, id);
    if (row.status !== 'accepted') throw wrongAppealState(row.status, { vi: 'chấp nhận khiếu nại', en: 'grant it' });
    const block = await lockBlock(trx, row.block_id);
    await liftLocked(trx, context, block, 'appeal_granted', `${row.reference}: ${text}`, now);
    const updated = await updateAppealRow(trx, id, {
      status: 'granted',
      decided_at: now,
      decision_reason: text,
      handled_by: context.actor,
    });
    await recordAuditEvent(trx, context, {
      action: 'appeal.grant',
      entityType: 'block_appeal',
      entityId: id,
      changes: { status: ['accepted', 'granted'], reason: text, block_id: block.id },
    });
    return appealOf(updated);
  });
}

/** Rejects an appeal (not accepted, or not upheld after acceptance), with the reasons. */
export async function rejectAppeal(
  database: Database,
  context: ActorContext,
  id: string,
  reason: string,
  now: Date = new Date(),
): Promise<Appeal> {
  const text = required(reason, 'reason', { vi: 'lý do', en: 'the reasons' }, 4000);
  return database.db.transaction().execute(async (trx) => {
    const row = await lockAppeal(trx, id);
    if (row.status !== 'received' && row.status !== 'accepted') {
      throw wrongAppealState(row.status, { vi: 'bác khiếu nại', en: 'reject it' });
    }
    const updated = await updateAppealRow(trx, id, {
      status: 'rejected',
      decided_at: now,
      decision_reason: text,
      handled_by: context.actor,
    });
    await recordAuditEvent(trx, context, {
      action: 'appeal.reject',
      entityType: 'block_appeal',
      entityId: id,
      changes: { status: [row.status, 'rejected'], reason: text },
    });
    return appealOf(updated);
  });
}
