/**
 * The review of notifications and registration applications: filing, domain control, the 3-working-day
 * clock, the officers' decisions (approve, reject, ask for supplements), renewals, and suspension and
 * revocation of registrations. Every write runs in one transaction with its audit event and its e-mail
 * (written to the outbox, sent after commit).
 */
import { randomBytes } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import type { Mailer } from '../../core/mail.ts';
import { deliverDueMail, enqueueMail } from '../../core/mail-outbox.ts';
import { toNfc } from '../../core/text.ts';
import {
  addCalendarDays,
  type DeadlineStatus,
  deadlineStatus,
  type WorkingCalendar,
  workingDayDeadline,
} from '../../core/working-days.ts';
import {
  findIdentityOwners,
  getPlatform,
  getStatusHistory,
  type IdentityKind,
  type LawPlatformType,
  type Platform,
  type PlatformKind,
  type PlatformStatus,
  setPlatformStatus,
  upsertPlatformFromApplication,
} from '../registry/index.ts';
import { type ApplicationInput, type ApplicationType, applicationTypeForKind } from './applications.input.ts';
import { composeMail, type MailFacts, type MailStep } from './applications.mail.ts';
import {
  type ApplicationDomainRow,
  type ApplicationEventRow,
  type ApplicationRow,
  findApplicationRow,
  insertApplicationEvent,
  insertApplicationRow,
  insertRegistrationAction,
  isRegistrationNumberTaken,
  listApplicationDomainRows,
  listApplicationEventRows,
  listApplicationRowsByStatus,
  listApplicationRowsOfOrganisation,
  listApplicationRowsOfPlatform,
  listDueApplicationRows,
  listRegistrationActionRows,
  nextSequenceValue,
  recordDomainCheck,
  replaceApplicationDomains,
  updateApplicationRow,
} from './applications.repository.ts';
import { checkDomainControl, type DomainCheckOptions, type DomainCheckResult } from './domain-control.ts';
import { LocalizedError } from './localized-error.ts';

/** Working days an officer has to decide (Decree 52/2013, as amended: 3 working days from a complete file). */
export const REVIEW_WORKING_DAYS = 3;
/** A registration is valid for 5 years; a notification has no end date. */
export const REGISTRATION_VALIDITY_YEARS = 5;
/** A renewal may be filed this many days before the registration ends (and any time after). */
export const RENEWAL_WINDOW_DAYS = 90;

