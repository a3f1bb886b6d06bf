/**
 * Verifies the registration badges a page shows against the local register, without fetching anything
 * (DESIGN.md "Badge"): the image proves nothing, it is the same for every site; the link decides. A badge is
 * genuine only when its link leads to a record (ours by registration number, the old portal's by `legacy_id`)
 * whose identities cover the domain showing it and whose status is current.
 */
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import { findPlatformByLegacyId, findPlatformByRegistrationNo, type Platform } from '../registry/index.ts';
import type { BadgeSignals, RecordLink } from './signals.ts';

/** Statuses under which a record backs a badge (registered platforms, notified sales sites). */
const CURRENT_STATUSES: ReadonlySet<string> = new Set(['registered', 'notified']);

export type BadgeProblem = 'no_link' | 'no_record' | 'other_domain' | 'not_current' | 'expired';

export interface LinkCheck {
  link: RecordLink;
  genuine: boolean;
  problem: BadgeProblem | null;
  /** What the link showed, in English (the Monitor answer's `badge.reason`). */
  reason: string;
  platform: { id: string; name: string; registration_no: string | null; status: string; domains: string[] } | null;
}

export interface BadgeVerdict {
  present: boolean;
  /** The link the verdict rests on: the first failing record link, else the first genuine one, else an image's href. */
  link: string | null;
  /** null when no badge is shown. */
  genuine: boolean | null;
  problem: BadgeProblem | null;
  reason: string | null;
  checks: LinkCheck[];
}

/**
 * The badge verdict of a page on `host`: genuine when at least one record link is genuine and none is not (a link to
 * another site's record, a lapsed or unknown record is a false claim even next to a true one); a badge image with
 * no record link at all is fake ("no_link").
 */
export async function verifyBadges(
  db: Db,
  badge: BadgeSignals,
  host: string | null,
  now: Date = new Date(),
): Promise<BadgeVerdict> {
  if (!badge.present) return { present: false, link: null, genuine: null, problem: null, reason: null, checks: [] };
  const today = todayInVietnam(now);
  const checks: LinkCheck[] = [];
  for (const link of badge.links) checks.push(await checkLink(db, link, host, today));
  const failed = checks.find((check) => !check.genuine);
  if (failed) {
    return {
      present: true,
      link: failed.link.href,
      genuine: false,
      problem: failed.problem,
      reason: failed.reason,
      checks,
    };
  }
  const genuine = checks[0];
  if (genuine) {
    return { present: true, link: genuine.link.href, genuine: true, problem: null, reason: genuine.reason, checks };
  }
  const image = badge.images[0];
  return {
    present: true,
    link: image?.href ?? null,
    genuine: false,
    problem: 'no_link',
    reason: image?.href ? 'badge image links to no register record' : 'badge image without a link to a register record',
    checks,
  };
}

async function checkLink(db: Db, link: RecordLink, host: string | null, today: string): Promise<LinkCheck> {
  const platform =
    link.kind === 'portal'
      ? await findPlatformByRegistrationNo(db, link.registrationNo)
      : await findPlatformByLegacyId(db, link.legacyId);
  if (!platform) {
    const what = link.kind === 'portal' ? `registration no. ${link.registrationNo}` : `old-portal ${link.legacyId}`;
    return { link, genuine: false, problem: 'no_record', reason: `no record ${what} in the register`, platform: null };
  }
  const summary = {
    id: platform.id,
    name: platform.name,
    registration_no: platform.registration_no,
    status: platform.status,
    domains: platform.domains,
  };
  if (!host || !covers(platform, host)) {
    return {
      link,
      genuine: false,
      problem: 'other_domain',
      reason: `record covers another domain (${platform.domains.slice(0, 3).join(', ') || 'none'})`,
      platform: summary,
    };
  }
  if (!CURRENT_STATUSES.has(platform.status)) {
    return {
      link,
      genuine: false,
      problem: 'not_current',
      reason: `record is ${platform.status}`,
      platform: summary,
    };
  }
  if (platform.valid_until && platform.valid_until < today) {
    return {
      link,
      genuine: false,
      problem: 'expired',
      reason: `record expired on ${platform.valid_until}`,
      platform: summary,
    };
  }
  return { link, genuine: true, problem: null, reason: `record ${platform.status} for ${host}`, platform: summary };
}

/** Whether the record's domains cover the host: the domain itself or a parent of it (a subdomain inherits). */
function covers(platform: Platform, host: string): boolean {
  for (const domain of platform.domains) {
    const normalized = tryNormalizeHost(domain)?.host;
    if (!normalized) continue;
    if (host === normalized || host.endsWith(`.${normalized}`)) return true;
  }
  return false;
}
