import type { Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { normalizeHost } from '../../core/hosts.ts';
import {
  findPlatformByLegacyId,
  findPlatformByRegistrationNo,
  type Platform,
  parseLegacyId,
} from '../registry/index.ts';
import { type BadgeVerdict, judgeBadge } from './badge.ts';

export interface BadgeQuery {
  registrationNo?: string | undefined;
  /** The old portal's record (`WebDetails/123`, `AppDetails/45`, or an online.gov.vn link holding one). */
  legacyId?: string | undefined;
  /** The host (or URL) of the page showing the badge. */
  domain: string;
}

/** The record a badge names, by registration number or old-portal id; undefined when none has it. */
export async function findBadgeRecord(
  db: Db,
  query: Pick<BadgeQuery, 'registrationNo' | 'legacyId'>,
): Promise<Platform | undefined> {
  if (query.registrationNo) return findPlatformByRegistrationNo(db, query.registrationNo.trim().toUpperCase());
  if (query.legacyId) {
    const parsed = parseLegacyId(query.legacyId);
    if (!parsed.ok) throw invalidInput(parsed.reason, 'legacy_id');
    return findPlatformByLegacyId(db, parsed.legacyId);
  }
  throw invalidInput(
    { vi: 'Hãy cho registration_no hoặc legacy_id', en: 'give registration_no or legacy_id' },
    'registration_no',
  );
}

/**
 * Is the badge genuine on this domain? Read from the database, not a cache, so a revocation counts from
 * its commit.
 */
export async function verifyBadge(db: Db, query: BadgeQuery, now: Date = new Date()): Promise<BadgeVerdict> {
  if (query.registrationNo && query.legacyId) {
    throw invalidInput(
      {
        vi: 'Chỉ cho registration_no hoặc legacy_id, không cho cả hai',
        en: 'give registration_no or legacy_id, not both',
      },
      'legacy_id',
    );
  }
  const host = normalizeHost(query.domain, 'domain').host;
  return judgeBadge(await findBadgeRecord(db, query), host, now);
}