export const APPLICATION_STATUSES = ['submitted', 'supplement_requested', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** What the module needs from the composition root. */
export interface ApplicationsContext {
  database: Database;
  mailer: Mailer;
  /** Public base URL of the portal, no trailing slash (links in e-mails, the badge snippet). */
  portalUrl: string;
  calendar: WorkingCalendar;
  domainCheck: DomainCheckOptions;
  log: { warn(object: unknown, message: string): void };
  now?: () => Date;
}

/** The business filing: its account, its organisation (as registered at sign-up) and its e-mail. */
export interface Applicant {
  accountId: string;
  organisationId: string;
  organisationTaxCode: string;
}

export interface ApplicationDomain {
  domain: string;
  primary: boolean;
  verified: boolean;
  verified_by: 'http' | 'dns' | null;
  verified_at: string | null;
  last_checked_at: string | null;
  last_check_detail: string | null;
}

export interface Application {
  id: string;
  reference: string;
  type: ApplicationType;
  status: ApplicationStatus;
  kind: PlatformKind;
  law_type: LawPlatformType;
  site_name: string;
  org_name: string;
  tax_code: string | null;
  country: string;
  cross_border: boolean;
  head_office_address: string;
  responsible_person: string;
  responsible_phone: string;
  contact_email: string;
  domains: ApplicationDomain[];
  android_apps: string[];
  ios_apps: string[];
  goods_categories: string[];
  vn_representative: {
    kind: 'legal_entity' | 'authorised_representative';
    name: string;
    tax_code: string | null;
    address: string;
  } | null;
  platform_id: string | null;
  registration_no: string | null;
  verification_token: string;
  received_at: string;
  due_on: string;
  deadline_at: string;
  /** Only while the application waits for a decision. */
  deadline_status: DeadlineStatus | null;
  supplement_request: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  decided_by: string | null;
  revision: number;
  applicant_account_id: string;
  applicant_organisation_id: string;
  created_at: string;
  updated_at: string;
}

export interface ApplicationEvent {
  action: string;
  note: string | null;
  actor: string;
  occurred_at: string;
}

/** The module's clock (tests move it). */
export function nowOf(context: ApplicationsContext): Date {
  return context.now ? context.now() : new Date();
}

function applicationRowToApplication(row: ApplicationRow, domains: ApplicationDomainRow[], now: Date): Application {
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    status: row.status,
    kind: row.kind as PlatformKind,
    law_type: row.law_type as LawPlatformType,
    site_name: row.site_name,
    org_name: row.org_name,
    tax_code: row.tax_code,
    country: row.country,
    cross_border: row.cross_border,
    head_office_address: row.head_office_address,
    responsible_person: row.responsible_person,
    responsible_phone: row.responsible_phone,
    contact_email: row.contact_email,
    domains: domains.map((domain) => ({
      domain: domain.domain,
      primary: domain.position === 0,
      verified: domain.verified_at !== null,
      verified_by: domain.verified_by,
      verified_at: domain.verified_at?.toISOString() ?? null,
      last_checked_at: domain.last_checked_at?.toISOString() ?? null,
      last_check_detail: domain.last_check_detail,
    })),
    android_apps: row.android_apps,
    ios_apps: row.ios_apps,
    goods_categories: row.goods_categories,
    vn_representative:
      row.vn_representative_kind && row.vn_representative_name
        ? {
            kind: row.vn_representative_kind,
            name: row.vn_representative_name,
            tax_code: row.vn_representative_tax_code,
            address: row.vn_representative_address ?? '',
          }
        : null,
    platform_id: row.platform_id,
    registration_no: row.registration_no,
    verification_token: row.verification_token,
    received_at: row.received_at.toISOString(),
    due_on: row.due_on,
    deadline_at: row.deadline_at.toISOString(),
    deadline_status: row.status === 'submitted' ? deadlineStatus(row.due_on, now) : null,
    supplement_request: row.supplement_request,
    decision_reason: row.decision_reason,
    decided_at: row.decided_at?.toISOString() ?? null,
    decided_by: row.decided_by,
    revision: row.revision,
    applicant_account_id: row.applicant_account_id,
    applicant_organisation_id: row.applicant_organisation_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function loadApplication(db: Db, row: ApplicationRow, now: Date): Promise<Application> {
  return applicationRowToApplication(row, await listApplicationDomainRows(db, row.id), now);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function getApplicationRow(db: Db, id: string, options: { lock?: boolean } = {}): Promise<ApplicationRow> {
  const row = UUID.test(id) ? await findApplicationRow(db, id, options) : undefined;
  if (!row) throw notFound(`no application with id ${id}`);
  return row;
}

export async function getApplication(context: ApplicationsContext, id: string): Promise<Application> {
  const db = context.database.db;
  return loadApplication(db, await getApplicationRow(db, id), nowOf(context));
}

/** The application, if the applicant's organisation filed it; not_found otherwise (no hint that it exists). */
export async function getApplicationOfOrganisation(
  context: ApplicationsContext,
  organisationId: string,
  id: string,
): Promise<Application> {
  const application = await getApplication(context, id);
  if (application.applicant_organisation_id !== organisationId) throw notFound(`no application with id ${id}`);
  return application;
}

export async function listApplicationEvents(context: ApplicationsContext, id: string): Promise<ApplicationEvent[]> {
  const rows: ApplicationEventRow[] = await listApplicationEventRows(context.database.db, id);
  return rows.map((row) => ({
    action: row.action,
    note: row.note,
    actor: row.actor,
    occurred_at: row.occurred_at.toISOString(),
  }));
}

export async function listApplicationsOfOrganisation(
  context: ApplicationsContext,
  organisationId: string,
): Promise<Application[]> {
  const db = context.database.db;
  const now = nowOf(context);
  const rows = await listApplicationRowsOfOrganisation(db, organisationId);
  return Promise.all(rows.map((row) => loadApplication(db, row, now)));
}

export async function listApplicationsOfPlatform(
  context: ApplicationsContext,
  platformId: string,
): Promise<Application[]> {
  const db = context.database.db;
  const now = nowOf(context);
  const rows = await listApplicationRowsOfPlatform(db, platformId);
  return Promise.all(rows.map((row) => loadApplication(db, row, now)));
}

export interface QueueQuery {
  status: ApplicationStatus | 'open' | 'all';
  limit: number;
  offset: number;
}

/**
 * The officers' queue: by default the applications waiting for a decision, the nearest deadline first;
 * `open` adds those waiting for supplements, `all` the decided ones too.
 */
export async function listReviewQueue(
  context: ApplicationsContext,
  query: QueueQuery,
): Promise<{ total: number; applications: Application[] }> {
  const db = context.database.db;
  const now = nowOf(context);
  const statuses: ApplicationStatus[] =
    query.status === 'open'
      ? ['submitted', 'supplement_requested']
      : query.status === 'all'
        ? [...APPLICATION_STATUSES]
        : [query.status];
  const { total, rows } = await listApplicationRowsByStatus(db, statuses, query);
  return { total, applications: await Promise.all(rows.map((row) => loadApplication(db, row, now))) };
}

// ---------------------------------------------------------------------------------------------------
// Helpers of the writes

function applicationLink(context: ApplicationsContext, id: string): string {
  return `${context.portalUrl}/business/applications/${id}`;
}

async function queueMail(
  trx: Db,
  context: ApplicationsContext,
  row: ApplicationRow,
  step: MailStep,
  facts: Partial<MailFacts> = {},
): Promise<void> {
  const mail = composeMail(step, {
    reference: row.reference,
    siteName: row.site_name,
    link: applicationLink(context, row.id),
    dueOn: row.due_on,
    registrationNo: row.registration_no,
    ...facts,
  });
  await enqueueMail(trx, {
    applicationId: row.id,
    recipients: [row.contact_email],
    subject: mail.subject,
    body: mail.body,
  });
}

/** Sends the outbox after a commit; never throws (a failure stays queued for the retry job). */
async function flushMail(context: ApplicationsContext): Promise<void> {
  try {
    await deliverDueMail(context.database.db, context.mailer, context.log);
  } catch (error) {
    context.log.warn({ err: error }, 'mail delivery failed; will retry');
  }
}

/** The review deadline of an application received now; warns when the holiday calendar does not cover it. */
function reviewDeadline(context: ApplicationsContext, now: Date) {
  const deadline = workingDayDeadline(context.calendar, now, REVIEW_WORKING_DAYS);
  if (Number(deadline.dueOn.slice(0, 4)) > context.calendar.years.last) {
    context.log.warn(
      { dueOn: deadline.dueOn, calendarEnds: context.calendar.years.last },
      'the holiday calendar (src/core/vietnam-days-off.csv) does not cover this deadline: only weekends were skipped',
    );
  }
  return deadline;
}

function vietnamYear(now: Date): number {
  return Number(todayInVietnam(now).slice(0, 4));
}

async function issueReference(trx: Db, now: Date): Promise<string> {
  const year = vietnamYear(now);
  const value = await nextSequenceValue(trx, 'HS', year);
  return `HS-${year}-${String(value).padStart(6, '0')}`;
}

/**
 * A registration number: TB-YYYY-NNNNN for a notified sales site/app, DK-YYYY-NNNNN for a registered
 * platform, from a sequence per prefix and year; a number the register already holds (imported) is skipped.
 */
async function issueRegistrationNumber(trx: Db, kind: PlatformKind, now: Date): Promise<string> {
  const prefix = kind === 'sales' ? 'TB' : 'DK';
  const year = vietnamYear(now);
  for (;;) {
    const value = await nextSequenceValue(trx, prefix, year);
    const number = `${prefix}-${year}-${String(value).padStart(5, '0')}`;
    if (!(await isRegistrationNumberTaken(trx, number))) return number;
  }
}

function cleanNote(text: string, field: string, label: Localized): string {
  const cleaned = toNfc(text).replace(/\r\n/g, '\n').trim();
  if (cleaned === '') {
    throw new LocalizedError(
      'invalid_input',
      { vi: `Chưa nhập ${label.vi}`, en: `${label.en} is required` },
      { field },
    );
  }
  if (cleaned.length > 4000) {
    throw new LocalizedError(
      'invalid_input',
      { vi: `${label.vi} dài quá 4000 ký tự`, en: `${label.en} is longer than 4000 characters` },
      { field },
    );
  }
  return cleaned;
}

/** An action that the application's status does not allow now. */
function wrongStatus(reference: string, status: string, en: string, vi: string): LocalizedError {
  return new LocalizedError('conflict', {
    vi: `Hồ sơ ${reference} đang ở tình trạng "${status}": ${vi}`,
    en: `application ${reference} is ${status}: ${en}`,
  });
}

function mainTaxCode(code: string | null | undefined): string | undefined {
  return code ? code.slice(0, 10) : undefined;
}

/** A business files for its own organisation: its tax code, or for a platform abroad its representative's. */
function checkApplicantOwnsOrganisation(applicant: Applicant, input: ApplicationInput): void {
  const own = mainTaxCode(applicant.organisationTaxCode);
  const codes = [mainTaxCode(input.taxCode), mainTaxCode(input.vnRepresentative?.taxCode)];
  if (!codes.includes(own)) {
    throw new LocalizedError(
      'invalid_input',
      {
        vi: `Mã số doanh nghiệp phải là của tổ chức của tài khoản (${applicant.organisationTaxCode})${input.crossBorder ? ', hoặc của pháp nhân, người đại diện tại Việt Nam' : ''}`,
        en: `the tax code must be your organisation's (${applicant.organisationTaxCode})${input.crossBorder ? ', or that of your legal entity or representative in Vietnam' : ''}`,
      },
      { field: 'tax_code' },
    );
  }
}

function salesNotRenewable(): LocalizedError {
  return new LocalizedError(
    'invalid_input',
    {
      vi: 'Website bán hàng đã thông báo không có thời hạn để gia hạn',
      en: 'a notified sales site has no validity to renew',
    },
    { field: 'kind' },
  );
}

/** Identities a current registration of another platform holds cannot be filed again. */
async function checkIdentitiesFree(db: Db, input: ApplicationInput, platformId: string | null): Promise<void> {
  const identities: Array<{ kind: IdentityKind; value: string }> = [
    ...input.domains.map((value) => ({ kind: 'domain' as const, value })),
    ...input.androidApps.map((value) => ({ kind: 'android_app' as const, value })),
    ...input.iosApps.map((value) => ({ kind: 'ios_app' as const, value })),
  ];
  const current: ReadonlySet<PlatformStatus> = new Set(['notified', 'registered', 'suspended', 'blocked']);
  const taken = (await findIdentityOwners(db, identities)).filter(
    (owner) => owner.platformId !== platformId && current.has(owner.status),
  );
  if (taken.length > 0) {
    const first = taken[0];
    const values = taken.map((owner) => owner.value).join(', ');
    const owner = `"${first?.platformName}"${first?.registrationNo ? ` (${first.registrationNo})` : ''}`;
    throw new LocalizedError(
      'conflict',
      {
        vi: `${values} đã thuộc ${owner} trong danh sách`,
        en: `${values} already belong(s) to ${owner} in the register`,
      },
      {
        field:
          first?.kind === 'domain' ? 'primary_domain' : first?.kind === 'android_app' ? 'android_apps' : 'ios_apps',
      },
    );
  }
}

function inputColumns(input: ApplicationInput) {
  return {
    kind: input.kind,
    law_type: input.lawType,
    contact_email: input.contactEmail,
    site_name: input.siteName,
    org_name: input.orgName,
    tax_code: input.taxCode,
    country: input.country,
    head_office_address: input.headOfficeAddress,
    responsible_person: input.responsiblePerson,
    responsible_phone: input.responsiblePhone,
    android_apps: input.androidApps,
    ios_apps: input.iosApps,
    goods_categories: input.goodsCategories,
    cross_border: input.crossBorder,
    vn_representative_kind: input.vnRepresentative?.kind ?? null,
    vn_representative_name: input.vnRepresentative?.name ?? null,
    vn_representative_tax_code: input.vnRepresentative?.taxCode ?? null,
    vn_representative_address: input.vnRepresentative?.address ?? null,
  };
}

/** What the audit trail keeps of an application's content (no token). */
function auditSnapshot(input: ApplicationInput) {
  return {
    kind: input.kind,
    law_type: input.lawType,
    site_name: input.siteName,
    org_name: input.orgName,
    tax_code: input.taxCode,
    country: input.country,
    domains: input.domains,
    android_apps: input.androidApps,
    ios_apps: input.iosApps,
    goods_categories: input.goodsCategories,
    vn_representative: input.vnRepresentative,
  };
}

// ---------------------------------------------------------------------------------------------------
// The business's steps

/** Files a notification (sales site/app) or an application for registration; the clock starts now. */
export async function fileApplication(
  context: ApplicationsContext,
  applicant: Applicant,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  return fileOrRenew(context, applicant, input, actor, null);
}

/**
 * Files the renewal of a registration the applicant's organisation holds: from RENEWAL_WINDOW_DAYS before
 * it ends, or after it expired.
 */
export async function fileRenewal(
  context: ApplicationsContext,
  applicant: Applicant,
  platformId: string,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  const platform = await getPlatform(context.database.db, platformId);
  checkRenewable(platform, applicant, nowOf(context));
  if (input.kind === 'sales') throw salesNotRenewable();
  return fileOrRenew(context, applicant, input, actor, platform);
}

/** Why a platform cannot be renewed by this applicant now, or nothing. */
export interface RenewalBlocker {
  reason: 'not_owner' | 'status' | 'no_end_date' | 'too_early';
  message: Localized;
}

export function renewalBlocker(platform: Platform, applicant: Applicant, now: Date): RenewalBlocker | undefined {
  if (mainTaxCode(platform.organisation?.tax_code) !== mainTaxCode(applicant.organisationTaxCode)) {
    return {
      reason: 'not_owner',
      message: { vi: 'Đăng ký này thuộc tổ chức khác', en: 'this registration belongs to another organisation' },
    };
  }
  if (platform.status !== 'registered' && platform.status !== 'expired') {
    return {
      reason: 'status',
      message: {
        vi: `Đăng ký ở tình trạng "${platform.status}" không gia hạn được`,
        en: `a ${platform.status} registration cannot be renewed`,
      },
    };
  }
  if (!platform.valid_until) {
    return {
      reason: 'no_end_date',
      message: { vi: 'Đăng ký này không có thời hạn', en: 'this registration has no end date' },
    };
  }
  const opens = addCalendarDays(platform.valid_until, -RENEWAL_WINDOW_DAYS);
  if (todayInVietnam(now) < opens) {
    return {
      reason: 'too_early',
      message: {
        vi: `Chưa thể gia hạn: được gia hạn từ ngày ${formatCalendarDate(opens)}, ${RENEWAL_WINDOW_DAYS} ngày trước khi hết hạn`,
        en: `renewal opens on ${formatCalendarDate(opens)}, ${RENEWAL_WINDOW_DAYS} days before the end date`,
      },
    };
  }
  return undefined;
}

function checkRenewable(platform: Platform, applicant: Applicant, now: Date): void {
  const blocker = renewalBlocker(platform, applicant, now);
  if (blocker?.reason === 'not_owner') throw notFound(`no platform with id ${platform.id}`);
  if (blocker) throw new LocalizedError('conflict', blocker.message);
}

async function fileOrRenew(
  context: ApplicationsContext,
  applicant: Applicant,
  input: ApplicationInput,
  actor: ActorContext,
  renewing: Platform | null,
): Promise<Application> {
  checkApplicantOwnsOrganisation(applicant, input);
  await checkIdentitiesFree(context.database.db, input, renewing?.id ?? null);
  const now = nowOf(context);
  const deadline = reviewDeadline(context, now);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('applications as a')
      .innerJoin('application_domains as d', 'd.application_id', 'a.id')
      .select(['a.reference', 'd.domain'])
      .where('a.applicant_organisation_id', '=', applicant.organisationId)
      .where('a.status', 'in', ['submitted', 'supplement_requested'])
      .where('d.domain', 'in', input.domains)
      .executeTakeFirst();
    if (open) {
      throw new LocalizedError(
        'conflict',
        {
          vi: `${open.domain} đã có trong hồ sơ ${open.reference} đang xử lý của doanh nghiệp`,
          en: `${open.domain} is already in your open application ${open.reference}`,
        },
        { field: 'primary_domain' },
      );
    }
    const type: ApplicationType = renewing ? 'renewal' : applicationTypeForKind(input.kind);
    const row = await insertApplicationRow(trx, {
      ...inputColumns(input),
      reference: await issueReference(trx, now),
      type,
      status: 'submitted',
      applicant_account_id: applicant.accountId,
      applicant_organisation_id: applicant.organisationId,
      platform_id: renewing?.id ?? null,
      registration_no: renewing?.registration_no ?? null,
      verification_token: randomBytes(16).toString('hex'),
      received_at: now,
      due_on: deadline.dueOn,
      deadline_at: deadline.deadlineAt,
    });
    await replaceApplicationDomains(trx, row.id, input.domains);
    await insertApplicationEvent(trx, { applicationId: row.id, action: 'submitted', note: null, actor: actor.actor });
    await queueMail(trx, context, row, 'received');
    await recordAuditEvent(trx, actor, {
      action: renewing ? 'application.renew' : 'application.submit',
      entityType: 'application',
      entityId: row.id,
      changes: { reference: row.reference, type, due_on: deadline.dueOn, ...auditSnapshot(input) },
    });
    return loadApplication(trx, row, now);
  });
  await flushMail(context);
  return application;
}

/** Resubmits an application after a request for supplements; the 3-day clock starts again. */
export async function resubmitApplication(
  context: ApplicationsContext,
  applicant: Applicant,
  id: string,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  checkApplicantOwnsOrganisation(applicant, input);
  const before = await getApplicationOfOrganisation(context, applicant.organisationId, id);
  await checkIdentitiesFree(context.database.db, input, before.platform_id);
  if (before.type === 'renewal' && input.kind === 'sales') {
    throw salesNotRenewable();
  }
  const now = nowOf(context);
  const deadline = reviewDeadline(context, now);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const current = await getApplicationRow(trx, id, { lock: true });
    if (current.status !== 'supplement_requested') {
      throw wrongStatus(
        current.reference,
        current.status,
        'only an application asked for supplements can be resubmitted',
        'chỉ hồ sơ được yêu cầu bổ sung mới nộp lại được',
      );
    }
    const row = await updateApplicationRow(trx, id, {
      ...inputColumns(input),
      type: current.type === 'renewal' ? 'renewal' : applicationTypeForKind(input.kind),
      status: 'submitted',
      received_at: now,
      due_on: deadline.dueOn,
      deadline_at: deadline.deadlineAt,
      supplement_request: null,
      revision: current.revision + 1,
    });
    await replaceApplicationDomains(trx, id, input.domains);
    await insertApplicationEvent(trx, { applicationId: id, action: 'resubmitted', note: null, actor: actor.actor });
    await queueMail(trx, context, row, 'resubmitted');
    await recordAuditEvent(trx, actor, {
      action: 'application.resubmit',
      entityType: 'application',
      entityId: id,
      changes: { revision: row.revision, due_on: deadline.dueOn, ...auditSnapshot(input) },
    });
    return loadApplication(trx, row, now);
  });
  await flushMail(context);
  return application;
}

