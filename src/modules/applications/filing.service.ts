/**
 * The business's steps: filing a notification or an application for registration, a change of information or a
 * re-registration,
 * resubmitting after a request for supplements, and proving control of the domains. Each check that depends on
 * the database runs in the step's transaction, on locked rows.
 */
import { randomBytes } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { procedureDeadline, procedureDeadlineFromDay, procedureWorkingDays } from '../procedures/index.ts';
import {
  findIdentityOwners,
  getPlatform,
  type IdentityKind,
  type Platform,
  type PlatformStatus,
  statusLabel,
} from '../registry/index.ts';
import {
  findOpenApplicationWithDomain,
  insertApplicationEvent,
  insertApplicationRow,
  nextSequenceValue,
  recordDomainCheck,
  replaceApplicationDomains,
} from './applications.repository.ts';
import type { ApplicationInput } from './applications.schemas.ts';
import {
  type Applicant,
  type Application,
  type ApplicationGuard,
  type ApplicationsContext,
  type ApplicationType,
  applicantView,
  applicationTypeForKind,
  checkStatus,
  getApplication,
  getApplicationOfOrganisation,
  loadApplication,
  lockApplication,
  nowOf,
  procedureOfApplication,
  recordApplicationStep,
  runTransition,
  writeThenSendMail,
} from './applications.service.ts';
import { checkDomainControl, type DomainCheckResult } from './domain-control.ts';

/** Files a notification (sales site/app) or an application for registration; the clock starts now. */
export async function fileApplication(
  context: ApplicationsContext,
  applicant: Applicant,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  return fileOnPlatform(context, applicant, input, actor, null);
}

/**
 * Files a change of the information of a notified or registered platform of the applicant's organisation
 * (Circular 47/2014/TT-BCT Art. 11 and 17): it keeps its registration number. The business reports a change within
 * the period of `change_report` (7 working days) from the day the information changed; a later report is received
 * all the same and marked late, with the provision. The Ministry's clock is the period of `change`.
 */
export async function fileChange(
  context: ApplicationsContext,
  applicant: Applicant,
  platformId: string,
  input: ApplicationInput & { informationChangedOn: string },
  actor: ActorContext,
): Promise<Application> {
  return fileOnPlatform(context, applicant, input, actor, { type: 'change', platformId });
}

/**
 * Files the re-registration of a platform of the applicant's organisation whose registration was cancelled
 * (status `revoked`; Circular 47/2014/TT-BCT Art. 19, see the row `reregistration` of the table of procedures for
 * what of it was verified). The Ministry's clock is the period of `reregistration`.
 */
export async function fileReregistration(
  context: ApplicationsContext,
  applicant: Applicant,
  platformId: string,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  return fileOnPlatform(context, applicant, input, actor, { type: 'reregistration', platformId });
}

/** Why a platform cannot take this filing from this applicant now, or nothing. */
export interface PlatformFilingBlocker {
  reason: 'not_owner' | 'status';
  message: Localized;
}

/** The statuses a platform must have for a change, a re-registration. */
const FILABLE_STATUSES: Record<'change' | 'reregistration', readonly PlatformStatus[]> = {
  change: ['notified', 'registered'],
  reregistration: ['revoked'],
};

export function platformFilingBlocker(
  type: 'change' | 'reregistration',
  platform: Platform,
  applicant: Applicant,
): PlatformFilingBlocker | undefined {
  if (mainTaxCode(platform.organisation?.tax_code) !== mainTaxCode(applicant.organisationTaxCode)) {
    return {
      reason: 'not_owner',
      message: { vi: 'Nền tảng này thuộc tổ chức khác', en: 'this platform belongs to another organisation' },
    };
  }
  if (!FILABLE_STATUSES[type].includes(platform.status)) {
    return {
      reason: 'status',
      message:
        type === 'change'
          ? {
              vi: `Nền tảng đang ở tình trạng “${statusLabel(platform.status).vi}”: chỉ thông báo thay đổi thông tin của nền tảng đã thông báo hoặc đã đăng ký`,
              en: `a ${platform.status} platform cannot take a change of information: only a notified or registered one`,
            }
          : {
              vi: `Nền tảng đang ở tình trạng “${statusLabel(platform.status).vi}”: chỉ đăng ký lại nền tảng đã bị hủy bỏ đăng ký`,
              en: `a ${platform.status} platform cannot be re-registered: only one whose registration was cancelled`,
            },
    };
  }
  return undefined;
}

