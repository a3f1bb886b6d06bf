/** The SQL of the promotion rules and of the prices seen on sites. Never opens a transaction. */
import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { PriceObservationTable, PromotionRuleTable } from './promotions.table.ts';

export type PromotionRuleRow = Selectable<PromotionRuleTable>;

export function selectRuleRows(db: Db): Promise<PromotionRuleRow[]> {
  return db.selectFrom('promotion_rules').selectAll().orderBy('code').orderBy('effective_from').execute();
}

/** The rows in force on `day` (YYYY-MM-DD). */
export function selectRuleRowsInForce(db: Db, day: string): Promise<PromotionRuleRow[]> {
  return db
    .selectFrom('promotion_rules')
    .selectAll()
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .orderBy('code')
    .execute();
}

export function lockRuleRow(db: Db, code: string, day: string): Promise<PromotionRuleRow | undefined> {
  return db
    .selectFrom('promotion_rules')
    .selectAll()
    .where('code', '=', code)
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .forUpdate()
    .executeTakeFirst();
}

export function selectRuleRowByStart(
  db: Db,
  code: string,
  effectiveFrom: string,
): Promise<PromotionRuleRow | undefined> {
  return db
    .selectFrom('promotion_rules')
    .selectAll()
    .where('code', '=', code)
    .where('effective_from', '=', effectiveFrom)
    .forUpdate()
    .executeTakeFirst();
}

export interface RuleRowValues {
  label_vi: string;
  label_en: string;
  params: string;
  citation: string;
  source_url: string;
  effective_to: string | null;
  source_status: PromotionRuleRow['source_status'];
  note: string;
  updated_by: string;
}

export async function updateRuleRow(db: Db, id: number, values: Partial<RuleRowValues>): Promise<PromotionRuleRow> {
  return db
    .updateTable('promotion_rules')
    .set({ ...values, updated_at: sql`now()` as unknown as Date })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertRuleRow(
  db: Db,
  values: RuleRowValues & { code: string; effective_from: string },
): Promise<PromotionRuleRow> {
  return db.insertInto('promotion_rules').values(values).returningAll().executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------------------------------------------
// Prices seen on sites.

export type PriceObservationRow = Selectable<PriceObservationTable>;

export interface NewPriceObservation {
  domain: string;
  url: string;
  product_key: string;
  product_name: string;
  price_vnd: number;
  list_price_vnd: number | null;
  observed_at: Date;
  evidence_id: string | null;
}

/** Inserts observations; the same (domain, product, instant, price) twice is stored once. Returns how many were new. */
export async function insertPriceObservations(db: Db, rows: NewPriceObservation[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await db
    .insertInto('price_observations')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['domain', 'product_key', 'observed_at', 'price_vnd']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** A product's prices observed in [from, to). */
export function selectPriceHistory(
  db: Db,
  domain: string,
  productKey: string,
  from: Date,
  to: Date,
): Promise<PriceObservationRow[]> {
  return db
    .selectFrom('price_observations')
    .selectAll()
    .where('domain', '=', domain)
    .where('product_key', '=', productKey)
    .where('observed_at', '>=', from)
    .where('observed_at', '<', to)
    .orderBy('observed_at')
    .execute();
}

/** The latest observation of each product that showed a "before" price, newest first (the candidates to judge). */
export function selectLatestDiscountedOffers(db: Db, limit: number): Promise<PriceObservationRow[]> {
  return db
    .selectFrom('price_observations as o')
    .selectAll('o')
    .where('o.list_price_vnd', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('price_observations as later')
            .select('later.id')
            .whereRef('later.domain', '=', 'o.domain')
            .whereRef('later.product_key', '=', 'o.product_key')
            .whereRef('later.observed_at', '>', 'o.observed_at'),
        ),
      ),
    )
    .orderBy('o.observed_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
}