/**
 * Checks every domain of the application not yet proved (web file, then DNS), records what was found, and
 * returns the application with its domains' states. Allowed while the application is open.
 */
export async function checkApplicationDomains(
  context: ApplicationsContext,
  id: string,
  actor: ActorContext,
  options: { organisationId?: string } = {},
): Promise<{ application: Application; results: DomainCheckResult[] }> {
  const before = options.organisationId
    ? await getApplicationOfOrganisation(context, options.organisationId, id)
    : await getApplication(context, id);
  if (before.status !== 'submitted' && before.status !== 'supplement_requested') {
    throw wrongStatus(
      before.reference,
      before.status,
      'its domains are no longer checked',
      'không kiểm tra tên miền nữa',
    );
  }
  // The network checks run outside the transaction: a slow site must not hold a database connection.
  const pending = before.domains.filter((domain) => !domain.verified);
  const results = await Promise.all(
    pending.map((domain) => checkDomainControl(domain.domain, before.verification_token, context.domainCheck)),
  );
  const now = nowOf(context);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const row = await getApplicationRow(trx, id, { lock: true });
    for (const result of results) await recordDomainCheck(trx, id, result);
    const verified = results.filter((result) => result.verified);
    if (verified.length > 0) {
      await insertApplicationEvent(trx, {
        applicationId: id,
        action: 'domain_verified',
        note: verified.map((result) => `${result.domain} (${result.method})`).join(', '),
        actor: actor.actor,
      });
    }
    const failed = results.filter((result) => !result.verified);
    if (failed.length > 0) {
      await insertApplicationEvent(trx, {
        applicationId: id,
        action: 'domain_check_failed',
        note: failed.map((result) => result.domain).join(', '),
        actor: actor.actor,
      });
    }
    if (results.length > 0) {
      await recordAuditEvent(trx, actor, {
        action: 'application.check_domains',
        entityType: 'application',
        entityId: id,
        changes: { results: results.map(({ domain, verified: ok, method }) => ({ domain, verified: ok, method })) },
      });
    }
    return loadApplication(trx, row, now);
  });
  return { application, results };
}

