/**
 * Writes to the register that come from decisions on applications (module `applications`): a platform
 * approved onto the register, and a status change (suspension, cancellation, termination, reinstatement). Both run in the
 * caller's transaction, record status history, and tell the check index through REGISTRY_CHANGED_CHANNEL,
 * so the check and the badge follow at commit. The SQL is in `registry.decisions.repository.ts`.
 */
import type { ActorContext } from '../../core/context.ts';
import { type Db, notifyChannel } from '../../core/db.ts';
import { conflict, notFound } from '../../core/errors.ts';
import { foldForSearch } from '../../core/text.ts';
import type { PlatformKind, PlatformStatus } from './registry.csv.ts';
import {
  findOrInsertOrganisationByName,
  findOrInsertOrganisationByTaxCode,
  findPlatformIdByLegacyId,
  findPlatformIdByRegistrationNo,
  type IdentityKind,
  insertPlatformRow,
  listIdentityOwnerRows,
  lockPlatformStatus,
  type OrganisationFields,
  replacePlatformIdentities,
  updatePlatformRow,
  upsertOrganisationByTaxCode,
} from './registry.decisions.repository.ts';
import { statusLabel } from './registry.labels.ts';
import { getPlatform, type Platform, REGISTRY_CHANGED_CHANNEL, recordStatusChanges } from './registry.service.ts';

export type { IdentityKind } from './registry.decisions.repository.ts';

/** The platform with this record number of the old portal (`WebDetails/123`), for its badges already on the web. */
export async function findPlatformByLegacyId(db: Db, legacyId: string): Promise<Platform | undefined> {
  const id = await findPlatformIdByLegacyId(db, legacyId);
  return id ? getPlatform(db, id) : undefined;
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
  const rows = await listIdentityOwnerRows(db, identities);
  return rows.map((row) => ({
    kind: row.kind,
    value: row.value,
    platformId: row.platform_id,
    platformName: row.name,
    registrationNo: row.registration_no,
    status: row.status as PlatformStatus,
  }));
}

export interface PlatformFromApplication {
  /** The platform the decision is about (a change of information or a re-registration); absent for a first approval. */
  platformId?: string | null | undefined;
  registrationNo: string;
  name: string;
  kind: PlatformKind;
  status: 'notified' | 'registered';
  crossBorder: boolean;
  /** The organisation the application names as the platform's. */
  organisation: {
    name: string;
    taxCode: string | null;
    country: string;
    address: string | null;
    vnRepresentative: string | null;
  };
  /**
   * The tax code of the applicant's own organisation (its account's). Only an organisation of exactly this tax code
   * is written from the application; any other organisation it names is only referred to.
   */
  applicantTaxCode: string;
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
 * What an approval did to the platform's organisation: `updated` or `created` from the application, or
 * `referenced` as the register holds it (another organisation's row, which an applicant never rewrites).
 */
export type OrganisationOutcome = 'created' | 'updated' | 'referenced';

/**
 * Statuses of a platform that an approval may take over without a registration number of its own: the
 * register knew the site (unregistered, pending) or it was turned down before.
 */
const ADOPTABLE_UNNUMBERED: ReadonlySet<string> = new Set(['unregistered', 'pending', 'rejected']);
/** Numbered registrations that no longer count: their identities may move to the new registration. */
const LAPSED: ReadonlySet<string> = new Set(['revoked', 'expired', 'rejected', 'terminated']);

/**
 * Writes an approved application into the register: the organisation (see `organisationOfApplication`), the
 * platform (the one given, else the unnumbered platform already holding its identities, else a new one), its
 * identities and its status with history. Identities held by a lapsed registration move to this one; identities
 * held by a current registration of another platform are a conflict.
 */
export async function upsertPlatformFromApplication(
  trx: Db,
  input: PlatformFromApplication,
  context: ActorContext,
): Promise<{ platformId: string; created: boolean; organisationId: string; organisation: OrganisationOutcome }> {
  const identities = [
    ...input.domains.map((value, position) => ({ kind: 'domain' as const, value, position })),
    ...input.androidApps.map((value, position) => ({ kind: 'android_app' as const, value, position })),
    ...input.iosApps.map((value, position) => ({ kind: 'ios_app' as const, value, position })),
  ];
  const owners = await findIdentityOwners(trx, identities);
  let platformId = input.platformId ?? (await findPlatformIdByRegistrationNo(trx, input.registrationNo)) ?? undefined;
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
    const listed = (status: (c: (typeof conflicts)[number]) => string) =>
      conflicts
        .map((c) => `${c.value} (${c.platformName}${c.registrationNo ? `, ${c.registrationNo}` : ''}, ${status(c)})`)
        .join('; ');
    throw conflict(
      {
        vi: `Đã có trong danh sách dưới nền tảng khác: ${listed((c) => statusLabel(c.status).vi.toLowerCase())}`,
        en: `already in the register under another platform: ${listed((c) => c.status)}`,
      },
      'domains',
    );
  }

  const organisation = await organisationOfApplication(trx, input);
  const fields = {
    registration_no: input.registrationNo,
    name: input.name,
    name_key: foldForSearch(input.name),
    kind: input.kind,
    status: input.status,
    cross_border: input.crossBorder,
    organisation_id: organisation.id,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
  };
  let fromStatus: PlatformStatus | null = null;
  if (platformId) {
    const current = await lockPlatformStatus(trx, platformId);
    if (current === undefined) throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    fromStatus = current as PlatformStatus;
    await updatePlatformRow(trx, platformId, fields);
  } else {
    platformId = await insertPlatformRow(trx, fields);
  }
  await recordStatusChanges(trx, [{ platformId, from: fromStatus, to: input.status, reason: input.reason }], context);

  // The identity list of the application replaces the platform's; lapsed registrations give theirs up.
  const movedFrom = [...new Set(owners.filter((o) => o.platformId !== platformId).map((o) => o.platformId))];
  await replacePlatformIdentities(trx, platformId, identities);
  await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([platformId, ...movedFrom]));
  return {
    platformId,
    created: fromStatus === null,
    organisationId: organisation.id,
    organisation: organisation.outcome,
  };
}