/** The platform of a change or re-registration, locked until the filing commits (a decision cannot slip in between). */
async function lockFilablePlatform(
  trx: Db,
  type: 'change' | 'reregistration',
  platformId: string,
  applicant: Applicant,
) {
  const platform = await getPlatform(trx, platformId, { lock: true });
  const blocker = platformFilingBlocker(type, platform, applicant);
  if (blocker?.reason === 'not_owner') {
    throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platform.id}` });
  }
  if (blocker) throw conflict(blocker.message);
  return platform;
}

/** When a change was due to be reported, and whether this report is late; refuses a day after today. */
async function changeReport(context: ApplicationsContext, changedOn: string, now: Date) {
  if (changedOn > todayInVietnam(now)) {
    throw invalidInput(
      { vi: 'Ngày thay đổi thông tin không được sau hôm nay', en: 'the day the information changed is after today' },
      'information_changed_on',
    );
  }
  const due = await procedureDeadlineFromDay(context.database.db, 'change_report', changedOn, {
    calendar: await context.workingCalendar(),
  });
  return {
    information_changed_on: changedOn,
    change_report_due_on: due.dueOn,
    reported_late: todayInVietnam(now) > due.dueOn,
    provision: due.procedure.provision,
  };
}

async function fileOnPlatform(
  context: ApplicationsContext,
  applicant: Applicant,
  input: ApplicationInput & { informationChangedOn?: string },
  actor: ActorContext,
  on: { type: 'change' | 'reregistration'; platformId: string } | null,
): Promise<Application> {
  checkApplicantOwnsOrganisation(applicant, input);
  const now = nowOf(context);
  const type: ApplicationType = on?.type ?? applicationTypeForKind(input.kind);
  if (type === 'reregistration' && input.kind === 'sales') throw salesNotReregistered();
  if (type === 'change' && !input.informationChangedOn) {
    throw invalidInput(
      { vi: 'Cần ngày thay đổi thông tin', en: 'the day the information changed is required' },
      'information_changed_on',
    );
  }
  const report = type === 'change' ? await changeReport(context, input.informationChangedOn as string, now) : null;
  const deadline = await reviewDeadline(context, type, now);
  const application = await writeThenSendMail(context, async (trx) => {
    const platform = on ? await lockFilablePlatform(trx, on.type, on.platformId, applicant) : null;
    if (platform && type === 'change' && (input.kind === 'sales') !== (platform.kind === 'sales')) {
      throw invalidInput(
        {
          vi: 'Thông báo thay đổi không đổi được website bán hàng thành nền tảng phải đăng ký và ngược lại',
          en: 'a change cannot turn a notified sales site into a registered platform or the reverse',
        },
        'kind',
      );
    }
    await checkIdentitiesFree(trx, input, platform?.id ?? null);
    const open = await findOpenApplicationWithDomain(trx, applicant.organisationId, input.domains);
    if (open) {
      throw conflict(
        {
          vi: `${open.domain} đã có trong hồ sơ ${open.reference} đang xử lý của doanh nghiệp`,
          en: `${open.domain} is already in your open application ${open.reference}`,
        },
        'primary_domain',
      );
    }
    const row = await insertApplicationRow(trx, {
      ...inputColumns(input),
      reference: await issueReference(trx, now),
      type,
      status: 'submitted',
      applicant_account_id: applicant.accountId,
      applicant_organisation_id: applicant.organisationId,
      platform_id: platform?.id ?? null,
      registration_no: platform?.registration_no ?? null,
      information_changed_on: report?.information_changed_on ?? null,
      change_report_due_on: report?.change_report_due_on ?? null,
      reported_late: report?.reported_late ?? null,
      verification_token: randomBytes(16).toString('hex'),
      received_at: now,
      due_on: deadline.dueOn,
      deadline_at: deadline.deadlineAt,
    });
    await replaceApplicationDomains(trx, row.id, input.domains);
    await recordApplicationStep(trx, context, actor, row, {
      event: {
        action: 'submitted',
        note: report?.reported_late
          ? `Thông báo thay đổi quá hạn: thông tin thay đổi ngày ${formatCalendarDate(report.information_changed_on)}, hạn thông báo ${formatCalendarDate(report.change_report_due_on)} (${report.provision})`
          : null,
      },
      mail: { step: 'received', facts: { workingDays: deadline.workingDays } },
      audit: {
        action: on ? `application.${on.type}` : 'application.submit',
        changes: {
          reference: row.reference,
          type,
          due_on: deadline.dueOn,
          working_days: deadline.workingDays,
          ...(report
            ? {
                information_changed_on: report.information_changed_on,
                change_report_due_on: report.change_report_due_on,
                reported_late: report.reported_late,
              }
            : {}),
          ...auditSnapshot(input),
        },
      },
    });
    return loadApplication(trx, row, now);
  });
  return applicantView(application);
}

/**
 * Resubmits an application after a request for supplements: the clock of its procedure starts again from now
 * (the row `supplement` of the table of procedures).
 */
export async function resubmitApplication(
  context: ApplicationsContext,
  applicant: Applicant,
  id: string,
  input: ApplicationInput,
  actor: ActorContext,
): Promise<Application> {
  checkApplicantOwnsOrganisation(applicant, input);
  const now = nowOf(context);
  // The type of an application stays what it was filed as (a change, a re-registration) or follows its kind; the
  // deadline is counted before the transaction (the calendar and the table are read on the outer handle).
  const before = await getApplicationOfOrganisation(context, applicant.organisationId, id);
  const type: ApplicationType =
    before.type === 'change' || before.type === 'reregistration' ? before.type : applicationTypeForKind(input.kind);
  const deadline = await reviewDeadline(context, type, now);
  const application = await runTransition(context, actor, id, {
    from: ['supplement_requested'],
    to: 'submitted',
    refusal: {
      vi: 'chỉ hồ sơ được yêu cầu bổ sung mới nộp lại được',
      en: 'only an application asked for supplements can be resubmitted',
    },
    organisationId: applicant.organisationId,
    apply: async (trx, current) => {
      if (current.type === 'reregistration' && input.kind === 'sales') throw salesNotReregistered();
      await checkIdentitiesFree(trx, input, current.platform_id);
      await replaceApplicationDomains(trx, id, input.domains);
      return {
        patch: {
          ...inputColumns(input),
          type,
          received_at: now,
          due_on: deadline.dueOn,
          deadline_at: deadline.deadlineAt,
          supplement_request: null,
          revision: current.revision + 1,
        },
        step: {
          event: { action: 'resubmitted', note: null },
          mail: { step: 'resubmitted' },
          audit: {
            action: 'application.resubmit',
            changes: { revision: current.revision + 1, due_on: deadline.dueOn, ...auditSnapshot(input) },
          },
        },
      };
    },
  });
  return applicantView(application);
}

/** While an application is open, the applicant may prove control of its domains (and an officer check them). */
/** A domain check as answered: `detail` is null in the applicant's answer (see domain-control.ts). */
export type DomainCheckAnswer = Omit<DomainCheckResult, 'detail'> & { detail: string | null };

const DOMAINS_CHECKABLE: ApplicationGuard = {
  from: ['submitted', 'supplement_requested'],
  refusal: { vi: 'không kiểm tra tên miền nữa', en: 'its domains are no longer checked' },
};

/**
 * Checks every domain of the application not yet proved (web file, then DNS), records what was found, and
 * returns the application with its domains' states. Allowed while the application is open. With
 * `organisationId` (the applicant's own request), only that organisation's application, and the answer is what
 * the applicant may see: why a check failed, not what it met (see domain-control.ts).
 */
export async function checkApplicationDomains(
  context: ApplicationsContext,
  id: string,
  actor: ActorContext,
  options: { organisationId?: string } = {},
): Promise<{ application: Application; results: DomainCheckAnswer[] }> {
  const guard = { ...DOMAINS_CHECKABLE, organisationId: options.organisationId };
  const before = options.organisationId
    ? await getApplicationOfOrganisation(context, options.organisationId, id)
    : await getApplication(context, id);
  // Checked again under the lock below; here it spares the network checks of an application already decided.
  checkStatus(before, guard);
  // The network checks run outside the transaction: a slow site must not hold a database connection.
  const pending = before.domains.filter((domain) => !domain.verified);
  const results = await Promise.all(
    pending.map((domain) => checkDomainControl(domain.domain, before.verification_token, context.domainCheck)),
  );
  const now = nowOf(context);
  const application = await context.database.db.transaction().execute(async (trx) => {
    const row = await lockApplication(trx, id, guard);
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
        changes: {
          results: results.map(({ domain, verified: ok, method, failures, detail }) => ({
            domain,
            verified: ok,
            method,
            failures,
            detail,
          })),
        },
      });
    }
    return loadApplication(trx, row, now);
  });
  if (!options.organisationId) return { application, results };
  return {
    application: applicantView(application),
    results: results.map((result) => ({ ...result, detail: null })),
  };
}

// ---------------------------------------------------------------------------------------------------
// The rules of a filing

/**
 * The review deadline of an application of `type` received now: the period of its procedure in the table of
 * procedures; warns when the holiday calendar does not cover it.
 */
async function reviewDeadline(context: ApplicationsContext, type: ApplicationType, now: Date) {
  const calendar = await context.workingCalendar();
  const deadline = await procedureDeadline(context.database.db, procedureOfApplication(type), now, { calendar });
  if (Number(deadline.dueOn.slice(0, 4)) > calendar.years.last) {
    context.log.warn(
      { dueOn: deadline.dueOn, calendarEnds: calendar.years.last },
      'the working calendar (table calendar_days) does not cover this deadline: only weekends were skipped; load the year with `ecomgov calendar add-days`',
    );
  }
  return deadline;
}

async function issueReference(trx: Db, now: Date): Promise<string> {
  const year = Number(todayInVietnam(now).slice(0, 4));
  const value = await nextSequenceValue(trx, 'HS', year);
  return `HS-${year}-${String(value).padStart(6, '0')}`;
}

function mainTaxCode(code: string | null | undefined): string | undefined {
  return code ? code.slice(0, 10) : undefined;
}

/** A business files for its own organisation: its tax code, or for a platform abroad its representative's. */
function checkApplicantOwnsOrganisation(applicant: Applicant, input: ApplicationInput): void {
  const own = mainTaxCode(applicant.organisationTaxCode);
  const codes = [mainTaxCode(input.taxCode), mainTaxCode(input.vnRepresentative?.taxCode)];
  if (!codes.includes(own)) {
    throw invalidInput(
      {
        vi: `Mã số doanh nghiệp phải là của tổ chức của tài khoản (${applicant.organisationTaxCode})${input.crossBorder ? ', hoặc của pháp nhân, người đại diện tại Việt Nam' : ''}`,
        en: `the tax code must be your organisation's (${applicant.organisationTaxCode})${input.crossBorder ? ', or that of your legal entity or representative in Vietnam' : ''}`,
      },
      'tax_code',
    );
  }
}

