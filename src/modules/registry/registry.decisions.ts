/**
 * Writes to the register that come from decisions on applications (module `applications`): a platform
 * approved onto the register, and a status change (suspension, revocation, reinstatement). Both run in the
 * caller's transaction, record status history, and tell the check index through REGISTRY_CHANGED_CHANNEL,
 * so the check and the badge follow at commit.
 */
import { sql } from 'kysely';
import type { ActorContext } from '../../core/context.ts';
import { type Db, notifyChannel } from '../../core/db.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { foldForSearch } from '../../core/text.ts';
import type { PlatformKind, PlatformStatus } from './registry.csv.ts';
import { getPlatform, type Platform, REGISTRY_CHANGED_CHANNEL } from './registry.service.ts';
import './registry.table.ts';

export type IdentityKind = 'domain' | 'android_app' | 'ios_app';

/** The platform with this record number of the old portal (`WebDetails/123`), for its badges already on the web. */
export async function findPlatformByLegacyId(db: Db, legacyId: string): Promise<Platform | undefined> {
  const row = await db.selectFrom('platforms').select('id').where('legacy_id', '=', legacyId).executeTakeFirst();
  return row ? getPlatform(db, row.id) : undefined;
}

export interface IdentityOwner {
  kind: IdentityKind;
  value: string;
  platformId: string;
  platformName: string;
  registrationNo: string | null;
  status: PlatformStatus;
}

/** Platforms of the register that hold any of these identities. */
export async function findIdentityOwners(
  db: Db,
  identities: ReadonlyArray<{ kind: IdentityKind; value: string }>,
): Promise<IdentityOwner[]> {
  if (identities.length === 0) return [];
  const rows = await sql<{
    kind: IdentityKind;
    value: string;
    platform_id: string;
    name: string;
    registration_no: string | null;
    status: string;
  }>`
    SELECT pi.kind, pi.value, p.id AS platform_id, p.name, p.registration_no, p.status
    FROM platform_identities pi JOIN platforms p ON p.id = pi.platform_id
    WHERE (pi.kind, pi.value) IN (SELECT * FROM unnest(${identities.map((i) => i.kind)}::text[], ${identities.map((i) => i.value)}::text[]))
    ORDER BY pi.kind, pi.value`.execute(db);
  return rows.rows.map((row) => ({
    kind: row.kind,
    value: row.value,
    platformId: row.platform_id,
    platformName: row.name,
    registrationNo: row.registration_no,
    status: row.status as PlatformStatus,
  }));
}

export interface PlatformFromApplication {
  /** The platform the decision is about (a renewal); absent for a first approval. */
  platformId?: string | null | undefined;
  registrationNo: string;
  name: string;
  kind: PlatformKind;
  status: 'notified' | 'registered';
  crossBorder: boolean;
  organisation: {
    name: string;
    taxCode: string | null;
    country: string;
    address: string | null;
    vnRepresentative: string | null;
  };
  domains: readonly string[];
  androidApps: readonly string[];
  iosApps: readonly string[];
  /** 'YYYY-MM-DD' */
  validFrom: string;
  validUntil: string | null;
  /** Recorded in the status history ("approved application …"). */
  reason: string;
}

/**
 * Statuses of a platform that an approval may take over without a registration number of its own: the
 * register knew the site (unregistered, pending) or it was turned down before.
 */
const ADOPTABLE_UNNUMBERED: ReadonlySet<string> = new Set(['unregistered', 'pending', 'rejected']);
/** Numbered registrations that no longer count: their identities may move to the new registration. */
const LAPSED: ReadonlySet<string> = new Set(['revoked', 'expired', 'rejected']);

/**
 * Writes an approved application into the register: the organisation (by tax code), the platform (the one
 * given, else the unnumbered platform already holding its identities, else a new one), its identities and
 * its status with history. Identities held by a lapsed registration move to this one; identities held by a
 * current registration of another platform are a conflict.
 */
