import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { DirectiveFeedTokenTable } from './directives.table.ts';

/**
 * SQL of the calendar feeds' secret addresses. Private to the module; never opens a transaction (the
 * service does). Rows carry the token's hash only: the token itself is never stored.
 */

export type FeedTokenRow = Selectable<DirectiveFeedTokenTable>;

/**
 * Inserts a live address; undefined when another transaction made one for the same unit meanwhile (the
 * partial unique index on live addresses).
 */
export async function insertFeedToken(
  trx: Db,
  values: { unit_id: string | null; token_hash: string; created_by: string },
): Promise<FeedTokenRow | undefined> {
  return trx
    .insertInto('directive_feed_tokens')
    .values(values)
    .onConflict((oc) => oc.expression(sql`coalesce(unit_id, '')`).where('revoked_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The unit's live address (null: the all-units one), locked for the rest of the transaction. */
export async function lockLiveFeedToken(trx: Db, unitId: string | null): Promise<FeedTokenRow | undefined> {
  return trx
    .selectFrom('directive_feed_tokens')
    .selectAll()
    .where('unit_id', unitId === null ? 'is' : '=', unitId)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Revokes a live address; false when it was revoked already. */
export async function markFeedTokenRevoked(trx: Db, id: string): Promise<boolean> {
  const row = await trx
    .updateTable('directive_feed_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findFeedTokenById(db: Db, id: string): Promise<FeedTokenRow | undefined> {
  return db.selectFrom('directive_feed_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLiveFeedTokenByHash(db: Db, tokenHash: string): Promise<FeedTokenRow | undefined> {
  return db
    .selectFrom('directive_feed_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Addresses, newest first: of one unit (null: the all-units ones), or of every unit when no filter is given. */
export async function listFeedTokenRows(
  db: Db,
  filter: { unitId?: string | null; liveOnly?: boolean } = {},
): Promise<FeedTokenRow[]> {
  const { unitId } = filter;
  return db
    .selectFrom('directive_feed_tokens')
    .selectAll()
    .$if(unitId !== undefined, (query) => query.where('unit_id', unitId === null ? 'is' : '=', unitId ?? null))
    .$if(filter.liveOnly === true, (query) => query.where('revoked_at', 'is', null))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/**
 * Notes that a calendar fetched the feed. At most one write per address every five minutes: calendar
 * applications poll, and a row rewritten on every poll would only churn the table.
 */
export async function touchFeedToken(db: Db, id: string): Promise<void> {
  await db
    .updateTable('directive_feed_tokens')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '5 minutes'`)]),
    )
    .execute();
}