function salesNotReregistered() {
  return invalidInput(
    {
      vi: 'Đăng ký lại là thủ tục của nền tảng cung cấp dịch vụ thương mại điện tử, không của website bán hàng',
      en: 'a re-registration is for an e-commerce service platform, not a sales site',
    },
    'kind',
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
  const first = taken[0];
  if (!first) return;
  const values = taken.map((owner) => owner.value).join(', ');
  const owner = `"${first.platformName}"${first.registrationNo ? ` (${first.registrationNo})` : ''}`;
  throw conflict(
    {
      vi: `${values} đã thuộc ${owner} trong danh sách`,
      en: `${values} already belong(s) to ${owner} in the register`,
    },
    first.kind === 'domain' ? 'primary_domain' : first.kind === 'android_app' ? 'android_apps' : 'ios_apps',
  );
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

/** The periods a filing page states, in working days, as the table of procedures has them today. */
export interface FilingPeriods {
  notification: number;
  registration: number;
  change: number;
  reregistration: number;
  changeReport: number;
}

export async function filingPeriods(context: ApplicationsContext): Promise<FilingPeriods> {
  const db = context.database.db;
  const now = nowOf(context);
  return {
    notification: await procedureWorkingDays(db, 'notification', now),
    registration: await procedureWorkingDays(db, 'registration', now),
    change: await procedureWorkingDays(db, 'change', now),
    reregistration: await procedureWorkingDays(db, 'reregistration', now),
    changeReport: await procedureWorkingDays(db, 'change_report', now),
  };
}
