/**
 * The SQL of the writes that decisions on applications make to the register (`registry.decisions.ts` holds
 * their rules): platforms, their identities and their organisations. Every function runs in the caller's
 * transaction.
 */
import { type Insertable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { OrganisationTable, PlatformTable } from './registry.table.ts';
import './registry.table.ts';

export type IdentityKind = 'domain' | 'android_app' | 'ios_app';

export async function findPlatformIdByLegacyId(db: Db, legacyId: string): Promise<string | undefined> {
  const row = await db.selectFrom('platforms').select('id').where('legacy_id', '=', legacyId).executeTakeFirst();
  return row?.id;
}

export async function findPlatformIdByRegistrationNo(db: Db, registrationNo: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('platforms')
    .select('id')
    .where('registration_no', '=', registrationNo)
    .executeTakeFirst();
  return row?.id;
}

export interface IdentityOwnerRow {
  kind: IdentityKind;
  value: string;
  platform_id: string;
  name: string;
  registration_no: string | null;
  status: string;
}

/** Platforms that hold any of these identities, one row per identity held. */
export async function listIdentityOwnerRows(
  db: Db,
  identities: ReadonlyArray<{ kind: IdentityKind; value: string }>,
): Promise<IdentityOwnerRow[]> {
  if (identities.length === 0) return [];
  const rows = await sql<IdentityOwnerRow>`
    SELECT pi.kind, pi.value, p.id AS platform_id, p.name, p.registration_no, p.status
    FROM platform_identities pi JOIN platforms p ON p.id = pi.platform_id
    WHERE (pi.kind, pi.value) IN (SELECT * FROM unnest(${identities.map((i) => i.kind)}::text[], ${identities.map((i) => i.value)}::text[]))
    ORDER BY pi.kind, pi.value`.execute(db);
  return rows.rows;
}

/** The platform's status, its row locked until the transaction ends; undefined when there is no such platform. */
export async function lockPlatformStatus(trx: Db, platformId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('platforms')
    .select('status')
    .where('id', '=', platformId)
    .forUpdate()
    .executeTakeFirst();
  return row?.status;
}

type PlatformFields = Omit<Insertable<PlatformTable>, 'id' | 'created_at' | 'updated_at'>;

export async function updatePlatformRow(trx: Db, platformId: string, fields: Partial<PlatformFields>): Promise<void> {
  await trx
    .updateTable('platforms')
    .set({ ...fields, updated_at: sql`now()` })
    .where('id', '=', platformId)
    .execute();
}

export async function insertPlatformRow(trx: Db, fields: PlatformFields): Promise<string> {
  const inserted = await trx.insertInto('platforms').values(fields).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * Gives the platform exactly these identities, in their order: its other identities go, and an identity another
 * platform held moves here (the caller has decided that it may).
 */
export async function replacePlatformIdentities(
  trx: Db,
  platformId: string,
  identities: ReadonlyArray<{ kind: IdentityKind; value: string; position: number }>,
): Promise<void> {
  await trx.deleteFrom('platform_identities').where('platform_id', '=', platformId).execute();
  if (identities.length === 0) return;
  await sql`
    DELETE FROM platform_identities
    WHERE (kind, value) IN (SELECT * FROM unnest(${identities.map((i) => i.kind)}::text[], ${identities.map((i) => i.value)}::text[]))`.execute(
    trx,
  );
  await trx
    .insertInto('platform_identities')
    .values(identities.map((identity) => ({ ...identity, platform_id: platformId })))
    .execute();
}

export type OrganisationFields = Omit<Insertable<OrganisationTable>, 'id' | 'created_at' | 'updated_at'>;

/** Inserts the organisation of this tax code, or rewrites its name, address and representative. */
export async function upsertOrganisationByTaxCode(
  trx: Db,
  values: OrganisationFields & { tax_code: string },
): Promise<{ id: string; created: boolean }> {
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
    // xmax is 0 on a row this statement inserted, the updating transaction's id on one it updated.
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

/** The organisation of this tax code as it is, or a new one with these values; never changes an existing row. */
export async function findOrInsertOrganisationByTaxCode(
  trx: Db,
  values: OrganisationFields & { tax_code: string },
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('organisations')
    .values(values)
    .onConflict((oc) => oc.column('tax_code').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await trx
    .selectFrom('organisations')
    .select('id')
    .where('tax_code', '=', values.tax_code)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/**
 * The oldest organisation without a tax code of this folded name (an organisation abroad is known by its name), or
 * a new one with these values; never changes an existing row.
 */
export async function findOrInsertOrganisationByName(
  trx: Db,
  values: OrganisationFields,
): Promise<{ id: string; created: boolean }> {
  const existing = await trx
    .selectFrom('organisations')
    .select('id')
    .where('tax_code', 'is', null)
    .where('name_key', '=', values.name_key)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return { id: existing.id, created: false };
  const inserted = await trx
    .insertInto('organisations')
    .values({ ...values, tax_code: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, created: true };
}
