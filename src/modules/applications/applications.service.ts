/**
 * Notifications and registration applications: what they are, how they are read, and the one way their status
 * changes (`transitionApplication`: the row locked, its status checked, written, and the step recorded in the
 * history, the audit trail and the applicant's e-mail, all in one transaction). The steps themselves are in
 * `filing.service.ts` (the business's), `review.service.ts` (the officers' decisions) and
 * `registration.service.ts` (suspension, revocation, reinstatement of a registration).
 */
import type { Updateable } from 'kysely';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import type { Mailer } from '../../core/mail.ts';
import { deliverDueMail, enqueueMail } from '../../core/mail-outbox.ts';
import { toNfc } from '../../core/text.ts';
import { type DeadlineStatus, deadlineStatus, type WorkingCalendar } from '../../core/working-days.ts';
import type { ProcedureCode } from '../procedures/index.ts';
import type { LawPlatformType, PlatformKind } from '../registry/index.ts';
import { APPLICATION_STATUS_LABELS, labelOf } from './applications.labels.ts';
import { composeMail, type MailFacts, type MailStep } from './applications.mail.ts';
import {
  type ApplicationDomainRow,
  type ApplicationRow,
  findApplicationRow,
  insertApplicationEvent,
  listApplicationDomainRows,
  listApplicationEventRows,
  listApplicationRowsByStatus,
  listApplicationRowsOfOrganisation,
  listApplicationRowsOfPlatform,
  listDueApplicationRows,
  listRegistrationActionRows,
  updateApplicationRow,
} from './applications.repository.ts';
import type { ApplicationTable } from './applications.table.ts';
import type { DomainCheckFailure, DomainCheckOptions } from './domain-control.ts';

/**
 * The procedure of the table of procedures (module `procedures`) whose period an application's review counts:
 * a notification, a registration, a change of notified or registered information, a re-registration.
 */
export function procedureOfApplication(type: ApplicationType): ProcedureCode {
  return type;
}

