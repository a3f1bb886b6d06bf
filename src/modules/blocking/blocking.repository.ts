import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { AppealStatus, BlockAppealTable, BlockRequestTable, BlockStatus } from './blocking.table.ts';

/** SQL of the blocking workflow. Private to the module; never opens a transaction (the service does). */

export type BlockRow = Selectable<BlockRequestTable>;
export type AppealRow = Selectable<BlockAppealTable>;

export async function insertBlock(trx: Db, values: Insertable<BlockRequestTable>): Promise<BlockRow> {
  return trx.insertInto('block_requests').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateBlockRow(trx: Db, id: string, values: Updateable<BlockRequestTable>): Promise<BlockRow> {
  return trx
    .updateTable('block_requests')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findBlockRow(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<BlockRow | undefined> {
  let query = db.selectFrom('block_requests').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listBlockRows(
  db: Db,
  filter: { statuses?: readonly BlockStatus[]; platformId?: string; limit: number },
): Promise<BlockRow[]> {
  let query = db.selectFrom('block_requests').selectAll();
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  if (filter.platformId) query = query.where('platform_id', '=', filter.platformId);
  return query.orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

/** The open request (proposed, approved, decided or active) of a platform, if any. */
export async function findOpenBlockOf(db: Db, platformId: string): Promise<BlockRow | undefined> {
  return db
    .selectFrom('block_requests')
    .selectAll()
    .where('platform_id', '=', platformId)
    .where('status', 'in', ['proposed', 'approved', 'decided', 'active'])
    .executeTakeFirst();
}

export async function findBlockByDecisionNo(db: Db, decisionNo: string): Promise<BlockRow | undefined> {
  return db.selectFrom('block_requests').selectAll().where('decision_no', '=', decisionNo).executeTakeFirst();
}

/** Active blocks naming any of the domains, newest activation first. */
export async function listActiveBlocksByDomains(db: Db, domains: readonly string[]): Promise<BlockRow[]> {
  if (domains.length === 0) return [];
  return db
    .selectFrom('block_requests')
    .selectAll()
    .where('status', '=', 'active')
    .where(sql<boolean>`domains && ${[...domains]}::text[]`)
    .orderBy('activated_at', 'desc')
    .execute();
}

/** The decision terms of the active blocks (of the given platforms, or all). */
export async function listActiveTerms(db: Db, platformIds?: readonly string[]) {
  let query = db
    .selectFrom('block_requests')
    .select(['platform_id', 'decision_no', 'legal_basis', 'effective_from', 'effective_to'])
    .where('status', '=', 'active');
  if (platformIds) {
    if (platformIds.length === 0) return [];
    query = query.where('platform_id', 'in', platformIds);
  }
  return query.execute();
}

export async function insertAppeal(trx: Db, values: Insertable<BlockAppealTable>): Promise<AppealRow> {
  return trx.insertInto('block_appeals').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateAppealRow(trx: Db, id: string, values: Updateable<BlockAppealTable>): Promise<AppealRow> {
  return trx.updateTable('block_appeals').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function findAppealRow(
  db: Db,
  by: { id?: string; reference?: string },
  options: { lock?: boolean } = {},
): Promise<AppealRow | undefined> {
  let query = db.selectFrom('block_appeals').selectAll();
  if (by.id !== undefined) query = query.where('id', '=', by.id);
  else if (by.reference !== undefined) query = query.where('reference', '=', by.reference);
  else return undefined;
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listAppealRows(
  db: Db,
  filter: { blockId?: string; statuses?: readonly AppealStatus[]; limit: number },
): Promise<AppealRow[]> {
  let query = db.selectFrom('block_appeals').selectAll();
  if (filter.blockId) query = query.where('block_id', '=', filter.blockId);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  return query.orderBy('received_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

/** Ids of active blocks whose decision ended before `day` ('YYYY-MM-DD'). */
export async function listExpiredActiveIds(db: Db, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('block_requests')
    .select('id')
    .where('status', '=', 'active')
    .where('effective_to', '<', day)
    .orderBy('effective_to')
    .execute();
  return rows.map((row) => row.id);
}