export async function upsertPlatformFromApplication(
  trx: Db,
  input: PlatformFromApplication,
  context: ActorContext,
): Promise<{ platformId: string; created: boolean }> {
  const identities = [
    ...input.domains.map((value) => ({ kind: 'domain' as const, value })),
    ...input.androidApps.map((value) => ({ kind: 'android_app' as const, value })),
    ...input.iosApps.map((value) => ({ kind: 'ios_app' as const, value })),
  ];
  const owners = await findIdentityOwners(trx, identities);
  let platformId = input.platformId ?? undefined;
  if (!platformId) {
    const numbered = await trx
      .selectFrom('platforms')
      .select('id')
      .where('registration_no', '=', input.registrationNo)
      .executeTakeFirst();
    platformId = numbered?.id;
  }
  if (!platformId) {
    const adoptable = [
      ...new Set(
        owners.filter((o) => o.registrationNo === null && ADOPTABLE_UNNUMBERED.has(o.status)).map((o) => o.platformId),
      ),
    ];
    if (adoptable.length === 1) platformId = adoptable[0];
  }
  const conflicts = owners.filter(
    (owner) => owner.platformId !== platformId && !(owner.registrationNo !== null && LAPSED.has(owner.status)),
  );
  if (conflicts.length > 0) {
    throw new AppError(
      'conflict',
      `already in the register under another platform: ${conflicts
        .map((c) => `${c.value} (${c.platformName}${c.registrationNo ? `, ${c.registrationNo}` : ''}, ${c.status})`)
        .join('; ')}`,
      { field: 'domains' },
    );
  }

  const organisationId = await upsertOrganisation(trx, input.organisation);
  const fields = {
    registration_no: input.registrationNo,
    name: input.name,
    name_key: foldForSearch(input.name),
    kind: input.kind,
    status: input.status,
    cross_border: input.crossBorder,
    organisation_id: organisationId,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
  };
  let created = false;
  let fromStatus: string | null = null;
  if (platformId) {
    const current = await trx
      .selectFrom('platforms')
      .select('status')
      .where('id', '=', platformId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound(`no platform with id ${platformId}`);
    fromStatus = current.status;
    await trx
      .updateTable('platforms')
      .set({ ...fields, updated_at: sql`now()` })
      .where('id', '=', platformId)
      .execute();
  } else {
    const inserted = await trx.insertInto('platforms').values(fields).returning('id').executeTakeFirstOrThrow();
    platformId = inserted.id;
    created = true;
  }
  await trx
    .insertInto('platform_status_history')
    .values({
      platform_id: platformId,
      from_status: fromStatus,
      to_status: input.status,
      reason: input.reason,
      changed_by: context.actor,
    })
    .execute();

  // The identity list of the application replaces the platform's; lapsed registrations give theirs up.
  const movedFrom = [...new Set(owners.filter((o) => o.platformId !== platformId).map((o) => o.platformId))];
  await trx.deleteFrom('platform_identities').where('platform_id', '=', platformId).execute();
  for (const owner of owners.filter((o) => o.platformId !== platformId)) {
    await trx
      .deleteFrom('platform_identities')
      .where('kind', '=', owner.kind)
      .where('value', '=', owner.value)
      .execute();
  }
  if (identities.length > 0) {
    await trx
      .insertInto('platform_identities')
      .values(
        [input.domains, input.androidApps, input.iosApps].flatMap((values, group) =>
          values.map((value, position) => ({
            kind: (['domain', 'android_app', 'ios_app'] as const)[group] as IdentityKind,
            value,
            platform_id: platformId as string,
            position,
          })),
        ),
      )
      .execute();
  }
  await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([platformId, ...movedFrom]));
  return { platformId, created };
}

async function upsertOrganisation(trx: Db, organisation: PlatformFromApplication['organisation']): Promise<string> {
  const values = {
    name: organisation.name,
    name_key: foldForSearch(organisation.name),
    tax_code: organisation.taxCode,
    country: organisation.country,
    address: organisation.address,
    vn_representative: organisation.vnRepresentative,
  };
  if (organisation.taxCode) {
    const row = await trx
      .insertInto('organisations')
      .values(values)
      .onConflict((oc) =>
        oc.column('tax_code').doUpdateSet({
          name: values.name,
          name_key: values.name_key,
          country: values.country,
          address: values.address,
          vn_representative: values.vn_representative,
          updated_at: sql`now()`,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  // Without a tax code (an organisation abroad), the same folded name is the same organisation.
  const existing = await trx
    .selectFrom('organisations')
    .select('id')
    .where('tax_code', 'is', null)
    .where('name_key', '=', values.name_key)
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable('organisations')
      .set({
        country: values.country,
        address: values.address,
        vn_representative: values.vn_representative,
        updated_at: sql`now()`,
      })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const inserted = await trx.insertInto('organisations').values(values).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * Changes a platform's status (suspension, revocation, reinstatement, …) with a history entry; returns the
 * status before. The check index and the badge follow at commit.
 */
export async function setPlatformStatus(
  trx: Db,
  platformId: string,
  status: PlatformStatus,
  reason: string,
  context: ActorContext,
): Promise<{ from: PlatformStatus; to: PlatformStatus }> {
  const current = await trx
    .selectFrom('platforms')
    .select('status')
    .where('id', '=', platformId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw notFound(`no platform with id ${platformId}`);
  const from = current.status as PlatformStatus;
  if (from === status) throw new AppError('conflict', `the platform is ${status} already`, { field: 'status' });
  await trx.updateTable('platforms').set({ status, updated_at: sql`now()` }).where('id', '=', platformId).execute();
  await trx
    .insertInto('platform_status_history')
    .values({ platform_id: platformId, from_status: from, to_status: status, reason, changed_by: context.actor })
    .execute();
  await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([platformId]));
  return { from, to: status };
}