// ---------------------------------------------------------------------------------------------------
// The officers' decisions

export async function requestSupplement(
  context: ApplicationsContext,
  id: string,
  missing: string,
  actor: ActorContext,
): Promise<Application> {
  const note = cleanNote(missing, 'missing', { vi: 'nội dung cần bổ sung', en: 'what is missing' });
  const now = nowOf(context);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const current = await getApplicationRow(trx, id, { lock: true });
    if (current.status !== 'submitted') {
      throw wrongStatus(
        current.reference,
        current.status,
        'supplements are asked of a submitted application',
        'chỉ yêu cầu bổ sung với hồ sơ đang xem xét',
      );
    }
    const row = await updateApplicationRow(trx, id, { status: 'supplement_requested', supplement_request: note });
    await insertApplicationEvent(trx, { applicationId: id, action: 'supplement_requested', note, actor: actor.actor });
    await queueMail(trx, context, row, 'supplement_requested', { note });
    await recordAuditEvent(trx, actor, {
      action: 'application.request_supplement',
      entityType: 'application',
      entityId: id,
      changes: { status: [current.status, row.status], missing: note },
    });
    return loadApplication(trx, row, now);
  });
  await flushMail(context);
  return application;
}

export async function rejectApplication(
  context: ApplicationsContext,
  id: string,
  reasons: string,
  actor: ActorContext,
): Promise<Application> {
  const note = cleanNote(reasons, 'reasons', { vi: 'lý do', en: 'the reasons' });
  const now = nowOf(context);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const current = await getApplicationRow(trx, id, { lock: true });
    if (current.status !== 'submitted' && current.status !== 'supplement_requested') {
      throw wrongStatus(current.reference, current.status, 'it is decided already', 'hồ sơ đã được xử lý');
    }
    const row = await updateApplicationRow(trx, id, {
      status: 'rejected',
      decision_reason: note,
      decided_at: now,
      decided_by: actor.actor,
    });
    await insertApplicationEvent(trx, { applicationId: id, action: 'rejected', note, actor: actor.actor });
    await queueMail(trx, context, row, 'rejected', { note });
    await recordAuditEvent(trx, actor, {
      action: 'application.reject',
      entityType: 'application',
      entityId: id,
      changes: { status: [current.status, 'rejected'], reasons: note },
    });
    return loadApplication(trx, row, now);
  });
  await flushMail(context);
  return application;
}

