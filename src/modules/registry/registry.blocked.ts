/**
 * What the blocklist feeds read of the register: the domains of platforms whose status is `blocked`, and the
 * domains of other platforms that lie under a blocked domain (a wildcard block would catch them), in domain order,
 * page by page (keyset), so that a million of them never sit in memory at once.
 */
import { sql } from 'kysely';
import type { Db } from '../../core/db.ts';

export interface DomainOfPlatform {
  domain: string;
  platformId: string;
  platformName: string;
  registrationNo: string | null;
  status: string;
}

interface DomainRow {
  domain: string;
  platform_id: string;
  platform_name: string;
  registration_no: string | null;
  status: string;
}

function toDomainOfPlatform(row: DomainRow): DomainOfPlatform {
  return {
    domain: row.domain,
    platformId: row.platform_id,
    platformName: row.platform_name,
    registrationNo: row.registration_no,
    status: row.status,
  };
}

/**
 * Domains of platforms with the given blocked-ness after `afterDomain` (exclusive), in domain order: `blocked: true`
 * for the feeds' entries, `false` for the rest of the register (what a wildcard might catch).
 */
export async function listDomainsByBlockedness(
  db: Db,
  blocked: boolean,
  afterDomain: string | null,
  limit: number,
): Promise<DomainOfPlatform[]> {
  const result = await sql<DomainRow>`
    SELECT i.value AS domain, p.id AS platform_id, p.name AS platform_name, p.registration_no, p.status
      FROM platform_identities i JOIN platforms p ON p.id = i.platform_id
     WHERE i.kind = 'domain' AND (p.status = 'blocked') = ${blocked}
       AND (${afterDomain}::text IS NULL OR i.value > ${afterDomain})
     ORDER BY i.value
     LIMIT ${limit}`.execute(db);
  return result.rows.map(toDomainOfPlatform);
}

/** Domains of platforms that are not blocked and lie strictly under one of `parents` (`shop.a.vn` under `a.vn`). */
export async function listUnblockedDomainsUnder(db: Db, parents: readonly string[]): Promise<DomainOfPlatform[]> {
  if (parents.length === 0) return [];
  const result = await sql<DomainRow>`
    SELECT i.value AS domain, p.id AS platform_id, p.name AS platform_name, p.registration_no, p.status
      FROM platform_identities i JOIN platforms p ON p.id = i.platform_id
     WHERE i.kind = 'domain' AND p.status <> 'blocked'
       AND EXISTS (SELECT 1 FROM unnest(${[...parents]}::text[]) AS parent (value)
                    WHERE right(i.value, length(parent.value) + 1) = '.' || parent.value)
     ORDER BY i.value`.execute(db);
  return result.rows.map(toDomainOfPlatform);
}