/**
 * The register's organisation for the platform of an application. An application writes only the applicant's own
 * organisation (the tax code of its account): a platform abroad may name its owner or its representative in
 * Vietnam, separate legal entities whose register entries the applicant must not rewrite. Those, and an
 * organisation without a tax code (known only by its name), are taken as the register holds them, or created
 * from the application when the register does not know them yet.
 */
async function organisationOfApplication(
  trx: Db,
  input: PlatformFromApplication,
): Promise<{ id: string; outcome: OrganisationOutcome }> {
  const { organisation } = input;
  const values: OrganisationFields = {
    name: organisation.name,
    name_key: foldForSearch(organisation.name),
    country: organisation.country,
    address: organisation.address,
    vn_representative: organisation.vnRepresentative,
  };
  const taxCode = organisation.taxCode;
  const found =
    taxCode === null
      ? await findOrInsertOrganisationByName(trx, values)
      : taxCode === input.applicantTaxCode
        ? await upsertOrganisationByTaxCode(trx, { ...values, tax_code: taxCode })
        : await findOrInsertOrganisationByTaxCode(trx, { ...values, tax_code: taxCode });
  const written = taxCode !== null && taxCode === input.applicantTaxCode;
  return { id: found.id, outcome: found.created ? 'created' : written ? 'updated' : 'referenced' };
}

/**
 * Changes a platform's status (suspension, cancellation, termination, reinstatement, …) with a history entry; returns the
 * status before. The check index and the badge follow at commit.
 */
export async function setPlatformStatus(
  trx: Db,
  platformId: string,
  status: PlatformStatus,
  reason: string,
  context: ActorContext,
): Promise<{ from: PlatformStatus; to: PlatformStatus }> {
  const current = await lockPlatformStatus(trx, platformId);
  if (current === undefined) throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
  const from = current as PlatformStatus;
  if (from === status) {
    throw conflict(
      { vi: `Nền tảng đã ở tình trạng “${statusLabel(status).vi}”`, en: `the platform is ${status} already` },
      'status',
    );
  }
  await updatePlatformRow(trx, platformId, { status });
  await recordStatusChanges(trx, [{ platformId, from, to: status, reason }], context);
  await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([platformId]));
  return { from, to: status };
}

export interface UnregisteredPlatformInput {
  /** The registrable domain the regulator found trading without notification or registration. */
  domain: string;
  kind: PlatformKind;
  crossBorder: boolean;
  /** Recorded in the status history (what found it: a monitor finding, its evidence). */
  reason: string;
}

/**
 * The register's platform holding this domain, or, when none does, a new platform of status `unregistered` named after
 * the domain (no organisation, no registration number): the register also lists the sites the regulator knows to
 * trade without notice (Temu, SHEIN… came in that way by import), which is what a block, a warning and the check need
 * to name them. Runs in the caller's transaction; the check index follows at commit.
 */
export async function recordUnregisteredPlatform(
  trx: Db,
  input: UnregisteredPlatformInput,
  context: ActorContext,
): Promise<{ platformId: string; created: boolean }> {
  const owner = (await findIdentityOwners(trx, [{ kind: 'domain', value: input.domain }]))[0];
  if (owner) return { platformId: owner.platformId, created: false };
  const platformId = await insertPlatformRow(trx, {
    registration_no: null,
    name: input.domain,
    name_key: foldForSearch(input.domain),
    kind: input.kind,
    status: 'unregistered',
    cross_border: input.crossBorder,
    organisation_id: null,
    valid_from: null,
    valid_until: null,
  });
  await recordStatusChanges(trx, [{ platformId, from: null, to: 'unregistered', reason: input.reason }], context);
  await replacePlatformIdentities(trx, platformId, [{ kind: 'domain', value: input.domain, position: 0 }]);
  await notifyChannel(trx, REGISTRY_CHANGED_CHANNEL, JSON.stringify([platformId]));
  return { platformId, created: true };
}