function validityOf(type: ApplicationType, kind: PlatformKind, platform: Platform | null, today: string) {
  if (kind === 'sales' && type !== 'renewal') return { validFrom: today, validUntil: null };
  // A renewal continues from the old end date when it is filed before it; otherwise from today.
  const start =
    type === 'renewal' && platform?.valid_until && platform.valid_until >= today
      ? addCalendarDays(platform.valid_until, 1)
      : today;
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year + REGISTRATION_VALIDITY_YEARS, month - 1, day));
  // 29 February + 5 years is 1 March: the period then ends on 28 February.
  return { validFrom: today, validUntil: addCalendarDays(end.toISOString().slice(0, 10), -1) };
}

/**
 * Approves an application whose domains are all proved: issues the registration number (kept on a renewal),
 * writes the platform into the register as notified or registered with its validity, and tells the
 * applicant. The check index and the badge follow at commit.
 */
export async function approveApplication(
  context: ApplicationsContext,
  id: string,
  note: string,
  actor: ActorContext,
): Promise<Application> {
  const now = nowOf(context);
  const today = todayInVietnam(now);
  const comment = toNfc(note).trim().slice(0, 4000);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const current = await getApplicationRow(trx, id, { lock: true });
    if (current.status !== 'submitted') {
      throw wrongStatus(
        current.reference,
        current.status,
        'only a submitted application can be approved',
        'chỉ xác nhận được hồ sơ đang xem xét',
      );
    }
    const domains = await listApplicationDomainRows(trx, id);
    const unproved = domains.filter((domain) => domain.verified_at === null).map((domain) => domain.domain);
    if (unproved.length > 0) {
      throw new LocalizedError(
        'conflict',
        {
          vi: `Chưa chứng minh quyền quản lý ${unproved.join(', ')}: kiểm tra tên miền trước`,
          en: `control of ${unproved.join(', ')} is not proved yet: check the domains first`,
        },
        { field: 'domains' },
      );
    }
    const kind = current.kind as PlatformKind;
    const platform =
      current.type === 'renewal' && current.platform_id ? await getPlatform(trx, current.platform_id) : null;
    const registrationNo = platform?.registration_no ?? (await issueRegistrationNumber(trx, kind, now));
    const status = kind === 'sales' ? 'notified' : 'registered';
    const validity = validityOf(current.type, kind, platform, today);
    const { platformId } = await upsertPlatformFromApplication(
      trx,
      {
        platformId: platform?.id ?? null,
        registrationNo,
        name: current.site_name,
        kind,
        status,
        crossBorder: current.cross_border,
        organisation: {
          name: current.org_name,
          taxCode: current.tax_code,
          country: current.country,
          address: current.head_office_address,
          vnRepresentative: current.vn_representative_name
            ? `${current.vn_representative_name}${current.vn_representative_tax_code ? ` (${current.vn_representative_tax_code})` : ''}, ${current.vn_representative_address ?? ''}`
            : null,
        },
        domains: domains.map((domain) => domain.domain),
        androidApps: current.android_apps,
        iosApps: current.ios_apps,
        validFrom: validity.validFrom,
        validUntil: validity.validUntil,
        reason:
          current.type === 'renewal'
            ? `Gia hạn theo hồ sơ ${current.reference} (renewal approved)`
            : `Xác nhận hồ sơ ${current.reference} (application approved)`,
      },
      actor,
    );
    const row = await updateApplicationRow(trx, id, {
      status: 'approved',
      platform_id: platformId,
      registration_no: registrationNo,
      decision_reason: comment || null,
      decided_at: now,
      decided_by: actor.actor,
    });
    await insertApplicationEvent(trx, {
      applicationId: id,
      action: 'approved',
      note: `${registrationNo}${comment ? ` — ${comment}` : ''}`,
      actor: actor.actor,
    });
    await queueMail(trx, context, row, 'approved', {
      registrationNo,
      validUntil: validity.validUntil,
      recordLink: `${context.portalUrl}/r/${encodeURIComponent(registrationNo)}`,
    });
    await recordAuditEvent(trx, actor, {
      action: 'application.approve',
      entityType: 'application',
      entityId: id,
      changes: {
        status: [current.status, 'approved'],
        registration_no: registrationNo,
        platform_id: platformId,
        platform_status: status,
        valid_from: validity.validFrom,
        valid_until: validity.validUntil,
      },
    });
    return loadApplication(trx, row, now);
  });
  await flushMail(context);
  return application;
}

