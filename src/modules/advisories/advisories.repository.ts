import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { AdvisoryKindTable, AdvisoryStatus, AdvisoryTable } from './advisories.table.ts';

/** SQL of the advisories. Private to the module; never opens a transaction (the service does). */

export type AdvisoryRow = Selectable<AdvisoryTable>;
export type AdvisoryKindRow = Selectable<AdvisoryKindTable>;

export async function listAdvisoryKindRows(db: Db): Promise<AdvisoryKindRow[]> {
  return db.selectFrom('advisory_kinds').selectAll().orderBy('position').orderBy('id').execute();
}

export async function insertAdvisory(trx: Db, values: Insertable<AdvisoryTable>): Promise<AdvisoryRow> {
  return trx.insertInto('advisories').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateAdvisoryRow(
  trx: Db,
  id: string,
  values: Updateable<AdvisoryTable>,
): Promise<AdvisoryRow | undefined> {
  return trx.updateTable('advisories').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function findAdvisoryRow(db: Db, id: string, options: { lock?: boolean } = {}) {
  let query = db.selectFrom('advisories').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function replaceAdvisoryPlatforms(trx: Db, advisoryId: string, platformIds: readonly string[]) {
  await trx.deleteFrom('advisory_platforms').where('advisory_id', '=', advisoryId).execute();
  if (platformIds.length > 0) {
    await trx
      .insertInto('advisory_platforms')
      .values(platformIds.map((platform_id) => ({ advisory_id: advisoryId, platform_id })))
      .execute();
  }
}

/** The platforms each advisory concerns, by advisory id. */
export async function listPlatformIdsOf(db: Db, advisoryIds: readonly string[]): Promise<Map<string, string[]>> {
  const byAdvisory = new Map<string, string[]>(advisoryIds.map((id) => [id, []]));
  if (advisoryIds.length === 0) return byAdvisory;
  const rows = await db
    .selectFrom('advisory_platforms')
    .select(['advisory_id', 'platform_id'])
    .where('advisory_id', 'in', advisoryIds)
    .orderBy('platform_id')
    .execute();
  for (const row of rows) byAdvisory.get(row.advisory_id)?.push(row.platform_id);
  return byAdvisory;
}

export async function listAdvisoryRows(
  db: Db,
  filter: { statuses?: readonly AdvisoryStatus[]; kind?: string | undefined; limit: number; offset?: number },
): Promise<AdvisoryRow[]> {
  let query = db.selectFrom('advisories').selectAll();
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return query
    .orderBy('published_at', (order) => order.desc().nullsFirst())
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
}

export async function countAdvisoryRows(
  db: Db,
  filter: { statuses?: readonly AdvisoryStatus[]; kind?: string | undefined },
): Promise<number> {
  let query = db.selectFrom('advisories').select((eb) => eb.fn.countAll<number>().as('count'));
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return Number((await query.executeTakeFirstOrThrow()).count);
}

/** Every published advisory with the platforms it concerns: what the check's in-memory index holds. */
export async function listPublishedAdvisoryLinks(db: Db) {
  return db
    .selectFrom('advisory_platforms')
    .innerJoin('advisories', 'advisories.id', 'advisory_platforms.advisory_id')
    .select([
      'advisory_platforms.platform_id',
      'advisories.id',
      'advisories.title_vi',
      'advisories.title_en',
      'advisories.published_at',
      'advisories.sample',
    ])
    .where('advisories.status', '=', 'published')
    .orderBy('advisories.published_at', 'desc')
    .orderBy('advisories.id')
    .execute();
}

/** When the public list last changed: the latest update of a published or withdrawn advisory. */
export async function lastPublicChange(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('advisories')
    .select((eb) => eb.fn.max('updated_at').as('last'))
    .where('status', 'in', ['published', 'withdrawn'])
    .executeTakeFirst();
  return (row?.last as Date | null | undefined) ?? null;
}

export async function countAllAdvisories(db: Db): Promise<number> {
  const row = await db
    .selectFrom('advisories')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
