/**
 * The officers' decisions on an application: ask for supplements, reject, approve. Each is a transition
 * (`transitionApplication`): its checks run on the locked application in the decision's transaction, so of two
 * officers deciding at once the second is told what the first decided.
 */
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { AppError, conflict } from '../../core/errors.ts';
import { toNfc } from '../../core/text.ts';
import { findOrganisationOfBusiness } from '../accounts/index.ts';
import {
  findPlatformByRegistrationNo,
  getPlatform,
  type PlatformKind,
  upsertPlatformFromApplication,
} from '../registry/index.ts';
import { listApplicationDomainRows, nextSequenceValue } from './applications.repository.ts';
import {
  type Application,
  type ApplicationsContext,
  type ApplicationType,
  cleanNote,
  nowOf,
  runTransition,
} from './applications.service.ts';

export async function requestSupplement(
  context: ApplicationsContext,
  id: string,
  missing: string,
  actor: ActorContext,
): Promise<Application> {
  const note = cleanNote(missing, 'missing', { vi: 'nội dung cần bổ sung', en: 'what is missing' });
  return runTransition(context, actor, id, {
    from: ['submitted'],
    to: 'supplement_requested',
    refusal: {
      vi: 'chỉ yêu cầu bổ sung với hồ sơ đang xem xét',
      en: 'supplements are asked of a submitted application',
    },
    apply: async () => ({
      patch: { supplement_request: note },
      step: {
        event: { action: 'supplement_requested', note },
        mail: { step: 'supplement_requested', facts: { note } },
        audit: { action: 'application.request_supplement', changes: { missing: note } },
      },
    }),
  });
}

export async function rejectApplication(
  context: ApplicationsContext,
  id: string,
  reasons: string,
  actor: ActorContext,
): Promise<Application> {
  const note = cleanNote(reasons, 'reasons', { vi: 'lý do', en: 'the reasons' });
  const now = nowOf(context);
  return runTransition(context, actor, id, {
    from: ['submitted', 'supplement_requested'],
    to: 'rejected',
    refusal: { vi: 'hồ sơ đã được xử lý', en: 'it is decided already' },
    apply: async () => ({
      patch: { decision_reason: note, decided_at: now, decided_by: actor.actor },
      step: {
        event: { action: 'rejected', note },
        mail: { step: 'rejected', facts: { note } },
        audit: { action: 'application.reject', changes: { reasons: note } },
      },
    }),
  });
}

/**
 * Approves an application whose domains are all proved: issues the registration number (kept on a change and a
 * re-registration), writes the platform into the register as notified or registered, and tells the applicant.
 * Neither Decree 52/2013 nor Circular 47/2014 gives a notification or a registration a validity term: an approval
 * writes no end date (`valid_until` null); a change keeps the dates an imported record carries. The check index and the badge follow at commit. Of the organisations the application names, only
 * the applicant's own is written into the register (see `upsertPlatformFromApplication`).
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
  return runTransition(context, actor, id, {
    from: ['submitted'],
    to: 'approved',
    refusal: { vi: 'chỉ xác nhận được hồ sơ đang xem xét', en: 'only a submitted application can be approved' },
    apply: async (trx, current) => {
      const domains = await listApplicationDomainRows(trx, id);
      const unproved = domains.filter((domain) => domain.verified_at === null).map((domain) => domain.domain);
      if (unproved.length > 0) {
        throw conflict(
          {
            vi: `Chưa chứng minh quyền quản lý ${unproved.join(', ')}: kiểm tra tên miền trước`,
            en: `control of ${unproved.join(', ')} is not proved yet: check the domains first`,
          },
          'domains',
        );
      }
      const applicant = await findOrganisationOfBusiness(trx, current.applicant_organisation_id);
      if (!applicant) {
        throw new AppError('internal', {
          vi: `Không còn tổ chức đã nộp hồ sơ ${current.reference}`,
          en: `the organisation that filed application ${current.reference} is missing`,
        });
      }
      const kind = current.kind as PlatformKind;
      const platform =
        (current.type === 'change' || current.type === 'reregistration') && current.platform_id
          ? await getPlatform(trx, current.platform_id, { lock: true })
          : null;
      const registrationNo = platform?.registration_no ?? (await issueRegistrationNumber(trx, kind, now));
      const status = kind === 'sales' ? 'notified' : 'registered';
      const validity =
        current.type === 'change' && platform
          ? { validFrom: platform.valid_from ?? today, validUntil: platform.valid_until }
          : { validFrom: today, validUntil: null };
      const written = await upsertPlatformFromApplication(
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
          applicantTaxCode: applicant.tax_code,
          domains: domains.map((domain) => domain.domain),
          androidApps: current.android_apps,
          iosApps: current.ios_apps,
          validFrom: validity.validFrom,
          validUntil: validity.validUntil,
          reason: APPROVAL_REASONS[current.type](current.reference),
        },
        actor,
      );
      return {
        patch: {
          platform_id: written.platformId,
          registration_no: registrationNo,
          decision_reason: comment || null,
          decided_at: now,
          decided_by: actor.actor,
        },
        step: {
          event: { action: 'approved', note: `${registrationNo}${comment ? ` — ${comment}` : ''}` },
          mail: {
            step: 'approved',
            facts: {
              registrationNo,
              validUntil: validity.validUntil,
              recordLink: `${context.portalUrl}/r/${encodeURIComponent(registrationNo)}`,
            },
          },
          audit: {
            action: 'application.approve',
            changes: {
              registration_no: registrationNo,
              platform_id: written.platformId,
              platform_status: status,
              organisation_id: written.organisationId,
              organisation: written.organisation,
              valid_from: validity.validFrom,
              valid_until: validity.validUntil,
            },
          },
        },
      };
    },
  });
}

/** The status history's reason of an approval, by the application's type. */
const APPROVAL_REASONS: Record<ApplicationType, (reference: string) => string> = {
  notification: (reference) => `Xác nhận hồ sơ ${reference} (application approved)`,
  registration: (reference) => `Xác nhận hồ sơ ${reference} (application approved)`,
  change: (reference) => `Xác nhận thay đổi thông tin theo hồ sơ ${reference} (change approved)`,
  reregistration: (reference) => `Xác nhận đăng ký lại theo hồ sơ ${reference} (re-registration approved)`,
};

/**
 * A registration number: TB-YYYY-NNNNN for a notified sales site/app, DK-YYYY-NNNNN for a registered
 * platform, from a sequence per prefix and year; a number the register already holds (imported) is skipped.
 */
async function issueRegistrationNumber(trx: Db, kind: PlatformKind, now: Date): Promise<string> {
  const prefix = kind === 'sales' ? 'TB' : 'DK';
  const year = Number(todayInVietnam(now).slice(0, 4));
  for (;;) {
    const value = await nextSequenceValue(trx, prefix, year);
    const number = `${prefix}-${year}-${String(value).padStart(5, '0')}`;
    if (!(await findPlatformByRegistrationNo(trx, number))) return number;
  }
}