// ---------------------------------------------------------------------------------------------------
// Suspension, revocation, reinstatement

export type RegistrationAction = 'suspend' | 'revoke' | 'reinstate';

const ACTION_TARGET: Record<Exclude<RegistrationAction, 'reinstate'>, PlatformStatus> = {
  suspend: 'suspended',
  revoke: 'revoked',
};

const ALLOWED_FROM: Record<RegistrationAction, ReadonlySet<string>> = {
  suspend: new Set(['notified', 'registered']),
  revoke: new Set(['notified', 'registered', 'suspended', 'expired']),
  reinstate: new Set(['suspended']),
};

export interface RegistrationActionRecord {
  action: RegistrationAction;
  reason: string;
  legal_basis: string;
  actor: string;
  occurred_at: string;
}

export async function listRegistrationActions(
  context: ApplicationsContext,
  platformId: string,
): Promise<RegistrationActionRecord[]> {
  const rows = await listRegistrationActionRows(context.database.db, platformId);
  return rows.map((row) => ({
    action: row.action,
    reason: row.reason,
    legal_basis: row.legal_basis,
    actor: row.actor,
    occurred_at: row.occurred_at.toISOString(),
  }));
}

/**
 * Suspends, revokes or reinstates a registration, with the reason and the legal basis; takes effect at
 * commit (the check index and the badge follow the register's notification). A reinstated registration
 * returns to the status it had before the suspension, or to expired when its validity ended meanwhile.
 */
