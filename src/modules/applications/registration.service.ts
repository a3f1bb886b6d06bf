/**
 * Suspension, revocation and reinstatement of a registration (a platform of the register), with the reason and
 * the legal basis, an e-mail to the applicant of its latest approved application, and the audit event.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import { conflict } from '../../core/errors.ts';
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

const ACTION_TARGET: Record<Exclude<RegistrationAction, 'reinstate'>, PlatformStatus> = {
  suspend: 'suspended',
  revoke: 'revoked',
};

const ALLOWED_FROM: Record<RegistrationAction, ReadonlySet<string>> = {
  suspend: new Set(['notified', 'registered']),
  revoke: new Set(['notified', 'registered', 'suspended', 'expired']),
  reinstate: new Set(['suspended']),
};

const MAIL_STEP: Record<RegistrationAction, MailStep> = {
  suspend: 'suspended',
  revoke: 'revoked',
  reinstate: 'reinstated',
};

/**
 * Suspends, revokes or reinstates a registration, with the reason and the legal basis; takes effect at
 * commit (the check index and the badge follow the register's notification). A reinstated registration
 * returns to the status it had before the suspension, or to expired when its validity ended meanwhile. The
 * platform's row is locked before its status is checked: of a revocation and a reinstatement made at once, the
 * second is refused instead of undoing the first.
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
  return writeThenSendMail(context, async (trx) => {
    const before = await getPlatform(trx, platformId, { lock: true });
    if (!ALLOWED_FROM[action].has(before.status)) {
      throw conflict({
        vi: `Không thể ${{ suspend: 'đình chỉ', revoke: 'thu hồi', reinstate: 'khôi phục' }[action]} đăng ký đang ở tình trạng “${statusLabel(before.status).vi}”`,
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
    const latest = (await listApplicationRowsOfPlatform(trx, platformId)).find((row) => row.status === 'approved');
    if (latest) {
      await queueMail(trx, context, latest, MAIL_STEP[action], {
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
}