export const APPLICATION_STATUSES = ['submitted', 'supplement_requested', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_TYPES = ['notification', 'registration', 'change', 'reregistration'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** An own sales site or app is notified; every other kind of platform is registered. */
export function applicationTypeForKind(kind: PlatformKind): 'notification' | 'registration' {
  return kind === 'sales' ? 'notification' : 'registration';
}

/** What the module needs from the composition root. */
export interface ApplicationsContext {
  database: Database;
  mailer: Mailer;
  /** Public base URL of the portal, no trailing slash (links in e-mails, the badge snippet). */
  portalUrl: string;
  /**
   * The working calendar as stored now (table `calendar_days`): read per deadline, so a year's official days an
   * administrator loads count at once, in every process.
   */
  workingCalendar(): Promise<WorkingCalendar>;
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
  /** Why the last check failed, as the applicant is told. */
  last_check_failures: DomainCheckFailure[];
  /** What the last check met (addresses, errors): for officers; null in the applicant's view. */
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
  /** A change: the day the information changed, the day the business had to report it by, and whether it was late. */
  information_changed_on: string | null;
  change_report_due_on: string | null;
  reported_late: boolean | null;
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
      last_check_failures: domain.last_check_failures ?? [],
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
    information_changed_on: row.information_changed_on,
    change_report_due_on: row.change_report_due_on,
    reported_late: row.reported_late,
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

export async function loadApplication(db: Db, row: ApplicationRow, now: Date): Promise<Application> {
  return applicationRowToApplication(row, await listApplicationDomainRows(db, row.id), now);
}

/**
 * The application as its applicant may see it: what the domain checks met on the way (addresses, ports, errors,
 * DNS answers) is left out, only why they failed stays (see domain-control.ts).
 */
export function applicantView(application: Application): Application {
  return {
    ...application,
    domains: application.domains.map((domain) => ({ ...domain, last_check_detail: null })),
  };
}

function noSuchApplication(id: string) {
  return notFound({ vi: 'Không có hồ sơ này', en: `no application with id ${id}` });
}

async function getApplicationRow(db: Db, id: string, options: { lock?: boolean } = {}): Promise<ApplicationRow> {
  const row = isUuid(id) ? await findApplicationRow(db, id, options) : undefined;
  if (!row) throw noSuchApplication(id);
  return row;
}

/** Any application, as officers see it. */
export async function getApplication(context: ApplicationsContext, id: string): Promise<Application> {
  const db = context.database.db;
  return loadApplication(db, await getApplicationRow(db, id), nowOf(context));
}

/** The application, as its applicant sees it, if the applicant's organisation filed it; not_found otherwise. */
export async function getApplicationOfOrganisation(
  context: ApplicationsContext,
  organisationId: string,
  id: string,
): Promise<Application> {
  const application = await getApplication(context, id);
  if (application.applicant_organisation_id !== organisationId) throw noSuchApplication(id);
  return applicantView(application);
}

export async function listApplicationEvents(context: ApplicationsContext, id: string): Promise<ApplicationEvent[]> {
  const rows = await listApplicationEventRows(context.database.db, id);
  return rows.map((row) => ({
    action: row.action,
    note: row.note,
    actor: row.actor,
    occurred_at: row.occurred_at.toISOString(),
  }));
}

/** The organisation's applications, as its applicant sees them. */
export async function listApplicationsOfOrganisation(
  context: ApplicationsContext,
  organisationId: string,
): Promise<Application[]> {
  const db = context.database.db;
  const now = nowOf(context);
  const rows = await listApplicationRowsOfOrganisation(db, organisationId);
  return Promise.all(rows.map(async (row) => applicantView(await loadApplication(db, row, now))));
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

/** Applications waiting for a decision whose due day is today or past (Vietnam calendar). */
export async function listDueApplications(context: ApplicationsContext): Promise<Application[]> {
  const db = context.database.db;
  const now = nowOf(context);
  const rows = await listDueApplicationRows(db, todayInVietnam(now));
  return Promise.all(rows.map((row) => loadApplication(db, row, now)));
}

export type RegistrationAction = 'suspend' | 'cancel' | 'reinstate' | 'terminate';

export interface RegistrationActionRecord {
  action: RegistrationAction;
  reason: string;
  legal_basis: string;
  /** Codes of the cancellation grounds (cancellations only). */
  grounds: string[];
  /** The termination request or proposal the decision accepted. */
  request_id: string | null;
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
    grounds: row.grounds,
    request_id: row.request_id,
    actor: row.actor,
    occurred_at: row.occurred_at.toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Writes: one transaction each, the e-mails sent after its commit

/**
 * Runs a write in one transaction, then sends the e-mails it queued: after the commit, so none goes out for a
 * step that rolled back, and one that fails stays in the outbox for the retry job.
 */
export async function writeThenSendMail<T>(context: ApplicationsContext, write: (trx: Db) => Promise<T>): Promise<T> {
  const result = await context.database.db.transaction().execute(write);
  try {
    await deliverDueMail(context.database.db, context.mailer, context.log);
  } catch (error) {
    context.log.warn({ err: error }, 'mail delivery failed; will retry');
  }
  return result;
}

/** Writes an e-mail about the application to its contact address into the outbox (sent after commit). */
export async function queueMail(
  trx: Db,
  context: ApplicationsContext,
  row: ApplicationRow,
  step: MailStep,
  facts: Partial<MailFacts> = {},
): Promise<void> {
  const mail = composeMail(step, {
    reference: row.reference,
    siteName: row.site_name,
    link: `${context.portalUrl}/business/applications/${row.id}`,
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

/** A step of an application, as it is recorded: in its history, in the audit trail, and in an e-mail to the applicant. */
export interface ApplicationStep {
  event: { action: string; note: string | null };
  audit: { action: string; changes: Record<string, unknown> };
  mail: { step: MailStep; facts?: Partial<MailFacts> };
}

/** Records a step of the application (as it now is) in the transaction that made it. */
export async function recordApplicationStep(
  trx: Db,
  context: ApplicationsContext,
  actor: ActorContext,
  row: ApplicationRow,
  step: ApplicationStep,
): Promise<void> {
  await insertApplicationEvent(trx, { applicationId: row.id, ...step.event, actor: actor.actor });
  await queueMail(trx, context, row, step.mail.step, step.mail.facts);
  await recordAuditEvent(trx, actor, {
    action: step.audit.action,
    entityType: 'application',
    entityId: row.id,
    changes: step.audit.changes,
  });
}

/** Which applications a step applies to. */
export interface ApplicationGuard {
  /** The statuses that allow the step. */
  from: readonly ApplicationStatus[];
  /** Why another status does not, in both languages (shown after "application HS-… is <status>: "). */
  refusal: Localized;
  /** A business's step: only an application of its organisation (others are not found, with no hint they exist). */
  organisationId?: string | undefined;
}

/**
 * Locks the application's row until the transaction ends and checks it against the guard there: two officers
 * deciding at once are served one after the other, and the second sees what the first decided.
 */
export async function lockApplication(trx: Db, id: string, guard: ApplicationGuard): Promise<ApplicationRow> {
  const row = await getApplicationRow(trx, id, { lock: true });
  if (guard.organisationId !== undefined && row.applicant_organisation_id !== guard.organisationId) {
    throw noSuchApplication(id);
  }
  checkStatus(row, guard);
  return row;
}

/** Refuses a step that the application's status (as read) does not allow. */
export function checkStatus(row: Pick<ApplicationRow, 'reference' | 'status'>, guard: ApplicationGuard): void {
  if (guard.from.includes(row.status)) return;
  throw conflict({
    vi: `Hồ sơ ${row.reference} đang ở tình trạng “${labelOf(APPLICATION_STATUS_LABELS, row.status).vi}”: ${guard.refusal.vi}`,
    en: `application ${row.reference} is ${row.status}: ${guard.refusal.en}`,
  });
}

export interface Transition extends ApplicationGuard {
  to: ApplicationStatus;
  /**
   * The checks and writes that depend on the locked application (run after its status is checked, in the
   * transaction): returns the columns to set besides the status, and the step to record. The status change is
   * added to the audit event's changes.
   */
  apply(trx: Db, current: ApplicationRow): Promise<{ patch: Updateable<ApplicationTable>; step: ApplicationStep }>;
}

/**
 * The one way an application's status changes: locks it, checks its status (and owner) under the lock, lets the
 * transition check and write what it depends on, updates the application, and records the step (history, audit
 * event, e-mail to the outbox), all in the caller's transaction. Returns the application as written.
 */
export async function transitionApplication(
  trx: Db,
  context: ApplicationsContext,
  actor: ActorContext,
  id: string,
  transition: Transition,
): Promise<ApplicationRow> {
  const current = await lockApplication(trx, id, transition);
  const { patch, step } = await transition.apply(trx, current);
  const row = await updateApplicationRow(trx, id, { ...patch, status: transition.to });
  await recordApplicationStep(trx, context, actor, row, {
    ...step,
    audit: { action: step.audit.action, changes: { status: [current.status, transition.to], ...step.audit.changes } },
  });
  return row;
}

/** A transition in a transaction of its own, e-mail sent after commit; returns the application as officers see it. */
export async function runTransition(
  context: ApplicationsContext,
  actor: ActorContext,
  id: string,
  transition: Transition,
): Promise<Application> {
  const now = nowOf(context);
  return writeThenSendMail(context, async (trx) =>
    loadApplication(trx, await transitionApplication(trx, context, actor, id, transition), now),
  );
}

/** An officer's or applicant's free text (a note, reasons): NFC, trimmed, required, at most 4000 characters. */
export function cleanNote(text: string, field: string, label: Localized): string {
  const cleaned = toNfc(text).replace(/\r\n/g, '\n').trim();
  if (cleaned === '') throw invalidInput({ vi: `Chưa nhập ${label.vi}.`, en: `${label.en} is required` }, field);
  if (cleaned.length > 4000) {
    throw invalidInput(
      { vi: `Phần “${label.vi}” dài quá 4000 ký tự.`, en: `${label.en} is longer than 4000 characters` },
      field,
    );
  }
  return cleaned;
}