export async function changeRegistrationStatus(
  context: ApplicationsContext,
  platformId: string,
  action: RegistrationAction,
  details: { reason: string; legalBasis: string },
  actor: ActorContext,
): Promise<Platform> {
  const reason = cleanNote(details.reason, 'reason', { vi: 'lý do', en: 'the reason' });
  const legalBasis = cleanNote(details.legalBasis, 'legal_basis', { vi: 'căn cứ pháp lý', en: 'the legal basis' });
  const now = nowOf(context);
  const platform = await context.database.db.transaction().execute(async (trx) => {
    const before = await getPlatform(trx, platformId);
    if (!ALLOWED_FROM[action].has(before.status)) {
      throw new LocalizedError('conflict', {
        vi: `Không thể ${{ suspend: 'đình chỉ', revoke: 'thu hồi', reinstate: 'khôi phục' }[action]} đăng ký đang ở tình trạng "${before.status}"`,
        en: `a ${before.status} registration cannot be ${action === 'reinstate' ? 'reinstated' : `${action}d`}`,
      });
    }
    let target: PlatformStatus;
    if (action === 'reinstate') {
      const history = await getStatusHistory(trx, platformId);
      const suspension = history.filter((change) => change.to_status === 'suspended').at(-1);
      target = suspension?.from_status ?? (before.kind === 'sales' ? 'notified' : 'registered');
      if (before.valid_until && before.valid_until < todayInVietnam(now)) target = 'expired';
    } else {
      target = ACTION_TARGET[action];
    }
    await setPlatformStatus(trx, platformId, target, `${reason} (${legalBasis})`, actor);
    await insertRegistrationAction(trx, {
      platform_id: platformId,
      action,
      reason,
      legal_basis: legalBasis,
      actor: actor.actor,
    });
    const applications = await listApplicationRowsOfPlatform(trx, platformId);
    const latest = applications.find((row) => row.status === 'approved');
    if (latest) {
      const step: MailStep = action === 'suspend' ? 'suspended' : action === 'revoke' ? 'revoked' : 'reinstated';
      await queueMail(trx, context, latest, step, {
        note: reason,
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
        registration_no: before.registration_no,
      },
    });
    return getPlatform(trx, platformId);
  });
  await flushMail(context);
  return platform;
}

// ---------------------------------------------------------------------------------------------------
// Reminders

/** Applications waiting for a decision whose due day is today or past (Vietnam calendar). */
export async function listDueApplications(context: ApplicationsContext): Promise<Application[]> {
  const db = context.database.db;
  const now = nowOf(context);
  const rows = await listDueApplicationRows(db, todayInVietnam(now));
  return Promise.all(rows.map((row) => loadApplication(db, row, now)));
}
